"""Stage two of routine validation: does the routine make sense against the catalogue?

Stage one (the models) knows a dose must be a number in range; only here do we know
that ``kb-calf-smash`` is timed work so ``hold_s`` means nothing for it, that a ``mid``
assessment needs a ``baseline`` to compare with, or that a 20-minute smash is far from
what anyone advises (a warning, not an error).
"""

from collections.abc import Iterator
from typing import Any

from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.dose import LIMITS, HoldDose, TimedDose, check_cues
from sirelief.domain.exercise import Exercise
from sirelief.domain.problems import Path, Problem
from sirelief.domain.routine import AssessmentStep, ChoiceStep, ExerciseStep, Routine

_FIELDS_BY_KIND = {
    "hold": {"hold_s", "sets", "rest_s"},
    "timed": {"minutes", "cues"},
    "reps": {"reps", "sets", "tempo", "rest_s"},
}
_MAIN_FIELD = {"hold": "hold_s", "timed": "minutes", "reps": "reps"}
PLATEAU_SECONDS = 4 * 60
"""Stretching time per muscle per session beyond which gains level off (SPEC 3)."""
_ONE_SIDED_POLICIES = {"tighter_first", "left", "right", "alternate"}


def check_routine(routine: Routine, catalogue: Catalogue) -> list[Problem]:
    """Every problem of meaning in ``routine``, errors and warnings, with document paths."""
    problems: list[Problem] = []
    problems += _duplicate_block_ids(routine)
    for path, step in _exercise_steps(routine):
        problems += _check_exercise_step(path, step, catalogue)
    problems += _check_assessments(routine)
    for index, block in enumerate(routine.blocks):
        problems += _check_block(("blocks", index), block, catalogue)
    problems += _check_defaults(routine)
    return problems


def _check_defaults(routine: Routine) -> list[Problem]:
    """A routine is the default only for moments it suits, and kit needs a moment."""
    problems = [
        Problem(
            message=f"default_for lists '{context}', which is not in contexts: add it there",
            path=("default_for", index),
        )
        for index, context in enumerate(routine.default_for)
        if context not in routine.contexts
    ]
    if routine.default_needs and not routine.default_for:
        problems.append(
            Problem(
                message="default_needs only matters with default_for: name the moments",
                path=("default_needs",),
            )
        )
    return problems


def _walk(steps: list[Any], path: Path) -> Iterator[tuple[Path, Any]]:
    for index, step in enumerate(steps):
        yield (*path, index), step


def _steps(routine: Routine) -> Iterator[tuple[Path, Any]]:
    """Every top-level step in running order (first side, between sides, second side)."""
    for index, block in enumerate(routine.blocks):
        yield from _walk(block.steps, ("blocks", index, "steps"))
        yield from _walk(block.between_sides, ("blocks", index, "between_sides"))


def _exercise_steps(routine: Routine) -> Iterator[tuple[Path, ExerciseStep]]:
    for path, step in _steps(routine):
        if isinstance(step, ExerciseStep):
            yield path, step
        elif isinstance(step, ChoiceStep):
            yield from _walk(step.options, (*path, "options"))


def _duplicate_block_ids(routine: Routine) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for index, block in enumerate(routine.blocks):
        if block.id is None:  # a broken id, already reported by stage one
            continue
        if block.id in seen:
            problems.append(
                Problem(
                    message=f"block id '{block.id}' is used twice (first in block "
                    f"{seen[block.id] + 1}): give each block its own id",
                    path=("blocks", index, "id"),
                )
            )
        seen.setdefault(block.id, index)
    return problems


def _check_exercise_step(path: Path, step: ExerciseStep, catalogue: Catalogue) -> list[Problem]:
    try:
        exercise = catalogue.exercise(step.exercise)
    except UnknownIdError as unknown:
        return [
            Problem(message=f"{unknown} (see: sirelief exercises list)", path=(*path, "exercise"))
        ]
    problems = []
    allowed = _FIELDS_BY_KIND[exercise.dose.kind]
    for name in step.overrides():
        if name not in allowed:
            problems.append(
                Problem(
                    message=f"{name} does not apply to {exercise.id}, which is "
                    f"{_kind_phrase(exercise)}: set {_MAIN_FIELD[exercise.dose.kind]} instead "
                    f"(fields allowed here: {', '.join(sorted(allowed))})",
                    path=(*path, name),
                )
            )
    if not problems:
        problems += _dose_warnings(path, step, exercise)
    return problems


def _kind_phrase(exercise: Exercise) -> str:
    return {
        "hold": "held in seconds",
        "timed": "timed work in minutes",
        "reps": "done in repetitions",
    }[exercise.dose.kind]


