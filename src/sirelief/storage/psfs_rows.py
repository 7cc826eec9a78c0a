"""The tables of the weekly PSFS (issue 20 item 2), beside ``schema.py`` (which imports
them, so ``Base.metadata`` has every table).

An activity row is the person's current list (at most three, by position); a rating row
is one week's scores, each with the activity's words as they were then, so renaming or
removing an activity never rewrites what an old score meant.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, owner


class PsfsActivityRow(Base):
    """An activity the person named; renaming keeps the id, removing deletes the row."""

    __tablename__ = "psfs_activities"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    position: Mapped[int] = mapped_column(Integer)
    """1 to 3: its line on the form."""
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("profile_id", "position"),)


class PsfsRatingRow(Base):
    """One week's rating: ``scores`` is a list of ``{activity_id, activity, score}``."""

    __tablename__ = "psfs_ratings"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    rated_at: Mapped[datetime]
    scores: Mapped[list[Any]] = mapped_column(JSON)
