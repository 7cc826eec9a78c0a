"""Sending Web Push reminders (issue 19 item 3b): each due reminder once, gone browsers
forgotten, every step audited in clinic mode, and the real send path (pywebpush) checked
against a push service played by the test: aes128gcm-encrypted for the browser's key,
signed with the installation's VAPID key, and saying only the generic words."""

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from sirelief.domain.preferences import Preferences
from sirelief.domain.push import BODY, TITLE, SubscriptionError
from sirelief.services import Services
from sirelief.services.push_reminders import DeliveryError
from sirelief.settings import Settings
from sirelief.storage.push_store import reminders_sent
from tests.clock import MovableClock
from tests.push_service import BrowserKeys, PushService, vapid_claims
from tests.services.clinic_world import bound_to, clinic_world

MONDAY_1800 = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
CONTACT = "mailto:clinic@example.org"


@pytest.fixture
def local(tmp_path: Path) -> Services:
    """Services that accept a push service on 127.0.0.1, as the browser test's does."""
    settings = Settings(data_dir=tmp_path, push_allow_http_loopback=True, push_contact=CONTACT)
    services = Services(settings, MovableClock(MONDAY_1800))
    yield services
    services.close()


def remind_mondays(services: Services, zone: str = "UTC") -> None:
    services.preferences.save(
        Preferences(reminder_days=(0,), reminder_time=time(18, 0), time_zone=zone)
    )


class Recorder:
    """A stand-in for the push service: records each push, answers as told."""

    def __init__(self, answers: dict[str, int | Exception] | None = None) -> None:
        self.sent: list[tuple[str, dict]] = []
        self.answers = answers or {}

    def __call__(self, subscription, text, keys, contact) -> int:
        self.sent.append((subscription.endpoint, json.loads(text)))
        answer = self.answers.get(subscription.endpoint, 201)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_a_due_reminder_is_sent_once_to_every_browser(local: Services) -> None:
    remind_mondays(local)
    first, second = BrowserKeys(), BrowserKeys()
    local.push_reminders.subscribe(first.subscription("https://push.example/a"))
    local.push_reminders.subscribe(second.subscription("https://push.example/b"))
    recorder = Recorder()
    local.reminder_sender.deliver = recorder
    local.clock.set(MONDAY_1800 - timedelta(minutes=1))
    assert local.reminder_sender.send_due().reminders == 0
    for minute in range(40):  # cron, every minute
        local.clock.set(MONDAY_1800 + timedelta(minutes=minute))
        local.reminder_sender.send_due()
    assert sorted(endpoint for endpoint, _ in recorder.sent) == [
        "https://push.example/a", "https://push.example/b"
    ]  # fmt: skip
    assert {json.dumps(said) for _, said in recorder.sent} == {
        json.dumps({"title": TITLE, "body": BODY, "url": "/"})
    }
    assert reminders_sent(local.database, local.store.profile_id) == [(MONDAY_1800, 2)]


def test_a_browser_the_push_service_calls_gone_is_forgotten(local: Services) -> None:
    remind_mondays(local)
    for name in ("kept", "gone", "missing", "busy"):
        local.push_reminders.subscribe(BrowserKeys().subscription(f"https://push.example/{name}"))
    local.reminder_sender.deliver = Recorder({
        "https://push.example/gone": 410, "https://push.example/missing": 404,
        "https://push.example/busy": DeliveryError("timeout"),
    })  # fmt: skip
    report = local.reminder_sender.send_due()
    assert (report.reminders, report.delivered, report.removed, report.failed) == (1, 1, 2, 1)
    assert local.push_reminders.devices() == 2


def test_the_reminder_follows_the_persons_zone(local: Services) -> None:
    remind_mondays(local, "America/New_York")
    local.push_reminders.subscribe(BrowserKeys().subscription("https://push.example/a"))
    recorder = Recorder()
    local.reminder_sender.deliver = recorder
    local.reminder_sender.send_due()  # 18:00 UTC is 13:00 in New York
    assert recorder.sent == []
    local.clock.set(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))  # 18:00 EST
    local.reminder_sender.send_due()
    assert len(recorder.sent) == 1