def _dose_warnings(path: Path, step: ExerciseStep, exercise: Exercise) -> list[Problem]:
    """Warn on doses far outside SPEC 3, and check cues against the effective length."""
    dose = exercise.dose
    problems = []
    for name, value in step.overrides().items():
        limit = LIMITS.get(name)
        if limit and not limit.usual_low <= value <= limit.usual_high:
            problems.append(
                Problem(
                    severity="warning",
                    message=f"{name} {value:g} is far from the usual {limit.usual_low:g}-"
                    f"{limit.usual_high:g} {limit.unit} ({limit.why_usual}); "
                    f"keep it only if you mean it",
                    path=(*path, name),
                )
            )
    if isinstance(dose, TimedDose) and (step.minutes is not None or step.cues is not None):
        minutes = step.minutes if step.minutes is not None else dose.minutes
        cues = step.cues if step.cues is not None else []
        try:
            check_cues(cues, minutes)
        except ValueError as error:
            problems.append(Problem(message=str(error), path=(*path, "cues")))
    if isinstance(dose, HoldDose):
        seconds = (step.hold_s or dose.hold_s) * (step.sets or dose.sets)
        if seconds > PLATEAU_SECONDS:
            problems.append(
                Problem(
                    severity="warning",
                    message=f"{seconds // 60} min {seconds % 60} s of holding per side; gains "
                    "level off near 4 minutes per muscle a session (Ingram 2024)",
                    path=path,
                )
            )
    return problems


def _check_assessments(routine: Routine) -> list[Problem]:
    """Baseline first, then mid and/or final, each at most once, rating what was rated."""
    points: list[tuple[Path, AssessmentStep]] = [
        (path, step) for path, step in _steps(routine) if isinstance(step, AssessmentStep)
    ]
    problems = []
    seen: dict[str, Path] = {}
    order: dict[str, int] = {}
    baseline: AssessmentStep | None = None
    for position, (path, step) in enumerate(points):
        if step.assess in seen:
            problems.append(
                Problem(
                    message=f"a second '{step.assess}' assessment: each of "
                    "baseline, mid and final may appear once",
                    path=(*path, "assess"),
                )
            )
            continue
        seen[step.assess], order[step.assess] = path, position
        if step.assess == "baseline":
            if len(seen) > 1:
                problems.append(
                    Problem(
                        message="the baseline must come before the mid and final assessments",
                        path=(*path, "assess"),
                    )
                )
            baseline = step
        elif baseline is None:
            problems.append(
                Problem(
                    message=f"a '{step.assess}' assessment needs a 'baseline' assessment before "
                    "it to compare with: add '- assess: baseline' earlier",
                    path=(*path, "assess"),
                )
            )
        else:
            if step.knee_to_wall and not baseline.knee_to_wall:
                problems.append(
                    Problem(
                        message="knee_to_wall is measured here but not at the baseline, so "
                        "there is nothing to compare: add 'knee_to_wall: true' to the baseline",
                        path=(*path, "knee_to_wall"),
                    )
                )
            missing = [r for r in step.ratings if r not in baseline.ratings]
            if missing:
                problems.append(
                    Problem(
                        message=f"ratings {', '.join(missing)} were not rated at the baseline, so "
                        "there is nothing to compare: add them to the baseline's ratings",
                        path=(*path, "ratings"),
                    )
                )
    if "mid" in order and "final" in order and order["final"] < order["mid"]:
        problems.append(
            Problem(
                message="the final assessment must come after the mid one",
                path=(*seen["final"], "assess"),
            )
        )
    if baseline is not None and not {"mid", "final"} & seen.keys():
        problems.append(
            Problem(
                message="a baseline assessment without a 'mid' or 'final' to pair with measures "
                "nothing: add '- assess: final' after the work",
                path=(*seen["baseline"], "assess"),
            )
        )
    return problems


def _check_block(path: Path, block: Any, catalogue: Catalogue) -> list[Problem]:
    problems = []
    if block.priority is not None and not block.optional:
        problems.append(
            Problem(
                message="priority only matters for optional blocks: add 'optional: true' or "
                "remove priority",
                path=(*path, "priority"),
            )
        )
    if block.between_sides and block.sides != "tighter_first":
        problems.append(
            Problem(
                message="between_sides needs 'sides: tighter_first' (the block runs on one side, "
                "then these steps, then on the other side)",
                path=(*path, "between_sides"),
            )
        )
    if block.sides == "tighter_first":
        problems += [
            Problem(
                message="an assessment inside a tighter_first block's steps would run once "
                "per side: move it to between_sides or to a block of its own",
                path=(*path, "steps", index, "assess"),
            )
            for index, step in enumerate(block.steps)
            if isinstance(step, AssessmentStep)
        ]
    if block.sides in _ONE_SIDED_POLICIES and not _has_one_sided_work(block, catalogue):
        problems.append(
            Problem(
                severity="warning",
                message=f"sides: {block.sides} has no effect: every exercise in this block works "
                "both sides at once",
                path=(*path, "sides"),
            )
        )
    return problems


def _has_one_sided_work(block: Any, catalogue: Catalogue) -> bool:
    ids: list[str] = []
    for step in block.steps:
        if isinstance(step, ExerciseStep):
            ids.append(step.exercise)
        elif isinstance(step, ChoiceStep):
            ids.extend(option.exercise for option in step.options)
    known = [catalogue.exercises[i] for i in ids if i in catalogue]
    return not known or any(exercise.is_one_sided for exercise in known)
