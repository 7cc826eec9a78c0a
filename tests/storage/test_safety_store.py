"""Precaution answers, clearances and reviews on SQLite and PostgreSQL: kept, replaced,
withdrawn."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sirelief.domain.flag_records import CLEARANCE, REVIEW, RecordKind, advice_lines
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


@pytest.mark.parametrize(("kind", "by"), [(CLEARANCE, "Dr Ng"), (REVIEW, None)])
def test_records_are_kept_in_order_and_withdrawn_never_deleted(
    library: Services, kind: RecordKind, by: str | None
) -> None:
    safety = SafetyStore(library.store)
    first, second, third = [flag.id for flag in library.safety_rules.at(kind.level)][:3]
    ids = safety.add_records(kind, [first, second], date(2026, 11, 20), by, NOW)
    safety.add_records(kind, [third], date(2026, 11, 29), None, NOW + timedelta(hours=1))
    assert safety.withdraw(kind, first, NOW + timedelta(days=1)) == 1
    assert safety.withdraw(kind, first, NOW + timedelta(days=2)) == 0
    found = safety.records(kind)
    assert sorted((r.flag_id, r.on, r.by, r.active) for r in found[:2]) == sorted([
        (first, date(2026, 11, 20), by, False), (second, date(2026, 11, 20), by, True)
    ])  # fmt: skip
    assert (found[2].flag_id, found[2].recorded_at) == (third, NOW + timedelta(hours=1))
    assert sorted(r.id for r in found[:2]) == sorted(ids)
    withdrawn = next(r for r in found if r.flag_id == first)
    assert withdrawn.withdrawn_at == NOW + timedelta(days=1)


def test_safety_records_belong_to_the_profile_and_go_with_it(library: Services) -> None:
    safety = SafetyStore(library.store)
    safety.save_precautions(["osteoporosis"], NOW)
    safety.add_records(CLEARANCE, ["weight-loss"], date(2026, 11, 1), None, NOW)
    safety.add_records(REVIEW, ["no-better-6-weeks"], date(2026, 11, 1), None, NOW)
    library.store.delete_profile()
    fresh = SafetyStore(library.store)
    assert fresh.precautions() is None
    assert fresh.records(CLEARANCE) == fresh.records(REVIEW) == []


def test_the_use_case_records_reviews_and_rewords_only_their_questions(library: Services) -> None:
    care = at(library.safety, NOW)
    advice = care.review_advice(["no-better-6-weeks"])
    assert advice is not None
    care.record(REVIEW, ["no-better-6-weeks", "no-better-6-weeks"], date(2026, 11, 29))
    assert len(care.records(REVIEW)) == 1  # the same flag twice in one answer is one review
    questions = care.questions()
    assert questions["no-better-6-weeks"].startswith("Since your review on 29 Nov 2026, is ")
    assert questions["morning-stiffness"] == care.rules.flag("morning-stiffness").question
    advised = advice_lines(advice)
    assert care.pending_reviews(advised, NOW + timedelta(days=1)) == [
        "no-better-6-weeks"
    ]  # advised at a later check-in: new or worse, so the review can be recorded again
    assert care.pending_reviews(advised, NOW - timedelta(days=1)) == []
    with pytest.raises(ServiceError, match="only review-level advice"):
        care.record(REVIEW, ["morning-stiffness", "weight-loss"], date(2026, 11, 29))
    assert len(care.records(REVIEW)) == 1  # one bad flag keeps the whole answer out
