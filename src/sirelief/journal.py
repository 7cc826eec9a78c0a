"""Session journals: one append-only JSON-lines file per session, until storage lands.

Line 1 is the session header (the routine as it was, the check-in and the planning
options: enough to rebuild the identical plan). Every later line is one event. An event
counts as recorded only once it is flushed and fsynced; a torn last line from a crash is
ignored on reading, so what was acknowledged is never lost.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sirelief.domain.session import Event

HEADER_FORMAT = "sirelief.session.v1"


@dataclass(frozen=True)
class Journal:
    path: Path

    @property
    def session_id(self) -> str:
        return self.path.stem

    @classmethod
    def create(cls, folder: Path, session_id: str, header: dict[str, Any]) -> "Journal":
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{session_id}.jsonl"
        with path.open("x", encoding="utf-8") as stream:
            stream.write(json.dumps({"format": HEADER_FORMAT, **header}) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
        _fsync_folder(folder)
        return cls(path)

    def append(self, event: Event) -> None:
        """Write one event and return only once it is on disk."""
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(event.model_dump_json() + "\n")
            stream.flush()
            os.fsync(stream.fileno())

    def read(self) -> tuple[dict[str, Any], list[Event]]:
        """The header and every acknowledged event; ``UnreadableJournalError`` otherwise."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else None
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UnreadableJournalError(self.path, 1, str(error)) from None
        if not isinstance(header, dict) or header.get("format") != HEADER_FORMAT:
            raise UnreadableJournalError(self.path, 1, f"not a {HEADER_FORMAT} header")
        events = []
        for number, line in enumerate(lines[1:], start=2):
            try:
                events.append(Event.model_validate_json(line))
            except ValueError:
                if number == len(lines):
                    break  # torn final line from a crash mid-write: never acknowledged
                raise UnreadableJournalError(self.path, number, "not a valid event") from None
        return header, events


class UnreadableJournalError(ValueError):
    """A journal that was damaged outside sirelief (edited, truncated in the middle)."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: {reason}")


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def journals(folder: Path) -> list[Journal]:
    """Every journal in the folder, newest first."""
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [Journal(path) for path in paths]
