"""The tables of Web Push reminders (issue 19 item 3b), beside ``schema.py`` (which imports
them, so ``Base.metadata`` has every table)."""

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, UTCDateTime, owner, part_of


class PushSubscriptionRow(Base):
    """A browser that gets this person's Web Push reminders (issue 19 item 3b). Deleted when
    the person turns it off or the push service says it is gone (404, 410)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the endpoint: a unique index any database can hold (endpoints are long)."""
    endpoint: Mapped[str] = mapped_column(Text)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class ReminderSentRow(Base):
    """A reminder claimed for sending: one row per person and due time, so each is sent
    once, whichever run of ``sirelief reminders send`` (or worker) gets there first."""

    __tablename__ = "reminders_sent"

    profile_id: Mapped[str] = part_of("profiles", primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    sent_at: Mapped[datetime]
    delivered: Mapped[int] = mapped_column(Integer)
    """How many of the person's browsers took it (filled in after sending)."""


class PushKeyRow(Base):
    """The installation's VAPID key pair (one row, id "vapid"): made once, kept in the
    database so the server, its workers and the cron job sign with the same key."""

    __tablename__ = "push_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_key: Mapped[str] = mapped_column(String(100))
    """The uncompressed public point, base64url: the browser's applicationServerKey."""
    created_at: Mapped[datetime]
