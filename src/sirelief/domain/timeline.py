"""Lay resolved blocks out as a timeline: set by set, side by side, with rests and changes.

Durations are the planner's estimates of real time: reps take their tempo, getting into
position and switching sides take a few seconds, and an assessment takes its squats plus
the time to answer each rating.
"""

from dataclasses import dataclass

from sirelief.domain.dose import HoldDose, RepsDose, TimedDose
from sirelief.domain.dosing import at_intensity
from sirelief.domain.exercise import Exercise
from sirelief.domain.plan import PlannedCue, PlanSide, PlanStep
from sirelief.domain.prescription import effective_dose
from sirelief.domain.routine import AssessmentStep, Block, ExerciseStep
from sirelief.domain.vocabulary import Side

SETUP_S = 15
"""Getting into position for a new exercise."""
SWITCH_S = 10
"""Changing sides."""
SQUAT_REP_S = 7
RATING_S = 20
"""Answering one region's rating for both sides."""
PAIN_S = 10
KNEE_TO_WALL_S = 60
HALFWAY_FROM_S = 30
"""Holds at least this long get a "halfway" cue."""
ASSESSMENT_TITLES = {"baseline": "Baseline check", "mid": "Mid check", "final": "Final check"}


@dataclass(frozen=True)
class Work:
    """An exercise the person can do now (a substitute for missing kit is one too), with
    the routine step that asked for it and that step's note."""

    exercise: Exercise
    step: ExerciseStep
    note: str | None = None


def other(side: Side) -> Side:
    return "right" if side == "left" else "left"


def build_timeline(
    blocks: list[tuple[Block, tuple, tuple]], first_side: Side, intensity: float
) -> list[PlanStep]:
    steps: list[PlanStep] = []
    for block, items, between in blocks:
        if block.sides == "tighter_first":
            # Each exercise's "get into position" step names the side, so the change of
            # side between the passes needs no step of its own.
            for pass_number, side in enumerate((first_side, other(first_side))):
                if pass_number == 1:
                    steps += _items(block, between, None, intensity)
                steps += _items(block, items, side, intensity, bilateral_once=pass_number == 1)
        else:
            steps += _items(block, (*items, *between), None, intensity)
    return steps


def _items(
    block: Block, items, pass_side: Side | None, intensity: float, bilateral_once: bool = False
) -> list[PlanStep]:
    steps: list[PlanStep] = []
    for item in items:
        if isinstance(item, AssessmentStep):
            steps.append(assessment_step(block.id, item))
            continue
        one_sided = item.exercise.is_one_sided
        if not one_sided and bilateral_once:
            continue
        if not one_sided:
            sides: tuple[PlanSide, ...] = ("both",)
        elif pass_side is not None:
            sides = (pass_side,)
        elif block.sides in ("left", "right"):
            sides = (block.sides,)
        else:
            sides = ("left", "right")
        steps += _work(block, item, sides, intensity, alternate=block.sides == "alternate")
    return steps


def _work(
    block: Block, work: Work, sides: tuple[PlanSide, ...], intensity: float, alternate: bool
) -> list[PlanStep]:
    dose = at_intensity(effective_dose(work.exercise, work.step), intensity)
    name = work.exercise.name
    sets = dose.sets if isinstance(dose, HoldDose | RepsDose) else 1
    where = f", {sides[0]} side" if len(sides) == 1 and sides[0] != "both" else ""
    steps = [
        PlanStep(
            "transition",
            block.id,
            f"Get into position: {name}{where}",
            SETUP_S,
            exercise_id=work.exercise.id,
            side=sides[0],
            note=work.note,
        )
    ]
    order = (
        [(n, s) for n in range(1, sets + 1) for s in sides]
        if alternate
        else [(n, s) for s in sides for n in range(1, sets + 1)]
    )
    for index, (set_number, side) in enumerate(order):
        if index:
            previous_side = order[index - 1][1]
            if side != previous_side:
                steps.append(_switch(block, side, work.exercise.id))
            elif isinstance(dose, HoldDose | RepsDose) and dose.rest_s:
                steps.append(
                    PlanStep(
                        "rest",
                        block.id,
                        "Rest",
                        dose.rest_s,
                        exercise_id=work.exercise.id,
                        side=side,
                    )
                )
        steps.append(_one_set(block, work, dose, side, set_number, sets))
    return steps


def _one_set(block, work: Work, dose, side: PlanSide, set_number: int, sets: int) -> PlanStep:
    common = {"exercise_id": work.exercise.id, "side": side, "set": set_number, "sets": sets,
                  "note": work.note}  # fmt: skip
    title = work.exercise.name
    if isinstance(dose, TimedDose):
        cues = tuple(PlannedCue(c.at_s, c.say) for c in dose.cues)
        return PlanStep("exercise", block.id, title, round(dose.minutes * 60), cues=cues, **common)
    if isinstance(dose, HoldDose):
        cues = (
            (PlannedCue(dose.hold_s // 2, "Halfway. Keep breathing."),)
            if dose.hold_s >= HALFWAY_FROM_S
            else ()
        )
        return PlanStep("exercise", block.id, title, dose.hold_s, cues=cues, **common)
    assert isinstance(dose, RepsDose)
    seconds = dose.reps * sum(int(part) for part in dose.tempo.split("-"))
    return PlanStep(
        "exercise", block.id, title, seconds, reps=dose.reps, tempo=dose.tempo, **common
    )


def _switch(block: Block, side: PlanSide, exercise_id: str | None = None) -> PlanStep:
    return PlanStep(
        "transition",
        block.id,
        f"Switch to the {side} side",
        SWITCH_S,
        exercise_id=exercise_id,
        side=side,
        switches_side=True,
    )


def assessment_step(block_id: str, step: AssessmentStep) -> PlanStep:
    seconds = (step.squat_reps or 0) * SQUAT_REP_S + RATING_S * len(step.ratings)
    seconds += (PAIN_S if step.pain else 0) + (KNEE_TO_WALL_S if step.knee_to_wall else 0)
    return PlanStep(
        "assessment",
        block_id,
        ASSESSMENT_TITLES[step.assess],
        seconds,
        exercise_id="assessment-squat" if step.squat_reps else None,
        side=None,
        reps=step.squat_reps,
        assessment=step,
        note=step.note,
    )
