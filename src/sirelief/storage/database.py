"""Opening the database: SQLite by default, PostgreSQL through a URL, same code on both.

SQLite is tuned for health records on one machine: WAL (readers never block the writer),
``synchronous=FULL`` (a committed write survives power loss), foreign keys on, and every
write transaction started with ``BEGIN IMMEDIATE`` behind an in-process lock and a long
busy timeout, so writers queue instead of failing with "database is locked".
"""

import contextlib
import fcntl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import ARRAY, ColumnElement, Engine, any_, bindparam, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sirelief.storage import faults
from sirelief.storage.faults import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 60_000
"""How long a SQLite writer waits for another process's write to finish."""
IDLE_PING_S = 10.0
"""A PostgreSQL connection idle in the pool longer than this is pinged before use (the
server may have restarted meanwhile); one in steady use is not: a ping per transaction
was a round trip on every request."""
MIGRATIONS = Path(__file__).with_name("migrations") / "versions"
"""One file per migration, named after its revision (``0016_too_much_index.py`` is
revision ``0016``; tests/storage/test_migrations.py holds every file to it)."""
IN_LIST_SIZE = 500
"""Ids per IN list when a query names many rows (SQLite allows 32,766 bound values)."""

Transaction = Session
"""One open transaction (SQLAlchemy calls it a ``Session``; here a session is always an
exercise session, and code names a transaction ``tx``)."""


def in_lists(ids: list[str]) -> Iterator[list[str]]:
    """Ids in groups small enough for one IN list on any database."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]


def one_of(column: ColumnElement, ids: list[str], dialect: str) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL ``column = ANY(:ids)``, one array parameter: a
    statement with hundreds of placeholders is longer than psycopg keeps parsed, so it
    would be parsed again on every run (a coach's list of 200 clients, issue 21)."""
    if dialect == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(column.type)))
    return column.in_(ids)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("sirelief_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _ping_when_idle(engine: Engine) -> None:
    """Pre-ping, but only connections idle for ``IDLE_PING_S``: a dead one is replaced
    (the pool retries on ``DisconnectionError``) before a request meets it."""

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record) -> None:
        record.info["sirelief_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("sirelief_idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_S:
            return  # new, or back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(str(error)) from error


def newest_revision() -> str | None:
    """The head revision, from the migrations' file names (no Alembic import)."""
    names = (path.name.split("_", 1)[0] for path in MIGRATIONS.glob("[0-9]*_*.py"))
    return max(names, default=None)


class Database:
    """One database, its engine and its two kinds of transaction (read and write)."""

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except ArgumentError:
            raise DatabaseError(
                f"database URL '{url}' is not valid; use for example "
                "sqlite:///path/to/sirelief.db or postgresql+psycopg://user@host/dbname"
            ) from None
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite and self.path is not None:
            with self._faults():
                self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            self.engine = create_engine(self.url)
        except ModuleNotFoundError as missing:
            raise DatabaseError(
                f"the driver for {self.url.drivername} is not installed ({missing.name}); "
                "for PostgreSQL install sirelief[postgresql]"
            ) from None
        except NoSuchModuleError:
            raise DatabaseError(
                f"database URL '{url}': unknown kind of database '{self.url.drivername}'; "
                "use sqlite:///path/to/sirelief.db or postgresql+psycopg://user@host/dbname"
            ) from None
        if self.is_sqlite:
            _tune_sqlite(self.engine)
        else:
            _ping_when_idle(self.engine)
        self._write_engine = self.engine.execution_options(sirelief_write=True)
        self._new_read_tx = sessionmaker(self._read_engine(), expire_on_commit=False)
        self._new_write_tx = sessionmaker(self._write_engine, expire_on_commit=False)
        self._write_lock = threading.Lock() if self.is_sqlite else contextlib.nullcontext()

    def _read_engine(self) -> Engine:
        """Reads on PostgreSQL run without BEGIN and COMMIT: at its READ COMMITTED level
        each statement sees its own snapshot inside a transaction too, so the two were two
        round trips a read that bought nothing. SQLite keeps its read transaction (one
        snapshot for the whole read, and no round trips to save)."""
        if self.is_sqlite:
            return self.engine
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database or an in-memory one."""
        name = self.url.database
        if not self.is_sqlite or name in (None, "", ":memory:"):
            return None
        if name.startswith("file:"):  # a URI filename (sqlite:///file:/path?mode=ro&uri=true)
            return Path(name.removeprefix("file:").split("?", 1)[0])
        return Path(name)

    def describe(self) -> str:
        """Where the data is, without any password."""
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    @contextlib.contextmanager
    def _faults(self) -> Iterator[None]:
        """Known faults (damaged file, full disk, read-only folder...) become one line."""
        try:
            yield
        except (OSError, SQLAlchemyError) as error:
            translated = faults.translate(error, self.describe())
            if translated is None:
                raise
            raise translated from None

    # --- transactions ------------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Transaction]:
        with self._faults(), self._new_read_tx() as tx, tx.begin():
            yield tx

    @contextlib.contextmanager
    def write(self) -> Iterator[Transaction]:
        """One write transaction: committed (and on disk) when the block ends, else undone."""
        with self._faults(), self._write_lock, self._new_write_tx() as tx, tx.begin():
            yield tx

    # --- migrations --------------------------------------------------------------------
    # Alembic is imported only to read or change the schema: a database already at the
    # newest revision is recognised without it (``ensure_current``), since importing it
    # costs a short command's start about 0.1-0.3 s of CPU (issue 21).
    def _alembic_config(self) -> "Config":
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "sirelief.storage:migrations")
        return config

    def head(self) -> str | None:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config()).get_current_head()

    def current(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        from alembic import command

        self._migrate(command.upgrade, revision)

    def downgrade(self, revision: str) -> None:
        """Back to an older schema (what a migration's downgrade is tested with)."""
        from alembic import command

        self._migrate(command.downgrade, revision)

    def _migrate(self, step, revision: str) -> None:
        config = self._alembic_config()
        with self._migration_lock(), self._write_engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    def known_revisions(self) -> set[str]:
        from alembic.script import ScriptDirectory

        scripts = ScriptDirectory.from_config(self._alembic_config())
        return {script.revision for script in scripts.walk_revisions()}

    def ensure_current(self) -> "Database":
        """Create or migrate on first use, so there is nothing to set up by hand.

        A schema this code does not know was written by a newer sirelief: refused before
        any migration runs, so the file stays exactly as the newer version left it.
        """
        if self._stored_revision() == newest_revision():
            return self
        with self._faults():
            current = self.current()
            if current is not None and current not in self.known_revisions():
                raise faults.newer(self.describe(), current)
            if current != self.head():
                self.upgrade()
        return self

    def _stored_revision(self) -> str | None:
        """The one revision ``alembic_version`` holds, read with one SELECT; None when
        it cannot be read (no such table yet, a damaged file: Alembic's way then says)."""
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(text("SELECT version_num FROM alembic_version"))
                revisions = rows.scalars().all()
        except SQLAlchemyError:
            return None
        return revisions[0] if len(revisions) == 1 else None

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[None]:
        """Two processes starting at once must not both create the tables."""
        if self.path is None:
            yield
            return
        lock_path = self.path.with_name(self.path.name + ".migrate-lock")
        with lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- checks ------------------------------------------------------------------------
    def integrity_check(self) -> str:
        """SQLite's own check ("ok" when sound); PostgreSQL checks itself, so "ok"."""
        if not self.is_sqlite:
            return "ok"
        with self._faults(), self.engine.connect() as connection:
            rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
        return "; ".join(rows)

    def close(self) -> None:
        self.engine.dispose()
