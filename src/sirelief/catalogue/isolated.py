"""Check an uploaded routine file in a child process, with a time and a memory limit.

The YAML guard bounds what a file may ask for, but checking still costs CPU that an
upload controls. In the web app that work must never hold the event loop or the
server's memory: each check runs in a child started by the forkserver (cheap, and with
none of the parent's open sockets or database connections), at a lower priority, under
an address-space cap, and is killed at its deadline. At most ``concurrency`` checks run
at once; one more waits for a slot up to the time limit, then is told to try again.
"""

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import threading
import time
from multiprocessing.connection import Connection

from sirelief.catalogue.loader import RoutineCheck, SourceFile, check_routine_file
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.problems import Problem

MEMORY_BYTES = 1536 * 1024 * 1024
NICENESS = 10


class CheckerBusyError(Exception):
    """Every check slot stayed taken for the whole time limit: ask to try again."""


class IsolatedChecker:
    """Runs ``check_routine_file`` in a killable child; one instance per app (a factory)."""

    def __init__(
        self,
        seconds: float = 5.0,
        concurrency: int = 2,
        memory_bytes: int = MEMORY_BYTES,
        burn_s: float = 0.0,
        preload: tuple[str, ...] = (),
    ) -> None:
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.burn_s = burn_s
        """Benchmark hook: the child spins this long first, like a file that is slow."""
        self._slots = threading.BoundedSemaphore(concurrency)
        self._context = multiprocessing.get_context("forkserver")
        # Every child runs the parent's main script again before it reads its arguments
        # (the parent's write blocks meanwhile); preloading what that script imports
        # makes the re-run instant instead of 1-2.5 s on a busy machine.
        self._context.set_forkserver_preload(["sirelief.catalogue.isolated", *preload])

    def warm(self) -> None:
        """Start the forkserver now (it preloads in the background), not on first upload."""
        multiprocessing.forkserver.ensure_running()

    def check(self, source: SourceFile, catalogue: Catalogue) -> RoutineCheck:
        """Blocking (call it from a worker thread); never raises for a bad file."""
        if not self._slots.acquire(timeout=self.seconds):
            raise CheckerBusyError(
                "Other routine files are being checked right now; try again in a few seconds."
            )
        try:
            return self._run(source, catalogue)
        finally:
            self._slots.release()

    def _run(self, source: SourceFile, catalogue: Catalogue) -> RoutineCheck:
        receiver, sender = self._context.Pipe(duplex=False)
        child = self._context.Process(
            target=_child,
            args=(sender, source, catalogue, self.memory_bytes, self.burn_s),
            daemon=True,
        )
        try:
            # The limit starts once the child has its arguments: starting it costs the
            # same for every file, and on a busy machine it could eat a small limit.
            child.start()
            sender.close()
            if not receiver.poll(self.seconds):
                return _refused(
                    source,
                    f"this file took too long to check (over {self.seconds:g} s); a routine "
                    "file checks in well under a second: make it smaller or simpler",
                )
            try:
                return receiver.recv()
            except (EOFError, OSError):
                return _refused(
                    source,
                    "this file could not be checked: it needed more memory than a routine "
                    "file can; make it smaller or simpler",
                )
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()


def _child(
    sender: Connection, source: SourceFile, catalogue: Catalogue, memory: int, burn_s: float
) -> None:
    """In the child: lower priority, cap memory, check, send the outcome back."""
    os.nice(NICENESS)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        end = time.monotonic() + burn_s
        while time.monotonic() < end:
            pass
        result = check_routine_file(source, catalogue)
    except MemoryError:
        result = _refused(source, "this file needs more memory to check than a routine can")
    sender.send(result)
    sender.close()


def _refused(source: SourceFile, message: str) -> RoutineCheck:
    return RoutineCheck(source, None, [Problem(source.name, 1, message)])
