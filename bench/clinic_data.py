"""The clinic ``bench/clinic.py`` loads: made in minutes, not hours, on PostgreSQL.

One client's history is played through the real use cases once (``bench/insights.py``'s
``generate``) and written with ``COPY`` as the first client's. Every other client's copy is
made inside PostgreSQL: one ``INSERT ... SELECT`` a table joins the template's rows with a
batch of client keys, each new id ``md5(old id || client's account id)`` (ids are 32 hex
characters; references follow the same rule, so they stay consistent without a lookup).
The largest tables lose their indexes and the foreign keys that touch them while they
fill, and get them back (built in one pass, checked in one pass) before ``VACUUM ANALYZE``.

Accounts: the coaches go through the real ``Accounts`` use case (with TOTP, which the app
asks of every coach); the clients' rows are bulk inserted with one password hash computed
once (an argon2 hash a client would cost minutes at 1,000 clients, and only sign-in reads
it). Their profiles, clinic, coach assignments and an assigned routine are what the app
reads, so they are as the use cases would leave them.
"""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
from sqlalchemy import insert, text
from support import ROOT  # noqa: F401 (puts the repository, and so tests/, on sys.path)
from tests.services.coaching_support import checked, routine_text

from insights import copy_of, generate, settings_for
from sirelief.auth.passwords import hash_password
from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.storage.database import Database
from sirelief.storage.import_check import read_export
from sirelief.storage.schema import (
    AccountRow,
    AssessmentRow,
    CheckInRow,
    CoachAssignmentRow,
    EventRow,
    MorningAnswerRow,
    NoteRow,
    PainReportRow,
    ProfileRow,
    SafetyStopRow,
    SessionRow,
)
from sirelief.storage.store import new_id

PASSWORD = "bench passphrase for a clinic 9"
CLINIC = "Riverside"
COPIED = (ProfileRow, CheckInRow, SessionRow, EventRow, AssessmentRow, PainReportRow,
          MorningAnswerRow, SafetyStopRow, NoteRow)  # fmt: skip
"""A client's history, in the order the rows may be written (references first)."""
BIG = ("checkins", "sessions", "session_events", "assessment_values", "pain_reports")
"""Tables filled without their indexes: a year is 364 sessions and 16,000 events a client."""
REMAPPED = ("id", "profile_id", "session_id", "checkin_id", "event_id")
"""Columns holding a copied row's id: every copy gets its own."""
BATCH = 25
"""Clients per INSERT ... SELECT (and per transaction)."""
JOBS = 2
"""Connections copying at once: one per core of the 2-core machine."""


@dataclass
class Clinic:
    """What was made: who signs in as whom, and how long each phase took."""

    url: str
    coach_names: list[str]
    coach_secrets: dict[str, str]
    client_ids: list[str]
    """In order: client0000 first (the template's owner)."""
    followed: dict[str, list[str]]
    """Coach name -> the client ids they follow."""
    sessions_each: int
    events_each: int
    seconds: dict[str, float] = field(default_factory=dict)


def client_name(number: int) -> str:
    return f"client{number:04d}"


