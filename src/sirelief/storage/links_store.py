"""Single-use links of clinic mode, as rows: invitations (to join a clinic) and
password-reset links (to choose a new password). Each method is one transaction.

A link is spent by an UPDATE whose condition (not used, not expired) the database checks
as it writes (``_spend``), so of two requests racing with one token exactly one wins. A
revoked invitation or a voided reset link is one whose expiry was moved to "now".
"""

from datetime import datetime

from sqlalchemy import select, update

from sirelief.domain.access import Role
from sirelief.domain.accounts import Account, AuditEntry, Invitation, PasswordReset
from sirelief.storage.account_rows import audit, end_logins
from sirelief.storage.database import Database, Transaction
from sirelief.storage.schema import (
    AccountRow,
    ClinicRow,
    CoachAssignmentRow,
    InvitationRow,
    PasswordResetRow,
)


class LinkSpentError(Exception):
    """The link was used, revoked, voided or expired by the time its transaction ran."""


class UserNameTakenError(Exception):
    """An account has that user name already."""


class LinksStore:
    """The links part of ``AccountsStore`` (which adds the account rows a link makes)."""

    database: Database

    def _add_account(self, tx: Transaction, account: Account, password_hash: str) -> None:
        raise NotImplementedError  # AccountsStore's

    def add_invitation(self, invitation: Invitation, token_hash: str, entry: AuditEntry) -> None:
        with self.database.write() as tx:
            tx.add(InvitationRow(
                id=invitation.id, token_hash=token_hash, clinic_id=invitation.clinic_id,
                role=invitation.role.value, invited_by=invitation.invited_by,
                created_at=invitation.created_at, expires_at=invitation.expires_at,
            ))  # fmt: skip
            audit(tx, entry)

    def invitation(self, invitation_id: str) -> Invitation | None:
        return self._invitation(InvitationRow.id == invitation_id)

    def invitation_of_token(self, token_hash: str) -> Invitation | None:
        return self._invitation(InvitationRow.token_hash == token_hash)

    def _invitation(self, condition) -> Invitation | None:
        with self.database.read() as tx:
            found = tx.execute(INVITATIONS_WITH_CLINIC.where(condition)).first()
            return _invitation(*found) if found else None

    def pending_invitations(self, now: datetime, invited_by: str | None) -> list[Invitation]:
        """Unused and unexpired, oldest first; only those ``invited_by`` made, if given."""
        query = INVITATIONS_WITH_CLINIC.where(
            InvitationRow.used_at.is_(None), InvitationRow.expires_at > now
        ).order_by(InvitationRow.created_at, InvitationRow.id)
        if invited_by is not None:
            query = query.where(InvitationRow.invited_by == invited_by)
        with self.database.read() as tx:
            return [_invitation(row, clinic) for row, clinic in tx.execute(query)]

    def revoke_invitation(self, invitation_id: str, now: datetime, entry: AuditEntry) -> bool:
        """Expire it now; False (nothing written) when it was used or expired already."""
        with self.database.write() as tx:
            if not _spend(tx, InvitationRow, invitation_id, now, expires_at=now):
                return False
            audit(tx, entry)
            return True

    def accept_invitation(
        self,
        invitation_id: str,
        account: Account,
        password_hash: str,
        *,
        coach_id: str | None,
        entry: AuditEntry,
    ) -> None:
        """The account, the invitation spent and the coach assignment in ONE transaction:
        of two accepts racing with the same token, one makes an account, the other
        raises ``LinkSpentError`` and writes nothing (``UserNameTakenError`` too)."""
        with self.database.write() as tx:
            if tx.scalar(select(AccountRow.id).where(AccountRow.user_name == account.user_name)):
                raise UserNameTakenError
            self._add_account(tx, account, password_hash)
            tx.flush()
            now = account.created_at
            spent = {"used_at": now, "account_id": account.id}
            if not _spend(tx, InvitationRow, invitation_id, now, **spent):
                raise LinkSpentError  # undoes the account above
            if coach_id is not None:
                tx.add(CoachAssignmentRow(coach_id=coach_id, client_id=account.id))
            audit(tx, entry)

    # --- password-reset links ---------------------------------------------------------
    def add_password_reset(self, reset: PasswordReset, token_hash: str, entry: AuditEntry) -> int:
        """The new link; the account's earlier unused links expire now (voided), in the
        same transaction. How many were voided."""
        with self.database.write() as tx:
            voided = tx.execute(
                update(PasswordResetRow)
                .where(
                    PasswordResetRow.account_id == reset.account_id,
                    PasswordResetRow.used_at.is_(None),
                    PasswordResetRow.expires_at > reset.created_at,
                )
                .values(expires_at=reset.created_at)
            ).rowcount
            tx.add(PasswordResetRow(
                id=reset.id, token_hash=token_hash, account_id=reset.account_id,
                made_by=reset.made_by, created_at=reset.created_at, expires_at=reset.expires_at,
            ))  # fmt: skip
            audit(tx, entry)
            return voided

    def password_reset_of_token(self, token_hash: str) -> PasswordReset | None:
        query = select(PasswordResetRow).where(PasswordResetRow.token_hash == token_hash)
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            return None if row is None else _password_reset(row)

    def reset_password(
        self, reset_id: str, password_hash: str, now: datetime, entry: AuditEntry
    ) -> int:
        """The new hash, the link spent and every login of the account ended, in ONE
        transaction: of two redeems racing with the same token one changes the password,
        the other raises ``LinkSpentError`` and writes nothing. How many logins ended."""
        with self.database.write() as tx:
            row = tx.get(PasswordResetRow, reset_id)
            if row is None or not _spend(tx, PasswordResetRow, reset_id, now, used_at=now):
                raise LinkSpentError
            tx.execute(
                update(AccountRow)
                .where(AccountRow.id == row.account_id)
                .values(password_hash=password_hash)
            )
            ended = end_logins(tx, row.account_id)
            audit(tx, entry)
            return ended


INVITATIONS_WITH_CLINIC = select(InvitationRow, ClinicRow.name).join(
    ClinicRow, InvitationRow.clinic_id == ClinicRow.id
)


def _invitation(row: InvitationRow, clinic_name: str) -> Invitation:
    return Invitation(
        row.id, row.clinic_id, clinic_name, Role(row.role), row.invited_by, row.created_at,
        row.expires_at, row.used_at, row.account_id,
    )  # fmt: skip


def _spend(tx: Transaction, table, link_id: str, now: datetime, **values) -> bool:
    """Change a link of ``table`` only while it is usable; the condition is checked by the
    database as it writes, so a racing transaction finds it spent."""
    result = tx.execute(
        update(table)
        .where(table.id == link_id, table.used_at.is_(None), table.expires_at > now)
        .values(**values)
    )
    return result.rowcount == 1


def _password_reset(row: PasswordResetRow) -> PasswordReset:
    return PasswordReset(
        row.id, row.account_id, row.made_by, row.created_at, row.expires_at, row.used_at
    )
