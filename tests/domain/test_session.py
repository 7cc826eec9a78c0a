"""The session engine: events fold into state; rebuilding from events equals the live state."""

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sirelief.catalogue.loader import builtin_catalogue, builtin_files, load_routines
from sirelief.domain.checkin import CheckIn, SideRatings
from sirelief.domain.planner import plan_session
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import session_results
from sirelief.domain.session import Event, apply, due_completions, replay

CATALOGUE = builtin_catalogue()
ROUTINES = {r.id: r for r in load_routines(builtin_files("routines"), CATALOGUE)}
CHECKIN = CheckIn.model_validate({
    "pain": 4,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "minutes": 60, "equipment": ["kettlebell", "mat", "strap", "wall", "band",
                                 "suspension_trainer"],
})  # fmt: skip
PLAN = plan_session(ROUTINES["kettlebell-smash-reset"], CATALOGUE, CHECKIN)
TIMED = plan_session(ROUTINES["si-joint-stretches"], CATALOGUE, CHECKIN)
"""A plan that opens with timed work (the smash reset opens with its baseline check)."""


def ids():
    counter = itertools.count()
    return lambda: f"e{next(counter)}"


def ratings(hip: tuple[int, int], hams: tuple[int, int], ankle: tuple[int, int]) -> dict:
    return {region: SideRatings(left=left, right=right)
            for region, (left, right) in
            (("hip", hip), ("hamstrings_adductors", hams), ("ankle", ankle))}  # fmt: skip


def run_through(plan, answers: dict[str, dict], pain: dict[str, int]) -> list[Event]:
    """Drive a whole session: timers run out, reps are confirmed, assessments answered."""
    new_id = ids()
    events = [Event(id=new_id(), at=0.0, kind="start")]
    state = replay(plan, events)
    now = 0.0
    while state.step is not None:
        step = state.step
        if step.kind == "assessment":
            point = step.assessment.assess
            event = Event(
                id=new_id(),
                at=now,
                kind="assessment",
                step=state.index,
                ratings=answers[point],
                pain=pain[point],
            )
        elif step.reps:
            now += step.duration_s
            event = Event(id=new_id(), at=now, kind="complete", step=state.index)
        else:
            now = state.deadline()
            [event] = due_completions(state, now, new_id)
        events.append(event)
        state = apply(state, event)
    return events


ANSWERS = {
    "baseline": ratings((3, 7), (2, 5), (4, 6)),
    "mid": ratings((3, 3), (2, 4), (4, 5)),
    "final": ratings((1, 3), (1, 4), (2, 5)),
}
PAIN = {"baseline": 4, "mid": 3, "final": 2}


def test_a_whole_session_completes_and_rebuilds_exactly() -> None:
    events = run_through(PLAN, ANSWERS, PAIN)
    live = replay(PLAN, [])
    for event in events:
        live = apply(live, event)
    assert live.ended == "completed"
    assert live.phase == "done"
    assert replay(PLAN, events) == live
    assert [a.point for a in live.assessments] == ["baseline", "mid", "final"]


def test_replaying_an_event_twice_changes_nothing() -> None:
    events = run_through(PLAN, ANSWERS, PAIN)
    doubled = [e for event in events for e in (event, event)]
    assert replay(PLAN, doubled) == replay(PLAN, events)


def test_results_use_the_untreated_side_as_control() -> None:
    state = replay(PLAN, run_through(PLAN, ANSWERS, PAIN))
    results = session_results(state)
    assert PLAN.first_side == "right"
    effects = {e.region: e for e in results.effects}
    # hip: right 7 -> 3 (-4), left 3 -> 3 (0): effect -4, beyond measurement error
    assert effects["hip"].effect == -4
    assert effects["hip"].meaningful
    # hamstrings: right 5 -> 4 (-1), left 2 -> 2: effect -1, less than a person can feel
    assert effects["hamstrings_adductors"].effect == -1
    assert "(less than you can reliably feel)" in effects["hamstrings_adductors"].sentence()
    biggest = results.biggest_change
    assert (biggest.region, biggest.side, biggest.change) == ("hip", "right", -4)
    assert (results.pain_before, results.pain_after) == (4, 2)
    assert any("Pain went from 4 to 2" in line for line in results.summary())


def test_pause_stops_the_clock() -> None:
    state = replay(TIMED, [Event(id="a", at=100.0, kind="start"),
                          Event(id="b", at=105.0, kind="pause")])  # fmt: skip
    assert state.phase == "paused"
    assert state.elapsed_s(1000.0) == 5.0
    state = apply(state, Event(id="c", at=200.0, kind="resume"))
    assert state.elapsed_s(203.0) == 8.0
    assert state.deadline() == 100.0 + 95.0 + state.duration_s()


