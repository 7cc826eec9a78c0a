"""The red-flag screen (SPEC 5.1): four levels, stopping flags stop, review goes on gently."""

from itertools import combinations
from typing import Any

import pytest
from pydantic import ValidationError

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain.checkin import CheckIn
from sirelief.domain.safety import (
    LEVELS,
    NOT_A_DIAGNOSIS,
    STOPPING,
    LevelAdvice,
    RedFlag,
    SafetyRules,
    StopDecision,
    contradictions,
    review,
    screen,
)
from tests.domain.checkin_data import tightness

RULES: SafetyRules = builtin_safety_rules()
FLAGS = {flag.id: flag for flag in RULES.flags}
BY_LEVEL = {level: [flag.id for flag in RULES.flags if flag.level == level] for level in LEVELS}
INFLAMMATORY = [flag.id for flag in RULES.flags if flag.pattern == "inflammatory"]
STOPPING_IDS = [flag.id for flag in RULES.flags if flag.level in STOPPING]


def checkin(red_flags: list[str]) -> CheckIn:
    data: dict[str, Any] = {
        "pain": 3,
        "tightness": tightness((4, 2), (3, 3), (5, 2)),
        "red_flags": red_flags,
        "minutes": 30,
    }
    return CheckIn.model_validate(data)


def test_the_four_levels_each_have_flags() -> None:
    assert LEVELS == ("emergency", "same_day", "soon", "review")
    for level, ids in BY_LEVEL.items():
        assert ids, f"no red flag at level {level}"


@pytest.mark.parametrize(
    ("flag_id", "level"),
    [
        ("saddle-numbness", "emergency"),
        ("bladder-bowel-change", "emergency"),
        ("leg-weakness", "emergency"),
        ("sexual-dysfunction", "emergency"),
        ("both-legs-symptoms", "emergency"),
        ("unsteady-walking", "emergency"),
        ("back-and-belly-pain", "emergency"),
        ("fever", "same_day"),
        ("infection-risk", "same_day"),
        ("swollen-calf", "same_day"),
        ("trauma", "same_day"),
        ("bone-fragility", "same_day"),
        ("weight-loss", "soon"),
        ("cancer-history", "soon"),
        ("age-onset", "soon"),
        ("worsening", "soon"),
        ("night-pain", "soon"),
        ("one-sided-below-knee", "soon"),
        ("morning-stiffness", "review"),
        ("second-half-night-waking", "review"),
        ("alternating-buttock-pain", "review"),
        ("onset-under-40", "review"),
        ("no-better-6-weeks", "review"),
    ],
)
def test_every_flag_sits_at_its_spec_level(flag_id: str, level: str) -> None:
    assert FLAGS[flag_id].level == level


def test_the_spec_list_is_the_whole_list() -> None:
    assert len(FLAGS) == 23


@pytest.mark.parametrize("flag_id", STOPPING_IDS)
def test_each_stopping_flag_alone_stops_at_its_own_level(flag_id: str) -> None:
    decision = screen(checkin([flag_id]), RULES)
    flag = FLAGS[flag_id]
    assert isinstance(decision, StopDecision)
    assert decision.stops
    assert decision.urgency == flag.level == decision.to_json()["urgency"]
    assert decision.flags == (flag,)
    assert decision.reasons == (flag.why,)
    advice = RULES.advice_for(flag.level)
    assert (decision.title, decision.badge) == (advice.title, advice.badge)
    assert decision.what_to_do == advice.what_to_do
    assert decision.disclaimer == NOT_A_DIAGNOSIS


@pytest.mark.parametrize("flag_id", BY_LEVEL["review"])
def test_a_review_flag_never_stops(flag_id: str) -> None:
    assert screen(checkin([flag_id]), RULES) is None


@pytest.mark.parametrize("flag_id", INFLAMMATORY)
def test_one_inflammatory_feature_alone_gives_no_advice(flag_id: str) -> None:
    assert review([flag_id], RULES) is None


@pytest.mark.parametrize("pair", list(combinations(INFLAMMATORY, 2)))
def test_two_inflammatory_features_give_review_advice(pair: tuple[str, str]) -> None:
    advice = review(list(pair), RULES)
    assert advice is not None
    assert advice.urgency == "review"
    assert not advice.stops
    assert {flag.id for flag in advice.flags} == set(pair)
    assert advice.to_json()["status"] == "review"


