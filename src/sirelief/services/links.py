"""What the use cases of single-use links share (invitations, password-reset links): the
address to show, opening a token, and slowing tries per address as failed sign-ins are.

A token is 43 characters; anything much longer is not one and is not hashed. Only a
token's hash is ever looked up.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from sirelief.auth.tokens import token_hash
from sirelief.domain.accounts import FAILURE_WINDOW, AuditEntry, SingleUseLink, seconds_to_wait
from sirelief.storage.accounts_store import AccountsStore

MAX_TOKEN = 200
"""A token is 43 characters; anything much longer is not one (and is not hashed)."""

L = TypeVar("L", bound=SingleUseLink)


def link_to(base_url: str, path: str, token: str) -> str:
    """The address to send or show: ``base_url`` is where this server is reached.

    >>> link_to("https://clinic.example/", "join", "abc")
    'https://clinic.example/join/abc'
    """
    return f"{base_url.rstrip('/')}/{path}/{token}"


def usable_link(token: str, find: Callable[[str], L | None], now: datetime) -> L | None:
    """The link ``token`` opens at ``now`` (``find`` looks one up by its token's hash), or
    None for one unknown, used, expired, revoked or voided alike."""
    found = find(token_hash(token)) if 0 < len(token) <= MAX_TOKEN else None
    return found if found is not None and found.usable(now) else None


def seconds_to_wait_for(store: AccountsStore, keys: Iterable[str], now: datetime) -> int:
    """How long the failures under ``keys`` make the next try wait (0: it is heard now)."""
    failures = store.failures(keys, now - FAILURE_WINDOW)
    return max(
        (seconds_to_wait(count, latest, now) for count, latest in failures.values()), default=0
    )


def count_failure(store: AccountsStore, keys: list[str], entry: AuditEntry) -> None:
    """One more failure under each key, with its audit line."""
    store.add_failure(keys, entry.at, entry.at - FAILURE_WINDOW, entry)
