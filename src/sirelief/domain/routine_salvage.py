"""The parts of a routine file that passed stage one, so stage two can check them too.

Without this, a file with a bad dose and an unknown exercise id reports the dose, and the
id only once the dose is fixed: a coach fixes a file in two rounds where one would do.
Broken values are left out (a field falls back to its default or to ``None``; a step
whose kind cannot be told becomes ``None``), so stage two sees every list at its place in
the file and its problems keep their paths.
"""

from collections.abc import Callable, Iterable
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sirelief.domain.problems import Path
from sirelief.domain.routine import (
    AssessmentStep,
    Block,
    ChoiceStep,
    ExerciseStep,
    Routine,
    step_kind,
)

_STEP_MODELS: dict[str, type[BaseModel]] = {
    "exercise": ExerciseStep,
    "assess": AssessmentStep,
    "choose": ChoiceStep,
}
Broken = Callable[[Path], bool]


def salvage_routine(data: Any, broken_paths: Iterable[Path]) -> Routine | None:
    """A routine of ``data``'s valid parts, unchecked as a whole; None when nothing is left."""
    if not isinstance(data, dict):
        return None
    bad = tuple(broken_paths)

    def broken(path: Path) -> bool:
        return any(found[: len(path)] == path for found in bad)

    raw_blocks = _list(data, "blocks")
    blocks = [_block(raw, ("blocks", index), broken) for index, raw in enumerate(raw_blocks)]
    fields = _valid_fields(Routine, data, (), broken, lists={"blocks"})
    return Routine.model_construct(**fields, blocks=blocks)


def _block(raw: Any, path: Path, broken: Broken) -> Block:
    if not isinstance(raw, dict):
        return Block.model_construct(id=None, steps=[], between_sides=[])
    fields = _valid_fields(Block, raw, path, broken, lists={"steps", "between_sides"})
    steps = {
        name: [_step(step, (*path, name, i), broken) for i, step in enumerate(_list(raw, name))]
        for name in ("steps", "between_sides")
    }
    return Block.model_construct(**fields, **steps)


def _step(raw: Any, path: Path, broken: Broken) -> BaseModel | None:
    kind = step_kind(raw)
    if kind is None or broken((*path, kind)):
        return None  # which kind of step this is cannot be told: nothing to check
    model = _STEP_MODELS[kind]
    if not broken(path):
        try:
            return _adapter(model).validate_python(raw, strict=True)
        except ValidationError:  # the step's own whole-step rule: built field by field below
            pass
    if model is ChoiceStep:
        options = [
            _step(option, (*path, "options", i), broken)
            for i, option in enumerate(_list(raw, "options"))
        ]
        fields = _valid_fields(model, raw, path, broken, lists={"options"})
        return model.model_construct(**fields, options=[o for o in options if o is not None])
    return model.model_construct(**_valid_fields(model, raw, path, broken))


def _valid_fields(
    model: type[BaseModel], raw: dict, path: Path, broken: Broken, lists: set[str] = frozenset()
) -> dict[str, Any]:
    """Each field of ``raw`` that validates on its own; a required field that does not
    is ``None``, an optional one keeps its default."""
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in lists:
            continue
        value = raw.get(name)
        if name in raw and not broken((*path, name)):
            try:
                fields[name] = _field_adapter(model, name).validate_python(value, strict=True)
                continue
            except ValidationError:
                pass
        if info.is_required():
            fields[name] = None
    return fields


def _list(raw: dict, name: str) -> list:
    value = raw.get(name)
    return value if isinstance(value, list) else []


@cache
def _adapter(model: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(model)


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])
