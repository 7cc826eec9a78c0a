"""The audit log's use cases: noting that a coach or admin read or changed a client's data,
showing a client who looked, and the whole log for admins (issue 17 item 5).

``record_access`` runs on every request where the actor is not the data's owner, so it is
cheap: the owner themself (and personal mode, where there is no actor) costs nothing, and
a read repeated within ``COLLAPSE_WINDOW`` is answered from memory. The memory is per
process; another worker asks the database once, then remembers too, so collapsing holds
across workers at the price of one small indexed read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from threading import Lock

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import AuditEntry
from sirelief.domain.audit import COLLAPSE_WINDOW, READ, Look, collapses, object_id, object_kind
from sirelief.services.errors import ServiceError
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.audit_store import AuditStore, LogLine

PAGE_SIZE = 50
MAX_REMEMBERED = 10_000
"""Reads remembered for collapsing; past this the ones older than the window are dropped."""

Key = tuple[str, str, str, str | None]


class NotAnAdminError(ServiceError):
    """Only an admin reads the whole log."""


@dataclass(frozen=True)
class LogPage:
    lines: list[LogLine]
    page: int
    pages: int
    total: int


class Audit:
    """Who did what to whose data: writing access lines, and reading the log back."""

    def __init__(
        self,
        accounts: AccountsStore,
        lines: AuditStore,
        clock: Callable[[], datetime],
        zone: Callable[[], tzinfo],
    ) -> None:
        self.accounts = accounts
        self.lines = lines
        self.clock = clock
        self.zone = zone
        self._written: dict[Key, datetime] = {}
        self._lock = Lock()

    def record_access(
        self,
        actor: Actor | None,
        client_account_id: str,
        action: str,
        object: str | None = None,
        address: str | None = None,
    ) -> bool:
        """Note that ``actor`` read or changed (``domain.audit.READ``/``CHANGED``) a
        client's data; whether a line was written. Nothing is written for the owner
        themself, without an actor (personal mode), or for a read of the same object by
        the same actor within ten minutes of the last line (``COLLAPSE_WINDOW``)."""
        if actor is None or actor.user_id == client_account_id:
            return False
        now = self.clock()
        key = (actor.user_id, client_account_id, action, object)
        if action == READ:
            with self._lock:
                last = self._written.get(key)
            if not collapses(action, last, now):  # another worker may have written it
                last = self.lines.last_written(*key, since=now - COLLAPSE_WINDOW)
            if collapses(action, last, now):
                self._remember(key, last, now)
                return False
        self.accounts.record(
            AuditEntry(now, action, actor.user_id, client_account_id, object, address)
        )
        if action == READ:
            self._remember(key, now, now)
        return True

    def who_looked(self, client: Actor) -> list[Look]:
        """Every line about the client's data written by someone else, newest first."""
        found = self.accounts.credentials_of(client.user_id)
        profile_id = found.account.profile_id if found else None
        lines = self.lines.by_others(client.user_id)
        sessions = {
            object_id(line.entry.object)
            for line in lines
            if object_kind(line.entry.object) == "sessions" and object_id(line.entry.object)
        }
        times = self.lines.session_times(profile_id, sessions) if profile_id else {}
        zone = self.zone()
        looks = []
        for line in lines:
            made = times.get(object_id(line.entry.object) or "")
            if object_kind(line.entry.object) != "sessions":
                made = None
            looks.append(Look(
                line.entry.at, line.actor.name, line.actor.role, line.entry.action,
                line.entry.object, made.astimezone(zone).date() if made else None,
            ))  # fmt: skip
        return looks

    def log(self, admin: Actor, account_id: str | None = None, page: int = 1) -> LogPage:
        """One page of the log for an admin, newest first, optionally only the lines by
        or about one account."""
        if admin.role is not Role.ADMIN:
            raise NotAnAdminError("only an admin reads the audit log")
        page = max(1, page)
        lines, total = self.lines.page(account_id or None, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        return LogPage(lines, page, pages, total)

    def _remember(self, key: Key, at: datetime, now: datetime) -> None:
        with self._lock:
            if len(self._written) >= MAX_REMEMBERED:
                self._written = {
                    k: t for k, t in self._written.items() if now - t < COLLAPSE_WINDOW
                }
            self._written[key] = at
