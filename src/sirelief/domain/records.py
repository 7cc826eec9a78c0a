"""What is kept of a session, and what each recorded event establishes.

Storage returns these; the session state is always ``replay(record.plan, record.events)``,
so what is shown after a crash is exactly what was recorded.
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

from sirelief.domain.checkin import CheckIn
from sirelief.domain.monitoring import PastSession
from sirelief.domain.plan import Plan
from sirelief.domain.session import Assessment, Event, SessionState, apply, replay

SessionStatus = Literal["planned", "running", "completed", "stopped", "abandoned"]


@dataclass(frozen=True)
class MorningAnswer:
    """The next-morning answer (SPEC 5): did the pain settle, and how much is there now."""

    settled: bool
    pain: int | None
    answered_at: datetime


@dataclass(frozen=True)
class SessionRecord:
    id: str
    created_at: datetime
    plan: Plan
    checkin: CheckIn
    events: tuple[Event, ...]
    morning: MorningAnswer | None = None
    first_side_randomised: bool = False
    """The first side was drawn at random rather than chosen as the tighter (SPEC 6)."""

    @cached_property
    def state(self) -> SessionState:
        """Replayed once per record: the record is frozen, so the state cannot go stale."""
        return replay(self.plan, list(self.events))

    def extended(self, events: tuple[Event, ...], morning: MorningAnswer | None) -> "SessionRecord":
        """This record with later ``events`` appended and ``morning`` as it is now.

        Only the new events are folded into the state already replayed, so reading a
        long session again costs what was added, not the whole session.
        """
        later = replace(self, events=self.events + events, morning=morning)
        state = self.state
        for event in events:
            state = apply(state, event)
        later.__dict__["state"] = state  # what replaying every event would give
        return later

    @property
    def status(self) -> str:
        """How far the session got: planned, running, or how it ended (completed, stopped,
        abandoned)."""
        return self.state.ended or ("running" if self.events else "planned")

    @property
    def last_active(self) -> datetime:
        """When anything last happened in this session: its planning or its latest event
        (event times are seconds on the session clock, which is the wall clock at speed 1)."""
        latest = max((event.at for event in self.events), default=None)
        if latest is None:
            return self.created_at
        try:
            return max(self.created_at, datetime.fromtimestamp(latest, UTC))
        except (OverflowError, OSError, ValueError):
            return self.created_at  # an old row with a time no calendar holds

    def past(self) -> PastSession:
        """What the pain-monitoring model needs from this session."""
        settled = self.morning.settled if self.morning else None
        return PastSession(self.state.max_pain, settled)


@dataclass(frozen=True)
class PainReport:
    at: float
    pain: int
    step: int | None
    source: Literal["assessment", "too_much"]


@dataclass(frozen=True)
class EventFacts:
    """What an accepted event added: derived rows stored in the same transaction."""

    assessment: Assessment | None = None
    pain_report: PainReport | None = None
    status: SessionStatus | None = None


def facts_of(before: SessionState, after: SessionState, event: Event) -> EventFacts:
    """Compare the state before and after an event (a duplicate or stale event adds none).

    >>> from sirelief.domain.plan import Plan
    >>> plan = Plan("r", 1, "R", (), 10, True, None, None, 0)
    >>> facts_of(replay(plan, []), replay(plan, []), Event(id="x", at=0, kind="pause"))
    EventFacts(assessment=None, pain_report=None, status=None)
    """
    assessment = after.assessments[-1] if len(after.assessments) > len(before.assessments) else None
    pain_report = None
    if len(after.pain_reports) > len(before.pain_reports):
        at, pain, step = after.pain_reports[-1]
        source = "assessment" if event.kind == "assessment" else "too_much"
        pain_report = PainReport(at, pain, step, source)
    status: SessionStatus | None = None
    if after.ended is not None and before.ended is None:
        status = after.ended
    elif before.started_at is None and after.started_at is not None:
        status = "running"
    return EventFacts(assessment, pain_report, status)
