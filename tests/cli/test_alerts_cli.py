"""``sirelief alerts check``: the days-without-a-session alerts of every coach, and each
alert email sent once, whatever how often cron runs it."""

from datetime import UTC, datetime, timedelta

import pytest

from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock
from tests.smtp_support import free_port, smtp_server

PASSWORD = "correct horse battery"


def test_check_raises_and_emails_each_alert_once(
    capsys, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    port = free_port()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "STARTTLS": "false"}.items():
        monkeypatch.setenv(f"SIRELIEF_SMTP_{name}", value)
    two_days_ago = MovableClock(datetime.now(UTC) - timedelta(days=2))
    services = Services(Settings(), two_days_ago)
    try:
        accounts = services.accounts
        accounts.setup("Admin", PASSWORD)
        accounts.add_clinic("North")
        coach = accounts.add_user("coach", "cora", PASSWORD, "North")
        accounts.add_user("client", "cleo", PASSWORD, "North")
        accounts.assign("cora", "cleo")
        actor = Actor(coach.id, Role.COACH, coach.clinic_id)
        services.alerts.save_settings(actor, "1", "cora@example.org")
    finally:
        services.close()
    with smtp_server(port) as (inbox, _):
        status, out, err = run(capsys, "alerts", "check")
        assert (status, err) == (0, "")
        assert "New alerts: 1. Emails sent: 1;" in out
        status, out, _ = run(capsys, "alerts", "check")
        assert "New alerts: 0. Emails sent: 0;" in out
    [mail] = inbox.messages
    assert "cleo" in mail.get_payload()


def test_check_in_personal_mode_says_there_are_no_coaches(capsys, settings: Settings) -> None:
    status, out, err = run(capsys, "alerts", "check")
    assert (status, err) == (0, "")
    assert "personal installation" in out


def test_the_command_has_help_with_an_example(capsys) -> None:
    status, out, _ = run(capsys, "alerts", "check", "--help")
    assert status == 0
    assert "Example: sirelief alerts check" in out
