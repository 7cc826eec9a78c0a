"""A signed-in person's own account (clinic mode): their password, two-step sign-in (TOTP)
and recovery codes, and the browsers signed in as them (issue 17; ASVS 6.2.2-3, 6.5, 7.4.3,
7.5.2).

Every method takes the ``Actor`` and touches only that account, so nobody reaches another
person's logins or codes by id. Changing a factor asks for the current password (ASVS 7.5.1;
wrong ones slow further tries as at sign-in) and ends the account's other logins; recovery
codes are shown once, only hashes are kept.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sirelief.auth.passwords import hash_password, password_problem, verify_password
from sirelief.auth.qr import invitation_qr_svg
from sirelief.auth.tokens import token_hash
from sirelief.auth.totp import (
    new_recovery_codes,
    new_totp_secret,
    provisioning_uri,
    recovery_code_hash,
    verify_totp,
)
from sirelief.domain.access import Actor
from sirelief.domain.accounts import (
    FAILURE_WINDOW,
    Account,
    AuditEntry,
    Credentials,
    Login,
    seconds_to_wait,
)
from sirelief.services.accounts import _words
from sirelief.services.errors import ServiceError
from sirelief.storage.my_account_store import MyAccountStore

SECRET_SHAPE = re.compile(r"[A-Z2-7]{32}")
"""What ``new_totp_secret`` makes: 32 base32 symbols, 160 bits."""
WRONG_PASSWORD = "current password: that is not your current password"


class LoginNotFoundError(ServiceError):
    """No login of this account has that id (another account's id answers the same)."""


@dataclass(frozen=True)
class OwnAccount:
    """What the account page shows."""

    account: Account
    recovery_codes_left: int


@dataclass(frozen=True)
class TotpStart:
    """A new secret for an authenticator app, not kept until a code confirms it."""

    secret: str
    link: str
    """The ``otpauth://`` link the QR code holds."""
    qr_svg: str


@dataclass(frozen=True)
class OwnLogin:
    login: Login
    current: bool
    """The login this request came with."""


class MyAccount:
    """What a person does to their own account once signed in."""

    def __init__(self, store: MyAccountStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def overview(self, actor: Actor) -> OwnAccount:
        account = self._credentials(actor).account
        return OwnAccount(account, self.store.recovery_codes_left(account.id))

    def change_password(
        self, actor: Actor, current: str, new: str, keep_token: str | None = None
    ) -> None:
        """Needs the current password; every other login of the account ends."""
        found = self._credentials(actor)
        self._check_password(found, current)
        account = found.account
        problem = password_problem(new, field="new password", personal_words=_words(account))
        if problem:
            raise ServiceError(str(problem))
        keep = token_hash(keep_token) if keep_token else None
        self.store.set_password(
            account.id, hash_password(new), self._entry(actor, "password changed"),
            keep_login=keep,
        )  # fmt: skip

    # --- two-step sign-in ----------------------------------------------------------------
    def start_totp(self, actor: Actor, again: str | None = None) -> TotpStart:
        """A fresh secret with its link and QR code; nothing is stored yet. ``again``: the
        secret shown before, when a code for it was refused (the app has it already)."""
        account = self._credentials(actor).account
        secret = again if again and SECRET_SHAPE.fullmatch(again) else new_totp_secret()
        link = provisioning_uri(secret, account.user_name)
        qr = invitation_qr_svg(link, title="QR code to add sirelief to your authenticator app")
        return TotpStart(secret, link, qr)

    def confirm_totp(
        self,
        actor: Actor,
        secret: str,
        code: str,
        *,
        password: str | None = None,
        keep_token: str | None = None,
    ) -> list[str]:
        """Keep ``secret`` once a code made from it proves the app has it; the ten recovery
        codes to show once. Needs the password too (ASVS 7.5.1: someone holding a stolen
        login must not tie the account to their own phone). Other logins end: they were
        made without this factor."""
        found = self._credentials(actor)
        self._check_password(found, password or "")
        if not SECRET_SHAPE.fullmatch(secret):
            raise ServiceError("secret: that is not one sirelief made; start again")
        step = verify_totp(secret, code, at=self.clock(), last_used_step=None)
        if step is None:
            raise ServiceError("code: that is not the code your app shows now; try the next one")
        codes = new_recovery_codes()
        keep = token_hash(keep_token) if keep_token else None
        self.store.enrol_totp(
            actor.user_id, secret, step, [recovery_code_hash(c) for c in codes],
            self._entry(actor, "mfa enrolled"), keep,
        )  # fmt: skip
        return codes

    def new_recovery_codes(self, actor: Actor, password: str) -> list[str]:
        """A new set of ten (shown once); the old set stops working."""
        found = self._credentials(actor)
        self._check_password(found, password)
        if found.totp_secret is None:
            raise ServiceError("recovery codes come with two-step sign-in: turn that on first")
        codes = new_recovery_codes()
        self.store.replace_recovery_codes(
            actor.user_id, [recovery_code_hash(c) for c in codes],
            self._entry(actor, "recovery codes replaced"),
        )  # fmt: skip
        return codes

    # --- logins -------------------------------------------------------------------------
    def logins_of(self, actor: Actor, current_token: str | None = None) -> list[OwnLogin]:
        """The account's logins, most recently used first; which one is this request's."""
        current = self.store.login(token_hash(current_token)) if current_token else None
        current_id = current[0].id if current else None
        logins = sorted(
            self.store.logins_of(actor.user_id), key=lambda x: x.last_seen_at, reverse=True
        )
        return [OwnLogin(login, login.id == current_id) for login in logins]

    def end_login(self, actor: Actor, login_id: str) -> None:
        """End one of the actor's own logins at once."""
        entry = self._entry(actor, "login ended", f"logins/{login_id}")
        if not self.store.end_own_login(actor.user_id, login_id, entry):
            raise LoginNotFoundError("there is no such login: it may have ended already")

    def end_other_logins(self, actor: Actor, keep_token: str | None) -> int:
        """End every login of the account but this one; how many ended."""
        keep = token_hash(keep_token) if keep_token else None
        entry = self._entry(actor, "other logins ended")
        return self.store.end_other_logins(actor.user_id, keep, entry)

    # --- helpers ------------------------------------------------------------------------
    def _check_password(self, found: Credentials, password: str) -> None:
        """The current password, or a refusal. Wrong ones count with the sign-in's failures
        for the user name, so a stolen login cannot guess the password here faster than at
        the sign-in page (ASVS 6.3.1)."""
        now, key = self.clock(), f"user:{found.account.user_name}"
        count, latest = self.store.failures([key], now - FAILURE_WINDOW).get(key, (0, None))
        wait = seconds_to_wait(count, latest, now)
        if wait:
            raise ServiceError(f"current password: too many wrong tries; try again in {wait} s")
        if not verify_password(found.password_hash, password):
            who = found.account.id
            entry = AuditEntry(now, "password check failed", who, who, key)
            self.store.add_failure([key], now, now - FAILURE_WINDOW, entry)
            raise ServiceError(WRONG_PASSWORD)

    def _credentials(self, actor: Actor) -> Credentials:
        found = self.store.credentials_of(actor.user_id)
        if found is None:  # deleted between the request's start and now
            raise ServiceError("this account no longer exists")
        return found

    def _entry(self, actor: Actor, action: str, object_: str | None = None) -> AuditEntry:
        return AuditEntry(self.clock(), action, actor.user_id, actor.user_id, object_)
