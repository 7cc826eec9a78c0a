"""``sirelief routines ...``: list, show, check, add routines, and print their schema."""

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from sirelief.catalogue.loader import RoutineCheck
from sirelief.cli.commands import command
from sirelief.cli.output import console, handled, print_json
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.prescription import SIDE_POLICY_WORDS, describe_dose, effective_dose
from sirelief.domain.problems import errors
from sirelief.domain.routine import (
    AssessmentStep,
    Block,
    ChoiceStep,
    ExerciseStep,
    Routine,
    schema,
)
from sirelief.services import RoutineIdTakenError, ServiceError, Services
from sirelief.services.routines import RoutineEntry

ROUTINES_JSON_FORMAT = "sirelief.routines.v1"
CHECK_JSON_FORMAT = "sirelief.check.v1"
RATING_WORDS = {
    "hip": "front of hip",
    "hamstrings_adductors": "hamstrings and inner thighs",
    "ankle": "ankle",
}

GROUP = {"help": "List, show, check and add routines.", "no_args_is_help": True}
"""How ``sirelief routines --help`` reads."""


def routine_json(entry: RoutineEntry) -> dict[str, Any]:
    """A routines-list entry: where it comes from, and the routine file as JSON."""
    return {"origin": entry.origin, "routine": entry.routine.model_dump(mode="json")}


@command("list")
def list_routines(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.routines.v1)."),
) -> None:
    """List built-in routines and your own.

    Example: sirelief routines list
    """
    services: Services = context.obj
    with handled():
        entries, skipped = services.routines.with_skipped()
    for reason in skipped:
        print(f"warning: {reason}", file=sys.stderr)
    if as_json:
        print_json(
            {
                "format": ROUTINES_JSON_FORMAT,
                "routines": [routine_json(entry) for entry in entries],
            }
        )
        return
    table = Table(title=f"{len(entries)} routines", title_justify="left")
    for header in ("id", "name", "for", "blocks", "origin"):
        table.add_column(header, overflow="fold")
    for entry in entries:
        routine = entry.routine
        table.add_row(
            routine.id,
            routine.name,
            ", ".join(c.replace("_", " ") for c in routine.contexts),
            str(len(routine.blocks)),
            entry.origin,
        )
    console().print(table)


@command("show")
def show_routine(
    context: typer.Context,
    routine_id: str = typer.Argument(..., metavar="ID", help="A routine id."),
    as_json: bool = typer.Option(False, "--json", help="Print the routine file as JSON."),
) -> None:
    """Show a routine in running order, with doses and the order of sides.

    Example: sirelief routines show kettlebell-smash-reset
    """
    services: Services = context.obj
    with handled():
        entry = services.routines.get(routine_id)
        catalogue = services.catalogue
    if as_json:  # the routine file itself, as JSON: valid input for `routines check`
        print_json(entry.routine.model_dump(mode="json"))
        return
    _render_routine(entry, catalogue)


@command("check")
def check_routines(
    context: typer.Context,
    files: list[Path] = typer.Argument(..., metavar="FILE...", help="Routine files."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.check.v1)."),
) -> None:
    """Check routine files and report every problem with its line and a fix.

    Exit status: 0 when every file is valid (warnings allowed), 1 when any has errors.

    Example: sirelief routines check my-routine.yaml
    """
    services: Services = context.obj
    with handled():
        checks = [services.routines.check_file(path) for path in files]
    if as_json:
        print_json({"format": CHECK_JSON_FORMAT, "files": [_check_json(c) for c in checks]})
    else:
        _render_checks(checks)
    if any(not check.ok for check in checks):
        raise typer.Exit(1)


@command("schema")
def print_schema() -> None:
    """Print the routine file's JSON Schema, for editor completion and checking.

    Example: sirelief routines schema > sirelief-routine.schema.json
    """
    print_json(schema())


@command("add")
def add_routine(
    context: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A routine file to add."),
    replace: bool = typer.Option(False, "--replace", help="Overwrite your routine of the same id."),
) -> None:
    """Check a routine file, then add it to your routines beside the built-ins.

    Example: sirelief routines add ~/Downloads/knee-friendly.yaml
    """
    services: Services = context.obj
    with handled():
        routine = _add(services, file, replace)
    console().print(
        f"Added '{routine.name}' ({routine.id}, version {routine.version}) "
        "to your routines.\nRun it later; see it now with: "
        f"sirelief routines show {routine.id}"
    )


