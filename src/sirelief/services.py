"""Use cases shared by the command line and (later) the web app.

Adapters call these and only these; each returns domain objects or raises
``ServiceError`` with a message fit to show a person as it is.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Literal

from sirelief.catalogue.isolated import CheckerBusyError, IsolatedChecker
from sirelief.catalogue.loader import (
    RoutineCheck,
    SourceFile,
    builtin_catalogue,
    builtin_files,
    builtin_safety_rules,
    check_routine_file,
    load_routines,
)
from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.exercise import Exercise
from sirelief.domain.problems import Problem
from sirelief.domain.routine import Routine
from sirelief.domain.safety import SafetyRules
from sirelief.settings import Settings
from sirelief.storage.database import Database, DatabaseError
from sirelief.storage.store import Store

MAX_ROUTINE_BYTES = 64 * 1024
CHECK_CACHE_SIZE = 256
"""Stored routines' checks kept in memory, keyed by name and text (a few per person)."""


__all__ = ["DatabaseError", "Library", "RoutineEntry", "ServiceError", "read_text_file"]


class ServiceError(Exception):
    """A request that cannot be done, with a one-line reason naming the fix."""


class BusyError(ServiceError):
    """Every routine check slot is taken: the request may be repeated shortly."""


@dataclass(frozen=True)
class RoutineEntry:
    """A routine and where it came from."""

    routine: Routine
    origin: Literal["built-in", "yours"]
    path: str


class Library:
    """Exercises and routines: the built-ins shipped in the package plus the user's own."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._checked: dict[tuple[str, str], RoutineCheck] = {}

    @cached_property
    def database(self) -> Database:
        """Opened, created or migrated on first use: there is nothing to set up by hand.

        A ``DatabaseError`` passes through as it is: the adapters show it as a fault of the
        data (CLI exit 2, a 503 page), not as a mistake in the request.
        """
        return Database(self.settings.database_location).ensure_current()

    def close(self) -> None:
        """Release database connections, if any were opened."""
        if "database" in self.__dict__:
            self.database.close()

    @cached_property
    def store(self) -> Store:
        return Store(self.database)

    @cached_property
    def catalogue(self) -> Catalogue:
        return builtin_catalogue()

    @cached_property
    def checker(self) -> IsolatedChecker:
        """Upload checks in a killable child process, made on first upload."""
        return IsolatedChecker(
            seconds=self.settings.routine_check_seconds,
            burn_s=self.settings.routine_check_burn_s,
            preload=("sirelief.cli.app",),  # what `sirelief serve`'s script imports
        )

    @cached_property
    def builtin_routines(self) -> list[Routine]:
        return load_routines(builtin_files("routines"), self.catalogue)

    @cached_property
    def safety_rules(self) -> SafetyRules:
        """The red-flag questions, read once (not on every check-in page: 20-60 ms each)."""
        return builtin_safety_rules()

    # --- exercises ------------------------------------------------------------------
    def exercises(
        self,
        region: str | None = None,
        equipment: str | None = None,
        position: str | None = None,
    ) -> list[Exercise]:
        return self.catalogue.filter(region=region, equipment=equipment, position=position)

    def exercise(self, exercise_id: str) -> Exercise:
        try:
            return self.catalogue.exercise(exercise_id)
        except UnknownIdError as unknown:
            raise ServiceError(f"{unknown} (see: sirelief exercises list)") from None

    # --- routines -------------------------------------------------------------------
    def user_routine_checks(self) -> list[RoutineCheck]:
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
            return self.checker.check(SourceFile(name, text), self.catalogue)
        except CheckerBusyError as busy:
            raise BusyError(str(busy)) from None

    def routines_with_skipped(self) -> tuple[list[RoutineEntry], list[str]]:
        """Built-ins, then the user's valid routines; and why any user file was skipped."""
        entries = [RoutineEntry(r, "built-in", f"sirelief:{r.id}") for r in self.builtin_routines]
        taken = {r.id: "a built-in routine" for r in self.builtin_routines}
        skipped = []
        for check in self.user_routine_checks():
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

    def routines(self) -> list[RoutineEntry]:
        return self.routines_with_skipped()[0]

    def routine(self, routine_id: str) -> RoutineEntry:
        entries = {entry.routine.id: entry for entry in self.routines()}
        if routine_id not in entries:
            raise ServiceError(
                f"{UnknownIdError('routine', routine_id, entries)} (see: sirelief routines list)"
            )
        return entries[routine_id]

    def check_file(self, path: Path) -> RoutineCheck:
        """Both validation stages on a file on disk; unreadable files become problems."""
        try:
            text = read_text_file(
                path, MAX_ROUTINE_BYTES, "routine file", "not a text file: save it as UTF-8 text"
            )
        except ServiceError as error:
            return _unreadable(str(path), str(error))
        return check_routine_file(SourceFile(str(path), text), self.catalogue)

    def add_routine(self, path: Path, replace: bool = False) -> Routine:
        """Validate a routine file and keep its text, unchanged, with the person's data."""
        check = self.check_file(path)
        if check.routine is None:
            first = next(p for p in check.problems if p.severity == "error")
            count = sum(p.severity == "error" for p in check.problems)
            more = f" (and {count - 1} more: sirelief routines check {path})" if count > 1 else ""
            raise ServiceError(f"not added: {first}{more}")
        routine = check.routine
        if routine.id in {r.id for r in self.builtin_routines}:
            raise ServiceError(
                f"not added: '{routine.id}' is a built-in routine's id; give yours another id"
            )
        saved = self.store.save_routine(
            routine.id, path.name, check.source.text, datetime.now(UTC), replace
        )
        if not saved:
            raise ServiceError(
                f"not added: you already have a routine '{routine.id}'; "
                "use --replace to overwrite it"
            )
        return routine


def read_text_file(path: Path, max_bytes: int, what: str, not_text: str) -> str:
    """Read a file a person handed in; every failure is a ``ServiceError`` naming the fix."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ServiceError(
                f"the file is {size // 1024} KB; {what}s are at most {max_bytes // 1024} KB"
            )
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ServiceError("no such file: check the path") from None
    except IsADirectoryError:
        raise ServiceError(f"this is a folder: give the {what} inside it") from None
    except UnicodeDecodeError:
        raise ServiceError(not_text) from None
    except OSError as error:
        raise ServiceError(error.strerror or str(error)) from None


def _unreadable(name: str, reason: str) -> RoutineCheck:
    return RoutineCheck(SourceFile(name, ""), None, [Problem(name, 0, reason)])
