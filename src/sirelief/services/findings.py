"""A clinician's findings, recorded and shown as given (issue 20 item 3).

A coach records them for a client they follow; a person copies them from a clinician's
letter (in personal mode, or a client in clinic mode). The access guard has decided who
may write whose; this keeps the record with who typed it in and when, and lists them
newest first in words the reader understands. Nothing here interprets them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sirelief.domain.access import Actor, Role
from sirelief.domain.findings import Examination, FindingsError, Recorder, newest_first
from sirelief.domain.local_time import local_day
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.findings_store import FindingsStore
from sirelief.storage.store import new_id

__all__ = ["ClinicalFindings", "FindingsError", "ShownExamination"]


@dataclass(frozen=True)
class ShownExamination:
    record: Examination
    by: str
    """"you", "Cora (coach)", "Cleo (the client)"."""


@dataclass
class ClinicalFindings:
    store: FindingsStore
    accounts: AccountsStore
    clock: Callable[[], datetime]
    zone: Callable[[], tzinfo]

    def today(self) -> date:
        """The person's own calendar day: no examination is dated after it."""
        return local_day(self.clock(), self.zone())

    def record(
        self,
        examined_on: date,
        examiner: str | None,
        results: dict[str, str],
        fortin: str,
        fortin_side: str | None,
        author: Actor | None,
    ) -> Examination:
        """Keep one examination's findings; ``FindingsError`` names every field to fix."""
        record = Examination.build(
            new_id(), examined_on, self.clock(), self.today(), examiner, results, fortin,
            fortin_side, self._recorder(author),
        )  # fmt: skip
        self.store.add(record)
        return record

    def _recorder(self, author: Actor | None) -> Recorder:
        if author is None:  # personal mode: the one person
            return Recorder()
        (account,) = self.accounts.accounts_with_ids([author.user_id]) or (None,)
        name = account.display_name if account else None
        return Recorder(author.user_id, name, author.role.value)

    def records(self) -> list[Examination]:
        """Every record, newest examination first."""
        return newest_first(self.store.records())

    def shown(self, reader: Actor | None) -> list[ShownExamination]:
        """Every record, newest first, each with who recorded it as this reader says it."""
        return [ShownExamination(r, _by(r.recorder, reader)) for r in self.records()]

    def to_json(self) -> list[dict]:
        """For the report and the person's own copy: as recorded, newest first."""
        return [record.to_json() for record in self.records()]


def _by(recorder: Recorder, reader: Actor | None) -> str:
    if recorder.account_id is None:
        return "you" if reader is None or reader.role is Role.CLIENT else "the person"
    if reader is not None and recorder.account_id == reader.user_id:
        return "you"
    name = recorder.name or "an account since removed"
    if recorder.role == Role.CLIENT.value:
        return f"{name} (the client)"
    return f"{name} ({recorder.role})" if recorder.role else name
