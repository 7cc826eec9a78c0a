"""How long a coach waits for their client list and for one client's dashboard (issue 18
item 3), for a coach with 200 clients who each have a year of daily sessions, on
PostgreSQL: the use cases alone (``ClientList.read``, ``ClientDashboard.read``) and the
whole pages through the app in process (access guard, audit line, rendering), with the
number of SQL statements each sends.

History: one person's year of daily check-ins played through the real use cases
(``bench/insights.py``'s ``generate``), then copied for every client with new ids, bulk
inserted in the shape the import writes; each client account is pointed at its copy. The
coach follows all of them and has assigned each a Monday-Wednesday-Friday routine.

Run: .venv/bin/python bench/coach_dashboard.py [--clients 200] [--days 365] [--runs 5]
     (not part of `make test`; about 10 minutes on the machine in bench/RESULTS.md)
Figures: bench/results/coach_dashboard.json
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from sqlalchemy import event, insert, text, update
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient
from support import postgres_database, write_results
from tests.clock import MovableClock
from tests.services.coaching_support import checked, routine_text

from insights import copy_of, generate, settings_for
from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.storage.database import Database
from sirelief.storage.import_check import read_export
from sirelief.storage.schema import AccountRow, ProfileRow
from sirelief.web.app import create_app

PASSWORD = "bench passphrase for coaches 9"
BATCH = 20
"""Clients per transaction while copying."""


def timed(action, runs: int) -> dict:
    """Milliseconds per call (after one warm-up call), and the statements one call sends."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    action()
    event.listen(Engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "runs": runs, "statements": len(statements)}  # fmt: skip


def populate(url: str, folder: Path, clients: int, days: int, clock: MovableClock) -> dict:
    """The clinic, its coach, the clients and their copied histories; what was made."""
    end = clock().replace(hour=0, minute=0, second=0, microsecond=0)
    print(f"generating {days} days of daily sessions ...", flush=True)
    document = generate(settings_for(folder / "gen"), days, 0, end)
    model = read_export(json.dumps(document))
    settings = settings_for(folder / "pg", url)
    services = Services(settings, clock)
    accounts = services.accounts
    accounts.setup("root", PASSWORD)
    accounts.add_clinic("Riverside")
    coach = accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
    secret = pyotp.random_base32()
    accounts.enrol_totp("ada", secret, pyotp.TOTP(secret).at(clock()))
    ids = []
    started = time.perf_counter()
    for number in range(clients):
        ids.append(accounts.add_user("client", f"client{number:03d}", PASSWORD,
                                     clinic="Riverside").id)  # fmt: skip
        accounts.assign("ada", f"client{number:03d}")
    print(f"  {clients} accounts in {time.perf_counter() - started:.0f} s", flush=True)
    (coach_account,) = accounts.accounts_with_ids([coach.id])
    actor = Actor(coach.id, Role.COACH, coach_account.clinic_id, frozenset(ids), None)
    template = services.coaching.upload(actor, checked(services, routine_text()))
    services.coaching.clock = lambda: end - timedelta(days=60)
    for client_id in ids:
        services.coaching.assign(actor, client_id, template.template_id, None,
                                 ["mon", "wed", "fri"], "morning")  # fmt: skip
    database = services.database
    for first in range(0, clients, BATCH):
        batch = ids[first : first + BATCH]
        copies = [copy_of(model) for _ in batch]
        with database.write() as tx:
            for table in copies[0]:
                rows = [row for person in copies for row in person[table]]
                if rows:
                    tx.execute(insert(table), rows)
            for client_id, rows in zip(batch, copies, strict=True):
                profile = rows[ProfileRow][0]["id"]
                tx.execute(update(AccountRow).where(AccountRow.id == client_id)
                           .values(profile_id=profile))  # fmt: skip
        print(f"  {first + len(batch)} of {clients} histories copied", flush=True)
    services.close()
    plain = Database(url)
    with plain.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    plain.close()
    return {"settings": settings, "secret": secret, "client_ids": ids,
            "sessions_each": len(document["sessions"]),
            "events_each": sum(len(s["events"]) for s in document["sessions"])}  # fmt: skip


def measure(made: dict, clock: MovableClock, runs: int) -> dict:
    settings = made["settings"]
    services = Services(settings, clock)
    ids = made["client_ids"]
    (coach,) = [a for a in services.accounts.list_users() if a.user_name == "ada"]
    actor = Actor(coach.id, Role.COACH, coach.clinic_id, frozenset(ids), None)
    client_id = ids[len(ids) // 2]
    (client,) = services.accounts.accounts_with_ids([client_id])
    person = services.for_profile(client.profile_id)
    figures = {
        "list_use_case": timed(lambda: services.client_list.read(actor), runs),
        "dashboard_use_case": timed(
            lambda: person.client_dashboard.read(actor, client_id, 12), runs
        ),
        "dashboard_use_case_52_weeks": timed(
            lambda: person.client_dashboard.read(actor, client_id, 52), runs
        ),
    }
    lines, _ = services.client_list.read(actor)
    figures["list_lines"] = len(lines)
    services.close()
    app = create_app(settings, clock=clock)
    with TestClient(app, base_url="http://127.0.0.1:8000") as browser:
        browser.get("/sign-in")
        code = pyotp.TOTP(made["secret"]).at(clock() + timedelta(seconds=30))
        signer = Services(settings, clock)
        clock.set(clock() + timedelta(seconds=30))
        token = signer.accounts.sign_in("ada", PASSWORD, code, address="127.0.0.1")
        signer.close()
        browser.cookies.set("sirelief_login", token)

        sizes: dict[str, int] = {}

        def page(path: str):
            def get() -> None:
                response = browser.get(path)
                assert response.status_code == 200, response.status_code
                sizes[path] = len(response.content)

            return get

        for name, path in (("list_page", "/"), ("dashboard_page", f"/clients/{client_id}")):
            figures[name] = timed(page(path), runs) | {"bytes": sizes[path]}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    start_load = os.getloadavg()
    clock = MovableClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory(prefix="sirelief-coach-") as name, \
            postgres_database("sirelief_bench_coach") as url:  # fmt: skip
        made = populate(url, Path(name), args.clients, args.days, clock)
        figures = measure(made, clock, args.runs)
    results = {
        "clients": args.clients, "days": args.days, "sessions_each": made["sessions_each"],
        "events_each": made["events_each"], "database": "PostgreSQL", **figures,
        "load_average": {"start": start_load, "end": os.getloadavg()},
    }  # fmt: skip
    for name, value in figures.items():
        print(f"{name:32} {value}")
    default = args.clients == 200 and args.days == 365
    command = "bench/coach_dashboard.py" + ("" if default else " " + " ".join(sys.argv[1:]))
    write_results("coach_dashboard", results, command)


if __name__ == "__main__":
    main()
