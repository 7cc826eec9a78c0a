"""wrk against a clinic (``bench/clinic.py``): signed-in people, one Lua script a target.

Each request of a run is one person's: the script holds every (path, cookie) the target
turns over, so the load reads many sessions, client lists and dashboards, not one cached
page. Event POSTs carry new events (pause and resume in turn) in sessions started for the
run, each with its owner's login and CSRF token.
"""

import json
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from server import (
    LUA_DONE,
    AppClient,
    children_cpu_seconds,
    cpu_seconds,
    machine_busy_seconds,
    new_event,
    record,
    stored_events,
)
from sqlalchemy import text

from sirelief.storage.database import Database

THREADS = 2
WARM_ROUND_S = 5
WARM_ROUNDS = 8
"""wrk threads a run (fewer with fewer connections): one per core; wrk shares the cores."""
MIX = {"session page": 3, "event POST": 3, "client list": 1, "client dashboard": 1}
"""Shares of the connections in the mixed run: clients running sessions, coaches reading."""
LUA_PAGES = """
local entries = {ENTRIES}
local requests = {}
local counter = 0
function init(args)
  for i, entry in ipairs(entries) do requests[i] = wrk.format("GET", entry[1], entry[2]) end
end
function request()
  counter = counter + 1
  return requests[(counter * THREADS + number) % #requests + 1]
end
"""
LUA_POSTS = """
local entries = {ENTRIES}
local counter = 0
function request()
  -- a new event every time (id from this run, thread and counter), never one that ends
  -- the session: pause and resume in turn, spread over the sessions started for the run
  counter = counter + 1
  local turn = counter * THREADS + number
  local entry = entries[turn % #entries + 1]
  local kind = (math.floor(turn / #entries) % 2 == 0) and "pause" or "resume"
  local body = string.format('{"events":[{"id":"TAG-%d-%d","at":%d.%06d,"kind":"%s"}]}',
    number, counter, os.time(), counter % 1000000, kind)
  local headers = {}
  for name, value in pairs(entry[2]) do headers[name] = value end
  return wrk.format("POST", entry[1], headers, body)
end
"""


class People:
    """The signed-in clients of one server: their half-way sessions, fresh ones on demand."""

    def __init__(self, base: str, tokens: dict[str, str], page_sessions: int, url: str) -> None:
        self.base = base
        self.clients = [AppClient(base, 120, token) for token in tokens.values()]
        self.pages: list[tuple[AppClient, str]] = []
        for client in self.clients[:page_sessions]:
            self.pages.append((client, half_way_session(client, url)))

    def session_pages(self) -> list[tuple[str, dict]]:
        return [(f"/sessions/{session_id}/run", headers(client))
                for client, session_id in self.pages]  # fmt: skip

    def fresh_sessions(self) -> list[tuple[str, dict]]:
        """One new running session a client: (its event path, its owner's POST headers)."""
        entries = []
        for client in self.clients:
            session_id = client.start_session()
            record(client, session_id, new_event("start"))  # (checks the POST answers 200)
            entries.append((f"/sessions/{session_id}/events", {
                **headers(client), "X-CSRF-Token": client.csrf, "Origin": client.origin,
                "Content-Type": "application/json",
            }))  # fmt: skip
        return entries

    def check_still_answering(self) -> None:
        for client, session_id in self.pages:
            if client.get(f"/sessions/{session_id}/run") != 200:
                raise RuntimeError("a session page stopped answering 200 after the load")
        for client in self.clients:
            client.close()


def half_way_session(client: AppClient, url: str) -> str:
    """A session as it is half-way: started, half its steps done, 10 pauses and resumes.
    (The plan's length depends on the client's routine, so it is read from the database.)"""
    session_id = client.start_session()
    database = Database(url)
    with database.engine.connect() as connection:
        steps = connection.execute(
            text("SELECT json_array_length(plan->'steps') FROM sessions WHERE id = :id"),
            {"id": session_id},
        ).scalar_one()
    database.close()
    index = record(client, session_id, new_event("start"))["index"]
    for _ in range(steps // 2):
        index = record(client, session_id, new_event("complete", index))["index"]
    for _ in range(10):
        record(client, session_id, new_event("pause"))
        record(client, session_id, new_event("resume"))
    return session_id


def headers(client: AppClient) -> dict:
    return {"Cookie": client.cookie(), "Accept-Encoding": "gzip"}


@dataclass
class Target:
    """What one wrk run requests: ``entries`` gives (path, headers) for each request to
    turn over (called once a run: event POSTs need sessions of their own)."""

    name: str
    entries: Callable[[], list[tuple[str, dict]]]
    posting: bool = False

    @classmethod
    def pages(cls, name: str, base: str, entries: list[tuple[str, dict]]):
        """GETs of ``entries``, (path, headers) pairs; the first and last are checked to
        answer 200 (a lost login answers 303: a redirect wrk would count as a success)."""
        for path, page_headers in (entries[0], entries[-1]):
            check_answers(base, path, page_headers)
        return cls(name, lambda: entries)

    @classmethod
    def posts(cls, name: str, people: People):
        return cls(name, people.fresh_sessions, posting=True)

    def script(self, folder: Path, threads: int) -> tuple[Path, str, str | None]:
        """The Lua for one run, the first path (wrk wants a URL), and the run's tag
        (event POSTs' ids begin with it) or None."""
        entries = self.entries()
        table = ", ".join(
            "{" + json.dumps(path) + ", {"
            + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in h.items()) + "}}"
            for path, h in entries
        )  # fmt: skip
        tag = f"c{uuid.uuid4().hex[:10]}" if self.posting else None
        text = (LUA_POSTS if self.posting else LUA_PAGES).replace("ENTRIES", table)
        text = LUA_DONE + text.replace("THREADS", str(threads)).replace("TAG", tag or "")
        path = folder / f"{self.name.replace(' ', '-')}-{uuid.uuid4().hex[:6]}.lua"
        path.write_text(text)
        return path, entries[0][0], tag


