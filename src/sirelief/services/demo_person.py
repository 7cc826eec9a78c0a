"""The made-up demo person: what they answer, when, and how their ratings move.

Pure: every number comes from ``random.Random(seed)``; ``services/demo.py`` plays these
visits through the real use cases.

The person: right-sided SI joint pain that starts near 5/10 and drifts to about 2/10,
with one bad week in the middle (pain climbs that week only, never two weeks running,
unless ``scenario="worsening"``, which makes the last two weeks climb); 2-5 sessions a
week with one near-empty week; mostly the kettlebell smash reset, some SI joint stretches
and morning loosen-ups. At the mid check every side's ratings are about half a point
lower; the smashed side's hip about 2.4 points more, its ankle 1.2 more, its hamstrings
and inner thighs no more at all, so the pooled estimates show one large effect, one
smaller one and one interval that includes zero. A quarter of smash sessions randomise
the first side. Knee-to-wall distances improve from about 7 cm (right) and 9.5 cm (left)
towards 10.5 and 11 cm. One session ends early with "too much" before its mid check, one
check-in answers a red flag (a safety stop, no session), and most sessions get a
next-morning answer (settled, mostly), all but the last, which waits on the Today page.

Everything random comes from ``random.Random(seed)``: the same seed, weeks and end give
the same check-ins, plans, events (kinds, times, values) and answers; only the ids differ.
"""

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from sirelief.domain.checkin import CheckIn, KneeToWall
from sirelief.domain.vocabulary import RatingRegion, Side
from sirelief.services.errors import ServiceError

Scenario = Literal["typical", "worsening"]
SMASH, STRETCHES, MORNING = "kettlebell-smash-reset", "si-joint-stretches", "morning-loosen-up"
NOTE_PREFIX = "sirelief demo data"
DEMO_FOLDER = "demo"

PAIN_START, PAIN_END = 5.0, 2.0
"""Check-in pain (0-10) in the first and the last week."""
BAD_WEEK_BUMP = 1.5
WORSENING_STEP = 1.0
"""How much higher typical pain is in each of the last two weeks of "worsening"."""
CLIMB = 0.15
"""A week meant to climb ends at least this much above the week before (so it shows
even after rounding to one decimal)."""
TIGHTNESS: dict[RatingRegion, dict[Side, tuple[float, float]]] = {
    "hip": {"right": (7.0, 4.0), "left": (4.0, 3.0)},
    "hamstrings_adductors": {"right": (5.0, 3.0), "left": (3.0, 2.0)},
    "ankle": {"right": (6.0, 3.5), "left": (4.0, 3.0)},
}
"""Check-in tightness per region and side, first week to last: the right side is tighter."""
KNEE_TO_WALL_CM: dict[Side, tuple[float, float]] = {"right": (7.0, 10.5), "left": (9.5, 11.0)}
EFFECT: dict[RatingRegion, float] = {"hip": 2.4, "ankle": 1.2, "hamstrings_adductors": 0.0}
"""How much more a smashed side's rating drops than the waiting side's, on average."""
WAITING_DROP = 0.5
"""What the squats, the warm-up and the time alone take off a side's rating."""
ROUTINES, ROUTINE_SHARES = (SMASH, STRETCHES, MORNING), (0.7, 0.18, 0.12)
RANDOMISED_SHARE = 0.25
RED_FLAG = "night-pain"
EQUIPMENT = {
    SMASH: ["kettlebell", "mat", "strap", "wall", "band", "suspension_trainer"],
    STRETCHES: ["mat", "strap", "foam_roller"],
    MORNING: ["mat", "strap"],
}
MINUTES = {SMASH: (45, 50, 60, 60), STRETCHES: (20, 25, 30), MORNING: (10, 15)}
CONTEXT = {SMASH: "repair", STRETCHES: "after_sitting", MORNING: "morning"}


