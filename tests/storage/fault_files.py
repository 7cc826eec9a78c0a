"""Broken databases for the fault tests: damaged, newer, read-only, on a full disk."""

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.pool import Pool

from sirelief.storage.database import Database
from sirelief.storage.routine_store import RoutineStore
from sirelief.storage.store import Store

ROUTINE_SOURCE = """\
# kept exactly as written
id: mine
name: Mine
summary: One gentle stretch, kept to check nothing changes.
blocks:
  - id: only
    title: Only
    steps:
      - exercise: lower-trunk-rotation
"""
FUTURE_REVISION = "9999_from_the_future"


def stored_database(path: Path) -> Path:
    """A current database holding one user routine, checkpointed into the main file."""
    database = Database(f"sqlite:///{path}").ensure_current()
    RoutineStore(Store(database, clock=lambda: datetime.now(UTC))).save_routine(
        "mine", "mine.yaml", ROUTINE_SOURCE, datetime.now(UTC), False
    )
    database.close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def random_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(16 * 1024))
    return path


def truncated_database(path: Path) -> Path:
    """A real database cut short, as after a copy that stopped half way."""
    stored_database(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def newer_database(path: Path) -> Path:
    """A database whose schema revision this code has never heard of."""
    stored_database(path)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (FUTURE_REVISION,))
        connection.commit()
    return path


DAMAGED = "is not a sirelief database or is damaged; restore it from your export or backup"
NEWER = "was created by a newer sirelief"
SPOILED_FILES = ((random_file, DAMAGED), (truncated_database, DAMAGED), (newer_database, NEWER))
"""Each way a database file is spoilt, and what the person is told about it."""


def read_only_url(path: Path) -> str:
    """SQLite's own read-only mode: writes fail as on a read-only disk, even for root."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def chmod_protects(folder: Path) -> bool:
    """Whether permissions stop this process from writing (they do not for root)."""
    probe = folder / ".probe"
    try:
        probe.touch()
    except PermissionError:
        return True
    probe.unlink()
    return False


@contextlib.contextmanager
def disk_full_after(pages: int) -> Iterator[None]:
    """Every SQLite connection used meanwhile can grow its file to ``pages`` pages only,
    so a write past that fails with SQLITE_FULL, as on a full disk. The limit is set at
    each checkout from a pool, not only when a connection opens: the disk fills under a
    running app whose pool already holds connections."""

    def limit(dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(Pool, "checkout", limit)
    try:
        yield
    finally:
        event.remove(Pool, "checkout", limit)


def page_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA page_count").fetchone()[0]
