"""Use cases of clinic mode: setting it up, accounts, signing in and out (issue 17).

Clinic mode is the database having an installation row (made by ``setup``); in personal
mode nothing here is used beyond ``clinic_mode()``. Every refusal is a ``ServiceError``
with one line fit to show; the time comes only from the injected clock. The limits
(timeouts, sign-in delays) live in ``domain/accounts.py`` and docs/security.md.
"""

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import cache

from sirelief.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from sirelief.auth.tokens import new_token, token_hash
from sirelief.auth.totp import (
    looks_like_recovery_code,
    provisioning_uri,
    recovery_code_hash,
    verify_totp,
)
from sirelief.domain.access import Actor, Role, Target
from sirelief.domain.accounts import (
    LOGIN_LIMITS,
    SEEN_EVERY,
    TOTP_REQUIRED,
    Account,
    AuditEntry,
    Clinic,
    Login,
    fold_user_name,
    user_name_problem,
)
from sirelief.services.errors import ServiceError
from sirelief.services.links import count_failure, seconds_to_wait_for
from sirelief.storage.accounts_store import (
    AccountsStore,
    AlreadySetUpError,
    CodeSpentError,
    NoPersonalDataError,
)
from sirelief.storage.coaching_store import CoachingStore
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
        name = _clinic_name(name)
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
        password: str | Callable[[], str],
        clinic: str | None = None,
        actor: Actor | None = None,
    ) -> Account:
        """A new account; an admin has no clinic, a coach or a client belongs to one.

        ``password`` may be a function that asks for it: it is called only once the role
        and the clinic are known to be right, so nobody types a password for nothing.
        """
        role, found = self._place_of(role, clinic)
        password = password if isinstance(password, str) else password()
        account = self._new_account(role, user_name, password, found)
        entry = self._entry(f"account added ({role})", actor, account)
        if not self.store.add_account(account, hash_password(password), entry):
            raise ServiceError(f"the user name '{account.user_name}' is taken")
        return account

    def _place_of(self, role: Role | str, clinic: str | None) -> tuple[Role, Clinic | None]:
        """The role and clinic of a new account, checked."""
        self._require_clinic_mode()
        try:
            role = Role(role)
        except ValueError:
            raise ServiceError(f"role: choose {', '.join(Role)} (not '{_shown(role)}')") from None
        if role is Role.ADMIN:
            if clinic:
                raise ServiceError("an admin stands above the clinics: leave out the clinic")
            return role, None
        if not clinic:
            raise ServiceError(f"a {role} belongs to a clinic: name it (--clinic NAME)")
        found = self.store.clinic_named(clinic)
        if found is None:
            raise ServiceError(f"no clinic named '{_shown(clinic)}' (see: sirelief clinics list)")
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
        name = _name_to_look_up(user_name)
        if user_agent:  # PostgreSQL keeps no NUL in text
            user_agent = user_agent.replace("\x00", "\ufffd")
        keys = [f"user:{name}"] + ([f"address:{address}"] if address else [])
        wait = seconds_to_wait_for(self.store, keys, now)
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
        step = recovery = None
        if found.totp_secret is not None:
            if not totp_code:
                raise CodeNeededError("enter the 6-digit code from your authenticator app")
            if looks_like_recovery_code(totp_code):
                recovery = recovery_code_hash(totp_code)  # spent by start_login, or refused
            else:
                step = verify_totp(
                    found.totp_secret, totp_code, at=now, last_used_step=found.totp_last_step
                )
            if step is None and recovery is None:
                self._failed(keys, now, subject, address, "wrong code")
                raise SignInRefusedError("the code is wrong or was used already")
        if needs_rehash(found.password_hash):
            self.store.set_password(found.account.id, hash_password(password), None)
        token = new_token()
        limits = LOGIN_LIMITS[found.account.role]
        login = Login(new_id(), found.account.id, now, now, now + limits.absolute,
                      address, user_agent)  # fmt: skip
        action = "signed in with a recovery code" if recovery else "signed in"
        try:
            self.store.start_login(
                login, token_hash(token),
                ending=token_hash(replacing) if replacing else None, clear_failures=keys[0],
                totp_step=step, entry=self._entry(action, None, subject, address, subject),
                recovery_code=recovery,
            )  # fmt: skip
        except CodeSpentError:
            self._failed(keys, now, subject, address, "wrong recovery code")
            raise SignInRefusedError("that recovery code is wrong or was used already") from None
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
        return Actor(
            account.id, account.role, account.clinic_id, assigned or frozenset(),
            account.profile_id,
            must_enrol_totp=account.role in TOTP_REQUIRED and not account.has_totp,
        )  # fmt: skip

    def sign_out(self, token: str) -> bool:
        """End this login; False when it had ended already."""
        return self.store.end_login(token_hash(token))

    # --- helpers --------------------------------------------------------------------
    # --- whose data a request is about (the web's access table) ---------------------------
    def owner_of_session(self, session_id: str) -> Target | None:
        return self.store.owner_of_session(session_id)

    def owner_of_client(self, account_id: str) -> Target | None:
        return self.store.owner_of_account(account_id)

    def owner_of_login(self, login_id: str) -> Target | None:
        return self.store.owner_of_login(login_id)

    def owner_of_invitation(self, invitation_id: str) -> Target | None:
        """An invitation belongs to its clinic and to whoever made it."""
        found = self.store.invitation(invitation_id)
        return None if found is None else Target(found.clinic_id, found.invited_by)

    def owner_of_template(self, template_id: str) -> Target | None:
        """A coach's routine template belongs to its clinic and its author."""
        found = CoachingStore(self.store.database).owner_of_template(template_id)
        return None if found is None else Target(*found)

    def profile_of(self, account_id: str) -> str | None:
        """The profile a client's exercise data hangs on."""
        return self.store.profile_of(account_id)

    def accounts_with_ids(self, account_ids: list[str]) -> list[Account]:
        return self.store.accounts_with_ids(account_ids)

    def clients_of(self, actor: Actor) -> list[Account]:
        """The clients ``actor`` follows: a coach's assigned ones, every client for an
        admin, none for a client."""
        if actor.role is Role.COACH:
            return self.store.accounts_with_ids(actor.assigned_client_ids)
        if actor.role is Role.ADMIN:
            return [a for a in self.store.accounts() if a.role is Role.CLIENT]
        return []

    def _require_clinic_mode(self) -> None:
        if not self.clinic_mode():
            raise ServiceError("this is a personal installation: run 'sirelief setup' first")

    def _new_account(
        self, role: Role, user_name: str, password: str, clinic: Clinic | None
    ) -> Account:
        return new_account(role, user_name, password, clinic, self.clock())

    def _account_named(self, user_name: str) -> Account:
        found = self.store.credentials(fold_user_name(user_name))
        if found is None:
            raise ServiceError(f"no user named '{_shown(user_name)}' (see: sirelief users list)")
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
        count_failure(self.store, keys, entry)

    # --- coaches and logins (CLI) -----------------------------------------------------
    def setup_from_personal(
        self,
        role: Role | str,
        user_name: str,
        password: str | Callable[[], str],
        clinic: str | None = None,
    ) -> Account:
        """Clinic mode on, with the person of this personal database as its first client
        (in the new clinic ``clinic``) or its first admin. Their profile, and every row on
        it, stays as it is: the new account points at it. ``password`` as in ``add_user``."""
        if self.clinic_mode():
            raise ServiceError("already set up: add accounts with 'sirelief users add'")
        if role not in (Role.CLIENT, Role.ADMIN):
            raise ServiceError(f"--as: choose client or admin (not '{_shown(role)}')")
        role = Role(role)
        found = Clinic(new_id(), _clinic_name(clinic), self.clock()) if clinic else None
        if role is Role.CLIENT and found is None:
            raise ServiceError("a client belongs to a clinic: name it (--clinic NAME)")
        password = password if isinstance(password, str) else password()
        account = self._new_account(
            role, user_name, password, found if role is Role.CLIENT else None
        )
        entry = self._entry(f"set up from personal data ({role})", None, account)
        try:
            profile = self.store.install_from_personal(
                account, hash_password(password), found, entry
            )
        except AlreadySetUpError:
            raise ServiceError("already set up: add accounts with 'sirelief users add'") from None
        except NoPersonalDataError:
            raise ServiceError(
                "there is no personal data here to carry over: run 'sirelief setup' "
                "without --from-personal"
            ) from None
        self._clinic_mode = True
        return replace(account, profile_id=profile)

    def sign_out_everywhere(self, user_name: str, actor: Actor | None = None) -> int:
        """End every login of the account at once (a lost phone); how many were ended."""
        self._require_clinic_mode()
        account = self._account_named(user_name)
        return self.store.end_logins_of(
            account.id, self._entry("signed out everywhere", actor, account)
        )

    def sign_out_all(self, actor: Actor | None = None) -> int:
        """End every login of every account at once (ASVS 7.4.5); how many were ended."""
        self._require_clinic_mode()
        return self.store.end_logins_of(None, self._entry("signed out everyone", actor, None))

    def assign(self, coach: str, client: str, actor: Actor | None = None) -> None:
        """Let ``coach`` see and coach ``client``: both in the same clinic."""
        self._set_assigned(coach, client, True, actor)

    def unassign(self, coach: str, client: str, actor: Actor | None = None) -> None:
        """``coach`` no longer sees ``client``'s data (their other coaches still do)."""
        self._set_assigned(coach, client, False, actor)

    def _set_assigned(self, coach: str, client: str, assigned: bool, actor: Actor | None) -> None:
        self._require_clinic_mode()
        found = self._account_named(coach)
        person = self._account_named(client)
        if found.role is not Role.COACH:
            raise ServiceError(f"'{found.user_name}' is {_a(found.role)}, not a coach")
        if person.role is not Role.CLIENT:
            raise ServiceError(f"'{person.user_name}' is {_a(person.role)}, not a client")
        if found.clinic_id != person.clinic_id:
            raise ServiceError(
                f"'{found.user_name}' ({found.clinic_name}) and '{person.user_name}' "
                f"({person.clinic_name}) are in different clinics"
            )
        action = "coach assigned" if assigned else "coach unassigned"
        entry = replace(self._entry(action, actor, person), object=f"accounts/{found.id}")
        if not self.store.set_assigned(found.id, person.id, assigned, entry):
            state = "already coaches" if assigned else "does not coach"
            raise ServiceError(f"'{found.user_name}' {state} '{person.user_name}'")


