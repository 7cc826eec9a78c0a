"""Reading the audit log (``AccountsStore.record`` writes it; nothing updates or deletes
an entry). Entries name accounts by id; the names are
joined in when read, so an entry about a deleted account still reads, without its name.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from sirelief.domain.access import Role
from sirelief.domain.accounts import AuditEntry
from sirelief.storage.database import Database
from sirelief.storage.schema import AccountRow, AuditRow, SessionRow

ACTOR = aliased(AccountRow, name="actor")
SUBJECT = aliased(AccountRow, name="subject")


@dataclass(frozen=True)
class Named:
    """An account as a log line shows it; both None when it was deleted."""

    name: str | None
    role: Role | None


@dataclass(frozen=True)
class LogLine:
    entry: AuditEntry
    actor: Named
    subject: Named


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        row.at, row.action, row.actor_id, row.subject_account_id, row.object, row.address
    )


def _named(name: str | None, role: str | None) -> Named:
    return Named(name, Role(role) if role else None)


NAMED_LINES = (
    select(AuditRow, ACTOR.display_name, ACTOR.role, SUBJECT.display_name, SUBJECT.role)
    .outerjoin(ACTOR, ACTOR.id == AuditRow.actor_id)
    .outerjoin(SUBJECT, SUBJECT.id == AuditRow.subject_account_id)
)


class AuditStore:
    """The installation's audit log, for the audit use case."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def last_written(
        self, actor_id: str, subject_id: str, action: str, obj: str | None, since: datetime
    ) -> datetime | None:
        """The latest line of this actor, subject, action and object since ``since``."""
        query = select(func.max(AuditRow.at)).where(
            AuditRow.subject_account_id == subject_id,
            AuditRow.actor_id == actor_id,
            AuditRow.action == action,
            AuditRow.object.is_(None) if obj is None else AuditRow.object == obj,
            AuditRow.at >= since,
        )
        with self.database.read() as tx:
            return tx.scalar(query)

    def by_others(self, subject_id: str) -> list[LogLine]:
        """Lines about ``subject_id`` written by another account, newest first."""
        query = NAMED_LINES.where(
            AuditRow.subject_account_id == subject_id,
            AuditRow.actor_id.is_not(None),
            AuditRow.actor_id != subject_id,
        ).order_by(AuditRow.at.desc(), AuditRow.id.desc())
        return self._lines(query)

    def about(self, subject_id: str) -> list[AuditEntry]:
        """Every line about ``subject_id``, oldest first (for their export)."""
        query = (
            select(AuditRow)
            .where(AuditRow.subject_account_id == subject_id)
            .order_by(AuditRow.at, AuditRow.id)
        )
        with self.database.read() as tx:
            return [_entry(row) for row in tx.scalars(query)]

    def page(self, account_id: str | None, offset: int, limit: int) -> tuple[list[LogLine], int]:
        """One page of the log, newest first, optionally only lines by or about one
        account; and how many lines there are in all."""
        condition = (
            or_(AuditRow.actor_id == account_id, AuditRow.subject_account_id == account_id)
            if account_id
            else True
        )
        query = NAMED_LINES.where(condition).order_by(AuditRow.at.desc(), AuditRow.id.desc())
        with self.database.read() as tx:
            total = tx.scalar(select(func.count()).select_from(AuditRow).where(condition))
        return self._lines(query.offset(offset).limit(limit)), total

    def session_times(self, profile_id: str, ids: set[str]) -> dict[str, datetime]:
        """When each of these sessions of ``profile_id`` was made (missing: deleted)."""
        if not ids:
            return {}
        query = select(SessionRow.id, SessionRow.created_at).where(
            SessionRow.profile_id == profile_id, SessionRow.id.in_(ids)
        )
        with self.database.read() as tx:
            return dict(tx.execute(query).all())

    def _lines(self, query) -> list[LogLine]:
        with self.database.read() as tx:
            return [
                LogLine(_entry(row), _named(actor, actor_role), _named(subject, subject_role))
                for row, actor, actor_role, subject, subject_role in tx.execute(query)
            ]
