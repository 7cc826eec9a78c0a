"""Use cases of clinic mode: setting it up, accounts, signing in and out (issue 17).

Clinic mode is the database having an installation row (made by ``setup``); in personal
mode nothing here is used beyond ``clinic_mode()``. Every refusal is a ``ServiceError``
with one line fit to show; the time comes only from the injected clock. The limits
(timeouts, sign-in delays) live in ``domain/accounts.py`` and docs/security.md.
"""

from collections.abc import Callable
from datetime import datetime
from functools import cache

from sirelief.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from sirelief.auth.tokens import new_token, token_hash
from sirelief.auth.totp import provisioning_uri, verify_totp
from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import (
    FAILURE_WINDOW,
    LOGIN_LIMITS,
    SEEN_EVERY,
    Account,
    AuditEntry,
    Clinic,
    Login,
    fold_user_name,
    seconds_to_wait,
    user_name_problem,
)
from sirelief.services.errors import ServiceError
from sirelief.storage.accounts_store import AccountsStore, AlreadySetUpError
from sirelief.storage.store import new_id

WRONG_CREDENTIALS = "the user name or the password is wrong"
"""The same words whether the user name exists or not."""


class SignInRefusedError(ServiceError):
    """A sign-in not accepted; ``retry_after_s`` is set when it was not even heard."""

    def __init__(self, message: str, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class CodeNeededError(SignInRefusedError):
    """The password is right and the account has TOTP: ask for the code."""


@cache
def _stand_in_hash() -> str:
    """Checked when the user name is unknown, so that answer takes as long as a wrong
    password and timing tells nobody which names exist."""
    return hash_password(new_token())


class Accounts:
    """Setting up clinic mode, managing accounts, signing in, and who a login is."""

    def __init__(self, store: AccountsStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self._clinic_mode = False

    def clinic_mode(self) -> bool:
        """Whether ``sirelief setup`` ran on this database (asked once it has)."""
        if not self._clinic_mode:
            self._clinic_mode = self.store.is_installed()
        return self._clinic_mode

    # --- setting up and administering ---------------------------------------------------
    def setup(self, admin_name: str, password: str) -> Account:
        """Clinic mode on, with its first admin; no default account, no default password."""
        if self.clinic_mode():
            raise ServiceError("already set up: add accounts with 'sirelief users add'")
        admin = self._new_account(Role.ADMIN, admin_name, password, clinic=None)
        try:
            self.store.install(admin, hash_password(password), self._entry("set up", None, admin))
        except AlreadySetUpError:
            raise ServiceError("already set up: add accounts with 'sirelief users add'") from None
        self._clinic_mode = True
        return admin

    def add_clinic(self, name: str, actor: Actor | None = None) -> Clinic:
        self._require_clinic_mode()
        name = " ".join(name.split())
        if not 1 <= len(name) <= 120:
            raise ServiceError("clinic name: use 1 to 120 characters")
        entry = AuditEntry(self.clock(), "clinic added", _id(actor), object=f"clinics/{name}")
        clinic = self.store.add_clinic(name, self.clock(), entry)
        if clinic is None:
            raise ServiceError(f"there is a clinic named '{name}' already")
        return clinic

    def clinics(self) -> list[Clinic]:
        return self.store.clinics()

    def add_user(
        self,
        role: Role | str,
        user_name: str,
        password: str,
        clinic: str | None = None,
        actor: Actor | None = None,
    ) -> Account:
        """A new account; an admin has no clinic, a coach or a client belongs to one."""
        role, found = self.check_new_user(role, clinic)
        account = self._new_account(role, user_name, password, found)
        entry = self._entry(f"account added ({role})", actor, account)
        if not self.store.add_account(account, hash_password(password), entry):
            raise ServiceError(f"the user name '{account.user_name}' is taken")
        return account

    def check_new_user(self, role: Role | str, clinic: str | None) -> tuple[Role, Clinic | None]:
        """The role and clinic of a new account, checked before anyone types a password."""
        self._require_clinic_mode()
        try:
            role = Role(role)
        except ValueError:
            raise ServiceError(f"role: choose {', '.join(Role)} (not '{role}')") from None
        if role is Role.ADMIN:
            if clinic:
                raise ServiceError("an admin stands above the clinics: leave out the clinic")
            return role, None
        if not clinic:
            raise ServiceError(f"a {role} belongs to a clinic: name it (--clinic NAME)")
        found = self.store.clinic_named(clinic)
        if found is None:
            raise ServiceError(f"no clinic named '{clinic}' (see: sirelief clinics list)")
        return role, found

    def list_users(self) -> list[Account]:
        return self.store.accounts()

    def disable(self, user_name: str, actor: Actor | None = None) -> int:
        """Disable an account and end its logins at once; how many were ended."""
        account = self._account_named(user_name)
        if account.disabled:
            raise ServiceError(f"'{account.user_name}' is disabled already")
        if account.role is Role.ADMIN and self.store.count_enabled(Role.ADMIN) == 1:
            raise ServiceError("that is the last admin: add another admin before disabling it")
        entry = self._entry("account disabled", actor, account)
        return self.store.set_disabled(account.id, self.clock(), entry)

    def enable(self, user_name: str, actor: Actor | None = None) -> None:
        account = self._account_named(user_name)
        if not account.disabled:
            raise ServiceError(f"'{account.user_name}' is not disabled")
        self.store.set_disabled(account.id, None, self._entry("account enabled", actor, account))

    def reset_mfa(self, user_name: str, actor: Actor | None = None) -> None:
        """Forget the TOTP secret and recovery codes: the person enrols again."""
        account = self._account_named(user_name)
        self.store.set_totp(account.id, None, None, self._entry("mfa reset", actor, account))

    def enrol_totp(self, user_name: str, secret: str, code: str) -> None:
        """Keep ``secret`` once a code made from it proves the app has it."""
        account = self._account_named(user_name)
        step = verify_totp(secret, code, at=self.clock(), last_used_step=None)
        if step is None:
            raise ServiceError("code: that is not the code your app shows now; try the next")
        self.store.set_totp(account.id, secret, step, self._entry("mfa enrolled", None, account))

    def totp_link(self, user_name: str, secret: str) -> str:
        """The ``otpauth://`` link an authenticator app reads."""
        return provisioning_uri(secret, fold_user_name(user_name))

    def audit_log(self) -> list[AuditEntry]:
        return self.store.audit_entries()

    # --- signing in and out --------------------------------------------------------------
    def sign_in(
        self,
        user_name: str,
        password: str,
        totp_code: str | None = None,
        address: str | None = None,
        *,
        user_agent: str | None = None,
        replacing: str | None = None,
    ) -> str:
        """A new login's token (shown once, kept only as a hash). ``replacing`` is the
        token the browser held before, if any: it ends (a new token at every sign-in).

        Failures slow further tries per user name and per address (``retry_after_s``);
        nobody is ever locked out.
        """
        now = self.clock()
        name = fold_user_name(user_name)
        keys = [f"user:{name}"] + ([f"address:{address}"] if address else [])
        failures = self.store.failures(keys, now - FAILURE_WINDOW)
        wait = max(
            (seconds_to_wait(count, latest, now) for count, latest in failures.values()),
            default=0,
        )
        if wait:
            raise SignInRefusedError(f"too many failed sign-ins: try again in {wait} s", wait)
        found = self.store.credentials(name)
        right = verify_password(found.password_hash if found else _stand_in_hash(), password)
        subject = found.account if found else None
        if not right or found is None:
            self._failed(keys, now, subject, address, "wrong password")
            raise SignInRefusedError(WRONG_CREDENTIALS)
        if found.account.disabled:
            raise SignInRefusedError("this account is disabled: ask your clinic's admin")
        step = None
        if found.totp_secret is not None:
            if not totp_code:
                raise CodeNeededError("enter the 6-digit code from your authenticator app")
            step = verify_totp(
                found.totp_secret, totp_code, at=now, last_used_step=found.totp_last_step
            )
            if step is None:
                self._failed(keys, now, subject, address, "wrong code")
                raise SignInRefusedError("the code is wrong or was used already")
        if needs_rehash(found.password_hash):
            self.store.set_password(found.account.id, hash_password(password), None)
        token = new_token()
        limits = LOGIN_LIMITS[found.account.role]
        login = Login(new_id(), found.account.id, now, now, now + limits.absolute,
                      address, user_agent)  # fmt: skip
        self.store.start_login(
            login, token_hash(token),
            ending=token_hash(replacing) if replacing else None, clear_failures=keys[0],
            totp_step=step, entry=self._entry("signed in", None, subject, address, subject),
        )  # fmt: skip
        return token

    def actor_for(self, token: str) -> Actor | None:
        """Who holds ``token``, or None when it is unknown, ended, idle too long, past its
        absolute end, or its account is disabled (then the login ends)."""
        found = self.store.login(token_hash(token))
        if found is None:
            return None
        login, account = found
        now = self.clock()
        if account.disabled or not login.is_live(now, LOGIN_LIMITS[account.role]):
            self.store.end_login(token_hash(token))
            return None
        if now - login.last_seen_at >= SEEN_EVERY:
            self.store.seen(login.id, now)
        assigned = self.store.assigned_clients(account.id) if account.role is Role.COACH else None
        return Actor(account.id, account.role, account.clinic_id, assigned or frozenset())

    def sign_out(self, token: str) -> bool:
        """End this login; False when it had ended already."""
        return self.store.end_login(token_hash(token))

    def change_password(
        self, actor: Actor, current: str, new: str, keep_token: str | None = None
    ) -> None:
        """Needs the current password; every other login of the account ends."""
        found = self.store.credentials_of(actor.user_id)
        if found is None or not verify_password(found.password_hash, current):
            raise ServiceError("current password: that is not your current password")
        account = found.account
        problem = password_problem(new, field="new password", personal_words=_words(account))
        if problem:
            raise ServiceError(str(problem))
        entry = self._entry("password changed", actor, account)
        keep = token_hash(keep_token) if keep_token else None
        self.store.set_password(account.id, hash_password(new), entry, keep_login=keep)

    # --- helpers --------------------------------------------------------------------
    def _require_clinic_mode(self) -> None:
        if not self.clinic_mode():
            raise ServiceError("this is a personal installation: run 'sirelief setup' first")

    def _new_account(
        self, role: Role, user_name: str, password: str, clinic: Clinic | None
    ) -> Account:
        problem = user_name_problem(user_name)
        if problem:
            raise ServiceError(problem)
        account = Account(
            new_id(), fold_user_name(user_name), user_name.strip(), role,
            clinic.id if clinic else None, clinic.name if clinic else None,
            self.clock(), None, False,
        )  # fmt: skip
        problem = password_problem(password, personal_words=_words(account))
        if problem:
            raise ServiceError(str(problem))
        return account

    def _account_named(self, user_name: str) -> Account:
        found = self.store.credentials(fold_user_name(user_name))
        if found is None:
            raise ServiceError(f"no user named '{user_name}' (see: sirelief users list)")
        return found.account

    def _entry(
        self,
        action: str,
        actor: Actor | None,
        subject: Account | None,
        address: str | None = None,
        by: Account | None = None,
    ) -> AuditEntry:
        actor_id = by.id if by else _id(actor)
        subject_id = subject.id if subject else None
        return AuditEntry(self.clock(), action, actor_id, subject_id, None, address)

    def _failed(
        self, keys: list[str], now: datetime, subject: Account | None, address: str | None,
        why: str,
    ) -> None:  # fmt: skip
        entry = AuditEntry(now, f"sign-in failed ({why})", None,
                           subject.id if subject else None, keys[0], address)  # fmt: skip
        self.store.add_failure(keys, now, now - FAILURE_WINDOW, entry)


def _id(actor: Actor | None) -> str | None:
    return actor.user_id if actor else None


def _words(account: Account) -> list[str]:
    """Words of the person a password must not be built on (ASVS 6.2.11)."""
    return [w for w in (account.user_name, account.display_name, account.clinic_name) if w]
