"""The person's own routines: each file's text exactly as they added it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sirelief.storage.schema import UserRoutineRow
from sirelief.storage.store import StorePart, new_id


@dataclass(frozen=True)
class StoredRoutine:
    routine_id: str
    file_name: str
    source: str
    added_at: datetime


class RoutineStore(StorePart):
    """Routine files of one profile, by routine id."""

    def routines(self) -> list[StoredRoutine]:
        """This profile's routines; none for an account with no data of its own."""
        if not self.store.has_profile:
            return []
        query = (
            select(UserRoutineRow)
            .where(UserRoutineRow.profile_id == self.profile_id)
            .order_by(UserRoutineRow.routine_id)
        )
        with self.database.read() as tx:
            return [
                StoredRoutine(row.routine_id, row.file_name, row.source, row.added_at)
                for row in tx.scalars(query)
            ]

    def save_routine(
        self, routine_id: str, file_name: str, source: str, at: datetime, replace: bool
    ) -> bool:
        """Add (or, with ``replace``, overwrite) a routine; False if it exists and not replace."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            existing = tx.scalars(
                select(UserRoutineRow).where(
                    UserRoutineRow.profile_id == profile_id,
                    UserRoutineRow.routine_id == routine_id,
                )
            ).first()
            if existing is not None and not replace:
                return False
            if existing is None:
                tx.add(UserRoutineRow(
                    id=new_id(), profile_id=profile_id, routine_id=routine_id,
                    file_name=file_name, source=source, added_at=at,
                ))  # fmt: skip
            else:
                existing.file_name, existing.source, existing.added_at = file_name, source, at
        return True
