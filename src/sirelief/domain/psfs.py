"""The Patient-Specific Functional Scale (PSFS, SPEC 4): up to three activities the person
names, each rated once a week from 0 (unable to do it) to 10 (as able as before the
problem); the score is the mean of the rated activities, and a change of about 2 points
is one that matters (Abbott & Schmitt 2014).

Each rating keeps the words of the activity it rated, so renaming an activity later never
changes what an old score meant. Nothing here reads a clock: "now" is a parameter.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Literal

from sirelief.domain.trends import Trend, sampled_trend

MAX_ACTIVITIES = 3
LONGEST_ACTIVITY = 120
"""Characters of an activity's name: a short phrase ("carrying my toddler upstairs")."""
RATING_DAYS = 7
"""A week between ratings."""
PSFS_CHANGE = 2.0
"""The change in the mean that matters (SPEC 4: about 2 points)."""
LOWEST, HIGHEST = 0, 10
ANCHOR_LOW = "unable to do it"
ANCHOR_HIGH = "as able as before the problem"

Due = Literal["name", "rate"]


@dataclass(frozen=True)
class Activity:
    """One activity the person named, in its place (1 to 3) on their list."""

    id: str
    position: int
    text: str


@dataclass(frozen=True)
class ActivityScore:
    activity_id: str
    activity: str
    """The activity's words when it was rated (a later rename leaves them)."""
    score: int


@dataclass(frozen=True)
class PsfsRating:
    """One week's rating of the named activities."""

    id: str
    rated_at: datetime
    scores: tuple[ActivityScore, ...]

    @property
    def mean(self) -> float:
        return psfs_score(s.score for s in self.scores)


def psfs_score(scores: Iterable[int]) -> float:
    """The PSFS score: the mean of the rated activities.

    >>> psfs_score([3, 4, 8])
    5.0
    """
    values = list(scores)
    if not values:
        raise ValueError("a PSFS score needs at least one rated activity")
    return math.fsum(values) / len(values)


def change_matters(change: float) -> bool:
    """Whether a change in the PSFS mean passes the 2 points that matter.

    >>> change_matters(1.9), change_matters(-2.0)
    (False, True)
    """
    return abs(change) >= PSFS_CHANGE


def due(activities: int, last_rated_at: datetime | None, now: datetime, tz: tzinfo) -> Due | None:
    """What Today should ask: ``name`` activities (none yet), ``rate`` them (never rated,
    or 7 or more local days since the last rating), or nothing.

    >>> from datetime import UTC
    >>> due(0, None, datetime(2026, 12, 7, tzinfo=UTC), UTC)
    'name'
    >>> due(2, datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 7, 23, tzinfo=UTC), UTC)
    >>> due(2, datetime(2026, 11, 30, 21, tzinfo=UTC), datetime(2026, 12, 7, 8, tzinfo=UTC), UTC)
    'rate'
    """
    if activities <= 0:
        return "name"
    if last_rated_at is None:
        return "rate"
    return "rate" if days_since(last_rated_at, now, tz) >= RATING_DAYS else None


def days_since(then: datetime, now: datetime, tz: tzinfo) -> int:
    """Calendar days between two moments, in the person's time zone."""
    return (now.astimezone(tz).date() - then.astimezone(tz).date()).days


def activity_problem(text: str) -> str | None:
    """Why an activity's name cannot be kept, or None."""
    if not text.strip():
        return "Name the activity, or leave the whole line empty."
    if len(text) > LONGEST_ACTIVITY:
        return f"Keep the activity under {LONGEST_ACTIVITY + 1} characters."
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        return "Write the activity on one line, without control characters."
    return None


def read_activities(texts: Sequence[str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """The activity lines of the form (``activity_1`` ...), empty lines left out: the
    names in order, or the problems keyed by field."""
    errors: dict[str, str] = {}
    if len(texts) > MAX_ACTIVITIES:
        errors["activities"] = f"Name at most {MAX_ACTIVITIES} activities."
    names = []
    for number, text in enumerate(texts[:MAX_ACTIVITIES], start=1):
        cleaned = " ".join(text.split())
        if not cleaned:
            continue
        problem = activity_problem(cleaned)
        if problem:
            errors[f"activity_{number}"] = f"Activity {number}: {problem}"
        names.append(cleaned)
    return tuple(names), errors


def score_problem(value: object) -> str | None:
    """Why a stored or imported score is not a PSFS score, or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "must be a whole number from 0 to 10"
    if not LOWEST <= value <= HIGHEST:
        return f"must be from 0 to 10, not {value}"
    return None


def read_scores(
    activities: Sequence[Activity], answers: Mapping[str, str]
) -> tuple[tuple[ActivityScore, ...], dict[str, str]]:
    """Each named activity's score from the form (field ``score_<id>``): every one must be
    rated, 0 to 10. The scores, or the problems keyed by field."""
    scores, errors = [], {}
    for activity in activities:
        field = f"score_{activity.id}"
        raw = answers.get(field, "").strip()
        value = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 2 else None
        if value is None or score_problem(value):
            what = "Rate" if not raw else "Choose a whole number from 0 to 10 for"
            errors[field] = f'{what} "{activity.text}" (0 = {ANCHOR_LOW}, 10 = {ANCHOR_HIGH}).'
            continue
        scores.append(ActivityScore(activity.id, activity.text, value))
    if not activities:
        errors["activities"] = "Name at least one activity before rating."
    return tuple(scores), errors


def psfs_trend(ratings: Iterable[PsfsRating], tz: tzinfo, weeks: Sequence[date]) -> Trend:
    """The PSFS mean over the window's weeks, against its 2-point change (higher is better)."""
    samples = [
        (rating.rated_at.astimezone(tz).date(), rating.mean) for rating in ratings if rating.scores
    ]
    inside = [(day, value) for day, value in samples if weeks and day >= weeks[0]]
    return sampled_trend("psfs", "points", PSFS_CHANGE, inside, weeks)
