"""Password-reset links (clinic mode; ASVS 6.4.1-6.4.3): an admin, who knows the person
as at enrolment, makes a link at the server's terminal and hands it over; the person opens
it and chooses a new password. Nobody else ever knows it.

The link carries 256 random bits (``auth/tokens.py``), shown once and stored only as a
hash; it works for ``PASSWORD_RESET_LIFETIME`` (24 hours) and once, and a newer link for
the same person voids it. Using it changes the password, spends the link and ends every
login of the account in one transaction (two racing redeems: one wins). It replaces the
password only: an account with two-step sign-in is still asked for its code when it signs
in next, so a reset never bypasses the second factor (6.4.3). Every link that does not
open answers the same words; tries with such links are slowed per address as failed
sign-ins are.
"""

from collections.abc import Callable
from datetime import datetime

from sirelief.auth.passwords import hash_password, password_problem
from sirelief.auth.qr import invitation_qr_text
from sirelief.auth.tokens import new_password_reset
from sirelief.domain.access import Actor
from sirelief.domain.accounts import AuditEntry, PasswordReset, fold_user_name
from sirelief.services.accounts import _shown, _words
from sirelief.services.errors import ServiceError
from sirelief.services.links import count_failure, link_to, seconds_to_wait_for, usable_link
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.links_store import LinkSpentError
from sirelief.storage.store import new_id

CANNOT_USE = (
    "this password-reset link cannot be used (expired, used, replaced by a newer one or "
    "unknown): ask your clinic's admin for a new one"
)
"""The one answer to a link that does not open: nobody learns which it was."""
LINK_PATH = "password-reset"


class ResetLinkUnusableError(ServiceError):
    """``CANNOT_USE``: never saying why."""

    def __init__(self) -> None:
        super().__init__(CANNOT_USE)


class TooManyTriesError(ServiceError):
    """Links that did not open came from this address just now: wait ``retry_after_s``."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            f"too many links that do not open came from here: try again in {retry_after_s} s"
        )
        self.retry_after_s = retry_after_s


class PasswordResets:
    """Making a password-reset link (an admin) and using it (its person)."""

    def __init__(self, store: AccountsStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def make(self, user_name: str, actor: Actor | None = None) -> tuple[str, PasswordReset]:
        """The token for the link (shown once, never stored) and the link as stored; the
        person's earlier unused link stops working. ``actor`` None: the server's terminal."""
        if not self.store.is_installed():
            raise ServiceError("this is a personal installation: run 'sirelief setup' first")
        found = self.store.credentials(fold_user_name(user_name))
        if found is None:
            raise ServiceError(f"no user named '{_shown(user_name)}' (see: sirelief users list)")
        account = found.account
        if account.disabled:
            raise ServiceError(
                f"'{account.user_name}' is disabled: enable it first (sirelief users enable)"
            )
        now = self.clock()
        token, made = new_password_reset(now=now)
        by = actor.user_id if actor else None
        reset = PasswordReset(new_id(), account.id, by, now, made.expires_at)
        entry = AuditEntry(now, "password reset link made", by, account.id,
                           f"password-resets/{reset.id}")  # fmt: skip
        self.store.add_password_reset(reset, made.token_hash, entry)
        return token, reset

    def open(self, token: str, address: str | None = None) -> PasswordReset:
        """The link ``token`` opens now; ``CANNOT_USE`` for any other (counted against
        ``address``), ``TooManyTriesError`` while this address must wait."""
        now = self.clock()
        keys = _keys(address)
        wait = seconds_to_wait_for(self.store, keys, now) if keys else 0
        if wait:
            raise TooManyTriesError(wait)
        found = usable_link(token, self.store.password_reset_of_token, now)
        if found is None:
            entry = AuditEntry(now, "password reset link refused", None, None,
                               keys[0] if keys else None, address)  # fmt: skip
            count_failure(self.store, keys, entry)
            raise ResetLinkUnusableError
        return found

    def redeem(self, token: str, password: str, address: str | None = None) -> str:
        """The new password is set, the link spent, every login of the account ended; the
        user name to sign in with. The password rules are those of every other form."""
        reset = self.open(token, address)
        found = self.store.credentials_of(reset.account_id)
        if found is None:  # the account went between the two reads
            raise ResetLinkUnusableError
        account = found.account
        problem = password_problem(password, field="new password", personal_words=_words(account))
        if problem:
            raise ServiceError(str(problem))
        now = self.clock()
        entry = AuditEntry(now, "password reset by link", account.id, account.id,
                           f"password-resets/{reset.id}", address)  # fmt: skip
        try:
            self.store.reset_password(reset.id, hash_password(password), now, entry)
        except LinkSpentError:
            raise ResetLinkUnusableError from None
        return account.user_name

    @staticmethod
    def link(base_url: str, token: str) -> str:
        """The address to hand the person: ``base_url`` is where this server is reached."""
        return link_to(base_url, LINK_PATH, token)

    @staticmethod
    def qr_text(link: str) -> str:
        """The link as a QR code in block characters, for a terminal."""
        return invitation_qr_text(link)


def _keys(address: str | None) -> list[str]:
    """Tries are slowed per address, apart from sign-ins (a wrong link does not slow
    signing in from the same address)."""
    return [f"reset-link:{address}"] if address else []
