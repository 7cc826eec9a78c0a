"""How things move over days and weeks: pain, tightness, knee-to-wall, and effort.

Weeks start on Monday, in the person's time zone (passed in; nothing here reads a clock).
A change is called real only when it passes the measure's threshold: 2 points on a 0-10
scale (SPEC 4) and about 2 cm or 5 degrees for the knee-to-wall test (its minimal
detectable change, measured with a tape or with the phone on the shin).
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from sirelief.domain.inclinometer import KNEE_TO_WALL_MDC_CM, KNEE_TO_WALL_MDC_DEG
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import MEANINGFUL
from sirelief.domain.vocabulary import RATED_BY_REGION, RatingRegion, Side

PLATEAU_MIN_PER_WEEK = 10.0
"""Stretching gains level off near 10 minutes a week per muscle (SPEC 3)."""
STREAK_WEEK_DAYS = 2
"""Days with a session that make a week count for the weekly streak (ACSM: 2-3 a week)."""


def week_start(day: date) -> date:
    """The Monday of the day's week.

    >>> week_start(date(2026, 12, 2))
    datetime.date(2026, 11, 30)
    """
    return day - timedelta(days=day.weekday())


def weeks_ending(today: date, weeks: int) -> tuple[date, ...]:
    """Monday of each of the last ``weeks`` weeks, oldest first, this week included."""
    last = week_start(today)
    return tuple(last - timedelta(weeks=weeks - 1 - i) for i in range(weeks))


def local_day(record: SessionRecord, tz: tzinfo) -> date:
    return record.created_at.astimezone(tz).date()


@dataclass(frozen=True)
class WeekValue:
    week: date
    mean: float | None
    n: int


@dataclass(frozen=True)
class Trend:
    """One measure for one side over the window: each day's value and each week's mean."""

    measure: str
    """``pain``, a rating region, ``knee_to_wall`` (cm) or ``knee_to_wall_deg``."""
    side: Side | None
    unit: str
    threshold: float
    days: tuple[tuple[date, float], ...]
    weeks: tuple[WeekValue, ...]

    @property
    def first(self) -> WeekValue | None:
        return next((w for w in self.weeks if w.mean is not None), None)

    @property
    def last(self) -> WeekValue | None:
        return next((w for w in reversed(self.weeks) if w.mean is not None), None)

    @property
    def change(self) -> float | None:
        """Last week with data minus the first; None with fewer than two such weeks."""
        first, last = self.first, self.last
        if first is None or last is None or first.week == last.week:
            return None
        return last.mean - first.mean

    @property
    def meaningful(self) -> bool:
        return self.change is not None and abs(self.change) >= self.threshold

    def changes(self) -> tuple[tuple[date, float | None], ...]:
        """Each week's mean minus the first week's: the threshold then reads the same for
        every side and measure (a band of +- ``threshold`` around zero)."""
        first = self.first
        return tuple(
            (w.week, None if w.mean is None or first is None else w.mean - first.mean)
            for w in self.weeks
        )


Sampler = Callable[[SessionRecord], float | None]


def _samples(records, tz, sample: Sampler) -> list[tuple[date, float]]:
    found = []
    for record in records:
        value = sample(record)
        if value is not None:
            found.append((local_day(record, tz), value))
    return found


def _weekly(samples: Iterable[tuple[date, float]], weeks: Sequence[date]) -> tuple[WeekValue, ...]:
    by_week: dict[date, list[float]] = {}
    for day, value in samples:
        by_week.setdefault(week_start(day), []).append(value)
    return tuple(
        WeekValue(w, _mean(by_week[w]) if w in by_week else None, len(by_week.get(w, ())))
        for w in weeks
    )


def weekly_means(
    records: Iterable[SessionRecord], tz: tzinfo, weeks: Sequence[date], sample: Sampler
) -> tuple[WeekValue, ...]:
    """Each week's mean of ``sample`` over the records (None where nothing was sampled)."""
    return _weekly(_samples(records, tz, sample), weeks)


