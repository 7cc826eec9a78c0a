"""Load and validate exercise and routine files, reporting every problem with its line.

Validation runs in two stages, each gathering all it finds before anything is raised:
the file's shape (YAML syntax, fields, types, ranges) and then its meaning against the
rest of the catalogue (ids that must exist, doses that must fit, assessment pairs).
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sirelief.catalogue.limits import routine_size_problems
from sirelief.catalogue.parsed_cache import parse_shipped
from sirelief.catalogue.yaml_source import YamlDocument, parse_yaml
from sirelief.domain.catalogue import Catalogue, check_links
from sirelief.domain.exercise import Exercise
from sirelief.domain.figure import equipment_problems
from sirelief.domain.messages import field_names, problems_from_validation
from sirelief.domain.problems import InvalidFileError, Problem, errors
from sirelief.domain.routine import ROUTINE_FORMAT, STEP_KINDS, Routine
from sirelief.domain.routine_choice import default_problems
from sirelief.domain.routine_rules import check_routine
from sirelief.domain.routine_salvage import salvage_routine
from sirelief.domain.safety import SafetyRules

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class SourceFile:
    """A data file's name (as shown in messages) and its text."""

    name: str
    text: str
    shipped: bool = False
    """One of the package's own files (its parse may come from ``parsed_cache``)."""


def validate_shape(
    source: SourceFile,
    model: type[Model],
    union_tags: frozenset[str] = frozenset(),
    size_limits: Callable[[Any], list[Problem]] | None = None,
) -> tuple[Model | None, YamlDocument | None, list[Problem]]:
    """Stage one: parse and check the structure. Never raises for bad input.

    ``size_limits`` runs on the plain data before the models, so an oversized routine
    is refused before thousands of steps are validated.
    """
    try:
        parse = parse_shipped if source.shipped else parse_yaml
        document = parse(source.text, source.name)
    except InvalidFileError as invalid:
        return None, None, invalid.problems
    oversized = size_limits(document.data) if size_limits else []
    if oversized:
        return None, document, place(oversized, source.name, document)
    try:
        return model.model_validate(document.data), document, []
    except ValidationError as error:
        problems = problems_from_validation(error, field_names([model]), union_tags)
        return None, document, place(problems, source.name, document)


def place(problems: Iterable[Problem], filename: str, document: YamlDocument) -> list[Problem]:
    """Give path-only problems their file and line."""
    return [p.at(filename, document.line_of(p.path)) for p in problems]


