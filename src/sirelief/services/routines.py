"""Use case: routines, the built-ins shipped in the package plus the person's own files.

A routine from the terminal (a path) and one from the browser (an upload) go through the
same checks and the same ``add``, and are kept as the same file text.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sirelief.catalogue.isolated import CheckerBusyError, IsolatedChecker
from sirelief.catalogue.loader import RoutineCheck, SourceFile, check_routine_file
from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.problems import Problem
from sirelief.domain.routine import Routine
from sirelief.services.errors import BusyError, RoutineIdTakenError, ServiceError
from sirelief.services.files import read_text_file
from sirelief.storage.routine_store import RoutineStore

if TYPE_CHECKING:
    from sirelief.services.coaching import CoachRoutine

MAX_ROUTINE_BYTES = 64 * 1024
CHECK_CACHE_SIZE = 256
"""Stored routines' checks kept in memory, keyed by name and text (a few per person)."""


@dataclass(frozen=True)
class RoutineEntry:
    """A routine and where it came from."""

    routine: Routine
    origin: Literal["built-in", "coach", "yours"]
    path: str


@dataclass
class Routines:
    catalogue: Catalogue
    builtin: list[Routine]
    store: RoutineStore
    checker: Callable[[], IsolatedChecker]
    """Made on first upload: a check of a file on disk needs no child process."""
    clock: Callable[[], datetime]
    coach_routine: Callable[[], "CoachRoutine | None"] = lambda: None
    """The routine the person's coach assigned them (clinic mode), listed after the
    built-ins and chosen when the person names none."""
    _checked: dict[tuple[str, str], RoutineCheck] = field(default_factory=dict, repr=False)

    # --- reading ----------------------------------------------------------------------
    def with_skipped(self) -> tuple[list[RoutineEntry], list[str]]:
        """Built-ins, then the person's valid routines; and why any of their files was
        skipped."""
        entries = [RoutineEntry(r, "built-in", f"sirelief:{r.id}") for r in self.builtin]
        taken = {r.id: "a built-in routine" for r in self.builtin}
        skipped = []
        assigned = self.coach_routine()
        if assigned is not None:
            copy = assigned.assignment
            check = self._stored_check(copy.file_name, copy.source)
            if check.routine is not None and check.routine.id not in taken:
                taken[check.routine.id] = "the routine from your coach"
                entries.append(RoutineEntry(check.routine, "coach", f"coach:{copy.file_name}"))
        for check in self._stored_checks():
            name = check.source.name
            if check.routine is None:
                count = sum(p.severity == "error" for p in check.problems)
                skipped.append(
                    f"skipped {name}: {count} problem{'s' if count != 1 else ''}; "
                    f"see: sirelief routines check {name}"
                )
            elif check.routine.id in taken:
                skipped.append(
                    f"skipped {name}: its id '{check.routine.id}' is already used by "
                    f"{taken[check.routine.id]}; give it another id"
                )
            else:
                taken[check.routine.id] = name
                entries.append(RoutineEntry(check.routine, "yours", name))
        return entries, skipped

    def assigned_id(self) -> str | None:
        """The id of the routine the person's coach assigned, when it can be used."""
        entries = self.with_skipped()[0]
        return next((e.routine.id for e in entries if e.origin == "coach"), None)

    def all(self) -> list[RoutineEntry]:
        return self.with_skipped()[0]

    def get(self, routine_id: str) -> RoutineEntry:
        entries = {entry.routine.id: entry for entry in self.all()}
        if routine_id not in entries:
            raise ServiceError(
                f"{UnknownIdError('routine', routine_id, entries)} (see: sirelief routines list)"
            )
        return entries[routine_id]

    def file_of(self, routine_id: str) -> tuple[RoutineEntry, str, str]:
        """A routine of the person's own or from their coach, with its file name and text
        exactly as kept; ``ServiceError`` for a built-in (every sirelief has those) or an
        unknown id."""
        entry = self.get(routine_id)
        if entry.origin == "coach":
            assigned = self.coach_routine()
            if assigned is not None:
                return entry, assigned.assignment.file_name, assigned.assignment.source
        elif entry.origin == "yours":
            for stored in self.store.routines():
                if stored.routine_id == routine_id:
                    return entry, stored.file_name, stored.source
        raise ServiceError("built-in routines come with every sirelief: there is no file to share")

    def _stored_checks(self) -> list[RoutineCheck]:
        """Every routine the person added, checked once per text (not on every listing)."""
        return [
            self._stored_check(stored.file_name, stored.source) for stored in self.store.routines()
        ]

    def _stored_check(self, name: str, text: str) -> RoutineCheck:
        key = (name, text)
        if key not in self._checked:
            if len(self._checked) >= CHECK_CACHE_SIZE:
                self._checked.pop(next(iter(self._checked)))
            self._checked[key] = check_routine_file(SourceFile(name, text), self.catalogue)
        return self._checked[key]

    # --- checking ---------------------------------------------------------------------
    def check_file(self, path: Path) -> RoutineCheck:
        """Both validation stages on a file on disk; unreadable files become problems."""
        try:
            text = read_text_file(
                path, MAX_ROUTINE_BYTES, "routine file", "not a text file: save it as UTF-8 text"
            )
        except ServiceError as error:
            return _unreadable(str(path), str(error))
        return check_routine_file(SourceFile(str(path), text), self.catalogue)

    def check_upload(self, name: str, raw: bytes) -> RoutineCheck:
        """An uploaded file checked in a child process with a time and memory limit.

        Blocking: the web app calls it from a worker thread. Raises ``BusyError`` when
        every check slot stayed taken; every problem with the file is in the result.
        """
        if len(raw) > MAX_ROUTINE_BYTES:
            return _unreadable(
                name,
                f"the file is larger than {MAX_ROUTINE_BYTES // 1024} KB; routine files "
                "are at most that: is it a routine?",
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _unreadable(name, "this is not a text file: save the routine as UTF-8 text")
        try:
            return self.checker().check(SourceFile(name, text), self.catalogue)
        except CheckerBusyError as busy:
            raise BusyError(str(busy)) from None

    # --- adding -----------------------------------------------------------------------
    def add(self, check: RoutineCheck, replace: bool = False) -> Routine:
        """Keep a checked routine's text, unchanged, with the person's data.

        Raises ``ServiceError`` for a file with problems or a built-in's id, and
        ``RoutineIdTakenError`` when the person has one of that id and ``replace`` is off.
        """
        if check.routine is None:
            errors = [p for p in check.problems if p.severity == "error"]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ServiceError(f"{errors[0]}{more}")
        routine = check.routine
        if routine.id in {r.id for r in self.builtin}:
            raise ServiceError(f"'{routine.id}' is a built-in routine's id; give yours another id")
        name = check.source.name.rsplit("/", 1)[-1]  # a path given in the terminal
        if not self.store.save_routine(routine.id, name, check.source.text, self.clock(), replace):
            raise RoutineIdTakenError(routine.id)
        return routine


def _unreadable(name: str, reason: str) -> RoutineCheck:
    return RoutineCheck(SourceFile(name, ""), None, [Problem(name, 0, reason)])