def list_coaches(coaches: int, clients: int, list_size: int) -> int:
    """How many coaches follow exactly ``list_size`` clients (the lists measured)."""
    return min(coaches, clients // list_size)


def coaches_of(number: int, coaches: int, clients: int, list_size: int) -> set[int]:
    """Which coaches follow client ``number``: the first coaches follow ``list_size``
    clients each, one block each (the client lists measured); the other coaches share
    every client in turn, so each coach has someone and every client has a coach."""
    full = list_coaches(coaches, clients, list_size)
    mine = {number // list_size} if number // list_size < full else set()
    if coaches > full:
        mine.add(full + number % (coaches - full))
    return mine


def build(url: str, folder: Path, coaches: int, clients: int, days: int, list_size: int,
          clock) -> Clinic:  # fmt: skip
    """The whole clinic in the database at ``url``; ``clock`` reads a little in the past,
    so the coaches' TOTP codes used to enrol are not the ones they sign in with."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    end = clock().replace(hour=0, minute=0, second=0, microsecond=0)
    document = generate(settings_for(folder / "gen"), days, 0, end)
    model = read_export(json.dumps(document))
    seconds["generate_template"] = time.perf_counter() - started

    started = time.perf_counter()
    services = Services(settings_for(folder / "pg", url), clock)
    accounts = services.accounts
    accounts.setup("root", PASSWORD)
    accounts.add_clinic(CLINIC)
    coach_names = [f"coach{n:02d}" for n in range(coaches)]
    secrets = {}
    for name in coach_names:
        accounts.add_user(Role.COACH, name, PASSWORD, clinic=CLINIC)
        secrets[name] = pyotp.random_base32()
        accounts.enrol_totp(name, secrets[name], pyotp.TOTP(secrets[name]).at(clock()))
    seconds["coaches"] = time.perf_counter() - started

    started = time.perf_counter()
    coach_ids = {a.user_name: a.id for a in accounts.list_users() if a.role is Role.COACH}
    clinic_id = accounts.store.clinic_named(CLINIC).id
    client_ids = [new_id() for _ in range(clients)]
    one_hash = hash_password(PASSWORD)
    followed: dict[str, list[str]] = {name: [] for name in coach_names}
    with services.database.write() as tx:
        tx.execute(insert(AccountRow), [{
            "id": account_id, "user_name": client_name(n), "display_name": client_name(n),
            "role": Role.CLIENT.value, "clinic_id": clinic_id, "password_hash": one_hash,
            "created_at": clock(), "profile_id": None,
        } for n, account_id in enumerate(client_ids)])  # fmt: skip
        pairs = []
        for n, account_id in enumerate(client_ids):
            for coach in sorted(coaches_of(n, coaches, clients, list_size)):
                pairs.append({"coach_id": coach_ids[coach_names[coach]], "client_id": account_id})
                followed[coach_names[coach]].append(account_id)
        tx.execute(insert(CoachAssignmentRow), pairs)
    seconds["client_accounts"] = time.perf_counter() - started

    started = time.perf_counter()
    template = copy_of(model)
    template_profile = template[ProfileRow][0]["id"]
    database = services.database
    raw = database.engine.raw_connection()
    try:
        for table in COPIED:
            if template[table]:
                copy_rows(raw.driver_connection, table, template[table])
        raw.driver_connection.commit()
    finally:
        raw.close()
    with database.write() as tx:
        tx.execute(text("UPDATE accounts SET profile_id = :p WHERE id = :a"),
                   {"p": template_profile, "a": client_ids[0]})  # fmt: skip
    assign_routine(services, coach_ids[coach_names[0]], client_ids[0], end)
    seconds["template"] = time.perf_counter() - started
    services.close()

    copies = client_ids[1:]
    seconds |= copy_clinic(url, template_profile, client_ids[0], copies)
    started = time.perf_counter()
    sessions_each, events_each = check_copies(url, clients)
    check_insights(settings_for(folder / "pg", url), clock, client_ids[0], client_ids[-1])
    seconds["check_copies"] = time.perf_counter() - started
    return Clinic(url, coach_names, secrets, client_ids, followed, sessions_each,
                  events_each, {k: round(v, 1) for k, v in seconds.items()})  # fmt: skip


def assign_routine(services: Services, coach_id: str, client_id: str, end: datetime) -> None:
    """A Monday-Wednesday-Friday routine assigned 60 days before ``end`` (the client list
    reads adherence to it), through the use case; copied for the others in SQL."""
    (coach,) = services.accounts.accounts_with_ids([coach_id])
    actor = Actor(coach.id, Role.COACH, coach.clinic_id, frozenset([client_id]), None)
    template = services.coaching.upload(actor, checked(services, routine_text()))
    clock = services.coaching.clock
    services.coaching.clock = lambda: end - timedelta(days=60)
    services.coaching.assign(actor, client_id, template.template_id, None,
                             ["mon", "wed", "fri"], "morning")  # fmt: skip
    services.coaching.clock = clock


def as_copied(value):
    """JSON columns (a dict or list in the row) go to COPY as their JSON text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def copy_rows(connection, table, rows: list[dict]) -> None:
    """``rows`` (attribute names as keys, as ``copy_of`` makes them) written with COPY;
    keys the database makes itself (``assessment_values.id``) are left out."""
    columns = [c for c in table.__table__.columns if c.key in rows[0]]
    names = ", ".join(f'"{column.name}"' for column in columns)
    with connection.cursor() as cursor, cursor.copy(
        f'COPY "{table.__tablename__}" ({names}) FROM STDIN'
    ) as copy:  # fmt: skip
        for row in rows:
            copy.write_row([as_copied(row.get(column.key)) for column in columns])


def copy_statement(table) -> str:
    """INSERT ... SELECT of the template's rows of ``table`` once per key in ``:keys``."""
    names, values = [], []
    for column in table.__table__.columns:
        if column.autoincrement is True and column.primary_key:
            continue  # a serial key: the database numbers the copies
        names.append(f'"{column.name}"')
        if column.name in REMAPPED:
            values.append(f"md5(t.{column.name} || k.key)")
        elif table is EventRow and column.name == "event":
            values.append("jsonb_set(t.event::jsonb, '{id}', to_jsonb(md5(t.id || k.key)))::json")
        else:
            values.append(f't."{column.name}"')
    name = table.__tablename__
    return (
        f'INSERT INTO "{name}" ({", ".join(names)}) SELECT {", ".join(values)} '
        f'FROM bench_template."{name}" t CROSS JOIN unnest(CAST(:keys AS text[])) AS k(key)'
    )


def template_rows(table) -> str:
    """The template's rows of ``table``, kept aside in the ``bench_template`` schema: the
    copies read them there, not from tables growing (without indexes) to millions of rows."""
    name = table.__tablename__
    if table is ProfileRow:
        template = "id = :profile"
    elif "profile_id" in table.__table__.columns:
        template = "profile_id = :profile"
    else:
        template = "session_id IN (SELECT id FROM sessions WHERE profile_id = :profile)"
    return f'CREATE TABLE bench_template."{name}" AS SELECT * FROM "{name}" WHERE {template}'


def copy_clinic(url: str, profile: str, owner: str, keys: list[str]) -> dict[str, float]:
    """Every client in ``keys`` gets a copy of ``profile``'s history (and of ``owner``'s
    routine assignment); the seconds each phase took."""
    seconds = {}
    database = Database(url)
    statements = [text(copy_statement(table)) for table in COPIED]
    started = time.perf_counter()
    with database.engine.connect() as connection:
        connection.execute(text("CREATE SCHEMA bench_template"))
        for table in COPIED:
            connection.execute(text(template_rows(table)), {"profile": profile})
        dropped = drop_indexes(connection)
        connection.commit()
    seconds["drop_indexes"] = time.perf_counter() - started

    def copy_batch(batch: list[str]) -> None:
        with database.engine.connect() as connection:
            connection.execute(text("SET synchronous_commit = off"))
            for statement in statements:
                connection.execute(statement, {"keys": batch})
            connection.execute(text(ASSIGNMENT_COPY), {"owner": owner, "keys": batch})
            connection.execute(text(
                "UPDATE accounts SET profile_id = md5(:profile || id) WHERE id = ANY(:keys)"
            ), {"profile": profile, "keys": batch})  # fmt: skip
            connection.commit()

    started = time.perf_counter()
    batches = [keys[first : first + BATCH] for first in range(0, len(keys), BATCH)]
    with ThreadPoolExecutor(JOBS) as pool:
        for done, _ in enumerate(pool.map(copy_batch, batches), start=1):
            if done % 4 == 0 or done == len(batches):
                print(f"  {min(done * BATCH, len(keys))} of {len(keys)} clients copied "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
    seconds["copy_histories"] = time.perf_counter() - started

    started = time.perf_counter()
    with database.engine.connect() as connection:
        connection.execute(text("DROP SCHEMA bench_template CASCADE"))
        connection.commit()
    restore_indexes(database, dropped)
    seconds["restore_indexes"] = time.perf_counter() - started
    started = time.perf_counter()
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    seconds["vacuum_analyze"] = time.perf_counter() - started
    database.close()
    return seconds


ASSIGNMENT_COPY = """
INSERT INTO routine_assignments (id, client_id, coach_id, coach_name, version_id, version,
    routine_id, name, file_name, source, schedule, note, assigned_at, ended_at)
SELECT md5(a.id || k.key), k.key, coach.id, coach.display_name, a.version_id, a.version,
    a.routine_id, a.name, a.file_name, a.source, a.schedule, a.note, a.assigned_at, a.ended_at
FROM routine_assignments a CROSS JOIN unnest(CAST(:keys AS text[])) AS k(key)
JOIN accounts coach ON coach.id =
    (SELECT min(c.coach_id) FROM coach_assignments c WHERE c.client_id = k.key)
WHERE a.client_id = :owner
"""
"""The routine assigned to the template's owner, assigned to each copy by one of its coaches."""


@dataclass
class Dropped:
    """What ``drop_indexes`` took away, as the statements that put it back, in order."""

    indexes: list[str]
    constraints: list[str]
    foreign_keys: list[tuple[str, str, str]]
    """(table, name, definition)."""


def drop_indexes(connection) -> Dropped:
    """Drop the indexes of the ``BIG`` tables, their keys and every foreign key from or
    to them (a key that is referenced cannot go before the reference)."""
    big = ", ".join(f"'{name}'::regclass" for name in BIG)
    keys = connection.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND (conrelid IN ({big}) OR confrelid IN ({big}))"
    )).all()  # fmt: skip
    constraints = connection.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype IN ('p', 'u') AND conrelid IN ({big})"
    )).all()  # fmt: skip
    indexes = connection.execute(text(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        f"WHERE i.indrelid IN ({big}) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    )).all()  # fmt: skip
    for table, name, _ in [*keys, *constraints]:
        connection.execute(text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    for name, _ in indexes:
        connection.execute(text(f"DROP INDEX {name}"))
    return Dropped(
        [definition for _, definition in indexes],
        [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in constraints],
        [tuple(key) for key in keys],
    )


def restore_indexes(database: Database, dropped: Dropped) -> None:
    """Indexes and keys built again, two at a time (one a core); then the foreign keys:
    added unchecked (at once), then each checked against its whole table, two at a time
    (``VALIDATE`` locks less than adding a checked key, so two can run side by side)."""

    def run(statement: str) -> None:
        started = time.perf_counter()
        with database.engine.connect() as connection:
            connection.execute(text("SET maintenance_work_mem = '1GB'"))
            connection.execute(text(statement))
            connection.commit()
        print(f"  {time.perf_counter() - started:5.1f} s  {statement[:90]}", flush=True)

    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(run, dropped.indexes + dropped.constraints))
    for table, name, definition in dropped.foreign_keys:
        run(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
    with ThreadPoolExecutor(JOBS) as pool:
        list(pool.map(run, [f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"'
                            for table, name, _ in dropped.foreign_keys]))  # fmt: skip


def check_copies(url: str, clients: int) -> tuple[int, int]:
    """Every client holds the template's sessions and events (else a ``RuntimeError``);
    the sessions and events a client holds."""
    database = Database(url)
    with database.engine.connect() as connection:
        sessions = dict(connection.execute(text(
            "SELECT a.id, count(*) FROM accounts a JOIN sessions s ON s.profile_id = a.profile_id "
            "WHERE a.role = 'client' GROUP BY a.id"
        )).all())  # fmt: skip
        events = dict(connection.execute(text(
            "SELECT a.id, count(*) FROM accounts a JOIN sessions s ON s.profile_id = a.profile_id "
            "JOIN session_events e ON e.session_id = s.id WHERE a.role = 'client' GROUP BY a.id"
        )).all())  # fmt: skip
        wrong_ids = connection.execute(text(
            "SELECT count(*) FROM session_events WHERE event->>'id' <> id"
        )).scalar_one()  # fmt: skip
    database.close()
    if wrong_ids:
        raise RuntimeError(f"{wrong_ids} events whose JSON holds another id than their row")
    shapes = {(sessions[key], events.get(key)) for key in sessions}
    if len(sessions) != clients or len(shapes) != 1:
        raise RuntimeError(f"copies differ: {len(sessions)} clients, shapes {sorted(shapes)[:5]}")
    return shapes.pop()


def check_insights(settings, clock, template: str, copy: str) -> None:
    """A copied client's 12-week insights, read through the use case, are the template's
    (but for the sessions' ids)."""
    services = Services(settings, clock)
    found = []
    for account in services.accounts.accounts_with_ids([template, copy]):
        found.append(services.for_profile(account.profile_id).data.insights(12))
    services.close()
    shown = [re.sub("[0-9a-f]{32}", "<id>", repr(insights)) for insights in found]
    if len(found) != 2 or shown[0] != shown[1] or not found[0].sessions:
        raise RuntimeError("a copied client's insights differ from the template's")
