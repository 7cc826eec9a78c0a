"""Does a killed server lose anything? `sirelief serve` (SQLite) SIGKILLed mid-session, N times.

A scripted person records sessions over HTTP, one event per POST as the browser's outbox
sends them, and keeps every event id the server acknowledged (200, id in "recorded").
At a random moment (seeded, 0.05-1.5 s after the server answers) the server gets SIGKILL.
Each cycle then restarts it on the same data folder, times how long until GET / answers
200 (from process start), runs PRAGMA integrity_check and foreign_key_check on the file,
and checks every acknowledged event is stored. The person carries on with the same
session, re-sending the event that was in flight (ids make that safe), and starts a new
session when one ends.

With ``--workers 2`` the server is ``sirelief serve --workers 2`` and each kill is a
SIGKILL to its whole process group (uvicorn's master and both workers at once, as a power
cut would), on SQLite in WAL mode with two processes writing.

Run by hand (never in the test suite): make bench-crash (CRASH_ARGS="--workers 2"), or
.venv/bin/python bench/crash.py [--cycles N] [--seed S] [--workers N]
"""

import argparse
import html
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from server import AppClient
from support import (
    free_port,
    group_members,
    launch,
    server_env,
    summary_ms,
    wait_for_workers,
    wait_until_up,
    write_results,
)

KILL_AFTER_S = (0.05, 1.5)
SESSION_DATA = re.compile(r'<script type="application/json" id="session-data">(.*?)</script>', re.S)
RATING = 4
"""Every 0-10 rating the scripted person gives; pain is one less."""
CONNECTION_ERRORS = (OSError, http.client.HTTPException)
"""What a request to a server killed under it raises (refused, reset, cut short)."""


@dataclass
class Person:
    """The client's memory across kills: its session, its outbox, what was acknowledged."""

    client: AppClient
    session_id: str | None = None
    steps: list[dict] = field(default_factory=list)
    index: int = 0
    started: bool = False
    pending: dict | None = None
    """The event sent but not yet acknowledged: sent again, unchanged, after a restart."""
    acknowledged: dict[str, str] = field(default_factory=dict)
    """event id -> session id, for every event answered with 200."""
    sessions: list[str] = field(default_factory=list)
    http_errors: int = 0

    def next_event(self) -> dict:
        """What a person records next: start, the assessment's answers, or step done."""
        event = {"id": uuid.uuid4().hex, "at": round(time.time(), 3)}
        if not self.started:
            return {**event, "kind": "start"}
        step = self.steps[self.index]
        if step["kind"] == "assessment":
            point = step["assessment"]
            answers = {
                "kind": "assessment",
                "step": self.index,
                "ratings": {
                    region: {"left": RATING, "right": RATING} for region in point["ratings"]
                },
            }
            if point.get("pain"):
                answers["pain"] = RATING - 1
            if point.get("knee_to_wall"):
                answers["knee_to_wall"] = {"left": 8.5, "right": 9.0}
            return {**event, **answers}
        return {**event, "kind": "complete", "step": self.index}

    def new_session(self) -> None:
        """A check-in, then the plan's steps from the session page (as the browser gets them).

        A kill in between leaves a planned session nobody runs, as a closed tab would.
        """
        session_id = self.client.start_session()
        status, _, content = self.client.request("GET", f"/sessions/{session_id}/run")
        found = SESSION_DATA.search(content.decode())
        if status != 200 or not found:
            raise RuntimeError(f"the session page answered {status} without its data")
        self.steps = json.loads(html.unescape(found.group(1)))["steps"]
        self.session_id, self.index, self.started, self.pending = session_id, 0, False, None
        self.sessions.append(session_id)

    def record_until_killed(self) -> int:
        """Post events one at a time until the server stops answering; how many were acked."""
        acked = 0
        try:
            while True:
                if self.session_id is None:
                    self.new_session()
                if self.pending is None:
                    self.pending = self.next_event()
                status, answer = self.client.post_events(self.session_id, [self.pending])
                if status != 200 or self.pending["id"] not in answer.get("recorded", ()):
                    self.http_errors += 1
                    time.sleep(0.05)
                    continue
                self.acknowledged[self.pending["id"]] = self.session_id
                acked += 1
                self.started = True
                self.index = answer["index"]
                self.pending = None
                if answer["ended"]:
                    self.session_id = None
        except CONNECTION_ERRORS:
            self.client.close()
        return acked


