"""Share links of routines and of template versions (issue 18 item 6).

Only the SHA-256 of a link's token is kept, with a copy of the file shared. Each routine
(or template) has at most one working link: making a new one revokes the ones before, as
a calendar address does. Each write is one transaction.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from sirelief.storage.database import Database
from sirelief.storage.share_rows import RoutineShareRow, TemplateShareRow
from sirelief.storage.store import StorePart, new_id


@dataclass(frozen=True)
class SharedFile:
    """What a working link opens: the file as it was shared, nothing about anyone else."""

    name: str
    file_name: str
    source: str
    shown_name: str | None
    """The coach's name, only when they chose to show it."""


@dataclass(frozen=True)
class WorkingLink:
    """The owner's view of their working link (its token is never kept)."""

    created_at: datetime
    version: int | None = None
    shown_name: str | None = None


class RoutineShareStore(StorePart):
    """One person's share links of their routines, by routine id."""

    def add(
        self, routine_id: str, token_hash: str, name: str, file_name: str, source: str,
        now: datetime,
    ) -> None:  # fmt: skip
        profile_id = self.profile_id
        with self.database.write() as tx:
            tx.execute(_revoke_routine(profile_id, routine_id, now))
            tx.add(RoutineShareRow(
                id=new_id(), profile_id=profile_id, token_hash=token_hash,
                routine_id=routine_id, name=name, file_name=file_name, source=source,
                created_at=now, revoked_at=None,
            ))  # fmt: skip

    def revoke(self, routine_id: str, now: datetime) -> int:
        """Stop the routine's link; how many were working."""
        profile_id = self.profile_id
        with self.database.write() as tx:
            return tx.execute(_revoke_routine(profile_id, routine_id, now)).rowcount

    def working(self, routine_id: str) -> WorkingLink | None:
        if not self.has_profile:
            return None
        query = select(RoutineShareRow.created_at).where(
            RoutineShareRow.profile_id == self.profile_id,
            RoutineShareRow.routine_id == routine_id,
            RoutineShareRow.revoked_at.is_(None),
        )
        with self.database.read() as tx:
            made = tx.scalars(query).first()
        return None if made is None else WorkingLink(made)


def _revoke_routine(profile_id: str, routine_id: str, now: datetime):
    return (
        update(RoutineShareRow)
        .where(
            RoutineShareRow.profile_id == profile_id,
            RoutineShareRow.routine_id == routine_id,
            RoutineShareRow.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


class TemplateShareStore:
    """Share links of coaches' templates (the use case decides who may make them)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def add(
        self, template_id: str, version: int, token_hash: str, name: str, file_name: str,
        source: str, shown_name: str | None, created_by: str, now: datetime,
    ) -> None:  # fmt: skip
        with self.database.write() as tx:
            tx.execute(_revoke_template(template_id, now))
            tx.add(TemplateShareRow(
                id=new_id(), template_id=template_id, token_hash=token_hash, version=version,
                name=name, file_name=file_name, source=source, shown_name=shown_name,
                created_by=created_by, created_at=now, revoked_at=None,
            ))  # fmt: skip

    def revoke(self, template_id: str, now: datetime) -> int:
        with self.database.write() as tx:
            return tx.execute(_revoke_template(template_id, now)).rowcount

    def working(self, template_id: str) -> WorkingLink | None:
        query = select(TemplateShareRow).where(
            TemplateShareRow.template_id == template_id, TemplateShareRow.revoked_at.is_(None)
        )
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            if row is None:
                return None
            return WorkingLink(row.created_at, row.version, row.shown_name)


def _revoke_template(template_id: str, now: datetime):
    return (
        update(TemplateShareRow)
        .where(TemplateShareRow.template_id == template_id, TemplateShareRow.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def shared_file(database: Database, token_hash: str) -> SharedFile | None:
    """The file a working link with this token hash opens; None when unknown or revoked."""
    with database.read() as tx:
        personal = tx.scalars(
            select(RoutineShareRow).where(
                RoutineShareRow.token_hash == token_hash, RoutineShareRow.revoked_at.is_(None)
            )
        ).first()
        if personal is not None:
            return SharedFile(personal.name, personal.file_name, personal.source, None)
        coach = tx.scalars(
            select(TemplateShareRow).where(
                TemplateShareRow.token_hash == token_hash, TemplateShareRow.revoked_at.is_(None)
            )
        ).first()
        if coach is not None:
            return SharedFile(coach.name, coach.file_name, coach.source, coach.shown_name)
    return None
