"""Dated records about a red flag: clearances (SPEC 5.2) and reviews done (5.1): review
advice weekly until the review is recorded, then only for an answer new or worse since."""

from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain import flag_records
from sirelief.domain.flag_records import (
    CLEARANCE,
    REVIEW,
    FlagRecord,
    FlagRecordError,
    advice_due,
    advice_lines,
    advised_in,
)
from sirelief.domain.safety import review

RULES = builtin_safety_rules()
TODAY = date(2026, 11, 30)
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
INFLAMMATORY = [flag.id for flag in RULES.flags if flag.pattern == "inflammatory"]
REVIEW_IDS = [flag.id for flag in RULES.at("review")]


def done(flag_id: str, days_ago: int = 0, withdrawn: bool = False, hours: int = 0) -> FlagRecord:
    recorded = AT + timedelta(hours=hours)
    return FlagRecord(REVIEW, f"r-{flag_id}-{hours}", flag_id, TODAY - timedelta(days=days_ago),
                      recorded, recorded + timedelta(days=1) if withdrawn else None)  # fmt: skip


@pytest.mark.parametrize("flag_id", REVIEW_IDS)
def test_every_review_flag_can_be_recorded_as_reviewed(flag_id: str) -> None:
    flag_records.check(REVIEW, RULES, flag_id, TODAY, TODAY)


@pytest.mark.parametrize("level", ["emergency", "same_day", "soon"])
def test_flags_of_the_stopping_levels_cannot_be_recorded_as_reviewed(level: str) -> None:
    for flag in RULES.at(level):
        with pytest.raises(FlagRecordError, match="only review-level advice"):
            flag_records.check(REVIEW, RULES, flag.id, TODAY, TODAY)


def test_an_unknown_flag_and_a_future_day_are_refused_with_the_fix() -> None:
    with pytest.raises(
        FlagRecordError, match="unknown red flag 'dizzy'; flags with review advice: "
    ):
        flag_records.check(REVIEW, RULES, "dizzy", TODAY, TODAY)
    with pytest.raises(FlagRecordError, match="2026-12-01 is in the future"):
        flag_records.check(REVIEW, RULES, "no-better-6-weeks", TODAY + timedelta(days=1), TODAY)


def test_the_latest_standing_review_counts_and_a_withdrawn_one_does_not() -> None:
    older, newer = done("onset-under-40", 9), done("onset-under-40", 2, hours=1)
    assert flag_records.standing([newer, older])["onset-under-40"] is newer
    assert flag_records.standing([done("onset-under-40", withdrawn=True)]) == {}


def test_the_question_is_reworded_once_reviewed() -> None:
    flag = RULES.flag("no-better-6-weeks")
    assert flag_records.question(flag, None) == flag.question
    assert flag_records.question(flag, done(flag.id, 3)) == (
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
    assert flag_records.pending(advised, reviews, AT) == ["morning-stiffness"]
    assert flag_records.pending(advised, reviews, AT + timedelta(hours=3)) == advised


@pytest.mark.parametrize("level", ["emergency", "same_day", "review"])
def test_only_soon_flags_can_be_cleared(level: str) -> None:
    for flag in RULES.at(level):
        with pytest.raises(FlagRecordError, match="cannot be cleared; only 'soon' flags can"):
            flag_records.check(CLEARANCE, RULES, flag.id, TODAY, TODAY)
    with pytest.raises(FlagRecordError, match="at most 120 characters"):
        flag_records.check(CLEARANCE, RULES, "cancer-history", TODAY, TODAY, "x" * 121)


def test_a_clearance_says_who_and_keeps_its_json_shape() -> None:
    cleared = FlagRecord(CLEARANCE, "c1", "cancer-history", TODAY, AT, by="Dr Ng")
    assert (
        cleared.says()
        == "a clinician (Dr Ng) checked this on 30 Nov 2026 and said exercise is fine"
    )
    assert list(cleared.to_json()) == [
        "id",
        "flag",
        "cleared_on",
        "by",
        "recorded_at",
        "withdrawn_at",
    ]
    assert list(done("onset-under-40").to_json()) == [
        "id", "flag", "reviewed_on", "recorded_at", "withdrawn_at"
    ]  # fmt: skip
    assert flag_records.question(RULES.flag("cancer-history"), cleared).startswith(
        "Since your clearance on 30 Nov 2026, is this new or worse? "
    )


def test_a_plan_s_reasons_name_the_flags_it_advised() -> None:
    advice = review(["no-better-6-weeks", "morning-stiffness"], RULES)
    assert advised_in(advice_lines(advice), RULES) == ["no-better-6-weeks"]
    assert advised_in([flag.why for flag in RULES.at("review")], RULES) == []  # no advice line


def test_advice_is_due_at_first_then_weekly_until_reviewed() -> None:
    flags = ["no-better-6-weeks"]
    assert advice_due(flags, [], {}, AT)
    given = [(AT, flags)]
    assert not advice_due(flags, given, {}, AT + timedelta(days=3))
    assert not advice_due(flags, given, {}, AT + timedelta(days=6, hours=23))
    assert advice_due(flags, given, {}, AT + timedelta(days=7))
    assert advice_due(["morning-stiffness", *flags], given, {}, AT + timedelta(days=1))  # a new one
    reviewed = {"no-better-6-weeks": done("no-better-6-weeks", hours=1)}
    assert advice_due(flags, given, reviewed, AT + timedelta(days=2))  # new or worse since
