"""Import checks for the safety records: precaution answers, clearances and reviews.

A precaution id sirelief does not know would silently drop a protection; a clearance of a
flag that cannot be cleared (or no longer exists) would let a session through that a
clinician never cleared. So both are checked against the live rules, like every other
record of an import (``import_check``).
"""

from datetime import date, timedelta

from sirelief.domain import precautions
from sirelief.domain.clearance import MAX_BY
from sirelief.domain.safety import SafetyRules
from sirelief.storage import import_models as models
from sirelief.storage.export_format import ExportDocument

Found = models.Found


def safety_problems(document: ExportDocument, rules: SafetyRules) -> list[Found]:
    """Every problem of the precautions, clearances and reviews, with its place in the document."""
    return _precautions(document) + _clearances(document, rules) + _reviews(document, rules)


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


def _clearances(document: ExportDocument, rules: SafetyRules) -> list[Found]:
    found: list[Found] = []
    seen: set[str] = set()
    for index, clearance in enumerate(document.clearances):
        loc = ("clearances", index)
        problem = models.id_problem(clearance.id, models.ROW_ID, 32)
        if problem:
            found.append(((*loc, "id"), problem))
        elif clearance.id in seen:
            found.append(((*loc, "id"), f"clearance id '{clearance.id}' is used twice: give "
                          "one of them another id"))  # fmt: skip
        seen.add(clearance.id)
        flag = rules.flag(clearance.flag_id)
        if flag is None:
            soon = ", ".join(f.id for f in rules.at("soon"))
            found.append(((*loc, "flag_id"), f"unknown red flag '{clearance.flag_id[:40]}'; "
                          f"flags that can be cleared: {soon}"))  # fmt: skip
        elif flag.level != "soon":
            found.append(((*loc, "flag_id"), f"'{flag.id}' describes today and cannot be "
                          "cleared; only 'soon' flags can: remove this clearance"))  # fmt: skip
        found += _dates(loc, clearance)
        if clearance.by is not None and not 1 <= len(clearance.by) <= MAX_BY:
            found.append(((*loc, "by"), f"should be 1 to {MAX_BY} characters, or null"))
    return found


def _dates(loc: tuple, clearance) -> list[Found]:
    try:
        cleared_on = date.fromisoformat(clearance.cleared_on)
    except ValueError:
        return [((*loc, "cleared_on"), "should be a date written YYYY-MM-DD")]
    found: list[Found] = []
    # a day of grace: the date is the person's own, the recording time is UTC
    if cleared_on > clearance.recorded_at.date() + timedelta(days=1):
        found.append(((*loc, "cleared_on"), "is after the clearance was recorded: give the "
                      "day of the check"))  # fmt: skip
    if clearance.withdrawn_at is not None and clearance.withdrawn_at < clearance.recorded_at:
        found.append(((*loc, "withdrawn_at"), "is before the clearance was recorded"))
    return found


def _reviews(document: ExportDocument, rules: SafetyRules) -> list[Found]:
    """A review of a flag that is not review-level would quieten advice it never had."""
    found: list[Found] = []
    seen: set[str] = set()
    for index, review in enumerate(document.reviews):
        loc = ("reviews", index)
        problem = models.id_problem(review.id, models.ROW_ID, 32)
        if problem:
            found.append(((*loc, "id"), problem))
        elif review.id in seen:
            found.append(((*loc, "id"), f"review id '{review.id}' is used twice: give one of "
                          "them another id"))  # fmt: skip
        seen.add(review.id)
        flag = rules.flag(review.flag_id)
        if flag is None:
            known = ", ".join(f.id for f in rules.at("review"))
            found.append(((*loc, "flag_id"), f"unknown red flag '{review.flag_id[:40]}'; "
                          f"flags with review advice: {known}"))  # fmt: skip
        elif flag.level != "review":
            found.append(((*loc, "flag_id"), f"'{flag.id}' is not a review-level flag, so it "
                          "has no review to record: remove this review"))  # fmt: skip
        try:
            reviewed_on = date.fromisoformat(review.reviewed_on)
        except ValueError:
            found.append(((*loc, "reviewed_on"), "should be a date written YYYY-MM-DD"))
        else:
            if reviewed_on > review.recorded_at.date() + timedelta(days=1):
                found.append(((*loc, "reviewed_on"), "is after the review was recorded: give "
                              "the day of the review"))  # fmt: skip
        if review.withdrawn_at is not None and review.withdrawn_at < review.recorded_at:
            found.append(((*loc, "withdrawn_at"), "is before the review was recorded"))
    return found
