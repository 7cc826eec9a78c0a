"""The optional reminder sender inside ``sirelief serve --send-reminders`` (issue 19
item 3b): every minute, the same use case as ``sirelief reminders send``.

Safe with ``--workers N``: every worker runs its own loop, and each due reminder is
claimed in the database before it is sent (``storage/push_store.py:claim_reminder``), so
one worker sends it and the others find it taken. A failure is logged and the loop goes
on; it never stops the server.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

log = logging.getLogger("sirelief.reminders")
EVERY_S = 60.0


async def send_every_minute(send_due: Callable[[], object], every_s: float = EVERY_S) -> None:
    """Run ``send_due`` in a thread now and then every ``every_s`` seconds, until cancelled."""
    while True:
        try:
            report = await asyncio.to_thread(send_due)
            for problem in sorted(set(getattr(report, "problems", []))):
                log.warning("reminders: %s", problem)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database away, a push library error: try next minute
            log.exception("reminders: sending failed; trying again in a minute")
        await asyncio.sleep(every_s)


@contextlib.asynccontextmanager
async def running(send_due: Callable[[], object], every_s: float = EVERY_S):
    """The loop as a task for the app's lifespan, cancelled when the app stops."""
    task = asyncio.create_task(send_every_minute(send_due, every_s))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
