"""Precautions, clearances and reviews of one profile (SPEC 5.1-5.3): each write one
transaction."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from sirelief.domain.flag_records import CLEARANCE, REVIEW, FlagRecord, RecordKind
from sirelief.storage.schema import ClearanceRow, PrecautionsRow, ReviewAdviceRow, ReviewRow
from sirelief.storage.store import StorePart, new_id


@dataclass(frozen=True)
class PrecautionAnswers:
    ids: tuple[str, ...]
    confirmed_at: datetime


ROWS: dict[str, type[ClearanceRow] | type[ReviewRow]] = {
    CLEARANCE.noun: ClearanceRow,
    REVIEW.noun: ReviewRow,
}
"""The table of each kind of flag record (the tables stay as the migrations made them)."""


def _record(kind: RecordKind, row: ClearanceRow | ReviewRow) -> FlagRecord:
    return FlagRecord(
        kind, row.id, row.flag_id, date.fromisoformat(getattr(row, kind.date_field)),
        row.recorded_at, row.withdrawn_at, getattr(row, "by", None),
    )  # fmt: skip


class SafetyStore(StorePart):
    """Reads and writes the person's precautions, clearances and reviews."""

    def precautions(self) -> PrecautionAnswers | None:
        """None until the questions were answered once."""
        profile_id = self.profile_id  # found (or made) before the transaction opens
        with self.database.read() as tx:
            row = tx.get(PrecautionsRow, profile_id)
            return PrecautionAnswers(tuple(row.ids), row.confirmed_at) if row else None

    def save_precautions(self, ids: list[str], now: datetime) -> None:
        """Answers given or confirmed now (an empty list is an answer: none apply)."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            row = tx.get(PrecautionsRow, profile_id)
            if row is None:
                tx.add(PrecautionsRow(profile_id=profile_id, ids=list(ids),
                                           confirmed_at=now))  # fmt: skip
            else:
                row.ids, row.confirmed_at = list(ids), now

    def records(self, kind: RecordKind) -> list[FlagRecord]:
        """Every clearance (or review), withdrawn ones included, oldest first."""
        table = ROWS[kind.noun]
        query = (
            select(table)
            .where(table.profile_id == self.profile_id)
            .order_by(table.recorded_at, table.id)
        )
        with self.database.read() as tx:
            return [_record(kind, row) for row in tx.scalars(query)]

    def add_records(
        self, kind: RecordKind, flag_ids: list[str], on: date, by: str | None, now: datetime
    ) -> list[str]:
        """One row per flag, all in one transaction; their ids."""
        table = ROWS[kind.noun]
        extra = {"by": by} if kind.keeps_by else {}
        rows = [
            table(id=new_id(), profile_id=self.profile_id, flag_id=flag_id,
                  recorded_at=now, withdrawn_at=None,
                  **{kind.date_field: on.isoformat()}, **extra)
            for flag_id in flag_ids
        ]  # fmt: skip
        with self.database.write() as tx:
            tx.add_all(rows)
        return [row.id for row in rows]

    def withdraw(self, kind: RecordKind, flag_id: str, now: datetime) -> int:
        """Withdraw every standing record of a flag; how many there were."""
        table = ROWS[kind.noun]
        query = select(table).where(
            table.profile_id == self.profile_id,
            table.flag_id == flag_id,
            table.withdrawn_at.is_(None),
        )
        with self.database.write() as tx:
            rows = list(tx.scalars(query))
            for row in rows:
                row.withdrawn_at = now
            return len(rows)

    def advised_since(self, since: datetime) -> list[tuple[datetime, list[str]]]:
        """When review advice was given at or after ``since``, and for which flags (as
        kept with each session planned)."""
        query = (
            select(ReviewAdviceRow.advised_at, ReviewAdviceRow.flag_id)
            .where(
                ReviewAdviceRow.profile_id == self.profile_id, ReviewAdviceRow.advised_at >= since
            )
            .order_by(ReviewAdviceRow.advised_at, ReviewAdviceRow.flag_id)
        )
        given: dict[datetime, list[str]] = {}
        with self.database.read() as tx:
            for advised_at, flag_id in tx.execute(query):
                given.setdefault(advised_at, []).append(flag_id)
        return list(given.items())
