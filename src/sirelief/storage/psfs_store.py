"""A person's PSFS activities and weekly ratings (issue 20 item 2).

The activities are written whole (the form's three lines): a line keeps its row and id
when renamed, an emptied line loses its row. A rating stores each score with the words of
its activity at that moment. Each write is one transaction.
"""

from datetime import datetime

from sqlalchemy import delete, select

from sirelief.domain.psfs import Activity, ActivityScore, PsfsRating
from sirelief.storage.schema import PsfsActivityRow, PsfsRatingRow
from sirelief.storage.store import StorePart, new_id


def rating_of(row: PsfsRatingRow) -> PsfsRating:
    scores = tuple(
        ActivityScore(item["activity_id"], item["activity"], int(item["score"]))
        for item in row.scores
    )
    return PsfsRating(row.id, row.rated_at, scores)


class PsfsStore(StorePart):
    """Reads and writes one person's PSFS."""

    def activities(self) -> tuple[Activity, ...]:
        query = (
            select(PsfsActivityRow)
            .where(PsfsActivityRow.profile_id == self.profile_id)
            .order_by(PsfsActivityRow.position)
        )
        with self.database.read() as tx:
            return tuple(Activity(r.id, r.position, r.text) for r in tx.scalars(query))

    def save_activities(self, texts: dict[int, str | None], now: datetime) -> None:
        """Position -> name (None: that line is emptied)."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            rows = {
                row.position: row
                for row in tx.scalars(
                    select(PsfsActivityRow).where(PsfsActivityRow.profile_id == profile_id)
                )
            }
            for position, text in texts.items():
                row = rows.get(position)
                if text is None:
                    if row is not None:
                        tx.execute(delete(PsfsActivityRow).where(PsfsActivityRow.id == row.id))
                elif row is None:
                    tx.add(PsfsActivityRow(id=new_id(), profile_id=profile_id, position=position,
                                           text=text, created_at=now, updated_at=now))  # fmt: skip
                elif row.text != text:
                    row.text, row.updated_at = text, now

    def add_rating(self, scores: tuple[ActivityScore, ...], now: datetime) -> str:
        items = [
            {"activity_id": s.activity_id, "activity": s.activity, "score": s.score} for s in scores
        ]
        return self._add(
            PsfsRatingRow(id=new_id(), profile_id=self.profile_id, rated_at=now, scores=items)
        )

    def ratings(self, since: datetime | None = None) -> list[PsfsRating]:
        """Oldest first; from ``since`` on when given."""
        query = select(PsfsRatingRow).where(PsfsRatingRow.profile_id == self.profile_id)
        if since is not None:
            query = query.where(PsfsRatingRow.rated_at >= since)
        with self.database.read() as tx:
            rows = tx.scalars(query.order_by(PsfsRatingRow.rated_at, PsfsRatingRow.id))
            return [rating_of(row) for row in rows]

    def last_rated_at(self) -> datetime | None:
        query = (
            select(PsfsRatingRow.rated_at)
            .where(PsfsRatingRow.profile_id == self.profile_id)
            .order_by(PsfsRatingRow.rated_at.desc())
        )
        with self.database.read() as tx:
            return tx.scalars(query).first()
