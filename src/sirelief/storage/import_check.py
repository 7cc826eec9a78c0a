"""An import file checked whole before a single row is written.

What an import stores must be readable by everything that reads live data, or history,
insights and the report fail on every call afterwards. So the document is checked in
three passes, and any problem refuses the whole file:

1. the JSON itself, its ``format`` and ``version``, and its shape (``export_format``);
2. every record with the live domain models (``import_models``), ids by format and
   length, ids unique within the document, and every reference across it (a session's
   check-in, a value's event, a note's session ...); routine files with the same checks
   as an upload (``catalogue.loader.check_routine_file``);
3. inside the import's own transaction, ids the database already holds for someone or
   something else (an event id stored in another session, a session of another profile).

A refusal names each place as a JSON path (``sessions[3].events[12].at``) with the fix,
the first ``MAX_SHOWN`` of them and how many more. A new kind of record: add its list to
``export_format.ExportDocument`` (defaulting to empty), a ``_<records>`` method below
called from ``check_document``, and its id columns to ``check_against_database``.
"""

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from sirelief.catalogue.loader import SourceFile, builtin_safety_rules, check_routine_file
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.model_base import Slug
from sirelief.domain.preferences import PreferenceError, Preferences
from sirelief.domain.problems import errors
from sirelief.domain.safety import SafetyRules
from sirelief.storage import import_models as models
from sirelief.storage.database import Transaction, in_lists
from sirelief.storage.export_format import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    ExportDocument,
    SessionOut,
)
from sirelief.storage.findings_rows import ExaminationRow
from sirelief.storage.import_findings import findings_problems
from sirelief.storage.import_psfs import psfs_problems
from sirelief.storage.import_safety import safety_problems
from sirelief.storage.schema import (
    CheckInRow,
    ClearanceRow,
    EventRow,
    NoteRow,
    ProfileRow,
    PsfsActivityRow,
    PsfsRatingRow,
    ReviewRow,
    SafetyStopRow,
    SessionRow,
)

MAX_SHOWN = 12
LONGEST_NAME = 100
LONGEST_FILE_NAME = 255
_Slug = TypeAdapter(Slug)
UNSTORABLE_TEXT = (
    "contains a character no database can keep (an unpaired surrogate such as \\ud800, or "
    "a NUL \\u0000): remove it"
)


@dataclass(frozen=True)
class ImportProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class RefusedImportError(ValueError):
    """An import file that cannot be used; nothing of it was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(summary(problems))


def summary(problems: list[ImportProblem]) -> str:
    """One message: the first ``MAX_SHOWN`` problems, one a line, and how many more."""
    if len(problems) == 1:
        return f"{problems[0]}; nothing was imported"
    lines = [f"{len(problems)} problems; nothing was imported:"]
    lines += [f"  {problem}" for problem in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        lines.append(f"  and {len(problems) - MAX_SHOWN} more")
    return "\n".join(lines)


def json_path(loc: Iterable[str | int]) -> str:
    """``("sessions", 3, "events", 12, "at")`` -> ``sessions[3].events[12].at``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.isidentifier():
            path += f".{part}" if path else part
        else:
            path += f"[{json.dumps(part, ensure_ascii=True)}]"
    return path