def test_subscribing_again_renews_and_turning_off_forgets(local: Services) -> None:
    keys = BrowserKeys()
    reminders = local.push_reminders
    assert reminders.subscribe(keys.subscription("https://push.example/a")) is True
    assert reminders.subscribe(BrowserKeys().subscription("https://push.example/a")) is False
    assert reminders.devices() == 1
    with pytest.raises(SubscriptionError):
        reminders.unsubscribe({"endpoint": "https://push.example/a", "more": 1})
    assert reminders.unsubscribe({"endpoint": "https://push.example/a"}) is True
    assert reminders.unsubscribe({"endpoint": "https://push.example/a"}) is False
    reminders.subscribe(keys.subscription("https://push.example/b"))
    assert reminders.unsubscribe_all() == 1
    assert reminders.devices() == 0


def test_the_key_pair_is_made_once_and_kept(local: Services, tmp_path: Path) -> None:
    key = local.push_reminders.public_key()
    assert len(key) == 87  # 65 bytes
    assert key.startswith("B")  # 0x04 first: an uncompressed point
    again = Services(local.settings, local.clock)
    assert again.push_reminders.public_key() == key
    assert again.push_keys.ensure() is False
    again.close()


def test_every_step_is_audited_in_clinic_mode(tmp_path: Path) -> None:
    services = Services(Settings(data_dir=tmp_path), MovableClock(MONDAY_1800))
    world = clinic_world(services)
    client = bound_to(services, world.client_account)
    remind_mondays(client)
    client.push_reminders.subscribe(BrowserKeys().subscription("https://push.example/a"))
    client.push_reminders.subscribe(BrowserKeys().subscription("https://push.example/gone"))
    sender = services.reminder_sender
    sender.deliver = Recorder({"https://push.example/gone": 410})
    sender.send_due()
    client.push_reminders.unsubscribe({"endpoint": "https://push.example/a"})
    lines = [
        (entry.action, entry.actor_id, entry.object)
        for entry in services.accounts_store.audit_entries(world.client.user_id)
        if "push" in entry.action
    ]
    me = world.client.user_id
    assert lines == [
        ("push reminders on", me, "push"), ("push reminders on", me, "push"),
        ("push subscription expired", None, "push"),
        ("push reminder sent", None, "reminders/2026-11-30T18:00Z"),
        ("push reminders off", me, "push"),
    ]  # fmt: skip
    services.close()
    client.close()


def test_the_real_send_is_encrypted_signed_and_generic(local: Services) -> None:
    """pywebpush to a push service played here: RFC 8291 aes128gcm for the browser's key,
    a VAPID (RFC 8292) Authorization header signed with the installation's key, a TTL,
    and a payload that decrypts to the generic words only."""
    remind_mondays(local)
    browser, gone = BrowserKeys(), BrowserKeys()
    with PushService() as service:
        local.push_reminders.subscribe(browser.subscription(service.endpoint("phone")))
        local.push_reminders.subscribe(gone.subscription(service.endpoint("gone")))
        report = local.reminder_sender.send_due()
    assert (report.delivered, report.removed, report.failed) == (1, 1, 0)
    pushed = next(p for p in service.pushed if p.path == "/push/phone")
    assert pushed.headers["content-encoding"] == "aes128gcm"
    assert int(pushed.headers["ttl"]) == 1800
    assert pushed.headers["topic"] == "sirelief-reminder"
    claims = vapid_claims(pushed.headers["authorization"], local.push_reminders.public_key())
    assert claims["aud"] == service.origin
    assert claims["sub"] == CONTACT
    assert claims["exp"] > MONDAY_1800.timestamp()
    assert json.loads(browser.decrypt(pushed.body)) == {"title": TITLE, "body": BODY, "url": "/"}
    assert local.push_reminders.devices() == 1


def test_without_a_zone_of_their_own_the_installations_is_used_by_both_reminders(
    tmp_path: Path,
) -> None:
    """The calendar and the push agree: both use SIRELIEF_TIMEZONE when the person chose
    no zone (the calendar used to fall back to UTC)."""
    settings = Settings(data_dir=tmp_path, timezone="America/New_York")
    services = Services(settings, MovableClock(MONDAY_1800))
    services.preferences.save(Preferences(reminder_days=(0,), reminder_time=time(18, 0)))
    assert services.preferences.zone_name() == "America/New_York"
    assert b"TZID=America/New_York" in services.preferences.calendar()
    services.push_reminders.subscribe(BrowserKeys().subscription("https://push.example/a"))
    recorder = Recorder()
    services.reminder_sender.deliver = recorder
    services.reminder_sender.send_due()  # 18:00 UTC: 13:00 in New York
    services.clock.set(datetime(2026, 11, 30, 23, 0, tzinfo=UTC))
    services.reminder_sender.send_due()
    assert len(recorder.sent) == 1
    services.close()