def _add(services: Services, path: Path, replace: bool) -> Routine:
    """Check the file, then keep it; every refusal is one line naming the fix."""
    check = services.routines.check_file(path)
    if check.routine is None:
        found = errors(check.problems)
        more = f" (and {len(found) - 1} more: sirelief routines check {path})"
        raise ServiceError(f"not added: {found[0]}{more if len(found) > 1 else ''}")
    try:
        return services.routines.add(check, replace=replace)
    except RoutineIdTakenError as taken:
        raise ServiceError(f"not added: {taken}; use --replace to overwrite it") from None
    except ServiceError as error:
        raise ServiceError(f"not added: {error}") from None


def _check_json(check: RoutineCheck) -> dict[str, Any]:
    return {
        "file": check.source.name,
        "valid": check.ok,
        "routine": check.routine.id if check.routine else None,
        "problems": [
            {"line": p.line, "severity": p.severity, "message": p.message} for p in check.problems
        ],
    }


def _render_checks(checks: list[RoutineCheck]) -> None:
    out = console(wrap=False)
    for check in checks:
        for problem in check.problems:
            style = "red" if problem.severity == "error" else "yellow"
            out.print(Text(str(problem), style=style))
        count = len(errors(check.problems))
        warnings = len(check.problems) - count
        if check.ok:
            note = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
            out.print(Text(f"ok {check.source.name}: valid{note}", style="green"))
        else:
            out.print(
                Text(
                    f"failed {check.source.name}: {count} error{'s' if count != 1 else ''}",
                    style="bold red",
                )
            )


def _render_routine(entry: RoutineEntry, catalogue: Catalogue) -> None:
    routine = entry.routine
    out = console()
    out.print(
        Text(routine.name, style="bold"),
        Text(f"({routine.id}, version {routine.version}, {entry.origin})", style="dim"),
    )
    out.print(routine.summary)
    if routine.source:
        out.print(Text(f"Source: {routine.source}", style="dim"))
    out.print("")
    for number, block in enumerate(routine.blocks, start=1):
        _render_block(out, number, block, catalogue)
    out.print(
        Text(
            "sirelief coaches; it does not diagnose and does not replace a clinician.", style="dim"
        )
    )


def _render_block(out, number: int, block: Block, catalogue: Catalogue) -> None:
    heading = Text(f"{number}. {block.title}", style="bold")
    tags = [SIDE_POLICY_WORDS[block.sides]] if _has_sided(block, catalogue) else []
    if block.optional:
        tags.append(f"optional, priority {block.priority}" if block.priority else "optional")
    if tags:
        heading.append(f"  [{'; '.join(tags)}]", style="cyan")
    out.print(heading)
    if block.purpose:
        out.print(Text(f"   {block.purpose}", style="italic"))
    if block.sides == "tighter_first":
        out.print("   On the tighter side:")
        _render_steps(out, block.steps, catalogue, indent=5)
        _render_steps(out, block.between_sides, catalogue, indent=3)
        out.print("   Then the same on the other side:")
        _render_steps(out, block.steps, catalogue, indent=5)
    else:
        _render_steps(out, block.steps, catalogue, indent=3)
    out.print("")


def _has_sided(block: Block, catalogue: Catalogue) -> bool:
    for step in block.steps:
        options = step.options if isinstance(step, ChoiceStep) else [step]
        for option in options:
            if (
                isinstance(option, ExerciseStep)
                and catalogue.exercise(option.exercise).is_one_sided
            ):
                return True
    return False


def _render_steps(out, steps: list[Any], catalogue: Catalogue, indent: int) -> None:
    pad = " " * indent
    for step in steps:
        if isinstance(step, ExerciseStep):
            out.print(f"{pad}- {_exercise_line(step, catalogue)}")
        elif isinstance(step, AssessmentStep):
            out.print(f"{pad}- {_assessment_line(step)}")
            if step.note:
                out.print(Text(f"{pad}  {step.note}", style="italic"))
        elif isinstance(step, ChoiceStep):
            out.print(f"{pad}- {step.title}: choose {step.choose} of")
            for option in step.options:
                out.print(f"{pad}    - {_exercise_line(option, catalogue)}")


def _exercise_line(step: ExerciseStep, catalogue: Catalogue) -> str:
    exercise = catalogue.exercise(step.exercise)
    dose = describe_dose(effective_dose(exercise, step), exercise)
    line = f"{exercise.name} ({exercise.id}): {dose}"
    return f"{line} - {step.note}" if step.note else line


def _assessment_line(step: AssessmentStep) -> str:
    label = {"baseline": "Baseline", "mid": "Mid", "final": "Final"}[step.assess]
    parts = [f"{step.squat_reps} slow squats"] if step.squat_reps else []
    parts.append("rate " + ", ".join(RATING_WORDS[r] for r in step.ratings) + " (0-10, each side)")
    if step.pain:
        parts.append("pain now")
    if step.knee_to_wall:
        parts.append("knee-to-wall distance per side")
    return f"{label} assessment: " + "; ".join(parts)
