"""What a coach's list and a client's dashboard read beside the session log (issue 18
item 3), each for many clients in a fixed number of queries: a list of 200 clients must
not cost 200 round trips to a server database.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, Select, cast, extract, func, select

from sirelief.storage.coaching_rows import RoutineAssignmentRow, TemplateVersionRow
from sirelief.storage.database import Database, in_lists, one_of
from sirelief.storage.schema import (
    AccountRow,
    EventRow,
    NoteRow,
    PreferencesRow,
    ProfileRow,
    SafetyStopRow,
    SessionRow,
    session_started,
)


@dataclass
class Activity:
    """One client's sessions and safety events, as the list needs them."""

    last_session: datetime | None = None
    started_seconds: tuple[int, ...] = ()
    """When each session since the window's start was made (planned-only ones left out),
    in whole seconds since 1970 (UTC), oldest first: exact to the calendar day, and cheap
    to read and to compare (the list keeps what it worked out from them)."""
    recent_stops: int = 0
    recent_too_much: int = 0


@dataclass(frozen=True)
class Period:
    """An assignment's schedule and span, as adherence reads it."""

    schedule: dict[str, Any]
    assigned_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class StopSeen:
    at: datetime
    level: str


@dataclass(frozen=True)
class NoteSeen:
    session_id: str | None
    session_at: datetime | None
    at: datetime
    text: str
    author: str | None
    """The writer's display name (None: the person's own, or an account since removed)."""


@dataclass(frozen=True)
class VersionSeen:
    template_id: str
    version: int
    name: str
    added_at: datetime


def last_sessions(profiles: list[str], dialect: str = "") -> Select:
    """(profile, when its last started session was made) for each profile in ``profiles``.

    One small subquery per profile that walks ``ix_sessions_profile_created`` backwards
    and stops at the first started session, rather than a ``GROUP BY`` that reads every
    session these people ever had (issue 21 item 1: the list grew with history)."""
    last = (
        select(func.max(SessionRow.created_at))
        .where(SessionRow.profile_id == ProfileRow.id, session_started())
        .correlate(ProfileRow)
        .scalar_subquery()
    )
    return select(ProfileRow.id, last).where(one_of(ProfileRow.id, profiles, dialect))


def _seconds_since_1970(moment: ColumnElement, dialect: str) -> ColumnElement[int]:
    """Whole seconds (rounded down: a session at 23:59:59.7 stays on its day)."""
    if dialect == "postgresql":
        return cast(func.floor(extract("epoch", moment)), BigInteger)
    return cast(func.strftime("%s", moment), Integer)  # SQLite keeps UTC text


def _started_seconds(profiles: list[str], since: datetime, dialect: str) -> Select:
    """(profile, its started sessions' times since ``since``), one row a
    profile: 200 rows rather than thousands for a coach's list (issue 21: reading a
    month's sessions row by row cost a 200-client list 19 ms)."""
    moment = _seconds_since_1970(SessionRow.created_at, dialect)
    together = func.array_agg(moment) if dialect == "postgresql" else func.group_concat(moment)
    return (
        select(SessionRow.profile_id, together)
        .where(one_of(SessionRow.profile_id, profiles, dialect), session_started(),
               SessionRow.created_at >= since)
        .group_by(SessionRow.profile_id)
    )  # fmt: skip


def _as_seconds(found: list[int] | str) -> tuple[int, ...]:
    """An array (PostgreSQL) or a comma-separated text (SQLite), oldest first."""
    return tuple(sorted(found if isinstance(found, list) else map(int, found.split(","))))


class FollowStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def activity(
        self, profiles: list[str], since: datetime, recent_since: datetime
    ) -> dict[str, Activity]:
        """Per profile: the last session ever, the sessions since ``since``, and the safety
        stops and "too much" events since ``recent_since``. Four queries per 500 profiles."""
        found: dict[str, Activity] = {profile: Activity() for profile in profiles}
        with self.database.read() as session:
            tx = session.connection()  # Core rows, fetched at once: the cheapest to read
            dialect = tx.dialect.name
            for ids in in_lists(profiles):
                mine = one_of(SessionRow.profile_id, ids, dialect)
                for profile, at in tx.execute(last_sessions(ids, dialect)).all():
                    found[profile].last_session = at
                for profile, seconds in tx.execute(_started_seconds(ids, since, dialect)).all():
                    found[profile].started_seconds = _as_seconds(seconds)
                stops = (
                    select(SafetyStopRow.profile_id, func.count())
                    .where(one_of(SafetyStopRow.profile_id, ids, dialect),
                           SafetyStopRow.at >= recent_since)
                    .group_by(SafetyStopRow.profile_id)
                )  # fmt: skip
                for profile, count in tx.execute(stops).all():
                    found[profile].recent_stops = count
                too_much = (
                    select(SessionRow.profile_id, func.count())
                    .join(EventRow, EventRow.session_id == SessionRow.id)
                    .where(mine, EventRow.kind == "too_much", SessionRow.created_at >= recent_since)
                    .group_by(SessionRow.profile_id)
                )
                for profile, count in tx.execute(too_much).all():
                    found[profile].recent_too_much = count
        return found

    def zones(self, profiles: list[str]) -> dict[str, str | None]:
        """Each person's chosen time zone (absent: none chosen)."""
        found: dict[str, str | None] = {}
        with self.database.read() as session:
            tx = session.connection()  # Core rows: the ORM's row machinery costs more
            for ids in in_lists(profiles):
                query = select(PreferencesRow.profile_id, PreferencesRow.time_zone).where(
                    one_of(PreferencesRow.profile_id, ids, tx.dialect.name)
                )
                found.update((profile, zone) for profile, zone in tx.execute(query).all())
        return found

    def periods(self, client_ids: list[str], since: datetime) -> dict[str, list[Period]]:
        """Each client's assignments active at some time since ``since``."""
        found: dict[str, list[Period]] = defaultdict(list)
        row = RoutineAssignmentRow
        with self.database.read() as session:
            tx = session.connection()  # Core rows: the ORM's row machinery costs more
            for ids in in_lists(client_ids):
                query = select(row.client_id, row.schedule, row.assigned_at, row.ended_at).where(
                    one_of(row.client_id, ids, tx.dialect.name),
                    (row.ended_at.is_(None)) | (row.ended_at >= since),
                )
                for client_id, schedule, start, end in tx.execute(query).all():
                    found[client_id].append(Period(dict(schedule), start, end))
        return found

    def stops(self, profile: str, limit: int) -> list[StopSeen]:
        """The profile's safety stops, newest first."""
        query = (
            select(SafetyStopRow.at, SafetyStopRow.urgency)
            .where(SafetyStopRow.profile_id == profile)
            .order_by(SafetyStopRow.at.desc())
            .limit(limit)
        )
        with self.database.read() as session:
            tx = session.connection()  # Core rows: the ORM's row machinery costs more
            return [StopSeen(at, level) for at, level in tx.execute(query)]

    def notes(self, profile: str, limit: int) -> list[NoteSeen]:
        """The notes on the profile's sessions (and routine), newest first, with who wrote
        each: one query."""
        query = (
            select(
                NoteRow.session_id,
                SessionRow.created_at,
                NoteRow.at,
                NoteRow.text,
                AccountRow.display_name,
            )
            .outerjoin(SessionRow, SessionRow.id == NoteRow.session_id)
            .outerjoin(AccountRow, AccountRow.id == NoteRow.author_account_id)
            .where(NoteRow.profile_id == profile)
            .order_by(NoteRow.at.desc(), NoteRow.id)
            .limit(limit)
        )
        with self.database.read() as session:
            tx = session.connection()  # Core rows: the ORM's row machinery costs more
            return [NoteSeen(*row) for row in tx.execute(query)]

    def versions(self, version_ids: list[str]) -> list[VersionSeen]:
        """Every version of the templates the given versions belong to, newest first."""
        if not version_ids:
            return []
        of = select(TemplateVersionRow.template_id).where(TemplateVersionRow.id.in_(version_ids))
        query = (
            select(
                TemplateVersionRow.template_id,
                TemplateVersionRow.version,
                TemplateVersionRow.name,
                TemplateVersionRow.added_at,
            )
            .where(TemplateVersionRow.template_id.in_(of))
            .order_by(TemplateVersionRow.template_id, TemplateVersionRow.version.desc())
        )
        with self.database.read() as session:
            tx = session.connection()  # Core rows: the ORM's row machinery costs more
            return [VersionSeen(*row) for row in tx.execute(query)]