def login_headers(token: str) -> dict:
    return {"Cookie": f"sirelief_login={token}", "Accept-Encoding": "gzip"}


def check_answers(base: str, path: str, page_headers: dict) -> None:
    client = AppClient(base)
    try:
        status, answer_headers, _ = client.request("GET", path, headers=page_headers)
    finally:
        client.close()
    if status != 200:
        where = answer_headers.get("location", "")
        raise RuntimeError(f"GET {path} answered {status} {where}, not 200")


def threads_for(connections: int) -> int:
    return min(THREADS, connections)


def wrk_command(wrk: str, base: str, script: Path, path: str, connections: int, seconds: int):
    threads = threads_for(connections)
    return [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        f"--script={script}",
        base + path,
    ]


def server_cpu(pid: int) -> float:
    """CPU seconds of the server and every process under it (the workers)."""
    total = 0.0
    try:
        total = cpu_seconds(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return total
    return total + sum(server_cpu(int(child)) for child in children)


def settle(pid: int, limit_s: float = 120) -> None:
    """Wait until the server is idle (under a fifth of a core for half a second): the
    requests a run left queued when wrk stopped are not the next run's."""
    give_up = time.monotonic() + limit_s
    while time.monotonic() < give_up:
        before = server_cpu(pid)
        time.sleep(0.5)
        if server_cpu(pid) - before < 0.1:
            return


def figures_of(output: str) -> dict:
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
    }


def run_together(wrk: str, base: str, pid: int, runs: list, seconds: int, url: str) -> list:
    """wrk runs started at once, each (target, connections, folder); their figures, with
    the CPU the server, wrk and every other process used meanwhile."""
    settle(pid)
    prepared = []
    for target, connections, folder in runs:
        script, path, tag = target.script(folder, threads_for(connections))
        prepared.append((wrk_command(wrk, base, script, path, connections, seconds), tag))
    before = server_cpu(pid), children_cpu_seconds(), machine_busy_seconds()
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command, _ in prepared
    ]
    outputs = [process.communicate() for process in processes]
    server_s = server_cpu(pid) - before[0]
    wrk_s = children_cpu_seconds() - before[1]
    others_s = machine_busy_seconds() - before[2] - server_s - wrk_s
    results = []
    for (stdout, stderr), process, (_, tag) in zip(outputs, processes, prepared, strict=True):
        if process.returncode != 0:
            raise RuntimeError(f"wrk failed: {stdout}{stderr}")
        figures = figures_of(stdout)
        if tag:
            figures["events_stored"] = stored_events(url, tag)
        figures["server_cpu_percent"] = round(100 * server_s / seconds)
        figures["wrk_cpu_percent"] = round(100 * wrk_s / seconds)
        figures["other_processes_cpu_percent"] = max(0, round(100 * others_s / seconds))
        results.append(figures)
    return results


def run_target(wrk, base, pid, target: Target, connections, seconds, folder, url) -> dict:
    return run_together(wrk, base, pid, [(target, connections, folder)], seconds, url)[0]


def mixed_runs(wrk, base, pid, targets: dict, connections, seconds, folder, url) -> dict:
    """The app's four targets at once, ``connections`` shared out by ``MIX``; figures
    by target (each with the connections it had; the CPU figures are the whole run's)."""
    shares = sum(MIX.values())
    split = {name: max(1, round(connections * share / shares)) for name, share in MIX.items()}
    runs = [(targets[name], split[name], folder) for name in MIX]
    results = run_together(wrk, base, pid, runs, seconds, url)
    return {name: {**figures, "connections": split[name]}
            for name, figures in zip(MIX, results, strict=True)}  # fmt: skip


def warm_up(wrk: str, base: str, targets: dict, folder: Path) -> None:
    """Each GET target under wrk (16 connections, spread over the workers) in rounds of
    ``WARM_ROUND_S`` until two rounds in a row serve within 10% of each other (at most
    ``WARM_ROUNDS``): a client's dashboard is digested once a worker and kept while their
    sessions are unchanged, and the runs measure that steady state; the first view's cost
    is ``bench/coach_dashboard.py``'s. A warm-up of fresh connections one after another
    reached only one worker (the one that had just gone back to waiting wins the next)."""
    for target in targets.values():
        if target.posting:
            continue
        rates: list[float] = []
        while len(rates) < WARM_ROUNDS:
            script, path, _ = target.script(folder, THREADS)
            done = subprocess.run(wrk_command(wrk, base, script, path, 16, WARM_ROUND_S),
                                  capture_output=True, text=True, check=True)  # fmt: skip
            rates.append(figures_of(done.stdout)["requests_per_s"])
            if len(rates) > 1 and abs(rates[-1] - rates[-2]) <= 0.1 * rates[-1]:
                break
        print(f"  warm-up, {target.name}: {', '.join(f'{r:.0f}' for r in rates)} req/s",
              flush=True)  # fmt: skip
