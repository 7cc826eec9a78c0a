"""Clinic mode's rows: the installation, clinics, accounts, logins, sign-in failures
and the audit log (invitations and password-reset links: ``links_store.py``). Each method
is one transaction and returns domain values, never rows.

The audit log is insert-only here: an entry is written inside the transaction of the
change it records, and nothing in this module updates or deletes one.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, update

from sirelief.domain.access import Role, Target
from sirelief.domain.accounts import Account, AuditEntry, Clinic, Credentials, Login
from sirelief.storage.account_rows import audit as _audit
from sirelief.storage.account_rows import end_logins
from sirelief.storage.database import Database, Transaction, one_of
from sirelief.storage.links_store import LinksStore
from sirelief.storage.schema import (
    AccountRow,
    AuditRow,
    ClinicRow,
    CoachAssignmentRow,
    InstallationRow,
    LoginRow,
    ProfileRow,
    RecoveryCodeRow,
    SessionRow,
    SignInFailureRow,
)
from sirelief.storage.store import delete_profile_rows, new_id


class AlreadySetUpError(Exception):
    """The installation row exists: clinic mode was set up before."""


class NoPersonalDataError(Exception):
    """A conversion from personal mode found no personal profile to carry over."""


class CodeSpentError(Exception):
    """The recovery code a sign-in would spend is not (or no longer) there."""


def _account(row: AccountRow, clinic_name: str | None) -> Account:
    return Account(
        row.id, row.user_name, row.display_name, Role(row.role), row.clinic_id, clinic_name,
        row.created_at, row.disabled_at, row.totp_secret is not None, row.profile_id,
    )  # fmt: skip


def _account_of(columns) -> Account:
    """An ``Account`` from an ``ACCOUNT_COLUMNS`` row."""
    (account_id, user_name, display_name, role, clinic_id, clinic_name, created_at,
     disabled_at, has_totp, profile_id) = columns  # fmt: skip
    return Account(account_id, user_name, display_name, Role(role), clinic_id, clinic_name,
                   created_at, disabled_at, has_totp, profile_id)  # fmt: skip


def _login(row: LoginRow) -> Login:
    return Login(
        row.id, row.account_id, row.created_at, row.last_seen_at, row.expires_at,
        row.address, row.user_agent,
    )  # fmt: skip


def _clinic_row(tx: Transaction, name: str) -> ClinicRow | None:
    """The clinic of that name in any case, compared in Python: SQLite's ``lower`` folds
    only ASCII, so 'ÛLM' and 'ûlm' would pass as two clinics (a clinic has few rows)."""
    wanted = name.casefold()
    return next(
        (row for row in tx.scalars(select(ClinicRow)) if row.name.casefold() == wanted), None
    )


ACCOUNTS_WITH_CLINIC = select(AccountRow, ClinicRow.name).outerjoin(
    ClinicRow, AccountRow.clinic_id == ClinicRow.id
)
ACCOUNT_COLUMNS = select(
    AccountRow.id, AccountRow.user_name, AccountRow.display_name, AccountRow.role,
    AccountRow.clinic_id, ClinicRow.name, AccountRow.created_at, AccountRow.disabled_at,
    AccountRow.totp_secret.is_not(None), AccountRow.profile_id,
).outerjoin(ClinicRow, AccountRow.clinic_id == ClinicRow.id)  # fmt: skip
"""An ``Account``'s fields as plain columns (no secrets read): a coach's list of 200
clients builds them from Core rows, without the ORM's per-object work."""


