"""``sirelief settings show|set`` (issue 19 item 4): the same settings as the web page,
one clear line for a bad value."""

import json

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run


def test_show_lists_every_setting_with_its_default(capsys, settings: Settings) -> None:
    status, out, _ = run(capsys, "settings", "show")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "voice", "voice-name", "sound", "equipment", "time-zone", "randomise-first-side",
        "reminder-days", "reminder-time",
    ]  # fmt: skip
    assert "reminder-days         none" in out


def test_set_saves_what_the_web_page_and_the_calendar_then_use(capsys, settings: Settings) -> None:
    for key, value in [("reminder-days", "mon,Wednesday"), ("reminder-time", "7:05"),
                       ("time-zone", "America/Chicago"), ("voice", "off"),
                       ("equipment", "mat,strap")]:  # fmt: skip
        status, out, err = run(capsys, "settings", "set", key, value)
        assert (status, err) == (0, "")
        assert out.startswith(f"Saved: {key} is now ")
    status, out, _ = run(capsys, "settings", "show", "--json")
    shown = json.loads(out)
    assert shown["reminder_days"] == ["mon", "wed"]
    assert shown["reminder_time"] == "07:05"
    assert shown["time_zone"] == shown["time_zone_used"] == "America/Chicago"
    assert shown["voice"] is False
    assert shown["equipment"] == ["mat", "strap"]
    services = Services(settings)
    try:
        assert b"RRULE:FREQ=WEEKLY;BYDAY=MO,WE" in services.preferences.calendar()
        assert b"DTSTART;TZID=America/Chicago:" in services.preferences.calendar()
    finally:
        services.close()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("time-zone", "America", "error: Time zone: 'America' is a region, not a time zone; add "
                              "the city, like America/New_York."),
     ("time-zone", "Mars/Base", "error: Time zone: 'Mars/Base' is not a time zone"),
     ("reminder-time", "noon", "error: Reminder time: 'noon' is not a time"),
     ("sound", "loud", "error: Sound: 'loud' is not on or off; write on or off."),
     ("colour", "blue", "error: 'colour' is not a setting; choose one of voice")],
)  # fmt: skip
def test_a_bad_value_is_one_line_and_changes_nothing(
    capsys, settings: Settings, key: str, value: str, message: str
) -> None:
    status, out, err = run(capsys, "settings", "set", key, value)
    assert status == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err
    _, shown, _ = run(capsys, "settings", "show", "--json")
    assert json.loads(shown)["time_zone"] is None


def test_the_help_gives_examples(capsys, settings: Settings) -> None:
    for command in ("show", "set"):
        status, out, _ = run(capsys, "settings", command, "--help")
        assert status == 0
        assert f"Example: sirelief settings {command} " in out
    assert "sirelief settings set time-zone Europe/London" in out
