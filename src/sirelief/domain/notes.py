"""Notes on a session, written by the person or by one of their coaches (issue 18 item 5).

A note is free text a person reads later, so the rules are few: something to say, not a
book, and no invisible characters that would make two notes look alike or break a page.
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

MAX_NOTE_CHARACTERS = 2000
"""About a page: enough for what was felt and what to try next time."""

ALLOWED_CONTROLS = frozenset("\n\t")


class NoteError(ValueError):
    """A note that cannot be kept; the message names the fix."""


@dataclass(frozen=True)
class Note:
    id: str
    session_id: str | None
    at: datetime
    text: str
    author_id: str | None
    """The writer's account; None for the person's own notes in personal mode."""


def clean_note(text: str) -> str:
    """The note as it will be kept (line endings made ``\\n``, outer blank space removed),
    or ``NoteError``."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise NoteError("the note is empty: write what you want to remember, then save")
    if len(cleaned) > MAX_NOTE_CHARACTERS:
        raise NoteError(
            f"the note has {len(cleaned):,} characters; at most {MAX_NOTE_CHARACTERS:,} "
            "fit: shorten it or split it in two"
        )
    hidden = next(
        (c for c in cleaned if c not in ALLOWED_CONTROLS and unicodedata.category(c)[0] == "C"),
        None,
    )
    if hidden is not None:
        raise NoteError(
            f"the note holds an invisible character (U+{ord(hidden):04X}); "
            "type it again rather than pasting it"
        )
    return cleaned
