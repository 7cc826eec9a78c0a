"""The audit log as people read it: which reads are worth a line, and the plain sentence a
client sees about who looked at their data (issue 17 item 5). Pure; the clock is a
parameter.

>>> from datetime import UTC, date, datetime
>>> at = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
>>> Look(at, "Sam Lee", Role.COACH, READ, "sessions/ab12", date(2026, 12, 3)).sentence()
'Coach Sam Lee read your session of 3 Dec'
>>> collapses(READ, at, at + timedelta(minutes=9))
True
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sirelief.domain.access import Role

READ = "read"
"""A coach or admin saw a client's data."""
CHANGED = "changed"
"""A coach or admin changed a client's data: always written, never collapsed."""
EXPORTED = "data exported"
DELETED = "account deleted"
ACCESS_ACTIONS = (READ, CHANGED)

COLLAPSE_WINDOW = timedelta(minutes=10)
"""Reads of the same object by the same actor this close to the last written one add no
line: a coach paging through a session reads it a dozen times in a minute, and the client
wants to know that they looked, not how often the page was drawn."""

OBJECT_WORDS = {
    "sessions": "your session",
    "history": "your history",
    "insights": "your charts",
    "checkin": "your check-in",
    "checkins": "your check-in",
    "precautions": "your precautions",
    "clearances": "your clearances",
    "reviews": "your reviews",
    "flags": "your safety answers",
    "routines": "your routines",
    "data": "all your data",
    "accounts": "your account",
}
"""The first part of an object (``sessions/ab12``) in plain words; others are "your data"."""

VERBS = {READ: "read", CHANGED: "changed", EXPORTED: "exported", DELETED: "deleted"}


def collapses(action: str, last_written: datetime | None, now: datetime) -> bool:
    """Whether this access adds nothing to the log: a read within ``COLLAPSE_WINDOW`` of
    the last line written for the same actor and object.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    >>> collapses(READ, t, t + COLLAPSE_WINDOW), collapses(CHANGED, t, t), collapses(READ, None, t)
    (False, False, False)
    """
    return action == READ and last_written is not None and now - last_written < COLLAPSE_WINDOW


def object_kind(obj: str | None) -> str:
    """The first part of an object, without a leading slash.

    >>> object_kind("/sessions/ab12"), object_kind(None)
    ('sessions', '')
    """
    return (obj or "").strip("/").split("/", 1)[0]


def object_id(obj: str | None) -> str | None:
    """The id after the kind, if any.

    >>> object_id("sessions/ab12"), object_id("history")
    ('ab12', None)
    """
    parts = (obj or "").strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[1] else None


def who(name: str | None, role: Role | None) -> str:
    """The actor as the client reads them.

    >>> who("Sam Lee", Role.COACH), who(None, None)
    ('Coach Sam Lee', 'Someone at the server')
    """
    if role is None:
        return "Someone at the server" if name is None else name
    return f"{role.value.capitalize()} {name}"


@dataclass(frozen=True)
class Look:
    """One line of "who looked at my data"."""

    at: datetime
    actor_name: str | None
    """None for the command line, or an account since deleted (then ``actor_role`` too)."""
    actor_role: Role | None
    action: str
    object: str | None
    object_date: date | None = None
    """The session's day in the client's time zone, when the object is a session."""

    def sentence(self) -> str:
        """What happened, in words a client reads without knowing the log.

        >>> from datetime import UTC, datetime
        >>> at = datetime(2026, 12, 4, tzinfo=UTC)
        >>> Look(at, "Ada", Role.ADMIN, EXPORTED, "data").sentence()
        'Admin Ada exported all your data'
        >>> Look(at, "Ada", Role.ADMIN, "mfa reset", None).sentence()
        'Admin Ada: mfa reset'
        """
        actor = who(self.actor_name, self.actor_role)
        verb = VERBS.get(self.action)
        if verb is None:
            return f"{actor}: {self.action}"
        what = OBJECT_WORDS.get(object_kind(self.object), "your data")
        if self.object_date is not None:
            what += f" of {self.object_date.day} {self.object_date:%b}"
        return f"{actor} {verb} {what}"
