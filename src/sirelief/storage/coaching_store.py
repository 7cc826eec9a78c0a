"""Coaches' routine templates, their versions, and the routines assigned to clients
(issue 18 item 2). Installation-wide, like the accounts: the use case decides who may
see what; this module only reads and writes."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from sirelief.storage.coaching_rows import (
    RoutineAssignmentRow,
    RoutineTemplateRow,
    TemplateVersionRow,
)
from sirelief.storage.database import Database, Transaction
from sirelief.storage.schema import AccountRow
from sirelief.storage.store import new_id


@dataclass(frozen=True)
class TemplateVersion:
    id: str
    template_id: str
    version: int
    name: str
    file_name: str
    source: str
    added_at: datetime


@dataclass(frozen=True)
class Template:
    id: str
    clinic_id: str
    author_id: str | None
    author_name: str | None
    routine_id: str
    shared: bool
    created_at: datetime
    latest: TemplateVersion


@dataclass(frozen=True)
class Assignment:
    """A client's assigned routine: a copy of one template version, and when to do it."""

    id: str
    client_id: str
    coach_id: str | None
    coach_name: str
    version_id: str | None
    version: int
    routine_id: str
    name: str
    file_name: str
    source: str
    schedule: dict[str, Any]
    note: str | None
    assigned_at: datetime
    ended_at: datetime | None


def _version(row: TemplateVersionRow) -> TemplateVersion:
    return TemplateVersion(
        row.id, row.template_id, row.version, row.name, row.file_name, row.source, row.added_at
    )


def _assignment(row: RoutineAssignmentRow) -> Assignment:
    return Assignment(
        row.id, row.client_id, row.coach_id, row.coach_name, row.version_id, row.version,
        row.routine_id, row.name, row.file_name, row.source, dict(row.schedule), row.note,
        row.assigned_at, row.ended_at,
    )  # fmt: skip


