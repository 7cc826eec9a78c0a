"""sirelief report and sirelief morning, and the morning question before a session."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from sirelief.cli.session import ask_morning_if_due
from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock, at
from tests.storage import scripted


def finished_sessions(settings: Settings, days_ago: tuple[float, ...]) -> list[str]:
    """Whole smash-reset sessions (right side treated, hip -4 against 0) on those days."""
    library = Services(settings, MovableClock())
    sessions = library.sessions
    ids = []
    for ago in days_ago:
        when = datetime.now(UTC) - timedelta(days=ago)
        running = at(sessions, when).start(
            scripted.CHECKIN, "kettlebell-smash-reset", scripted.PlanOptions()
        )
        scripted.run_to_end(running, prefix=f"a{ago}-", at=when.timestamp())
        ids.append(running.session_id)
    library.close()
    return ids


def test_report_without_sessions_says_how_to_start(capsys, settings: Settings) -> None:
    status, out, _ = run(capsys, "report")
    assert status == 0
    assert "0 sessions" in out
    assert "Start one with: sirelief session" in out
    assert "does not replace a clinician" in " ".join(out.split())


def test_report_shows_effects_trends_and_effort(capsys, settings: Settings) -> None:
    finished_sessions(settings, (9, 6, 3, 1))
    status, out, _ = run(capsys, "report", "--weeks", "4")
    assert status == 0, out
    assert "4 sessions" in out
    text = " ".join(out.split())
    assert (
        "Kettlebell hip flexor smash: your worked side (right) felt 4.0 points less tight in "
        "the front of the hip than the side that waited (4 sessions, the same difference in "
        "every session so far)."
    ) in text
    assert "Worked side against the side that waited" in out
    assert "lowered" not in out
    assert "Helps" not in out
    assert "Pain before sessions" in out
    assert "sessions a week" in out
    assert "level off near 10 minutes a week" in text


def test_report_json(capsys, settings: Settings) -> None:
    finished_sessions(settings, (5, 2, 1))
    status, out, _ = run(capsys, "report", "--json", "--weeks", "2")
    assert status == 0
    report = json.loads(out)
    assert report["format"] == "sirelief.report.v2"
    assert len(report["weeks"]) == 2
    assert report["sessions"] == 3
    hip = next(e for e in report["effects"] if e["region"] == "hip")
    assert (hip["sessions"], hip["reduction"], hip["verdict"]) == (3, 4.0, "less_tight")
    assert hip["noticeable"] is True
    assert report["settling"]["answered"] == 0


@pytest.mark.parametrize("weeks", ["0", "105", "many"])
def test_report_rejects_bad_weeks(capsys, settings: Settings, weeks: str) -> None:
    status, _, err = run(capsys, "report", "--weeks", weeks)
    assert status == 2
    assert "--weeks" in err


def test_morning_records_the_answer_once(capsys, settings: Settings) -> None:
    [session_id] = finished_sessions(settings, (1,))
    status, out, _ = run(capsys, "morning", "--settled", "no", "--pain", "5")
    assert status == 0, out
    assert "Saved: not settled by morning" in out
    library = Services(settings, MovableClock())
    morning = library.session_log.session(session_id).morning
    assert (morning.settled, morning.pain) == (False, 5)
    status, out, _ = run(capsys, "morning", "--settled", "yes")
    assert status == 0
    assert "Nothing to answer" in out


def test_morning_answer_changes_the_next_plan(capsys, settings: Settings) -> None:
    finished_sessions(settings, (1,))
    run(capsys, "morning", "--settled", "no", "--pain", "6")
    library = Services(settings, MovableClock())
    plan = library.sessions.planning.planned(
        scripted.CHECKIN, "kettlebell-smash-reset", scripted.PlanOptions(),
        library.sessions.history(),
    ).result  # fmt: skip
    assert plan.dose_decision == "regress"
    assert any("had not settled by the next morning" in reason for reason in plan.reasons)


def test_morning_off_a_terminal_needs_options(capsys, settings: Settings) -> None:
    finished_sessions(settings, (1,))
    status, _, err = run(capsys, "morning")
    assert status == 2
    assert "--settled yes|no" in err


def test_morning_rejects_a_bad_answer(capsys, settings: Settings) -> None:
    status, _, err = run(capsys, "morning", "--settled", "maybe")
    assert status == 2
    assert "--settled" in err


def test_session_asks_the_morning_question_first(monkeypatch, settings: Settings) -> None:
    [session_id] = finished_sessions(settings, (1,))
    answers = iter(["y", "2"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    library = Services(settings, MovableClock())
    ask_morning_if_due(library.sessions)
    morning = library.session_log.session(session_id).morning
    assert (morning.settled, morning.pain) == (True, 2)
    # asked once: now nothing is due, and input is not called again
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked twice"))
    ask_morning_if_due(library.sessions)


def test_skipping_the_morning_question_records_nothing(monkeypatch, settings) -> None:
    [session_id] = finished_sessions(settings, (1,))
    monkeypatch.setattr("builtins.input", lambda prompt="": "s")
    library = Services(settings, MovableClock())
    ask_morning_if_due(library.sessions)
    assert library.session_log.session(session_id).morning is None


def test_a_bad_setting_is_one_line_naming_the_variable(capsys, settings, monkeypatch) -> None:
    monkeypatch.setenv("SIRELIEF_TIMEZONE", "Mars/Olympus")
    status, out, err = run(capsys, "report")
    assert status == 2
    assert out == ""
    assert err.strip() == (
        "error: SIRELIEF_TIMEZONE: unknown time zone 'Mars/Olympus': use a name such as "
        "Europe/London"
    )
