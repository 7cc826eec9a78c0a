"""What a routine step actually asks for: the exercise default with the step's overrides."""

from sirelief.domain.dose import Dose, HoldDose, RepsDose, TimedDose
from sirelief.domain.dosing import scale_cues
from sirelief.domain.exercise import Exercise
from sirelief.domain.routine import ExerciseStep
from sirelief.domain.vocabulary import SidePolicy


def effective_dose(exercise: Exercise, step: ExerciseStep | None = None) -> Dose:
    """The exercise's dose with a routine step's overrides applied.

    Ranges widen to include an override, so a coach's choice is never "out of range".
    Cues given by the step replace the exercise's; when only the minutes change, the
    exercise's cues are stretched or squeezed to the new length.
    """
    dose = exercise.dose
    if step is None:
        return dose
    changes = {k: v for k, v in step.overrides().items() if k in type(dose).model_fields}
    if isinstance(dose, TimedDose) and "minutes" in changes and "cues" not in changes:
        changes["cues"] = scale_cues(
            dose.cues, round(dose.minutes * 60), round(changes["minutes"] * 60)
        )
    for name in ("hold_s", "sets", "minutes", "reps"):
        bounds = getattr(dose, f"{name}_range", None)
        if name in changes and bounds is not None:
            value = changes[name]
            changes[f"{name}_range"] = [min(bounds[0], value), max(bounds[1], value)]
    return dose.model_copy(update=changes)


def describe_dose(dose: Dose, exercise: Exercise, tempo: bool = True) -> str:
    """Short human wording: ``2 x 30 s per side``, ``3 min per side, 4 timed cues``.

    The per-side words come from the exercise's laterality; cues are counted last.
    """
    if isinstance(dose, HoldDose):
        return f"{dose.sets} x {dose.hold_s} s{_per_side(exercise)}"
    if isinstance(dose, TimedDose):
        cues = f", {len(dose.cues)} timed cues" if dose.cues else ""
        return f"{dose.minutes:g} min{_per_side(exercise)}{cues}"
    assert isinstance(dose, RepsDose)
    sets = f" x {dose.sets}" if dose.sets > 1 else ""
    pace = f" (tempo {dose.tempo})" if tempo else ""
    return f"{dose.reps} reps{sets}{_per_side(exercise)}{pace}"


def _per_side(exercise: Exercise) -> str:
    return {"one_side": " per side", "both_directions": " each way", "bilateral": ""}[
        exercise.laterality
    ]


SIDE_POLICY_WORDS: dict[SidePolicy, str] = {
    "tighter_first": "tighter side first, then the other side",
    "both": "each side in turn",
    "alternate": "alternating sides set by set",
    "left": "left side only",
    "right": "right side only",
}
