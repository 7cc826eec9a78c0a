"""Precautions, clearances and reviews of one profile (SPEC 5.1-5.3): each write one
transaction."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from sirelief.domain.clearance import Clearance
from sirelief.domain.review_done import ReviewDone
from sirelief.storage.database import Database
from sirelief.storage.schema import ClearanceRow, PrecautionsRow, ReviewRow
from sirelief.storage.store import Store, new_id


@dataclass(frozen=True)
class PrecautionAnswers:
    ids: tuple[str, ...]
    confirmed_at: datetime


def _clearance(row: ClearanceRow) -> Clearance:
    return Clearance(
        row.id, row.flag_id, date.fromisoformat(row.cleared_on), row.by, row.recorded_at,
        row.withdrawn_at,
    )  # fmt: skip


def _review(row: ReviewRow) -> ReviewDone:
    return ReviewDone(
        row.id, row.flag_id, date.fromisoformat(row.reviewed_on), row.recorded_at,
        row.withdrawn_at,
    )  # fmt: skip


class SafetyStore:
    """Reads and writes the person's precautions and clearances."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def database(self) -> Database:
        return self.store.database

    @property
    def profile_id(self) -> str:
        return self.store.profile_id

    def precautions(self) -> PrecautionAnswers | None:
        """None until the questions were answered once."""
        profile_id = self.profile_id  # found (or made) before the transaction opens
        with self.database.read() as session:
            row = session.get(PrecautionsRow, profile_id)
            return PrecautionAnswers(tuple(row.ids), row.confirmed_at) if row else None

    def save_precautions(self, ids: list[str], now: datetime) -> None:
        """Answers given or confirmed now (an empty list is an answer: none apply)."""
        profile_id = self.profile_id
        with self.database.write() as session:
            row = session.get(PrecautionsRow, profile_id)
            if row is None:
                session.add(PrecautionsRow(profile_id=profile_id, ids=list(ids),
                                           confirmed_at=now))  # fmt: skip
            else:
                row.ids, row.confirmed_at = list(ids), now

    def clearances(self) -> list[Clearance]:
        query = (
            select(ClearanceRow)
            .where(ClearanceRow.profile_id == self.profile_id)
            .order_by(ClearanceRow.recorded_at, ClearanceRow.id)
        )
        with self.database.read() as session:
            return [_clearance(row) for row in session.scalars(query)]

    def add_clearance(self, flag_id: str, cleared_on: date, by: str | None, now: datetime) -> str:
        row = ClearanceRow(
            id=new_id(), profile_id=self.profile_id, flag_id=flag_id,
            cleared_on=cleared_on.isoformat(), by=by, recorded_at=now, withdrawn_at=None,
        )  # fmt: skip
        with self.database.write() as session:
            session.add(row)
        return row.id

    def withdraw(self, flag_id: str, now: datetime) -> int:
        """Withdraw every standing clearance of a flag; how many there were."""
        query = select(ClearanceRow).where(
            ClearanceRow.profile_id == self.profile_id,
            ClearanceRow.flag_id == flag_id,
            ClearanceRow.withdrawn_at.is_(None),
        )
        with self.database.write() as session:
            rows = list(session.scalars(query))
            for row in rows:
                row.withdrawn_at = now
            return len(rows)

    def reviews(self) -> list[ReviewDone]:
        query = (
            select(ReviewRow)
            .where(ReviewRow.profile_id == self.profile_id)
            .order_by(ReviewRow.recorded_at, ReviewRow.id)
        )
        with self.database.read() as session:
            return [_review(row) for row in session.scalars(query)]

    def add_reviews(self, flag_ids: list[str], reviewed_on: date, now: datetime) -> list[str]:
        """One review row per flag, all in one transaction; their ids."""
        rows = [
            ReviewRow(id=new_id(), profile_id=self.profile_id, flag_id=flag_id,
                      reviewed_on=reviewed_on.isoformat(), recorded_at=now, withdrawn_at=None)
            for flag_id in flag_ids
        ]  # fmt: skip
        with self.database.write() as session:
            session.add_all(rows)
        return [row.id for row in rows]

    def withdraw_review(self, flag_id: str, now: datetime) -> int:
        """Withdraw every standing review of a flag; how many there were."""
        query = select(ReviewRow).where(
            ReviewRow.profile_id == self.profile_id,
            ReviewRow.flag_id == flag_id,
            ReviewRow.withdrawn_at.is_(None),
        )
        with self.database.write() as session:
            rows = list(session.scalars(query))
            for row in rows:
                row.withdrawn_at = now
            return len(rows)
