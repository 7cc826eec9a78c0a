"""Pooled untreated-side effects: hand-computed fixtures, edge cases, and scipy on random data."""

import math
import statistics
from datetime import UTC

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sirelief.domain.effects import pool_effects, session_effects, work_index
from tests.insights.support import CATALOGUE, session

WORK = work_index(CATALOGUE.exercises.values())
BASE = ((3, 7), (2, 5), (4, 6))


def mid_with_hip(left: int, right: int):
    return {"baseline": BASE, "mid": ((left, right), (2, 5), (4, 6)), "final": BASE}


def pooled(records):
    effects = [e for r in records for e in session_effects(r, UTC)]
    return {p.region: p for p in pool_effects(effects, WORK)}


def test_one_session_effect_is_treated_change_minus_untreated_change() -> None:
    # right (tighter) treated: 7 -> 4 is -3; left waited: 3 -> 2 is -1; reduction 2
    record = session(0, mid_with_hip(2, 4))
    hip = next(e for e in session_effects(record, UTC) if e.region == "hip")
    assert (hip.treated, hip.treated_change, hip.untreated_change) == ("right", -3, -1)
    assert hip.reduction == 2
    assert hip.block_id == "smash"
    assert hip.work == ("kb-hip-flexor-smash", "kb-adductor-smash", "kb-calf-smash")


def test_four_sessions_pool_to_the_hand_computed_interval() -> None:
    # hip reductions 3, 2, 2, 3: mean 2.5, t(0.975, 3) * sd / 2 = 0.918693
    records = [session(d, mid_with_hip(3, r)) for d, r in enumerate((4, 5, 5, 4))]
    hip = pooled(records)["hip"]
    assert hip.n == 4
    assert hip.estimate.mean == 2.5
    assert (hip.estimate.low, hip.estimate.high) == pytest.approx((1.581307, 3.418693), abs=1e-6)
    assert hip.verdict == "less_tight"
    assert hip.work_name == "Kettlebell hip flexor smash"
    assert hip.sentence() == (
        "Kettlebell hip flexor smash: your worked side (right) felt 2.5 points less tight in "
        "the front of the hip than the side that waited (4 sessions, 95% interval 1.6 to 3.4)."
    )


def test_identical_values_give_an_exact_interval_and_zero_effects_say_unclear() -> None:
    records = [session(d, mid_with_hip(3, 5)) for d in range(3)]
    effects = pooled(records)
    hip = effects["hip"]
    assert (hip.estimate.low, hip.estimate.mean, hip.estimate.high) == (2, 2, 2)
    assert hip.verdict == "less_tight"
    assert "(3 sessions, the same difference in every session so far)" in hip.sentence()
    assert hip.verdict_words == "Felt less tight"
    # hamstrings did not change on either side: a zero-width interval at zero
    hams = effects["hamstrings_adductors"]
    assert (hams.estimate.low, hams.estimate.high) == (0, 0)
    assert hams.verdict == "unclear"
    assert "no clear difference in right hamstring and inner-thigh tightness yet" in hams.sentence()
    assert "Kettlebell adductor smash" in hams.sentence()


def test_an_interval_including_zero_is_called_unclear() -> None:
    records = [session(d, mid_with_hip(3, r)) for d, r in enumerate((3, 8, 5))]
    hip = pooled(records)["hip"]  # reductions 4, -1, 2
    assert hip.estimate.includes_zero
    assert hip.verdict == "unclear"
    assert hip.verdict_words == "No clear effect yet"
    assert "the interval includes zero (3 sessions, 95% interval" in hip.sentence()


def test_worse_on_the_treated_side_is_said_so() -> None:
    records = [session(d, mid_with_hip(3, 9)) for d in range(3)]
    hip = pooled(records)["hip"]
    assert hip.verdict == "tighter"
    assert hip.verdict_words == "Felt tighter"
    assert hip.sentence().startswith(
        "Kettlebell hip flexor smash: your worked side (right) felt 2.0 points tighter"
    )


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_than_three_sessions_say_nothing(count: int) -> None:
    hip = pooled([session(d, mid_with_hip(3, 4)) for d in range(count)])["hip"]
    assert hip.verdict == "too_few"
    assert f"{count} session{'s' if count > 1 else ''} so far, too few" in hip.sentence()
    assert "less tight" not in hip.sentence()


