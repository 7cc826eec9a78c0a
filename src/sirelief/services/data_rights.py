"""The right to take one's data away and to leave, per account (issue 17 item 7).

A client exports everything of theirs (the same document as ``sirelief export``, with the
audit log's lines about their account) and deletes their account and data; an admin can
do both for a client, and each time the log says so. In personal mode there is no account:
export and delete work on the one profile exactly as ``sirelief export`` and
``sirelief delete-my-data`` do.
"""

from collections.abc import Callable
from datetime import datetime

from sirelief.auth.passwords import verify_password
from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import FAILURE_WINDOW, Account, AuditEntry, seconds_to_wait
from sirelief.domain.audit import DELETED, EXPORTED
from sirelief.domain.routine import Routine
from sirelief.services.errors import ServiceError
from sirelief.services.personal_data import PersonalData, export_bytes
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.database import Database
from sirelief.storage.store import Store

CONFIRM_WORD = "delete"
"""Typed to confirm a deletion, in any case, as ``sirelief delete-my-data`` asks."""
FORMATS = ("json", "csv", "fhir")


class NoSuchClientError(ServiceError):
    """Not a client account this actor may act on: answered exactly like an unknown id."""


def confirmed(typed: str) -> bool:
    """The same test as the CLI's: the word, spaces around it and case do not matter."""
    return typed.strip().lower() == CONFIRM_WORD


class DataRights:
    """Export and deletion for one person: the owner in personal mode, a client account
    (by themself or an admin) in clinic mode."""

    def __init__(
        self,
        data: PersonalData,
        database: Database,
        accounts: AccountsStore,
        clock: Callable[[], datetime],
        assigned: Callable[[str | None], Routine | None] = lambda _profile: None,
    ) -> None:
        self.data = data
        self.database = database
        self.accounts = accounts
        self.clock = clock
        self.assigned = assigned
        """The routine a profile's coach assigned (clinic mode): the FHIR export's CarePlan."""

    # --- whose data -------------------------------------------------------------------
    def own_account(self, actor: Actor) -> Account:
        """The signed-in client's own account; coaches and admins hold no exercise data."""
        if actor.role is not Role.CLIENT:
            raise ServiceError(
                f"a {actor.role} account holds no exercise data of its own to export or delete"
            )
        return self._client(actor.user_id)

    def client_for_admin(self, admin: Actor, account_id: str) -> Account:
        """A client an admin acts for; anything else is "no such client"."""
        if admin.role is not Role.ADMIN:
            raise NoSuchClientError("there is no client with that id")
        return self._client(account_id)

    def _client(self, account_id: str) -> Account:
        found = self.accounts.credentials_of(account_id)
        if found is None or found.account.role is not Role.CLIENT:
            raise NoSuchClientError("there is no client with that id")
        return found.account

    # --- export -----------------------------------------------------------------------
    def export(
        self,
        fmt: str,
        account: Account | None = None,
        by: Actor | None = None,
        address: str | None = None,
    ) -> bytes:
        """Everything of ``account`` (None: personal mode's one profile) as JSON, a zip
        of CSV tables or a FHIR R4 Bundle. When someone other than the client exports it,
        the log notes that first, so the file itself shows it."""
        if fmt not in FORMATS:
            raise ServiceError(f"format: choose json, csv or fhir (not '{fmt}')")
        if account is None:
            return self.data.export(fmt)  # personal mode: nobody assigns a routine
        if by is not None and by.user_id != account.id:
            self.accounts.record(
                AuditEntry(self.clock(), EXPORTED, by.user_id, account.id, "data", address)
            )
        store = Store(self.database, account.profile_id, has_default=False, clock=self.clock)
        assigned = self.assigned(account.profile_id) if fmt == "fhir" else None
        return export_bytes(store, fmt, self.clock(), assigned)

    # --- deletion ---------------------------------------------------------------------
    def delete_personal(self, typed: str) -> dict[str, int]:
        """Personal mode: every row of the owner, as ``sirelief delete-my-data``."""
        self._require_confirmation(typed)
        return self.data.delete_everything()

    def delete_own(
        self, actor: Actor, password: str, typed: str, address: str | None = None
    ) -> dict[str, int]:
        """A client leaves: needs their password (tries are slowed like sign-ins) and the
        typed word; their data, account and every login end in one transaction."""
        account = self.own_account(actor)
        self._require_confirmation(typed)
        self._check_password(account, password, address)
        return self._delete(account, actor, address)

    def delete_for_client(
        self, admin: Actor, account_id: str, typed: str, address: str | None = None
    ) -> dict[str, int]:
        """An admin deletes a client's account and data; the log keeps a line naming the
        account by id only (its name goes with it)."""
        account = self.client_for_admin(admin, account_id)
        self._require_confirmation(typed)
        return self._delete(account, admin, address)

    def _delete(self, account: Account, by: Actor, address: str | None) -> dict[str, int]:
        entry = AuditEntry(
            self.clock(), DELETED, by.user_id, account.id, f"accounts/{account.id}", address
        )
        counts = self.accounts.delete_client(account.id, entry)
        if counts is None:
            raise NoSuchClientError("there is no client with that id")
        return counts

    @staticmethod
    def _require_confirmation(typed: str) -> None:
        if not confirmed(typed):
            raise ServiceError(
                f"confirmation: type {CONFIRM_WORD.upper()} to delete; nothing was deleted"
            )

    def _check_password(self, account: Account, password: str, address: str | None) -> None:
        now = self.clock()
        key = f"user:{account.user_name}"
        found = self.accounts.failures([key], now - FAILURE_WINDOW).get(key)
        wait = seconds_to_wait(*found, now) if found else 0
        if wait:
            raise ServiceError(f"password: too many wrong tries; try again in {wait} s")
        credentials = self.accounts.credentials_of(account.id)
        if credentials is None or not verify_password(credentials.password_hash, password):
            entry = AuditEntry(now, "deletion refused (wrong password)", account.id,
                               account.id, None, address)  # fmt: skip
            self.accounts.add_failure([key], now, now - FAILURE_WINDOW, entry)
            raise ServiceError("password: that is not your password; nothing was deleted")