# --- pass 1: the JSON and its shape ------------------------------------------------------
def read_export(text: str) -> ExportDocument:
    """The document, or ``RefusedImportError`` naming every place its shape is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _refused(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise _refused("the JSON is nested too deeply to be a sirelief export") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise _refused(
            'not a sirelief export: expected a JSON object with "format": '
            f'"{EXPORT_FORMAT}" (made by: sirelief export --format json)'
        )
    if data.get("version") != EXPORT_VERSION:
        raise _refused(
            f"export version {data.get('version')!r} is not supported; this sirelief reads "
            f"version {EXPORT_VERSION}; update sirelief to import it"
        )
    try:
        return ExportDocument.model_validate(data)
    except ValidationError as error:
        found = models.errors_of(error)
        problems = [ImportProblem(json_path(loc), msg) for loc, msg in found]
        raise RefusedImportError(problems) from None
    except RecursionError:
        raise _refused("the JSON is nested too deeply to be a sirelief export") from None


def _refused(message: str) -> RefusedImportError:
    return RefusedImportError([ImportProblem("", message)])


# --- pass 2: every record, every reference -----------------------------------------------
def check_document(
    document: ExportDocument,
    catalogue: Catalogue,
    builtin_routines: Iterable[str] = (),
    safety_rules: SafetyRules | None = None,
) -> list[ImportProblem]:
    """Every problem in the document, in document order (empty: safe to write)."""
    checker = _Checker(document, catalogue, frozenset(builtin_routines))
    checker.run()
    checker.add_all((), safety_problems(document, safety_rules or builtin_safety_rules()))
    checker.add_all((), psfs_problems(document))
    checker.add_all((), findings_problems(document))
    reported = {problem.path for problem in checker.problems}
    unstorable = [p for p in _unstorable(document.model_dump()) if p.path not in reported]
    return checker.problems + unstorable


class _Checker:
    def __init__(self, document: ExportDocument, catalogue: Catalogue, builtin: frozenset):
        self.document = document
        self.catalogue = catalogue
        self.builtin = builtin
        self.problems: list[ImportProblem] = []
        self.event_places: dict[str, str] = {}

    def run(self) -> None:
        self._profile()
        self.checkin_pain = self._checkins()
        self.session_ids = self._sessions()
        self._mornings()
        self._stops()
        self._notes()
        self._routines()
        self._preferences()

    def _preferences(self) -> None:
        """The settings, read as the settings page would read them."""
        if self.document.preferences is None:
            return
        try:
            Preferences.from_json(self.document.preferences.model_dump())
        except PreferenceError as error:
            self.add(("preferences", error.field), str(error))

    # helpers
    def add(self, loc: Iterable[str | int], message: str) -> None:
        self.problems.append(ImportProblem(json_path(loc), message))

    def add_all(self, loc: tuple, found: list[models.Found]) -> None:
        for inner, message in found:
            self.add((*loc, *inner), message)

    def row_id(self, loc: tuple, value: str, seen: dict[str, str], what: str) -> None:
        """A row id: usable, and not given twice in the document."""
        problem = models.id_problem(value, models.ROW_ID, 32)
        if problem:
            self.add(loc, problem)
        elif value in seen:
            self.add(loc, f"{what} id '{value}' is used twice (first at {seen[value]}): "
                          "give one of them another id")  # fmt: skip
        else:
            seen[value] = json_path(loc)

    def reference(self, loc: tuple, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            self.add(loc, f"refers to {what} '{value[:40]}', which is not in this file: "
                          f"add that {what} or remove this reference")  # fmt: skip

    def int32(self, loc: tuple, value: int | None) -> None:
        problem = None if value is None else models.int32_problem(value)
        if problem:
            self.add(loc, problem)

    # records
    def _profile(self) -> None:
        profile = self.document.profile
        problem = models.id_problem(profile.id, models.ROW_ID, 32)
        if problem:
            self.add(("profile", "id"), problem)
        if not 1 <= len(profile.name) <= LONGEST_NAME:
            self.add(("profile", "name"), f"should be 1 to {LONGEST_NAME} characters")

    def _checkins(self) -> dict[str, int]:
        seen: dict[str, str] = {}
        for index, checkin in enumerate(self.document.checkins):
            loc = ("checkins", index)
            self.row_id((*loc, "id"), checkin.id, seen, "check-in")
            found = models.checkin_problems(checkin.answers)
            self.add_all((*loc, "answers"), found)
            if not found and checkin.answers["pain"] != checkin.pain:
                self.add((*loc, "pain"), f"should equal answers.pain ({checkin.answers['pain']})")
        return {c.id: c.pain for c in self.document.checkins}

    def _sessions(self) -> set[str]:
        seen: dict[str, str] = {}
        for index, item in enumerate(self.document.sessions):
            loc = ("sessions", index)
            self.row_id((*loc, "id"), item.id, seen, "session")
            if item.checkin_id is None:
                self.add((*loc, "checkin_id"), "every session needs the check-in it was "
                         "planned from: give the id of one in checkins")  # fmt: skip
            self.reference((*loc, "checkin_id"), item.checkin_id, set(self.checkin_pain),
                           "check-in")  # fmt: skip
            self.add_all((*loc, "routine_id"), _slug(item.routine_id))
            for name in ("routine_version", "seed", "max_pain"):
                self.int32((*loc, name), getattr(item, name))
            if item.max_pain is not None and not 0 <= item.max_pain <= 10:
                self.add((*loc, "max_pain"), "should be 0 to 10")
            if item.ended_at is not None:
                self.add_all((*loc, "ended_at"), _finite(item.ended_at))
            self.add_all((*loc, "routine"), models.routine_copy_problems(item.routine))
            found = models.plan_problems(item.plan)
            self.add_all((*loc, "plan"), found)
            if not found and item.plan["routine"] != item.routine_id:
                self.add((*loc, "plan", "routine"), f"should be the session's routine_id "
                         f"'{item.routine_id}'")  # fmt: skip
            self._events(loc, item)
        return set(seen)

    def _events(self, loc: tuple, item: SessionOut) -> None:
        kinds: dict[str, str] = {}
        for number, event in enumerate(item.events):
            place = (*loc, "events", number)
            found = models.event_problems(event)
            self.add_all(place, found)
            event_id = event.get("id")
            if not isinstance(event_id, str) or any(where == ("id",) for where, _ in found):
                continue
            if event_id in self.event_places:
                first = self.event_places[event_id]
                self.add((*place, "id"), f"event id '{event_id}' is used twice (first at "
                         f"{first}): give one of them another id")  # fmt: skip
                continue
            self.event_places[event_id] = json_path((*place, "id"))
            kinds[event_id] = event.get("kind")
        values: set[tuple[str, str, str]] = set()
        for number, value in enumerate(item.assessment_values):
            place = (*loc, "assessment_values", number)
            self._derived(place, value.event_id, kinds, ("assessment",))
            found = models.assessment_value_problems(value.point, value.region, value.side,
                                                     value.value)  # fmt: skip
            self.add_all(place, found + [(("at", *w), m) for w, m in _finite(value.at)])
            key = (value.event_id, value.region, value.side)
            if key in values:
                self.add(place, f"a second value for event '{value.event_id}', "
                         f"{value.region}, {value.side}: keep one")  # fmt: skip
            values.add(key)
        reported: set[str] = set()
        for number, report in enumerate(item.pain_reports):
            place = (*loc, "pain_reports", number)
            self._derived(place, report.event_id, kinds, ("assessment", "too_much"))
            if report.event_id in reported:
                self.add((*place, "event_id"), "a second pain report for one event: keep one")
            reported.add(report.event_id)
            self.int32((*place, "step"), report.step)
            fields = {"at": report.at, "pain": report.pain, "step": report.step,
                      "source": report.source}  # fmt: skip
            found = models.pain_report_problems(fields)
            self.add_all(place, found + [(("at", *w), m) for w, m in _finite(report.at)])
            if not found and kinds.get(report.event_id) not in (None, report.source):
                self.add((*place, "source"), f"should be '{kinds[report.event_id]}', the "
                         "kind of its event")  # fmt: skip

    def _derived(self, place: tuple, event_id: str, kinds: dict[str, str], allowed) -> None:
        """A value or report must come from an event of its own session, of the right kind."""
        if event_id not in kinds:
            self.add((*place, "event_id"), f"refers to event '{event_id[:64]}', which is not "
                     "among this session's events: add the event or remove this row")  # fmt: skip
        elif kinds[event_id] not in allowed:
            self.add((*place, "event_id"), f"refers to a '{kinds[event_id]}' event; only "
                     f"{' or '.join(allowed)} events record this")  # fmt: skip

    def _mornings(self) -> None:
        answered: dict[str, str] = {}
        for index, answer in enumerate(self.document.morning_answers):
            loc = ("morning_answers", index)
            self.reference((*loc, "session_id"), answer.session_id, self.session_ids, "session")
            if answer.session_id in answered:
                self.add((*loc, "session_id"), "a session has one next-morning answer; this "
                         f"one repeats {answered[answer.session_id]}: keep one")  # fmt: skip
            answered.setdefault(answer.session_id, json_path(loc))
            fields = {"settled": answer.settled, "pain": answer.pain,
                      "answered_at": answer.answered_at}  # fmt: skip
            self.add_all(loc, models.morning_problems(fields))

    def _stops(self) -> None:
        seen: dict[str, str] = {}
        for index, stop in enumerate(self.document.safety_stops):
            loc = ("safety_stops", index)
            self.row_id((*loc, "id"), stop.id, seen, "safety stop")
            self.reference((*loc, "checkin_id"), stop.checkin_id, set(self.checkin_pain),
                           "check-in")  # fmt: skip
            found = models.stop_problems(stop.decision)
            self.add_all((*loc, "decision"), found)
            if not found and stop.decision["urgency"] != stop.urgency:
                self.add((*loc, "urgency"), f"should be '{stop.decision['urgency']}', as in "
                         "its decision")  # fmt: skip

    def _notes(self) -> None:
        seen: dict[str, str] = {}
        for index, note in enumerate(self.document.notes):
            loc = ("notes", index)
            self.row_id((*loc, "id"), note.id, seen, "note")
            self.reference((*loc, "session_id"), note.session_id, self.session_ids, "session")
            author = note.author_account_id
            problem = author and models.id_problem(author, models.ROW_ID, 32)
            if problem:
                self.add((*loc, "author_account_id"), problem)

    def _routines(self) -> None:
        seen: dict[str, str] = {}
        names: dict[str, str] = {}
        for index, routine in enumerate(self.document.routines):
            loc = ("routines", index)
            self.row_id((*loc, "id"), routine.id, seen, "routine")
            if not 1 <= len(routine.file_name) <= LONGEST_FILE_NAME:
                self.add((*loc, "file_name"), f"should be 1 to {LONGEST_FILE_NAME} characters")
            found = _slug(routine.routine_id)
            self.add_all((*loc, "routine_id"), found)
            if not found and routine.routine_id in names:
                self.add((*loc, "routine_id"), f"'{routine.routine_id}' is used twice (first "
                         f"at {names[routine.routine_id]}): keep one")  # fmt: skip
            names.setdefault(routine.routine_id, json_path(loc))
            if routine.routine_id in self.builtin:
                self.add((*loc, "routine_id"), f"'{routine.routine_id}' is a built-in "
                         "routine's id: give yours another id")  # fmt: skip
            self._routine_source(loc, routine.file_name, routine.source, routine.routine_id)

    def _routine_source(self, loc: tuple, file_name: str, source: str, routine_id: str) -> None:
        """The same checks as ``sirelief routines add`` (and the upload page)."""
        check = check_routine_file(SourceFile(file_name, source), self.catalogue)
        for problem in errors(check.problems):
            self.add((*loc, "source"), f"{problem}; fix the routine text (see: sirelief "
                     "routines check)")  # fmt: skip
        if check.routine is not None and check.routine.id != routine_id:
            self.add((*loc, "routine_id"), f"should be '{check.routine.id}', the id inside "
                     "its source")  # fmt: skip


def _slug(value: str) -> list[models.Found]:
    try:
        _Slug.validate_python(value)
    except ValidationError as error:
        return models.errors_of(error)
    return []


def _finite(value: float) -> list[models.Found]:
    try:
        models.FiniteSeconds.validate_python(value)
    except ValidationError as error:
        return models.errors_of(error)
    return []


def _unstorable(data: Any) -> list[ImportProblem]:
    """Values no database column can keep as given: an unpaired surrogate or a NUL in any
    text (PostgreSQL refuses both), and a non-finite number anywhere (JSON has none)."""
    problems = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if isinstance(key, str) and not _storable_text(key):
                    problems.append(ImportProblem(json_path(loc), UNSTORABLE_TEXT))
                stack.append(((*loc, str(key)), item))
        elif isinstance(value, list | tuple):
            stack.extend(((*loc, index), item) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, str) and not _storable_text(value):
            problems.append(ImportProblem(json_path(loc), UNSTORABLE_TEXT))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(ImportProblem(json_path(loc), "input should be a finite number"))
    return problems


def _storable_text(text: str) -> bool:
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- pass 3: what the database already holds ---------------------------------------------
def check_against_database(
    tx: Transaction, document: ExportDocument, profile_id: str
) -> list[ImportProblem]:
    """Ids already stored for something else; run inside the import's transaction.

    An id stored for the same thing (same session, same profile) is what makes importing
    twice add nothing; an id stored elsewhere would attach this file's rows to it.
    """
    problems: list[ImportProblem] = []

    def owners(column, owner, ids: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in in_lists(ids):
            found.update(tx.execute(select(column, owner).where(column.in_(chunk))).all())
        return found

    stored = owners(EventRow.id, EventRow.session_id,
                    [e["id"] for s in document.sessions for e in s.events])  # fmt: skip
    for index, item in enumerate(document.sessions):
        for number, event in enumerate(item.events):
            if stored.get(event["id"], item.id) != item.id:
                problems.append(ImportProblem(
                    json_path(("sessions", index, "events", number, "id")),
                    f"event id '{event['id']}' is already stored in another session: "
                    "give this event a new id",
                ))  # fmt: skip
    tables = (
        ("checkins", CheckInRow, document.checkins),
        ("sessions", SessionRow, document.sessions),
        ("safety_stops", SafetyStopRow, document.safety_stops),
        ("notes", NoteRow, document.notes),
        ("clearances", ClearanceRow, document.clearances),
        ("reviews", ReviewRow, document.reviews),
        ("psfs_activities", PsfsActivityRow, document.psfs_activities),
        ("psfs_ratings", PsfsRatingRow, document.psfs_ratings),
        ("findings", ExaminationRow, document.findings),
    )
    for key, table, rows in tables:
        stored = owners(table.id, table.profile_id, [row.id for row in rows])
        for index, row in enumerate(rows):
            if stored.get(row.id, profile_id) != profile_id:
                problems.append(ImportProblem(
                    json_path((key, index, "id")),
                    f"id '{row.id}' already belongs to another profile in this database: "
                    "give it a new id",
                ))  # fmt: skip
    existing = tx.get(ProfileRow, profile_id) if profile_id == document.profile.id else None
    if existing is not None and not existing.is_default:
        problems.append(ImportProblem(
            "profile.id", f"id '{profile_id}' already belongs to another profile in this "
            "database: give it a new id",
        ))  # fmt: skip
    return problems
