"""The reminder calendar (issue 19 item 3a): parsed back with icalendar and expanded with
recurring-ical-events across clock changes, where the local hour must not move; and its
secret address, kept only as a hash, replaced and revoked."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import select

from sirelief.domain.preferences import Preferences
from sirelief.services import ServiceError, Services
from sirelief.services.preferences import DESCRIPTION, SUMMARY, reminder_calendar
from sirelief.storage.schema import CalendarFeedRow
from tests.clock import MovableClock


def expanded(body: bytes, start: date, end: date) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(body)
    return [event.start for event in recurring_ical_events.of(calendar).between(start, end)]


@pytest.mark.parametrize(
    ("zone", "change"),
    [("Europe/London", date(2026, 3, 29)), ("Europe/London", date(2026, 10, 25)),
     ("America/New_York", date(2026, 3, 8)), ("America/New_York", date(2026, 11, 1)),
     ("Australia/Sydney", date(2026, 4, 5))],
)  # fmt: skip
def test_the_reminder_keeps_its_local_hour_across_a_clock_change(zone: str, change: date) -> None:
    chosen = Preferences(reminder_days=(0, 2, 6), reminder_time=time(7, 30), time_zone=zone)
    now = datetime.combine(change - timedelta(days=14), time(12), tzinfo=UTC)
    body = reminder_calendar(chosen, zone, now, "profile")
    starts = expanded(body, change - timedelta(days=14), change + timedelta(days=14))
    assert len(starts) == 12  # four weeks of Monday, Wednesday, Sunday
    local = [start.astimezone(ZoneInfo(zone)) for start in starts]
    assert {(moment.hour, moment.minute) for moment in local} == {(7, 30)}
    assert {moment.weekday() for moment in local} == {0, 2, 6}
    offsets = {start.utcoffset() for start in starts}
    assert len(offsets) == 2, "the clock change falls inside the expanded weeks"


def test_the_calendar_carries_its_time_zone_and_says_nothing_about_health() -> None:
    chosen = Preferences(reminder_days=(1,), reminder_time=time(18), time_zone="Europe/Berlin")
    calendar = icalendar.Calendar.from_ical(
        reminder_calendar(chosen, "Europe/Berlin", datetime(2026, 6, 1, tzinfo=UTC), "p1")
    )
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event["RRULE"]["BYDAY"] == ["TU"]
    said = {str(event["SUMMARY"]), str(event["DESCRIPTION"])}
    said |= {str(alarm["DESCRIPTION"]) for alarm in event.walk("VALARM")}
    assert said == {SUMMARY, DESCRIPTION}
    assert "p1" not in str(event["UID"])


def test_no_day_chosen_is_a_calendar_without_events() -> None:
    body = reminder_calendar(Preferences(), "UTC", datetime(2026, 6, 1, tzinfo=UTC), "p")
    assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []


def test_the_calendar_follows_the_saved_settings(services: Services) -> None:
    services.preferences.set("reminder-days", "sat")
    services.preferences.set("reminder-time", "09:15")
    services.preferences.set("time-zone", "Asia/Tokyo")
    starts = expanded(services.preferences.calendar(), date(2026, 3, 1), date(2026, 3, 31))
    assert [s.astimezone(ZoneInfo("Asia/Tokyo")).day for s in starts] == [7, 14, 21, 28]
    assert {s.astimezone(ZoneInfo("Asia/Tokyo")).time() for s in starts} == {time(9, 15)}


def test_a_bad_setting_is_refused_and_nothing_changes(services: Services) -> None:
    with pytest.raises(ServiceError, match="Time zone: 'Europe' is a region"):
        services.preferences.set("time-zone", "Europe")
    assert services.preferences.current() == Preferences()


def test_a_feed_token_opens_its_calendar_until_revoked(
    services: Services, clock: MovableClock
) -> None:
    services.preferences.set("reminder-days", "mon")
    token = services.preferences.make_feed()
    assert len(token) >= 22  # 128 bits in URL-safe base64 at the least
    assert services.calendar_feeds.calendar(token) == services.preferences.calendar()
    assert services.preferences.feed_made_at() == clock()
    with services.database.read() as tx:
        stored = list(tx.scalars(select(CalendarFeedRow.token_hash)))
    assert token not in stored
    assert len(stored) == 1
    assert services.preferences.revoke_feed() is True
    assert services.calendar_feeds.calendar(token) is None
    assert services.preferences.feed_made_at() is None
    assert services.preferences.revoke_feed() is False


def test_a_new_address_stops_the_old_one(services: Services) -> None:
    first = services.preferences.make_feed()
    second = services.preferences.make_feed()
    assert services.calendar_feeds.calendar(first) is None
    assert services.calendar_feeds.calendar(second) is not None


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "A" * 5000])
def test_an_unknown_token_opens_nothing(services: Services, token: str) -> None:
    services.preferences.make_feed()
    assert services.calendar_feeds.calendar(token) is None
