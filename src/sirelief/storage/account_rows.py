"""Writes the account stores share, each inside the caller's transaction: an audit line,
and ending an account's logins (or everyone's)."""

from sqlalchemy import delete

from sirelief.domain.accounts import AuditEntry
from sirelief.storage.database import Transaction
from sirelief.storage.schema import AuditRow, LoginRow
from sirelief.storage.store import ordered_id


def audit(tx: Transaction, entry: AuditEntry) -> None:
    """One line of the append-only log, written with the change it records."""
    tx.add(AuditRow(
        id=ordered_id(), at=entry.at, actor_id=entry.actor_id, action=entry.action,
        subject_account_id=entry.subject_account_id, object=entry.object,
        address=entry.address,
    ))  # fmt: skip


def end_logins(tx: Transaction, account_id: str | None, keep: str | None = None) -> int:
    """End every login of the account (``None``: of every account) but the one whose
    token hash is ``keep``; how many ended."""
    condition = LoginRow.account_id == account_id if account_id is not None else None
    if keep is not None:
        kept = LoginRow.token_hash != keep
        condition = kept if condition is None else condition & kept
    query = delete(LoginRow) if condition is None else delete(LoginRow).where(condition)
    return tx.execute(query).rowcount
