"""Precaution answers, clearances and reviews on SQLite and PostgreSQL: kept, replaced,
withdrawn."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sirelief.services import ServiceError, Services
from sirelief.storage.safety_store import SafetyStore
from tests.clock import at

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_precautions_are_none_until_answered_then_the_last_answer_counts(
    library: Services,
) -> None:
    safety = SafetyStore(library.store)
    assert safety.precautions() is None
    safety.save_precautions([], NOW)
    answers = safety.precautions()
    assert answers is not None
    assert answers.ids == ()  # "none apply" is an answer
    assert answers.confirmed_at == NOW
    safety.save_precautions(["pregnancy", "clot-risk"], NOW + timedelta(days=3))
    answers = safety.precautions()
    assert answers.ids == ("pregnancy", "clot-risk")
    assert answers.confirmed_at == NOW + timedelta(days=3)


def test_clearances_are_kept_in_order_and_withdrawn_never_deleted(library: Services) -> None:
    safety = SafetyStore(library.store)
    first = safety.add_clearance("cancer-history", date(2026, 11, 20), "Dr Ng", NOW)
    safety.add_clearance("age-onset", date(2026, 11, 21), None, NOW + timedelta(hours=1))
    assert safety.withdraw("cancer-history", NOW + timedelta(days=1)) == 1
    assert safety.withdraw("cancer-history", NOW + timedelta(days=2)) == 0
    found = safety.clearances()
    assert [(c.flag_id, c.cleared_on, c.by, c.active) for c in found] == [
        ("cancer-history", date(2026, 11, 20), "Dr Ng", False),
        ("age-onset", date(2026, 11, 21), None, True),
    ]
    assert found[0].id == first
    assert found[0].withdrawn_at == NOW + timedelta(days=1)


def test_safety_records_belong_to_the_profile_and_go_with_it(library: Services) -> None:
    safety = SafetyStore(library.store)
    safety.save_precautions(["osteoporosis"], NOW)
    safety.add_clearance("weight-loss", date(2026, 11, 1), None, NOW)
    safety.add_reviews(["no-better-6-weeks"], date(2026, 11, 1), NOW)
    library.store.delete_profile()
    fresh = SafetyStore(library.store)
    assert fresh.precautions() is None
    assert fresh.clearances() == []
    assert fresh.reviews() == []


def test_reviews_are_kept_in_order_and_withdrawn_never_deleted(library: Services) -> None:
    safety = SafetyStore(library.store)
    ids = safety.add_reviews(["morning-stiffness", "onset-under-40"], date(2026, 11, 20), NOW)
    safety.add_reviews(["no-better-6-weeks"], date(2026, 11, 29), NOW + timedelta(hours=1))
    assert safety.withdraw_review("morning-stiffness", NOW + timedelta(days=1)) == 1
    assert safety.withdraw_review("morning-stiffness", NOW + timedelta(days=2)) == 0
    found = safety.reviews()
    assert sorted((r.flag_id, r.reviewed_on, r.active) for r in found[:2]) == [
        ("morning-stiffness", date(2026, 11, 20), False),
        ("onset-under-40", date(2026, 11, 20), True),
    ]
    assert (found[2].flag_id, found[2].recorded_at) == (
        "no-better-6-weeks",
        NOW + timedelta(hours=1),
    )
    assert sorted(r.id for r in found[:2]) == sorted(ids)
    withdrawn = next(r for r in found if r.flag_id == "morning-stiffness")
    assert withdrawn.withdrawn_at == NOW + timedelta(days=1)


def test_the_use_case_records_reviews_and_rewords_only_their_questions(library: Services) -> None:
    care = at(library.safety, NOW)
    assert care.review_advice(["no-better-6-weeks"]) is not None
    care.record_review(["no-better-6-weeks", "no-better-6-weeks"], date(2026, 11, 29))
    assert len(care.reviews()) == 1  # the same flag twice in one answer is one review
    questions = care.questions()
    assert questions["no-better-6-weeks"].startswith("Since your review on 29 Nov 2026, is ")
    assert questions["morning-stiffness"] == care.rules.flag("morning-stiffness").question
    assert care.pending_reviews(["no-better-6-weeks"], NOW + timedelta(days=1)) == [
        "no-better-6-weeks"
    ]  # ticked at a later check-in: new or worse, so the review can be recorded again
    assert care.pending_reviews(["no-better-6-weeks"], NOW - timedelta(days=1)) == []
    with pytest.raises(ServiceError, match="only review-level advice"):
        care.record_review(["morning-stiffness", "weight-loss"], date(2026, 11, 29))
    assert len(care.reviews()) == 1  # one bad flag keeps the whole answer out
