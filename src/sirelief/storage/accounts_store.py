"""Clinic mode's rows: the installation, clinics, accounts, logins, sign-in failures and
the audit log. Each method is one transaction and returns domain values, never rows.

The audit log is insert-only here: an entry is written inside the transaction of the
change it records, and nothing in this module updates or deletes one.
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select, update

from sirelief.domain.access import Role
from sirelief.domain.accounts import Account, AuditEntry, Clinic, Credentials, Login
from sirelief.storage.database import Database, Transaction
from sirelief.storage.schema import (
    AccountRow,
    AuditRow,
    ClinicRow,
    CoachAssignmentRow,
    InstallationRow,
    LoginRow,
    ProfileRow,
    RecoveryCodeRow,
    SignInFailureRow,
)
from sirelief.storage.store import new_id


class AlreadySetUpError(Exception):
    """The installation row exists: clinic mode was set up before."""


def _account(row: AccountRow, clinic_name: str | None) -> Account:
    return Account(
        row.id, row.user_name, row.display_name, Role(row.role), row.clinic_id, clinic_name,
        row.created_at, row.disabled_at, row.totp_secret is not None, row.profile_id,
    )  # fmt: skip


def _login(row: LoginRow) -> Login:
    return Login(
        row.id, row.account_id, row.created_at, row.last_seen_at, row.expires_at,
        row.address, row.user_agent,
    )  # fmt: skip


def _audit(tx: Transaction, entry: AuditEntry) -> None:
    tx.add(AuditRow(
        id=new_id(), at=entry.at, actor_id=entry.actor_id, action=entry.action,
        subject_account_id=entry.subject_account_id, object=entry.object,
        address=entry.address,
    ))  # fmt: skip


ACCOUNTS_WITH_CLINIC = select(AccountRow, ClinicRow.name).outerjoin(
    ClinicRow, AccountRow.clinic_id == ClinicRow.id
)


class AccountsStore:
    """Every account of one installation (not one profile: the store parts are that)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- the installation and its clinics -----------------------------------------------
    def is_installed(self) -> bool:
        """Asked once per process, at its first request. The pool is emptied after (the
        engine opens connections afresh when next asked), so this one look leaves a personal
        installation's connections as they were before clinic mode existed."""
        with self.database.read() as tx:
            installed = tx.scalar(select(func.count()).select_from(InstallationRow)) > 0
        if self.database.path is not None or not self.database.is_sqlite:
            self.database.close()  # not an in-memory one: that would be lost
        return installed

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
            if tx.scalar(select(ClinicRow.id).where(func.lower(ClinicRow.name) == name.lower())):
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
        query = select(ClinicRow).where(func.lower(ClinicRow.name) == name.lower())
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            return Clinic(row.id, row.name, row.created_at) if row else None

    # --- accounts -------------------------------------------------------------------
    def _add_account(self, tx: Transaction, account: Account, password_hash: str) -> None:
        profile_id = None
        if account.role is Role.CLIENT:
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
        query = ACCOUNTS_WITH_CLINIC.order_by(AccountRow.role, AccountRow.user_name)
        with self.database.read() as tx:
            return [_account(row, clinic) for row, clinic in tx.execute(query)]

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
                ended = self._end_logins(tx, account_id)
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
                self._end_logins(tx, account_id, keep_login)
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
    ) -> None:
        """A new login, in one transaction with what a sign-in changes: the login it
        replaces ends, the user name's failures are forgotten, the TOTP step is spent."""
        with self.database.write() as tx:
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

    @staticmethod
    def _end_logins(tx: Transaction, account_id: str, keep: str | None = None) -> int:
        condition = LoginRow.account_id == account_id
        if keep is not None:
            condition = condition & (LoginRow.token_hash != keep)
        return tx.execute(delete(LoginRow).where(condition)).rowcount

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
