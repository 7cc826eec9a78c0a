"""Notes on a session, both ways: the person writes one, and so may a coach who follows
them (issue 18 item 5). The access guard has already decided who may read or write; this
keeps the note and says who wrote each one in words the reader understands."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Account
from sirelief.domain.notes import Note, NoteError, clean_note
from sirelief.services.errors import ServiceError
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.session_log import SessionLog


@dataclass(frozen=True)
class ShownNote:
    note: Note
    by: str
    """"You", "Cora (coach)", "Cleo", "The client", or "A former coach" once gone."""
    mine: bool


@dataclass
class SessionNotes:
    log: SessionLog
    accounts: AccountsStore
    clock: Callable[[], datetime]

    def write(self, session_id: str, text: str, author: Actor | None) -> Note:
        """Keep a note on one of the person's sessions; ``ServiceError`` says what to fix."""
        try:
            cleaned = clean_note(text)
        except NoteError as error:
            raise ServiceError(str(error)) from None
        author_id = author.user_id if author else None
        at = self.clock()
        try:
            note_id = self.log.add_note(cleaned, at, session_id, author_id)
        except KeyError:
            raise ServiceError(f"no session '{session_id[:40]}'") from None
        return Note(note_id, session_id, at, cleaned, author_id)

    def on(self, session_id: str, reader: Actor | None) -> list[ShownNote]:
        """The session's notes, oldest first, each with who wrote it."""
        notes = self.log.notes_on(session_id)
        ids = sorted({note.author_id for note in notes if note.author_id})
        accounts = {account.id: account for account in self.accounts.accounts_with_ids(ids)}
        owner_reads = reader is None or reader.role is Role.CLIENT  # the guard saw to it
        shown = []
        for note in notes:
            if note.author_id is None:  # written by the person before accounts existed
                mine = owner_reads
                by = "You" if mine else "The client"
            else:
                mine = reader is not None and note.author_id == reader.user_id
                by = "You" if mine else _name(accounts.get(note.author_id))
            shown.append(ShownNote(note, by, mine))
        return shown


def _name(account: Account | None) -> str:
    if account is None:  # a client's data goes with their account, so this was staff
        return "A former coach"
    if account.role is Role.CLIENT:
        return account.display_name
    return f"{account.display_name} ({account.role.value})"