def _trend(measure, side, unit, threshold, samples, weeks) -> Trend:
    by_day: dict[date, list[float]] = {}
    for day, value in samples:
        by_day.setdefault(day, []).append(value)
    days = tuple((day, _mean(values)) for day, values in sorted(by_day.items()))
    return Trend(measure, side, unit, threshold, days, _weekly(samples, weeks))


def sampled_trend(
    measure: str,
    unit: str,
    threshold: float,
    samples: Sequence[tuple[date, float]],
    weeks: Sequence[date],
) -> Trend:
    """A trend of a measure taken outside the sessions (the weekly PSFS), from its
    ``(day, value)`` samples."""
    return _trend(measure, None, unit, threshold, samples, weeks)


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def checkin_pain(record: SessionRecord) -> float:
    return record.checkin.pain


def average_tightness(record: SessionRecord) -> float:
    """The check-in's six tightness ratings averaged: one number for "stiffness"."""
    tightness = record.checkin.tightness
    return (tightness.total("left") + tightness.total("right")) / 6


def _knee_to_wall(record: SessionRecord, side: Side) -> float | None:
    """The session's own measurement when it took one, else the check-in's."""
    measured = next((a.knee_to_wall for a in record.state.assessments if a.knee_to_wall), None)
    reading = measured or record.checkin.knee_to_wall_cm
    return None if reading is None else getattr(reading, side)


def _knee_to_wall_deg(record: SessionRecord, side: Side) -> float | None:
    """The phone-measured angle: the session's own when it took one, else the check-in's."""
    measured = next(
        (a.knee_to_wall_deg for a in record.state.assessments if a.knee_to_wall_deg), None
    )
    reading = measured or record.checkin.knee_to_wall_deg
    return None if reading is None else getattr(reading, side)


def measure_trends(
    records: Iterable[SessionRecord], tz: tzinfo, weeks: Sequence[date]
) -> dict[str, Trend | dict[Side, Trend]]:
    """Check-in pain, check-in tightness per region and side, knee-to-wall per side."""
    records = list(records)
    trends: dict[str, Trend | dict[Side, Trend]] = {
        "pain": _trend(
            "pain",
            None,
            "points",
            MEANINGFUL,
            _samples(records, tz, checkin_pain),
            weeks,
        )
    }
    regions: tuple[RatingRegion, ...] = ("hip", "hamstrings_adductors", "ankle")
    for region in regions:
        trends[region] = {
            side: _trend(
                region,
                side,
                "points",
                MEANINGFUL,
                _samples(records, tz, lambda r, g=region, s=side: r.checkin.tightness.of(g).of(s)),
                weeks,
            )
            for side in ("left", "right")
        }
    trends["knee_to_wall"] = {
        side: _trend(
            "knee_to_wall",
            side,
            "cm",
            KNEE_TO_WALL_MDC_CM,
            _samples(records, tz, lambda r, s=side: _knee_to_wall(r, s)),
            weeks,
        )
        for side in ("left", "right")
    }
    trends["knee_to_wall_deg"] = {
        side: _trend(
            "knee_to_wall_deg",
            side,
            "degrees",
            KNEE_TO_WALL_MDC_DEG,
            _samples(records, tz, lambda r, s=side: _knee_to_wall_deg(r, s)),
            weeks,
        )
        for side in ("left", "right")
    }
    return trends


# --- effort ------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeekEffort:
    week: date
    sessions: int
    session_days: int
    minutes: float


@dataclass(frozen=True)
class RegionMinutes:
    """Minutes of work on a body region per side, in the last 7 days and per week.

    The weekly mean counts the weeks since the first session in the window, so a new
    user's average is not diluted by weeks before they started.
    """

    region: str
    last_7_days: float
    weekly_mean: float