def test_no_better_after_6_weeks_alone_gives_review_advice() -> None:
    advice = review(["no-better-6-weeks"], RULES)
    assert advice is not None
    assert advice.urgency == "review"


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (("review", "soon"), "soon"),
        (("soon", "same_day"), "same_day"),
        (("same_day", "emergency"), "emergency"),
        (("review", "review", "soon", "emergency"), "emergency"),
        (("soon", "soon"), "soon"),
        (("review", "same_day"), "same_day"),
    ],
)
def test_mixed_flags_stop_at_the_most_urgent_level(levels: tuple[str, ...], expected: str) -> None:
    used: dict[str, int] = {}
    ids = []
    for level in levels:
        ids.append(BY_LEVEL[level][used.get(level, 0)])
        used[level] = used.get(level, 0) + 1
    decision = screen(checkin(ids), RULES)
    assert decision is not None
    assert decision.urgency == expected
    assert decision.title == RULES.advice_for(expected).title
    ranks = [LEVELS.index(flag.level) for flag in decision.flags]
    assert ranks == sorted(ranks)
    assert {flag.id for flag in decision.flags} == set(ids)
    assert decision.reasons == tuple(flag.why for flag in decision.flags)
    assert review(ids, RULES) is None  # a stop is never also "carry on"


def test_all_flags_at_once_stop_at_emergency_with_every_reason() -> None:
    decision = screen(checkin(sorted(FLAGS, reverse=True)), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"
    assert len(decision.reasons) == len(FLAGS)


def test_no_flags_no_stop_and_no_advice() -> None:
    assert screen(checkin([]), RULES) is None
    assert review([], RULES) is None


def test_an_unknown_flag_beside_a_review_one_stops_at_emergency_and_says_why() -> None:
    decision = screen(checkin([BY_LEVEL["review"][0], "not-a-known-flag"]), RULES)
    assert decision is not None
    assert decision.urgency == "emergency"
    assert len(decision.reasons) == 2, decision.reasons


@pytest.mark.parametrize("level", LEVELS)
def test_badge_title_and_advice_name_the_same_time_frame(level: str) -> None:
    advice = RULES.advice_for(level)
    for text in (advice.badge, advice.title, advice.what_to_do):
        assert contradictions(level, text) == [], text
    for flag in RULES.at(level):
        assert contradictions(level, flag.why) == [], flag.id


def test_same_day_advice_saying_a_few_days_is_refused() -> None:
    with pytest.raises(ValidationError, match="few days"):
        LevelAdvice(
            level="same_day",
            badge="Same day: a doctor today",
            title="See a doctor today",
            what_to_do="Book a doctor today or within the next few days.",
        )


def test_advice_that_never_names_its_time_is_refused() -> None:
    with pytest.raises(ValidationError, match="time frame"):
        LevelAdvice(level="soon", badge="Soon", title="See someone", what_to_do="Book a visit.")


def test_an_emergency_flag_whose_why_says_within_1_to_2_weeks_is_refused() -> None:
    with pytest.raises(ValidationError, match="1 to 2 weeks"):
        RedFlag(
            id="x-flag", level="emergency", question="Is it?",
            why="This should be checked within 1 to 2 weeks.",
        )  # fmt: skip


def test_only_review_flags_belong_to_a_pattern() -> None:
    with pytest.raises(ValidationError, match="pattern"):
        RedFlag(id="x-flag", level="soon", question="Is it?", why="A reason.",
                pattern="inflammatory")  # fmt: skip


@pytest.mark.parametrize("flag_id", sorted(FLAGS))
def test_every_flag_has_a_question_and_a_why(flag_id: str) -> None:
    flag = FLAGS[flag_id]
    assert flag.question.strip().endswith("?")
    assert len(flag.why.strip()) > 20
    assert flag.why != flag.question


def test_the_disclaimer_says_it_does_not_replace_a_clinician() -> None:
    assert "does not replace a clinician" in NOT_A_DIAGNOSIS
    decision = screen(checkin(["trauma"]), RULES)
    assert decision is not None
    assert "does not replace a clinician" in decision.disclaimer
