"""Web Push reminders in the domain (issue 19 item 3b): when a reminder is due in the
person's own zone (over clock changes), and a browser's subscription read strictly."""

import base64
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sirelief.domain.push import (
    AUTH_BYTES,
    BODY,
    LATE_WINDOW,
    MAX_ENDPOINT,
    TITLE,
    SubscriptionError,
    due_reminder,
    payload,
    read_subscription,
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


P256DH = b64(b"\x04" + bytes(range(64)))
AUTH = b64(bytes(range(AUTH_BYTES)))
GOOD = {"endpoint": "https://push.example.net/wpush/v2/abc", "expirationTime": None,
        "keys": {"p256dh": P256DH, "auth": AUTH}}  # fmt: skip


def due_times(days, at: time, zone: str, start: datetime, end: datetime) -> list[datetime]:
    """Every reminder a cron run each minute from ``start`` to ``end`` would find, once each."""
    found, now = [], start
    while now < end:
        due = due_reminder(days, at, zone, now)
        if due is not None and due not in found:
            found.append(due)
        now += timedelta(minutes=1)
    return found


@pytest.mark.parametrize(
    ("zone", "change"),
    [("Europe/London", date(2027, 3, 28)), ("Europe/London", date(2027, 10, 31)),
     ("America/New_York", date(2027, 3, 14)), ("America/New_York", date(2027, 11, 7))],
)  # fmt: skip
def test_the_reminder_keeps_its_local_hour_over_a_clock_change(zone: str, change: date) -> None:
    start = datetime.combine(change - timedelta(days=3), time(0), tzinfo=UTC)
    found = due_times((0, 2, 4, 5, 6), time(18, 0), zone, start, start + timedelta(days=7))
    local = [moment.astimezone(ZoneInfo(zone)) for moment in found]
    assert {(moment.hour, moment.minute) for moment in local} == {(18, 0)}
    assert sorted(moment.weekday() for moment in local) == [0, 2, 4, 5, 6]
    assert len(found) == 5, "one reminder on each chosen day of the week, once"
    assert len({moment.utcoffset() for moment in local}) == 2, "the change is inside the week"
    assert all(moment.tzinfo is UTC for moment in found)


def test_a_time_the_clock_skips_still_reminds_once_an_hour_later() -> None:
    # London, 28 March 2027: 01:00 GMT becomes 02:00 BST, so 01:30 never shows on a clock
    sunday = date(2027, 3, 28)
    start = datetime.combine(sunday, time(0), tzinfo=UTC)
    found = due_times((6,), time(1, 30), "Europe/London", start, start + timedelta(hours=4))
    assert found == [datetime(2027, 3, 28, 1, 30, tzinfo=UTC)]  # 02:30 BST
    assert found[0].astimezone(ZoneInfo("Europe/London")).hour == 2


def test_a_time_the_clock_repeats_reminds_once() -> None:
    # New York, 7 November 2027: 01:30 happens twice (EDT, then EST)
    start = datetime(2027, 11, 7, 4, 0, tzinfo=UTC)
    found = due_times((6,), time(1, 30), "America/New_York", start, start + timedelta(hours=4))
    assert found == [datetime(2027, 11, 7, 5, 30, tzinfo=UTC)]  # the first 01:30, EDT


def test_a_reminder_is_found_only_within_its_window() -> None:
    monday_18 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    days, at = (0,), time(18, 0)
    assert due_reminder(days, at, "UTC", monday_18 - timedelta(seconds=1)) is None
    assert due_reminder(days, at, "UTC", monday_18) == monday_18
    assert due_reminder(days, at, "UTC", monday_18 + LATE_WINDOW) == monday_18
    assert due_reminder(days, at, "UTC", monday_18 + LATE_WINDOW + timedelta(minutes=1)) is None
    assert due_reminder((), at, "UTC", monday_18) is None
    assert due_reminder((1,), at, "UTC", monday_18) is None


def test_a_reminder_just_before_midnight_is_found_just_after() -> None:
    late = time(23, 50)
    found = due_reminder((0,), late, "Asia/Tokyo", datetime(2026, 11, 30, 15, 5, tzinfo=UTC))
    assert found == datetime(2026, 11, 30, 14, 50, tzinfo=UTC)  # Monday 23:50 in Tokyo


def test_the_payload_is_generic_words_only() -> None:
    assert payload() == {"title": TITLE, "body": BODY, "url": "/"}
    assert (TITLE, BODY) == ("sirelief", "Time for your session")


def test_a_browser_subscription_is_read() -> None:
    subscription = read_subscription(GOOD)
    assert subscription.info() == {"endpoint": GOOD["endpoint"], "keys": GOOD["keys"]}
    padded = {**GOOD, "keys": {"p256dh": P256DH + "=", "auth": AUTH + "=="}}
    assert read_subscription(padded).p256dh == P256DH


def with_keys(**keys) -> dict:
    return {**GOOD, "keys": {**GOOD["keys"], **keys}}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ([], "body", "JSON object"),
        ({**GOOD, "extra": 1}, "extra", "send only endpoint"),
        ({**GOOD, "endpoint": "http://push.example.net/x"}, "endpoint", "https://"),
        ({**GOOD, "endpoint": "http://127.0.0.1:9/x"}, "endpoint", "https://"),
        ({**GOOD, "endpoint": "javascript:alert(1)"}, "endpoint", "https://"),
        ({**GOOD, "endpoint": "https://"}, "endpoint", "host name"),
        ({**GOOD, "endpoint": "https://user:pw@push.example.net/x"}, "endpoint", "user name"),
        ({**GOOD, "endpoint": "https://push.example.net:99999/x"}, "endpoint", "not a web"),
        ({**GOOD, "endpoint": "https://push.example.net/é"}, "endpoint", "non-ASCII"),
        ({**GOOD, "endpoint": "https://p.example/" + "a" * MAX_ENDPOINT}, "endpoint", "at most"),
        ({**GOOD, "endpoint": 7}, "endpoint", "address"),
        ({k: v for k, v in GOOD.items() if k != "endpoint"}, "endpoint", "address"),
        ({**GOOD, "expirationTime": "soon"}, "expirationTime", "number"),
        ({**GOOD, "expirationTime": True}, "expirationTime", "number"),
        ({**GOOD, "keys": None}, "keys", "p256dh and auth"),
        ({**GOOD, "keys": {**GOOD["keys"], "x": "y"}}, "keys.x", "only p256dh"),
        (with_keys(p256dh=None), "keys.p256dh", "base64url"),
        (with_keys(p256dh="a+b/"), "keys.p256dh", "base64url"),
        (with_keys(p256dh=P256DH[:-4]), "keys.p256dh", "65 bytes"),
        (with_keys(p256dh=b64(b"\x02" + bytes(64))), "keys.p256dh", "uncompressed"),
        (with_keys(auth=b64(bytes(15))), "keys.auth", "16 bytes (22 characters)"),
        (with_keys(auth="A"), "keys.auth", "16 bytes"),
    ],
)
def test_a_wrong_subscription_names_the_field_and_the_fix(data, field: str, words: str) -> None:
    with pytest.raises(SubscriptionError) as refused:
        read_subscription(data)
    assert refused.value.field == field
    assert str(refused.value).startswith(field)
    assert words in str(refused.value)


def test_plain_http_to_this_computer_only_when_the_test_setting_allows() -> None:
    local = {**GOOD, "endpoint": "http://127.0.0.1:8123/push/1"}
    assert read_subscription(local, allow_loopback_http=True).endpoint.startswith("http://")
    elsewhere = {**GOOD, "endpoint": "http://10.0.0.1/push/1"}
    with pytest.raises(SubscriptionError):
        read_subscription(elsewhere, allow_loopback_http=True)