class CoachingStore:
    """Templates and assignments of every clinic."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- templates ------------------------------------------------------------------------
    def add_version(
        self, clinic_id: str, author_id: str, routine_id: str, name: str, file_name: str,
        source: str, at: datetime,
    ) -> TemplateVersion:  # fmt: skip
        """A new version of the author's template of ``routine_id`` (made on first upload)."""
        with self.database.write() as tx:
            template = tx.scalars(
                select(RoutineTemplateRow).where(
                    RoutineTemplateRow.author_id == author_id,
                    RoutineTemplateRow.routine_id == routine_id,
                )
            ).first()
            if template is None:
                template = RoutineTemplateRow(
                    id=new_id(), clinic_id=clinic_id, author_id=author_id,
                    routine_id=routine_id, shared=False, created_at=at,
                )  # fmt: skip
                tx.add(template)
                tx.flush()
            latest = tx.scalar(
                select(func.max(TemplateVersionRow.version)).where(
                    TemplateVersionRow.template_id == template.id
                )
            )
            row = TemplateVersionRow(
                id=new_id(), template_id=template.id, version=(latest or 0) + 1, name=name,
                file_name=file_name, source=source, added_at=at,
            )  # fmt: skip
            tx.add(row)
            tx.flush()
            return _version(row)

    def templates(self, clinic_id: str | None, author_id: str | None) -> list[Template]:
        """Templates of ``clinic_id`` (every clinic's when None) that are shared or
        written by ``author_id`` (all of them when ``author_id`` is None)."""
        query = select(RoutineTemplateRow, AccountRow.display_name).outerjoin(
            AccountRow, AccountRow.id == RoutineTemplateRow.author_id
        )
        if clinic_id is not None:
            query = query.where(RoutineTemplateRow.clinic_id == clinic_id)
        if author_id is not None:
            query = query.where(
                (RoutineTemplateRow.author_id == author_id) | RoutineTemplateRow.shared
            )
        with self.database.read() as tx:
            found = [self._template(tx, row, author) for row, author in tx.execute(query)]
        return sorted(found, key=lambda t: (t.latest.name.casefold(), t.routine_id, t.id))

    def template(self, template_id: str) -> Template | None:
        query = (
            select(RoutineTemplateRow, AccountRow.display_name)
            .outerjoin(AccountRow, AccountRow.id == RoutineTemplateRow.author_id)
            .where(RoutineTemplateRow.id == template_id)
        )
        with self.database.read() as tx:
            found = tx.execute(query).first()
            return None if found is None else self._template(tx, found[0], found[1])

    def _template(self, tx: Transaction, row: RoutineTemplateRow, author: str | None) -> Template:
        latest = tx.scalars(
            select(TemplateVersionRow)
            .where(TemplateVersionRow.template_id == row.id)
            .order_by(TemplateVersionRow.version.desc())
        ).first()
        assert latest is not None, "a template is made with its first version"
        return Template(
            row.id, row.clinic_id, row.author_id, author, row.routine_id, row.shared,
            row.created_at, _version(latest),
        )  # fmt: skip

    def versions(self, template_id: str) -> list[TemplateVersion]:
        """Every version of a template, newest first."""
        query = (
            select(TemplateVersionRow)
            .where(TemplateVersionRow.template_id == template_id)
            .order_by(TemplateVersionRow.version.desc())
        )
        with self.database.read() as tx:
            return [_version(row) for row in tx.scalars(query)]

    def set_shared(self, template_id: str, shared: bool) -> None:
        with self.database.write() as tx:
            tx.execute(
                update(RoutineTemplateRow)
                .where(RoutineTemplateRow.id == template_id)
                .values(shared=shared)
            )

    def owner_of_template(self, template_id: str) -> tuple[str, str | None] | None:
        """A template's clinic and author; None for an unknown id."""
        query = select(RoutineTemplateRow.clinic_id, RoutineTemplateRow.author_id).where(
            RoutineTemplateRow.id == template_id
        )
        with self.database.read() as tx:
            found = tx.execute(query).first()
        return None if found is None else (found.clinic_id, found.author_id)

    # --- assignments ----------------------------------------------------------------------
    def assign(
        self, client_id: str, coach_id: str, coach_name: str, version: TemplateVersion,
        routine_id: str, schedule: dict[str, Any], note: str | None, at: datetime,
    ) -> Assignment:  # fmt: skip
        """The client's new active assignment (a copy of ``version``); the one before ends."""
        with self.database.write() as tx:
            tx.execute(
                update(RoutineAssignmentRow)
                .where(
                    RoutineAssignmentRow.client_id == client_id,
                    RoutineAssignmentRow.ended_at.is_(None),
                )
                .values(ended_at=at)
            )
            row = RoutineAssignmentRow(
                id=new_id(), client_id=client_id, coach_id=coach_id, coach_name=coach_name,
                version_id=version.id, version=version.version, routine_id=routine_id,
                name=version.name, file_name=version.file_name, source=version.source,
                schedule=schedule, note=note, assigned_at=at, ended_at=None,
            )  # fmt: skip
            tx.add(row)
            tx.flush()
            return _assignment(row)

    def end_assignment(self, client_id: str, at: datetime) -> bool:
        """End the client's active assignment; whether there was one."""
        with self.database.write() as tx:
            result = tx.execute(
                update(RoutineAssignmentRow)
                .where(
                    RoutineAssignmentRow.client_id == client_id,
                    RoutineAssignmentRow.ended_at.is_(None),
                )
                .values(ended_at=at)
            )
            return result.rowcount > 0

    def set_note(self, client_id: str, note: str | None) -> bool:
        """Change the note of the client's active assignment; whether there was one."""
        with self.database.write() as tx:
            result = tx.execute(
                update(RoutineAssignmentRow)
                .where(
                    RoutineAssignmentRow.client_id == client_id,
                    RoutineAssignmentRow.ended_at.is_(None),
                )
                .values(note=note)
            )
            return result.rowcount > 0

    def assignments(self, client_id: str) -> list[Assignment]:
        """The client's assignments, the active one (if any) first, then newest first."""
        query = (
            select(RoutineAssignmentRow)
            .where(RoutineAssignmentRow.client_id == client_id)
            .order_by(RoutineAssignmentRow.assigned_at.desc(), RoutineAssignmentRow.id)
        )
        with self.database.read() as tx:
            found = [_assignment(row) for row in tx.scalars(query)]
        return sorted(found, key=lambda a: a.ended_at is not None)

    def active_for_profile(self, profile_id: str) -> Assignment | None:
        """The active assignment of the client whose data is ``profile_id``."""
        query = (
            select(RoutineAssignmentRow)
            .join(AccountRow, AccountRow.id == RoutineAssignmentRow.client_id)
            .where(AccountRow.profile_id == profile_id, RoutineAssignmentRow.ended_at.is_(None))
            .order_by(RoutineAssignmentRow.assigned_at.desc())
        )
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            return None if row is None else _assignment(row)
