"""The table of a clinician's findings (issue 20 item 3), beside ``schema.py`` (which
imports it, so ``Base.metadata`` has every table).

A record keeps who typed it in by account id and by the name they had then, without a
foreign key: the findings stay the person's when a coach's account is gone.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, owner


class ExaminationRow(Base):
    """One examination's provocation-test results and Fortin finger sign, as recorded."""

    __tablename__ = "clinical_findings"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    examined_on: Mapped[str] = mapped_column(String(10))
    examiner: Mapped[str | None] = mapped_column(String(200))
    results: Mapped[dict[str, Any]] = mapped_column(JSON)
    fortin: Mapped[str] = mapped_column(String(16))
    fortin_side: Mapped[str | None] = mapped_column(String(8))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str | None] = mapped_column(ID)
    recorded_by_name: Mapped[str | None] = mapped_column(String(120))
    recorded_by_role: Mapped[str | None] = mapped_column(String(16))
