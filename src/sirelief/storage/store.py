"""Repositories: the only code that reads or writes rows. They take and return domain objects.

A ``Store`` works for one profile (the default one for local use). Every write is one
transaction that is committed before the method returns, so "recorded" means on disk.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, defer

from sirelief.domain.checkin import CheckIn
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import MorningAnswer, SessionRecord
from sirelief.domain.routine import Routine
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event
from sirelief.storage.database import Database
from sirelief.storage.event_store import EventWriter
from sirelief.storage.recent_sessions import Known, RecentSessions
from sirelief.storage.schema import (
    AssessmentRow,
    CheckInRow,
    ClearanceRow,
    EventRow,
    MorningAnswerRow,
    NoteRow,
    PainReportRow,
    PrecautionsRow,
    ProfileRow,
    ReviewRow,
    SafetyStopRow,
    SessionRow,
    UserRoutineRow,
)

DEFAULT_PROFILE_NAME = "Me"
IN_LIST_SIZE = 500
"""Ids per IN list when loading many sessions (SQLite allows 32,766 bound values)."""
PROFILE_TABLES = (
    # children first, so deleting in this order never breaks a foreign key
    AssessmentRow, PainReportRow, EventRow, MorningAnswerRow, NoteRow, SessionRow,
    SafetyStopRow, CheckInRow, UserRoutineRow, ClearanceRow, ReviewRow,
    PrecautionsRow,
)  # fmt: skip

WITHOUT_ROUTINE = defer(SessionRow.routine)
"""A session read back never needs the routine copy kept for history: skip decoding it."""

SINCE_LAST_READ = (
    select(
        EventRow.seq, EventRow.event, MorningAnswerRow.settled, MorningAnswerRow.pain,
        MorningAnswerRow.answered_at,
    )
    .select_from(SessionRow)
    .outerjoin(EventRow, (EventRow.session_id == SessionRow.id)
               & (EventRow.seq > bindparam("after")))
    .outerjoin(MorningAnswerRow, MorningAnswerRow.session_id == SessionRow.id)
    .where(SessionRow.id == bindparam("session_id"),
           SessionRow.profile_id == bindparam("profile_id"))
    .order_by(EventRow.seq)
)  # fmt: skip
"""A session read before: its events after the last seen, its morning answer, and (no row
at all) whether it is gone. Built once: building a statement costs more than running it."""


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class StoredRoutine:
    routine_id: str
    file_name: str
    source: str
    added_at: datetime


class Store(EventWriter):
    """One profile's data in one database."""

    def __init__(self, database: Database, profile_id: str | None = None) -> None:
        self.database = database
        self._profile_id = profile_id
        self._recent = RecentSessions()

    # --- profile -----------------------------------------------------------------------
    @property
    def profile_id(self) -> str:
        """The chosen profile, or the default one (created on first use)."""
        if self._profile_id is None:
            self._profile_id = self._default_profile()
        return self._profile_id

    def forget_profile(self) -> None:
        """Look the default profile up again (after an import or a deletion), and read
        every session afresh."""
        self._profile_id = None
        self._recent.forget()

    def _default_profile(self) -> str:
        query = select(ProfileRow.id).where(ProfileRow.is_default).order_by(ProfileRow.created_at)
        with self.database.read() as session:
            found = session.scalars(query).first()
        if found:
            return found
        with self.database.write() as session:
            found = session.scalars(query).first()
            if found:
                return found
            row = ProfileRow(
                id=new_id(), name=DEFAULT_PROFILE_NAME, created_at=_now(), is_default=True
            )
            session.add(row)
            return row.id

    # --- check-ins and stops -----------------------------------------------------------
    def save_checkin(self, checkin: CheckIn, at: datetime) -> str:
        row = CheckInRow(
            id=new_id(),
            profile_id=self.profile_id,
            taken_at=at,
            pain=checkin.pain,
            answers=checkin.model_dump(mode="json", exclude_none=True),
        )
        with self.database.write() as session:
            session.add(row)
        return row.id

    def save_stop(self, decision: StopDecision, checkin_id: str | None, at: datetime) -> str:
        row = SafetyStopRow(
            id=new_id(),
            profile_id=self.profile_id,
            checkin_id=checkin_id,
            at=at,
            urgency=decision.urgency,
            decision=decision.to_json(),
        )
        with self.database.write() as session:
            session.add(row)
        return row.id

    def stops(self) -> list[dict]:
        query = (
            select(SafetyStopRow)
            .where(SafetyStopRow.profile_id == self.profile_id)
            .order_by(SafetyStopRow.at.desc())
        )
        with self.database.read() as session:
            return [
                {"at": row.at, "urgency": row.urgency, "decision": row.decision}
                for row in session.scalars(query)
            ]

    # --- sessions ----------------------------------------------------------------------
    def create_session(
        self,
        plan: Plan,
        routine: Routine,
        checkin_id: str,
        options: PlanOptions,
        at: datetime,
    ) -> str:
        row = SessionRow(
            id=new_id(),
            profile_id=self.profile_id,
            checkin_id=checkin_id,
            created_at=at,
            routine_id=routine.id,
            routine_version=routine.version,
            routine=routine.model_dump(mode="json", exclude_none=True),
            plan=plan.to_json(),
            seed=options.seed,
            randomise_first_side=options.randomise_first_side,
            status="planned",
        )
        with self.database.write() as session:
            session.add(row)
        return row.id

    def session(self, session_id: str) -> SessionRecord:
        """One session, whole; one read before lets this fetch only what came since."""
        known = self._recent.get(session_id)
        with self.database.read() as session:
            if known is not None:
                known = self._newer(session, known)
            else:
                row = session.get(SessionRow, session_id, options=[WITHOUT_ROUTINE])
                if row is None or row.profile_id != self.profile_id:
                    raise KeyError(session_id)
                known = self._loaded(session, [row])[0]
        self._recent.keep(known)
        return known.record

    def _newer(self, session: Session, known: Known) -> Known:
        """``known`` brought up to date in one query: later events, the morning answer."""
        session_id = known.record.id
        rows = session.execute(
            SINCE_LAST_READ,
            {"session_id": session_id, "profile_id": self.profile_id, "after": known.last_seq},
        ).all()
        if not rows:
            self._recent.forget(session_id)
            raise KeyError(session_id)
        first = rows[0]
        morning = None if first.settled is None else MorningAnswer(
            first.settled, first.pain, first.answered_at
        )  # fmt: skip
        added = tuple(Event.from_stored(row.event) for row in rows if row.seq is not None)
        last_seq = rows[-1].seq if added else known.last_seq
        return Known(known.record.extended(added, morning), last_seq)

    def sessions(
        self, limit: int | None = None, status: str | None = None, since: datetime | None = None
    ) -> list[SessionRecord]:
        """Newest first; ``since`` keeps those created at or after that moment."""
        query = (
            select(SessionRow)
            .options(WITHOUT_ROUTINE)
            .where(SessionRow.profile_id == self.profile_id)
            .order_by(SessionRow.created_at.desc(), SessionRow.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(SessionRow.status == status)
        if since is not None:
            query = query.where(SessionRow.created_at >= since)
        with self.database.read() as session:
            return self._records(session, list(session.scalars(query)))

    def latest_unfinished(self) -> SessionRecord | None:
        query = (
            select(SessionRow)
            .where(
                SessionRow.profile_id == self.profile_id,
                SessionRow.status.in_(("planned", "running")),
            )
            .order_by(SessionRow.created_at.desc())
            .limit(1)
        )
        with self.database.read() as session:
            row = session.scalars(query).first()
            return self._record(session, row) if row else None

    def _record(self, session: Session, row: SessionRow) -> SessionRecord:
        return self._records(session, [row])[0]

    def _records(self, session: Session, rows: list[SessionRow]) -> list[SessionRecord]:
        return [known.record for known in self._loaded(session, rows)]

    def _loaded(self, session: Session, rows: list[SessionRow]) -> list[Known]:
        """Records for many rows in a few queries in all, not three more per session (a
        report reads hundreds of sessions; on a server database each query is a round trip)."""
        events: dict[str, list[dict]] = defaultdict(list)
        last_seq: dict[str, int] = {}
        checkins: dict[str, CheckInRow] = {}
        mornings: dict[str, MorningAnswerRow] = {}
        for ids in _chunks([row.id for row in rows]):
            for session_id, seq, event in session.execute(
                select(EventRow.session_id, EventRow.seq, EventRow.event)
                .where(EventRow.session_id.in_(ids))
                .order_by(EventRow.session_id, EventRow.seq)
            ):
                events[session_id].append(event)
                last_seq[session_id] = seq
            answers = select(MorningAnswerRow).where(MorningAnswerRow.session_id.in_(ids))
            mornings.update((answer.session_id, answer) for answer in session.scalars(answers))
        for ids in _chunks([row.checkin_id for row in rows]):
            found = select(CheckInRow).where(CheckInRow.id.in_(ids))
            checkins.update((checkin.id, checkin) for checkin in session.scalars(found))
        return [
            Known(
                SessionRecord(
                    id=row.id,
                    created_at=row.created_at,
                    plan=Plan.from_json(row.plan),
                    checkin=CheckIn.model_validate(checkins[row.checkin_id].answers),
                    events=tuple(Event.from_stored(event) for event in events[row.id]),
                    morning=_morning(mornings.get(row.id)),
                    first_side_randomised=row.randomise_first_side,
                ),
                last_seq.get(row.id, 0),
            )
            for row in rows
        ]

    # --- after the session -------------------------------------------------------------
    def save_morning_answer(self, session_id: str, answer: MorningAnswer) -> None:
        """One answer per session; answering again replaces it."""
        profile_id = self.profile_id
        with self.database.write() as session:
            row = session.get(SessionRow, session_id)
            if row is None or row.profile_id != profile_id:
                raise KeyError(session_id)
            existing = session.get(MorningAnswerRow, session_id)
            if existing is None:
                session.add(MorningAnswerRow(
                    session_id=session_id, profile_id=profile_id,
                    answered_at=answer.answered_at, settled=answer.settled, pain=answer.pain,
                ))  # fmt: skip
            else:
                existing.answered_at = answer.answered_at
                existing.settled, existing.pain = answer.settled, answer.pain

    def session_ids(self) -> set[str]:
        """Every session's id, without loading (or replaying) the sessions themselves."""
        query = select(SessionRow.id).where(SessionRow.profile_id == self.profile_id)
        with self.database.read() as session:
            return set(session.scalars(query))

    def sessions_noted(self, prefix: str) -> set[str]:
        """Ids of the sessions that carry a note starting with ``prefix``."""
        query = select(NoteRow.session_id).where(
            NoteRow.profile_id == self.profile_id,
            NoteRow.session_id.is_not(None),
            NoteRow.text.startswith(prefix, autoescape=True),
        )
        with self.database.read() as session:
            return set(session.scalars(query))

    def add_note(self, text: str, at: datetime, session_id: str | None = None) -> str:
        row = NoteRow(
            id=new_id(), profile_id=self.profile_id, session_id=session_id, at=at, text=text
        )
        with self.database.write() as session:
            session.add(row)
        return row.id

    # --- the person's own routines -----------------------------------------------------
    def routines(self) -> list[StoredRoutine]:
        query = (
            select(UserRoutineRow)
            .where(UserRoutineRow.profile_id == self.profile_id)
            .order_by(UserRoutineRow.routine_id)
        )
        with self.database.read() as session:
            return [
                StoredRoutine(row.routine_id, row.file_name, row.source, row.added_at)
                for row in session.scalars(query)
            ]

    def save_routine(
        self, routine_id: str, file_name: str, source: str, at: datetime, replace: bool
    ) -> bool:
        """Add (or, with ``replace``, overwrite) a routine; False if it exists and not replace."""
        profile_id = self.profile_id
        with self.database.write() as session:
            existing = session.scalars(
                select(UserRoutineRow).where(
                    UserRoutineRow.profile_id == profile_id,
                    UserRoutineRow.routine_id == routine_id,
                )
            ).first()
            if existing is not None and not replace:
                return False
            if existing is None:
                session.add(UserRoutineRow(
                    id=new_id(), profile_id=profile_id, routine_id=routine_id,
                    file_name=file_name, source=source, added_at=at,
                ))  # fmt: skip
            else:
                existing.file_name, existing.source, existing.added_at = file_name, source, at
        return True

    # --- the person's right to leave ---------------------------------------------------
    def delete_profile(self) -> dict[str, int]:
        """Every row of this profile, then the profile; returns how many rows per table."""
        counts: dict[str, int] = {}
        profile_id = self.profile_id
        with self.database.write() as session:
            sessions = select(SessionRow.id).where(SessionRow.profile_id == profile_id)
            events = select(EventRow.id).where(EventRow.session_id.in_(sessions))
            for table in PROFILE_TABLES:
                if table in (AssessmentRow, PainReportRow):
                    condition = table.session_id.in_(sessions)
                elif table is EventRow:
                    condition = EventRow.id.in_(events)
                else:
                    condition = table.profile_id == profile_id
                result = session.execute(delete(table).where(condition))
                counts[table.__tablename__] = result.rowcount
            result = session.execute(delete(ProfileRow).where(ProfileRow.id == profile_id))
            counts[ProfileRow.__tablename__] = result.rowcount
        self.forget_profile()
        return counts


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    """Ids in groups small enough for one IN list on any database."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]


def _morning(row: MorningAnswerRow | None) -> MorningAnswer | None:
    return MorningAnswer(row.settled, row.pain, row.answered_at) if row else None


def _now() -> datetime:
    return datetime.now(UTC)
