"""The session log: sessions as planned, their events (``event_store``), the morning answer
after each and the notes on them, read back whole as ``SessionRecord``s.

A session read before is kept (``recent_sessions``), so reading it again fetches only what
was added since.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, bindparam, func, select

from sirelief.domain.checkin import CheckIn
from sirelief.domain.notes import Note
from sirelief.domain.plan import Plan, StepsRead
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import MorningAnswer, SessionRecord
from sirelief.domain.routine import Routine
from sirelief.storage.database import Transaction, in_lists
from sirelief.storage.event_store import EventWriter
from sirelief.storage.recent_sessions import Known, RecentSessions
from sirelief.storage.schema import (
    CheckInRow,
    EventRow,
    MorningAnswerRow,
    NoteRow,
    ReviewAdviceRow,
    SessionRow,
)
from sirelief.storage.store import Store, StorePart, new_id, ordered_id
from sirelief.storage.stored_json import as_text, decoded, stored_events

SESSION_COLUMNS = select(
    SessionRow.id, SessionRow.created_at, SessionRow.checkin_id,
    SessionRow.randomise_first_side, as_text(SessionRow.plan, "plan"),
)  # fmt: skip
"""What a record is built from: columns, not ORM objects, and the plan as its text (a
session read back never needs the routine copy kept for history)."""

SINCE_LAST_READ = (
    select(
        EventRow.seq, as_text(EventRow.event, "event"), MorningAnswerRow.settled,
        MorningAnswerRow.pain, MorningAnswerRow.answered_at,
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


class SessionLog(StorePart, EventWriter):
    """One profile's sessions, from plan to morning answer."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self._recent = RecentSessions()
        store.when_forgotten(self._forget_recent)

    def _forget_recent(self) -> None:
        self._recent.forget()

    def create_session(
        self,
        plan: Plan,
        routine: Routine,
        checkin_id: str,
        options: PlanOptions,
        at: datetime,
        review_advised: Sequence[str] = (),
    ) -> str:
        """The session as planned and the review flags its plan advised, in one transaction."""
        session = SessionRow(
            id=new_id(), profile_id=self.profile_id, checkin_id=checkin_id, created_at=at,
            routine_id=routine.id, routine_version=routine.version,
            routine=routine.model_dump(mode="json", exclude_none=True), plan=plan.to_json(),
            seed=options.seed, randomise_first_side=options.randomise_first_side,
            status="planned",
        )  # fmt: skip
        with self.database.write() as tx:
            tx.add(session)
            tx.flush()  # the session first: the advice refers to it
            tx.add_all(
                ReviewAdviceRow(id=new_id(), profile_id=session.profile_id,
                                session_id=session.id, flag_id=flag_id, advised_at=at)
                for flag_id in review_advised
            )  # fmt: skip
        return session.id

    def session(self, session_id: str) -> SessionRecord:
        """One session, whole; one read before lets this fetch only what came since."""
        known = self._recent.get(session_id)
        with self.database.read() as tx:
            if known is not None:
                known = self._newer(tx, known)
            else:
                row = tx.execute(SESSION_COLUMNS.where(
                    SessionRow.id == session_id, SessionRow.profile_id == self.profile_id
                )).first()  # fmt: skip
                if row is None:
                    raise KeyError(session_id)
                known = self._loaded(tx, [row])[0]
        self._recent.keep(known)
        return known.record

    def _newer(self, tx: Transaction, known: Known) -> Known:
        """``known`` brought up to date in one query: later events, the morning answer."""
        session_id = known.record.id
        rows = tx.execute(
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
        added = stored_events([row.event for row in rows if row.seq is not None])
        last_seq = rows[-1].seq if added else known.last_seq
        return Known(known.record.extended(added, morning), last_seq)

    def sessions(
        self, limit: int | None = None, status: str | None = None, since: datetime | None = None
    ) -> list[SessionRecord]:
        """Newest first; ``since`` keeps those created at or after that moment."""
        query = (
            SESSION_COLUMNS.where(SessionRow.profile_id == self.profile_id)
            .order_by(SessionRow.created_at.desc(), SessionRow.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(SessionRow.status == status)
        if since is not None:
            query = query.where(SessionRow.created_at >= since)
        with self.database.read() as tx:
            return self._records(tx, tx.execute(query).all())

    def versions(self, since: datetime) -> tuple[tuple, ...]:
        """What tells whether the sessions created since ``since`` read back the same as
        before, newest first: per session its id, its last event's ``seq`` and its morning
        answer. A record changes only through these (plan and check-in are fixed, events
        are only appended), so equal versions mean equal records, whoever wrote them."""
        last_seq = (
            select(func.max(EventRow.seq))
            .where(EventRow.session_id == SessionRow.id)
            .correlate(SessionRow)
            .scalar_subquery()
        )
        query = (
            select(SessionRow.id, last_seq, MorningAnswerRow.answered_at,
                   MorningAnswerRow.settled, MorningAnswerRow.pain)
            .outerjoin(MorningAnswerRow, MorningAnswerRow.session_id == SessionRow.id)
            .where(SessionRow.profile_id == self.profile_id, SessionRow.created_at >= since)
            .order_by(SessionRow.created_at.desc(), SessionRow.id)
        )  # fmt: skip
        with self.database.read() as tx:
            return tuple(tuple(row) for row in tx.connection().execute(query))

    def unfinished(self) -> list[SessionRecord]:
        """Every session planned or started and not yet ended, newest first."""
        query = SESSION_COLUMNS.where(
            SessionRow.profile_id == self.profile_id,
            SessionRow.status.in_(("planned", "running")),
        ).order_by(SessionRow.created_at.desc())
        with self.database.read() as tx:
            return self._records(tx, tx.execute(query).all())

    def latest_unfinished(self) -> SessionRecord | None:
        query = (
            SESSION_COLUMNS.where(
                SessionRow.profile_id == self.profile_id,
                SessionRow.status.in_(("planned", "running")),
            )
            .order_by(SessionRow.created_at.desc())
            .limit(1)
        )
        with self.database.read() as tx:
            row = tx.execute(query).first()
            return self._records(tx, [row])[0] if row else None

    def _records(self, tx: Transaction, rows: Sequence[Row]) -> list[SessionRecord]:
        return [known.record for known in self._loaded(tx, rows)]

    def _loaded(self, tx: Transaction, rows: Sequence[Row]) -> list[Known]:
        """Records for many rows (``SESSION_COLUMNS``) in a few queries in all, not three
        more per session (a report reads hundreds of sessions; on a server database each
        query is a round trip)."""
        events: dict[str, list[str]] = defaultdict(list)
        last_seq: dict[str, int] = {}
        checkins: dict[str, dict] = {}
        mornings: dict[str, MorningAnswerRow] = {}
        for ids in in_lists([row.id for row in rows]):
            for session_id, seq, event in tx.execute(
                select(EventRow.session_id, EventRow.seq, as_text(EventRow.event, "event"))
                .where(EventRow.session_id.in_(ids))
                .order_by(EventRow.session_id, EventRow.seq)
            ):
                events[session_id].append(event)
                last_seq[session_id] = seq
            answers = select(MorningAnswerRow).where(MorningAnswerRow.session_id.in_(ids))
            mornings.update((answer.session_id, answer) for answer in tx.scalars(answers))
        for ids in in_lists([row.checkin_id for row in rows]):
            found = select(CheckInRow.id, CheckInRow.answers).where(CheckInRow.id.in_(ids))
            checkins.update((row.id, row.answers) for row in tx.execute(found))
        steps_read = StepsRead()
        return [
            Known(
                SessionRecord(
                    id=row.id,
                    created_at=row.created_at,
                    plan=Plan.from_json(decoded(row.plan), steps_read),
                    checkin=CheckIn.model_validate(checkins[row.checkin_id]),
                    events=stored_events(events[row.id]),
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
        with self.database.write() as tx:
            row = tx.get(SessionRow, session_id)
            if row is None or row.profile_id != profile_id:
                raise KeyError(session_id)
            existing = tx.get(MorningAnswerRow, session_id)
            if existing is None:
                tx.add(MorningAnswerRow(
                    session_id=session_id, profile_id=profile_id,
                    answered_at=answer.answered_at, settled=answer.settled, pain=answer.pain,
                ))  # fmt: skip
            else:
                existing.answered_at = answer.answered_at
                existing.settled, existing.pain = answer.settled, answer.pain

    def session_ids(self) -> set[str]:
        """Every session's id, without loading (or replaying) the sessions themselves."""
        query = select(SessionRow.id).where(SessionRow.profile_id == self.profile_id)
        with self.database.read() as tx:
            return set(tx.scalars(query))

    def sessions_noted(self, prefix: str) -> set[str]:
        """Ids of the sessions that carry a note starting with ``prefix``."""
        query = select(NoteRow.session_id).where(
            NoteRow.profile_id == self.profile_id,
            NoteRow.session_id.is_not(None),
            NoteRow.text.startswith(prefix, autoescape=True),
        )
        with self.database.read() as tx:
            return set(tx.scalars(query))

    def add_note(
        self,
        text: str,
        at: datetime,
        session_id: str | None = None,
        author_id: str | None = None,
    ) -> str:
        """Keep a note, on one of this person's sessions when ``session_id`` is given
        (``KeyError`` when it is not theirs, checked in the same transaction)."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            if session_id is not None:
                owner = tx.scalar(select(SessionRow.profile_id).where(SessionRow.id == session_id))
                if owner != profile_id:
                    raise KeyError(session_id)
            row = NoteRow(
                id=ordered_id(), profile_id=profile_id, session_id=session_id, at=at, text=text,
                author_account_id=author_id,
            )  # fmt: skip
            tx.add(row)
            return row.id

    def notes_on(self, session_id: str) -> list[Note]:
        """The notes on one session, oldest first."""
        query = (
            select(NoteRow)
            .where(NoteRow.profile_id == self.profile_id, NoteRow.session_id == session_id)
            .order_by(NoteRow.at, NoteRow.id)
        )
        with self.database.read() as tx:
            return [
                Note(row.id, row.session_id, row.at, row.text, row.author_account_id)
                for row in tx.scalars(query)
            ]


def _morning(row: MorningAnswerRow | None) -> MorningAnswer | None:
    return MorningAnswer(row.settled, row.pain, row.answered_at) if row else None
