"""Web Push reminders in the database (issue 19 item 3b), on SQLite and PostgreSQL: a
person's browsers, the one claim per reminder (also when senders race), the VAPID key
pair kept once, and nothing left behind when the person's data is deleted."""

import threading
from datetime import UTC, datetime, time

from sqlalchemy import func, select

from sirelief.domain.preferences import Preferences
from sirelief.domain.push import PushSubscription
from sirelief.services import Services
from sirelief.services.push_reminders import new_key_pair
from sirelief.storage.database import Database
from sirelief.storage.push_store import (
    PushStore,
    claim_reminder,
    keep_vapid_keys,
    recipients,
    vapid_keys,
)
from sirelief.storage.schema import PushSubscriptionRow, ReminderSentRow
from sirelief.storage.store import Store

NOW = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
LONG = "https://push.example/" + "x" * 1500  # longer than any indexable string column


def subscription(endpoint: str, auth: str = "A" * 22) -> PushSubscription:
    return PushSubscription(endpoint, "B" + "A" * 86, auth)


def test_a_persons_browsers_are_kept_renewed_and_forgotten(library: Services) -> None:
    store = PushStore(library.store)
    assert store.add(subscription(LONG), NOW) is True
    assert store.add(subscription(LONG, auth="C" * 22), NOW) is False  # the same browser
    assert store.add(subscription("https://push.example/2"), NOW) is True
    assert store.count() == 2
    other = PushStore(Store(library.database, clock=library.clock, profile_id=None))
    assert other.count() == 2  # personal mode: the same (default) person
    assert store.remove(LONG) is True
    assert store.remove(LONG) is False
    assert store.remove_all() == 1
    assert store.count() == 0


def test_only_people_with_days_and_browsers_are_reminded(library: Services) -> None:
    PushStore(library.store).add(subscription("https://push.example/1"), NOW)
    assert recipients(library.database) == []  # no settings saved yet
    library.preferences.save(Preferences(reminder_days=(0, 3), reminder_time=time(7, 30)))
    [person] = recipients(library.database)
    assert person.preferences.reminder_days == (0, 3)
    assert [s.subscription.endpoint for s in person.subscriptions] == ["https://push.example/1"]
    assert person.account_id is None
    library.preferences.save(Preferences(reminder_days=()))
    assert recipients(library.database) == []


def test_a_reminder_is_claimed_once(library: Services) -> None:
    profile_id = library.store.profile_id
    assert claim_reminder(library.database, profile_id, NOW, NOW) is True
    assert claim_reminder(library.database, profile_id, NOW, NOW) is False
    later = NOW.replace(day=29)
    assert claim_reminder(library.database, profile_id, later, NOW) is True


def test_racing_senders_claim_a_reminder_once(library: Services, database_url: str) -> None:
    """Eight senders, each with its own connection pool (as cron on two machines and the
    workers of a server would be), claim the same reminder at the same moment."""
    profile_id = library.store.profile_id
    databases = [Database(database_url) for _ in range(8)]
    start = threading.Barrier(len(databases))
    won: list[bool] = []

    def claim(database: Database) -> None:
        start.wait()
        won.append(claim_reminder(database, profile_id, NOW, NOW))

    threads = [threading.Thread(target=claim, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.close()
    assert sorted(won) == [False] * 7 + [True]


def test_the_key_pair_is_kept_once(database: Database) -> None:
    assert vapid_keys(database) is None
    first, second = new_key_pair(), new_key_pair()
    assert keep_vapid_keys(database, first, NOW) == first
    assert keep_vapid_keys(database, second, NOW) == first
    assert vapid_keys(database) == first
    assert first.private_pem.startswith("-----BEGIN PRIVATE KEY-----")


def test_deleting_a_persons_data_forgets_their_browsers_and_reminders(library: Services) -> None:
    PushStore(library.store).add(subscription("https://push.example/1"), NOW)
    claim_reminder(library.database, library.store.profile_id, NOW, NOW)
    counts = library.store.delete_profile()
    assert counts["push_subscriptions"] == 1
    assert counts["reminders_sent"] == 1
    with library.database.read() as tx:
        for table in (PushSubscriptionRow, ReminderSentRow):
            assert tx.scalar(select(func.count()).select_from(table)) == 0
