"""The planner and the kit at hand: substitutes planned as themselves, or a reason to leave out."""

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.pain_rules import PainRule
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.planner import _equip, substitute_step
from sirelief.domain.routine import ExerciseStep
from tests.domain.planner_support import (
    SMASH,
    STRETCHES,
    checkin,
    exercise_steps,
    plan,
    plan_assessments,
)


def hamstring_steps(p: Plan) -> list[PlanStep]:
    return exercise_steps(p, "supine-hamstring-strap")


def test_hamstring_strap_without_a_strap_plans_the_towel_stretch_as_itself(
    catalogue: Catalogue,
) -> None:
    p = plan(STRETCHES, checkin(equipment=["towel", "mat"]))
    assert hamstring_steps(p) == []
    steps = exercise_steps(p, "supine-hamstring-towel")
    towel = catalogue.exercise("supine-hamstring-towel")
    assert steps
    assert all(s.title == towel.name for s in steps)
    assert {s.side for s in steps} == {"left", "right"}
    assert not any(s.note and "strap" in s.note.lower() for s in p.steps)
    assert "No strap at hand, so: Lying hamstring stretch with a towel." in p.reasons


def test_hamstring_strap_with_a_strap_needs_no_substitute() -> None:
    p = plan(STRETCHES, checkin(equipment=["strap"]))
    assert hamstring_steps(p)
    assert all(s.note is None for s in hamstring_steps(p))
    assert not any(r.startswith("No strap at hand") for r in p.reasons)


def test_hamstring_strap_without_strap_or_towel_plans_the_hands_version() -> None:
    p = plan(STRETCHES, checkin(equipment=[]))
    assert hamstring_steps(p) == exercise_steps(p, "supine-hamstring-towel") == []
    steps = exercise_steps(p, "supine-hamstring-hands")
    assert steps
    assert all(s.title == "Lying hamstring stretch, hands behind the thigh" for s in steps)
    assert "No strap at hand, so: Lying hamstring stretch, hands behind the thigh." in p.reasons


def test_smashes_without_a_kettlebell_become_foam_roller_releases(catalogue: Catalogue) -> None:
    p = plan(SMASH, checkin(5, 1, equipment=["foam_roller"]))
    smashes = ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash")
    assert not any(s.exercise_id in smashes for s in p.steps)
    release = catalogue.exercise("roller-calf-release")
    calf = exercise_steps(p, "roller-calf-release")
    assert {s.side for s in calf} == {"left", "right"}
    assert all(s.title == "Foam-roller calf release" for s in calf)
    # its own timed cues, none of the kettlebell's
    assert [c.say for c in calf[0].cues] == [c.say for c in release.dose.cues]
    assert not any("kettlebell" in (s.title + " ".join(c.say for c in s.cues)).lower()
                   for s in p.steps)  # fmt: skip
    for name in ("Foam-roller hip-flexor release", "Foam-roller inner-thigh release",
                 "Foam-roller calf release"):  # fmt: skip
        assert f"No kettlebell at hand, so: {name}." in p.reasons
    # the side policy and the assessment points are those of the routine
    assert plan_assessments(p) == ["baseline", "mid", "final"]
    assert p.first_side == "left"
    first = [s.side for s in p.steps if s.kind == "exercise" and s.block_id == "smash"]
    assert first[: len(first) // 2] == ["left"] * (len(first) // 2)


def test_a_substitute_keeps_the_routine_dose_within_its_own_range(catalogue: Catalogue) -> None:
    """The routine asks 3 min of each smash; the release's range allows it, so 3 min it is."""
    p = plan(SMASH, checkin(5, 1, equipment=["foam_roller"]))
    hip = exercise_steps(p, "roller-hip-flexor-release")
    assert {s.duration_s for s in hip} == {180}


def test_a_substitute_the_pain_rule_leaves_out_is_not_planned(catalogue: Catalogue) -> None:
    """The substitute's own category counts: a rule without rolling gets no roller release."""
    no_rolling = PainRule("test", "No rolling.", left_out_categories=frozenset({"foam_rolling"}))
    step = ExerciseStep(exercise="kb-hip-flexor-smash", minutes=3)
    reasons: list[str] = []
    smash = catalogue.exercise("kb-hip-flexor-smash")
    kit = checkin(equipment=["foam_roller"])
    assert _equip(smash, step, kit, reasons, catalogue, no_rolling) is None
    assert reasons == [
        "Left out Kettlebell hip flexor smash: it needs a kettlebell, which you do not have "
        "at hand."
    ]
    work = _equip(smash, step, kit, reasons, catalogue, PainRule("test", "Fine."))
    assert work is not None
    assert work.exercise.id == "roller-hip-flexor-release"
    assert work.step.exercise == "roller-hip-flexor-release"
    assert work.step.minutes == 3


def test_a_substitute_step_keeps_numbers_inside_its_ranges(catalogue: Catalogue) -> None:
    towel = catalogue.exercise("supine-hamstring-towel")
    step = ExerciseStep(exercise="supine-hamstring-strap", hold_s=90, sets=1, note="Slowly.")
    moved = substitute_step(step, towel)
    assert (moved.exercise, moved.hold_s, moved.sets, moved.note) == (
        "supine-hamstring-towel",
        towel.dose.hold_s_range[1],
        1,
        "Slowly.",
    )
    timed = ExerciseStep(exercise="supine-hamstring-strap", minutes=2)
    assert substitute_step(timed, towel).minutes is None  # a hold has no minutes


def test_an_exercise_with_no_possible_equipment_is_left_out_with_a_reason() -> None:
    p = plan(SMASH, checkin(5, 1, equipment=["mat", "band"]))
    smashes = ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash")
    assert not any(s.exercise_id in smashes for s in p.steps)
    for name in ("Kettlebell hip flexor smash", "Kettlebell adductor smash",
                 "Kettlebell calf smash"):  # fmt: skip
        assert any(r.startswith(f"Left out {name}") and "kettlebell" in r for r in p.reasons)
    # the assessments still run
    assert plan_assessments(p) == ["baseline", "mid", "final"]
