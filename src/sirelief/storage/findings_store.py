"""A clinician's findings of one profile (issue 20 item 3): added, read; each write one
transaction. Records are never changed: what was recorded stays as it was."""

from datetime import date

from sqlalchemy import select

from sirelief.domain.findings import Examination, Recorder
from sirelief.storage.findings_rows import ExaminationRow
from sirelief.storage.store import StorePart


def _examination(row: ExaminationRow) -> Examination:
    return Examination(
        row.id, date.fromisoformat(row.examined_on), row.recorded_at, dict(row.results),
        row.fortin, row.fortin_side, row.examiner,
        Recorder(row.recorded_by, row.recorded_by_name, row.recorded_by_role),
    )  # fmt: skip


class FindingsStore(StorePart):
    """Reads and writes the person's recorded findings."""

    def records(self) -> list[Examination]:
        """Every record, in the order they were typed in."""
        query = (
            select(ExaminationRow)
            .where(ExaminationRow.profile_id == self.profile_id)
            .order_by(ExaminationRow.recorded_at, ExaminationRow.id)
        )
        with self.database.read() as tx:
            return [_examination(row) for row in tx.scalars(query)]

    def add(self, record: Examination) -> None:
        row = ExaminationRow(
            id=record.id, profile_id=self.profile_id,
            examined_on=record.examined_on.isoformat(), examiner=record.examiner,
            results=dict(record.results), fortin=record.fortin, fortin_side=record.fortin_side,
            recorded_at=record.recorded_at, recorded_by=record.recorder.account_id,
            recorded_by_name=record.recorder.name, recorded_by_role=record.recorder.role,
        )  # fmt: skip
        with self.database.write() as tx:
            tx.add(row)