@dataclass(frozen=True)
class DemoSummary:
    """What ``fill_demo`` wrote."""

    sessions: int
    checkins: int
    morning_answers: int
    stops: int
    """Safety stops (a red flag answered at check-in)."""
    stopped_early: int
    """Sessions ended with "too much"."""
    randomised: int
    """Smash sessions whose first side was chosen at random."""
    psfs_ratings: int
    """Weekly PSFS ratings (one a week with a session)."""
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class Visit:
    """One planned check-in of the demo person: a session, or a red flag and no session."""

    at: datetime
    week: int
    routine_id: str | None
    """None for the check-in that answers a red flag."""
    checkin: CheckIn
    plan_seed: int
    noise_seed: int
    randomise_first_side: bool = False
    stop_early: bool = False
    morning: bool = True
    """Answer the next-morning question."""


# --- the person model: small pure functions -----------------------------------------------
def clamp(value: float, low: int = 0, high: int = 10) -> int:
    """A 0-10 rating: rounded and kept within the scale.

    >>> clamp(-0.4), clamp(3.5), clamp(12.2)
    (0, 4, 10)
    """
    return max(low, min(high, math.floor(value + 0.5)))


def toward(start: float, end: float, progress: float) -> float:
    """Linear drift from ``start`` (progress 0) to ``end`` (progress 1).

    >>> toward(5.0, 2.0, 0.5)
    3.5
    """
    return start + (end - start) * progress


def week_counts(weeks: int, gap_week: int | None, rng: random.Random) -> list[int]:
    """Sessions per week: 2-5, except one near-empty week (0-1 sessions)."""
    return [rng.choice((0, 1)) if w == gap_week else rng.choice((2, 3, 3, 4, 4, 5))
            for w in range(weeks)]  # fmt: skip


def pain_level(week: int, weeks: int, bad_week: int | None, scenario: Scenario) -> float:
    """The person's typical check-in pain in a week, before day-to-day noise.

    >>> pain_level(0, 12, 6, "typical"), pain_level(11, 12, 6, "typical")
    (5.0, 2.0)
    >>> pain_level(6, 12, 6, "typical") - pain_level(5, 12, 6, "typical") > 1
    True
    """

    def drift(w: int) -> float:
        return toward(PAIN_START, PAIN_END, w / max(1, weeks - 1))

    if scenario == "worsening" and week >= weeks - 2:
        return drift(weeks - 3) + (week - (weeks - 3)) * WORSENING_STEP
    return drift(week) + (BAD_WEEK_BUMP if week == bad_week else 0.0)


def row_mean(rows: Sequence[Sequence[int]]) -> float:
    """The mean over sessions of each session's mean value (how a week is summed up).

    >>> row_mean([[2], [4]]), row_mean([[1, 2, 3], [3, 3, 3]])
    (3.0, 2.5)
    """
    return math.fsum(math.fsum(row) / len(row) for row in rows) / len(rows)


def hold_mean(
    rows: list[list[int]], ceiling: float | None = None, floor: float | None = None
) -> list[list[int]]:
    """Nudge single 0-10 values a point at a time until ``row_mean`` is at most ``ceiling``
    and at least ``floor``: how the demo makes a week climb only where it is meant to.

    >>> hold_mean([[5], [6], [4]], ceiling=4.0)
    [[4], [4], [4]]
    >>> hold_mean([[1, 2], [2, 2]], floor=2.5)
    [[3, 3], [2, 2]]
    """
    cells = [(r, c) for r, row in enumerate(rows) for c in range(len(row))]
    while ceiling is not None and row_mean(rows) > ceiling:
        r, c = max(cells, key=lambda rc: rows[rc[0]][rc[1]])
        if rows[r][c] == 0:
            break
        rows[r][c] -= 1
    while floor is not None and row_mean(rows) < floor:
        r, c = min(cells, key=lambda rc: rows[rc[0]][rc[1]])
        if rows[r][c] == 10:
            break
        rows[r][c] += 1
    return rows