def _clinic_name(name: str) -> str:
    """A clinic's name with its spaces tidied, or a refusal naming the field."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        raise ServiceError("clinic name: use 1 to 120 characters")
    if not name.isprintable():
        raise ServiceError("clinic name: use letters, digits, spaces and punctuation only")
    return name


def _shown(typed: str, limit: int = 40) -> str:
    """A name as someone typed it, safe to repeat in a one-line refusal: control
    characters escaped (no line breaks, no terminal codes) and a long one cut short."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in typed[:limit])
    return shown + ("..." if len(typed) > limit else "")


def _a(role: Role) -> str:
    return f"an {role}" if role is Role.ADMIN else f"a {role}"


def new_account(
    role: Role,
    user_name: str,
    password: str,
    clinic: Clinic | None,
    now: datetime,
    display_name: str | None = None,
) -> Account:
    """A new account's values, once its user name and password pass the rules (else a
    ``ServiceError`` naming the field): for ``add_user`` and for accepting an invitation."""
    problem = user_name_problem(user_name)
    if problem:
        raise ServiceError(problem)
    account = Account(
        new_id(), fold_user_name(user_name), display_name or user_name.strip(), role,
        clinic.id if clinic else None, clinic.name if clinic else None, now, None, False,
    )  # fmt: skip
    problem = password_problem(password, personal_words=_words(account))
    if problem:
        raise ServiceError(str(problem))
    return account


def _name_to_look_up(user_name: str) -> str:
    """The folded user name; for one no account can have, a stand-in of fixed length
    that still slows its own repeats. Such a name may hold a NUL, or outgrow the failure
    key's column once folded ("\ufb03" folds to "ffi"): PostgreSQL stored neither (a 500).
    """
    name = fold_user_name(user_name)
    if user_name_problem(name) is None:
        return name
    return "?" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def _id(actor: Actor | None) -> str | None:
    return actor.user_id if actor else None


def _words(account: Account) -> list[str]:
    """Words of the person a password must not be built on (ASVS 6.2.11)."""
    return [w for w in (account.user_name, account.display_name, account.clinic_name) if w]
