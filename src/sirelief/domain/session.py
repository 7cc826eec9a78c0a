"""The session engine: a plan run step by step, as a fold over recorded events.

Every action (start, pause, skip, a rating, "too much") is an ``Event`` with a unique id
and a time. The state is ``replay(plan, events)``: rebuilding it after a crash gives
exactly the state that was live. Replaying an event id twice changes nothing. Time comes
in with each event or call; nothing here reads a clock.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from sirelief.domain.checkin import KneeToWall, Rating, SideRatings
from sirelief.domain.inclinometer import KneeToWallAngle
from sirelief.domain.model_base import Record
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.too_much import Choice, Symptom, choices_for, gentler_seconds
from sirelief.domain.vocabulary import AssessmentPoint, RatingRegion

EventKind = Literal[
    "start", "complete", "skip", "back", "pause", "resume", "restart",
    "assessment", "too_much", "too_much_choice", "end", "abandon",
]  # fmt: skip
Phase = Literal[
    "get_ready", "work", "switch_side", "rest", "assessment", "too_much", "paused", "done"
]
EventId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="1 to 64 letters, digits, '_' or '-' (the outbox sends 32 hex digits)",
    ),
]
"""An event's own id: short and plain, so it fits the key column and any URL or log line."""
SessionSeconds = Annotated[float, Field(allow_inf_nan=False)]
"""Seconds on the session clock: always a finite number (infinity would stop every timer)."""


class Event(Record):
    """One recorded action. ``step`` pins it to the step it was meant for."""

    id: EventId
    at: SessionSeconds
    kind: EventKind
    step: int | None = None
    ratings: dict[RatingRegion, SideRatings] | None = None
    pain: Rating | None = None
    knee_to_wall: KneeToWall | None = None
    knee_to_wall_deg: KneeToWallAngle | None = None
    symptom: Symptom | None = None
    choice: Choice | None = None
    changed_most: RatingRegion | Literal["none"] | None = None
    """At the mid check: the area that changed most on the side just worked ("none": no
    clear difference). Optional; kept only for a region the check rated."""

    @classmethod
    def from_stored(cls, data: dict) -> "Event":
        """An event as stored. Rows kept before ids and times were checked may hold an id
        or a time the model now refuses; those are read back as they were, so an old
        history still replays exactly (and the export shows them, for the import to
        refuse by name)."""
        try:
            return cls.model_validate(data)
        except ValidationError:
            if not (isinstance(data.get("id"), str) and isinstance(data.get("at"), float)):
                raise
            checked = cls.model_validate({**data, "id": "stored", "at": 0.0})
            return checked.model_copy(update={"id": data["id"], "at": data["at"]})


@dataclass(frozen=True)
class Assessment:
    point: AssessmentPoint
    ratings: dict[str, SideRatings]
    pain: int | None
    knee_to_wall: KneeToWall | None
    at: float
    changed_most: str | None = None
    """The mid check's answer to "which area changed most" (a region or "none")."""
    knee_to_wall_deg: KneeToWallAngle | None = None
    """The knee-to-wall test as the phone measured it, in degrees from vertical."""


