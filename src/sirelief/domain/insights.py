"""Personal evidence from stored sessions: what helps, how things move, and when to worry.

One pure function, ``build_insights``, turns session records into everything the Insights
page and ``sirelief report`` show: pooled controlled effects (``effects``), trends and
effort (``trends``), and the pain-monitoring model's longer rules (SPEC 5): pain should
settle by the next morning, and pain and stiffness should not climb from week to week.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from typing import Any, Literal

from sirelief.domain.effects import PooledEffect, pool_effects, session_effects, work_index
from sirelief.domain.exercise import Exercise
from sirelief.domain.inclinometer import KNEE_TO_WALL_MDC_DEG
from sirelief.domain.psfs import PsfsRating, psfs_trend
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import MEANINGFUL
from sirelief.domain.trends import (
    KNEE_TO_WALL_MDC_CM,
    PLATEAU_MIN_PER_WEEK,
    Adherence,
    Trend,
    WeekValue,
    adherence,
    average_tightness,
    checkin_pain,
    local_day,
    measure_trends,
    week_start,
    weekly_means,
    weeks_ending,
)
from sirelief.domain.vocabulary import RatingRegion, Side

RECENT_WEEKS = 4
"""The settle rate is also given for this many recent weeks."""
CLINICIAN = (
    "Pain and stiffness should not climb from week to week. Ease the dose back, keep "
    "sessions gentle, and talk it over with a physiotherapist or doctor."
)
"""Said once, after the climbs (SPEC 5: inform and direct, do not frighten)."""


@dataclass(frozen=True)
class Settling:
    """Next-morning answers (SPEC 5): did pain settle by the morning after a session?"""

    answered: int
    settled: int
    recent_answered: int
    recent_settled: int

    @property
    def rate(self) -> float | None:
        return self.settled / self.answered if self.answered else None

    @property
    def recent_rate(self) -> float | None:
        return self.recent_settled / self.recent_answered if self.recent_answered else None

    def sentence(self) -> str:
        if not self.answered:
            return "No next-morning answers yet: answer the question on Today the morning after."
        text = (
            f"Pain settled by the next morning after {self.settled} of {self.answered} "
            f"session{'s' if self.answered != 1 else ''} ({self.rate:.0%})"
        )
        if self.recent_answered and self.recent_answered != self.answered:
            text += (
                f"; in the last {RECENT_WEEKS} weeks {self.recent_settled} of "
                f"{self.recent_answered} ({self.recent_rate:.0%})"
            )
        return text + "."


CLIMB_RISE: dict[str, float] = {"pain": MEANINGFUL, "tightness": 1.0}
"""Least rise over the two weeks that counts as climbing: the 2-point change that matters
for pain; 1 point for tightness averaged over six ratings (an average moves less)."""
CLIMB_READINGS = 2
"""Check-ins a week needs before its average can count towards a climb."""
CLIMB_WEEKS = 4
"""Weeks always read for the climb rule, whatever span is shown."""


@dataclass(frozen=True)
class Climb:
    """A measure whose weekly mean rose two weeks running, by enough to matter."""

    measure: Literal["pain", "tightness"]
    weeks: tuple[WeekValue, WeekValue, WeekValue]

    def sentence(self) -> str:
        what = "Your pain" if self.measure == "pain" else "Your average tightness"
        values = " → ".join(f"{w.mean:.1f}" for w in self.weeks)
        return f"{what} has gone up two weeks running ({values}, weekly averages)."


def weekly_climb(
    measure: Literal["pain", "tightness"], weekly: Sequence[WeekValue], today: date
) -> Climb | None:
    """The last three calendar weeks (this one once it has enough check-ins), each higher
    than the one before, rising by at least ``CLIMB_RISE`` in all.

    A week with fewer than ``CLIMB_READINGS`` check-ins says too little to count, so
    ordinary ups and downs of a steady pain do not raise the warning.
    """
    ending = week_start(today)
    by_week = {w.week: w for w in weekly}
    current = by_week.get(ending)
    if current is None or current.mean is None or current.n < CLIMB_READINGS:
        ending -= timedelta(weeks=1)
    three = [by_week.get(ending - timedelta(weeks=k)) for k in (2, 1, 0)]
    if any(w is None or w.mean is None or w.n < CLIMB_READINGS for w in three):
        return None
    a, b, c = (round(w.mean, 1) for w in three)
    if a < b < c and c - a >= CLIMB_RISE[measure]:
        return Climb(measure, tuple(three))
    return None


@dataclass(frozen=True)
class Insights:
    today: date
    weeks: tuple[date, ...]
    """Monday of each week in the window, oldest first."""
    sessions: int
    effects: tuple[PooledEffect, ...]
    pain: Trend
    tightness: dict[RatingRegion, dict[Side, Trend]]
    knee_to_wall: dict[Side, Trend]
    adherence: Adherence
    settling: Settling
    climbs: tuple[Climb, ...]
    knee_to_wall_deg: dict[Side, Trend] = field(default_factory=dict)
    """The same test as a shin angle measured with the phone, in degrees from vertical."""
    psfs: Trend | None = None
    """The weekly PSFS mean (higher is better); None when nothing was asked for it."""

    @property
    def has_psfs(self) -> bool:
        return self.psfs is not None and bool(self.psfs.days)

    @property
    def has_knee_to_wall(self) -> bool:
        return any(trend.days for trend in self.knee_to_wall.values())

    @property
    def has_knee_to_wall_deg(self) -> bool:
        return any(trend.days for trend in self.knee_to_wall_deg.values())

    def knee_to_wall_lines(self) -> list[str]:
        """One sentence per side and way that changed, judged against the test's own
        measurement error (2 cm, or 5 degrees with the phone)."""
        lines = []
        for trends, unit, words in (
            (self.knee_to_wall, "cm", "Knee-to-wall distance"),
            (self.knee_to_wall_deg, "°", "Knee-to-wall shin angle"),
        ):
            for side, trend in trends.items():
                if trend.change is None:
                    continue
                first, last = trend.first, trend.last
                gap = f"{trend.threshold:g}{' ' if unit == 'cm' else ''}{unit}"
                verdict = (
                    f"{gap} or more, beyond measurement error"
                    if trend.meaningful
                    else f"under {gap}, within measurement error"
                )
                lines.append(
                    f"{words}, {side} side, went from {first.mean:.1f}{unit} to "
                    f"{last.mean:.1f}{unit}: {verdict}."
                )
        return lines

    def headlines(self, warnings: bool = True) -> list[str]:
        """The few sentences that matter most, warnings first (unless shown apart)."""
        lines = [climb.sentence() for climb in self.climbs] if warnings else []
        if lines:
            lines.append(CLINICIAN)
        lines += [e.sentence() for e in self.effects if e.clear]
        change = self.pain.change
        if change is not None:
            first, last = self.pain.first, self.pain.last
            verdict = (
                "more than 2 points, beyond measurement error (a trend does not show what "
                "caused it)"
                if self.pain.meaningful
                else "within measurement error"
            )
            lines.append(
                f"Pain before sessions went from {first.mean:.1f} (week of "
                f"{first.week:%d %b}) to {last.mean:.1f} (week of {last.week:%d %b}): "
                f"{verdict}."
            )
        if self.has_psfs and self.psfs.change is not None:
            lines.append(psfs_sentence(self.psfs))
        lines += self.knee_to_wall_lines()
        lines.append(self.settling.sentence())
        return lines

    def to_json(self) -> dict[str, Any]:
        """The shape ``sirelief report --json`` prints (docs/cli-json.md)."""
        return {
            "today": self.today.isoformat(),
            "weeks": [w.isoformat() for w in self.weeks],
            "sessions": self.sessions,
            "headlines": self.headlines(),
            "effects": [_effect_json(e) for e in self.effects],
            "pain": _trend_json(self.pain),
            "tightness": {
                region: {side: _trend_json(t) for side, t in sides.items()}
                for region, sides in self.tightness.items()
            },
            "knee_to_wall": {side: _trend_json(t) for side, t in self.knee_to_wall.items()},
            "knee_to_wall_mdc_cm": KNEE_TO_WALL_MDC_CM,
            "psfs": _trend_json(self.psfs) if self.psfs is not None else None,
            "knee_to_wall_deg": {side: _trend_json(t) for side, t in self.knee_to_wall_deg.items()},
            "knee_to_wall_mdc_deg": KNEE_TO_WALL_MDC_DEG,
            "adherence": {
                "sessions_per_week": round(self.adherence.sessions_per_week, 2),
                "day_streak": self.adherence.day_streak,
                "longest_day_streak": self.adherence.longest_day_streak,
                "week_streak": self.adherence.week_streak,
                "weeks": [
                    {
                        "week": w.week.isoformat(),
                        "sessions": w.sessions,
                        "session_days": w.session_days,
                        "minutes": round(w.minutes, 1),
                    }
                    for w in self.adherence.weeks
                ],
                "plateau_min_per_week": PLATEAU_MIN_PER_WEEK,
                "regions": [
                    {
                        "region": r.region,
                        "last_7_days_min": round(r.last_7_days, 1),
                        "weekly_mean_min": round(r.weekly_mean, 1),
                    }
                    for r in self.adherence.regions
                ],
            },
            "settling": {
                "answered": self.settling.answered,
                "settled": self.settling.settled,
                "rate": _round(self.settling.rate, 3),
                "recent_answered": self.settling.recent_answered,
                "recent_settled": self.settling.recent_settled,
            },
            "climbs": [
                {
                    "measure": c.measure,
                    "weekly_means": [_round(w.mean, 2) for w in c.weeks],
                    "weeks": [w.week.isoformat() for w in c.weeks],
                    "sentence": c.sentence(),
                    "advice": CLINICIAN,
                }
                for c in self.climbs
            ],
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _effect_json(effect: PooledEffect) -> dict[str, Any]:
    est = effect.estimate
    randomised = effect.randomised
    return {
        "routine": effect.routine_id,
        "block": effect.block_id,
        "region": effect.region,
        "work": effect.work_name,
        "sessions": est.n,
        "treated_sides": list(effect.sides),
        "reduction": round(est.mean, 3),
        "low": _round(est.low, 3),
        "high": _round(est.high, 3),
        "verdict": effect.verdict,
        "noticeable": abs(est.mean) >= MEANINGFUL,
        "randomised_sessions": randomised.n if randomised else 0,
        "randomised_reduction": _round(randomised.mean, 3) if randomised else None,
        "sentence": effect.sentence(),
    }


def _trend_json(trend: Trend) -> dict[str, Any]:
    return {
        "unit": trend.unit,
        "threshold": trend.threshold,
        "days": [{"day": d.isoformat(), "value": round(v, 2)} for d, v in trend.days],
        "weeks": [
            {"week": w.week.isoformat(), "mean": _round(w.mean, 2), "n": w.n} for w in trend.weeks
        ],
        "change": _round(trend.change, 2),
        "meaningful": trend.meaningful,
    }


def psfs_sentence(trend: Trend) -> str:
    """The PSFS headline: its first and last weekly mean, against the 2 points that matter."""
    first, last, change = trend.first, trend.last, trend.change
    if trend.meaningful:
        verdict = "better" if change > 0 else "harder"
        judged = f"2 points or more, a change that matters ({verdict}; a trend does not show why)"
    else:
        judged = "less than 2 points, within measurement error"
    return (
        f"Your activities score (PSFS, 10 = as able as before) went from {first.mean:.1f} "
        f"(week of {first.week:%d %b}) to {last.mean:.1f} (week of {last.week:%d %b}): {judged}."
    )


def _settling(records: Sequence[SessionRecord], tz, today: date) -> Settling:
    answered = [r for r in records if r.morning is not None]
    since = today - timedelta(weeks=RECENT_WEEKS)
    recent = [r for r in answered if local_day(r, tz) > since]
    return Settling(
        len(answered),
        sum(r.morning.settled for r in answered),
        len(recent),
        sum(r.morning.settled for r in recent),
    )


def build_insights(
    records: Iterable[SessionRecord],
    exercises: Iterable[Exercise],
    today: date,
    tz: tzinfo,
    weeks: int = 12,
    psfs: Iterable[PsfsRating] = (),
) -> Insights:
    """Everything over the last ``weeks`` weeks (this week included), up to ``today``."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    records = [r for r in records if local_day(r, tz) <= today]
    window = weeks_ending(today, weeks)
    chosen = [r for r in records if local_day(r, tz) >= window[0]]
    exercises = list(exercises)
    stretched = {e.id: tuple(e.regions) for e in exercises if e.category == "stretch"}
    effects = pool_effects(
        (effect for record in chosen for effect in session_effects(record, tz)),
        work_index(exercises),
    )
    trends = measure_trends(chosen, tz, window)
    return Insights(
        today=today,
        weeks=window,
        sessions=sum(r.state.started_at is not None for r in chosen),
        effects=tuple(effects),
        pain=trends["pain"],
        tightness={r: trends[r] for r in ("hip", "hamstrings_adductors", "ankle")},
        knee_to_wall=trends["knee_to_wall"],
        knee_to_wall_deg=trends["knee_to_wall_deg"],
        # effort and the warning read "the last 7 days" and 4 weeks, whatever the span
        adherence=adherence(records, tz, today, window, lambda i: stretched.get(i, ())),
        settling=_settling(chosen, tz, today),
        climbs=weekly_climbs(records, tz, today),
        psfs=psfs_trend((p for p in psfs if p.rated_at.astimezone(tz).date() <= today), tz, window),
    )


def weekly_climbs(records: Iterable[SessionRecord], tz: tzinfo, today: date) -> tuple[Climb, ...]:
    """Pain, then average tightness, where each climbed two weeks running (SPEC 5).

    Reads the last ``CLIMB_WEEKS`` weeks of ``records`` up to ``today``; on its own it is
    what the Today page asks, so Today does not build the whole of the insights.
    """
    lookback = weeks_ending(today, CLIMB_WEEKS)
    recent = [r for r in records if lookback[0] <= local_day(r, tz) <= today]
    found = (
        weekly_climb("pain", weekly_means(recent, tz, lookback, checkin_pain), today),
        weekly_climb("tightness", weekly_means(recent, tz, lookback, average_tightness), today),
    )
    return tuple(climb for climb in found if climb is not None)
