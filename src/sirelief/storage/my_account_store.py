"""What a signed-in person changes on their own account: TOTP, recovery codes, their logins.

A part of ``AccountsStore`` (it inherits the look-ups a person's own pages share with
signing in), kept in its own module so the administration side and this side grow apart.
Every method takes the account id and touches only that account's rows: a login id of
another account matches nothing, so the caller answers "not found".
"""

from sqlalchemy import delete, func, select, update

from sirelief.domain.accounts import AuditEntry
from sirelief.storage.account_rows import audit as _audit
from sirelief.storage.account_rows import end_logins
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.database import Transaction
from sirelief.storage.schema import AccountRow, LoginRow, RecoveryCodeRow


class MyAccountStore(AccountsStore):
    """One person's own account, as their account pages change it."""

    def recovery_codes_left(self, account_id: str) -> int:
        query = select(func.count()).where(RecoveryCodeRow.account_id == account_id)
        with self.database.read() as tx:
            return tx.scalar(query)

    def enrol_totp(
        self,
        account_id: str,
        secret: str,
        step: int,
        code_hashes: list[str],
        entry: AuditEntry,
        keep_login: str | None,
    ) -> int:
        """The secret, the step that confirmed it (never accepted again) and a fresh set
        of recovery codes, in one transaction; every other login of the account ends (they
        were made without this factor). How many logins were ended."""
        with self.database.write() as tx:
            tx.execute(
                update(AccountRow)
                .where(AccountRow.id == account_id)
                .values(totp_secret=secret, totp_last_step=step)
            )
            self._replace_codes(tx, account_id, code_hashes)
            ended = end_logins(tx, account_id, keep_login)
            _audit(tx, entry)
            return ended

    def replace_recovery_codes(
        self, account_id: str, code_hashes: list[str], entry: AuditEntry
    ) -> None:
        """A new set; every code of the old set stops working at once."""
        with self.database.write() as tx:
            self._replace_codes(tx, account_id, code_hashes)
            _audit(tx, entry)

    def end_own_login(self, account_id: str, login_id: str, entry: AuditEntry) -> bool:
        """End one login of this account; False when no login of *this account* has the id."""
        with self.database.write() as tx:
            ended = tx.execute(
                delete(LoginRow).where(LoginRow.id == login_id, LoginRow.account_id == account_id)
            ).rowcount
            if ended:
                _audit(tx, entry)
            return ended > 0

    def end_other_logins(self, account_id: str, keep_login: str | None, entry: AuditEntry) -> int:
        """End every login of the account but the one whose token hash is ``keep_login``."""
        with self.database.write() as tx:
            ended = end_logins(tx, account_id, keep_login)
            _audit(tx, entry)
            return ended

    @staticmethod
    def _replace_codes(tx: Transaction, account_id: str, code_hashes: list[str]) -> None:
        tx.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.account_id == account_id))
        tx.add_all(RecoveryCodeRow(account_id=account_id, code_hash=h) for h in code_hashes)
