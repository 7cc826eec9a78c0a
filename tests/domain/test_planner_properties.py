"""Planner properties over generated check-ins: every built-in routine, every plan."""

from collections import defaultdict

from hypothesis import given, settings

from tests.domain.planner_support import (
    CATALOGUE,
    FAST,
    Planned,
    other,
    plan_assessments,
    plan_every_routine,
    planned,
    routine_assessments,
)


@FAST
@given(case=planned)
def test_a_plan_that_fits_fits_and_totals_add_up(case: Planned) -> None:
    for _routine, p in case.plans:
        assert p.total_s == sum(s.duration_s for s in p.steps)
        assert p.to_json()["total_s"] == sum(s["duration_s"] for s in p.to_json()["steps"])
        assert all(s.duration_s > 0 for s in p.steps)
        for s in p.steps:
            times = [cue.at_s for cue in s.cues]
            assert times == sorted(set(times))
            assert all(0 <= t < s.duration_s for t in times)
        assert p.minutes_available == case.check.minutes
        if p.fits:
            assert p.total_s <= case.check.minutes * 60


@FAST
@given(case=planned)
def test_assessments_are_never_dropped(case: Planned) -> None:
    for routine, p in case.plans:
        assert plan_assessments(p) == routine_assessments(routine)


@FAST
@given(case=planned)
def test_the_second_side_is_never_dropped(case: Planned) -> None:
    for routine, p in case.plans:
        for block in routine.blocks:
            if block.sides != "tighter_first":
                continue
            if p.first_side is None:  # no one-sided work possible: nothing to compare
                assert not any(s.block_id == block.id and s.kind == "exercise" and
                               s.side != "both" for s in p.steps)  # fmt: skip
                continue
            done: dict[str, list[str | None]] = defaultdict(list)
            for s in p.steps:
                if s.block_id == block.id and s.kind == "exercise" and s.side != "both":
                    done[s.side or "none"].append(s.exercise_id)
            first, second = done[p.first_side], done[other(p.first_side)]
            assert set(done) <= {"left", "right"}
            assert sorted(first) == sorted(second)


@FAST
@given(case=planned)
def test_plans_only_ask_for_equipment_at_hand(case: Planned) -> None:
    for _routine, p in case.plans:
        for s in p.steps:
            if s.kind != "exercise" or s.exercise_id is None:
                continue
            # a substitute is planned as itself, so what is planned needs only kit at hand
            needs = CATALOGUE.exercise(s.exercise_id).needs
            assert all(case.check.has(item) for item in needs), (s.exercise_id, needs)


@settings(deadline=None, max_examples=20)
@given(case=planned)
def test_plans_are_deterministic(case: Planned) -> None:
    again = plan_every_routine(case.check.model_copy(), case.options, case.history)
    for (_routine, first), (_same, second) in zip(case.plans, again.plans, strict=True):
        assert first == second
        assert first.to_json() == second.to_json()


@settings(deadline=None, max_examples=25)
@given(case=planned)
def test_an_exercise_is_planned_once_per_session(case: Planned) -> None:
    for routine, p in case.plans:
        blocks_of: dict[str, set[str]] = defaultdict(set)
        for s in p.steps:
            if s.kind == "exercise" and s.exercise_id:
                blocks_of[s.exercise_id].add(s.block_id)
        assert all(len(blocks) == 1 for blocks in blocks_of.values()), (routine.id, blocks_of)
