"""The data commands: db, history, export, import and delete-my-data."""

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

import sirelief.storage
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services import Services
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock, at

MIGRATIONS = Path(sirelief.storage.__file__).parent / "migrations" / "versions"

CHECKIN = {
    "pain": 4,
    "tightness": {"hip": {"left": 3, "right": 7},
                  "hamstrings_adductors": {"left": 2, "right": 5},
                  "ankle": {"left": 4, "right": 6}},
    "minutes": 60, "equipment": ["kettlebell", "mat", "strap", "wall", "band"],
}  # fmt: skip


def one_session(settings: Settings) -> str:
    library = Services(settings, MovableClock())
    sessions = library.sessions
    checkin = sessions.planning.read_checkin(json.dumps(CHECKIN))
    running = at(sessions, datetime(2026, 11, 3, tzinfo=UTC)).start(checkin, None, PlanOptions())
    running.record(Event(id="s1", at=10.0, kind="start"))
    library.close()
    return running.session_id


def test_db_path_and_current_on_first_use(capsys, settings: Settings) -> None:
    status, out, _ = run(capsys, "db", "path")
    assert status == 0
    assert out.strip() == str(settings.data_dir / "sirelief.db")
    status, out, _ = run(capsys, "db", "current")
    assert status == 0
    newest = max(path.name for path in MIGRATIONS.glob("0*.py"))[:4]
    assert out.strip() == f"{newest} (up to date)"
    status, out, _ = run(capsys, "db", "upgrade")
    assert "(up to date)" in out


def test_a_bad_database_url_is_one_line(capsys, settings: Settings) -> None:
    status, _, err = run(capsys, "--database-url", "nonsense://", "history")
    assert status == 2
    assert err.startswith("error: ")
    assert len(err.strip().splitlines()) == 1


def test_history_lists_sessions_with_how_they_went(capsys, settings: Settings) -> None:
    status, out, _ = run(capsys, "history")
    assert "No sessions yet" in out
    session_id = one_session(settings)
    status, out, _ = run(capsys, "history", "--json")
    document = json.loads(out)
    assert status == 0
    [entry] = document["sessions"]
    assert (entry["id"], entry["routine"], entry["status"]) == (
        session_id,
        "kettlebell-smash-reset",
        "running",
    )
    status, out, _ = run(capsys, "history")
    assert "Kettlebell smash reset" in out or "running" in out


def test_history_says_where_it_was_too_much_and_what_was_chosen(
    capsys, settings, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per cell, so the sentence reads whole
    library = Services(settings, MovableClock())
    sessions = library.sessions
    checkin = sessions.planning.read_checkin(json.dumps(CHECKIN))
    running = at(sessions, datetime(2026, 11, 3, tzinfo=UTC)).start(checkin, None, PlanOptions())
    running.record(Event(id="s1", at=10.0, kind="start"))
    index = next(i for i, s in enumerate(running.plan.steps) if s.kind == "exercise")
    for number in range(index):
        running.record(Event(id=f"k{number}", at=11.0 + number, kind="skip", step=number))
    step = running.plan.steps[index]
    running.record(Event(id="t1", at=50.0, kind="too_much", pain=5, symptom="numbness"))
    running.record(Event(id="c1", at=51.0, kind="too_much_choice", choice="skip"))
    library.close()
    side = f", {step.side} side" if step.side in ("left", "right") else ""
    said = f"You said it was too much during {step.title}{side} (numbness, pain 5 of 10): you "
    status, out, _ = run(capsys, "history", "--json")
    assert status == 0
    [entry] = json.loads(out)["sessions"]
    assert entry["too_much"] == [{
        "step": step.title, "side": step.side, "symptom": "numbness", "pain": 5,
        "choice": "skip", "says": said + "skipped it.",
    }]  # fmt: skip
    status, out, _ = run(capsys, "history")
    assert status == 0
    assert said + "skipped it." in " ".join(out.split())


def test_export_import_and_delete(capsys, settings: Settings, tmp_path: Path, monkeypatch):
    one_session(settings)
    target = tmp_path / "out.json"
    status, _, err = run(capsys, "export", "--output", str(target))
    assert status == 0
    assert "Wrote" in err
    document = json.loads(target.read_text())
    assert document["format"] == "sirelief.export"
    assert len(document["sessions"]) == 1

    status, _, err = run(capsys, "export", "--format", "csv")
    assert status == 2
    assert "--output FILE.zip" in err
    archive = tmp_path / "out.zip"
    assert run(capsys, "export", "--format", "csv", "--output", str(archive))[0] == 0
    assert "sirelief-export/events.csv" in zipfile.ZipFile(archive).namelist()

    status, out, _ = run(capsys, "import", str(target))
    assert status == 0
    assert "Nothing new" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    status, out, _ = run(capsys, "delete-my-data")
    assert status == 1
    assert "Nothing was deleted" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("delete\n"))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    status, out, _ = run(capsys, "delete-my-data")
    assert status == 0
    assert "Nothing of yours is left" in out
    assert json.loads(run(capsys, "history", "--json")[1])["sessions"] == []

    status, out, _ = run(capsys, "import", str(target))
    assert status == 0
    assert "1 sessions" in out or "1 session" in out
    assert len(json.loads(run(capsys, "history", "--json")[1])["sessions"]) == 1


def test_fhir_export_and_import_through_the_command_line(capsys, settings, tmp_path) -> None:
    one_session(settings)
    target = tmp_path / "record.json"
    status, _, err = run(capsys, "export", "--format", "fhir", "--output", str(target))
    assert status == 0, err
    bundle = json.loads(target.read_text())
    assert bundle["resourceType"] == "Bundle"
    status, out, _ = run(capsys, "export", "--format", "fhir")
    assert json.loads(out)["entry"] == bundle["entry"]  # same data, same entries
    before = run(capsys, "export")[1]
    assert run(capsys, "delete-my-data", "--yes")[0] == 0
    status, out, err = run(capsys, "import", str(target))
    assert status == 0, err
    assert "1 sessions" in out
    assert run(capsys, "export")[1] == before
    bundle["entry"][0]["resource"]["resourceType"] = "Medication"
    target.write_text(json.dumps(bundle))
    status, _, err = run(capsys, "import", str(target))
    assert status == 2
    assert "entry[0].resource.resourceType: 'Medication' is not a resource" in err


def test_delete_without_a_terminal_needs_yes(capsys, settings: Settings, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, err = run(capsys, "delete-my-data")
    assert status == 2
    assert "--yes" in err
    assert run(capsys, "delete-my-data", "--yes")[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "not valid JSON"), ('{"format": "x"}', "not a sirelief export")],
)
def test_import_refuses_bad_files_in_one_line(capsys, settings, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    status, _, err = run(capsys, "import", str(path))
    assert status == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    status, _, err = run(capsys, "import", str(tmp_path / "missing.json"))
    assert "no such file" in err
