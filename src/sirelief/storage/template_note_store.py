"""Coaches' notes on templates (issue 18 item 5): one per template, edited in place, read
by the template's clients through the version they were assigned."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from sirelief.storage.coaching_rows import TemplateVersionRow
from sirelief.storage.database import Database
from sirelief.storage.share_rows import TemplateNoteRow


@dataclass(frozen=True)
class TemplateNote:
    template_id: str
    text: str
    author_name: str
    updated_at: datetime


def _note(row: TemplateNoteRow) -> TemplateNote:
    return TemplateNote(row.template_id, row.text, row.author_name, row.updated_at)


class TemplateNoteStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    def note(self, template_id: str) -> TemplateNote | None:
        with self.database.read() as tx:
            row = tx.get(TemplateNoteRow, template_id)
            return _note(row) if row else None

    def save(
        self, template_id: str, text: str | None, author_id: str, author_name: str, at: datetime
    ) -> None:
        """Write the note (``None``: remove it)."""
        with self.database.write() as tx:
            row = tx.get(TemplateNoteRow, template_id)
            if text is None:
                tx.execute(
                    delete(TemplateNoteRow).where(TemplateNoteRow.template_id == template_id)
                )
            elif row is None:
                tx.add(TemplateNoteRow(template_id=template_id, text=text, author_id=author_id,
                                       author_name=author_name, updated_at=at))  # fmt: skip
            else:
                row.text, row.author_id, row.author_name, row.updated_at = (
                    text, author_id, author_name, at,
                )  # fmt: skip

    def note_of_version(self, version_id: str | None) -> TemplateNote | None:
        """The note on the template a version belongs to (what an assignment was made from)."""
        if version_id is None:
            return None
        query = (
            select(TemplateNoteRow)
            .join(TemplateVersionRow, TemplateVersionRow.template_id == TemplateNoteRow.template_id)
            .where(TemplateVersionRow.id == version_id)
        )
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            return _note(row) if row else None
