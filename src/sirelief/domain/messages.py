"""Turn pydantic's validation errors into plain messages a coach can act on.

Pydantic says "Input should be less than or equal to 300"; a coach needs "hold_s must
be between 5 and 300 seconds, got 900". This is the one place that translates.
"""

import difflib
from collections.abc import Iterable

from pydantic import BaseModel, ValidationError

from sirelief.domain.dose import LIMITS
from sirelief.domain.problems import Path, Problem

_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_WHOLE_NUMBER = {"int_type", "int_parsing", "int_from_float"}
_KIND_WORDS = {
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (lines of 'key: value')",
    "model_type": "a mapping (lines of 'key: value')",
    "model_attributes_type": "a mapping (lines of 'key: value')",
}


def field_names(models: Iterable[type[BaseModel]]) -> set[str]:
    """Every field name of these models and the models nested inside them."""
    seen: set[type[BaseModel]] = set()
    names: set[str] = set()
    pending = list(models)
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(name)
            pending.extend(_nested_models(info.annotation))
    return names


def _nested_models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(arg))
    metadata = getattr(annotation, "__metadata__", ())
    if metadata:
        found.extend(_nested_models(annotation.__origin__))  # type: ignore[attr-defined]
    return found


def _shown(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return str(value)


def _field_of(loc: Path) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "value"


def _strip_tags(loc: tuple[str | int, ...], tags: set[str]) -> Path:
    """Drop the union-tag segments pydantic inserts (``steps.0.exercise.hold_s``)."""
    cleaned: list[str | int] = []
    for index, part in enumerate(loc):
        follows_item = index > 0 and isinstance(loc[index - 1], int)
        if follows_item and part in tags and index + 1 < len(loc):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def problems_from_validation(
    error: ValidationError, known_fields: set[str], union_tags: set[str] = frozenset()
) -> list[Problem]:
    """One ``Problem`` (with its document path) per pydantic error."""
    problems = []
    for detail in error.errors():
        loc = _strip_tags(tuple(detail["loc"]), set(union_tags))
        problems.append(Problem(message=_message(detail, loc, known_fields), path=loc))
    return problems


def _message(detail: dict, loc: Path, known_fields: set[str]) -> str:
    kind = detail["type"]
    name = _field_of(loc)
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        return f"{name} is missing: add a line '{name}: ...' here"
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(name, sorted(known_fields), n=1)
        hint = f": did you mean '{guess[0]}'?" if guess else ": remove it or check its spelling"
        return f"unknown field '{name}'{hint}"
    if kind in _RANGE_ERRORS:
        limit = LIMITS.get(name)
        bound = next(iter(ctx.values()), None)
        if limit and bound in (limit.low, limit.high):
            return f"{name} {limit.describe(value)}"
        bound = next(iter(ctx.values()), "?")
        relation = {
            "greater_than": "more than",
            "greater_than_equal": "at least",
            "less_than": "less than",
            "less_than_equal": "at most",
        }[kind]
        return f"{name} must be {relation} {bound}, got {value}"
    if kind in _WHOLE_NUMBER:
        return f"{name} must be a whole number, got {_shown(value)}"
    if kind in _KIND_WORDS:
        return f"{name} must be {_KIND_WORDS[kind]}, got {_shown(value)}"
    if kind == "literal_error":
        allowed = [
            word.strip("'") for word in ctx.get("expected", "").replace(" or ", ", ").split(", ")
        ]
        guess = difflib.get_close_matches(str(value), allowed, n=1)
        hint = f" - did you mean '{guess[0]}'?" if guess else ""
        return f"{name} must be one of {', '.join(allowed)}; got {_shown(value)}{hint}"
    if kind == "step_kind":
        return detail["msg"]
    if kind == "string_pattern_mismatch" and name == "tempo":
        return (
            f"tempo must be three whole numbers of seconds joined by hyphens, for the "
            f"lowering, the pause and the lifting (e.g. 3-1-2), got {_shown(value)}"
        )
    if kind == "string_pattern_mismatch":
        if name in {"id", "exercise"} or "id" in name:
            return (
                f"{name} must be a kebab-case id (lowercase letters and digits joined by "
                f"single hyphens, e.g. my-routine), got {_shown(value)}"
            )
        return f"{name} has the wrong form, got {_shown(value)}: expected {ctx.get('pattern')}"
    if kind == "string_too_short":
        need = ctx.get("min_length", 1)
        if need <= 1 or not value:
            return f"{name} must not be empty"
        return f"{name} needs at least {need} characters, got {_shown(value)}"
    if kind == "string_too_long":
        return f"{name} is too long: keep it under {ctx.get('max_length')} characters"
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return f"{name} needs at least {need} item{'s' if need != 1 else ''}"
    if kind == "too_long":
        return f"{name} can hold at most {ctx.get('max_length')} items"
    if kind == "union_tag_invalid":
        return f"{name} must be one of {ctx.get('expected_tags')}; got {_shown(ctx.get('tag'))}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    return f"{name}: {detail['msg']}"
