"""Web Push reminders in the database: a person's browsers, the reminders claimed, and
the installation's VAPID key pair.

A subscription is found by the SHA-256 of its endpoint (unique), so the same browser
subscribing again replaces its keys instead of adding a row, and a browser moved to another
person is theirs from then on. A reminder is claimed by inserting its row before anything
is sent: the primary key (person, due time) lets exactly one claimant win, on SQLite and
PostgreSQL alike, however many senders run at once.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from sirelief.domain.preferences import Preferences
from sirelief.domain.push import PushSubscription
from sirelief.storage.database import Database
from sirelief.storage.preferences_store import preferences_of
from sirelief.storage.schema import (
    AccountRow,
    PreferencesRow,
    PushKeyRow,
    PushSubscriptionRow,
    ReminderSentRow,
)
from sirelief.storage.store import StorePart, new_id

KEY_ID = "vapid"


def endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredSubscription:
    id: str
    profile_id: str
    subscription: PushSubscription


@dataclass(frozen=True)
class Recipient:
    """A person with reminder days and at least one browser to remind."""

    profile_id: str
    preferences: Preferences
    subscriptions: list[StoredSubscription]
    account_id: str | None
    """Their account in clinic mode (for the audit log); None in personal mode."""


@dataclass(frozen=True)
class VapidKeyPair:
    private_pem: str
    public_key: str


class PushStore(StorePart):
    """One person's browsers that get reminders."""

    def add(self, subscription: PushSubscription, now: datetime) -> bool:
        """Keep the browser's subscription; whether it is new (False: its keys renewed)."""
        profile_id = self.profile_id
        key = endpoint_hash(subscription.endpoint)
        with self.database.write() as tx:
            row = tx.scalars(
                select(PushSubscriptionRow).where(PushSubscriptionRow.endpoint_hash == key)
            ).first()
            if row is not None:
                row.profile_id = profile_id
                row.p256dh, row.auth = subscription.p256dh, subscription.auth
                return False
            tx.add(PushSubscriptionRow(
                id=new_id(), profile_id=profile_id, endpoint_hash=key,
                endpoint=subscription.endpoint, p256dh=subscription.p256dh,
                auth=subscription.auth, created_at=now,
            ))  # fmt: skip
            return True

    def remove(self, endpoint: str) -> bool:
        """Forget this person's browser with that endpoint; whether there was one."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            result = tx.execute(delete(PushSubscriptionRow).where(
                PushSubscriptionRow.profile_id == profile_id,
                PushSubscriptionRow.endpoint_hash == endpoint_hash(endpoint),
            ))  # fmt: skip
            return result.rowcount > 0

    def remove_all(self) -> int:
        profile_id = self.profile_id
        with self.database.write() as tx:
            result = tx.execute(
                delete(PushSubscriptionRow).where(PushSubscriptionRow.profile_id == profile_id)
            )
            return result.rowcount

    def count(self) -> int:
        profile_id = self.profile_id
        query = select(func.count()).where(PushSubscriptionRow.profile_id == profile_id)
        with self.database.read() as tx:
            return tx.scalar(query.select_from(PushSubscriptionRow)) or 0


# --- the installation: every person to remind, claims, keys ------------------------------
def recipients(database: Database, without_days_too: bool = False) -> list[Recipient]:
    """Everyone with saved settings, reminder days and at least one subscribed browser
    (with ``without_days_too``, those who chose no days as well: a coach's schedule may
    set theirs)."""
    query = (
        select(PreferencesRow, PushSubscriptionRow)
        .join(PushSubscriptionRow, PushSubscriptionRow.profile_id == PreferencesRow.profile_id)
        .order_by(PreferencesRow.profile_id, PushSubscriptionRow.created_at)
    )
    found: dict[str, tuple[Preferences, list[StoredSubscription]]] = {}
    with database.read() as tx:
        for preferences_row, row in tx.execute(query):
            entry = found.setdefault(row.profile_id, (preferences_of(preferences_row), []))
            entry[1].append(StoredSubscription(
                row.id, row.profile_id, PushSubscription(row.endpoint, row.p256dh, row.auth)
            ))  # fmt: skip
        accounts = dict(tx.execute(
            select(AccountRow.profile_id, AccountRow.id)
            .where(AccountRow.profile_id.in_(list(found)))
        ).all()) if found else {}  # fmt: skip
    return [
        Recipient(profile_id, preferences, subscriptions, accounts.get(profile_id))
        for profile_id, (preferences, subscriptions) in found.items()
        if preferences.reminds or without_days_too
    ]


def claim_reminder(database: Database, profile_id: str, due_at: datetime, now: datetime) -> bool:
    """Mark the reminder as being sent; False when another run claimed it first."""
    try:
        with database.write() as tx:
            exists = tx.get(ReminderSentRow, (profile_id, due_at))
            if exists is not None:
                return False
            tx.add(ReminderSentRow(profile_id=profile_id, due_at=due_at, sent_at=now, delivered=0))
    except IntegrityError:  # a racing sender inserted the same row first
        return False
    return True


def record_delivered(database: Database, profile_id: str, due_at: datetime, count: int) -> None:
    with database.write() as tx:
        tx.execute(
            update(ReminderSentRow)
            .where(ReminderSentRow.profile_id == profile_id, ReminderSentRow.due_at == due_at)
            .values(delivered=count)
        )


def reminders_sent(database: Database, profile_id: str) -> list[tuple[datetime, int]]:
    """The reminders claimed for a person, oldest first: (due time, browsers reached)."""
    query = (
        select(ReminderSentRow.due_at, ReminderSentRow.delivered)
        .where(ReminderSentRow.profile_id == profile_id)
        .order_by(ReminderSentRow.due_at)
    )
    with database.read() as tx:
        return [(due_at, delivered) for due_at, delivered in tx.execute(query)]


def delete_subscription(database: Database, subscription_id: str) -> bool:
    with database.write() as tx:
        result = tx.execute(
            delete(PushSubscriptionRow).where(PushSubscriptionRow.id == subscription_id)
        )
        return result.rowcount > 0


def vapid_keys(database: Database) -> VapidKeyPair | None:
    with database.read() as tx:
        row = tx.get(PushKeyRow, KEY_ID)
        return VapidKeyPair(row.private_pem, row.public_key) if row else None


def keep_vapid_keys(database: Database, made: VapidKeyPair, now: datetime) -> VapidKeyPair:
    """Keep ``made`` unless a pair is kept already; the pair kept (two servers making one at
    once agree on the first written)."""
    try:
        with database.write() as tx:
            row = tx.get(PushKeyRow, KEY_ID)
            if row is not None:
                return VapidKeyPair(row.private_pem, row.public_key)
            tx.add(PushKeyRow(id=KEY_ID, private_pem=made.private_pem,
                              public_key=made.public_key, created_at=now))  # fmt: skip
    except IntegrityError:
        kept = vapid_keys(database)
        assert kept is not None
        return kept
    return made


def account_of_profile(database: Database, profile_id: str) -> str | None:
    """The clinic account holding a profile, if any (personal mode: None)."""
    with database.read() as tx:
        return tx.scalars(select(AccountRow.id).where(AccountRow.profile_id == profile_id)).first()
