"""Whether one profile has finished or skipped the first-run tour (one row, or none)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from sirelief.storage.schema import TourSeenRow
from sirelief.storage.store import StorePart

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class TourStore(StorePart):
    def seen(self) -> bool:
        query = select(TourSeenRow.profile_id).where(TourSeenRow.profile_id == self.profile_id)
        with self.database.read() as tx:
            return tx.scalar(query) is not None

    def mark_seen(self, ended: str, at: datetime) -> None:
        """Note the tour as over; the first note stands (a second tap, or two tabs at
        once, change nothing and never fail)."""
        profile_id = self.profile_id  # looked up (or made) before the write begins
        with self.database.write() as tx:
            insert = INSERTS[tx.get_bind().dialect.name](TourSeenRow)
            tx.execute(
                insert.values(
                    profile_id=profile_id, ended=ended, seen_at=at
                ).on_conflict_do_nothing(index_elements=[TourSeenRow.profile_id])
            )
