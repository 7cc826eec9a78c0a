"""``sirelief serve --workers 2`` as a real process, in clinic mode: the two workers share
one database (logins, check-ins) and one server secret, on SQLite and on PostgreSQL.

Which worker answered is read from Linux's own tables: the server's end of a kept-alive
connection is a socket open in exactly one worker (``/proc/net/tcp`` gives its inode,
``/proc/PID/fd`` its owner). So the test opens connections until one reaches the worker it
wants: a write through one worker is read through another.
"""

import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import closing
from http.client import HTTPConnection, HTTPResponse
from pathlib import Path

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.serving import answers, free_port, sirelief_command, stop
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine
from tests.web.web_support import GOOD_CHECKIN

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to tell the workers apart"
)
PASSWORD = "correct horse battery"
START_S = 120
"""Two workers importing sirelief on a busy machine can take a while."""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    admin = postgres_admin_engine()
    try:
        yield from fresh_postgres_url(admin)
    finally:
        admin.dispose()


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[tuple[int, int]]:
    """(port, pid) of ``sirelief serve --workers 2`` on a fresh clinic installation with
    one client, cleo."""
    env = {**os.environ, "SIRELIEF_DATA_DIR": str(tmp_path / "data")}
    env.pop("SIRELIEF_DATABASE_URL", None)
    if database_url:
        env["SIRELIEF_DATABASE_URL"] = database_url
    library = Services(Settings(data_dir=tmp_path / "data", database_url=database_url))
    library.accounts.setup("admin", PASSWORD)
    library.accounts.add_clinic("North")
    library.accounts.add_user("client", "cleo", PASSWORD, "North")
    library.close()
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    command = [sirelief_command(), "serve", "--no-browser", "--workers", "2", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        give_up = time.monotonic() + START_S
        while len(workers_of(process.pid)) < 2 or not answers(f"http://127.0.0.1:{port}/"):
            if process.poll() is not None or time.monotonic() > give_up:
                pytest.fail(f"no server:\n{(tmp_path / 'server.log').read_text()}")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        stop(process)
        log.close()


def workers_of(pid: int) -> list[int]:
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


def worker_serving(connection: HTTPConnection, port: int, pid: int) -> int | None:
    """The worker holding the server's end of ``connection``; None if that worker is gone
    (uvicorn restarts a worker that misses its health checks on a very busy machine)."""
    mine = connection.sock.getsockname()[1]
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = (int(address.rsplit(":", 1)[1], 16) for address in fields[1:3])
            if (local, remote) == (port, mine):
                inodes.add(f"socket:[{fields[9]}]")
    owners = {worker for worker in workers_of(pid) if inodes & open_sockets(worker)}
    assert len(owners) <= 1, (inodes, owners)
    return owners.pop() if owners else None


def open_sockets(worker: int) -> set[str]:
    try:
        return {str(fd.readlink()) for fd in Path(f"/proc/{worker}/fd").iterdir()}
    except FileNotFoundError:  # the worker ended meanwhile (or one of its files closed)
        return set()


def get(connection: HTTPConnection, path: str, cookie: str = "") -> tuple[HTTPResponse, str]:
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    return response, response.read().decode()


def connection_to(
    port: int, pid: int, not_worker: int | None, worker: int | None = None
) -> tuple[HTTPConnection, int]:
    """A fresh connection and the worker holding it: ``worker`` when given, else any
    worker but ``not_worker``.

    Uvicorn closes a kept-alive connection after 5 idle seconds, and on a busy machine a
    step through the other worker can take longer, so no connection is kept across steps.
    """
    for _ in range(400):
        connection = HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            assert get(connection, "/sign-in")[0].status == 200
            serving = worker_serving(connection, port, pid)
        except BaseException:
            connection.close()
            raise
        if serving is not None and serving != not_worker and worker in (None, serving):
            return connection, serving
        connection.close()
    pytest.fail(f"no connection reached worker {worker or f'other than {not_worker}'}")


def post(connection: HTTPConnection, path: str, form: dict, cookie: str) -> HTTPResponse:
    body = urllib.parse.urlencode(form, doseq=True)
    connection.request("POST", path, body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
    })  # fmt: skip
    response = connection.getresponse()
    response.read()
    return response


