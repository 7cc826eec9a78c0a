"""Use cases for running a session: start one from a check-in, record, resume, finish.

Shared by the terminal and the web app. Every event is committed to the database before
it is shown as done, so a crash, a closed tab or a killed server loses nothing recorded.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo

from sirelief.domain.checkin import CheckIn
from sirelief.domain.local_time import day_start
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import MorningAnswer, SessionRecord, facts_of
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event, SessionState, apply, left_too_long, replay
from sirelief.services.errors import ServiceError
from sirelief.services.planning import Planned, Planning
from sirelief.storage.checkin_store import CheckInStore
from sirelief.storage.event_store import EventIdTakenError
from sirelief.storage.session_log import SessionLog

ALERTING_EVENTS = frozenset({"too_much", "assessment"})
"""Events whose facts the coaches' alert rules read (services/alerts.py)."""
HISTORY_FOR_DOSING = 10
"""How many recent sessions the pain-monitoring model looks at."""


@dataclass
class RunningSession:
    """A session being run: its id, plan and live state, kept in step with the session log."""

    log: SessionLog
    session_id: str
    plan: Plan
    checkin: CheckIn
    state: SessionState
    created_at: datetime
    after_write: Callable[[], None] = lambda: None
    """Told after an event that may call for a coach's alert (a too-much, a pain score)."""

    def record(self, event: Event, tell: bool = True) -> SessionState:
        """Commit first, then fold: the state never shows what is not on disk.

        Recording an event id that is already stored changes nothing (a retry is safe).
        """
        after = apply(self.state, event)
        self.log.append_event(self.session_id, event, facts_of(self.state, after, event))
        self.state = after
        if tell and event.kind in ALERTING_EVENTS:
            self.after_write()
        return self.state


@dataclass
class BatchOutcome:
    """What became of a batch: the ids now stored in the session, and those refused."""

    running: RunningSession
    recorded: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PastStop:
    """A safety stop as it was said then: Today says it again until a session is planned."""

    at: datetime
    urgency: str
    badge: str
    title: str
    what_to_do: str
    reasons: tuple[str, ...]


