"""Durability under abuse: SIGKILL at random moments, and many writers at once.

Writers are forked processes (like a terminal session and the web server side by side),
each with its own connections. A writer appends an id to its ack file only after
``record`` returned, i.e. after the commit: acknowledged means on disk.
"""

import os
import random
import signal
import time
import uuid
from pathlib import Path

import pytest

from sirelief.services import ServiceError, Services
from sirelief.settings import Settings
from sirelief.storage.database import Database
from tests.clock import MovableClock
from tests.storage import scripted
from tests.storage.postgres_support import fresh_postgres_url

KILL_CYCLES = 50
WRITERS = 16
WRITE_SECONDS = float(os.environ.get("SIRELIEF_CONCURRENCY_SECONDS", "30"))


def warm_library(url: str) -> Services:
    """A library with the catalogue already loaded, so forked children start writing at once."""
    library = Services(Settings(database_url=url), MovableClock())
    library.routines.all()
    library.close()
    return library


def child_library(warm: Services) -> Services:
    library = Services(warm.settings, MovableClock(scripted.START))
    library.__dict__.update(catalogue=warm.catalogue, builtin_routines=warm.builtin_routines)
    return library


def write_forever(warm: Services, ack_path: Path, stop_at: float | None, seed: int) -> None:
    """Resume (or start) a session and record events, acknowledging each after commit."""
    sessions = child_library(warm).sessions
    ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        running = sessions.latest_unfinished() if stop_at is None else None
    except ServiceError:
        running = None
    clock = 1_000.0
    while stop_at is None or time.monotonic() < stop_at:
        if running is None or running.state.ended is not None:
            running = scripted.start(sessions, seed=seed)
        clock += 1.5
        event = scripted.next_event(running, uuid.uuid4().hex, clock)
        running.record(event)
        os.write(ack, f"{running.session_id} {event.id} {running.state.index}\n".encode())


def run_child(target, *args) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            target(*args)
        except BaseException as error:
            Path(str(args[1]) + ".error").write_text(repr(error))
            code = 1
        os._exit(code)
    return pid


def acks(path: Path) -> list[tuple[str, str, int]]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [(s, e, int(i)) for s, e, i in (line.split() for line in lines)]


def test_sigkill_at_random_moments_never_loses_an_acknowledged_event(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sirelief.db'}"
    warm = warm_library(url)
    chooser = random.Random(20261122)
    acknowledged: list[tuple[str, str, int]] = []
    kills_after_writing = 0
    for cycle in range(KILL_CYCLES):
        ack_path = tmp_path / f"acks-{cycle}"
        pid = run_child(write_forever, warm, ack_path, None, cycle)
        wait_for_first_ack(ack_path, pid)
        time.sleep(chooser.uniform(0.0, 0.45))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert not Path(str(ack_path) + ".error").exists(), Path(str(ack_path) + ".error")
        new = acks(ack_path)
        kills_after_writing += bool(new)
        acknowledged.extend(new)

        # The same morning the sessions were planned: later, they count as abandoned.
        checker = Services(Settings(database_url=url), MovableClock(scripted.START))
        assert checker.database.integrity_check() == "ok"
        log = checker.session_log
        by_session: dict[str, list[str]] = {}
        for session_id, event_id, _ in acknowledged:
            by_session.setdefault(session_id, []).append(event_id)
        unacknowledged = 0
        for session_id, event_ids in by_session.items():
            stored = log.event_ids(session_id)
            assert is_subsequence(event_ids, stored), f"cycle {cycle}: lost an event"
            unacknowledged += len(stored) - len(event_ids)
        assert unacknowledged <= cycle + 1  # at most the one in flight at each kill
        if new:
            session_id, last_acked, index = new[-1]
            record = log.session(session_id)
            # Killed after a commit but before its ack: that event is kept, not acked.
            in_flight = record.events[-1].id != last_acked
            if not in_flight and record.state.ended is None:
                resumed = checker.sessions.latest_unfinished()
                assert resumed.session_id == session_id
                assert resumed.state.index == index, f"cycle {cycle}: resumed at the wrong step"
        checker.close()
    assert kills_after_writing == KILL_CYCLES  # every kill hit a process that was writing
    assert len(acknowledged) > KILL_CYCLES


def wait_for_first_ack(ack_path: Path, pid: int) -> None:
    """Kill only once the writer is writing: a slow start (a loaded machine) must not turn
    the kill into one that hits nothing."""
    deadline = time.monotonic() + 60
    while not (ack_path.exists() and ack_path.stat().st_size > 0):
        finished, _ = os.waitpid(pid, os.WNOHANG)
        assert finished == 0, Path(str(ack_path) + ".error").read_text()
        assert time.monotonic() < deadline, "the writer never acknowledged an event"
        time.sleep(0.005)


def is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(item in remaining for item in short)


def database_for(kind: str, tmp_path: Path, request) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'sirelief.db'}"
    generator = fresh_postgres_url(request.getfixturevalue("postgres_admin"))
    request.addfinalizer(lambda: next(generator, None))
    return next(generator)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sixteen_writers_at_once_lose_nothing_and_never_see_a_lock_error(
    kind: str, tmp_path: Path, request
) -> None:
    url = database_for(kind, tmp_path, request)
    Database(url).ensure_current().close()
    warm = warm_library(url)
    stop_at = time.monotonic() + WRITE_SECONDS
    children = [
        (run_child(write_forever, warm, tmp_path / f"writer-{n}", stop_at, n), n)
        for n in range(WRITERS)
    ]
    for pid, number in children:
        _, status = os.waitpid(pid, 0)
        error = Path(str(tmp_path / f"writer-{number}") + ".error")
        assert not error.exists(), error.read_text()
        assert os.waitstatus_to_exitcode(status) == 0
    acknowledged = [ack for n in range(WRITERS) for ack in acks(tmp_path / f"writer-{n}")]
    checker = Services(Settings(database_url=url), MovableClock())
    stored = {
        event_id
        for session_id in {session_id for session_id, _, _ in acknowledged}
        for event_id in checker.session_log.event_ids(session_id)
    }
    assert checker.database.integrity_check() == "ok"
    checker.close()
    assert {event_id for _, event_id, _ in acknowledged} == stored
    assert len(acknowledged) > WRITERS * 10
