"""Database faults end as one line naming the problem and the fix; nothing stored changes."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sirelief.storage import faults
from sirelief.storage.database import Database
from sirelief.storage.faults import (
    CorruptDatabaseError,
    DatabaseError,
    DiskFullError,
    NewerDatabaseError,
    ReadOnlyDatabaseError,
    UnreachableDatabaseError,
)
from sirelief.storage.routine_store import RoutineStore
from sirelief.storage.store import Store
from tests.storage.fault_files import (
    FUTURE_REVISION,
    ROUTINE_SOURCE,
    chmod_protects,
    disk_full_after,
    newer_database,
    page_count,
    random_file,
    read_only_url,
    stored_database,
    truncated_database,
)


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message
    assert "Traceback" not in message
    assert "sqlalche.me" not in message
    return message


@pytest.mark.parametrize("damage", [random_file, truncated_database])
def test_a_damaged_file_is_named_and_left_as_it_is(tmp_path: Path, damage) -> None:
    path = damage(tmp_path / "sirelief.db")
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError) as error:
        Database(f"sqlite:///{path}").ensure_current()
    message = one_line(error)
    assert str(path) in message
    assert "not a sirelief database or is damaged" in message
    assert "restore it from your export or backup, or move it aside" in message
    assert path.read_bytes() == before


def test_a_database_from_a_newer_sirelief_is_refused_before_any_migration(
    tmp_path: Path,
) -> None:
    path = newer_database(tmp_path / "sirelief.db")
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError) as error:
        Database(f"sqlite:///{path}").ensure_current()
    message = one_line(error)
    assert "created by a newer sirelief" in message
    assert FUTURE_REVISION in message
    assert "update sirelief" in message
    assert path.read_bytes() == before


def test_a_read_only_database_refuses_writes_and_keeps_what_it_holds(tmp_path: Path) -> None:
    path = stored_database(tmp_path / "sirelief.db")
    before = path.read_bytes()
    try:
        database = Database(read_only_url(path)).ensure_current()
        routines = RoutineStore(Store(database, clock=lambda: datetime.now(UTC)))
        assert [row.source for row in routines.routines()] == [ROUTINE_SOURCE]
        with pytest.raises(ReadOnlyDatabaseError) as error:
            routines.save_routine("other", "other.yaml", "x: 1\n", datetime.now(UTC), False)
        database.close()
    except ReadOnlyDatabaseError as opening:  # SQLite may refuse even to open it for WAL
        message = str(opening)
    else:
        message = one_line(error)
    assert f"cannot write to the database at {path}" in message
    assert "make it writable, or set SIRELIEF_DATA_DIR" in message
    assert path.read_bytes() == before


def test_a_read_only_folder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if not chmod_protects(folder):
            pytest.skip("permissions do not stop this user (root); see the read-only URL test")
        with pytest.raises(ReadOnlyDatabaseError) as error:
            Database(f"sqlite:///{folder / 'data' / 'sirelief.db'}").ensure_current()
        assert "make it writable, or set SIRELIEF_DATA_DIR" in one_line(error)
    finally:
        folder.chmod(0o700)


def test_a_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(DatabaseError, match="set SIRELIEF_DATA_DIR to a folder") as error:
        Database(f"sqlite:///{tmp_path / 'data' / 'sirelief.db'}").ensure_current()
    one_line(error)


def test_a_full_disk_saves_nothing_and_keeps_what_was_stored(tmp_path: Path) -> None:
    path = stored_database(tmp_path / "sirelief.db")
    before = path.read_bytes()
    with disk_full_after(page_count(path)):
        database = Database(f"sqlite:///{path}").ensure_current()
        routines = RoutineStore(Store(database, clock=lambda: datetime.now(UTC)))
        big = "# padding\n" * 50_000
        with pytest.raises(DiskFullError) as error:
            routines.save_routine("big", "big.yaml", big, datetime.now(UTC), False)
        assert [row.routine_id for row in routines.routines()] == ["mine"]
        database.close()
    message = one_line(error)
    assert "is full; nothing was saved: free some space and try again" in message
    assert path.read_bytes() == before


def test_a_server_that_does_not_answer_is_named_without_the_password() -> None:
    url = "postgresql+psycopg://sirelief:secret@127.0.0.1:9/sirelief?connect_timeout=5"
    with pytest.raises(UnreachableDatabaseError) as error:
        Database(url).ensure_current()
    message = one_line(error)
    assert "cannot connect to the database at postgresql+psycopg://sirelief:***@127.0.0.1:9" in (
        message
    )
    assert "secret" not in message
    assert "check that the server is running" in message


def test_other_errors_are_left_as_they_are() -> None:
    assert faults.translate(ValueError("x"), "here") is None
