"""``sirelief demo`` and ``sirelief serve --demo`` (no server is started)."""

import json
from pathlib import Path

import pytest
import uvicorn

from sirelief.cli import serve as serve_command
from sirelief.services import Services
from sirelief.services.demo import demo_session_ids, demo_settings, fill_demo
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.clock import MovableClock
from tests.demo.test_fill import real_session


def test_demo_writes_and_says_where(capsys, settings: Settings) -> None:
    status, out, err = run(capsys, "demo", "--weeks", "2", "--seed", "4")
    assert status == 0, err
    assert str(settings.data_dir / "sirelief.db") in out
    assert "made-up" in out
    assert "seed 4" in out
    status, out, _ = run(capsys, "history", "--json")
    sessions = json.loads(out)["sessions"]
    assert len(sessions) >= 2
    library = Services(settings, MovableClock())
    assert demo_session_ids(library) == {s["id"] for s in sessions}
    library.close()


def test_demo_refuses_your_own_sessions_until_forced(capsys, settings: Settings) -> None:
    library = Services(settings, MovableClock())
    real_session(library)
    library.close()
    status, out, err = run(capsys, "demo", "--weeks", "1")
    assert status == 2
    assert out == ""
    assert err.startswith("error: nothing written")
    assert "--force" in err
    assert len(err.strip().splitlines()) == 1
    status, out, err = run(capsys, "demo", "--weeks", "1", "--force")
    assert status == 0, err
    assert "Wrote 1 week" in out


@pytest.mark.parametrize(
    "args", [("--weeks", "0"), ("--weeks", "105"), ("--seed", "-1"), ("--scenario", "awful")]
)
def test_demo_checks_its_options(capsys, settings: Settings, args) -> None:
    status, _, err = run(capsys, "demo", *args)
    assert status == 2
    assert err.startswith("error: ")
    assert not (settings.data_dir / "sirelief.db").exists()


def test_demo_help_has_an_example(capsys) -> None:
    status, out, _ = run(capsys, "demo", "--help")
    assert status == 0
    assert "Example: sirelief" in out
    for option in ("--weeks", "--seed", "--force"):
        assert option in out


def test_demo_settings_are_a_separate_sqlite_folder(tmp_path: Path) -> None:
    own = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://me@clinic/sirelief")
    demo = demo_settings(own)
    assert demo.data_dir == tmp_path / "demo"
    assert demo.database_url is None
    assert demo.database_location == f"sqlite:///{tmp_path / 'demo' / 'sirelief.db'}"
    assert own.database_url is not None  # the person's settings are untouched


def test_serve_demo_fills_and_serves_the_demo_database(
    capsys, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(options))
    monkeypatch.setattr(serve_command, "fill_demo", lambda library: fill_demo(library, weeks=1))
    # The person's database is a server that is not there: --demo must never touch it.
    nowhere = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    status, out, err = run(capsys, "--database-url", nowhere, "serve", "--demo", "--no-browser")
    assert status == 0, err
    assert len(served) == 1
    demo_db = settings.data_dir / "demo" / "sirelief.db"
    assert f"made-up data, not yours, kept apart from yours in {demo_db}" in out
    assert f"(data: {demo_db})" in out
    assert not (settings.data_dir / "sirelief.db").exists()
    library = Services(demo_settings(settings), MovableClock())
    count = len(library.session_log.sessions())
    assert count >= 1
    status, out, _ = run(capsys, "serve", "--demo", "--no-browser")
    assert status == 0
    assert "Writing" not in out  # filled once, then reused
    assert len(library.session_log.sessions()) == count
    library.close()


def test_serve_help_says_demo_ignores_the_database_url(capsys) -> None:
    status, out, _ = run(capsys, "serve", "--help")
    assert status == 0
    assert "--demo" in out
    assert "--database-url" in out.split("--demo", 1)[1]
