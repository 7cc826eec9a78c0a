"""The routine a coach assigned, as a FHIR CarePlan: one activity per exercise, with its dose.

The CarePlan tells a clinic's system what the person was asked to do; the assignment itself
stays the clinic's record in sirelief, so an import reads the CarePlan for its checks only.
"""

from typing import Any

from fhir.resources.R4B.careplan import CarePlan

from sirelief.domain.routine import ChoiceStep, ExerciseStep, Routine
from sirelief.services import fhir_codes as codes

EXERCISES = f"{codes.BASE}/CodeSystem/exercises"
"""The app's exercise ids (``sirelief exercises list``)."""
ROUTINE_ID = f"{codes.ID_SYSTEM}/routine"


def dose_words(step: ExerciseStep) -> str:
    """The step's own dose in words; the exercise's defaults apply where it gives none."""
    parts = []
    if step.sets is not None:
        parts.append(f"{step.sets} sets")
    if step.reps is not None:
        parts.append(f"{step.reps} reps")
    if step.hold_s is not None:
        parts.append(f"hold {step.hold_s} s")
    if step.minutes is not None:
        parts.append(f"{step.minutes} min")
    if step.rest_s is not None:
        parts.append(f"rest {step.rest_s} s")
    return ", ".join(parts) or "the exercise's usual dose"


def _activity(step: ExerciseStep, block_title: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "kind": "Task",
        "code": {
            "coding": [{"system": EXERCISES, "code": step.exercise}],
            "text": step.exercise.replace("-", " "),
        },
        "status": "not-started",
        "description": f"{block_title}: {dose_words(step)}",
    }
    if step.sets is not None or step.reps is not None:
        count = (step.sets or 1) * (step.reps or 1)
        detail["quantity"] = {"value": count, "unit": "repetitions"}
    return {"detail": detail}


def care_plan(routine: Routine, patient: str, plan_id: str) -> CarePlan:
    """The assigned routine as an active CarePlan of exercise activities."""
    activities = []
    for block in routine.blocks:
        for step in [*block.steps, *block.between_sides]:
            if isinstance(step, ExerciseStep):
                activities.append(_activity(step, block.title))
            elif isinstance(step, ChoiceStep):
                activities.extend(
                    _activity(option, f"{block.title} ({step.title})") for option in step.options
                )
    code, display = codes.EXERCISE_THERAPY
    return CarePlan(
        id=plan_id,
        identifier=[{"system": ROUTINE_ID, "value": f"{routine.id}@{routine.version}"}],
        status="active",
        intent="plan",
        category=[{"coding": [{"system": codes.SNOMED, "code": code, "display": display}]}],
        title=routine.name,
        description=routine.summary,
        subject={"reference": patient},
        activity=activities,
    )
