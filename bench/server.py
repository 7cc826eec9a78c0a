"""How much load one `sirelief serve` takes: wrk on the guided session page and the event POST.

Measures requests/s, p50/p99 latency and errors for GET /sessions/<id>/run and POST
/sessions/<id>/events (every request records a new event), on SQLite and on PostgreSQL,
at 16 and 64 connections over loopback, next to GET /static/app.css from the same server:
the static file is what this machine and this server stack can do at all, so the app's
figures read as a share of it.

Run by hand (never in the test suite): make bench-server, or
.venv/bin/python bench/server.py [--seconds N] [--quick] [--only sqlite|postgresql]
"""

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from support import ensure_debian_package, postgres_database, running_server, write_results
from tests.web.web_support import GOOD_CHECKIN

CONNECTIONS = (1, 16, 64)
"""One connection is the latency one person sees; 16 and 64 are load."""
THREADS = 2
"""wrk threads: one per core (fewer with fewer connections); wrk shares the cores."""
SESSION_POOL = 64
"""Event POSTs rotate over this many sessions, so no session grows far past a real one."""
PAGE_EVENTS = 40
"""Events already recorded in the session whose page is loaded (a session half-way)."""


class AppClient:
    """A browser in miniature: the CSRF cookie from the first page, repeated on every change
    (and a login's cookie, in clinic mode: ``login`` is the token a sign-in gave)."""

    def __init__(self, url: str, timeout_s: float = 30, login: str = "") -> None:
        parts = urllib.parse.urlsplit(url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.host, self.port = parts.hostname, parts.port
        self.timeout_s = timeout_s
        self.csrf = ""
        self.login = login
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        """(status, headers, body); one keep-alive connection, reopened when it breaks."""
        headers = {"Origin": self.origin, **(headers or {})}
        if self.csrf or self.login:
            headers["Cookie"] = self.cookie()
        reused = self._connection is not None
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, self.timeout_s)
        try:
            self._connection.request(method, path, body=body or None, headers=headers)
            response = self._connection.getresponse()
            content = response.read()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            self.close()
            if not reused:
                raise
            # the server closed an idle keep-alive connection: one fresh try
            return self.request(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("sirelief_csrf="):
                self.csrf = value.split("=", 1)[1].split(";", 1)[0]
        return response.status, dict(response.getheaders()), content

    def cookie(self) -> str:
        """The Cookie header this client sends."""
        cookies = [f"sirelief_csrf={self.csrf}"] if self.csrf else []
        return "; ".join(cookies + ([f"sirelief_login={self.login}"] if self.login else []))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def get(self, path: str) -> int:
        return self.request("GET", path)[0]

    def start_session(self) -> str:
        """A check-in posted as the form does; the new session's id from the redirect."""
        if not self.csrf:
            self.get("/checkin")
        form = urllib.parse.urlencode({**GOOD_CHECKIN, "csrf_token": self.csrf}, doseq=True)
        status, headers, content = self.request(
            "POST", "/checkin", form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        location = headers.get("location", "")
        if status != 303 or "/sessions/" not in location:
            raise RuntimeError(f"check-in answered {status}: {content[:300]!r}")
        return location.rsplit("/", 1)[-1]

    def post_events(self, session_id: str, events: list[dict]) -> tuple[int, dict]:
        """The timer's POST; (status, JSON answer or {})."""
        status, _, content = self.request(
            "POST", f"/sessions/{session_id}/events", json.dumps({"events": events}).encode(),
            {"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
        )  # fmt: skip
        try:
            return status, json.loads(content)
        except ValueError:
            return status, {}


def new_event(kind: str, step: int | None = None) -> dict:
    event = {"id": uuid.uuid4().hex, "at": round(time.time(), 3), "kind": kind}
    return event if step is None else {**event, "step": step}


def record(client: AppClient, session_id: str, event: dict) -> dict:
    status, answer = client.post_events(session_id, [event])
    if status != 200 or answer.get("recorded") != [event["id"]]:
        raise RuntimeError(f"event POST answered {status}: {answer}")
    return answer


def half_done_session(client: AppClient) -> str:
    """A session as it is half-way: started, 19 steps done, 10 pauses and resumes."""
    session_id = client.start_session()
    index = record(client, session_id, new_event("start"))["index"]
    for _ in range(19):
        index = record(client, session_id, new_event("complete", index))["index"]
    for _ in range(10):
        record(client, session_id, new_event("pause"))
        record(client, session_id, new_event("resume"))
    return session_id


def started_sessions(client: AppClient, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        session_id = client.start_session()
        record(client, session_id, new_event("start"))
        ids.append(session_id)
    return ids


# --- wrk ------------------------------------------------------------------------------
LUA_DONE = """
local thread_count = 0
function setup(thread)
  thread:set("number", thread_count)
  thread_count = thread_count + 1
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""
LUA_EVENTS = """
wrk.method = "POST"
local counter = 0
local sessions = {SESSIONS}
function request()
  -- a new event every time (id from this run, thread and counter), never one that ends
  -- the session: pause and resume in turn, spread over the sessions of the pool
  counter = counter + 1
  local turn = counter * THREADS + number
  local kind = (math.floor(turn / #sessions) % 2 == 0) and "pause" or "resume"
  local body = string.format('{"events":[{"id":"TAG-%d-%d","at":%d.%06d,"kind":"%s"}]}',
    number, counter, os.time(), counter % 1000000, kind)
  return wrk.format(nil, "/sessions/" .. sessions[turn % #sessions + 1] .. "/events", nil, body)
end
"""


def wrk_script(folder: Path, name: str, events: dict | None = None) -> Path:
    """The Lua for one run: JSON figures from done(), and new events when posting."""
    text = LUA_DONE
    if events is not None:
        sessions = ", ".join(f'"{session_id}"' for session_id in events["sessions"])
        text += (
            LUA_EVENTS.replace("SESSIONS", sessions)
            .replace("THREADS", str(events["threads"]))
            .replace("TAG", events["tag"])
        )
    path = folder / f"{name}.lua"
    path.write_text(text)
    return path


def threads(connections: int) -> int:
    return min(THREADS, connections)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


def machine_busy_seconds() -> float:
    """CPU time every process on the machine used so far (all cores, from /proc/stat)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(value) for value in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / 100


def children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(
    wrk: str, server, path: str, script: Path, connections: int, seconds: int, headers=()
) -> dict:
    """One wrk run; its figures, and how busy the server and wrk kept the two cores."""
    command = [
        wrk, f"--threads={threads(connections)}", f"--connections={connections}",
        f"--duration={seconds}s", "--timeout=5s", f"--script={script}",
        *[f"--header={header}" for header in headers], server.url + path,
    ]  # fmt: skip
    server_cpu, wrk_cpu = cpu_seconds(server.process.pid), children_cpu_seconds()
    busy = machine_busy_seconds()
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed: {finished.stdout}{finished.stderr}")
    output = finished.stdout
    server_cpu = cpu_seconds(server.process.pid) - server_cpu
    wrk_cpu = children_cpu_seconds() - wrk_cpu
    others_cpu = machine_busy_seconds() - busy - server_cpu - wrk_cpu
    line = next(line for line in output.splitlines() if line.startswith("WRK-JSON "))
    raw = json.loads(line.removeprefix("WRK-JSON "))
    duration_s = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / duration_s, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": {
            "non_2xx_3xx": raw["status"],
            "connect": raw["connect"],
            "read": raw["read"],
            "write": raw["write"],
            "timeout": raw["timeout"],
        },
        "server_cpu_percent": round(100 * server_cpu / duration_s),
        "wrk_cpu_percent": round(100 * wrk_cpu / duration_s),
        "other_processes_cpu_percent": max(0, round(100 * others_cpu / duration_s)),
    }


def stored_events(database_url: str, tag: str) -> int:
    """Rows in session_events written by one run (their ids carry the run's tag)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM session_events WHERE id LIKE :pattern"),
            {"pattern": f"{tag}-%"},
        ).scalar_one()
    engine.dispose()
    return count


def measure_backend(wrk: str, backend: str, database_url: str | None, seconds: int) -> list:
    rows = []
    with tempfile.TemporaryDirectory(prefix="sirelief-bench-server-") as folder:
        data_dir = Path(folder) / "data"
        url = database_url or f"sqlite:///{data_dir / 'sirelief.db'}"
        with running_server(data_dir, database_url) as server:
            client = AppClient(server.url)
            client.get("/")
            page_session = half_done_session(client)
            cookie = (f"Cookie: sirelief_csrf={client.csrf}", "Accept-Encoding: gzip")
            post_headers = (
                *cookie, f"X-CSRF-Token: {client.csrf}", f"Origin: {client.origin}",
                "Content-Type: application/json",
            )  # fmt: skip
            for path in ("/static/app.css", f"/sessions/{page_session}/run"):
                if client.get(path) != 200:
                    raise RuntimeError(f"GET {path} does not answer 200")
            plain = wrk_script(Path(folder), "get")
            for connections in CONNECTIONS:
                print(f"{backend}, {connections} connections ...", flush=True)
                for target, path in (
                    ("static", "/static/app.css"),
                    ("session page", f"/sessions/{page_session}/run"),
                ):
                    figures = run_wrk(wrk, server, path, plain, connections, seconds, cookie)
                    rows.append({"backend": backend, "target": target,
                                 "connections": connections, **figures})  # fmt: skip
                pool = started_sessions(client, SESSION_POOL)
                record(client, pool[0], new_event("pause"))  # the sample POST answers 200
                record(client, pool[0], new_event("resume"))
                tag = f"w{connections}{uuid.uuid4().hex[:6]}"
                script = wrk_script(
                    Path(folder), tag,
                    {"sessions": pool, "tag": tag, "threads": threads(connections)},
                )  # fmt: skip
                figures = run_wrk(wrk, server, f"/sessions/{pool[0]}/events", script,
                                  connections, seconds, post_headers)  # fmt: skip
                stored = stored_events(url, tag)
                figures["events_stored"] = stored
                figures["events_per_session_at_end"] = round(stored / SESSION_POOL, 1)
                rows.append({"backend": backend, "target": "event POST",
                             "connections": connections, **figures})  # fmt: skip
            if client.get(f"/sessions/{page_session}/run") != 200:
                raise RuntimeError("the session page stopped answering 200 after the load")
    return rows


def print_table(rows: list[dict]) -> None:
    static = {(r["backend"], r["connections"]): r for r in rows if r["target"] == "static"}
    header = (
        f"{'backend':<11}{'target':<14}{'conns':>6}{'req/s':>9}{'of static':>10}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'server CPU':>11}{'wrk CPU':>9}{'others':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        base = static[(row["backend"], row["connections"])]["requests_per_s"]
        share = f"{100 * row['requests_per_s'] / base:.0f}%"
        errors = sum(row["errors"].values())
        print(f"{row['backend']:<11}{row['target']:<14}{row['connections']:>6}"
              f"{row['requests_per_s']:>9.0f}{share:>10}{row['p50_ms']:>9.2f}"
              f"{row['p99_ms']:>9.2f}{errors:>8}{row['server_cpu_percent']:>10}%"
              f"{row['wrk_cpu_percent']:>8}%{row['other_processes_cpu_percent']:>7}%")  # fmt: skip
    print("CPU: 100% = one core of two; others = every other process on the machine "
          "(PostgreSQL's own server processes on that backend)")  # fmt: skip
    for row in rows:
        if "events_stored" in row:
            print(f"{row['backend']} {row['connections']} connections: wrk counted "
                  f"{row['requests']} event POSTs answered, {row['events_stored']} events "
                  f"stored (about {row['events_per_session_at_end']} per session)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each wrk run")
    parser.add_argument("--quick", action="store_true", help="3 s runs: a smoke test")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one backend only")
    args = parser.parse_args()
    seconds = 3 if args.quick else args.seconds
    wrk = ensure_debian_package("wrk", "wrk")
    rows = []
    if args.only in (None, "sqlite"):
        rows += measure_backend(wrk, "sqlite", None, seconds)
    if args.only in (None, "postgresql"):
        with postgres_database("sirelief_bench_server") as database_url:
            rows += measure_backend(wrk, "postgresql", database_url, seconds)
    print()
    print_table(rows)
    if args.quick or args.only:
        print("(a smoke run: figures not written)")
        return
    write_results("server", {
        "seconds_per_run": seconds, "wrk_threads": THREADS, "session_pool": SESSION_POOL,
        "page_session_events": PAGE_EVENTS, "runs": rows,
    }, "make bench-server")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
