"""The tables of coaches' templates and the routines they assign (issue 18 item 2),
beside ``schema.py`` (which imports them, so ``Base.metadata`` has every table)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sirelief.storage.schema import ID, Base, part_of


class RoutineTemplateRow(Base):
    """A coach's routine kept as a template (issue 18 item 2): its own, or shared with
    the clinic. Its files are its versions."""

    __tablename__ = "routine_templates"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    clinic_id: Mapped[str] = part_of("clinics")
    author_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    routine_id: Mapped[str] = mapped_column(String(64))
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("author_id", "routine_id"),)


class TemplateVersionRow(Base):
    """One uploaded file of a template, kept as written; a new upload is a new version."""

    __tablename__ = "routine_template_versions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    template_id: Mapped[str] = part_of("routine_templates")
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    """The routine's name in this file."""
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("template_id", "version"),)


class RoutineAssignmentRow(Base):
    """A routine a coach assigned to a client: a copy of one template version, with the
    schedule and note. The active one has no ``ended_at``; ended ones are the history."""

    __tablename__ = "routine_assignments"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    client_id: Mapped[str] = part_of("accounts")
    coach_id: Mapped[str | None] = mapped_column(ID, ForeignKey("accounts.id", ondelete="SET NULL"))
    coach_name: Mapped[str] = mapped_column(String(120))
    version_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("routine_template_versions.id", ondelete="SET NULL")
    )
    """The template version copied (None once the template is gone: the copy stays)."""
    version: Mapped[int] = mapped_column(Integer)
    routine_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    """The routine file as it was assigned: later template versions never change it."""
    schedule: Mapped[dict[str, Any]]
    note: Mapped[str | None] = mapped_column(Text)
    assigned_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_routine_assignments_client_ended", "client_id", "ended_at"),)


COACHING_TABLES = (RoutineAssignmentRow, TemplateVersionRow, RoutineTemplateRow)
"""Children first, as ``ACCOUNT_TABLES`` lists them."""
