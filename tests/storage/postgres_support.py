"""PostgreSQL for tests: reach the server, make and drop a database per test."""

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

ADMIN_URL = os.environ.get(
    "SIRELIEF_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def postgres_admin_engine():
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


def fresh_postgres_url(admin: Engine, prefix: str = "sirelief_test") -> Iterator[str]:
    """A new database on ``admin``'s server, dropped when the generator is closed; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
