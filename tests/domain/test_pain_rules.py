"""Pain before the session decides how much (SPEC 5.4), checked through the planner."""

import pytest

from sirelief.domain.pain_rules import pain_rule
from tests.domain.planner_support import (
    CATALOGUE,
    PROGRESS,
    SMASH,
    STRETCHES,
    checkin,
    plan,
)


def smash_steps(p) -> list:
    return [
        s
        for s in p.steps
        if s.kind == "exercise" and CATALOGUE.exercise(s.exercise_id).category == "smash"
    ]


def hold_seconds(p) -> set[int]:
    return {
        s.duration_s
        for s in p.steps
        if s.kind == "exercise" and CATALOGUE.exercise(s.exercise_id).dose.kind == "hold"
    }


@pytest.mark.parametrize("pain", range(11))
def test_the_plan_names_the_pain_rule_that_applied(pain: int) -> None:
    p = plan(SMASH, checkin(5, 2, pain=pain), history=PROGRESS)
    assert pain_rule(pain).reason in p.reasons
    assert f"Pain {pain}/10" in pain_rule(pain).reason


@pytest.mark.parametrize("pain", range(11))
def test_only_low_pain_lets_the_dose_progress(pain: int) -> None:
    p = plan(SMASH, checkin(5, 2, pain=pain), history=PROGRESS)
    assert (p.dose_decision == "progress") is (pain <= 3)


@pytest.mark.parametrize("pain", range(11))
def test_smashing_only_below_six(pain: int) -> None:
    p = plan(SMASH, checkin(5, 2, pain=pain, equipment=["kettlebell", "mat", "strap"]))
    assert bool(smash_steps(p)) is (pain <= 5)
    if pain >= 6:
        assert any("no pressure work" in r and f"{pain}/10" in r for r in p.reasons)


@pytest.mark.parametrize("pain", [6, 7])
def test_high_pain_takes_the_short_end_of_every_range(pain: int) -> None:
    calm = plan(STRETCHES, checkin(pain=2))
    painful = plan(STRETCHES, checkin(pain=pain))
    assert hold_seconds(painful) == {30}
    assert painful.total_s < calm.total_s


def test_the_rule_bands_cover_every_rating_once() -> None:
    bands = [pain_rule(pain).band for pain in range(11)]
    assert bands == ["0-3"] * 4 + ["4-5"] * 2 + ["6-7"] * 2 + ["8-10"] * 3
    assert all(pain_rule(pain).routine_id == "gentle-day" for pain in (8, 9, 10))
    assert "clinician" in pain_rule(8).reason
