"""A person's settings and the secret addresses of their reminder calendar.

The settings are one row per person, written whole. A calendar address is kept only as
the SHA-256 of its token; making a new one revokes the ones before, so a person has at
most one that works. Each write is one transaction.
"""

from datetime import datetime

from sqlalchemy import select, update

from sirelief.domain.preferences import Preferences
from sirelief.storage.database import Database
from sirelief.storage.schema import CalendarFeedRow, PreferencesRow
from sirelief.storage.store import StorePart, new_id


def _row_json(row: PreferencesRow) -> dict:
    return {
        "voice": row.voice, "voice_name": row.voice_name, "sound": row.sound,
        "equipment": list(row.equipment), "time_zone": row.time_zone,
        "randomise_first_side": row.randomise_first_side,
        "reminder_days": list(row.reminder_days), "reminder_time": row.reminder_time,
    }  # fmt: skip


def preferences_of(row: PreferencesRow) -> Preferences:
    return Preferences.from_json(_row_json(row))


def row_values(preferences: Preferences) -> dict:
    """The columns of ``preferences`` (``to_json`` is the stored shape)."""
    return preferences.to_json()


class PreferencesStore(StorePart):
    """Reads and writes one person's settings and calendar addresses."""

    def preferences(self) -> Preferences | None:
        """None until the person saved their settings once."""
        profile_id = self.profile_id  # found (or made) before the transaction opens
        with self.database.read() as tx:
            row = tx.get(PreferencesRow, profile_id)
            return preferences_of(row) if row else None

    def save(self, preferences: Preferences, now: datetime) -> None:
        profile_id = self.profile_id
        values = row_values(preferences)
        with self.database.write() as tx:
            row = tx.get(PreferencesRow, profile_id)
            if row is None:
                tx.add(PreferencesRow(profile_id=profile_id, updated_at=now, **values))
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = now

    def add_feed(self, token_hash: str, now: datetime) -> None:
        """A new calendar address; every earlier one stops working."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            _revoke(tx, profile_id, now)
            tx.add(CalendarFeedRow(id=new_id(), profile_id=profile_id, token_hash=token_hash,
                                   created_at=now, revoked_at=None))  # fmt: skip

    def revoke_feeds(self, now: datetime) -> int:
        """Stop every calendar address of the person; how many were working."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            return _revoke(tx, profile_id, now)

    def feed_made_at(self) -> datetime | None:
        """When the working calendar address was made; None when there is none."""
        query = select(CalendarFeedRow.created_at).where(
            CalendarFeedRow.profile_id == self.profile_id, CalendarFeedRow.revoked_at.is_(None)
        )
        with self.database.read() as tx:
            return tx.scalars(query).first()


def _revoke(tx, profile_id: str, now: datetime) -> int:
    result = tx.execute(
        update(CalendarFeedRow)
        .where(CalendarFeedRow.profile_id == profile_id, CalendarFeedRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount


def feed_owner(database: Database, token_hash: str) -> str | None:
    """The profile whose working calendar address has this token hash, if any."""
    query = select(CalendarFeedRow.profile_id).where(
        CalendarFeedRow.token_hash == token_hash, CalendarFeedRow.revoked_at.is_(None)
    )
    with database.read() as tx:
        return tx.scalars(query).first()