def database_checks(
    path: Path, acknowledged: dict[str, str], sessions: list[str], in_flight: str | None = None
) -> dict:
    """Integrity, foreign keys, which acknowledged events are missing, and whether the event
    in flight at the kill was committed (killed between the commit and the answer)."""
    connection = sqlite3.connect(path, timeout=60)
    try:
        integrity = "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        stored: dict[str, str] = {}
        for start in range(0, len(sessions), 500):
            chunk = sessions[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id, session_id FROM session_events WHERE session_id IN ({marks})"
            stored.update(connection.execute(query, chunk).fetchall())
    finally:
        connection.close()
    lost = [event_id for event_id, owner in acknowledged.items() if stored.get(event_id) != owner]
    return {"integrity": integrity, "foreign_key_problems": len(foreign), "lost": lost,
            "stored": len(stored), "in_flight_stored": in_flight in stored}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=100, help="kills (default 100)")
    parser.add_argument("--seed", type=int, default=20261202, help="for the kill moments")
    parser.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    args = parser.parse_args()
    chooser = random.Random(args.seed)
    restart_s: list[float] = []
    integrity_failures = foreign_key_failures = kills_in_flight = committed_unanswered = 0
    lost: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="sirelief-bench-crash-") as folder:
        data_dir = Path(folder) / "data"
        database = data_dir / "sirelief.db"
        port = free_port()
        env = server_env(data_dir)
        url = f"http://127.0.0.1:{port}"
        person = Person(AppClient(url, timeout_s=10))
        process = None
        started = time.monotonic()
        for cycle in range(args.cycles + 1):
            launched = time.monotonic()
            process = launch(data_dir, port, env, workers=args.workers)
            wait_until_up(url + "/", process)
            wait_for_workers(process, args.workers)
            if cycle > 0:  # the first start creates the database: not a restart
                restart_s.append(time.monotonic() - launched)
                in_flight = person.pending["id"] if person.pending else None
                checks = database_checks(database, person.acknowledged, person.sessions, in_flight)
                committed_unanswered += checks["in_flight_stored"]
                integrity_failures += checks["integrity"] != "ok"
                foreign_key_failures += checks["foreign_key_problems"] > 0
                lost.update(checks["lost"])
                if checks["lost"] or checks["integrity"] != "ok":
                    print(f"cycle {cycle}: {checks}", flush=True)
            if cycle == args.cycles:
                break
            recorder = ThreadResult(person.record_until_killed)
            time.sleep(chooser.uniform(*KILL_AFTER_S))
            kill_all(process)
            recorder.join()
            kills_in_flight += person.pending is not None
            if (cycle + 1) % 10 == 0:
                print(f"{cycle + 1} kills, {len(person.acknowledged)} events acknowledged, "
                      f"{len(lost)} lost", flush=True)  # fmt: skip
        process.terminate()
        process.wait(timeout=15)
        wait_until_gone(process.pid)
        final = database_checks(database, person.acknowledged, person.sessions)
        log = (data_dir / "server.log").read_text(errors="replace")
        elapsed = time.monotonic() - started
    acknowledged = len(person.acknowledged)
    figures = {
        "cycles": args.cycles,
        "workers": args.workers,
        "seed": args.seed,
        "kill_after_s": list(KILL_AFTER_S),
        "events_acknowledged": acknowledged,
        "events_lost": len(lost | set(final["lost"])),
        "events_in_database": final["stored"],
        "stored_not_acknowledged": final["stored"] - acknowledged,
        "note": "an event committed but not answered before a kill is sent again after the "
        "restart and acknowledged then (its id makes that safe), so stored_not_acknowledged "
        "is only what was in flight at the very end",
        "sessions_started": len(person.sessions),
        "kills_with_an_event_in_flight": kills_in_flight,
        "kills_after_commit_before_answer": committed_unanswered,
        "integrity_failures": integrity_failures + (final["integrity"] != "ok"),
        "foreign_key_failures": foreign_key_failures + (final["foreign_key_problems"] > 0),
        "http_errors": person.http_errors,
        "server_tracebacks": log.count("Traceback"),
        "restart": summary_ms(restart_s),
        "restart_each_ms": [round(seconds * 1000) for seconds in restart_s],
        "wall_clock_s": round(elapsed, 1),
    }
    print()
    print(f"server processes (workers)    {args.workers}")
    print(f"cycles (SIGKILL)              {args.cycles}, {kills_in_flight} with an event "
          f"sent and unanswered ({committed_unanswered} of those already committed)")  # fmt: skip
    print(f"events acknowledged           {acknowledged} in {len(person.sessions)} sessions")
    print(f"events lost                   {figures['events_lost']}")
    print(f"events in database            {final['stored']} "
          f"({figures['stored_not_acknowledged']} committed but never acknowledged)")  # fmt: skip
    print(f"integrity / foreign key fails {figures['integrity_failures']} / "
          f"{figures['foreign_key_failures']}")  # fmt: skip
    restart = figures["restart"]
    print(f"restart to first 200 (ms)     p50 {restart.get('p50_ms')}, "
          f"p95 {restart.get('p95_ms')}, max {restart.get('max_ms')}")  # fmt: skip
    print(f"HTTP errors, server tracebacks {person.http_errors}, {figures['server_tracebacks']}")
    if args.cycles < 100:
        print("(a smoke run: figures not written)")
    else:
        name = "crash" if args.workers == 1 else f"crash-{args.workers}-workers"
        write_results(name, figures, " ".join(["bench/crash.py", *sys.argv[1:]]))
    return 1 if figures["events_lost"] or figures["integrity_failures"] else 0


def kill_all(process) -> None:
    """SIGKILL the server's whole process group (master and workers) at once, and wait
    until none is left: a worker still holding the port would refuse the restart."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    wait_until_gone(process.pid)


def wait_until_gone(group: int, limit_s: float = 30) -> None:
    give_up = time.monotonic() + limit_s
    while group_members(group):
        if time.monotonic() > give_up:
            raise RuntimeError(f"processes of group {group} outlived SIGKILL")
        time.sleep(0.01)


class ThreadResult:
    """A function run in a thread; ``join`` gives back its result or raises its error."""

    def __init__(self, target) -> None:
        self._result = self._error = None
        self._thread = threading.Thread(target=self._run, args=(target,), daemon=True)
        self._thread.start()

    def _run(self, target) -> None:
        try:
            self._result = target()
        except BaseException as error:
            self._error = error

    def join(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


if __name__ == "__main__":
    sys.exit(main())