@dataclass(frozen=True)
class Adherence:
    weeks: tuple[WeekEffort, ...]
    day_streak: int
    """Days in a row with a session, up to today (today may still be to come)."""
    longest_day_streak: int
    """The longest run of days in the records given (the caller loads at least 4 weeks)."""
    week_streak: int
    """Weeks in a row with sessions on at least ``STREAK_WEEK_DAYS`` days."""
    regions: tuple[RegionMinutes, ...]
    active_weeks: int
    """Weeks from the first session in the window to this week: what averages divide by."""

    @property
    def sessions_per_week(self) -> float:
        total = sum(w.sessions for w in self.weeks)
        return total / self.active_weeks if self.active_weeks else 0.0


def _started(record: SessionRecord) -> bool:
    return record.state.started_at is not None


def work_minutes_by_region(
    record: SessionRecord, regions_of: Callable[[str], Sequence[str]]
) -> dict[str, float]:
    """Minutes of completed exercise work per body region, per side.

    A one-sided step counts half (it worked one of two sides); a both-sided step counts
    whole, so the figure compares with "minutes per muscle" however the work was split.
    """
    state = record.state
    minutes: dict[str, float] = {}
    for index in done_steps(record):
        step = record.plan.steps[index]
        if step.kind != "exercise" or step.exercise_id is None:
            continue
        share = 0.5 if step.side in ("left", "right") else 1.0
        for region in regions_of(step.exercise_id):
            minutes[region] = minutes.get(region, 0.0) + share * state.duration_s(index) / 60
    return minutes


def _streak(days: set[date], end: date) -> int:
    count, day = 0, end
    while day in days:
        count, day = count + 1, day - timedelta(days=1)
    return count


def adherence(
    records: Iterable[SessionRecord],
    tz: tzinfo,
    today: date,
    weeks: Sequence[date],
    regions_of: Callable[[str], Sequence[str]],
) -> Adherence:
    started = [r for r in records if _started(r)]
    days_by_week: dict[date, set[date]] = {}
    count_by_week: dict[date, int] = {}
    minutes_by_week: dict[date, float] = {}
    region_total: dict[str, float] = {}
    region_recent: dict[str, float] = {}
    for record in started:
        day = local_day(record, tz)
        week = week_start(day)
        work = work_minutes_by_region(record, regions_of)
        days_by_week.setdefault(week, set()).add(day)
        count_by_week[week] = count_by_week.get(week, 0) + 1
        minutes_by_week[week] = minutes_by_week.get(week, 0.0) + _session_minutes(record)
        if week in weeks:
            for region, value in work.items():
                region_total[region] = region_total.get(region, 0.0) + value
        if today - timedelta(days=7) < day <= today:
            for region, value in work.items():
                region_recent[region] = region_recent.get(region, 0.0) + value
    efforts = tuple(
        WeekEffort(
            w, count_by_week.get(w, 0), len(days_by_week.get(w, ())), minutes_by_week.get(w, 0.0)
        )
        for w in weeks
    )
    all_days = {local_day(r, tz) for r in started}
    current = _streak(all_days, today) or _streak(all_days, today - timedelta(days=1))
    longest = max((_streak(all_days, d) for d in all_days), default=0)
    week_streak = 0
    for effort in reversed(efforts):
        if effort.session_days >= STREAK_WEEK_DAYS:
            week_streak += 1
        elif effort.week != week_start(today):  # this week may still reach it
            break
    order = [r for r in RATED_BY_REGION if r in region_total or r in region_recent]
    order += sorted((set(region_total) | set(region_recent)) - set(order))
    active = [w for w in weeks if w >= min(count_by_week, default=weeks[-1])]
    regions = tuple(
        RegionMinutes(r, region_recent.get(r, 0.0), region_total.get(r, 0.0) / len(active))
        for r in order
    )
    return Adherence(efforts, current, longest, week_streak, regions, len(active) if started else 0)


def _session_minutes(record: SessionRecord) -> float:
    return sum(record.state.duration_s(i) for i in done_steps(record)) / 60


def done_steps(record: SessionRecord) -> list[int]:
    """Indices of the plan's steps the person got through (not skipped, not still ahead)."""
    state = record.state
    finished = len(record.plan.steps) if state.ended == "completed" else state.index
    return [i for i in range(finished) if i not in state.skipped]