@dataclass(frozen=True)
class SessionState:
    plan: Plan
    index: int = 0
    started_at: float | None = None
    step_started_at: float | None = None
    paused_at: float | None = None
    paused_s: float = 0.0
    """Time paused within the current step."""
    too_much: Event | None = None
    gentler: frozenset[str] = frozenset()
    """Exercise ids now done the gentler way for the rest of the session."""
    skipped: tuple[int, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    pain_reports: tuple[tuple[float, int, int | None], ...] = ()
    """(time, pain 0-10, step index) from "too much" and assessments."""
    ended: Literal["completed", "stopped", "abandoned"] | None = None
    seen: frozenset[str] = field(default=frozenset(), repr=False)

    # --- reading the state -------------------------------------------------------------
    @property
    def step(self) -> PlanStep | None:
        steps = self.plan.steps
        return steps[self.index] if self.ended is None and self.index < len(steps) else None

    @property
    def next_step(self) -> PlanStep | None:
        later = self.plan.steps[self.index + 1 :]
        return next((s for s in later if s.kind != "rest"), None)

    def duration_s(self, index: int | None = None) -> int:
        """The step's length, shorter when its exercise is being done the gentler way."""
        step = self.plan.steps[self.index if index is None else index]
        if step.exercise_id in self.gentler and step.kind == "exercise" and not step.reps:
            return gentler_seconds(step.duration_s)
        return step.duration_s

    @property
    def phase(self) -> Phase:
        if self.ended is not None or self.step is None:
            return "done"
        if self.too_much is not None:
            return "too_much"
        if self.paused_at is not None:
            return "paused"
        if self.started_at is None:
            return "get_ready"
        step = self.step
        if step.kind == "transition":
            return "switch_side" if step.switches_side else "get_ready"
        return {"exercise": "work", "rest": "rest", "assessment": "assessment"}[step.kind]

    def elapsed_s(self, now: float) -> float:
        """Seconds of the current step done, not counting pauses."""
        if self.step_started_at is None:
            return 0.0
        until = (
            self.paused_at
            if self.paused_at is not None
            else (self.too_much.at if self.too_much is not None else now)
        )
        return max(0.0, until - self.step_started_at - self.paused_s)

    def remaining_s(self, now: float) -> float:
        return max(0.0, self.duration_s() - self.elapsed_s(now))

    def deadline(self) -> float | None:
        """When the running timed step ends (None if paused, untimed or not started)."""
        step = self.step
        if (
            step is None
            or self.step_started_at is None
            or self.paused_at is not None
            or self.too_much is not None
            or step.kind == "assessment"
            or step.reps
        ):
            return None
        return self.step_started_at + self.paused_s + self.duration_s()

    def current_cue(self, now: float) -> str | None:
        step = self.step
        if step is None or not step.cues:
            return None
        elapsed = self.elapsed_s(now)
        scale = self.duration_s() / step.duration_s
        said = [cue.say for cue in step.cues if cue.at_s * scale <= elapsed]
        return said[-1] if said else None

    @property
    def max_pain(self) -> int | None:
        return max((pain for _, pain, _ in self.pain_reports), default=None)


def _changed(state: SessionState, **changes: Any) -> SessionState:
    """``dataclasses.replace`` without its walk over the fields on every call: replay makes
    one new state per event, and that walk was most of the replay's time (issue 21 item
    3). ``SessionState`` has no ``__post_init__`` and nothing derived is stored on it, so
    its attributes copied with the changes make exactly the state ``replace`` would."""
    new = object.__new__(SessionState)
    new.__dict__.update(state.__dict__, **changes)
    return new


def replay(plan: Plan, events: list[Event]) -> SessionState:
    """The state after ``events``, in order. Unknown-order duplicates are ignored by id.

    The same fold as ``apply`` event by event, with the ids gathered in one set instead of
    a new frozenset per event: rebuilding a session on every request stays linear. The
    states made here are seen by nothing else until the last, so a "complete" (nine
    events in ten) moves the state on in place, as ``_complete`` would, instead of copying
    it (a two-year report replays some 15,000: issue 21).
    """
    state = SessionState(plan)
    steps = len(plan.steps)
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            continue
        seen.add(event.id)
        if not _counts(state, event):
            continue
        if event.kind == "complete":
            index = state.index + 1
            state.__dict__.update(
                index=index, step_started_at=event.at, paused_at=None, paused_s=0.0,
                too_much=None, ended="completed" if index >= steps else None,
            )  # fmt: skip
        else:
            state = _HANDLERS[event.kind](state, event)
    return _changed(state, seen=frozenset(seen))


def _counts(state: SessionState, event: Event) -> bool:
    """A new event changes the state unless the session ended or it is for another step."""
    if state.ended is not None:
        return False
    return event.step is None or event.step == state.index  # else e.g. a double tap


def apply(state: SessionState, event: Event) -> SessionState:
    """One event folded in. Duplicate ids and stale events leave the state unchanged."""
    if event.id in state.seen:
        return state
    state = _changed(state, seen=state.seen | {event.id})
    return _HANDLERS[event.kind](state, event) if _counts(state, event) else state


def _move_to(state: SessionState, index: int, at: float, skipped: bool = False) -> SessionState:
    done = index >= len(state.plan.steps)
    return _changed(
        state, index=index, step_started_at=at, paused_at=None, paused_s=0.0, too_much=None,
        skipped=state.skipped + ((state.index,) if skipped else ()),
        ended="completed" if done else None,
    )  # fmt: skip


def _start(state: SessionState, event: Event) -> SessionState:
    if state.started_at is not None:
        return state
    return _changed(state, started_at=event.at, step_started_at=event.at)


def _complete(state: SessionState, event: Event) -> SessionState:
    return _move_to(state, state.index + 1, event.at)


def _skip(state: SessionState, event: Event) -> SessionState:
    return _move_to(state, state.index + 1, event.at, skipped=True)


def _back(state: SessionState, event: Event) -> SessionState:
    index = state.index - 1
    while index > 0 and state.plan.steps[index].kind == "rest":
        index -= 1
    return _move_to(state, max(index, 0), event.at)


def _pause(state: SessionState, event: Event) -> SessionState:
    return state if state.paused_at is not None else _changed(state, paused_at=event.at)


def _resume(state: SessionState, event: Event) -> SessionState:
    if state.paused_at is None:
        return state
    return _changed(state, paused_s=state.paused_s + event.at - state.paused_at, paused_at=None)


def _restart(state: SessionState, event: Event) -> SessionState:
    """After an interruption (a crash, a closed tab): the current step starts over."""
    return _changed(state, step_started_at=event.at, paused_at=None, paused_s=0.0, too_much=None)


def _assessment(state: SessionState, event: Event) -> SessionState:
    step = state.step
    if step is None or step.assessment is None or event.ratings is None:
        return state
    point = step.assessment
    asked = point.assess == "mid" and event.changed_most in (*point.ratings, "none")
    record = Assessment(
        point.assess, dict(event.ratings), event.pain, event.knee_to_wall, event.at,
        changed_most=event.changed_most if asked else None,
        knee_to_wall_deg=event.knee_to_wall_deg,
    )  # fmt: skip
    pains = ((event.at, event.pain, state.index),) if event.pain is not None else ()
    state = _changed(
        state, assessments=(*state.assessments, record), pain_reports=state.pain_reports + pains
    )
    return _move_to(state, state.index + 1, event.at)


def _too_much(state: SessionState, event: Event) -> SessionState:
    if state.too_much is not None or event.pain is None:
        return state
    state = _changed(state, pain_reports=(*state.pain_reports, (event.at, event.pain, state.index)))
    return _changed(state, too_much=event)


def _too_much_choice(state: SessionState, event: Event) -> SessionState:
    """ "gentler" after numbness, tingling or shooting pain was never offered: it changes
    nothing, and the choices stay open."""
    if state.too_much is None or (
        event.choice == "gentler" and "gentler" not in choices_for(state.too_much.symptom)
    ):
        return state
    step = state.step
    if event.choice == "end":
        return _changed(state, too_much=None, ended="stopped")
    if event.choice == "gentler" and step is not None and step.exercise_id:
        state = _changed(state, gentler=state.gentler | {step.exercise_id})
        return _restart(state, event)
    return _move_to(state, _after_exercise(state), event.at, skipped=True)


def _after_exercise(state: SessionState) -> int:
    """Index of the first step after this exercise on this side (its sets and rests)."""
    current = state.plan.steps[state.index]
    index = state.index + 1
    steps = state.plan.steps
    while (
        index < len(steps)
        and steps[index].kind in ("exercise", "rest")
        and (steps[index].exercise_id == current.exercise_id and steps[index].side == current.side)
    ):
        index += 1
    return index


def _end(state: SessionState, event: Event) -> SessionState:
    return _changed(state, ended="stopped", too_much=None)


def _abandon(state: SessionState, event: Event) -> SessionState:
    """Closed because nobody came back to it (see ``left_too_long``), not by the person."""
    return _changed(state, ended="abandoned", too_much=None)


ABANDONED_AFTER = timedelta(hours=12)
"""A session left open this long since anything was done in it was left, not paused: no
routine lasts half a day, and an open session keeps asking to be picked up on Today."""


def left_too_long(last_active: datetime, now: datetime) -> bool:
    """Whether an open session last touched at ``last_active`` was abandoned by ``now``.

    >>> from datetime import UTC
    >>> start = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    >>> left_too_long(start, start + timedelta(hours=12))
    False
    >>> left_too_long(start, start + timedelta(hours=12, seconds=1))
    True
    """
    return now - last_active > ABANDONED_AFTER


_HANDLERS = {
    "start": _start, "complete": _complete, "skip": _skip, "back": _back, "pause": _pause,
    "resume": _resume, "restart": _restart, "assessment": _assessment,
    "too_much": _too_much, "too_much_choice": _too_much_choice, "end": _end,
    "abandon": _abandon,
}  # fmt: skip


def due_completions(state: SessionState, now: float, new_id) -> list[Event]:
    """ "complete" events for every timed step whose deadline has passed by ``now``.

    Each completes at its own deadline, so a timer that slept (a locked screen) catches
    up exactly instead of drifting. ``new_id`` makes an event id.
    """
    events = []
    while (deadline := state.deadline()) is not None and deadline <= now:
        event = Event(id=new_id(), at=deadline, kind="complete", step=state.index)
        events.append(event)
        state = apply(state, event)
    return events
