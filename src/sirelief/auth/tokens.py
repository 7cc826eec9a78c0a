"""Session and link tokens: random, shown once, stored only as a SHA-256 hash.

A session token carries 256 random bits (ASVS 7.2.3 asks for 128 at least), a link's token
(an invitation, a password reset) 256 too (issue 17 asks for 128 at least). All are long
enough that a plain SHA-256 is a safe way to keep them: a leaked table of hashes gives
nobody a token to present. An invitation lasts 7 days, a password-reset link 24 hours;
each is spent by its first use. The time is a parameter.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sirelief.domain.accounts import INVITATION_LIFETIME, PASSWORD_RESET_LIFETIME

TOKEN_BYTES = 32


def new_token() -> str:
    """256 bits from the system's CSPRNG, URL-safe (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` is the one ``stored_hash`` was made from (constant time).

    >>> token = new_token()
    >>> token_matches(token, token_hash(token)), token_matches(new_token(), token_hash(token))
    (True, False)
    """
    return hmac.compare_digest(token_hash(token), stored_hash)


class InvitationState(StrEnum):
    VALID = "valid"
    WRONG_TOKEN = "wrong token"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class Link:
    """A single-use link (to join a clinic, to reset a password), as stored (never the
    token itself)."""

    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def state(self, token: str, *, now: datetime) -> InvitationState:
        """Whether ``token`` opens this link at ``now``, and if not, why."""
        if not token_matches(token, self.token_hash):
            return InvitationState.WRONG_TOKEN
        if self.used_at is not None:
            return InvitationState.USED
        if now >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.VALID

    def used(self, *, now: datetime) -> "Link":
        """The same link, spent at ``now``."""
        return replace(self, used_at=now)


def new_link(*, now: datetime, lifetime: timedelta) -> tuple[str, Link]:
    """The token to put in the link (shown once) and the link to store.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 1, 5, tzinfo=UTC)
    >>> token, link = new_link(now=now, lifetime=PASSWORD_RESET_LIFETIME)
    >>> link.state(token, now=now + PASSWORD_RESET_LIFETIME).value
    'expired'
    """
    if now.tzinfo is None:
        raise ValueError("give the time with its zone (a naive datetime is ambiguous)")
    token = new_token()
    return token, Link(token_hash(token), now, now + lifetime)


def new_invitation(*, now: datetime) -> tuple[str, Link]:
    """An invitation's token and link: 7 days.

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 1, 5, tzinfo=UTC)
    >>> token, invitation = new_invitation(now=now)
    >>> invitation.state(token, now=now + INVITATION_LIFETIME).value
    'expired'
    """
    return new_link(now=now, lifetime=INVITATION_LIFETIME)


def new_password_reset(*, now: datetime) -> tuple[str, Link]:
    """A password-reset link's token and link: 24 hours."""
    return new_link(now=now, lifetime=PASSWORD_RESET_LIFETIME)
