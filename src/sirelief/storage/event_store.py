"""Writing a session's events: each stored once, in order, under one session only.

``SessionLog`` inherits these methods. An event id is unique across
all sessions, so "recorded" always means "stored in this session": a replay to the same
session is a no-op, the same id sent to another session is refused.
"""

import functools
import re

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import load_only

from sirelief.domain.records import EventFacts
from sirelief.domain.session import Event
from sirelief.storage.database import Database, Transaction
from sirelief.storage.schema import AssessmentRow, EventRow, PainReportRow, SessionRow

EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
SESSION_SUMMARY = (SessionRow.status, SessionRow.ended_at, SessionRow.max_pain)
"""The session row's columns an event can change."""

OWNED_SESSION_LOCKED = (
    select(SessionRow.id)
    .where(SessionRow.id == bindparam("session_id"),
           SessionRow.profile_id == bindparam("profile_id"))
    .with_for_update()
)  # fmt: skip
"""The session, if it is this profile's, locked until the write commits: events of one
session are numbered one after another even with many servers on one PostgreSQL."""
EVENT_OWNER = select(EventRow.session_id).where(EventRow.id == bindparam("id"))
"""The session an event id is stored in, if any (ids are unique across sessions)."""


class EventIdTakenError(ValueError):
    """An event id already stored in another session."""

    def __init__(self, event_id: str) -> None:
        super().__init__(f"event id '{event_id}' is already used by another session")
        self.event_id = event_id


class InvalidEventIdError(ValueError):
    """An event id that is not 1-64 ASCII letters, digits, '_' or '-'."""

    def __init__(self, event_id: str) -> None:
        super().__init__("an event id is 1 to 64 ASCII letters, digits, '_' or '-'")
        self.event_id = event_id


def valid_event_id(event_id: object) -> bool:
    return isinstance(event_id, str) and EVENT_ID.fullmatch(event_id) is not None


def _already_stored(tx: Transaction, session_id: str, event_id: str) -> bool:
    """True if this session holds the id; ``EventIdTakenError`` if another one does."""
    owner = tx.execute(EVENT_OWNER, {"id": event_id}).scalar()
    if owner is not None and owner != session_id:
        raise EventIdTakenError(event_id)
    return owner is not None


class EventWriter:
    """The event methods of ``SessionLog`` (which provides ``database`` and ``profile_id``)."""

    database: Database
    profile_id: str

    def append_event(self, session_id: str, event: Event, facts: EventFacts) -> bool:
        """Record one event and what it established, atomically.

        Returns False, writing nothing, when this session already holds an event with this
        id: a retried send (a flaky network, a double tap) can never record twice. Raises
        ``EventIdTakenError``, writing nothing, when the id belongs to another session, and
        ``InvalidEventIdError`` for an id no client sends.
        """
        if not valid_event_id(event.id):
            raise InvalidEventIdError(event.id)
        keys = {"session_id": session_id, "profile_id": self.profile_id}
        with self.database.write() as tx:
            if tx.execute(OWNED_SESSION_LOCKED, keys).scalar() is None:
                raise KeyError(session_id)
            # no look for the id first: the insert skips a stored id, and only then is its
            # session asked (one statement less for every new event, the common case)
            inserted = tx.connection().execute(  # Core: an ORM insert has no rowcount
                _new_event(tx.get_bind().dialect.name),
                {
                    **keys,
                    "id": event.id,
                    "at": event.at,
                    "kind": event.kind,
                    "event": event.model_dump(mode="json", exclude_none=True),
                },
            )
            if inserted.rowcount == 0:  # a retry, or an id another session holds
                _already_stored(tx, session_id, event.id)
                return False
            self._write_facts(tx, session_id, event, facts)
        return True

    def _write_facts(
        self, tx: Transaction, session_id: str, event: Event, facts: EventFacts
    ) -> None:
        if facts.assessment is not None:
            values = facts.assessment
            for region, sides in sorted(values.ratings.items()):
                for side in ("left", "right"):
                    tx.add(AssessmentRow(
                        session_id=session_id, event_id=event.id, point=values.point,
                        region=region, side=side, value=sides.of(side), at=values.at,
                    ))  # fmt: skip
            for region, measured in (
                ("knee_to_wall_cm", values.knee_to_wall),
                ("knee_to_wall_deg", values.knee_to_wall_deg),
            ):
                if measured is None:
                    continue
                for side in ("left", "right"):
                    tx.add(AssessmentRow(
                        session_id=session_id, event_id=event.id, point=values.point,
                        region=region, side=side, value=getattr(measured, side), at=values.at,
                    ))  # fmt: skip
        if facts.pain_report is not None:
            report = facts.pain_report
            tx.add(PainReportRow(
                event_id=event.id, session_id=session_id, at=report.at, pain=report.pain,
                step=report.step, source=report.source,
            ))  # fmt: skip
        if facts.status is None and facts.pain_report is None:
            return  # most events (a step done, a pause) change nothing on the session row
        row = tx.get(SessionRow, session_id, options=[load_only(*SESSION_SUMMARY)])
        if facts.status is not None:
            row.status = facts.status
            if facts.status in ("completed", "stopped", "abandoned"):
                row.ended_at = event.at
        if facts.pain_report is not None:
            row.max_pain = max(row.max_pain or 0, facts.pain_report.pain)

    def event_ids(self, session_id: str) -> list[str]:
        with self.database.read() as tx:
            return list(
                tx.scalars(
                    select(EventRow.id)
                    .where(EventRow.session_id == session_id)
                    .order_by(EventRow.seq)
                )
            )


@functools.cache
def _new_event(dialect: str):
    """The INSERT of one event, numbered after the session's last; it does nothing when
    the event's id is already stored (a retry). Built once per kind of database."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    next_seq = (
        select(func.coalesce(func.max(EventRow.seq), 0) + 1)
        .where(EventRow.session_id == bindparam("session_id"))
        .scalar_subquery()
    )
    return (
        insert(EventRow)
        .values(
            id=bindparam("id"), session_id=bindparam("session_id"), seq=next_seq,
            at=bindparam("at"), kind=bindparam("kind"),
            event=bindparam("event", type_=EventRow.__table__.c.event.type),
        )
        .on_conflict_do_nothing(index_elements=[EventRow.id])
        # psycopg's count is gone once SQLAlchemy closes the cursor (it read -1, never 0)
        .execution_options(preserve_rowcount=True)
    )  # fmt: skip