def post_event(
    connection: HTTPConnection, port: int, plan: str, kind: str, cookie: str, token: str
) -> str:
    """One event as the timer sends it; its id, once the server acknowledged it."""
    event_id = uuid.uuid4().hex
    body = json.dumps({"events": [{"id": event_id, "at": time.time(), "kind": kind}]})
    connection.request("POST", f"{plan}/events", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/json", "X-CSRF-Token": token,
        "Origin": f"http://127.0.0.1:{port}",
    })  # fmt: skip
    response = connection.getresponse()
    answer = json.loads(response.read())
    assert response.status == 200, answer
    assert answer["recorded"] == [event_id]
    return event_id


def cookie_of(response: HTTPResponse, name: str) -> str:
    return next(
        cookie.split(";")[0]
        for cookie in response.msg.get_all("Set-Cookie")
        if cookie.startswith(f"{name}=")
    )


def test_a_write_through_one_worker_is_read_through_the_other(server) -> None:
    port, pid = server

    first, one = connection_to(port, pid, not_worker=None)
    with closing(first):
        csrf = cookie_of(get(first, "/sign-in")[0], "sirelief_csrf")
    token = csrf.split("=", 1)[1]
    # The token one worker signed, sent to another: the same secret file signs for both,
    # so it is accepted (a worker with its own key would answer 403).
    second, other = connection_to(port, pid, not_worker=one)
    with closing(second):
        signed_in = post(second, "/sign-in", {
            "user_name": "cleo", "password": PASSWORD, "csrf_token": token,
        }, csrf)  # fmt: skip
        assert signed_in.status == 303
    cookie = f"{csrf}; {cookie_of(signed_in, 'sirelief_login')}"

    # The login made by that worker lets another one take a check-in.
    writer, wrote = connection_to(port, pid, not_worker=other)
    with closing(writer):
        posted = post(writer, "/checkin", {**GOOD_CHECKIN, "csrf_token": token}, cookie)
        assert posted.status == 303
    plan = posted.getheader("location")
    assert plan.startswith("/sessions/")

    # The check-in written by one worker: its plan, read by another.
    reader, _ = connection_to(port, pid, not_worker=wrote)
    with closing(reader):
        page, text = get(reader, plan, cookie)
        assert page.status == 200
        assert plan.rsplit("/", 1)[1] in text
    for _ in range(12):  # and on fresh connections, whichever worker takes each
        with closing(HTTPConnection("127.0.0.1", port, timeout=60)) as connection:
            assert get(connection, plan, cookie)[0].status == 200


def test_a_session_read_by_one_worker_shows_events_recorded_through_the_other(server) -> None:
    """Each worker keeps the sessions it read (reading one again fetches only the events
    added since): events recorded through one worker must show in the other's next read,
    and events recorded through both keep one order."""
    port, pid = server
    first, _ = connection_to(port, pid, not_worker=None)
    with closing(first):
        csrf = cookie_of(get(first, "/sign-in")[0], "sirelief_csrf")
        token = csrf.split("=", 1)[1]
        signed_in = post(first, "/sign-in", {
            "user_name": "cleo", "password": PASSWORD, "csrf_token": token,
        }, csrf)  # fmt: skip
        assert signed_in.status == 303
        cookie = f"{csrf}; {cookie_of(signed_in, 'sirelief_login')}"
        posted = post(first, "/checkin", {**GOOD_CHECKIN, "csrf_token": token}, cookie)
        assert posted.status == 303
    plan = posted.getheader("location")

    # The reader keeps the session as it is now: planned, no event yet.
    reader, kept_by = connection_to(port, pid, not_worker=None)
    with closing(reader):
        page, text = get(reader, f"{plan}/run", cookie)
        assert page.status == 200
    # Two events through the other worker.
    writer, wrote = connection_to(port, pid, not_worker=kept_by)
    with closing(writer):
        started = post_event(writer, port, plan, "start", cookie, token)
        paused = post_event(writer, port, plan, "pause", cookie, token)
    # The reader shows them, and records the next one after them.
    again, _ = connection_to(port, pid, not_worker=None, worker=kept_by)
    with closing(again):
        page, text = get(again, f"{plan}/run", cookie)
        assert page.status == 200
        assert started in text
        assert paused in text
        resumed = post_event(again, port, plan, "resume", cookie, token)
    # And the writer, which kept the session too, sees the reader's event last.
    last, _ = connection_to(port, pid, not_worker=None, worker=wrote)
    with closing(last):
        page, text = get(last, f"{plan}/run", cookie)
        assert page.status == 200
        assert text.index(started) < text.index(paused) < text.index(resumed)
