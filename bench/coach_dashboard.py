"""How long a coach waits for their client list and for one client's dashboard (issue 18
item 3), for a coach with 200 clients who each have a year of daily sessions, on
PostgreSQL: the use cases alone (``ClientList.read``, ``ClientDashboard.read``) and the
whole pages through the app in process (access guard, audit line, rendering), with the
number of SQL statements each sends.

History: ``bench/clinic_data.py``'s clinic with one coach: one person's year of daily
check-ins played through the real use cases, copied inside PostgreSQL for every client
with new ids; each client has a Monday-Wednesday-Friday routine assigned 60 days before.

Run: .venv/bin/python bench/coach_dashboard.py [--clients 200] [--days 365] [--runs 15]
     (not part of `make test`; about 2 minutes, most of it making the clinic)
Figures: bench/results/coach_dashboard.json
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from clinic_data import PASSWORD, Clinic, build
from sqlalchemy import event
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient
from support import postgres_database, write_results
from tests.clock import MovableClock

from insights import settings_for
from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.web.app import create_app

COACH = "coach00"
"""The clinic's one coach, who follows every client."""


def timed(action, runs: int) -> dict:
    """Milliseconds per call, wall and this process's CPU (after one warm-up call), and
    the statements one call sends. The CPU time is the fairer figure on a shared machine;
    the wall time adds the waits on PostgreSQL."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    action()
    event.listen(Engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "runs": runs,
            "statements": len(statements)}  # fmt: skip


def measure(clinic: Clinic, settings, clock: MovableClock, runs: int) -> dict:
    services = Services(settings, clock)
    ids = clinic.followed[COACH]
    (coach,) = [a for a in services.accounts.list_users() if a.user_name == COACH]
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
        code = pyotp.TOTP(clinic.coach_secrets[COACH]).at(clock() + timedelta(seconds=30))
        signer = Services(settings, clock)
        clock.set(clock() + timedelta(seconds=30))
        token = signer.accounts.sign_in(COACH, PASSWORD, code, address="127.0.0.1")
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
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    start_load = os.getloadavg()
    clock = MovableClock(datetime.now(UTC) - timedelta(minutes=2))  # as bench/clinic.py
    with tempfile.TemporaryDirectory(prefix="sirelief-coach-") as name, \
            postgres_database("sirelief_bench_coach") as url:  # fmt: skip
        folder = Path(name)
        clinic = build(url, folder, 1, args.clients, args.days, args.clients, clock)
        print(f"clinic made: {clinic.seconds}", flush=True)
        clock.set(datetime.now(UTC))
        figures = measure(clinic, settings_for(folder / "pg", url), clock, args.runs)
    results = {
        "clients": args.clients, "days": args.days, "sessions_each": clinic.sessions_each,
        "events_each": clinic.events_each, "database": "PostgreSQL", **figures,
        "load_average": {"start": start_load, "end": os.getloadavg()},
    }  # fmt: skip
    for name, value in figures.items():
        print(f"{name:32} {value}")
    default = args.clients == 200 and args.days == 365
    command = "bench/coach_dashboard.py" + ("" if default else " " + " ".join(sys.argv[1:]))
    write_results("coach_dashboard", results, command)


if __name__ == "__main__":
    main()
