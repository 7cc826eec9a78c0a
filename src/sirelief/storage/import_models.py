"""Each imported record checked with the live domain model that will read it later.

An import must never store what ``/history``, ``/insights`` or ``sirelief report`` then
cannot read, so nothing here is a looser copy: events are ``Event``, check-ins
``CheckIn``, plans go through ``Plan.from_json`` (and must be what ``to_json`` writes),
pain reports and morning answers are the domain dataclasses, assessment values the
``SideRatings``/``KneeToWall``/``KneeToWallAngle`` ranges. Each function returns the
problems it finds as ``(path inside the record, message)``; ``import_check`` puts the
record's place in front.
"""

import dataclasses
import functools
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from sirelief.domain.checkin import CheckIn, KneeToWall, Rating, SideRatings
from sirelief.domain.inclinometer import KneeToWallAngle
from sirelief.domain.model_base import Slug
from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.records import MorningAnswer, PainReport
from sirelief.domain.routine import Routine
from sirelief.domain.safety import Urgency
from sirelief.domain.session import Event, SessionSeconds
from sirelief.domain.vocabulary import AssessmentPoint, RatingRegion, Side

Loc = tuple[str | int, ...]
Found = tuple[Loc, str]

ROW_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""Ids of check-ins, sessions, stops, notes, routines and the profile (UUID hex when made
here); they key text columns of 32 characters."""
EVENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""The same rule as the domain's ``EventId``."""
INT32 = (-(2**31), 2**31 - 1)
"""Integer columns hold 32 bits on PostgreSQL."""
KNEE_TO_WALL = "knee_to_wall_cm"
KNEE_TO_WALL_DEG = "knee_to_wall_deg"
"""The phone-measured knee-to-wall angle, degrees from vertical (0-60)."""


def id_problem(value: str, pattern: re.Pattern[str], longest: int) -> str | None:
    if pattern.fullmatch(value):
        return None
    return f"{value[:40]!r} is not a usable id: use 1 to {longest} letters, digits, '_' or '-'"


def errors_of(error: ValidationError) -> list[Found]:
    """Pydantic's errors as (where, message), in plain words."""
    found = []
    for item in error.errors(include_url=False):
        message = item["msg"]
        message = message[0].lower() + message[1:] if message else "is not valid"
        found.append((tuple(item["loc"]), message))
    return found


def _validated(check, data: Any) -> list[Found]:
    try:
        check(data)
    except ValidationError as error:
        return errors_of(error)
    return []


def event_problems(data: dict[str, Any]) -> list[Found]:
    """The live ``Event`` model: known kind, id format, a finite time, typed fields."""
    return _validated(Event.model_validate, data)


def checkin_problems(answers: dict[str, Any]) -> list[Found]:
    return _validated(CheckIn.model_validate, answers)


def routine_copy_problems(data: dict[str, Any]) -> list[Found]:
    """The routine as it was when planned: the live ``Routine`` shape (no catalogue look-up,
    since exercises may have been renamed since)."""
    return _validated(Routine.model_validate, data)


class StopJson(BaseModel):
    """``StopDecision.to_json``'s shape; the urgency uses the domain's own words."""

    model_config = ConfigDict(extra="forbid", strict=True)

    status: Literal["stop", "review"]
    urgency: Literal["emergency", "same_day", "soon", "review", "urgent", "clinician"]
    """Stops recorded before the four levels (2026-12) used "urgent" and "clinician"."""
    level: Urgency | None = None
    badge: str = ""
    title: str
    flags: list[Slug]
    reasons: list[str]
    what_to_do: str
    disclaimer: str


def stop_problems(decision: dict[str, Any]) -> list[Found]:
    return _validated(StopJson.model_validate, decision)


FiniteSeconds = TypeAdapter(SessionSeconds)
_Rating = TypeAdapter(Rating)
_Point = TypeAdapter(AssessmentPoint)
_Region = TypeAdapter(Literal[(*get_args(RatingRegion), KNEE_TO_WALL, KNEE_TO_WALL_DEG)])
_Side = TypeAdapter(Side)


def assessment_value_problems(point: str, region: str, side: str, value: float) -> list[Found]:
    """One stored value: a 0-10 rating (``SideRatings``) or a distance (``KneeToWall``)."""
    found = _validated(_Point.validate_python, point)
    found = [(("point", *loc), msg) for loc, msg in found]
    for name, adapter, given in (("region", _Region, region), ("side", _Side, side)):
        found += [((name, *loc), msg) for loc, msg in _validated(adapter.validate_python, given)]
    if region == KNEE_TO_WALL:
        checked = _validated(KneeToWall.model_validate, {"left": value, "right": value})
    elif region == KNEE_TO_WALL_DEG:
        checked = _validated(KneeToWallAngle.model_validate, {"left": value, "right": value})
    elif isinstance(value, float) and not value.is_integer():
        return [*found, (("value",), f"{value!r} is not a whole number: ratings are 0 to 10")]
    else:
        whole = int(value) if isinstance(value, float) else value
        checked = _validated(SideRatings.model_validate, {"left": whole, "right": whole})
    return found + [(("value",), msg) for _loc, msg in checked[:1]]