def new_event_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Sessions:
    log: SessionLog
    checkins: CheckInStore
    planning: Planning
    clock: Callable[[], datetime]
    after_write: Callable[[], None] = lambda: None
    """Told after each write the coaches' alerts read (clinic mode raises them then)."""
    zone: Callable[[], tzinfo] = lambda: UTC
    """The person's time zone: "this morning" and "today" are theirs."""

    def today(self) -> datetime:
        """Midnight that began the person's today, in their zone."""
        return day_start(self.clock(), self.zone())

    def history(self) -> tuple:
        """Recent finished sessions, newest first, as the dose model reads them."""
        return tuple(
            record.past()
            for record in self.log.sessions(limit=HISTORY_FOR_DOSING)
            if record.state.ended is not None
        )

    def plan(self, checkin: CheckIn, routine_id: str | None, options: PlanOptions) -> Planned:
        """Screen and plan as a session would start now (its history included), keeping
        nothing: ``sirelief plan`` shows the plan the check-in page would start."""
        return self.planning.planned(checkin, routine_id, options, self.history())

    def start(
        self, checkin: CheckIn, routine_id: str | None, options: PlanOptions
    ) -> RunningSession | StopDecision:
        """Screen and plan, then keep the check-in and the plan exactly as planned.

        Planning comes first: a check-in it refuses (an unknown routine, nothing left to
        do) is answered with an error and leaves nothing stored (found by ``make fuzz``).
        """
        planned = self.plan(checkin, routine_id, options)
        result, routine = planned.result, planned.routine
        now = self.clock()
        checkin_id = self.checkins.save_checkin(checkin, now)
        if isinstance(result, StopDecision) or routine is None:
            self.checkins.save_stop(result, checkin_id, now)
            self.after_write()
            return result
        session_id = self.log.create_session(
            result, routine, checkin_id, options, now, planned.review_advised
        )
        self.after_write()
        return self.open_new(session_id, result, checkin, now)

    def open_new(
        self, session_id: str, plan: Plan, checkin: CheckIn, now: datetime
    ) -> RunningSession:
        return RunningSession(
            self.log, session_id, plan, checkin, replay(plan, []), now, self.after_write
        )

    def record_stop(self, decision: StopDecision) -> None:
        """A red flag answered before any check-in (the terminal asks those first)."""
        self.checkins.save_stop(decision, None, self.clock())
        self.after_write()

    def open(self, record: SessionRecord) -> RunningSession:
        return RunningSession(
            self.log,
            record.id,
            record.plan,
            record.checkin,
            record.state,
            record.created_at,
            self.after_write,
        )

    def stop_since_last_session(self) -> PastStop | None:
        """The latest safety stop when no session has been planned since it.

        A stop's advice (call for help, see a clinician today) outlasts the page that gave
        it: a person who closed that page is told again the next time they open Today.
        """
        stops = self.checkins.stops()
        if not stops:
            return None
        latest = self.log.sessions(limit=1)
        if latest and latest[0].created_at >= stops[0]["at"]:
            return None
        said = stops[0]["decision"]
        return PastStop(
            at=stops[0]["at"], urgency=stops[0]["urgency"], badge=said.get("badge", ""),
            title=said.get("title", ""), what_to_do=said.get("what_to_do", ""),
            reasons=tuple(said.get("reasons", ())),
        )  # fmt: skip

    def record_of(self, session_id: str) -> SessionRecord:
        """The stored session with every event recorded so far."""
        try:
            return self.log.session(session_id)
        except KeyError:
            raise ServiceError(
                f"no session '{session_id}'; see your sessions with: sirelief history"
            ) from None

    def load(self, session_id: str) -> RunningSession:
        return self.open(self.record_of(session_id))

    def close_abandoned(self) -> list[str]:
        """Close every open session nobody has touched for 12 hours, as abandoned.

        An "abandon" event is recorded, so the history keeps the session and all that was
        done in it; nothing is deleted. Asked before any "pick up where you left off".
        """
        now = self.clock()
        closed = []
        for record in self.log.unfinished():
            if left_too_long(record.last_active, now):
                event = Event(id=new_event_id(), at=now.timestamp(), kind="abandon")
                self.open(record).record(event)
                closed.append(record.id)
        return closed

    def latest_unfinished(self) -> RunningSession:
        self.close_abandoned()
        record = self.log.latest_unfinished()
        if record is None:
            raise ServiceError("no unfinished session to resume; start one with: sirelief session")
        return self.open(record)

    def unfinished(self) -> RunningSession | None:
        self.close_abandoned()
        record = self.log.latest_unfinished()
        return self.open(record) if record else None

    def record_all(self, session_id: str, events: list[Event]) -> BatchOutcome:
        """Record events sent together (a browser's queue), in order; repeats are ignored.

        An event whose id another session holds is refused (and named), the rest recorded.
        """
        running = self.load(session_id)
        outcome = BatchOutcome(running)
        for event in events:
            try:
                running.record(event, tell=False)  # told once, after the batch
            except EventIdTakenError as error:
                outcome.refused.append({"id": event.id, "error": str(error)})
            else:
                outcome.recorded.append(event.id)
        if any(event.kind in ALERTING_EVENTS for event in events):
            self.after_write()
        return outcome

    def morning_question_due(self) -> SessionRecord | None:
        """The last finished session from before today with no next-morning answer yet.

        Asked the morning after (SPEC 5); after two days the answer would be a guess.
        """
        today = self.today()
        for record in self.log.sessions(limit=5):
            if record.created_at >= today:
                continue
            if record.created_at < today - timedelta(days=2):
                return None
            if record.state.ended is None:
                continue  # abandoned half-way: nothing to ask about
            return record if record.morning is None else None
        return None

    def answer_morning(self, session_id: str, settled: bool, pain: int | None) -> None:
        """How the session settled by the next morning, answered now."""
        answer = MorningAnswer(settled=settled, pain=pain, answered_at=self.clock())
        try:
            self.log.save_morning_answer(session_id, answer)
        except KeyError:
            raise ServiceError(f"no session '{session_id}'") from None
        self.after_write()
