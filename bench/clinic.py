"""A whole clinic on PostgreSQL under load (issue 21): clients running sessions and coaches
opening their client list and a client's dashboard, through a real ``sirelief serve
--workers N``, measured with wrk beside the same server's static file.

Made (``bench/clinic_data.py``): ``--coaches`` coaches and ``--clients`` clients, each with
``--days`` of daily sessions (one history played through the use cases, copied inside
PostgreSQL); the first coaches follow ``--list-size`` clients each.

Load, for each number of server processes (``--workers``) and of connections
(``--connections``), one wrk run of ``--seconds`` a target, each request signed in as its
own person (a wrk Lua script turns over their cookies): the static file, a client's
session page (a session half-way), a client's event POST (pause and resume, in sessions
started for the run), a coach's client list (``/``), a client's dashboard as a coach sees
it (``/clients/{id}``); then all four app targets at once ("mixed": the connections shared
3:3:1:1), each still timed by its own wrk.

Run: make bench-clinic   (estimated on a quiet 2-core machine: 4 min to make, 7 to load)
     .venv/bin/python bench/clinic.py [--coaches 20] [--clients 1000] [--days 365]
     [--list-size 200] [--workers 1,2] [--connections 16,64] [--seconds 15]
     .venv/bin/python bench/clinic.py --quick   (3 coaches, 30 clients, 30 days, 3 s runs)
Figures: bench/results/clinic.json (not written by --quick)
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from clinic_data import PASSWORD, Clinic, build, list_coaches
from clinic_load import People, Target, login_headers, mixed_runs, run_target, warm_up
from support import ensure_debian_package, postgres_database, server_env, write_results
from tests.clock import MovableClock
from tests.serving import answers, free_port, sirelief_command, stop

from insights import settings_for
from sirelief.services import Services

SESSION_CLIENTS = 64
"""Clients whose sessions take the load (spread over the clinic)."""
PAGE_SESSIONS = 16
"""Of them, whose half-way session page is read."""
DASHBOARDS = 64
"""(coach, client) pairs whose dashboard is read."""
START_S = 180


def serve(data_dir: Path, url: str, workers: int) -> tuple[subprocess.Popen, str]:
    """``sirelief serve --workers N`` on the clinic; (process, base URL) once every worker
    answers."""
    port = free_port()
    env = server_env(data_dir, url)
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / f"server-{workers}.log").open("ab")
    command = [sirelief_command(), "serve", "--no-browser", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    give_up = time.monotonic() + START_S
    while (workers > 1 and len(worker_pids(process.pid)) < workers) or not answers(
        base + "/sign-in"
    ):
        if process.poll() is not None or time.monotonic() > give_up:
            stop(process)
            raise RuntimeError(f"no server: see {data_dir / f'server-{workers}.log'}")
        time.sleep(0.2)
    return process, base


def worker_pids(pid: int) -> list[int]:
    """The worker processes uvicorn started (not multiprocessing's resource tracker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = []
    for child in children.read_text().split() if children.exists() else []:
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except FileNotFoundError:
            continue
    return found


def sign_in_everyone(clinic: Clinic, folder: Path, clock, list_size: int, coaches: int):
    """Login tokens: (coach name -> token, client id -> token) for the people under load.
    Signed in through the use case (the coaches with a TOTP code), as the sign-in page does."""
    services = Services(settings_for(folder / "pg", clinic.url), clock)
    accounts = services.accounts
    full = list_coaches(coaches, len(clinic.client_ids), list_size)
    coach_tokens = {}
    for name in clinic.coach_names[: max(full, 1)]:
        code = pyotp.TOTP(clinic.coach_secrets[name]).at(clock())
        coach_tokens[name] = accounts.sign_in(name, PASSWORD, code, address="127.0.0.1")
    step = max(1, len(clinic.client_ids) // SESSION_CLIENTS)
    names = {a.id: a.user_name for a in accounts.list_users()}
    client_tokens = {}
    for client_id in clinic.client_ids[::step][:SESSION_CLIENTS]:
        client_tokens[client_id] = accounts.sign_in(names[client_id], PASSWORD,
                                                    address="127.0.0.1")  # fmt: skip
    services.close()
    return coach_tokens, client_tokens


def load_server(wrk: str, clinic: Clinic, folder: Path, workers: int, tokens, args) -> list:
    """Every run against one ``sirelief serve --workers N``."""
    coach_tokens, client_tokens = tokens
    process, base = serve(folder / "data", clinic.url, workers)
    rows = []
    try:
        people = People(base, client_tokens, PAGE_SESSIONS, clinic.url)
        lists = [("/", login_headers(token)) for token in coach_tokens.values()]
        dashboards = [
            (f"/clients/{client_id}", login_headers(coach_tokens[name]))
            for name in coach_tokens
            for client_id in clinic.followed[name]
        ]
        dashboards = dashboards[:: max(1, len(dashboards) // DASHBOARDS)][:DASHBOARDS]
        static = [("/static/app.css", {"Accept-Encoding": "gzip"})]
        targets = {
            "static": Target.pages("static", base, static),
            "session page": Target.pages("session page", base, people.session_pages()),
            "event POST": Target.posts("event POST", people),
            "client list": Target.pages("client list", base, lists),
            "client dashboard": Target.pages("client dashboard", base, dashboards),
        }
        warm_up(wrk, base, targets, folder)
        for connections in args.connections:
            print(f"{workers} worker(s), {connections} connections ...", flush=True)
            for target in targets.values():
                figures = run_target(wrk, base, process.pid, target, connections,
                                     args.seconds, folder, clinic.url)  # fmt: skip
                rows.append({"workers": workers, "connections": connections,
                             "target": target.name, "mixed": False, **figures})  # fmt: skip
            for name, figures in mixed_runs(wrk, base, process.pid, targets, connections,
                                            args.seconds, folder, clinic.url).items():  # fmt: skip
                rows.append({"workers": workers, "connections": figures.pop("connections"),
                             "target": name, "mixed": True, **figures})  # fmt: skip
        people.check_still_answering()
    finally:
        stop(process)
    return rows


def print_table(rows: list[dict]) -> None:
    static = {(r["workers"], r["connections"]): r for r in rows if r["target"] == "static"}
    print(f"{'workers':>7} {'conns':>5} {'target':<18}{'req/s':>8}{'of static':>10}"
          f"{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}{'timeouts':>9}{'server CPU':>11}")  # fmt: skip
    for row in rows:
        base = static.get((row["workers"], row["connections"]))
        share = f"{100 * row['requests_per_s'] / base['requests_per_s']:.0f}%" if base else ""
        errors = sum(v for k, v in row["errors"].items() if k != "timeout")
        name = ("mixed: " if row["mixed"] else "") + row["target"]
        print(f"{row['workers']:>7} {row['connections']:>5} {name:<18}"
              f"{row['requests_per_s']:>8.0f}{share:>10}{row['p50_ms']:>9.1f}"
              f"{row['p99_ms']:>9.1f}{errors:>7}{row['errors']['timeout']:>9}"
              f"{row['server_cpu_percent']:>10}%")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coaches", type=int, default=20)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--list-size", type=int, default=200,
                        help="clients each of the first coaches follows")  # fmt: skip
    parser.add_argument("--workers", default="1,2", help="server processes, comma-separated")
    parser.add_argument("--connections", default="16,64", help="wrk connections, comma-separated")
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run")
    parser.add_argument("--quick", action="store_true",
                        help="development: 3 coaches, 30 clients, 30 days, 3 s runs")  # fmt: skip
    parser.add_argument("--setup-only", action="store_true", help="make the clinic, no load")
    args = parser.parse_args()
    if args.quick:
        args.coaches, args.clients, args.days, args.seconds = 3, 30, 30, 3
        args.list_size = min(args.list_size, 10)
    args.list_size = min(args.list_size, args.clients)
    args.workers = [int(n) for n in args.workers.split(",")]
    args.connections = [int(n) for n in args.connections.split(",")]
    wrk = ensure_debian_package("wrk", "wrk")
    start_load = os.getloadavg()
    now = datetime.now(UTC)
    clock = MovableClock(now - timedelta(minutes=2))  # TOTP enrolment codes are not reused
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sirelief-clinic-") as name, \
            postgres_database("sirelief_bench_clinic") as url:  # fmt: skip
        folder = Path(name)
        started = time.perf_counter()
        clinic = build(url, folder, args.coaches, args.clients, args.days, args.list_size, clock)
        setup_s = time.perf_counter() - started
        print(f"clinic made in {setup_s:.0f} s: {clinic.seconds}", flush=True)
        print(f"  each client: {clinic.sessions_each} sessions, {clinic.events_each} events")
        if not args.setup_only:
            clock.set(datetime.now(UTC))
            tokens = sign_in_everyone(clinic, folder, clock, args.list_size, args.coaches)
            for workers in args.workers:
                rows += load_server(wrk, clinic, folder, workers, tokens, args)
    if rows:
        print()
        print_table(rows)
    if args.quick or args.setup_only:
        print("(a development run: figures not written)")
        return
    results = {
        "coaches": args.coaches, "clients": args.clients, "days": args.days,
        "list_size": args.list_size, "database": "PostgreSQL",
        "sessions_each": clinic.sessions_each, "events_each": clinic.events_each,
        "setup_seconds": {**clinic.seconds, "total": round(setup_s, 1)},
        "seconds_per_run": args.seconds, "runs": rows,
        "load_average": {"start": start_load, "end": os.getloadavg()},
    }  # fmt: skip
    default = (args.coaches, args.clients, args.days) == (20, 1000, 365)
    command = "make bench-clinic" if default else "bench/clinic.py " + " ".join(sys.argv[1:])
    write_results("clinic", results, command)


if __name__ == "__main__":
    main()
