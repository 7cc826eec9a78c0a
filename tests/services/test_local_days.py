"""Issue 19: the person's time zone setting decides "today", "this morning" and the times
shown, wherever the server's own clock or zone would put them on another day."""

from datetime import UTC, date, datetime, timedelta

import pytest

from sirelief.domain.checkin import CheckIn
from sirelief.domain.flag_records import CLEARANCE
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services import Services
from sirelief.settings import Settings
from tests.clock import MovableClock

CHECKIN = CheckIn.model_validate({
    "pain": 3,
    "tightness": {"hip": {"left": 3, "right": 6}, "hamstrings_adductors": {"left": 2, "right": 4},
                  "ankle": {"left": 3, "right": 5}},
    "minutes": 20, "equipment": ["mat"],
})  # fmt: skip
EVENING = datetime(2026, 12, 6, 23, 0, tzinfo=UTC)
"""5 pm in Chicago, already the 7th in Tokyo."""


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(EVENING)


@pytest.fixture
def services(tmp_path, clock: MovableClock, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "UTC")  # the server's own zone, apart from the person's
    services = Services(Settings(data_dir=tmp_path, database_url=None, timezone="UTC"), clock)
    yield services
    services.close()


def finished_session(services: Services) -> str:
    running = services.sessions.start(CHECKIN, None, PlanOptions())
    at = services.clock().timestamp()
    running.record(Event(id="s1", at=at + 1, kind="start", step=0))
    running.record(Event(id="e1", at=at + 60, kind="end"))
    return running.session_id


def test_the_morning_question_waits_for_the_persons_own_next_morning(
    services: Services, clock: MovableClock
) -> None:
    services.preferences.set("time-zone", "America/Chicago")
    session_id = finished_session(services)
    clock.set(EVENING + timedelta(hours=6))  # the 7th in UTC, still 11 pm on the 6th there
    assert services.sessions.morning_question_due() is None
    clock.set(EVENING + timedelta(hours=14))  # 7 am on the 7th in Chicago
    assert services.sessions.morning_question_due().id == session_id


def test_without_a_setting_the_installations_zone_counts(
    services: Services, clock: MovableClock
) -> None:
    finished_session(services)
    clock.set(EVENING + timedelta(hours=6))  # the 7th in UTC, the installation's zone
    assert services.sessions.morning_question_due() is not None
    assert str(services.zone()) == "UTC"


def test_the_zone_is_the_persons_setting(services: Services) -> None:
    services.preferences.set("time-zone", "Asia/Tokyo")
    assert str(services.zone()) == "Asia/Tokyo"
    assert services.sessions.today().isoformat() == "2026-12-07T00:00:00+09:00"


def test_a_clearance_dated_the_persons_today_is_not_in_the_future(
    services: Services,
) -> None:
    """At 8 am on the 7th in Tokyo the server's UTC day is still the 6th."""
    services.preferences.set("time-zone", "Asia/Tokyo")
    flag = services.safety.rules.at(CLEARANCE.level)[0].id
    [record] = services.safety.record(CLEARANCE, [flag], date(2026, 12, 7), "Dr Lee")
    assert record.on == date(2026, 12, 7)
