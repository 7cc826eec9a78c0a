"""The planner's side order: the tighter side first, ties by pain or seed; and the plan JSON."""

import pytest

from tests.domain.checkin_data import tightness
from tests.domain.planner_support import (
    ROUTINES,
    SMASH,
    block_work,
    checkin,
    other,
    plan,
)


@pytest.mark.parametrize(("left", "right", "first"), [(7, 2, "left"), (1, 6, "right")])
def test_the_tighter_side_goes_first(left: int, right: int, first: str) -> None:
    p = plan(SMASH, checkin(left, right))
    assert p.first_side == first
    work = block_work(p, "smash")
    kinds_sides = [(s.kind, s.side) for s in work]
    mid = kinds_sides.index(("assessment", None))
    before, after = work[:mid], work[mid + 1 :]
    assert before
    assert after
    assert all(s.kind == "exercise" and s.side == first for s in before)
    assert all(s.kind == "exercise" and s.side == other(first) for s in after)
    assert work[mid].assessment is not None
    assert work[mid].assessment.assess == "mid"
    # the same smashes, in the same order, on each side
    assert [s.exercise_id for s in before] == [s.exercise_id for s in after]
    assert [s.exercise_id for s in before] == [
        "kb-hip-flexor-smash",
        "kb-adductor-smash",
        "kb-calf-smash",
    ]
    assert any(f"{first} side feels tighter" in r for r in p.reasons)


def test_tighter_side_is_found_from_the_sum_of_all_regions() -> None:
    check = checkin(pain=2, tightness=tightness((9, 2), (0, 5), (0, 5)), equipment=["kettlebell"])
    assert plan(SMASH, check).first_side == "right"  # 9 < 12


@pytest.mark.parametrize("pain_side", ["left", "right"])
def test_a_tie_goes_to_the_painful_side(pain_side: str) -> None:
    for seed in range(5):
        p = plan(SMASH, checkin(4, 4, pain_side=pain_side), seed=seed)
        assert p.first_side == pain_side
        assert any("where the pain is" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == pain_side


def test_a_tie_without_a_painful_side_is_random_but_fixed_by_the_seed() -> None:
    sides = {}
    for seed in range(20):
        p = plan(SMASH, checkin(4, 4), seed=seed)
        assert p.first_side in ("left", "right")
        assert p == plan(SMASH, checkin(4, 4), seed=seed)
        assert any("random" in r and f"seed {seed}" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == p.first_side
        sides[seed] = p.first_side
    assert set(sides.values()) == {"left", "right"}


def test_randomise_option_ignores_tightness_and_uses_the_seed() -> None:
    sides = set()
    for seed in range(20):
        p = plan(SMASH, checkin(9, 0, pain_side="left"), seed=seed, randomise=True)
        again = plan(SMASH, checkin(9, 0, pain_side="left"), seed=seed, randomise=True)
        assert p.first_side == again.first_side
        assert any("at random" in r and f"seed {seed}" in r for r in p.reasons)
        assert block_work(p, "smash")[0].side == p.first_side
        sides.add(p.first_side)
    assert sides == {"left", "right"}


def test_routines_without_a_tighter_first_block_have_no_first_side() -> None:
    for routine_id, routine in ROUTINES.items():
        if any(b.sides == "tighter_first" for b in routine.blocks):
            continue
        p = plan(routine_id, checkin(8, 1))
        assert p.first_side is None
        assert not any("feels tighter" in r for r in p.reasons)


def test_no_side_is_said_to_be_treated_when_nothing_can_be_done() -> None:
    p = plan(SMASH, checkin(5, 1, equipment=[]))
    assert not any(s.block_id == "smash" and s.kind == "exercise" for s in p.steps)
    assert not any("treated first" in r for r in p.reasons), p.reasons


# --- the JSON contract ----------------------------------------------------------------------

PLAN_KEYS = {"status", "routine", "first_side", "total_s", "reasons", "steps"}
STEP_KEYS = {"kind", "exercise_id", "side", "set", "duration_s", "reps", "cues"}


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_plan_json_has_the_contract_keys(routine_id: str) -> None:
    p = plan(routine_id, checkin(6, 2, minutes=30))
    document = p.to_json()
    assert document.keys() >= PLAN_KEYS
    assert document["status"] == "ok"
    assert document["routine"] == routine_id
    assert document["first_side"] in ("left", "right", None)
    assert document["total_s"] == p.total_s
    assert isinstance(document["reasons"], list)
    assert all(isinstance(r, str) and r for r in document["reasons"])
    assert document["steps"]
    for step in document["steps"]:
        assert step.keys() >= STEP_KEYS
        assert step["kind"] in {"exercise", "assessment", "rest", "transition"}
        assert step["side"] in {"left", "right", "both", None}
        assert step["exercise_id"] is None or isinstance(step["exercise_id"], str)
        assert step["set"] is None or step["set"] >= 1
        assert isinstance(step["duration_s"], int)
        assert step["duration_s"] > 0
        assert step["reps"] is None or step["reps"] >= 1
        assert isinstance(step["cues"], list)
        for cue in step["cues"]:
            assert set(cue) == {"at_s", "say"}
            assert 0 <= cue["at_s"] < step["duration_s"]
        if step["kind"] == "exercise":
            assert step["exercise_id"]
            assert step["set"] is not None
            assert step["side"] is not None


def test_smash_plan_json_marks_first_side_and_assessments() -> None:
    document = plan(SMASH, checkin(2, 7, minutes=60)).to_json()
    assert document["first_side"] == "right"
    assessments = [s for s in document["steps"] if s["kind"] == "assessment"]
    assert [s["assessment"]["assess"] for s in assessments] == ["baseline", "mid", "final"]
    assert all(s["side"] is None for s in assessments)
