"""A whole clinic on PostgreSQL under a mixed load (issue 21 item 4): SKELETON.

Made: one clinic with ``--coaches`` coaches and ``--clients`` clients shared out among
them, each client with ``--days`` of daily sessions. One person's history is played
through the real use cases once (``bench/insights.py``'s ``generate``), then copied for
every client with new ids and written with PostgreSQL ``COPY`` (the history is most of
the rows: a year is about 16,000 events a client). Accounts go through the real
``Accounts`` use case, since each needs a password hash.

Load: ``--operations`` use-case calls in process, drawn at random in a fixed mix (a
coach's client list, a client's dashboard, a client's own 12-week insights), with the
latency of each kind (p50, p95, max) and the statements sent.

What a quiet-machine run still needs (the skeleton stops here): the defaults (20 coaches,
1,000 clients, 365 days: about 16 million events, so COPY matters, and about an hour of
generation and copying); HTTP-level load through ``sirelief serve --workers N`` with
signed-in coaches (TOTP) and wrk, as ``bench/server.py`` does for the session page; and
several concurrent readers, where this runs them one after another.

Run: .venv/bin/python bench/clinic.py [--coaches 20] [--clients 1000] [--days 365]
     [--operations 200]     (tiny proof: --coaches 2 --clients 6 --days 10 --operations 20)
Figures: bench/results/clinic.json
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from support import percentile, postgres_database, write_results
from tests.clock import MovableClock

from insights import copy_of, generate, settings_for
from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.storage.import_check import read_export
from sirelief.storage.schema import AccountRow, ProfileRow

PASSWORD = "bench passphrase for a clinic 9"
MIX = (("client_list", 0.5), ("dashboard", 0.35), ("own_insights", 0.15))
"""Share of each kind of call in the load."""


def as_copied(value):
    """JSON columns (a dict or list in the row) go to COPY as their JSON text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def copy_rows(connection, table, rows: list[dict]) -> None:
    """``rows`` (attribute names as keys, as ``copy_of`` makes them) written with COPY."""
    columns = [
        c for c in table.__table__.columns if c.key in rows[0]
    ]  # ids made by the server left out
    names = ", ".join(f'"{column.name}"' for column in columns)
    with connection.cursor() as cursor, cursor.copy(
        f'COPY "{table.__tablename__}" ({names}) FROM STDIN'
    ) as copy:  # fmt: skip
        for row in rows:
            copy.write_row([as_copied(row.get(column.key)) for column in columns])


def populate(url: str, folder: Path, coaches: int, clients: int, days: int, clock) -> dict:
    end = clock().replace(hour=0, minute=0, second=0, microsecond=0)
    started = time.perf_counter()
    document = generate(settings_for(folder / "gen"), days, 0, end)
    model = read_export(json.dumps(document))
    generated_s = time.perf_counter() - started
    services = Services(settings_for(folder / "pg", url), clock)
    accounts = services.accounts
    accounts.setup("root", PASSWORD)
    accounts.add_clinic("Riverside")
    coach_names = [f"coach{n:02d}" for n in range(coaches)]
    for name in coach_names:
        accounts.add_user(Role.COACH, name, PASSWORD, clinic="Riverside")
    started = time.perf_counter()
    client_ids = []
    followed: dict[str, list[str]] = {name: [] for name in coach_names}
    for number in range(clients):
        name = f"client{number:04d}"
        client_ids.append(accounts.add_user(Role.CLIENT, name, PASSWORD, clinic="Riverside").id)
        accounts.assign(coach_names[number % coaches], name)
        followed[coach_names[number % coaches]].append(client_ids[-1])
    accounts_s = time.perf_counter() - started
    started = time.perf_counter()
    raw = services.database.engine.raw_connection()
    try:
        for client_id in client_ids:
            rows = copy_of(model)
            for table, table_rows in rows.items():
                if table_rows:
                    copy_rows(raw.driver_connection, table, table_rows)
            profile = rows[ProfileRow][0]["id"]
            with raw.driver_connection.cursor() as cursor:
                statement = update(AccountRow).where(AccountRow.id == client_id)
                compiled = statement.values(profile_id=profile).compile(
                    dialect=services.database.engine.dialect
                )
                cursor.execute(str(compiled), compiled.params)
        raw.driver_connection.commit()
    finally:
        raw.close()
    copied_s = time.perf_counter() - started
    services.close()
    return {"settings": settings_for(folder / "pg", url), "client_ids": client_ids,
            "followed": followed, "sessions_each": len(document["sessions"]),
            "seconds": {"generate": round(generated_s, 1), "accounts": round(accounts_s, 1),
                        "copy": round(copied_s, 1)}}  # fmt: skip


def mixed_load(made: dict, clock, operations: int, seed: int) -> dict:
    services = Services(made["settings"], clock)
    users = services.accounts.list_users()
    by_id = {a.id: a for a in users}
    coaches = [a for a in users if a.role is Role.COACH]
    assigned = {c.id: frozenset(made["followed"][c.user_name]) for c in coaches}
    rng = random.Random(seed)
    timings: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    statements: dict[str, int] = {kind: 0 for kind, _ in MIX}
    current = {"kind": ""}

    def count(*_args) -> None:
        statements[current["kind"]] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        for _ in range(operations):
            kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            coach = rng.choice(coaches)
            actor = Actor(coach.id, Role.COACH, coach.clinic_id, assigned[coach.id], None)
            client = by_id[rng.choice(sorted(assigned[coach.id]))]
            current["kind"] = kind
            started = time.perf_counter()
            if kind == "client_list":
                services.client_list.read(actor)
            else:
                person = services.for_profile(client.profile_id)
                if kind == "dashboard":
                    person.client_dashboard.read(actor, client.id, 12)
                else:
                    person.data.insights(12)
            timings[kind].append(time.perf_counter() - started)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    services.close()
    figures = {}
    for kind, values in timings.items():
        if values:
            figures[kind] = {
                "calls": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                "max_ms": round(max(values) * 1000, 1),
                "statements_per_call": round(statements[kind] / len(values), 1),
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, default=20)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--operations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start_load = os.getloadavg()
    clock = MovableClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="sirelief-clinic-") as name, \
            postgres_database("sirelief_bench_clinic") as url:  # fmt: skip
        made = populate(url, Path(name), args.coaches, args.clients, args.days, clock)
        clock.set(clock() + timedelta(minutes=1))
        figures = mixed_load(made, clock, args.operations, args.seed)
    results = {
        "coaches": args.coaches, "clients": args.clients, "days": args.days,
        "sessions_each": made["sessions_each"], "setup_seconds": made["seconds"],
        "database": "PostgreSQL", "operations": args.operations, **figures,
        "load_average": {"start": start_load, "end": os.getloadavg()},
    }  # fmt: skip
    for kind, value in figures.items():
        print(f"{kind:14} {value}")
    print("set-up seconds", made["seconds"])
    default = (args.coaches, args.clients, args.days) == (20, 1000, 365)
    command = "bench/clinic.py" + ("" if default else " " + " ".join(sys.argv[1:]))
    write_results("clinic", results, command)


if __name__ == "__main__":
    main()
