"""Clinic mode's rows on SQLite and PostgreSQL: accounts, logins, failures, the audit log."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from sirelief.domain.access import Role
from sirelief.domain.accounts import Account, AuditEntry, Login
from sirelief.storage.accounts_store import AccountsStore, AlreadySetUpError
from sirelief.storage.audit_store import AuditStore
from sirelief.storage.database import Database
from sirelief.storage.schema import AuditRow, ProfileRow
from sirelief.storage.store import new_id

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def account(user_name: str, role: Role = Role.ADMIN, clinic=None) -> Account:
    return Account(new_id(), user_name, user_name.title(), role,
                   clinic.id if clinic else None, clinic.name if clinic else None,
                   NOW, None, False)  # fmt: skip


def entry(action: str, subject: Account | None = None) -> AuditEntry:
    return AuditEntry(NOW, action, None, subject.id if subject else None)


def login_of(who: Account) -> Login:
    return Login(new_id(), who.id, NOW, NOW, NOW + timedelta(hours=12), "10.0.0.7", "phone")


@pytest.fixture
def store(database: Database) -> AccountsStore:
    return AccountsStore(database)


def test_a_fresh_database_has_no_installation_and_no_account(store: AccountsStore) -> None:
    assert not store.is_installed()
    assert store.accounts() == []


def test_setting_up_twice_is_refused_and_writes_nothing(store: AccountsStore) -> None:
    admin = account("ann")
    store.install(admin, "hash-1", entry("set up", admin))
    with pytest.raises(AlreadySetUpError):
        store.install(account("bob"), "hash-2", entry("set up"))
    assert store.is_installed()
    assert [a.user_name for a in store.accounts()] == ["ann"]
    assert [e.action for e in store.audit_entries()] == ["set up"]


def test_accounts_come_back_as_domain_values(store: AccountsStore, database: Database) -> None:
    store.install(account("ann"), "hash-ann", entry("set up"))
    clinic = store.add_clinic("North Clinic", NOW, entry("clinic added"))
    assert store.add_clinic("north clinic", NOW, entry("clinic added")) is None
    client = account("cleo", Role.CLIENT, clinic)
    assert store.add_account(client, "hash-cleo", entry("account added", client))
    assert not store.add_account(account("cleo", Role.CLIENT, clinic), "x", entry("again"))

    found = store.credentials("cleo")
    assert found.password_hash == "hash-cleo"
    assert found.totp_secret is None
    assert found.account.clinic_name == "North Clinic"
    assert found.account.role is Role.CLIENT
    assert store.credentials_of(client.id).account.user_name == "cleo"
    with database.read() as tx:
        profile = tx.get(ProfileRow, found.account.profile_id)
    assert profile is not None
    assert not profile.is_default
    assert [c.name for c in store.clinics()] == ["North Clinic"]
    assert store.clinic_named("NORTH CLINIC").id == clinic.id


def test_disabling_ends_every_login_in_the_same_transaction(store: AccountsStore) -> None:
    admin = account("ann")
    store.install(admin, "hash", entry("set up"))
    store.start_login(login_of(admin), "h1", ending=None, clear_failures="user:ann",
                      totp_step=None, entry=entry("signed in", admin))  # fmt: skip
    store.start_login(login_of(admin), "h2", ending="h1", clear_failures="user:ann",
                      totp_step=7, entry=entry("signed in", admin))  # fmt: skip
    assert store.login("h1") is None
    login, who = store.login("h2")
    assert who.id == admin.id
    assert login.address == "10.0.0.7"
    assert store.credentials("ann").totp_last_step == 7

    assert store.set_disabled(admin.id, NOW, entry("account disabled", admin)) == 1
    assert store.logins_of(admin.id) == []
    assert store.credentials("ann").account.disabled


def test_failures_count_within_the_window_and_old_ones_are_dropped(store: AccountsStore) -> None:
    keys = ["user:ann", "address:10.0.0.7"]
    early = NOW - timedelta(hours=2)
    store.add_failure(keys, early, early - timedelta(hours=1), entry("sign-in failed"))
    store.add_failure(keys, NOW, NOW - timedelta(hours=1), entry("sign-in failed"))
    store.add_failure(keys[:1], NOW + timedelta(seconds=1), NOW, entry("sign-in failed"))
    counted = store.failures([*keys, "user:bob"], NOW - timedelta(hours=1))
    assert counted == {"user:ann": (2, NOW + timedelta(seconds=1)), "address:10.0.0.7": (1, NOW)}


def test_the_audit_log_refuses_updates_and_deletes(
    store: AccountsStore, database: Database
) -> None:
    store.record(entry("signed in"))
    for change in (update(AuditRow).values(action="nothing happened"), delete(AuditRow)):
        with pytest.raises(DBAPIError, match="append-only"), database.write() as tx:
            tx.execute(change)
    assert [e.action for e in store.audit_entries()] == ["signed in"]


def test_lines_of_one_instant_read_back_in_the_order_they_were_written(
    store: AccountsStore, database: Database
) -> None:
    """The app's clock can give several lines the same time (a guard's line and the
    action's); the log still shows them in the order they happened."""
    actions = [f"step {number}" for number in range(12)]
    for action in actions:
        store.record(entry(action))
    assert [e.action for e in store.audit_entries()] == actions
    newest_first, _ = AuditStore(database).page(None, 0, 20)
    assert [line.entry.action for line in newest_first] == actions[::-1]