def builtin_files(folder: str) -> list[SourceFile]:
    """The YAML files shipped in ``sirelief/catalogue/<folder>``, sorted by name."""
    root = resources.files("sirelief.catalogue") / folder
    return [
        SourceFile(f"{folder}/{entry.name}", entry.read_text(encoding="utf-8"), shipped=True)
        for entry in sorted(root.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]


def load_exercises(sources: Iterable[SourceFile]) -> Catalogue:
    """Every exercise file validated; raises ``InvalidFileError`` listing all problems."""
    problems: list[Problem] = []
    exercises: dict[str, Exercise] = {}
    documents: dict[str, tuple[SourceFile, YamlDocument]] = {}
    for source in sources:
        exercise, document, found = validate_shape(source, Exercise)
        problems.extend(found)
        if exercise is None or document is None:
            continue
        stem = PurePath(source.name).stem
        if exercise.id != stem:
            problems.append(
                Problem(
                    source.name,
                    document.line_of(("id",)),
                    f"id '{exercise.id}' must match the file name: rename the file to "
                    f"{exercise.id}.yaml or set id: {stem}",
                )
            )
        equipment = [(need.item, need.optional) for need in exercise.equipment]
        found = equipment_problems(exercise.figure, equipment, exercise.regions)
        problems.extend(place(found, source.name, document))
        if exercise.id in exercises:
            first = documents[exercise.id][0].name
            problems.append(
                Problem(
                    source.name,
                    document.line_of(("id",)),
                    f"id '{exercise.id}' is already used by {first}",
                )
            )
            continue
        exercises[exercise.id] = exercise
        documents[exercise.id] = (source, document)
    for exercise_id, problem in check_links(exercises):
        source, document = documents[exercise_id]
        problems.extend(place([problem], source.name, document))
    if errors(problems):
        raise InvalidFileError(problems)
    return Catalogue.of(exercises.values())


def builtin_catalogue() -> Catalogue:
    return load_exercises(builtin_files("exercises"))


@dataclass(frozen=True)
class RoutineCheck:
    """The outcome of checking one routine file: the routine when it has no errors."""

    source: SourceFile
    routine: Routine | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.routine is not None


def check_routine_file(source: SourceFile, catalogue: Catalogue) -> RoutineCheck:
    """Both validation stages on one routine file; never raises for bad input."""
    routine, document, problems = validate_shape(
        source, Routine, frozenset(STEP_KINDS), routine_size_problems
    )
    if document is None:
        return RoutineCheck(source, None, sorted(problems))
    if routine is None:
        rest = _meaning_of_the_rest(problems, document, catalogue)
        return RoutineCheck(source, None, sorted(problems + place(rest, source.name, document)))
    problems = sorted(place(check_routine(routine, catalogue), source.name, document))
    return RoutineCheck(source, None if errors(problems) else routine, problems)


def _meaning_of_the_rest(
    shape_problems: list[Problem], document: YamlDocument, catalogue: Catalogue
) -> list[Problem]:
    """Stage two on the parts stage one passed, so one round shows every problem; none
    for an oversized file (its size is the one thing to fix)."""
    if routine_size_problems(document.data):
        return []
    broken = [problem.path for problem in shape_problems]
    salvaged = salvage_routine(document.data, broken)
    if salvaged is None:
        return []
    found = check_routine(salvaged, catalogue)
    return [p for p in found if not any(p.path[: len(b)] == b for b in broken)]


def load_routines(sources: Iterable[SourceFile], catalogue: Catalogue) -> list[Routine]:
    """Routines from files that must all be valid (the built-ins); raises otherwise.

    Together they must also name one default per moment of the day (``default_for``).
    """
    checks = [check_routine_file(source, catalogue) for source in sources]
    problems = [p for check in checks for p in check.problems]
    if errors(problems):
        raise InvalidFileError(problems)
    routines = [check.routine for check in checks if check.routine is not None]
    problems += _placed_default_problems(checks)
    if errors(problems):
        raise InvalidFileError(problems)
    return routines


def _placed_default_problems(checks: list[RoutineCheck]) -> list[Problem]:
    """The defaults' problems, each in its routine's file and line (a missing default in
    the folder that holds the files)."""
    sources = {check.routine.id: check.source for check in checks if check.routine}
    folder = str(PurePath(checks[0].source.name).parent) if checks else ""
    placed = []
    for routine_id, problem in default_problems([c.routine for c in checks if c.routine]):
        if routine_id is None:
            placed.append(problem.at(folder, 0))
            continue
        source = sources[routine_id]
        placed += place([problem], source.name, parse_yaml(source.text, source.name))
    return placed


def dump_routine(routine: Routine) -> str:
    """A routine as YAML in the coach's format (defaults left out), loadable again."""
    data = routine.model_dump(mode="json", exclude_defaults=True)
    return dump_document({"format": ROUTINE_FORMAT, **data})


def dump_document(data: dict) -> str:
    """A routine document (valid or not, as the builder holds it) as YAML in the same
    layout as ``dump_routine``."""
    from ruamel.yaml import YAML

    stream = io.StringIO()
    writer = YAML(typ="rt")
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.width = 88
    writer.dump(data, stream)
    return stream.getvalue()


def builtin_safety_rules() -> SafetyRules:
    """The red-flag questions shipped in ``catalogue/safety/red-flags.yaml``."""
    [source] = [s for s in builtin_files("safety") if s.name.endswith("red-flags.yaml")]
    rules, _document, problems = validate_shape(source, SafetyRules)
    if rules is None:
        raise InvalidFileError(problems)
    return rules
