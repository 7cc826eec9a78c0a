"""The "review done" rule (SPEC 5.1): review advice until the review is recorded, then
only for an answer that is new or worse since it."""

from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain import review_done
from sirelief.domain.review_done import ReviewDone, ReviewError
from sirelief.domain.safety import review

RULES = builtin_safety_rules()
TODAY = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
INFLAMMATORY = [flag.id for flag in RULES.flags if flag.pattern == "inflammatory"]
REVIEW_IDS = [flag.id for flag in RULES.at("review")]


def done(flag_id: str, days_ago: int = 0, withdrawn: bool = False, hours: int = 0) -> ReviewDone:
    recorded = AT + timedelta(hours=hours)
    return ReviewDone(f"r-{flag_id}-{hours}", flag_id, TODAY - timedelta(days=days_ago),
                      recorded, recorded + timedelta(days=1) if withdrawn else None)  # fmt: skip


@pytest.mark.parametrize("flag_id", REVIEW_IDS)
def test_every_review_flag_can_be_recorded_as_reviewed(flag_id: str) -> None:
    review_done.check(RULES, flag_id, TODAY, TODAY)


@pytest.mark.parametrize("level", ["emergency", "same_day", "soon"])
def test_flags_of_the_stopping_levels_cannot_be_recorded_as_reviewed(level: str) -> None:
    for flag in RULES.at(level):
        with pytest.raises(ReviewError, match="only review-level advice"):
            review_done.check(RULES, flag.id, TODAY, TODAY)


def test_an_unknown_flag_and_a_future_day_are_refused_with_the_fix() -> None:
    with pytest.raises(ReviewError, match="unknown red flag 'dizzy'; flags with review advice: "):
        review_done.check(RULES, "dizzy", TODAY, TODAY)
    with pytest.raises(ReviewError, match="2026-12-01 is in the future"):
        review_done.check(RULES, "no-better-6-weeks", TODAY + timedelta(days=1), TODAY)


def test_the_latest_standing_review_counts_and_a_withdrawn_one_does_not() -> None:
    older, newer = done("onset-under-40", 9), done("onset-under-40", 2, hours=1)
    assert review_done.standing([newer, older])["onset-under-40"] is newer
    assert review_done.standing([done("onset-under-40", withdrawn=True)]) == {}


def test_the_question_is_reworded_once_reviewed() -> None:
    flag = RULES.flag("no-better-6-weeks")
    assert review_done.question(flag, None) == flag.question
    assert review_done.question(flag, done(flag.id, 3)) == (
        f"Since your review on 27 Nov 2026, is this new or worse? {flag.question}"
    )


def test_review_advice_is_given_until_reviewed_then_only_when_ticked_again() -> None:
    assert review(["no-better-6-weeks"], RULES) is not None
    assert review([], RULES, {"no-better-6-weeks": TODAY}) is None
    again = review(["no-better-6-weeks"], RULES, {"no-better-6-weeks": TODAY})
    assert again is not None
    assert again.level == "review"
    assert again.reasons[0].startswith("New or worse since your review on 30 Nov 2026: ")


def test_a_new_flag_beside_a_reviewed_one_gets_the_advice_without_new_or_worse() -> None:
    advice = review(["no-better-6-weeks"], RULES, {"morning-stiffness": TODAY})
    assert advice is not None
    assert [flag.id for flag in advice.flags] == ["no-better-6-weeks"]
    assert not any(reason.startswith("New or worse") for reason in advice.reasons)


@pytest.mark.parametrize("pair", list(combinations(INFLAMMATORY, 2)))
def test_a_reviewed_pattern_comes_back_when_one_feature_is_new_or_worse(pair) -> None:
    reviewed = dict.fromkeys(pair, TODAY)
    assert review([], RULES, reviewed) is None
    for feature in INFLAMMATORY:
        advice = review([feature], RULES, reviewed)
        assert advice is not None, feature
        assert [flag.id for flag in advice.flags] == [feature]


def test_one_feature_alone_still_gives_no_advice_when_nothing_of_the_pattern_was_reviewed() -> None:
    for feature in INFLAMMATORY:
        assert review([feature], RULES, {"no-better-6-weeks": TODAY}) is None


def test_a_stopping_flag_still_wins_over_reviews() -> None:
    assert review(["weight-loss", "no-better-6-weeks"], RULES, {"no-better-6-weeks": TODAY}) is None


def test_pending_lists_the_advised_flags_without_a_later_review() -> None:
    reviews = {"onset-under-40": done("onset-under-40", hours=2)}
    advised = ["morning-stiffness", "onset-under-40"]
    assert review_done.pending(advised, reviews, AT) == ["morning-stiffness"]
    assert review_done.pending(advised, reviews, AT + timedelta(hours=3)) == advised
