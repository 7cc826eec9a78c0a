"""The planner and the time available: shrink doses first, then drop optional blocks, then
whole stretches; never a hold under 30 s."""

import pytest

from sirelief.domain.plan import Plan, PlanStep
from tests.domain.checkin_data import tightness
from tests.domain.planner_support import (
    CATALOGUE,
    GENEROUS,
    REGRESS,
    ROUTINES,
    SMASH,
    STRETCHES,
    checkin,
    first_set_durations,
    plan,
    plan_assessments,
    sets_done,
)


def fmt_minutes(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


@pytest.mark.parametrize("minutes", [1, 5, 10])
def test_when_time_cannot_be_met_the_shortest_safe_version_is_named(minutes: int) -> None:
    p = plan(SMASH, checkin(5, 2, minutes=minutes, equipment=["kettlebell"]))
    assert p.fits is False
    assert p.total_s > minutes * 60
    shortest = [r for r in p.reasons if "shortest safe version" in r]
    assert len(shortest) == 1
    assert fmt_minutes(p.total_s) in shortest[0]
    assert f"{minutes} min" in shortest[0]
    # it still keeps every assessment and both sides of the smashes
    assert plan_assessments(p) == ["baseline", "mid", "final"]
    assert {s.side for s in p.steps if s.block_id == "smash" and s.kind == "exercise"} == {
        "left",
        "right",
    }
    assert not any(r.startswith("Planned for") for r in p.reasons)


def test_the_shortest_safe_version_is_what_fits_in_its_own_time() -> None:
    short = plan(SMASH, checkin(5, 2, minutes=5, equipment=["kettlebell"]))
    just_enough = -(-short.total_s // 60)
    fitting = plan(SMASH, checkin(5, 2, minutes=just_enough, equipment=["kettlebell"]))
    assert fitting.fits
    assert fitting.steps == short.steps


def test_a_tight_budget_gives_lower_doses_than_a_generous_one() -> None:
    generous = plan(STRETCHES, checkin(minutes=GENEROUS))
    shortest_full = plan(STRETCHES, checkin(minutes=GENEROUS), history=REGRESS).total_s
    tight_minutes = -(-shortest_full // 60)  # everything still fits at the shortest doses
    tight = plan(STRETCHES, checkin(minutes=tight_minutes))
    assert generous.fits
    assert tight.fits
    assert tight.total_s < generous.total_s
    assert {s.block_id for s in tight.steps} == {s.block_id for s in generous.steps}
    big, small = first_set_durations(generous), first_set_durations(tight)
    assert big.keys() == small.keys()
    assert all(small[k] <= big[k] for k in big)
    assert any(small[k] < big[k] for k in big)
    big_sets, small_sets = sets_done(generous), sets_done(tight)
    assert all(small_sets[k] <= big_sets[k] for k in big_sets)
    assert any("shortened" in r for r in tight.reasons)
    assert not any("Left out the optional block" in r for r in tight.reasons)


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_optional_blocks_are_dropped_only_after_shrinking(routine_id: str) -> None:
    routine = ROUTINES[routine_id]
    # The whole routine at the bottom of every range: what shrinking alone can reach.
    shortest_full = plan(routine_id, checkin(minutes=GENEROUS), history=REGRESS).total_s
    all_blocks = {b.id for b in routine.blocks}
    for minutes in range(1, 61):
        p = plan(routine_id, checkin(minutes=minutes))
        kept = {s.block_id for s in p.steps}
        dropped = [b for b in routine.blocks if b.id not in kept]
        if minutes * 60 >= shortest_full:
            assert kept == all_blocks, (minutes, dropped)
        for block in dropped:
            if block.optional:
                assert any(f"'{block.title}'" in r and "Left out" in r for r in p.reasons), (
                    minutes,
                    block.id,
                )
                continue
            # A required block goes only when each of its stretches was left out by name.
            for step in block.steps:
                name = CATALOGUE.exercise(step.exercise).name
                assert any(r.startswith("Left out") and name in r for r in p.reasons), (
                    minutes,
                    block.id,
                    name,
                )


def hold_steps(p: Plan) -> list[PlanStep]:
    return [
        s
        for s in p.steps
        if s.kind == "exercise"
        and s.exercise_id
        and CATALOGUE.exercise(s.exercise_id).dose.kind == "hold"
    ]


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_holds_are_never_cut_below_30_s_to_fit_the_time(routine_id: str) -> None:
    """SPEC 5.7: whole stretches go instead of holds too short to do anything."""
    for minutes in (*range(1, 31), 45, 60, 90, 180):
        for history in ((), REGRESS):
            p = plan(routine_id, checkin(6, 2, minutes=minutes), history=history)
            assert all(s.duration_s >= 30 for s in hold_steps(p)), (minutes, history)
            assert all(s.sets >= 1 for s in hold_steps(p))


def test_stretches_for_the_least_tight_regions_are_left_out_first() -> None:
    generous = plan(STRETCHES, checkin(minutes=GENEROUS))
    exercises = {s.exercise_id for s in generous.steps if s.kind == "exercise"}
    tight_hamstrings = tightness(hip=(0, 0), hams=(8, 7))
    kept_by_minutes = []
    for minutes in range(1, 31):
        p = plan(STRETCHES, checkin(minutes=minutes, tightness=tight_hamstrings))
        kept = {s.exercise_id for s in p.steps if s.kind == "exercise"}
        kept_by_minutes.append(kept)
        gone = exercises - kept
        assert any("hamstrings_adductors" in CATALOGUE.exercise(e).rated_regions for e in kept), (
            minutes
        )
        for exercise_id in gone - {"foam-roll"}:
            name = CATALOGUE.exercise(exercise_id).name
            assert any(r.startswith("Left out") and name in r for r in p.reasons), minutes
    # Some budget in that range needs whole stretches left out, and more time keeps more.
    assert any(len(kept) < len(exercises) - 1 for kept in kept_by_minutes)
    sizes = [len(kept) for kept in kept_by_minutes]
    assert sizes == sorted(sizes)


def test_the_last_exercise_is_never_left_out() -> None:
    p = plan(STRETCHES, checkin(minutes=1))
    assert p.fits is False
    assert [s for s in p.steps if s.kind == "exercise"]


def test_optional_blocks_go_in_priority_order() -> None:
    """9 is dropped first, 1 is kept longest: activation (4), ankle prep (3), stretches (2)."""
    order = ["activation", "ankle-prep", "stretch-menu"]
    seen_drops = set()
    for minutes in range(1, 61):
        p = plan(SMASH, checkin(6, 2, minutes=minutes))
        kept = {s.block_id for s in p.steps}
        dropped = [b for b in order if b not in kept]
        assert dropped == order[: len(dropped)], (minutes, dropped)
        seen_drops.add(len(dropped))
    assert seen_drops == {0, 1, 2, 3}


def test_shortening_reason_reads_well() -> None:
    p = plan(SMASH, checkin(5, 2, minutes=5, equipment=["kettlebell"]))
    shortened = [r for r in p.reasons if "shortened" in r]
    assert shortened
    assert all(r.count("range") == 1 for r in shortened), shortened