@functools.cache
def _adapter(cls: type) -> TypeAdapter:
    """Built once per type: building one costs far more than validating with it."""
    return TypeAdapter(cls)


def _faithful(cls: type, data: dict[str, Any], to_json) -> list[Found]:
    """A domain dataclass read from ``data``, which must be exactly what it writes back."""
    try:
        value = _adapter(cls).validate_python(data)
    except ValidationError as error:
        return errors_of(error)
    found = difference(data, to_json(value), ())
    return [] if found is None else [found]


def pain_report_problems(data: dict[str, Any]) -> list[Found]:
    """``PainReport``, with the 0-10 range every pain in sirelief has."""
    return _faithful(PainReport, data, dataclasses.asdict) or _pain_range(data["pain"])


def morning_problems(data: dict[str, Any]) -> list[Found]:
    """``MorningAnswer``; its pain (when given) is 0-10 as the question asks."""
    found = _faithful(MorningAnswer, data, dataclasses.asdict)
    return found or ([] if data["pain"] is None else _pain_range(data["pain"]))


def _pain_range(pain: int) -> list[Found]:
    return [(("pain",), msg) for _loc, msg in _validated(_Rating.validate_python, pain)]


def plan_problems(data: dict[str, Any]) -> list[Found]:
    """Read by ``Plan.from_json`` as every page does, typed as ``Plan``, and nothing in it
    that ``to_json`` would not write (so what is stored is what sirelief reads)."""
    steps = data.get("steps")
    if not isinstance(steps, list):
        return [(("steps",), "is missing or not a list of steps")]
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            return [(("steps", index), "is not an object")]
        try:
            PlanStep.from_json(step)
        except KeyError as missing:
            return [(("steps", index, missing.args[0]), "is missing")]
        except ValidationError as error:  # the step's assessment: each error at its place
            return [(("steps", index, "assessment", *loc), msg) for loc, msg in errors_of(error)]
        except (TypeError, ValueError, AttributeError) as error:
            return [(("steps", index), f"cannot be read as a plan step ({_one_line(error)})")]
    try:
        plan = Plan.from_json(data)
    except KeyError as missing:
        return [((missing.args[0],), "is missing")]
    except (TypeError, ValueError, AttributeError) as error:
        return [((), f"cannot be read as a plan ({_one_line(error)})")]
    return _plan_errors(plan, data)


def _one_line(error: Exception) -> str:
    """An exception's first line: a problem is one line of the refusal."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _plan_errors(plan: Plan, data: dict[str, Any]) -> list[Found]:
    try:
        typed = _adapter(Plan).validate_python(dataclasses.asdict(plan))
    except ValidationError as error:
        return [(_plan_loc(loc), msg) for loc, msg in errors_of(error)]
    canonical = typed.to_json()
    # the steps first: a wrong total is only a symptom of a wrong step
    found = difference({k: v for k, v in data.items() if k != "total_s"}, canonical, ())
    if found is None and "total_s" in data:
        found = difference(data["total_s"], canonical["total_s"], ("total_s",))
    return [] if found is None else [found]


def _plan_loc(loc: Loc) -> Loc:
    """Dataclass field names back to the JSON keys ``to_json`` uses."""
    names = {"routine_id": "routine", "block_id": "block"}
    return tuple(names.get(part, part) if isinstance(part, str) else part for part in loc)


def difference(given: Any, canonical: Any, loc: Loc) -> Found | None:
    """The first place where ``given`` is not what sirelief itself would write.

    Keys that ``given`` leaves out are allowed (older files; the reader fills them in);
    extra keys, other types and other values are not. An integer where a number is
    expected is the same number.
    """
    if isinstance(given, dict) and isinstance(canonical, dict):
        for key, value in given.items():
            if key not in canonical:
                return (*loc, key), "is not a field sirelief knows here: remove it"
            found = difference(value, canonical[key], (*loc, key))
            if found is not None:
                return found
        return None
    if isinstance(given, list) and isinstance(canonical, list | tuple):
        if len(given) != len(canonical):
            return loc, f"has {len(given)} entries where {len(canonical)} were expected"
        for index, (item, expected) in enumerate(zip(given, canonical, strict=True)):
            found = difference(item, expected, (*loc, index))
            if found is not None:
                return found
        return None
    numbers = (
        isinstance(given, int | float)
        and isinstance(canonical, float)
        and not isinstance(given, bool)
    )
    if (type(given) is type(canonical) or numbers) and given == canonical:
        return None
    return loc, f"should be {_short(canonical)}, not {_short(given)}"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "..."


def int32_problem(value: int) -> str | None:
    low, high = INT32
    return None if low <= value <= high else f"{value} is out of range ({low} to {high})"
