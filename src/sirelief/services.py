"""Use cases shared by the command line and (later) the web app.

Adapters call these and only these; each returns domain objects or raises
``ServiceError`` with a message fit to show a person as it is.
"""

import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from sirelief.catalogue.loader import (
    RoutineCheck,
    SourceFile,
    builtin_catalogue,
    builtin_files,
    check_routine_file,
    load_routines,
)
from sirelief.domain.catalogue import Catalogue, UnknownIdError
from sirelief.domain.exercise import Exercise
from sirelief.domain.problems import Problem
from sirelief.domain.routine import Routine
from sirelief.settings import Settings

MAX_ROUTINE_BYTES = 256 * 1024


class ServiceError(Exception):
    """A request that cannot be done, with a one-line reason naming the fix."""


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

    @cached_property
    def catalogue(self) -> Catalogue:
        return builtin_catalogue()

    @cached_property
    def builtin_routines(self) -> list[Routine]:
        return load_routines(builtin_files("routines"), self.catalogue)

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
        """Every file in the user's routine folder, checked (broken ones included)."""
        folder = self.settings.routines_dir
        if not folder.is_dir():
            return []
        paths = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"})
        return [self.check_file(path) for path in paths]

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
        name = str(path)
        try:
            size = path.stat().st_size
            if size > MAX_ROUTINE_BYTES:
                raise ValueError(
                    f"the file is {size // 1024} KB; routine files are at most "
                    f"{MAX_ROUTINE_BYTES // 1024} KB"
                )
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _unreadable(name, "no such file: check the path")
        except IsADirectoryError:
            return _unreadable(name, "this is a folder: give the routine file inside it")
        except UnicodeDecodeError:
            return _unreadable(name, "not a text file: save it as UTF-8 text")
        except (OSError, ValueError) as error:
            return _unreadable(name, str(error))
        return check_routine_file(SourceFile(name, text), self.catalogue)

    def add_routine(self, path: Path, replace: bool = False) -> tuple[Routine, Path]:
        """Validate a routine file and copy it, unchanged, into the user's folder."""
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
        target = self.settings.routines_dir / f"{routine.id}.yaml"
        if target.exists() and not replace:
            raise ServiceError(
                f"not added: you already have a routine '{routine.id}' "
                f"({target}); use --replace to overwrite it"
            )
        _write_atomically(target, check.source.text)
        return routine, target


def _unreadable(name: str, reason: str) -> RoutineCheck:
    return RoutineCheck(SourceFile(name, ""), None, [Problem(name, 0, reason)])


def _write_atomically(target: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a routine."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".adding-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
