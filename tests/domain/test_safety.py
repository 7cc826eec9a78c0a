"""The red-flag screen (SPEC 5): any "yes" stops self-management, at the right urgency."""

from typing import Any

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain.checkin import CheckIn
from sirelief.domain.safety import (
    NOT_A_DIAGNOSIS,
    URGENCY_ORDER,
    SafetyRules,
    StopDecision,
    screen,
)

RULES: SafetyRules = builtin_safety_rules()
FLAGS = {flag.id: flag for flag in RULES.flags}
BY_URGENCY = {
    urgency: [flag.id for flag in RULES.flags if flag.urgency == urgency]
    for urgency in URGENCY_ORDER
}


def checkin(red_flags: list[str]) -> CheckIn:
    data: dict[str, Any] = {
        "pain": 3,
        "tightness": {
            "hip": {"left": 4, "right": 2},
            "hamstrings_adductors": {"left": 3, "right": 3},
            "ankle": {"left": 5, "right": 2},
        },
        "red_flags": red_flags,
        "minutes": 30,
    }
    return CheckIn.model_validate(data)


def test_every_urgency_level_has_at_least_one_flag() -> None:
    for urgency, ids in BY_URGENCY.items():
        assert ids, f"no red flag at level {urgency}"


@pytest.mark.parametrize("flag_id", sorted(FLAGS))
def test_each_flag_alone_stops_at_its_own_urgency(flag_id: str) -> None:
    decision = screen(checkin([flag_id]), RULES)
    flag = FLAGS[flag_id]
    assert isinstance(decision, StopDecision)
    assert decision.urgency == flag.urgency
    assert decision.flags == (flag,)
    assert decision.reasons == (flag.why,)
    advice = RULES.advice_for(flag.urgency)
    assert decision.title == advice.title
    assert decision.what_to_do == advice.what_to_do
    assert decision.disclaimer == NOT_A_DIAGNOSIS


def test_fever_is_an_urgent_flag() -> None:
    """SPEC 5: fever or chills with back pain is 'urgent, see a doctor soon'."""
    assert "fever" in FLAGS
    assert FLAGS["fever"].urgency == "urgent"
    decision = screen(checkin(["fever"]), RULES)
    assert decision is not None
    assert decision.urgency == "urgent"


@pytest.mark.parametrize(
    ("urgencies", "expected"),
    [
        (("clinician", "urgent"), "urgent"),
        (("urgent", "clinician"), "urgent"),
        (("clinician", "emergency"), "emergency"),
        (("urgent", "emergency", "clinician"), "emergency"),
        (("clinician", "urgent", "emergency"), "emergency"),
        (("clinician", "clinician"), "clinician"),
    ],
)
def test_mixed_flags_stop_at_the_most_urgent_level(
    urgencies: tuple[str, ...], expected: str
) -> None:
    used: dict[str, int] = {}
    ids = []
    for urgency in urgencies:
        ids.append(BY_URGENCY[urgency][used.get(urgency, 0)])
        used[urgency] = used.get(urgency, 0) + 1
    decision = screen(checkin(ids), RULES)
    assert decision is not None
    assert decision.urgency == expected
    assert decision.title == RULES.advice_for(expected).title
    # Every answered flag is listed, most urgent first, each with its own reason.
    ranks = [URGENCY_ORDER.index(flag.urgency) for flag in decision.flags]
    assert ranks == sorted(ranks)
    assert {flag.id for flag in decision.flags} == set(ids)
    assert decision.reasons == tuple(flag.why for flag in decision.flags)
    assert decision.reasons[0] == FLAGS[decision.flags[0].id].why
    assert decision.flags[0].urgency == expected


def test_all_flags_at_once_list_every_reason_most_urgent_first() -> None:
    ids = sorted(FLAGS, reverse=True)
    decision = screen(checkin(ids), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"
    assert len(decision.reasons) == len(FLAGS)
    levels = [flag.urgency for flag in decision.flags]
    assert levels == sorted(levels, key=URGENCY_ORDER.index)


def test_no_flags_no_stop() -> None:
    assert screen(checkin([]), RULES) is None


def test_an_unknown_flag_still_stops_at_emergency() -> None:
    """Guessing 'safe' is never acceptable: an id the rules do not know stops at the top."""
    decision = screen(checkin(["not-a-known-flag"]), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"
    assert decision.title == RULES.advice_for("emergency").title
    assert decision.reasons  # something is said, even without a known flag


def test_an_unknown_flag_beside_a_mild_one_still_stops_at_emergency() -> None:
    mild = BY_URGENCY["clinician"][0]
    decision = screen(checkin([mild, "not-a-known-flag"]), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"


@pytest.mark.parametrize("flag_id", sorted(FLAGS))
def test_every_flag_has_a_question_and_a_why(flag_id: str) -> None:
    flag = FLAGS[flag_id]
    assert flag.question.strip().endswith("?")
    assert len(flag.why.strip()) > 20
    assert flag.why != flag.question


def test_exactly_three_advice_levels() -> None:
    assert len(RULES.advice) == 3
    assert sorted(advice.urgency for advice in RULES.advice) == sorted(URGENCY_ORDER)
    for urgency in URGENCY_ORDER:
        advice = RULES.advice_for(urgency)
        assert advice.title.strip()
        assert advice.what_to_do.strip()


def test_the_disclaimer_says_it_does_not_replace_a_clinician() -> None:
    assert "does not replace a clinician" in NOT_A_DIAGNOSIS
    assert "diagnose" in NOT_A_DIAGNOSIS
    decision = screen(checkin(["trauma"]), RULES)
    assert decision is not None
    assert "does not replace a clinician" in decision.disclaimer


def test_an_unknown_flag_that_raises_the_level_is_explained() -> None:
    mild = BY_URGENCY["clinician"][0]
    decision = screen(checkin([mild, "not-a-known-flag"]), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"
    # "Get medical help today" must not be explained only by a not-urgent reason.
    assert len(decision.reasons) == 2, decision.reasons
