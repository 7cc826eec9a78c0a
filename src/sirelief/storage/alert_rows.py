"""The tables of coaches' alerts (issue 18 item 4), beside ``schema.py`` (which imports
them, so ``Base.metadata`` has every table)."""

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, part_of


class AlertRow(Base):
    """One alert for one coach about one client (issue 18 item 4). The unique key is the
    cause: however often a trigger repeats, and from however many server processes, the
    insert-if-absent keeps one row. Dismissed, never deleted."""

    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    coach_id: Mapped[str] = part_of("accounts")
    client_id: Mapped[str] = part_of("accounts")
    kind: Mapped[str] = mapped_column(String(32))
    cause: Mapped[str] = mapped_column(String(120))
    happened_at: Mapped[datetime]
    raised_at: Mapped[datetime]
    says: Mapped[str] = mapped_column(String(300))
    dismissed_at: Mapped[datetime | None]
    dismissed_by: Mapped[str | None] = mapped_column(ID)
    """No foreign key: who dismissed stays known after their account goes."""
    send_claimed_at: Mapped[datetime | None]
    """When a process took the email to send (so two never send it)."""
    sent_at: Mapped[datetime | None]

    __table_args__ = (UniqueConstraint("coach_id", "client_id", "kind", "cause"),)


class AlertSettingsRow(Base):
    """A coach's alert settings; a coach without a row has the defaults."""

    __tablename__ = "alert_settings"

    account_id: Mapped[str] = part_of("accounts", primary_key=True)
    inactive_days: Mapped[int | None] = mapped_column(Integer)
    """N days without a session before an alert; None: off."""
    email: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime]
