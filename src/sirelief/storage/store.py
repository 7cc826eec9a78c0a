"""Whose data: one profile in one database, the base every part of the store stands on.

The rows themselves are read and written by the parts, each over a few tables:
``session_log`` (sessions, their events, morning answers, notes), ``checkin_store``
(check-ins and safety stops), ``routine_store`` (the person's own routines) and
``safety_store`` (precautions, clearances, reviews). They take and return domain objects.
Every write is one transaction committed before the method returns, so "recorded" means
on disk.
"""

import secrets
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select

from sirelief.storage.database import Database, Transaction
from sirelief.storage.schema import (
    PROFILE_TABLES,
    AssessmentRow,
    Base,
    EventRow,
    PainReportRow,
    ProfileRow,
    SessionRow,
)

DEFAULT_PROFILE_NAME = "Me"


def new_id() -> str:
    return uuid.uuid4().hex


def ordered_id() -> str:
    """An id that sorts in the order it was made (wall-clock nanoseconds, then 64 random
    bits): audit lines written at one instant of the app's clock keep their order."""
    return f"{time.time_ns():016x}{secrets.token_hex(8)}"


class NoProfileError(LookupError):
    """An account with no data of its own (an admin, a coach) was asked for a profile's
    rows: the access table should have refused the request before it came here."""


class Store:
    """One profile in one database: which profile, and (the right to leave) removing it."""

    def __init__(
        self,
        database: Database,
        profile_id: str | None = None,
        has_default: bool = True,
        *,
        clock: Callable[[], datetime],
    ) -> None:
        self.database = database
        self.clock = clock
        """Dates the default profile when it is made (the same clock as the use cases')."""
        self._profile_id = profile_id
        self.has_default = has_default
        """Personal mode: no profile given means the owner's, made on first use. A clinic
        account is given its profile, or has none."""
        self._on_forget: list[Callable[[], None]] = []

    @property
    def has_profile(self) -> bool:
        return self._profile_id is not None or self.has_default

    @property
    def profile_id(self) -> str:
        """The chosen profile, or the default one (created on first use)."""
        if self._profile_id is None:
            if not self.has_default:
                raise NoProfileError("this account keeps no exercise data of its own")
            self._profile_id = self._default_profile()
        return self._profile_id

    def when_forgotten(self, forget: Callable[[], None]) -> None:
        """Call ``forget`` whenever the profile is looked up again (a part's kept reads)."""
        self._on_forget.append(forget)

    def forget_profile(self) -> None:
        """Look the default profile up again (after an import or a deletion), and read
        every session afresh."""
        if self.has_default:
            self._profile_id = None
        for forget in self._on_forget:
            forget()

    def _default_profile(self) -> str:
        query = select(ProfileRow.id).where(ProfileRow.is_default).order_by(ProfileRow.created_at)
        with self.database.read() as tx:
            found = tx.scalars(query).first()
        if found:
            return found
        with self.database.write() as tx:
            found = tx.scalars(query).first()
            if found:
                return found
            row = ProfileRow(
                id=new_id(), name=DEFAULT_PROFILE_NAME, created_at=self.clock(), is_default=True
            )
            tx.add(row)
            return row.id

    def delete_profile(self) -> dict[str, int]:
        """Every row of this profile, then the profile; returns how many rows per table."""
        profile_id = self.profile_id  # looked up (or made) before the write begins
        with self.database.write() as tx:
            counts = delete_profile_rows(tx, profile_id)
        self.forget_profile()
        return counts


def delete_profile_rows(tx: Transaction, profile_id: str) -> dict[str, int]:
    """Every row of ``profile_id`` and the profile itself, inside ``tx`` (so deleting an
    account can remove its data in the same transaction); how many rows per table."""
    counts: dict[str, int] = {}
    sessions = select(SessionRow.id).where(SessionRow.profile_id == profile_id)
    events = select(EventRow.id).where(EventRow.session_id.in_(sessions))
    for table in PROFILE_TABLES:
        if table in (AssessmentRow, PainReportRow):
            condition = table.session_id.in_(sessions)
        elif table is EventRow:
            condition = EventRow.id.in_(events)
        else:
            condition = table.profile_id == profile_id
        result = tx.execute(delete(table).where(condition))
        counts[table.__tablename__] = result.rowcount
    result = tx.execute(delete(ProfileRow).where(ProfileRow.id == profile_id))
    counts[ProfileRow.__tablename__] = result.rowcount
    return counts


class StorePart:
    """One part of a profile's data, on the ``Store`` the other parts share (so that an
    import or a deletion through it is seen by all)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def database(self) -> Database:
        return self.store.database

    @property
    def profile_id(self) -> str:
        return self.store.profile_id

    @property
    def has_profile(self) -> bool:
        """False for an account with no data of its own (a coach, an admin)."""
        return self.store.has_profile

    def _add(self, row: Base) -> str:
        """Write one new row in its own transaction; its id."""
        with self.database.write() as tx:
            tx.add(row)
        return row.id
