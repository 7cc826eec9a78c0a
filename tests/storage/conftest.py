"""Every storage test runs on SQLite and on a real PostgreSQL.

PostgreSQL tests use a fresh database per test, created through
``SIRELIEF_TEST_POSTGRES_URL`` (default: the local server as user postgres). Without a
server they skip with the reason, unless ``SIRELIEF_REQUIRE_POSTGRES=1`` (as in CI), where
a missing server fails.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from sirelief.services import Library
from sirelief.settings import Settings
from sirelief.storage.database import Database

ADMIN_URL = os.environ.get(
    "SIRELIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_admin():
    try:
        engine = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        return engine
    except (OperationalError, ModuleNotFoundError) as error:
        reason = f"PostgreSQL not reachable at {ADMIN_URL}: {str(error).splitlines()[0]}"
        if os.environ.get("SIRELIEF_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (SIRELIEF_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_admin():
    engine = _postgres_admin()
    yield engine
    engine.dispose()


def fresh_postgres_url(admin) -> Iterator[str]:
    name = f"sirelief_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


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
def library(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Library:
    monkeypatch.setenv("SIRELIEF_DATA_DIR", str(tmp_path / "data"))
    library = Library(Settings(database_url=database_url))
    yield library
    library.close()
