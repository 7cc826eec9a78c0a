"""``sirelief psfs``: the weekly PSFS from the terminal, through the same use case as the
web page; wrong input is one line naming the fix, exit status 2."""

import json
from datetime import UTC, datetime

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock


def test_name_rate_and_show(capsys, settings: Settings) -> None:
    status, out, _ = run(capsys, "psfs", "show")
    assert status == 0
    assert "No activities yet" in out
    status, out, _ = run(capsys, "psfs", "name", "Getting out of the car", "Stairs")
    assert (status, out.strip()) == (0, "Saved 2 activities.")
    status, out, _ = run(capsys, "psfs", "rate", "4", "7")
    assert status == 0
    assert "5.5 out of 10" in out
    status, out, _ = run(capsys, "psfs", "show", "--json")
    shown = json.loads(out)
    assert shown["format"] == "sirelief.psfs.v1"
    assert shown["due"] is None
    assert [a["text"] for a in shown["activities"]] == ["Getting out of the car", "Stairs"]
    assert shown["ratings"][0]["scores"] == [
        {"activity": "Getting out of the car", "score": 4},
        {"activity": "Stairs", "score": 7},
    ]
    status, out, _ = run(capsys, "report", "--json")
    assert json.loads(out)["psfs"]["days"][0]["value"] == 5.5


def test_wrong_input_is_named(capsys, settings: Settings) -> None:
    status, _, err = run(capsys, "psfs", "rate", "5")
    assert status == 2
    assert "Name at least one activity" in err
    run(capsys, "psfs", "name", "Walking")
    status, _, err = run(capsys, "psfs", "rate", "12")
    assert status == 2
    assert '"Walking"' in err
    status, _, err = run(capsys, "psfs", "rate", "1", "2")
    assert status == 2
    assert "give 1 score, one per activity" in err
    status, _, err = run(capsys, "psfs", "name", "a", "b", "c", "d")
    assert status == 2
    assert "at most 3" in err


@pytest.mark.parametrize(
    ("zone", "rated_at", "shown"),
    [
        ("Europe/Berlin", datetime(2026, 12, 6, 23, 30, tzinfo=UTC), "2026-12-07"),
        ("America/New_York", datetime(2026, 12, 7, 2, 30, tzinfo=UTC), "2026-12-06"),
    ],
)
def test_show_dates_a_rating_on_the_persons_own_day(
    capsys, settings: Settings, zone: str, rated_at: datetime, shown: str
) -> None:
    """Issue 19: the date shown is the person's (time-zone setting), not the server's UTC."""
    run(capsys, "psfs", "name", "Walking")
    assert run(capsys, "settings", "set", "time-zone", zone)[0] == 0
    library = Services(settings, MovableClock(rated_at))
    try:
        (activity,) = library.psfs.activities()
        assert library.psfs.rate({f"score_{activity.id}": "6"}).done
    finally:
        library.close()
    status, out, _ = run(capsys, "psfs", "show")
    assert status == 0
    assert f"{shown}   6.0" in out
