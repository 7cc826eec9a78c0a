"""Import checks for the safety records: precaution answers, clearances and reviews.

A precaution id sirelief does not know would silently drop a protection; a clearance of a
flag that cannot be cleared (or no longer exists) would let a session through that a
clinician never cleared. So both are checked against the live rules, like every other
record of an import (``import_check``).
"""

from datetime import date, timedelta

from sirelief.domain import precautions
from sirelief.domain.flag_records import CLEARANCE, MAX_BY, REVIEW, RecordKind
from sirelief.domain.safety import SafetyRules
from sirelief.storage import import_models as models
from sirelief.storage.export_format import ExportDocument

Found = models.Found


def safety_problems(document: ExportDocument, rules: SafetyRules) -> list[Found]:
    """Every problem of the precautions, clearances and reviews, with its place in the document."""
    return (
        _precautions(document)
        + _flag_records(CLEARANCE, document.clearances, rules)
        + _flag_records(REVIEW, document.reviews, rules)
    )


def _precautions(document: ExportDocument) -> list[Found]:
    if document.precautions is None:
        return []
    found: list[Found] = []
    seen: set[str] = set()
    for index, precaution_id in enumerate(document.precautions.ids):
        place = ("precautions", "ids", index)
        if precaution_id not in precautions.BY_ID:
            known = ", ".join(precautions.BY_ID)
            found.append((place, f"unknown precaution '{precaution_id[:40]}'; known: {known}"))
        elif precaution_id in seen:
            found.append((place, f"'{precaution_id}' is listed twice: keep one"))
        seen.add(precaution_id)
    return found


def _flag_records(kind: RecordKind, items: list, rules: SafetyRules) -> list[Found]:
    """Clearances or reviews: a record of a flag of another level would let through (or
    quieten) what no clinician cleared (or reviewed)."""
    section = f"{kind.noun}s"
    found: list[Found] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        loc = (section, index)
        problem = models.id_problem(item.id, models.ROW_ID, 32)
        if problem:
            found.append(((*loc, "id"), problem))
        elif item.id in seen:
            found.append(((*loc, "id"), f"{kind.noun} id '{item.id}' is used twice: give "
                          "one of them another id"))  # fmt: skip
        seen.add(item.id)
        flag = rules.flag(item.flag_id)
        if flag is None:
            known = ", ".join(f.id for f in rules.at(kind.level))
            found.append(((*loc, "flag_id"), f"unknown red flag '{item.flag_id[:40]}'; "
                          f"{kind.known_words}: {known}"))  # fmt: skip
        elif flag.level != kind.level:
            found.append(((*loc, "flag_id"), f"'{flag.id}' {kind.not_recordable}"))
        found += _dates(kind, loc, item)
        by = getattr(item, "by", None)
        if by is not None and not 1 <= len(by) <= MAX_BY:
            found.append(((*loc, "by"), f"should be 1 to {MAX_BY} characters, or null"))
    return found


def _dates(kind: RecordKind, loc: tuple, item) -> list[Found]:
    found: list[Found] = []
    try:
        on = date.fromisoformat(getattr(item, kind.date_field))
    except ValueError:
        found.append(((*loc, kind.date_field), "should be a date written YYYY-MM-DD"))
    else:
        # a day of grace: the date is the person's own, the recording time is UTC
        if on > item.recorded_at.date() + timedelta(days=1):
            found.append(((*loc, kind.date_field), f"is after the {kind.noun} was recorded: "
                          f"give {kind.day_words}"))  # fmt: skip
    if item.withdrawn_at is not None and item.withdrawn_at < item.recorded_at:
        found.append(((*loc, "withdrawn_at"), f"is before the {kind.noun} was recorded"))
    return found
