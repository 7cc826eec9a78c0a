"""A routine as a paper sheet (issue 18 item 7): what each block asks, in running order.

Pure: a ``Routine`` and the ``Catalogue`` in, plain rows out, for a page to draw and a
printer to print. Each exercise is written out in full once (figure, dose, sides, cues,
stop signs); an exercise the routine names again points back to its first row, so a
routine of a dozen exercises fits on two sheets of paper.
"""

from dataclasses import dataclass, field

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.dose import TimedDose
from sirelief.domain.monitoring import PAIN_LIMIT
from sirelief.domain.prescription import describe_dose, effective_dose
from sirelief.domain.routine import AssessmentStep, Block, ChoiceStep, ExerciseStep, Routine
from sirelief.domain.vocabulary import label

SAFETY_LINE = (
    f"Stop at once on sharp pain, pain over {PAIN_LIMIT} out of 10, or numbness, tingling "
    "or shooting pain; if it has not gone within a few minutes, or comes back, see a "
    "clinician. Numbness around the genitals or inner thighs, new trouble controlling "
    "your bladder or bowels, or weakness in both legs: call the emergency number now. "
    "This sheet informs and coaches; it does not diagnose and does not replace a clinician."
)
"""SPEC 5 and 5.5 in one paragraph: the stop words, the emergency words, the disclaimer."""

ORDER_WORDS = {
    "tighter_first": "Work the tighter side first: every exercise below in order, then the "
    "other side.",
    "both": "Each exercise on one side, then the other, before the next exercise.",
    "alternate": "Alternate the sides set by set.",
    "left": "Left side only.",
    "right": "Right side only.",
}
"""How a block's side policy orders the work (``domain/timeline.py`` runs it so)."""
SIDE_WORDS = {"one_side": "one side at a time", "both_directions": "each way in turn",
              "bilateral": "both sides together"}  # fmt: skip


@dataclass(frozen=True)
class SheetExercise:
    """One exercise row: written out in full, or (``first_at``) pointing back."""

    mark: str
    """Its place on the sheet: ``2b`` is the second exercise of block 2."""
    exercise_id: str
    name: str
    dose: str
    sides: str
    note: str | None = None
    cues: tuple[str, ...] = ()
    stop_signs: tuple[str, ...] = ()
    first_at: str | None = None
    """The mark of the row that already shows this exercise's cues and stop signs."""


@dataclass(frozen=True)
class SheetStep:
    """A row of a block: a check (``text``), an exercise, or a choice of exercises."""

    text: str | None = None
    exercise: SheetExercise | None = None
    options: tuple[SheetExercise, ...] = ()


@dataclass(frozen=True)
class SheetBlock:
    number: int
    title: str
    purpose: str | None
    optional: bool
    order: str | None
    """How the sides go (only where an exercise works one side at a time)."""
    steps: tuple[SheetStep, ...]
    between: tuple[SheetStep, ...] = ()
    """Done between the two sides (a tighter-first block's mid check)."""


@dataclass(frozen=True)
class Sheet:
    title: str
    summary: str
    version: int
    author: str | None
    blocks: tuple[SheetBlock, ...]
    safety: str = SAFETY_LINE
    exercise_ids: tuple[str, ...] = field(default=())
    """Every exercise written out in full, once each (the figures to draw)."""


def build_sheet(routine: Routine, catalogue: Catalogue) -> Sheet:
    """The sheet of ``routine``: blocks numbered from 1, exercises lettered in each."""
    seen: dict[str, str] = {}
    blocks = tuple(
        _block(number, block, catalogue, seen)
        for number, block in enumerate(routine.blocks, start=1)
    )
    return Sheet(
        routine.name, routine.summary, routine.version, routine.author, blocks,
        exercise_ids=tuple(seen),
    )  # fmt: skip


def _block(number: int, block: Block, catalogue: Catalogue, seen: dict[str, str]) -> SheetBlock:
    letters = iter("abcdefghijklmnopqrstuvwxyz" * 4)
    marks = lambda: f"{number}{next(letters)}"  # noqa: E731 - one counter per block
    steps = tuple(_step(step, catalogue, seen, marks) for step in block.steps)
    between = tuple(_step(step, catalogue, seen, marks) for step in block.between_sides)
    exercises = [row for step in (*steps, *between) for row in _exercises(step)]
    one_sided = any(catalogue.exercise(row.exercise_id).is_one_sided for row in exercises)
    return SheetBlock(
        number, block.title, block.purpose, block.optional,
        ORDER_WORDS[block.sides] if one_sided else None, steps, between,
    )  # fmt: skip


def _exercises(step: SheetStep) -> list[SheetExercise]:
    return [step.exercise] if step.exercise else list(step.options)


def _step(step, catalogue: Catalogue, seen: dict[str, str], mark) -> SheetStep:
    if isinstance(step, AssessmentStep):
        return SheetStep(text=_check_words(step))
    if isinstance(step, ChoiceStep):
        options = tuple(_exercise(option, catalogue, seen, mark()) for option in step.options)
        return SheetStep(text=f"{step.title} (choose {step.choose}):", options=options)
    assert isinstance(step, ExerciseStep)
    return SheetStep(exercise=_exercise(step, catalogue, seen, mark()))


def _exercise(
    step: ExerciseStep, catalogue: Catalogue, seen: dict[str, str], mark: str
) -> SheetExercise:
    exercise = catalogue.exercise(step.exercise)
    dose = effective_dose(exercise, step)
    if isinstance(dose, TimedDose):  # the spoken cues are the app's; paper has the cues
        dose = dose.model_copy(update={"cues": []})
    dose_words = describe_dose(dose, exercise, tempo=False)
    row = SheetExercise(mark, exercise.id, exercise.name, dose_words,
                        SIDE_WORDS[exercise.laterality], step.note)  # fmt: skip
    if exercise.id in seen:
        return SheetExercise(**{**row.__dict__, "first_at": seen[exercise.id]})
    seen[exercise.id] = mark
    return SheetExercise(
        **{**row.__dict__, "cues": tuple(exercise.cues), "stop_signs": tuple(exercise.stop_signs)}
    )


def _check_words(step: AssessmentStep) -> str:
    """``Check: 8 slow squats, then rate hip, ankle on each side and pain now.``"""
    squats = f"{step.squat_reps} slow squats, then " if step.squat_reps else ""
    ratings = ", ".join(label(region) for region in step.ratings)
    pain = " and your pain now" if step.pain else ""
    note = f" {step.note}" if step.note else ""
    check = label(step.assess).capitalize()
    return f"{check} check: {squats}rate {ratings} on each side{pain}.{note}"
