"""The demo person model: pure functions, checked by hand and as properties."""

import random
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sirelief.domain.trends import week_start
from sirelief.services.demo_person import (
    EFFECT,
    SMASH,
    WAITING_DROP,
    baseline_ratings,
    final_ratings,
    hold_mean,
    knee_to_wall,
    mid_ratings,
    morning_after,
    pain_level,
    plan_visits,
    row_mean,
)

REGIONS = ("hip", "hamstrings_adductors", "ankle")
rating = st.integers(0, 10)
ratings = st.fixed_dictionaries(
    {region: st.fixed_dictionaries({"left": rating, "right": rating}) for region in REGIONS}
)
ends = st.datetimes(datetime(2020, 1, 1), datetime(2035, 1, 1)).map(lambda d: d.replace(tzinfo=UTC))


def weekly_means(visits, measure) -> dict:
    """Mean per calendar week (Monday first) over the visits that are sessions."""
    by_week = defaultdict(list)
    for visit in visits:
        if visit.routine_id is not None:
            by_week[week_start(visit.at.date())].append(measure(visit.checkin))
    return {week: statistics.fmean(values) for week, values in by_week.items()}


def two_week_climbs(means: dict) -> list:
    """Weeks ending three consecutive calendar weeks that each rose (to one decimal)."""
    found = []
    for week in sorted(means):
        three = [means.get(week - timedelta(weeks=k)) for k in (2, 1, 0)]
        if None not in three:
            a, b, c = (round(m, 1) for m in three)
            if a < b < c:
                found.append(week)
    return found


def pain(checkin) -> float:
    return checkin.pain


def tightness(checkin) -> float:
    return (checkin.tightness.total("left") + checkin.tightness.total("right")) / 6


def test_pain_drifts_from_five_to_two_with_one_bad_week() -> None:
    levels = [pain_level(week, 12, 6, "typical") for week in range(12)]
    assert levels[0] == 5.0
    assert levels[-1] == 2.0
    rises = [week for week in range(1, 12) if levels[week] > levels[week - 1]]
    assert rises == [6]


def test_worsening_climbs_in_the_last_two_weeks() -> None:
    levels = [pain_level(week, 12, 6, "worsening") for week in range(12)]
    assert levels[9] < levels[10] < levels[11]


def test_mid_check_lowers_the_treated_side_by_region() -> None:
    rng = random.Random(1)
    baseline = {region: {"left": 5, "right": 5} for region in REGIONS}
    draws = [mid_ratings(baseline, "right", rng) for _ in range(4000)]
    for region in REGIONS:
        treated = statistics.fmean(5 - mid[region]["right"] for mid in draws)
        waiting = statistics.fmean(5 - mid[region]["left"] for mid in draws)
        assert abs(waiting - WAITING_DROP) < 0.1, region
        assert abs(treated - waiting - EFFECT[region]) < 0.15, region
    assert EFFECT["hip"] > EFFECT["ankle"] > EFFECT["hamstrings_adductors"] == 0


def test_knee_to_wall_improves_towards_ten_or_eleven_centimetres() -> None:
    rng = random.Random(2)
    first = [knee_to_wall(0.0, rng) for _ in range(200)]
    last = [knee_to_wall(1.0, rng) for _ in range(200)]
    assert 6.5 < statistics.fmean(k.right for k in first) < 7.5
    assert 9.0 < statistics.fmean(k.left for k in first) < 10.0
    assert 10.0 <= statistics.fmean(k.right for k in last) <= 11.0
    assert 10.5 <= statistics.fmean(k.left for k in last) <= 11.5


def test_morning_mostly_settled_and_less_often_after_high_pain() -> None:
    rng = random.Random(3)
    low = [morning_after(2, 3, rng)[0] for _ in range(1000)]
    high = [morning_after(5, 7, rng)[0] for _ in range(1000)]
    assert statistics.fmean(low) > 0.9
    assert statistics.fmean(high) < statistics.fmean(low) - 0.2


@given(seed=st.integers(0, 2**32), baseline=ratings, side=st.sampled_from(["left", "right"]))
def test_generated_ratings_stay_on_the_scale(seed, baseline, side) -> None:
    rng = random.Random(seed)
    first = baseline_ratings(baseline, REGIONS, rng)
    mid = mid_ratings(first, side, rng)
    last = final_ratings(mid, side, rng)
    for values in (first, mid, last):
        assert set(values) == set(REGIONS)
        for sides in values.values():
            assert all(isinstance(v, int) and 0 <= v <= 10 for v in sides.values())


@given(
    rows=st.lists(st.lists(rating, min_size=1, max_size=6), min_size=1, max_size=6),
    limit=st.floats(0, 10),
)
def test_hold_mean_keeps_within_its_bounds(rows, limit) -> None:
    low = hold_mean([list(r) for r in rows], ceiling=limit)
    assert row_mean(low) <= limit + 1e-9 or all(v == 0 for r in low for v in r)
    high = hold_mean([list(r) for r in rows], floor=limit)
    assert row_mean(high) >= limit - 1e-9 or all(v == 10 for r in high for v in r)
    assert all(0 <= v <= 10 for r in (*low, *high) for v in r)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31), weeks=st.integers(1, 30), end=ends)
def test_visits_are_plausible_for_any_seed(seed, weeks, end) -> None:
    end = end.replace(hour=0, minute=0, second=0, microsecond=0)
    visits = plan_visits(weeks, seed, end)
    assert visits == plan_visits(weeks, seed, end)
    sessions = [v for v in visits if v.routine_id is not None]
    assert [v.at for v in visits] == sorted(v.at for v in visits)
    assert sessions[-1].at.date() == (end - timedelta(days=1)).date()
    assert not sessions[-1].morning
    assert visits[0].at >= end - timedelta(weeks=weeks)
    assert sum(v.routine_id is None for v in visits) == 1
    assert all(v.checkin.red_flags for v in visits if v.routine_id is None)
    assert sum(v.stop_early for v in visits) <= 1
    assert all(v.routine_id == SMASH for v in visits if v.stop_early)
    per_week = defaultdict(int)
    for visit in sessions:
        per_week[week_start(visit.at.date())] += 1
    assert max(per_week.values()) <= 5
    assert two_week_climbs(weekly_means(visits, pain)) == []
    assert two_week_climbs(weekly_means(visits, tightness)) == []


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), weeks=st.integers(3, 30), end=ends)
def test_worsening_climbs_two_weeks_running_at_the_end(seed, weeks, end) -> None:
    end = end.replace(hour=0, minute=0, second=0, microsecond=0)
    visits = plan_visits(weeks, seed, end, "worsening")
    last_week = week_start((end - timedelta(days=1)).date())
    assert two_week_climbs(weekly_means(visits, pain)) == [last_week]
    assert two_week_climbs(weekly_means(visits, tightness)) == [last_week]
