"""Import checks for a clinician's findings (issue 20 item 3).

A record is shown word for word wherever the person's data is read, so an import must hold
only what the form itself could have kept: the tests and answers of
``domain.findings``, a date no later than the recording, and who recorded it in a shape
the pages can name. Called from ``import_check.check_document``.
"""

from datetime import date, timedelta

from sirelief.domain.access import Role
from sirelief.domain.findings import SLOT_IDS, check_findings
from sirelief.storage import import_models as models
from sirelief.storage.export_format import ExportDocument

Found = models.Found
LONGEST_NAME = 120
ROLES = {role.value for role in Role}
TOP_LEVEL = {"examined_on", "examiner", "fortin", "fortin_side", "results"}
"""The fields a problem of ``check_findings`` may name besides a test's slot."""


def findings_problems(document: ExportDocument) -> list[Found]:
    """Every problem of the findings, with its place in the document."""
    found: list[Found] = []
    seen: set[str] = set()
    for index, item in enumerate(document.findings):
        loc = ("findings", index)
        problem = models.id_problem(item.id, models.ROW_ID, 32)
        if problem:
            found.append(((*loc, "id"), problem))
        elif item.id in seen:
            found.append(((*loc, "id"), f"findings id '{item.id}' is used twice: give one "
                          "of them another id"))  # fmt: skip
        seen.add(item.id)
        try:
            on = date.fromisoformat(item.examined_on)
        except ValueError:
            found.append(((*loc, "examined_on"), "should be a date written YYYY-MM-DD"))
            on = item.recorded_at.date()
        # a day of grace: the date is the person's own, the recording time is UTC
        latest = item.recorded_at.date() + timedelta(days=1)
        for field, message in check_findings(on, latest, item.examiner, item.results,
                                             item.fortin, item.fortin_side):  # fmt: skip
            place = (*loc, field) if field in TOP_LEVEL else (*loc, "results", field)
            found.append((place, message.replace("is in the future", "is after it was recorded")))
        missing = [slot for slot in SLOT_IDS if slot not in item.results]
        if missing:
            found.append(((*loc, "results"), f"has no result for {', '.join(missing)}: give "
                          "each one positive, negative or not-done"))  # fmt: skip
        found += _recorder(loc, item)
    return found


def _recorder(loc: tuple, item) -> list[Found]:
    found: list[Found] = []
    if item.recorded_by is not None:
        problem = models.id_problem(item.recorded_by, models.ROW_ID, 32)
        if problem:
            found.append(((*loc, "recorded_by"), problem))
    name = item.recorded_by_name
    if name is not None and not 1 <= len(name) <= LONGEST_NAME:
        found.append(((*loc, "recorded_by_name"), f"should be 1 to {LONGEST_NAME} characters, "
                      "or null"))  # fmt: skip
    if item.recorded_by_role is not None and item.recorded_by_role not in ROLES:
        found.append(((*loc, "recorded_by_role"), f"should be one of {', '.join(sorted(ROLES))}"
                      ", or null"))  # fmt: skip
    return found
