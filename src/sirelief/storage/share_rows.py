"""The tables of share links and coaches' template notes (issue 18 items 5 and 6), beside
``schema.py`` (which imports them, so ``Base.metadata`` has every table).

A share link keeps only the SHA-256 of its token and a copy of the routine file as it was
when the link was made: the public page reads nothing else, so it cannot show anything
else. Revoked links stay (revoked) and find nothing.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, owner, part_of


class RoutineShareRow(Base):
    """A share link of one of a person's routines (personal mode, or a client's)."""

    __tablename__ = "routine_share_links"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    routine_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class TemplateShareRow(Base):
    """A share link of one version of a coach's template."""

    __tablename__ = "template_share_links"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    template_id: Mapped[str] = part_of("routine_templates")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    shown_name: Mapped[str | None] = mapped_column(String(120))
    """The coach's name, only when they chose to show it on the shared page."""
    created_by: Mapped[str | None] = mapped_column(
        ID, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class TemplateNoteRow(Base):
    """A coach's note on a template, seen by every client the template was assigned to;
    one per template, edited in place (who and when the last edit was)."""

    __tablename__ = "routine_template_notes"

    template_id: Mapped[str] = part_of("routine_templates", primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    author_name: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime]


SHARE_ACCOUNT_TABLES = (TemplateShareRow, TemplateNoteRow)
"""The clinic-mode tables here: children of the templates, deleted before them."""
