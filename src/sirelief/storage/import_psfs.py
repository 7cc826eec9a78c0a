"""The weekly PSFS of an import file checked as the PSFS page would accept it: at most
three activities on lines 1 to 3, each a short one-line name, ratings of 0 to 10 with at
most three scores each, ids usable and never given twice."""

from sirelief.domain.psfs import MAX_ACTIVITIES, activity_problem, score_problem
from sirelief.storage import import_models as models
from sirelief.storage.export_format import ExportDocument

Found = models.Found


def psfs_problems(document: ExportDocument) -> list[Found]:
    """Every problem of the PSFS activities and ratings, with its place in the document."""
    return _activities(document) + _ratings(document)


def _id(loc: models.Loc, value: str, seen: set[str], what: str) -> list[Found]:
    problem = models.id_problem(value, models.ROW_ID, 32)
    if problem:
        return [((*loc, "id"), problem)]
    if value in seen:
        return [((*loc, "id"), f"{what} id '{value}' is used twice: give one another id")]
    seen.add(value)
    return []


def _activities(document: ExportDocument) -> list[Found]:
    found: list[Found] = []
    items = document.psfs_activities
    if len(items) > MAX_ACTIVITIES:
        found.append(((
            "psfs_activities",), f"{len(items)} activities: a PSFS names at most "
            f"{MAX_ACTIVITIES}; keep the ones still rated"))  # fmt: skip
    seen: set[str] = set()
    positions: set[int] = set()
    for index, item in enumerate(items):
        loc = ("psfs_activities", index)
        found += _id(loc, item.id, seen, "activity")
        if not 1 <= item.position <= MAX_ACTIVITIES:
            found.append(((*loc, "position"), f"must be from 1 to {MAX_ACTIVITIES}"))
        elif item.position in positions:
            found.append(((*loc, "position"), f"line {item.position} is given twice"))
        positions.add(item.position)
        problem = activity_problem(item.text)
        if problem:
            found.append(((*loc, "text"), problem))
    return found


def _ratings(document: ExportDocument) -> list[Found]:
    found: list[Found] = []
    seen: set[str] = set()
    for index, rating in enumerate(document.psfs_ratings):
        loc = ("psfs_ratings", index)
        found += _id(loc, rating.id, seen, "rating")
        if not rating.scores:
            found.append(((*loc, "scores"), "a rating needs at least one score"))
        if len(rating.scores) > MAX_ACTIVITIES:
            found.append(((*loc, "scores"), f"at most {MAX_ACTIVITIES} scores in one rating"))
        for number, score in enumerate(rating.scores[:MAX_ACTIVITIES]):
            place = (*loc, "scores", number)
            problem = score_problem(score.score)
            if problem:
                found.append(((*place, "score"), problem))
            problem = models.id_problem(score.activity_id, models.ROW_ID, 32)
            if problem:
                found.append(((*place, "activity_id"), problem))
            problem = activity_problem(score.activity)
            if problem:
                found.append(((*place, "activity"), problem))
    return found
