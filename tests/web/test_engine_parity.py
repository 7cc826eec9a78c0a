"""engine.js folds session events exactly as sirelief/domain/session.py does (issue 16).

The browser keeps a session going while the server is away by folding the same events
with web/static/engine.js. Here random event sequences on the plans of the built-in
routines go through both folds, and every state the two share is compared after every
event: position, clock fields, pause time, "too much", the gentler set, the end, the ids
seen, and what is read from the state (phase, step length, elapsed and remaining time,
deadline, the next step). Fields only the server keeps (skipped steps, assessments, pain
reports) have no twin in engine.js and are not compared.

One node process (tests/web/engine_driver.mjs) serves the whole module, a JSON line per
batch of sequences.
"""

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sirelief.web.app
from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.checkin import CheckIn, KneeToWall, SideRatings
from sirelief.domain.planner import plan_session
from sirelief.domain.session import Event, EventKind, SessionState, apply
from sirelief.domain.too_much import Symptom
from sirelief.domain.vocabulary import EquipmentId
from tests.storage import scripted

NODE = shutil.which("node")
ENGINE = Path(sirelief.web.app.__file__).parent / "static" / "engine.js"
DRIVER = Path(__file__).with_name("engine_driver.mjs")
NOW_AFTER = 7.25
"""Elapsed and remaining time are read this many seconds after each event."""

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

CATALOGUE = builtin_catalogue()
ROUTINES = load_routines(builtin_files("routines"), CATALOGUE)
CHECKIN = CheckIn.model_validate(
    {**scripted.CHECKIN.model_dump(), "equipment": list(get_args(EquipmentId))}
)
"""The scripted person's check-in with every piece of equipment, so every routine plans."""
PLANS = {
    plan.routine_id: plan
    for plan in (plan_session(routine, CATALOGUE, CHECKIN) for routine in ROUTINES)
    if getattr(plan, "steps", None)
}
"""Each built-in routine's plan (a check-in stopped by a red flag gives no steps)."""

# Weighted: moving on is common, so sequences get deep into a plan.
KINDS: list[EventKind] = [
    "start", "start", "complete", "complete", "complete", "complete", "skip", "skip", "back",
    "pause", "pause", "resume", "resume", "restart", "assessment", "assessment",
    "too_much", "too_much", "too_much_choice", "too_much_choice", "end", "abandon",
]  # fmt: skip
CLOCK_BASES = (0.0, 0.3, 1764979200.0, 1764979200.375)
"""The session clock starts at 0 in tests and at the epoch second of creation live."""