def checkin_tightness(progress: float, bump: int, rng: random.Random) -> list[int]:
    """Tightness per region and side (left, right for each region in ``TIGHTNESS``): the
    right side tighter, both easing over the weeks; ``bump`` adds to the right side."""
    return [clamp(toward(*TIGHTNESS[region][side], progress) + (bump if side == "right" else 0)
                  + rng.choice((-1, 0, 0, 0, 1)))
            for region in TIGHTNESS for side in ("left", "right")]  # fmt: skip


def tightness_answers(values: Sequence[int]) -> dict[str, dict[str, int]]:
    """The check-in's tightness from the flat list ``checkin_tightness`` makes.

    >>> tightness_answers([1, 2, 3, 4, 5, 6])["ankle"]
    {'left': 5, 'right': 6}
    """
    pairs = iter(values)
    return {region: {"left": next(pairs), "right": next(pairs)} for region in TIGHTNESS}


def knee_to_wall(progress: float, rng: random.Random) -> KneeToWall:
    """Knee-to-wall distance per side, to the nearest half centimetre.

    >>> knee_to_wall(1.0, random.Random(0)).right >= 9.5
    True
    """

    def measure(side: Side) -> float:
        centimetres = toward(*KNEE_TO_WALL_CM[side], progress) + rng.gauss(0, 0.4)
        return max(0.0, min(25.0, round(centimetres * 2) / 2))

    return KneeToWall(left=measure("left"), right=measure("right"))


Ratings = dict[str, dict[str, int]]


def baseline_ratings(tightness: Ratings, regions: Sequence[str], rng: random.Random) -> Ratings:
    """The baseline check: the check-in's tightness, a point looser after the ankle work."""
    return {
        region: {side: clamp(tightness[region][side] - (rng.random() < 0.3)
                             + rng.choice((-1, 0, 0, 0, 0, 1)))
                 for side in ("left", "right")}
        for region in regions
    }  # fmt: skip


def mid_ratings(baseline: Ratings, treated: Side, rng: random.Random) -> Ratings:
    """The mid check: every side loses ``WAITING_DROP``, the treated side ``EFFECT`` more.

    >>> mid = mid_ratings({"hip": {"left": 4, "right": 7}}, "right", random.Random(3))
    >>> 0 <= mid["hip"]["right"] <= 7 and 0 <= mid["hip"]["left"] <= 10
    True
    """

    def after(region: str, side: str) -> int:
        effect = EFFECT.get(region, 0.0) if side == treated else 0.0
        spread = 0.9 if side == treated else 0.6
        return clamp(baseline[region][side] - rng.gauss(WAITING_DROP + effect, spread))

    return {region: {side: after(region, side) for side in ("left", "right")}
            for region in baseline}  # fmt: skip


def final_ratings(mid: Ratings, first: Side, rng: random.Random) -> Ratings:
    """The final check: the first side holds its gain, the second side gets its effect."""

    def after(region: str, side: str) -> int:
        if side == first:
            return clamp(mid[region][side] - rng.gauss(0.2, 0.5))
        return clamp(mid[region][side] - rng.gauss(EFFECT.get(region, 0.0), 0.9))

    return {region: {side: after(region, side) for side in ("left", "right")}
            for region in mid}  # fmt: skip


def morning_after(pain_before: int, peak: int | None, rng: random.Random) -> tuple[bool, int]:
    """Did the pain settle by the next morning, and the pain then: mostly yes, and lower.

    >>> morning_after(2, 2, random.Random(0))[1] <= 2
    True
    """
    worst = max(pain_before, peak or 0)
    settled = rng.random() >= 0.04 + 0.12 * max(0, worst - 3)
    if settled:
        return True, clamp(pain_before - rng.choice((0, 1, 1)))
    return False, clamp(pain_before + rng.choice((0, 1)))


