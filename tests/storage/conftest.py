"""Every storage test runs on SQLite and on a real PostgreSQL.

PostgreSQL tests use a fresh database per test, created through
``SIRELIEF_TEST_POSTGRES_URL`` (default: the local server as user postgres). Without a
server they skip with the reason, unless ``SIRELIEF_REQUIRE_POSTGRES=1`` (as in CI), where
a missing server fails.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.database import Database
from tests.clock import MovableClock
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine


@pytest.fixture(scope="session")
def postgres_admin():
    engine = postgres_admin_engine()
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sirelief.db'}"
    else:
        yield from fresh_postgres_url(request.getfixturevalue("postgres_admin"))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    database = Database(database_url).ensure_current()
    yield database
    database.close()


@pytest.fixture
def library(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("SIRELIEF_DATA_DIR", str(tmp_path / "data"))
    library = Services(Settings(database_url=database_url), MovableClock())
    yield library
    library.close()
