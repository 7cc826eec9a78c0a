"""Database faults as one line each: what is wrong with the data and what the person can do.

SQLAlchemy, sqlite3 and psycopg report a damaged file, a full disk or a server that is not
there in their own words (and with a traceback). The adapters show ``DatabaseError``
messages as they are, so each subclass here names the problem and the fix in plain words.
"""

import errno

from sqlalchemy import exc

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26
SQLITE_READONLY = 8
SQLITE_PERM = 3
SQLITE_AUTH = 23
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_IOERR = 10

POSTGRES_DISK_FULL = "53100"
POSTGRES_READ_ONLY = "25006"
POSTGRES_NO_PRIVILEGE = "42501"

ELSEWHERE = "set SIRELIEF_DATA_DIR to a folder you can write to"
"""The way out whenever the data's folder cannot be used: keep the data in another one."""


class DatabaseError(Exception):
    """The database cannot be opened or used; the message says what to do."""

    title = "Your data cannot be opened"


class CorruptDatabaseError(DatabaseError):
    """The file is not a SQLite database, or its pages are damaged."""


class NewerDatabaseError(DatabaseError):
    """The schema was migrated by a later sirelief than this one."""


class ReadOnlyDatabaseError(DatabaseError):
    """The file, its folder or the account cannot be written to."""

    title = "Your data cannot be saved"


class DiskFullError(DatabaseError):
    """No space left where the data lives."""

    title = "Your data cannot be saved"


class UnreachableDatabaseError(DatabaseError):
    """A database server that does not answer, or refuses the connection."""


def corrupt(where: str) -> CorruptDatabaseError:
    return CorruptDatabaseError(
        f"{where} is not a sirelief database or is damaged; restore it from your export or "
        "backup, or move it aside so sirelief starts a new one"
    )


def newer(where: str, revision: str) -> NewerDatabaseError:
    return NewerDatabaseError(
        f"the database at {where} was created by a newer sirelief (schema {revision}); "
        "update sirelief to open it"
    )


def read_only(where: str) -> ReadOnlyDatabaseError:
    return ReadOnlyDatabaseError(
        f"cannot write to the database at {where}: the file or its folder is read-only or "
        f"not yours; make it writable, or {ELSEWHERE}"
    )


def disk_full(where: str) -> DiskFullError:
    return DiskFullError(
        f"the disk holding the database at {where} is full; nothing was saved: free some "
        "space and try again"
    )


def cannot_open(where: str) -> ReadOnlyDatabaseError:
    return ReadOnlyDatabaseError(
        f"cannot open or create the database file at {where}: check that its folder exists "
        f"and is writable, or {ELSEWHERE}"
    )


def unreachable(where: str, reason: str) -> UnreachableDatabaseError:
    return UnreachableDatabaseError(
        f"cannot connect to the database at {where} ({reason}); check that the server is "
        "running and that SIRELIEF_DATABASE_URL has the right host, port, user and password"
    )


def translate(error: BaseException, where: str) -> DatabaseError | None:
    """The ``DatabaseError`` for a known fault, or None for anything else (left as it is)."""
    if isinstance(error, DatabaseError):
        return error
    if isinstance(error, OSError):
        return _from_os_error(error, where)
    if not isinstance(error, exc.DBAPIError):
        return None
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return _from_sqlite(code & 0xFF, where)
    if _is_psycopg(original):
        return _from_postgres(error, original, where)
    return None


def _from_sqlite(code: int, where: str) -> DatabaseError | None:
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return corrupt(where)
    if code in (SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH):
        return read_only(where)
    if code == SQLITE_FULL:
        return disk_full(where)
    if code == SQLITE_CANTOPEN:
        return cannot_open(where)
    if code == SQLITE_IOERR:
        return DatabaseError(
            f"the disk holding the database at {where} reported a read or write error; "
            "check the disk, then restore from your export or backup if it persists"
        )
    return None


def _from_postgres(error: exc.DBAPIError, original: BaseException, where: str):
    state = getattr(original, "sqlstate", None)
    if state == POSTGRES_DISK_FULL:
        return disk_full(where)
    if state in (POSTGRES_READ_ONLY, POSTGRES_NO_PRIVILEGE):
        return read_only(where)
    if isinstance(error, exc.OperationalError) and (state is None or state.startswith("08")):
        return unreachable(where, _first_line(original))
    return None


def _from_os_error(error: OSError, where: str) -> DatabaseError:
    if error.errno == errno.ENOSPC:
        return disk_full(where)
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return read_only(where)
    reason = error.strerror or str(error)
    return DatabaseError(
        f"cannot use the folder for the database at {where} ({reason}); {ELSEWHERE}"
    )


def _is_psycopg(original: BaseException) -> bool:
    return type(original).__module__.startswith("psycopg")


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else type(error).__name__