def test_one_session_has_no_interval() -> None:
    hip = pooled([session(0, mid_with_hip(3, 4))])["hip"]
    assert (hip.estimate.n, hip.estimate.low, hip.estimate.high) == (1, None, None)


def test_a_session_without_a_mid_point_adds_nothing() -> None:
    stopped = session(0, {"baseline": BASE}, stop_before="mid")
    assert session_effects(stopped, UTC) == []
    kept = [session(d, mid_with_hip(3, 4)) for d in range(1, 4)]
    assert pooled([stopped, *kept])["hip"].n == 3


def test_routines_without_a_mid_check_add_nothing() -> None:
    stretches = session(0, {}, routine="si-joint-stretches")
    assert session_effects(stretches, UTC) == []


def test_randomised_first_side_uses_the_side_actually_treated() -> None:
    # find seeds whose random draw treats the LEFT (looser) side first
    lefts = []
    for seed in range(40):
        probe = session(0, mid_with_hip(3, 7), randomise=True, seed=seed)
        if probe.plan.first_side == "left":
            lefts.append(seed)
    assert lefts, "some seed must draw the left side"
    # left treated: 3 -> 1 (-2); right waited: 7 -> 6 (-1); reduction 1
    records = [
        session(d, mid_with_hip(1, 6), randomise=True, seed=seed)
        for d, seed in enumerate(lefts[:3])
    ]
    records.append(session(5, mid_with_hip(3, 4)))  # tighter-first: reduction 3
    hip = pooled(records)["hip"]
    assert hip.sides == ("left", "right")
    assert [e.reduction for e in hip.sessions] == [1, 1, 1, 3]
    assert hip.randomised is not None
    assert (hip.randomised.n, hip.randomised.mean) == (3, 1)
    assert hip.estimate.mean == 1.5
    # both sides were treated first at times: no side named; the random subset is reported
    assert "no clear difference in hip tightness yet" in hip.sentence()
    assert "In the 3 sessions whose first side was drawn at random, the difference was 1.0." in (
        hip.sentence()
    )


ratings = st.integers(0, 10)


@given(st.lists(st.tuples(ratings, ratings, ratings, ratings), min_size=2, max_size=8))
@settings(max_examples=25, deadline=None)
def test_pooled_estimate_matches_an_independent_computation(values) -> None:
    """Raw ratings -> reductions by hand -> statistics/scipy; compare with the domain."""
    records, expected = [], []
    for day, (base_left, base_right, mid_left, mid_right) in enumerate(values):
        points = {"baseline": ((base_left, base_right), (2, 5), (4, 6)),
                  "mid": ((mid_left, mid_right), (2, 5), (4, 6)), "final": BASE}  # fmt: skip
        record = session(day, points, tight=BASE)  # right is tighter: treated first
        records.append(record)
        expected.append((mid_left - base_left) - (mid_right - base_right))
    hip = pooled(records)["hip"]
    mean = statistics.fmean(expected)
    assert hip.estimate.mean == pytest.approx(mean)
    sd = statistics.stdev(expected)
    if sd == 0:
        assert hip.estimate.low == pytest.approx(mean)
        return
    low, high = stats.t.interval(0.95, len(expected) - 1, loc=mean,
                                 scale=sd / math.sqrt(len(expected)))  # fmt: skip
    assert (hip.estimate.low, hip.estimate.high) == pytest.approx((low, high), abs=1e-9)


def test_a_small_clear_effect_is_less_than_you_can_feel() -> None:
    # reductions 1, 1, 2, 1, 2: mean 1.4, 95% interval 0.7 to 2.1: above zero, under 2 points
    records = [session(d, mid_with_hip(3, r)) for d, r in enumerate((6, 6, 5, 6, 5))]
    hip = pooled(records)["hip"]
    assert hip.verdict == "less_tight"
    assert hip.verdict_words == "Less than you can reliably feel"
    assert "less than you can reliably feel (a 2-point threshold borrowed from pain" in (
        hip.sentence()
    )
