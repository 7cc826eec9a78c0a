"""The command line on a broken database: one line `error: ...`, exit 2, no traceback."""

from pathlib import Path

import pytest

import sirelief.catalogue
from sirelief.settings import Settings
from tests.cli.runner import run
from tests.storage.fault_files import (
    SPOILED_FILES,
    disk_full_after,
    page_count,
    read_only_url,
    stored_database,
)

BUILTIN_ROUTINES = Path(sirelief.catalogue.__file__).parent / "routines"


def database_path(settings: Settings) -> Path:
    return settings.data_dir / "sirelief.db"


def assert_one_line(status: int, out: str, err: str, expected: str) -> None:
    assert status == 2, (out, err)
    assert err.startswith("error: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err + out
    assert expected in err


@pytest.mark.parametrize(("damage", "expected"), SPOILED_FILES)
@pytest.mark.parametrize(
    "command", [["history"], ["report"], ["export"], ["db", "current"], ["db", "upgrade"]]
)
def test_a_broken_database_is_one_line_and_left_as_it_is(
    capsys, settings: Settings, damage, expected: str, command: list[str]
) -> None:
    path = damage(database_path(settings))
    before = path.read_bytes()
    assert_one_line(*run(capsys, *command), expected)
    assert path.read_bytes() == before


def test_a_read_only_database_refuses_an_import_in_one_line(
    capsys, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stored_database(tmp_path / "kept.db")
    status, exported, _ = run(capsys, "--database-url", f"sqlite:///{path}", "export")
    assert status == 0
    document = tmp_path / "export.json"
    document.write_text(exported.replace('"mine"', '"other"').replace("id: mine", "id: other"))
    before = path.read_bytes()
    status, out, err = run(capsys, "--database-url", read_only_url(path), "import", str(document))
    assert_one_line(status, out, err, "cannot write to the database at")
    assert path.read_bytes() == before


def test_a_full_disk_is_one_line(capsys, settings: Settings, tmp_path: Path) -> None:
    path = stored_database(database_path(settings))
    routine = tmp_path / "long.yaml"
    source = (BUILTIN_ROUTINES / "morning-loosen-up.yaml").read_text()
    routine.write_text(source.replace("morning-loosen-up", "long-one") + "#" * 60_000 + "\n")
    before = path.read_bytes()
    with disk_full_after(page_count(path)):
        status, out, err = run(capsys, "routines", "add", str(routine))
    assert_one_line(status, out, err, "is full; nothing was saved")
    assert path.read_bytes() == before


def test_a_server_that_does_not_answer_is_one_line(capsys) -> None:
    url = "postgresql+psycopg://someone:secret@127.0.0.1:9/sirelief?connect_timeout=5"
    status, out, err = run(capsys, "--database-url", url, "history")
    assert_one_line(status, out, err, "cannot connect to the database at")
    assert "secret" not in err
