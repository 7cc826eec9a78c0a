"""The phone as an inclinometer: shin angle, steadiness, mean of tries."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sirelief.domain.inclinometer import (
    KneeToWallAngle,
    mean_of_tries,
    shin_angle,
    steady_angle,
)

finite = st.floats(-180, 180, allow_nan=False)


@pytest.mark.parametrize(
    ("beta", "gamma", "angle"),
    [
        (90, 0, 0.0),  # upright in portrait: the shin is vertical
        (55, 0, 35.0),  # top leaning 35 degrees forward
        (125, 0, 35.0),  # the same lean, screen the other way
        (-55, 0, 35.0),  # upside down (top towards the foot)
        (0, 0, 90.0),  # flat on a table
        (10, 90, 0.0),  # upright in landscape
        (0, 60, 30.0),  # landscape leaning 30 degrees
    ],
)
def test_shin_angle_reads_the_lean_of_the_phone(beta, gamma, angle) -> None:
    assert shin_angle(beta, gamma) == pytest.approx(angle, abs=1e-6)


@given(finite, st.floats(-90, 90, allow_nan=False))
def test_shin_angle_is_between_upright_and_flat(beta, gamma) -> None:
    assert 0.0 <= shin_angle(beta, gamma) <= 90.0


@given(st.floats(0, 89, allow_nan=False))
def test_a_portrait_phone_leaning_forward_reads_its_lean(lean) -> None:
    assert shin_angle(90 - lean, 0) == pytest.approx(lean, abs=1e-6)
    assert shin_angle(90 + lean, 0) == pytest.approx(lean, abs=1e-6)


def test_a_try_needs_two_still_seconds() -> None:
    samples = [(t / 10, 34.0 + (t % 3) * 0.3) for t in range(21)]  # 0.0 .. 2.0 s
    assert steady_angle(samples[:20]) is None  # 1.9 s: not yet
    assert steady_angle(samples) == pytest.approx(sum(a for _t, a in samples) / 21)


def test_a_shaking_phone_never_gives_a_try() -> None:
    samples = [(t / 10, 30.0 + (t % 2) * 1.5) for t in range(40)]
    assert steady_angle(samples) is None


def test_only_the_last_window_counts() -> None:
    moving = [(t / 10, 10.0 + t) for t in range(10)]  # 0.0-0.9 s, swinging
    still = [(1 + t / 10, 40.0) for t in range(21)]  # 1.0-3.0 s, still
    assert steady_angle(moving + still) == 40.0
    assert steady_angle([]) is None


@given(st.lists(st.floats(0, 60, allow_nan=False), min_size=3, max_size=3))
def test_the_mean_of_tries_lies_among_them_to_one_decimal(tries) -> None:
    mean = mean_of_tries(tries)
    assert min(tries) - 0.05 <= mean <= max(tries) + 0.05
    assert mean == round(mean, 1)


@given(
    st.floats(0, 60, allow_nan=False),
    st.floats(0, 0.99, allow_nan=False),
    st.integers(21, 60),
)
def test_any_reading_held_within_a_degree_for_two_seconds_counts(angle, wobble, count) -> None:
    samples = [(i * 2.0 / (count - 1), angle + wobble * (i % 2)) for i in range(count)]
    found = steady_angle(samples)
    assert found is not None
    assert angle - 1e-9 <= found <= angle + wobble + 1e-9


def test_mean_of_no_tries_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        mean_of_tries([])


@pytest.mark.parametrize("value", [-0.1, 60.1, math.inf, math.nan])
def test_angles_outside_0_to_60_are_refused(value) -> None:
    with pytest.raises(ValidationError):
        KneeToWallAngle(left=value, right=30)
