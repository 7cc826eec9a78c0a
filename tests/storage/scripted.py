"""A scripted person: start a smash-reset session and work through it event by event."""

import itertools
from datetime import UTC, datetime, timedelta

from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services.sessions import RunningSession, Sessions
from tests.clock import at

START = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
CHECKIN = CheckIn.model_validate({
    "pain": 4,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "minutes": 60,
    "equipment": ["kettlebell", "mat", "strap", "wall", "band", "suspension_trainer"],
})  # fmt: skip
POINT_VALUES = {"baseline": (3, 7, 2, 5, 4, 6, 4), "mid": (3, 3, 2, 4, 4, 5, 3),
                "final": (1, 3, 1, 4, 2, 5, 2)}  # fmt: skip


def ratings_event(event_id: str, at: float, step: int, point: str, shift: int = 0) -> Event:
    """With ``shift`` 2 the knee-to-wall test is measured too, both as a distance in cm
    and as the phone's shin angle in degrees, so they are stored and carried as well."""
    hl, hr, al, ar, kl, kr, pain = (min(10, max(0, v + shift)) for v in POINT_VALUES[point])
    knee = (
        {
            "knee_to_wall": {"left": 8.5, "right": 9.0},
            "knee_to_wall_deg": {"left": 34.5, "right": 31.2},
        }
        if shift == 2
        else {}
    )
    return Event.model_validate({
        "id": event_id, "at": at, "kind": "assessment", "step": step, "pain": pain,
        "ratings": {"hip": {"left": hl, "right": hr},
                    "hamstrings_adductors": {"left": al, "right": ar},
                    "ankle": {"left": kl, "right": kr}},
        **knee,
    })  # fmt: skip


def start(sessions: Sessions, day: int = 0, seed: int = 0) -> RunningSession:
    running = at(sessions, START + timedelta(days=day)).start(
        CHECKIN, "kettlebell-smash-reset", PlanOptions(seed=seed)
    )
    assert isinstance(running, RunningSession)
    return running


def next_event(running: RunningSession, event_id: str, at: float, shift: int = 0) -> Event:
    """The event a person would record next: start, complete, or the assessment answer."""
    state = running.state
    if state.started_at is None:
        return Event(id=event_id, at=at, kind="start")
    step = state.step
    if step is not None and step.kind == "assessment":
        return ratings_event(event_id, at, state.index, step.assessment.assess, shift)
    return Event(id=event_id, at=at, kind="complete", step=state.index)


def run_to_end(running: RunningSession, prefix: str = "e", at: float = 1_000.0, shift=0):
    """Record events until the session ends; returns the events in order."""
    events = []
    for number in itertools.count():
        if running.state.ended is not None:
            return events
        event = next_event(running, f"{prefix}{number:04d}", at + number * 7.25, shift)
        running.record(event)
        events.append(event)
    return events