def test_due_completions_catch_up_at_each_deadline() -> None:
    state = replay(TIMED, [Event(id="a", at=0.0, kind="start")])
    first, second = TIMED.steps[0].duration_s, TIMED.steps[1].duration_s
    events = due_completions(state, first + second + 0.5, ids())
    assert [e.at for e in events] == [first, first + second]


def test_a_stale_double_tap_is_ignored() -> None:
    state = replay(PLAN, [Event(id="a", at=0.0, kind="start"),
                          Event(id="b", at=1.0, kind="skip", step=0),
                          Event(id="c", at=1.1, kind="skip", step=0)])  # fmt: skip
    assert state.index == 1
    assert state.skipped == (0,)


def _at_first_smash():
    index = next(i for i, s in enumerate(PLAN.steps) if s.exercise_id == "kb-hip-flexor-smash"
                 and s.kind == "exercise")  # fmt: skip
    events = [Event(id="s", at=0.0, kind="start")]
    state = replay(PLAN, events)
    new_id = ids()
    while state.index < index:
        event = Event(id=new_id(), at=1.0, kind="skip", step=state.index)
        events.append(event)
        state = apply(state, event)
    return events, state


@pytest.mark.parametrize("choice", ["gentler", "skip", "end"])
def test_too_much_asks_for_pain_then_offers_choices(choice: str) -> None:
    _events, state = _at_first_smash()
    index = state.index
    state = apply(state, Event(id="t", at=10.0, kind="too_much", step=index, pain=7,
                               symptom="too_intense"))  # fmt: skip
    assert state.phase == "too_much"
    assert state.max_pain == 7
    state = apply(state, Event(id="u", at=12.0, kind="too_much_choice", choice=choice))
    if choice == "gentler":
        assert state.index == index
        assert state.duration_s() == PLAN.steps[index].duration_s // 2
    elif choice == "skip":
        assert state.index > index
        assert state.step.exercise_id != "kb-hip-flexor-smash"
    else:
        assert state.ended == "stopped"


def test_phases_follow_the_steps() -> None:
    switch = next(i for i, s in enumerate(TIMED.steps) if s.switches_side)
    rest = next(i for i, s in enumerate(TIMED.steps) if s.kind == "rest")
    assert replay(TIMED, []).phase == "get_ready"
    phases = {}
    for index in (0, 1, switch, rest):
        events = [Event(id="a", at=0.0, kind="start")]
        state = replay(TIMED, events)
        while state.index < index:
            state = apply(state, Event(id=f"s{state.index}", at=1.0, kind="skip",
                                       step=state.index))  # fmt: skip
        phases[index] = state.phase
    assert phases == {0: "get_ready", 1: "work", switch: "switch_side", rest: "rest"}


def test_back_returns_to_the_previous_step() -> None:
    state = replay(PLAN, [Event(id="a", at=0.0, kind="start"),
                          Event(id="b", at=1.0, kind="skip", step=0),
                          Event(id="c", at=2.0, kind="back", step=1)])  # fmt: skip
    assert state.index == 0
    assert state.step_started_at == 2.0


actions = st.lists(
    st.tuples(st.sampled_from(["complete", "skip", "back", "pause", "resume", "restart"]),
              st.floats(0.1, 50)),
    max_size=40,
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(actions)
def test_any_sequence_rebuilds_to_the_live_state(sequence) -> None:
    events, now = [Event(id="start", at=0.0, kind="start")], 0.0
    live = replay(PLAN, events)
    for number, (kind, gap) in enumerate(sequence):
        now += gap
        event = Event(
            id=f"x{number}",
            at=now,
            kind=kind,
            step=live.index if kind in ("complete", "skip", "back") else None,
        )
        events.append(event)
        live = apply(live, event)
        assert 0 <= live.index <= len(PLAN.steps)
        assert live.elapsed_s(now) >= 0
    assert replay(PLAN, events) == live


@settings(max_examples=60, deadline=None)
@given(actions, st.integers(0, 41))
def test_a_record_extended_by_later_events_equals_a_full_replay(sequence, cut) -> None:
    events, now = [Event(id="start", at=0.0, kind="start")], 0.0
    live = replay(PLAN, events)
    for number, (kind, gap) in enumerate(sequence):
        now += gap
        step = live.index if kind in ("complete", "skip", "back") else None
        event = Event(id=f"x{number}", at=now, kind=kind, step=step)
        events.append(event)
        live = apply(live, event)
    cut = min(cut, len(events))
    record = SessionRecord(
        "s", datetime(2026, 1, 5, tzinfo=UTC), PLAN, CHECKIN, tuple(events[:cut])
    )
    assert record.state == replay(PLAN, events[:cut])
    later = record.extended(tuple(events[cut:]), None)
    assert later.events == tuple(events)
    assert later.state == replay(PLAN, events) == live