class AccountsStore(LinksStore):
    """Every account of one installation (not one profile: the store parts are that)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the installation and its clinics -----------------------------------------------
    def is_installed(self) -> bool:
        """Whether ``sirelief setup`` ran on this database (asked once per process)."""
        with self.database.read() as tx:
            return tx.scalar(select(func.count()).select_from(InstallationRow)) > 0

    def install(self, admin: Account, password_hash: str, entry: AuditEntry) -> None:
        """The installation row and the first admin, together; refused when set up."""
        with self.database.write() as tx:
            if tx.scalar(select(func.count()).select_from(InstallationRow)):
                raise AlreadySetUpError
            tx.add(InstallationRow(id=new_id(), created_at=admin.created_at))
            self._add_account(tx, admin, password_hash)
            _audit(tx, entry)

    def add_clinic(self, name: str, now: datetime, entry: AuditEntry) -> Clinic | None:
        """The new clinic, or None when a clinic has that name already."""
        with self.database.write() as tx:
            if _clinic_row(tx, name) is not None:
                return None
            clinic = Clinic(new_id(), name, now)
            tx.add(ClinicRow(id=clinic.id, name=name, created_at=now))
            _audit(tx, entry)
            return clinic

    def clinics(self) -> list[Clinic]:
        with self.database.read() as tx:
            rows = tx.scalars(select(ClinicRow).order_by(ClinicRow.name))
            return [Clinic(row.id, row.name, row.created_at) for row in rows]

    def clinic_named(self, name: str) -> Clinic | None:
        with self.database.read() as tx:
            row = _clinic_row(tx, name)
            return Clinic(row.id, row.name, row.created_at) if row else None

    # --- accounts -------------------------------------------------------------------
    def _add_account(
        self, tx: Transaction, account: Account, password_hash: str, profile_id: str | None = None
    ) -> None:
        """The account's row; a client without ``profile_id`` gets a new, empty profile."""
        if profile_id is None and account.role is Role.CLIENT:
            profile_id = new_id()
            tx.add(ProfileRow(id=profile_id, name=account.display_name,
                              created_at=account.created_at, is_default=False))  # fmt: skip
            tx.flush()
        tx.add(AccountRow(
            id=account.id, user_name=account.user_name, display_name=account.display_name,
            role=account.role.value, clinic_id=account.clinic_id, password_hash=password_hash,
            created_at=account.created_at, profile_id=profile_id,
        ))  # fmt: skip

    def add_account(self, account: Account, password_hash: str, entry: AuditEntry) -> bool:
        """False (and nothing written) when the user name is taken."""
        with self.database.write() as tx:
            taken = select(AccountRow.id).where(AccountRow.user_name == account.user_name)
            if tx.scalar(taken):
                return False
            self._add_account(tx, account, password_hash)
            _audit(tx, entry)
            return True

    def accounts(self) -> list[Account]:
        query = ACCOUNT_COLUMNS.order_by(AccountRow.role, AccountRow.user_name)
        with self.database.read() as tx:
            return [_account_of(row) for row in tx.connection().execute(query)]

    def credentials(self, user_name: str) -> Credentials | None:
        """What a sign-in checks, looked up by the (case-folded) user name."""
        return self._credentials(AccountRow.user_name == user_name)

    def credentials_of(self, account_id: str) -> Credentials | None:
        return self._credentials(AccountRow.id == account_id)

    def _credentials(self, condition) -> Credentials | None:
        with self.database.read() as tx:
            found = tx.execute(ACCOUNTS_WITH_CLINIC.where(condition)).first()
            if found is None:
                return None
            row, clinic = found
            return Credentials(
                _account(row, clinic), row.password_hash, row.totp_secret, row.totp_last_step
            )

    def count_enabled(self, role: Role) -> int:
        query = select(func.count()).where(
            AccountRow.role == role.value, AccountRow.disabled_at.is_(None)
        )
        with self.database.read() as tx:
            return tx.scalar(query)

    def set_disabled(self, account_id: str, disabled_at: datetime | None, entry: AuditEntry) -> int:
        """Disable (ending every login of the account, in the same transaction) or enable
        again; how many logins were ended."""
        with self.database.write() as tx:
            tx.execute(
                update(AccountRow)
                .where(AccountRow.id == account_id)
                .values(disabled_at=disabled_at)
            )
            ended = 0
            if disabled_at is not None:
                ended = end_logins(tx, account_id)
            _audit(tx, entry)
            return ended

    def set_password(
        self,
        account_id: str,
        password_hash: str,
        entry: AuditEntry | None,
        keep_login: str | None = None,
    ) -> None:
        """A new hash; with an audit entry (a change, not a rehash) every other login of
        the account ends too."""
        with self.database.write() as tx:
            tx.execute(
                update(AccountRow)
                .where(AccountRow.id == account_id)
                .values(password_hash=password_hash)
            )
            if entry is not None:
                end_logins(tx, account_id, keep_login)
                _audit(tx, entry)

    def set_totp(
        self, account_id: str, secret: str | None, step: int | None, entry: AuditEntry
    ) -> None:
        """Enrol (a secret and the step that confirmed it) or reset (None: no TOTP, no
        recovery codes)."""
        with self.database.write() as tx:
            tx.execute(
                update(AccountRow)
                .where(AccountRow.id == account_id)
                .values(totp_secret=secret, totp_last_step=step)
            )
            if secret is None:
                tx.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.account_id == account_id))
            _audit(tx, entry)

    def assigned_clients(self, coach_id: str) -> frozenset[str]:
        query = select(CoachAssignmentRow.client_id).where(CoachAssignmentRow.coach_id == coach_id)
        with self.database.read() as tx:
            return frozenset(tx.scalars(query))

    # --- whose object a request is about (the access table) --------------------------------
    def owner_of_session(self, session_id: str) -> Target | None:
        """The clinic and client account a session belongs to; None when unknown or when
        its profile has no account (data left from before clinic mode)."""
        query = (
            select(AccountRow.clinic_id, AccountRow.id)
            .join(SessionRow, SessionRow.profile_id == AccountRow.profile_id)
            .where(SessionRow.id == session_id)
        )
        return self._target(query)

    def owner_of_account(self, account_id: str) -> Target | None:
        """A client account as a target (its own clinic and itself); None for an unknown
        id or an account of another role (a coach's record is nobody's client data)."""
        query = select(AccountRow.clinic_id, AccountRow.id, AccountRow.profile_id).where(
            AccountRow.id == account_id, AccountRow.role == Role.CLIENT.value
        )
        with self.database.read() as tx:
            found = tx.execute(query).first()
        return None if found is None else Target(found.clinic_id, found.id)

    def owner_of_login(self, login_id: str) -> Target | None:
        """The account a login belongs to, as a target (its clinic and itself)."""
        query = (
            select(AccountRow.clinic_id, AccountRow.id)
            .join(LoginRow, LoginRow.account_id == AccountRow.id)
            .where(LoginRow.id == login_id)
        )
        return self._target(query)

    def _target(self, query) -> Target | None:
        """The first row of (clinic id, account id) as a target; None when there is none."""
        with self.database.read() as tx:
            found = tx.execute(query).first()
        return None if found is None else Target(found.clinic_id, found.id)

    def profile_of(self, account_id: str) -> str | None:
        query = select(AccountRow.profile_id).where(AccountRow.id == account_id)
        with self.database.read() as tx:
            return tx.scalar(query)

    def accounts_with_ids(self, account_ids: Iterable[str]) -> list[Account]:
        with self.database.read() as tx:
            connection = tx.connection()
            wanted = one_of(AccountRow.id, list(account_ids), connection.dialect.name)
            query = ACCOUNT_COLUMNS.where(wanted).order_by(
                AccountRow.display_name, AccountRow.user_name
            )
            return [_account_of(row) for row in connection.execute(query)]

    # --- sign-in failures -------------------------------------------------------------
    def failures(self, keys: Iterable[str], since: datetime) -> dict[str, tuple[int, datetime]]:
        """For each key with failures since ``since``: how many, and the latest."""
        query = (
            select(SignInFailureRow.key, func.count(), func.max(SignInFailureRow.at))
            .where(SignInFailureRow.key.in_(list(keys)), SignInFailureRow.at >= since)
            .group_by(SignInFailureRow.key)
        )
        with self.database.read() as tx:
            return {key: (count, latest) for key, count, latest in tx.execute(query)}

    def add_failure(
        self, keys: Iterable[str], at: datetime, forget_before: datetime, entry: AuditEntry
    ) -> None:
        """One failure under each key; failures older than the window are dropped."""
        keys = list(keys)
        with self.database.write() as tx:
            tx.execute(delete(SignInFailureRow).where(
                SignInFailureRow.key.in_(keys), SignInFailureRow.at < forget_before
            ))  # fmt: skip
            tx.add_all(SignInFailureRow(key=key, at=at) for key in keys)
            _audit(tx, entry)

    # --- logins ---------------------------------------------------------------------
    def start_login(
        self,
        login: Login,
        token_hash: str,
        *,
        ending: str | None,
        clear_failures: str,
        totp_step: int | None,
        entry: AuditEntry,
        recovery_code: str | None = None,
    ) -> None:
        """A new login, in one transaction with what a sign-in changes: the login it
        replaces ends, the user name's failures are forgotten, the TOTP step or the
        recovery code (its hash) is spent. ``CodeSpentError`` when that code is gone."""
        with self.database.write() as tx:
            if recovery_code is not None and not tx.execute(delete(RecoveryCodeRow).where(
                RecoveryCodeRow.account_id == login.account_id,
                RecoveryCodeRow.code_hash == recovery_code,
            )).rowcount:  # fmt: skip
                raise CodeSpentError
            if ending is not None:
                tx.execute(delete(LoginRow).where(LoginRow.token_hash == ending))
            tx.execute(delete(SignInFailureRow).where(SignInFailureRow.key == clear_failures))
            if totp_step is not None:
                tx.execute(
                    update(AccountRow)
                    .where(AccountRow.id == login.account_id)
                    .values(totp_last_step=totp_step)
                )
            tx.add(LoginRow(
                id=login.id, token_hash=token_hash, account_id=login.account_id,
                created_at=login.created_at, last_seen_at=login.last_seen_at,
                expires_at=login.expires_at, user_agent=login.user_agent,
                address=login.address,
            ))  # fmt: skip
            _audit(tx, entry)

    def login(self, token_hash: str) -> tuple[Login, Account] | None:
        query = (
            ACCOUNTS_WITH_CLINIC.add_columns(LoginRow)
            .join(LoginRow, LoginRow.account_id == AccountRow.id)
            .where(LoginRow.token_hash == token_hash)
        )
        with self.database.read() as tx:
            found = tx.execute(query).first()
            if found is None:
                return None
            row, clinic, login = found
            return _login(login), _account(row, clinic)

    def logins_of(self, account_id: str) -> list[Login]:
        query = (
            select(LoginRow).where(LoginRow.account_id == account_id).order_by(LoginRow.created_at)
        )
        with self.database.read() as tx:
            return [_login(row) for row in tx.scalars(query)]

    def seen(self, login_id: str, at: datetime) -> None:
        with self.database.write() as tx:
            tx.execute(update(LoginRow).where(LoginRow.id == login_id).values(last_seen_at=at))

    def end_login(self, token_hash: str) -> bool:
        with self.database.write() as tx:
            result = tx.execute(delete(LoginRow).where(LoginRow.token_hash == token_hash))
            return result.rowcount > 0

    def delete_client(self, account_id: str, entry: AuditEntry) -> dict[str, int] | None:
        """A client account and all its data in one transaction: its profile's rows, its
        logins (ended at once), recovery codes, coach assignments and sign-in failures,
        then the account; ``entry`` is written in the same transaction and outlives it
        (the log names the account by id only). None when there is no such client."""
        with self.database.write() as tx:
            row = tx.get(AccountRow, account_id)
            if row is None or row.role != Role.CLIENT.value:
                return None
            profile_id = row.profile_id
            counts = {"logins": end_logins(tx, account_id)}
            for table, column in (
                (RecoveryCodeRow, RecoveryCodeRow.account_id),
                (CoachAssignmentRow, CoachAssignmentRow.client_id),
            ):
                counts[table.__tablename__] = tx.execute(
                    delete(table).where(column == account_id)
                ).rowcount
            tx.execute(
                delete(SignInFailureRow).where(SignInFailureRow.key == f"user:{row.user_name}")
            )
            tx.execute(delete(AccountRow).where(AccountRow.id == account_id))
            counts["accounts"] = 1
            if profile_id is not None:
                counts.update(delete_profile_rows(tx, profile_id))
            _audit(tx, entry)
            return counts

    # --- the audit log --------------------------------------------------------------
    def record(self, entry: AuditEntry) -> None:
        with self.database.write() as tx:
            _audit(tx, entry)

    def audit_entries(self, subject_account_id: str | None = None) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.at, AuditRow.id)
        if subject_account_id is not None:
            query = query.where(AuditRow.subject_account_id == subject_account_id)
        with self.database.read() as tx:
            return [
                AuditEntry(row.at, row.action, row.actor_id, row.subject_account_id,
                           row.object, row.address)
                for row in tx.scalars(query)
            ]  # fmt: skip

    # --- coaches and logins (CLI) ---------------------------------------------------
    def install_from_personal(
        self, account: Account, password_hash: str, clinic: Clinic | None, entry: AuditEntry
    ) -> str:
        """Clinic mode on, with ``account`` holding the personal (default) profile, in one
        transaction: not one row of the person's data is written. The profile's id."""
        with self.database.write() as tx:
            if tx.scalar(select(func.count()).select_from(InstallationRow)):
                raise AlreadySetUpError
            query = select(ProfileRow.id).where(ProfileRow.is_default)
            profile_id = tx.scalars(query.order_by(ProfileRow.created_at)).first()
            if profile_id is None:
                raise NoPersonalDataError
            tx.add(InstallationRow(id=new_id(), created_at=account.created_at))
            if clinic is not None:
                tx.add(ClinicRow(id=clinic.id, name=clinic.name, created_at=clinic.created_at))
                tx.flush()
            self._add_account(tx, account, password_hash, profile_id)
            _audit(tx, entry)
            return profile_id

    def end_logins_of(self, account_id: str | None, entry: AuditEntry) -> int:
        """End every login of the account (None: of every account) at once; how many
        there were."""
        with self.database.write() as tx:
            ended = end_logins(tx, account_id)
            _audit(tx, entry)
            return ended

    def set_assigned(
        self, coach_id: str, client_id: str, assigned: bool, entry: AuditEntry
    ) -> bool:
        """Assign the client to the coach (or end that); False, and nothing written, when
        it was so already."""
        key = (CoachAssignmentRow.coach_id == coach_id) & (
            CoachAssignmentRow.client_id == client_id
        )
        with self.database.write() as tx:
            present = tx.scalar(select(func.count()).select_from(CoachAssignmentRow).where(key))
            if bool(present) == assigned:
                return False
            if assigned:
                tx.add(CoachAssignmentRow(coach_id=coach_id, client_id=client_id))
            else:
                tx.execute(delete(CoachAssignmentRow).where(key))
            _audit(tx, entry)
            return True
