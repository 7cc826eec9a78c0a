"""Precaution answers and clearances on SQLite and PostgreSQL: kept, replaced, withdrawn."""

from datetime import UTC, date, datetime, timedelta

from sirelief.services import Services
from sirelief.storage.safety_store import SafetyStore

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
    library.store.delete_profile()
    fresh = SafetyStore(library.store)
    assert fresh.precautions() is None
    assert fresh.clearances() == []
