"""Sessions read lately, kept so that reading one again fetches only what was added since.

The guided session page and every event the timer sends read a whole session: its plan,
its check-in and every event, each decoded, validated and replayed. Yet a session's plan
and check-in never change and its events are only ever appended, each with the next
``seq``. So a session read before needs one small query for the rest: the events after
the last one seen, the morning answer, and whether the session still exists. That query
runs on every read, so whatever another process wrote (the terminal, a second server on
the same database) is always seen; nothing here can go stale, it only saves work.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sirelief.domain.records import SessionRecord

RECENT_SESSIONS = 128
"""Sessions kept: a person runs one at a time, a clinic's server a few dozen at once;
a whole session read back holds about 44 KB, so this stays under 6 MB."""


@dataclass(frozen=True)
class Known:
    """A session as last read, and the ``seq`` of its last event then (0 for none)."""

    record: SessionRecord
    last_seq: int


class RecentSessions:
    """A small least-recently-used map of session id to what was last read of it."""

    def __init__(self, size: int = RECENT_SESSIONS) -> None:
        self.size = size
        self._known: OrderedDict[str, Known] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str) -> Known | None:
        with self._lock:
            known = self._known.get(session_id)
            if known is not None:
                self._known.move_to_end(session_id)
            return known

    def keep(self, known: Known) -> None:
        """Remember ``known`` unless what is kept already has later events."""
        with self._lock:
            kept = self._known.get(known.record.id)
            if kept is not None and kept.last_seq > known.last_seq:
                return
            self._known[known.record.id] = known
            self._known.move_to_end(known.record.id)
            while len(self._known) > self.size:
                self._known.popitem(last=False)

    def forget(self, session_id: str | None = None) -> None:
        """One session (it is gone), or every one."""
        with self._lock:
            if session_id is None:
                self._known.clear()
            else:
                self._known.pop(session_id, None)
