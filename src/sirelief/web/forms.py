"""Reading HTML forms into domain objects, with a message per field for the page."""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from sirelief.domain.checkin import CheckIn, SideRatings
from sirelief.domain.messages import field_names, problems_from_validation
from sirelief.domain.safety import SafetyRules
from sirelief.domain.session import Event
from sirelief.domain.vocabulary import EquipmentId, NextActivity, label, words

REGIONS = ("hip", "hamstrings_adductors", "ankle")
SIDES = ("left", "right")


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
    result.values[name] = raw
    if not isinstance(raw, str) or not raw.isdigit() or not 0 <= int(raw) <= 10:
        result.errors[name] = f"{label.capitalize()} must be a whole number from 0 to 10."
        return None
    return int(raw)


def read_checkin(form: FormData, safety: SafetyRules) -> tuple[CheckIn | None, FormResult]:
    result = FormResult()
    data: dict[str, Any] = {"tightness": {}}
    data["pain"] = _rating(form, "pain", result, "pain now")
    for region in REGIONS:
        data["tightness"][region] = {
            side: _rating(form, f"{region}_{side}", result, f"{side} {label(region)}")
            for side in SIDES
        }
    flags = form.getlist("red_flags")
    result.values["red_flags"] = flags
    known = {flag.id for flag in safety.flags}
    data["red_flags"] = [flag for flag in flags if flag in known]
    if len(data["red_flags"]) != len(flags):
        result.errors["red_flags"] = "One of the ticked questions is unknown; reload the page."
    minutes = form.get("minutes", "")
    result.values["minutes"] = minutes
    if not isinstance(minutes, str) or not minutes.isdigit() or not 1 <= int(minutes) <= 180:
        result.errors["minutes"] = "Give the minutes you have as a whole number from 1 to 180."
    else:
        data["minutes"] = int(minutes)
    equipment = form.getlist("equipment")
    result.values["equipment"] = equipment
    data["equipment"] = [item for item in equipment if item in words(EquipmentId)]
    context = form.get("context", "repair")
    result.values["context"] = context
    data["context"] = context
    next_activity = form.get("next_activity", "")
    result.values["next_activity"] = next_activity
    if next_activity in words(NextActivity):
        data["next_activity"] = next_activity
    elif next_activity:
        result.errors["next_activity"] = (
            "Choose what comes after this session from the list, or leave it unticked."
        )
    pain_side = form.get("pain_side", "")
    result.values["pain_side"] = pain_side
    if pain_side:
        data["pain_side"] = pain_side
    routine = form.get("routine", "")
    result.values["routine"] = routine
    if result.errors:
        return None, result
    try:
        return CheckIn.model_validate(data), result
    except ValidationError as error:
        for problem in problems_from_validation(error, field_names([CheckIn])):
            name = "_".join(str(part) for part in problem.path if part != "tightness")
            result.errors[name or "form"] = problem.message
        return None, result


def read_assessment(
    form: FormData, regions: list[str], ask_pain: bool, ask_knee_to_wall: bool
) -> tuple[dict[str, Any] | None, FormResult]:
    """The fields of an assessment event from the inline form (no-JavaScript path)."""
    result = FormResult()
    ratings = {}
    for region in regions:
        values = {
            side: _rating(form, f"{region}_{side}", result, f"{side} {label(region)}")
            for side in SIDES
        }
        if None not in values.values():
            ratings[region] = SideRatings(**values)
    fields: dict[str, Any] = {"ratings": ratings}
    if ask_pain:
        fields["pain"] = _rating(form, "pain", result, "pain now")
    if ask_knee_to_wall:
        distances = {}
        for side in SIDES:
            raw = form.get(f"knee_to_wall_{side}", "")
            result.values[f"knee_to_wall_{side}"] = raw
            try:
                value = float(raw)
                if not 0 <= value <= 25:
                    raise ValueError
                distances[side] = value
            except (TypeError, ValueError):
                result.errors[f"knee_to_wall_{side}"] = (
                    f"Give the {side} distance in centimetres, from 0 to 25 (e.g. 8.5)."
                )
        fields["knee_to_wall"] = distances if len(distances) == 2 else None
    return (None if result.errors else fields), result


def read_events(body: Any) -> list[Event]:
    """A browser's batch: ``{"events": [...]}``; raises ValueError naming the bad field."""
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        raise ValueError('send a JSON object {"events": [...]}')
    if len(body["events"]) > 500:
        raise ValueError("send at most 500 events at a time")
    events = []
    for index, item in enumerate(body["events"]):
        try:
            events.append(Event.model_validate(item))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(f"events[{index}].{where}: {first['msg'].lower()}") from None
    return events
