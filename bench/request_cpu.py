"""CPU and SQL statements per request of the session page and the event POST, in process.

Requests go straight into the ASGI app (no uvicorn, no sockets, no load generator), so
the figure is this process's own CPU time (``time.process_time``) per request: a fair
measure on a shared machine, where wrk's figures are noisy. Statements are counted with
a SQLAlchemy ``before_cursor_execute`` listener (BEGIN and COMMIT included where the
driver sends them as statements) and, on PostgreSQL, the server's own count of
transactions shows the round trips a COMMIT costs.

Run by hand: .venv/bin/python bench/request_cpu.py [--requests N] [--only sqlite|postgresql]
[--profile page|post]
"""

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from starlette.testclient import TestClient
from support import postgres_database
from tests.web.web_support import csrf, start_session

from sirelief.settings import Settings
from sirelief.web.app import create_app

ROUNDS = 5
"""The median of this many rounds is reported (a busy machine makes single rounds noisy)."""


@contextmanager
def app_client(database_url: str | None):
    with tempfile.TemporaryDirectory(prefix="sirelief-request-cpu-") as folder:
        settings = Settings(
            data_dir=Path(folder) / "data", database_url=database_url, first_run_tour=False
        )
        app = create_app(settings)
        with TestClient(app, base_url="http://127.0.0.1:8000") as client:
            client.get("/")
            yield client, app


def engine_of(app):
    """The engine the app's services use."""
    return app.state.context.services.database.engine


class StatementCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


class AsgiCaller:
    """Requests straight into the ASGI app on one event loop, as uvicorn hands them over:
    no HTTP client in the figure (TestClient's own cost per request is several times the
    static file's)."""

    def __init__(self, app, client: TestClient) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        token = csrf(client)
        self.headers = [
            (b"host", b"127.0.0.1:8000"), (b"accept-encoding", b"gzip"),
            (b"cookie", f"sirelief_csrf={token}".encode()),
            (b"origin", b"http://127.0.0.1:8000"), (b"x-csrf-token", token.encode()),
        ]  # fmt: skip

    def call(self, method: str, path: str, body: bytes = b"") -> int:
        headers = list(self.headers)
        if body:
            headers += [(b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode())]  # fmt: skip
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": b"", "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
        }  # fmt: skip
        sent = {"status": 0}
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        done = asyncio.Event()

        async def receive():
            if messages:
                return messages.pop()
            await done.wait()  # as uvicorn: the client is there until the answer is sent
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif not message.get("more_body", False):
                done.set()

        self.loop.run_until_complete(self.app(scope, receive, send))
        return sent["status"]


def post_event(client: TestClient, session_id: str, kind: str, step: int | None = None) -> int:
    """One event as the timer sends it; the session's step index after it."""
    event = {"id": uuid.uuid4().hex, "at": time.time(), "kind": kind}
    if step is not None:
        event["step"] = step
    answer = client.post(
        f"/sessions/{session_id}/events",
        json={"events": [event]},
        headers={"X-CSRF-Token": csrf(client)},
    )
    if answer.status_code != 200:
        raise RuntimeError(f"event POST answered {answer.status_code}: {answer.text}")
    return answer.json()["index"]


def half_done(client: TestClient) -> str:
    """The session bench/server.py loads: started, 19 steps done, 10 pauses and resumes."""
    session_id = start_session(client)
    index = post_event(client, session_id, "start")
    for _ in range(19):
        index = post_event(client, session_id, "complete", index)
    for _ in range(10):
        post_event(client, session_id, "pause")
        post_event(client, session_id, "resume")
    return session_id


def cpu_per_request(action, requests: int) -> float:
    """Median over ``ROUNDS`` of the process CPU microseconds one call of ``action`` takes."""
    figures = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(requests):
            action()
        figures.append((time.process_time() - started) / requests * 1e6)
    return statistics.median(figures)


def measure(backend: str, database_url: str | None, requests: int, profile: str | None) -> dict:
    with app_client(database_url) as (client, app):
        page_session = half_done(client)
        post_session = start_session(client)
        post_event(client, post_session, "start")
        turns = iter(range(10**9))

        caller = AsgiCaller(app, client)

        def page() -> None:
            if caller.call("GET", f"/sessions/{page_session}/run") != 200:
                raise RuntimeError("the session page does not answer 200")

        def post() -> None:
            kind = "pause" if next(turns) % 2 == 0 else "resume"
            event = {"id": uuid.uuid4().hex, "at": time.time(), "kind": kind}
            body = json.dumps({"events": [event]}).encode()
            if caller.call("POST", f"/sessions/{post_session}/events", body) != 200:
                raise RuntimeError("the event POST does not answer 200")

        def static() -> None:
            if (status := caller.call("GET", "/static/app.css")) != 200:
                raise RuntimeError(f"the static file answers {status}")

        actions = {"static file": static, "session page": page, "event POST": post}
        for action in actions.values():  # warm: caches, prepared statements, the pool
            for _ in range(20):
                action()
        if profile:
            profiler = cProfile.Profile()
            chosen = page if profile == "page" else post
            profiler.runcall(lambda: [chosen() for _ in range(requests)])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        counter = StatementCounter(engine_of(app))
        statements = {}
        for name, action in actions.items():
            counter.count = 0
            action()
            statements[name] = counter.count
        row = {"backend": backend}
        for name, action in actions.items():
            row[name] = {"cpu_us": round(cpu_per_request(action, requests)),
                         "statements": statements[name],
                         "python_calls": python_calls(action)}  # fmt: skip
    return row


def python_calls(action, requests: int = 20) -> int:
    """Python function calls per request (cProfile's count): unlike time, the same on a
    busy machine as on a quiet one, so a change can be judged while others work."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [action() for _ in range(requests)])
    return round(pstats.Stats(profiler).total_calls / requests)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per round")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--profile", choices=("page", "post"), help="print a cProfile first")
    args = parser.parse_args()
    rows = []
    if args.only in (None, "sqlite"):
        rows.append(measure("sqlite", None, args.requests, args.profile))
    if args.only in (None, "postgresql"):
        with postgres_database("sirelief_bench_cpu") as url:
            rows.append(measure("postgresql", url, args.requests, args.profile))
    print(f"{'backend':<11}{'target':<14}{'CPU us/request':>15}{'statements':>12}"
          f"{'Python calls':>14}")  # fmt: skip
    for row in rows:
        for target in ("static file", "session page", "event POST"):
            figures = row[target]
            print(f"{row['backend']:<11}{target:<14}{figures['cpu_us']:>15}"
                  f"{figures['statements']:>12}{figures['python_calls']:>14}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