def _time_of_day(routine_id: str, day: datetime, rng: random.Random) -> datetime:
    if routine_id == MORNING:
        hour, spread = 6.75, 60
    elif routine_id == STRETCHES:
        hour, spread = rng.choice((12.5, 20.0)), 60
    else:
        hour, spread = (9.0, 120) if day.weekday() >= 5 else (18.0, 120)
    return day + timedelta(minutes=round(hour * 60) + rng.randrange(spread))


@dataclass
class _Measure:
    """One weekly mean the pain-monitoring rule watches, and whether it just climbed."""

    means: list[float] = field(default_factory=list)
    climbed: bool = False

    def hold(self, rows: list[list[int]], week: int, must: set[int], next_week: int | None):
        floor = ceiling = None
        if self.means and week in must:
            floor = self.means[-1] + CLIMB
        elif self.means and (self.climbed or next_week in must):
            ceiling = self.means[-1]
        rows = hold_mean(rows, ceiling, floor)
        self.climbed = bool(self.means) and row_mean(rows) > self.means[-1]
        self.means.append(row_mean(rows))
        return rows


def plan_visits(
    weeks: int, seed: int, end: datetime, scenario: Scenario = "typical"
) -> list[Visit]:
    """Every check-in of the demo person, oldest first, up to the day before ``end``.

    Weeks are calendar weeks (Monday to Sunday), the last one the week of the day before
    ``end``, so it may be short. Pure: the same arguments give the same visits. Weekly
    mean check-in pain and tightness climb in the bad week only, never two weeks running,
    unless ``scenario`` is "worsening" (then both climb in each of the last two weeks).
    """
    if scenario == "worsening" and weeks < 3:
        raise ServiceError("the worsening scenario needs at least 3 weeks")
    rng = random.Random(seed)
    last_day = end - timedelta(days=1)
    day_one = last_day - timedelta(days=last_day.weekday() + 7 * (weeks - 1))
    gap_week = round(weeks * 0.3) if weeks >= 8 else None
    bad_week = weeks // 2 if weeks >= 6 else None
    if scenario == "worsening" and bad_week is not None and bad_week >= weeks - 3:
        bad_week = None
    counts = week_counts(weeks, gap_week, rng)
    counts[-1] = min(max(counts[-1], 2), last_day.weekday() + 1)
    must = {bad_week} if bad_week is not None else set()
    if scenario == "worsening":
        must |= {weeks - 2, weeks - 1}
    pain, tightness = _Measure(), _Measure()
    visits: list[Visit] = []
    for week, count in enumerate(counts):
        if count == 0:
            continue
        next_week = next((w for w in range(week + 1, weeks) if counts[w]), None)
        level = pain_level(week, weeks, bad_week, scenario)
        pains = pain.hold([[clamp(rng.gauss(level, 0.7))] for _ in range(count)], week, must,
                          next_week)  # fmt: skip
        progress = week / max(1, weeks - 1)
        bump = int(week == bad_week) + (2 * (week - weeks + 3) if week in must - {bad_week} else 0)
        rows = [checkin_tightness(progress, bump, rng) for _ in range(count)]
        rows = tightness.hold(rows, week, must, next_week)
        if week == weeks - 1:  # the last session is the day before ``end``
            days = [*sorted(rng.sample(range(last_day.weekday()), count - 1)), last_day.weekday()]
        else:
            days = sorted(rng.sample(range(7), count))
        for day, (pain_now,), values in zip(days, pains, rows, strict=True):
            routine_id = rng.choices(ROUTINES, ROUTINE_SHARES)[0]
            when = _time_of_day(routine_id, day_one + timedelta(days=7 * week + day), rng)
            visits.append(_visit(routine_id, when, week, progress, pain_now, values, rng))
        if week == (bad_week if bad_week is not None else weeks // 2):
            free = [d for d in range(7) if d not in days and (week < weeks - 1 or d < days[-1])]
            when = day_one + timedelta(days=7 * week + rng.choice(free or days), hours=21)
            worst = max(row[0] for row in pains)
            flagged = _visit(SMASH, when, week, progress, worst, rows[0], rng)
            answers = {**flagged.checkin.model_dump(exclude_none=True), "red_flags": [RED_FLAG]}
            checkin = CheckIn.model_validate(answers)
            visits.append(replace(flagged, routine_id=None, checkin=checkin, morning=False))
    visits.sort(key=lambda visit: visit.at)
    _mark_stop_early(visits, bad_week, weeks)
    last = max((i for i, v in enumerate(visits) if v.routine_id), default=None)
    if last is not None:
        visits[last] = replace(visits[last], morning=False)  # still to be asked, on Today
    return visits


def _visit(
    routine_id: str, when: datetime, week: int, progress: float, pain: int,
    tightness: Sequence[int], rng: random.Random,
) -> Visit:  # fmt: skip
    smash = routine_id == SMASH
    data = {
        "pain": pain, "tightness": tightness_answers(tightness),
        "minutes": rng.choice(MINUTES[routine_id]), "equipment": EQUIPMENT[routine_id],
        "context": CONTEXT[routine_id], "pain_side": "right",
    }  # fmt: skip
    if smash and rng.random() < 0.7:
        data["knee_to_wall_cm"] = knee_to_wall(progress, rng).model_dump()
    return Visit(
        at=when, week=week, routine_id=routine_id, checkin=CheckIn.model_validate(data),
        plan_seed=rng.randrange(2**31), noise_seed=rng.randrange(2**31),
        randomise_first_side=smash and rng.random() < RANDOMISED_SHARE,
        morning=rng.random() >= 0.08,
    )  # fmt: skip


def _mark_stop_early(visits: list[Visit], bad_week: int | None, weeks: int) -> None:
    """The first smash session of the bad week (else the middle week) ends with "too much".

    Only a session with pain of 5/10 or less holds smashes (SPEC 5.4), so only those count.
    """
    smash = [i for i, v in enumerate(visits) if v.routine_id == SMASH and v.checkin.pain <= 5]
    if len(smash) < 3:
        return
    target = bad_week if bad_week is not None else weeks // 2
    chosen = next((i for i in smash if visits[i].week >= target), smash[len(smash) // 2])
    visits[chosen] = replace(visits[chosen], stop_early=True)


# --- the weekly PSFS (issue 20 item 2) ----------------------------------------------------
PSFS_ACTIVITIES = ("Sitting through a film", "Putting on socks", "A 30-minute walk")
PSFS_START = (4.0, 5.0, 3.0)
"""How well the person manages each activity (0-10) when their pain is at its first level:
less pain, more ability, one point for each point of pain."""


def psfs_weeks(visits: Sequence[Visit]) -> list[tuple[datetime, tuple[int, ...]]]:
    """One PSFS rating a week, after the week's first session: each activity's score moves
    with the week's mean check-in pain (a bad week scores lower), plus a little noise.

    >>> psfs_weeks([])
    []
    """
    by_week: dict[int, list[Visit]] = {}
    for visit in visits:
        if visit.routine_id is not None:
            by_week.setdefault(visit.week, []).append(visit)
    if not by_week:
        return []
    weekly_pain = {w: sum(v.checkin.pain for v in vs) / len(vs) for w, vs in by_week.items()}
    first_pain = weekly_pain[min(weekly_pain)]
    rated = []
    for week in sorted(by_week):
        first = min(by_week[week], key=lambda v: v.at)
        rng = random.Random(first.noise_seed + 7)
        relief = first_pain - weekly_pain[week]
        scores = tuple(clamp(start + relief + rng.gauss(0, 0.4)) for start in PSFS_START)
        rated.append((first.at + timedelta(hours=1), scores))
    return rated
