"""Reading HTML forms into domain objects, with a message per field for the page."""

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from sirelief.domain import checkin_reader
from sirelief.domain.checkin import MINUTES_RANGE, CheckIn, SideRatings
from sirelief.domain.checkin_reader import (
    EQUIPMENT,
    NEXT_ACTIVITIES,
    CheckinError,
    known_flags,
    rating_label,
    whole_number,
)
from sirelief.domain.inclinometer import ANGLE_RANGE
from sirelief.domain.safety import SafetyRules
from sirelief.domain.session import Event
from sirelief.domain.vocabulary import RATED_REGIONS, SIDES
from sirelief.web.request_body import SHORT_FIELD, short_text, valid_id

MAX_STEP = 10_000
"""No plan has this many steps; a larger index is a forged or broken request."""
DISTANCE = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")
"""Centimetres as the form asks for them, ASCII digits only (``float("٣")`` is 3.0)."""
KNEE_TO_WALL_MEASURES = (
    # (field prefix, unit words, range, example)
    ("knee_to_wall", "distance in centimetres", (0.0, 25.0), "8.5"),
    ("knee_to_wall_deg", "shin angle in degrees", ANGLE_RANGE, "34.5"),
)


@dataclass
class FormResult:
    """Parsed values to show again, and messages keyed by the form field's name."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _rating(form: FormData, name: str, result: FormResult, label: str) -> int | None:
    raw = form.get(name)
    if raw in (None, ""):
        result.errors[name] = f"Choose a number from 0 to 10 for {label}."
        return None
    value = whole_number(raw, 0, 10)
    result.values[name] = raw[:SHORT_FIELD] if isinstance(raw, str) else ""
    if value is None:
        result.errors[name] = f"{label.capitalize()} must be a whole number from 0 to 10."
    return value


def read_checkin(form: FormData, safety: SafetyRules) -> tuple[CheckIn | None, FormResult]:
    """The form's fields as the check-in's raw mapping, read by ``checkin_reader``; the
    typed answers are checked here first, each with a message for its own field."""
    result = FormResult()
    data: dict[str, Any] = {"tightness": {}}
    data["pain"] = _rating(form, "pain", result, "pain now")
    for region in RATED_REGIONS:
        data["tightness"][region] = {
            side: _rating(form, f"{region}_{side}", result, rating_label(region, side))
            for side in SIDES
        }
    flags = [flag[: SHORT_FIELD + 1] for flag in form.getlist("red_flags")
             if isinstance(flag, str)]  # fmt: skip
    result.values["red_flags"] = flags
    data["red_flags"] = known_flags(flags, safety)
    if len(data["red_flags"]) != len(flags):
        result.errors["red_flags"] = "One of the ticked questions is unknown; reload the page."
    minutes = short_text(form, "minutes")
    result.values["minutes"] = minutes
    value = whole_number(minutes, *MINUTES_RANGE)
    if value is None:
        result.errors["minutes"] = "Give the minutes you have as a whole number from 1 to 180."
    else:
        data["minutes"] = value
    equipment = [item for item in form.getlist("equipment") if item in EQUIPMENT]
    result.values["equipment"] = equipment
    data["equipment"] = equipment
    context = short_text(form, "context", "repair")
    result.values["context"] = context
    data["context"] = context
    next_activity = short_text(form, "next_activity")
    result.values["next_activity"] = next_activity
    if next_activity in NEXT_ACTIVITIES:
        data["next_activity"] = next_activity
    elif next_activity:
        result.errors["next_activity"] = (
            "Choose what comes after this session from the list, or leave it unticked."
        )
    pain_side = short_text(form, "pain_side")
    result.values["pain_side"] = pain_side
    if pain_side:
        data["pain_side"] = pain_side
    data.update(read_knee_to_wall(form, result, required=False))
    routine = short_text(form, "routine")
    result.values["routine"] = routine
    if routine and not valid_id(routine):
        result.errors["routine"] = "That routine is not in the list; choose one from it."
    if result.errors:
        return None, result
    try:
        return checkin_reader.read_checkin(data, safety), result
    except CheckinError as error:
        for problem in error.problems:
            name = "_".join(str(part) for part in problem.path if part != "tightness")
            result.errors[name or "form"] = problem.message
        return None, result


def read_assessment(
    form: FormData,
    regions: list[str],
    ask_pain: bool,
    ask_knee_to_wall: bool,
    ask_changed_most: bool = False,
) -> tuple[dict[str, Any] | None, FormResult]:
    """The fields of an assessment event from the inline form (no-JavaScript path)."""
    result = FormResult()
    if ask_changed_most:  # optional: a person may not be able to tell
        changed = short_text(form, "changed_most")
        result.values["changed_most"] = changed
        if changed and changed not in (*regions, "none"):
            result.errors["changed_most"] = (
                "Which area changed most: choose one of the areas listed, or no clear difference."
            )
    ratings = {}
    for region in regions:
        values = {
            side: _rating(form, f"{region}_{side}", result, rating_label(region, side))
            for side in SIDES
        }
        if None not in values.values():
            ratings[region] = SideRatings(**values)
    fields: dict[str, Any] = {"ratings": ratings}
    if ask_pain:
        fields["pain"] = _rating(form, "pain", result, "pain now")
    if ask_knee_to_wall:
        measured = read_knee_to_wall(form, result, required=True)
        fields["knee_to_wall"] = measured.get("knee_to_wall_cm")
        if "knee_to_wall_deg" in measured:
            fields["knee_to_wall_deg"] = measured["knee_to_wall_deg"]
    if result.values.get("changed_most") and "changed_most" not in result.errors:
        fields["changed_most"] = result.values["changed_most"]
    return (None if result.errors else fields), result


def read_knee_to_wall(form: FormData, result: FormResult, required: bool) -> dict[str, Any]:
    """Knee-to-wall per side as a typed distance, a phone-measured angle, or both.

    Each way counts only with both sides; ``required`` asks for at least one way whole.
    Returns the check-in's keys: ``knee_to_wall_cm`` and ``knee_to_wall_deg``."""
    found: dict[str, Any] = {}
    for prefix, words, (low, high), example in KNEE_TO_WALL_MEASURES:
        sides = {}
        for side in SIDES:
            name = f"{prefix}_{side}"
            raw = short_text(form, name)
            result.values[name] = raw
            if DISTANCE.fullmatch(raw) and low <= float(raw) <= high:
                sides[side] = float(raw)
            elif raw:
                result.errors[name] = (
                    f"Give the {side} {words} from {low:g} to {high:g} (e.g. {example})."
                )
        if len(sides) == 1:
            missing = next(side for side in SIDES if side not in sides)
            result.errors.setdefault(
                f"{prefix}_{missing}",
                f"Give the {missing} {words} too: each way needs both sides.",
            )
        elif sides:
            key = "knee_to_wall_cm" if prefix == "knee_to_wall" else prefix
            found[key] = sides
    prefixes = [prefix for prefix, *_ in KNEE_TO_WALL_MEASURES]
    given = any(name.startswith(prefixes[0]) for name in result.errors) or found
    if required and not given:
        for side in SIDES:
            result.errors[f"knee_to_wall_{side}"] = (
                f"Give the {side} distance in centimetres, from 0 to 25 (e.g. 8.5), "
                "or measure the angle with your phone."
            )
    return found


def read_events(body: Any) -> list[Event]:
    """A browser's batch: ``{"events": [...]}``; raises ValueError naming the bad field."""
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise ValueError('send a JSON object {"events": [...]}')
    if len(body["events"]) > 500:
        raise ValueError("send at most 500 events at a time")
    events = []
    for index, item in enumerate(body["events"]):
        _check_event_edge(item, index)
        try:
            events.append(Event.model_validate(item))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(f"events[{index}].{where}: {first['msg'].lower()}") from None
    return events


def _check_event_edge(item: Any, index: int) -> None:
    """What the event model leaves open: the id's format and the step's range."""
    if not isinstance(item, dict):
        raise ValueError(f"events[{index}]: send each event as a JSON object")
    if not valid_id(item.get("id")):
        raise ValueError(
            f"events[{index}].id: use 1 to 64 letters, digits, '_' or '-' (e.g. a UUID)"
        )
    step = item.get("step")
    if step is not None and (
        isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= MAX_STEP
    ):
        raise ValueError(f"events[{index}].step: use a whole number from 0 to {MAX_STEP}")
