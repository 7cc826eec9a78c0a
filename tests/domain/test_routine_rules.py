"""Stage-two rules: warnings for doses far from the evidence, and the effective dose."""

from typing import Any

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.dose import HoldDose, TimedDose
from sirelief.domain.prescription import describe_dose, effective_dose
from sirelief.domain.routine import ExerciseStep, Routine
from sirelief.domain.routine_rules import check_routine


def _routine(*steps: dict[str, Any], sides: str = "both") -> Routine:
    return Routine.model_validate({
        "id": "test-routine", "name": "Test", "summary": "A test.",
        "blocks": [{"id": "only", "title": "Only", "sides": sides, "steps": list(steps)}],
    })  # fmt: skip


def test_far_doses_warn_but_do_not_fail(catalogue: Catalogue) -> None:
    routine = _routine(
        {"exercise": "kb-calf-smash", "minutes": 30},
        {"exercise": "figure-four-piriformis", "sets": 15},
    )
    problems = check_routine(routine, catalogue)
    assert {p.severity for p in problems} == {"warning"}
    messages = " | ".join(p.message for p in problems)
    assert "minutes 30 is far from the usual 0.5-8 minutes" in messages
    assert "sets 15 is far from the usual 1-6 sets" in messages


def test_long_total_holding_warns_about_the_plateau(catalogue: Catalogue) -> None:
    routine = _routine({"exercise": "supine-hamstring-strap", "hold_s": 120, "sets": 3})
    problems = check_routine(routine, catalogue)
    assert any("level off near 4 minutes" in p.message for p in problems)


def test_usual_doses_give_no_problem(catalogue: Catalogue) -> None:
    routine = _routine({"exercise": "supine-hamstring-strap", "hold_s": 45, "sets": 3})
    assert check_routine(routine, catalogue) == []


def test_side_policy_without_one_sided_work_warns(catalogue: Catalogue) -> None:
    routine = _routine({"exercise": "banded-glute-bridge"}, sides="tighter_first")
    [problem] = check_routine(routine, catalogue)
    assert problem.severity == "warning"
    assert problem.path == ("blocks", 0, "sides")


def test_effective_dose_applies_overrides_and_widens_ranges(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("supine-hamstring-strap")
    dose = effective_dose(exercise, ExerciseStep(exercise="supine-hamstring-strap", hold_s=90))
    assert isinstance(dose, HoldDose)
    assert dose.hold_s == 90
    assert dose.sets == exercise.dose.sets
    assert dose.hold_s_range[1] == 90
    assert describe_dose(dose, exercise) == f"{dose.sets} x 90 s per side"


def test_shorter_smash_squeezes_its_cues(catalogue: Catalogue) -> None:
    exercise = catalogue.exercise("kb-calf-smash")
    dose = effective_dose(exercise, ExerciseStep(exercise="kb-calf-smash", minutes=1.5))
    assert isinstance(dose, TimedDose)
    assert [c.say for c in dose.cues] == [c.say for c in exercise.dose.cues]
    assert [c.at_s for c in dose.cues] == [round(c.at_s / 2) for c in exercise.dose.cues]
