"""The t quantile and the mean's interval, against scipy as an independent computation."""

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sirelief.domain.statistics import mean_interval, regularised_beta, t_cdf, t_quantile


@given(st.floats(0.5001, 0.9999), st.integers(1, 300))
@settings(max_examples=200, deadline=None)
def test_t_quantile_matches_scipy(p: float, df: int) -> None:
    assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-8, abs=1e-9)


@given(st.floats(-50, 50), st.integers(1, 300))
@settings(max_examples=200, deadline=None)
def test_t_cdf_matches_scipy(t: float, df: int) -> None:
    assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), abs=1e-10)


@given(st.floats(0.1, 20), st.floats(0.1, 20), st.floats(0, 1))
@settings(max_examples=200, deadline=None)
def test_regularised_beta_matches_scipy(a: float, b: float, x: float) -> None:
    assert regularised_beta(a, b, x) == pytest.approx(stats.beta.cdf(x, a, b), abs=1e-9)


def test_lower_quantiles_are_symmetric() -> None:
    assert t_quantile(0.025, 4) == pytest.approx(-2.776445, abs=1e-6)


@pytest.mark.parametrize(("p", "df"), [(0, 3), (1, 3), (0.5, 0), (-0.1, 2)])
def test_quantile_refuses_impossible_arguments(p: float, df: float) -> None:
    with pytest.raises(ValueError, match="0 < p < 1"):
        t_quantile(p, df)


def test_interval_of_a_hand_computed_sample() -> None:
    # mean 2.5, sd sqrt(1/3) = 0.577350, se 0.288675, t(0.975, 3) = 3.182446: half 0.918693
    estimate = mean_interval([3, 2, 2, 3])
    assert estimate.mean == 2.5
    assert estimate.sd == pytest.approx(0.577350, abs=1e-6)
    assert (estimate.low, estimate.high) == pytest.approx((1.581307, 3.418693), abs=1e-6)
    assert not estimate.includes_zero


@given(st.lists(st.integers(-10, 10), min_size=2, max_size=60))
@settings(max_examples=150, deadline=None)
def test_interval_matches_scipy(values: list[int]) -> None:
    estimate = mean_interval(values)
    sd = statistics.stdev(values)
    assert estimate.mean == pytest.approx(sum(values) / len(values))
    if sd == 0:
        assert estimate.low == estimate.high == estimate.mean
        return
    low, high = stats.t.interval(0.95, len(values) - 1, loc=estimate.mean,
                                 scale=sd / math.sqrt(len(values)))  # fmt: skip
    assert (estimate.low, estimate.high) == pytest.approx((low, high), abs=1e-8)


def test_identical_values_give_a_zero_width_interval() -> None:
    estimate = mean_interval([2, 2, 2])
    assert (estimate.low, estimate.mean, estimate.high, estimate.sd) == (2, 2, 2, 0)


def test_one_value_has_no_interval() -> None:
    estimate = mean_interval([1.5])
    assert (estimate.n, estimate.mean, estimate.low, estimate.high) == (1, 1.5, None, None)
    assert not estimate.includes_zero


def test_no_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        mean_interval([])
