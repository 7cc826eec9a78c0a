"""``sirelief reminders send`` (issue 19 item 3b): the due reminder once, a clear summary,
exit 1 when a push service cannot be reached."""

import json
from datetime import UTC, datetime, timedelta

from sirelief.domain.preferences import Preferences
from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.push_service import BrowserKeys, PushService


def remind_now(settings: Settings, endpoint: str) -> None:
    services = Services(settings)
    at = (datetime.now(UTC) - timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    services.preferences.save(
        Preferences(reminder_days=tuple(range(7)), reminder_time=at, time_zone="UTC")
    )
    services.push_reminders.subscribe(BrowserKeys().subscription(endpoint))
    services.close()


def test_send_pushes_the_due_reminder_once(capsys, settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("SIRELIEF_PUSH_ALLOW_HTTP_LOOPBACK", "true")
    settings = Settings()
    with PushService() as service:
        remind_now(settings, service.endpoint("phone"))
        status, out, err = run(capsys, "reminders", "send", "--json")
        assert (status, err) == (0, "")
        assert json.loads(out) == {
            "format": "sirelief.reminders-sent.v1",
            "reminders": 1,
            "delivered": 1,
            "removed": 0,
            "failed": 0,
            "problems": [],
        }
        status, out, _ = run(capsys, "reminders", "send")
        assert status == 0
        assert out.startswith("0 reminders due, 0 delivered")
    assert len(service.pushed) == 1


def test_an_unreachable_push_service_is_said_and_exits_1(
    capsys, settings: Settings, monkeypatch
) -> None:
    monkeypatch.setenv("SIRELIEF_PUSH_ALLOW_HTTP_LOOPBACK", "true")
    settings = Settings()
    with PushService() as service:
        closed = service.endpoint("phone")  # nobody answers there once the service stops
    remind_now(settings, closed)
    status, out, _ = run(capsys, "reminders", "send")
    assert status == 1
    assert "1 reminder due, 0 delivered, 0 gone browsers forgotten, 1 failed" in out
    assert "push service unreachable (ConnectionError)" in out


def test_help_says_cron_and_shows_an_example(capsys) -> None:
    status, out, _ = run(capsys, "reminders", "send", "--help")
    assert status == 0
    assert "Example: sirelief reminders send" in out
    assert "every" in out
