"""Use cases for running a session: start one from a check-in, record, resume, finish.

Shared by the terminal and the web app. Every event is committed to the database before
it is shown as done, so a crash, a closed tab or a killed server loses nothing recorded.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sirelief.domain.checkin import CheckIn
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import MorningAnswer, SessionRecord, facts_of
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event, SessionState, apply, replay
from sirelief.services.errors import ServiceError
from sirelief.services.planning import Planning
from sirelief.storage.checkin_store import CheckInStore
from sirelief.storage.event_store import EventIdTakenError
from sirelief.storage.session_log import SessionLog

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

    def record(self, event: Event) -> SessionState:
        """Commit first, then fold: the state never shows what is not on disk.

        Recording an event id that is already stored changes nothing (a retry is safe).
        """
        after = apply(self.state, event)
        self.log.append_event(self.session_id, event, facts_of(self.state, after, event))
        self.state = after
        return self.state


@dataclass
class BatchOutcome:
    """What became of a batch: the ids now stored in the session, and those refused."""

    running: RunningSession
    recorded: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)


def new_event_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Sessions:
    log: SessionLog
    checkins: CheckInStore
    planning: Planning
    clock: Callable[[], datetime]

    def history(self) -> tuple:
        """Recent finished sessions, newest first, as the dose model reads them."""
        return tuple(
            record.past()
            for record in self.log.sessions(limit=HISTORY_FOR_DOSING)
            if record.state.ended is not None
        )

    def start(
        self, checkin: CheckIn, routine_id: str | None, options: PlanOptions
    ) -> RunningSession | StopDecision:
        """Screen and plan, then keep the check-in and the plan exactly as planned.

        Planning comes first: a check-in it refuses (an unknown routine, nothing left to
        do) is answered with an error and leaves nothing stored (found by ``make fuzz``).
        """
        result, routine = self.planning.plan_routine(checkin, routine_id, options, self.history())
        now = self.clock()
        checkin_id = self.checkins.save_checkin(checkin, now)
        if isinstance(result, StopDecision) or routine is None:
            self.checkins.save_stop(result, checkin_id, now)
            return result
        session_id = self.log.create_session(result, routine, checkin_id, options, now)
        return RunningSession(self.log, session_id, result, checkin, replay(result, []), now)

    def record_stop(self, decision: StopDecision) -> None:
        """A red flag answered before any check-in (the terminal asks those first)."""
        self.checkins.save_stop(decision, None, self.clock())

    def open(self, record: SessionRecord) -> RunningSession:
        return RunningSession(
            self.log, record.id, record.plan, record.checkin, record.state, record.created_at
        )

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

    def latest_unfinished(self) -> RunningSession:
        record = self.log.latest_unfinished()
        if record is None:
            raise ServiceError("no unfinished session to resume; start one with: sirelief session")
        return self.open(record)

    def unfinished(self) -> RunningSession | None:
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
                running.record(event)
            except EventIdTakenError as error:
                outcome.refused.append({"id": event.id, "error": str(error)})
            else:
                outcome.recorded.append(event.id)
        return outcome

    def morning_question_due(self) -> SessionRecord | None:
        """The last finished session from before today with no next-morning answer yet.

        Asked the morning after (SPEC 5); after two days the answer would be a guess.
        """
        today = self.clock().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
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
