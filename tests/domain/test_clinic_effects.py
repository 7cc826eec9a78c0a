"""Pooling untreated-side effects across a coach's clients (issue 18, item 8): the
random-effects maths against statsmodels, and what the coach is told."""

import math
import warnings
from datetime import date

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from sirelief.domain.clinic_effects import (
    MIN_CLIENTS,
    across_clients,
    random_effects,
)
from sirelief.domain.effects import SessionEffect, Work

meta = pytest.importorskip("statsmodels.stats.meta_analysis")

WORK = {"kb-hip-smash": Work("Kettlebell hip smash", ("hip",))}

estimates = st.lists(
    st.tuples(
        st.floats(-6, 6, allow_nan=False),
        st.floats(0.05, 4, allow_nan=False),
    ),
    min_size=2,
    max_size=12,
)


def reference(pairs):
    """statsmodels' DerSimonian-Laird pooling of the same pairs, as (mean, tau^2, plain
    standard error, Knapp-Hartung standard error). statsmodels leaves tau^2 negative when
    the estimates agree more than chance would have them (Q < k - 1), and NaN when they are
    all the same; DerSimonian-Laird truncates it at 0, which is the fixed-effect pooling."""
    assume(len({y for y, _ in pairs}) > 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        effect, variance = (np.array(column) for column in zip(*pairs, strict=True))
        found = meta.combine_effects(effect, variance, method_re="dl", use_t=True)
    if found.tau2 > 0:
        return found.mean_effect_re, found.tau2, found.sd_eff_w_re, found.sd_eff_w_re_hksj
    return found.mean_effect_fe, 0.0, found.sd_eff_w_fe, found.sd_eff_w_fe_hksj


@settings(max_examples=200, deadline=None)
@given(estimates)
def test_the_pooled_mean_and_spread_are_statsmodels_dersimonian_laird(pairs) -> None:
    ours = random_effects(pairs)
    mean, tau2, _, _ = reference(pairs)
    assert ours.mean == pytest.approx(mean, abs=1e-9)
    assert ours.tau**2 == pytest.approx(tau2, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(estimates)
def test_the_interval_is_knapp_hartung_never_narrower_than_the_plain_one(pairs) -> None:
    ours = random_effects(pairs)
    mean, tau2, plain, knapp_hartung = reference(pairs)
    k = len(pairs)
    # HKSJ, with its scale floored at 1: the wider of statsmodels' two standard errors
    half = stats.t.ppf(0.975, k - 1) * max(plain, knapp_hartung)
    assert ours.low == pytest.approx(mean - half, abs=1e-7)
    assert ours.high == pytest.approx(mean + half, abs=1e-7)
    if k >= 3:
        reach = stats.t.ppf(0.975, k - 2) * math.sqrt(tau2 + plain**2)
        assert ours.predicted_low == pytest.approx(mean - reach, abs=1e-7)
        assert ours.predicted_high == pytest.approx(mean + reach, abs=1e-7)
    else:
        assert ours.predicted_low is None
        assert ours.predicted_high is None


@settings(max_examples=100, deadline=None)
@given(estimates, st.floats(-5, 5, allow_nan=False))
def test_moving_every_client_moves_the_pooled_mean_not_the_spread(pairs, shift) -> None:
    before = random_effects(pairs)
    after = random_effects([(y + shift, v) for y, v in pairs])
    assert after.mean == pytest.approx(before.mean + shift, abs=1e-7)
    assert after.low == pytest.approx(before.low + shift, abs=1e-7)
    assert after.tau == pytest.approx(before.tau, abs=1e-7)


def test_identical_estimates_have_no_spread_and_a_floor_to_their_interval() -> None:
    pooled = random_effects([(1.5, 0.2)] * 4)
    assert pooled.tau == 0
    assert pooled.mean == pytest.approx(1.5)
    half = stats.t.ppf(0.975, 3) * math.sqrt(0.2 / 4)  # the Knapp-Hartung scale floored at 1
    assert pooled.high - pooled.mean == pytest.approx(half)


def test_one_estimate_or_a_zero_variance_is_refused() -> None:
    with pytest.raises(ValueError, match="two or more estimates"):
        random_effects([(1.0, 0.5)])
    with pytest.raises(ValueError, match="two or more estimates"):
        random_effects([(1.0, 0.5), (2.0, 0.0)])


def effect(client: str, n: int, reduction: int, region="hip", block="smash") -> SessionEffect:
    """A session where the treated side loosened ``reduction`` more than the other."""
    return SessionEffect(
        session_id=f"{client}-{n}", day=date(2026, 11, 1 + n % 28), routine_id="kb-reset",
        block_id=block, region=region, treated="left", randomised=False,
        treated_change=-reduction, untreated_change=0, work=("kb-hip-smash",),
    )  # fmt: skip


def clients(*reductions_per_client: list[int]) -> dict[str, list[SessionEffect]]:
    return {
        f"client-{i}": [effect(f"client-{i}", n, r) for n, r in enumerate(reductions)]
        for i, reductions in enumerate(reductions_per_client)
    }


def test_fewer_than_three_clients_say_nothing_about_clients_in_general() -> None:
    (found,) = across_clients(clients([3, 3, 3, 3], [2, 3, 2]), WORK)
    assert found.pooled is None
    assert found.verdict == "too_few"
    assert found.sessions == 7
    assert [c.mean for c in found.clients] == [3.0, pytest.approx(7 / 3)]
    assert "2 clients so far (7 sessions), too few" in found.sentence()
    assert f"at least {MIN_CLIENTS}" in found.sentence()


def test_clients_who_each_felt_it_give_a_clear_effect_in_plain_words() -> None:
    (found,) = across_clients(clients([2, 3, 2], [3, 3, 2, 3], [2, 2, 3], [3, 2]), WORK)
    assert found.verdict == "less_tight"
    assert found.pooled.low > 0
    sentence = found.sentence()
    assert sentence.startswith("Kettlebell hip smash: across 4 clients (12 sessions)")
    assert "points less tight in the front of the hip than the side that waited" in sentence
    assert "helps" not in sentence
    assert "lowered" not in sentence


def test_clients_who_all_said_the_same_still_get_an_interval() -> None:
    """Whole-point ratings: identical answers must not make a zero-width certainty."""
    (found,) = across_clients(clients(*[[1, 1, 1]] * 4), WORK)
    assert found.pooled.high - found.pooled.low > 0
    assert found.pooled.tau == 0
    assert found.verdict == "less_tight"
    assert "less than a person can reliably feel" in found.sentence()
    assert "did not differ more than their sessions vary" in found.sentence()


def test_clients_who_disagree_are_unclear_and_their_spread_is_said() -> None:
    (found,) = across_clients(clients([4, 5, 4], [-3, -4, -3], [4, 4], [-4, -3]), WORK)
    assert found.verdict == "unclear"
    assert found.pooled.tau > 2
    sentence = found.sentence()
    assert "no clear difference in hip tightness across 4 clients" in sentence
    assert "a further client's own average would likely fall between" in sentence


def test_a_client_with_many_sessions_is_one_client_not_many() -> None:
    """Fifty sessions of one client must not outvote three clients who felt the opposite."""
    by_client = clients([4] * 50, [-2, -2], [-2, -3], [-3, -2])
    (found,) = across_clients(by_client, WORK)
    session_weighted = sum(c.mean * c.sessions for c in found.clients) / found.sessions
    client_mean = sum(c.mean for c in found.clients) / len(found.clients)
    assert abs(found.pooled.mean - client_mean) < abs(found.pooled.mean - session_weighted)
    assert found.verdict == "unclear"


def test_blocks_and_regions_are_pooled_apart_in_rating_order() -> None:
    by_client = {
        "a": [effect("a", 1, 2, region="ankle"), effect("a", 2, 1, region="hip")],
        "b": [effect("b", 1, 2, region="hip", block="other")],
    }
    found = across_clients(by_client, WORK)
    assert [(f.block_id, f.region) for f in found] == [
        ("other", "hip"), ("smash", "hip"), ("smash", "ankle")
    ]  # fmt: skip
    assert found[2].work_name == "Kettlebell hip smash"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(-10, 10), min_size=1, max_size=8), min_size=1, max_size=8))
def test_any_clients_pool_to_a_sane_summary(per_client) -> None:
    (found,) = across_clients(clients(*per_client), WORK)
    assert found.sessions == sum(len(r) for r in per_client)
    assert len(found.clients) == len(per_client)
    if found.pooled is not None:
        assert found.pooled.low <= found.pooled.mean <= found.pooled.high
        assert min(c.mean for c in found.clients) <= found.pooled.mean + 1e-9
        assert found.pooled.mean <= max(c.mean for c in found.clients) + 1e-9
    assert found.sentence()