class Engine:
    """engine.js in a node process that lives as long as the test module."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [NODE, str(DRIVER), str(ENGINE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def fold(self, steps: list[dict], cases: list[list[dict]]) -> list[list[dict]]:
        request = {"steps": steps, "cases": cases, "now_after": NOW_AFTER}
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            pytest.fail(f"the node driver stopped: {self.process.stderr.read()}")
        return json.loads(line)

    def close(self) -> None:
        self.process.communicate(timeout=10)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    running = Engine()
    yield running
    running.close()


def snapshot(state: SessionState, now: float) -> dict[str, Any]:
    """The fields engine.js shares with SessionState, named as the driver names them."""
    within = state.index < len(state.plan.steps)
    later = state.next_step
    return {
        "index": state.index,
        "started_at": state.started_at,
        "step_started_at": state.step_started_at,
        "paused_at": state.paused_at,
        "paused_s": state.paused_s,
        "too_much": state.too_much.id if state.too_much is not None else None,
        "gentler": sorted(state.gentler),
        "ended": state.ended,
        "seen": sorted(state.seen),
        "step": state.index if state.step is not None else None,
        "next_step": later.to_json() if later is not None else None,
        "phase": state.phase,
        "duration_s": state.duration_s() if within else None,
        "elapsed_s": state.elapsed_s(now),
        "remaining_s": state.remaining_s(now) if within else None,
        "deadline": state.deadline(),
    }


def python_fold(plan, events: list[Event]) -> list[dict[str, Any]]:
    state = SessionState(plan)
    states = []
    for event in events:
        state = apply(state, event)
        states.append(snapshot(state, event.at + NOW_AFTER))
    return states


def browser_fold(engine: Engine, plan, cases: list[list[Event]]) -> list[list[dict]]:
    """Each case folded by engine.js, the events sent as the run page sends them."""
    steps = [step.to_json() for step in plan.steps]
    wire = [[e.model_dump(mode="json", exclude_none=True) for e in events] for events in cases]
    folded = engine.fold(steps, wire)
    for states in folded:
        for state in states:
            if state.get("next_step") is not None:
                state["next_step"] = steps[state["next_step"]]
    return folded


def differences(plan, events: list[Event], browser: list[dict]) -> list[str]:
    """Where the two folds part, event by event (empty when they agree throughout)."""
    server = python_fold(plan, events)
    for number, (event, mine, theirs) in enumerate(zip(events, server, browser, strict=True)):
        if "error" in theirs:
            return [f"event {number} ({event.kind}): engine.js threw {theirs['error']}"]
        found = [
            f"event {number} {event.model_dump(exclude_none=True)}: {name} is "
            f"{mine[name]!r} in session.py but {theirs.get(name)!r} in engine.js"
            for name in mine
            if mine[name] != theirs.get(name)
        ]
        if found:
            return found
    return []


@st.composite
def sessions(draw: st.DrawFn) -> tuple[str, list[Event]]:
    """A plan and a sequence of events for it: mostly aimed at the current step, some
    stale or for no step, some repeating an earlier id, times mostly moving forward."""
    routine = draw(st.sampled_from(sorted(PLANS)))
    plan = PLANS[routine]
    steps = plan.steps
    state = SessionState(plan)
    at = draw(st.sampled_from(CLOCK_BASES))
    events: list[Event] = []
    for number in range(draw(st.integers(1, 60))):
        kind = "start" if number == 0 and draw(st.booleans()) else draw(st.sampled_from(KINDS))
        at += draw(
            st.one_of(
                st.floats(0, 900, allow_nan=False),
                st.integers(0, 900_000).map(lambda ms: ms / 1000),
                st.sampled_from([0.0, 0.1, 1.0, 30.0]),
                st.floats(-5, 0, allow_nan=False),
            )
        )
        if events and draw(st.integers(0, 9)) == 0:
            event_id = draw(st.sampled_from([e.id for e in events]))
        else:
            event_id = f"e{number}"
        step = draw(
            st.one_of(
                st.just(state.index), st.just(state.index), st.none(),
                st.integers(-1, len(steps) + 1),
            )
        )  # fmt: skip
        fields: dict[str, Any] = {}
        if kind == "assessment":
            current = steps[state.index] if state.index < len(steps) else None
            regions = (
                current.assessment.ratings
                if current is not None and current.assessment is not None
                else ["hip", "hamstrings_adductors", "ankle"]
            )
            if draw(st.integers(0, 5)):
                fields["ratings"] = {
                    region: SideRatings(left=draw(st.integers(0, 10)),
                                        right=draw(st.integers(0, 10)))
                    for region in regions
                }  # fmt: skip
            fields["pain"] = draw(st.none() | st.integers(0, 10))
            if draw(st.booleans()):
                fields["knee_to_wall"] = KneeToWall(left=draw(st.floats(0, 25)),
                                                    right=draw(st.floats(0, 25)))  # fmt: skip
        elif kind == "too_much":
            fields["pain"] = draw(st.none() | st.integers(0, 10))
            fields["symptom"] = draw(st.none() | st.sampled_from(get_args(Symptom)))
        elif kind == "too_much_choice":
            fields["choice"] = draw(st.none() | st.sampled_from(["gentler", "skip", "end"]))
        event = Event(id=event_id, at=at, kind=kind, step=step, **fields)
        events.append(event)
        state = apply(state, event)
    return routine, events


def test_the_built_in_routines_give_plans_with_every_kind_of_step() -> None:
    """The sequences below reach work, rests, assessments, side switches and reps."""
    kinds = {step.kind for plan in PLANS.values() for step in plan.steps}
    assert kinds == {"exercise", "rest", "assessment", "transition"}
    assert any(step.switches_side for plan in PLANS.values() for step in plan.steps)
    assert any(step.reps for plan in PLANS.values() for step in plan.steps)
    assert any(
        step.kind == "exercise" and not step.reps for plan in PLANS.values() for step in plan.steps
    )


def walk_through(plan, base: float) -> list[Event]:
    """A whole session the way a person does it: start, a pause, "too much" and
    "gentler" on the first timed exercise, every assessment answered, every timer run out."""
    events = [Event(id="start", at=base, kind="start", step=0)]
    state = apply(SessionState(plan), events[0])
    at = base
    gentled = False
    while state.step is not None:
        step = state.step
        number = len(events)
        at += 3.3
        if step.kind == "assessment":
            ratings = {r: SideRatings(left=2, right=3) for r in step.assessment.ratings}
            event = Event(id=f"a{number}", at=at, kind="assessment", step=state.index,
                          ratings=ratings, pain=2)  # fmt: skip
        elif step.kind == "exercise" and not step.reps and not gentled:
            for kind, extra in (("pause", {}), ("resume", {}),
                                ("too_much", {"pain": 7, "symptom": "aching"}),
                                ("too_much_choice", {"choice": "gentler"})):  # fmt: skip
                event = Event(id=f"g{number}{kind}", at=at, kind=kind, step=state.index, **extra)
                events.append(event)
                state = apply(state, event)
                at += 1.7
            gentled = True
            continue
        else:
            at = state.deadline() if state.deadline() is not None else at
            event = Event(id=f"c{number}", at=at, kind="complete", step=state.index)
        events.append(event)
        state = apply(state, event)
    assert state.ended == "completed"
    assert state.gentler, "a timed exercise was done the gentler way"
    return events


@pytest.mark.parametrize("base", CLOCK_BASES)
def test_a_whole_session_folds_the_same_in_the_browser(engine: Engine, base: float) -> None:
    for plan in PLANS.values():
        events = walk_through(plan, base)
        (browser,) = browser_fold(engine, plan, [events])
        assert differences(plan, events, browser) == [], plan.routine_id
        assert browser[-1]["ended"] == "completed"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=sessions())
def test_any_event_sequence_folds_the_same_in_the_browser(
    engine: Engine, session: tuple[str, list[Event]]
) -> None:
    routine, events = session
    plan = PLANS[routine]
    (browser,) = browser_fold(engine, plan, [events])
    assert differences(plan, events, browser) == []


@settings(max_examples=100, deadline=None)
@given(
    routine=st.sampled_from(sorted(PLANS)),
    base=st.sampled_from(CLOCK_BASES),
    gaps=st.lists(
        st.tuples(st.integers(1, 90_000), st.integers(1, 90_000)), min_size=2, max_size=6
    ),
)
def test_pauses_add_up_the_same_in_the_browser(
    engine: Engine, routine: str, base: float, gaps: list[tuple[int, int]]
) -> None:
    """Several pauses in one step, at millisecond times as the browser's clock gives
    them: the paused time, and so the deadline, is the same to the last bit."""
    at = base
    events = [Event(id="start", at=at, kind="start", step=0)]
    for number, (running_ms, paused_ms) in enumerate(gaps):
        at += running_ms / 1000
        events.append(Event(id=f"p{number}", at=at, kind="pause", step=0))
        at += paused_ms / 1000
        events.append(Event(id=f"r{number}", at=at, kind="resume", step=0))
    plan = PLANS[routine]
    (browser,) = browser_fold(engine, plan, [events])
    assert differences(plan, events, browser) == []
