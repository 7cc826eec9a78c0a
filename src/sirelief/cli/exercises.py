"""``sirelief exercises ...``: browse the exercise catalogue."""

import sys
from pathlib import Path
from typing import Literal

import typer
from rich.table import Table
from rich.text import Text

from sirelief.cli.output import console, fail, handled, print_json
from sirelief.domain.exercise import Exercise, Variation
from sirelief.domain.prescription import describe_dose
from sirelief.domain.vocabulary import BodyRegion, EquipmentId, Position, label
from sirelief.illustration import render_figure
from sirelief.services import Services

EXERCISES_JSON_FORMAT = "sirelief.exercises.v1"
PROTOCOL_TITLES = {
    "kettlebell-smash-reset": "Kettlebell smash reset",
    "si-joint-stretches": "SI joint stretches",
    "sirelief": "Measurement",
}


def exercise_json(exercise: Exercise) -> dict:
    """The exercise file's fields plus the derived ``rated_regions`` (docs/cli-json.md)."""
    return {**exercise.model_dump(mode="json"), "rated_regions": list(exercise.rated_regions)}


def create() -> typer.Typer:
    app = typer.Typer(help="Browse the exercise catalogue.", no_args_is_help=True)

    @app.command("list")
    def list_exercises(
        context: typer.Context,
        region: BodyRegion | None = typer.Option(
            None,
            "--region",
            help="Only exercises that work this body region.",
        ),
        equipment: EquipmentId | None = typer.Option(
            None,
            "--equipment",
            help="Only exercises that use this equipment themselves (substitutes for missing kit "
            "are exercises of their own, listed by what they use).",
        ),
        position: Position | None = typer.Option(
            None,
            "--position",
            help="Only exercises that start in this position.",
        ),
        as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.exercises.v1)."),
    ) -> None:
        """List exercises, optionally filtered.

        Example: sirelief exercises list --region hamstrings --equipment strap
        """
        services: Services = context.obj
        with handled():
            found = services.exercises.find(region=region, equipment=equipment, position=position)
        if as_json:
            print_json(
                {"format": EXERCISES_JSON_FORMAT, "exercises": [exercise_json(e) for e in found]}
            )
            return
        if not found:
            console().print("No exercise matches these filters.")
            return
        table = Table(title=f"{len(found)} exercises", title_justify="left", expand=False)
        table.add_column("id", no_wrap=True)
        for header in ("name", "position", "dose", "works"):
            table.add_column(header)
        protocol = None
        for exercise in found:
            if exercise.protocol != protocol:
                protocol = exercise.protocol
                table.add_section()
                table.add_row(Text(PROTOCOL_TITLES[protocol], style="bold cyan"))
            table.add_row(
                exercise.id,
                exercise.name,
                label(exercise.position),
                describe_dose(exercise.dose, exercise, tempo=False),
                ", ".join(label(r) for r in exercise.regions),
            )
        console().print(table)

    @app.command("show")
    def show_exercise(
        context: typer.Context,
        exercise_id: str = typer.Argument(..., metavar="ID", help="An exercise id."),
        as_json: bool = typer.Option(False, "--json", help="Print the full record as JSON."),
        svg: Path | None = typer.Option(
            None,
            "--svg",
            metavar="FILE",
            help="Write the exercise's figure as an SVG image to FILE (- for standard output).",
        ),
        side: Literal["left", "right"] | None = typer.Option(
            None, "--side", help="With --svg: the side worked or moved toward (default left)."
        ),
        pose: Literal["start", "end", "animated"] | None = typer.Option(
            None, "--pose", help="With --svg: a still of the start or end, or the animated loop."
        ),
    ) -> None:
        """Show how to do one exercise: steps, cues, cautions, stop signs, variations.

        Example: sirelief exercises show kb-hip-flexor-smash --svg smash.svg --side right
        """
        services: Services = context.obj
        with handled():
            exercise = services.exercises.get(exercise_id)
        if svg is None and (side or pose):
            raise fail("--side and --pose choose the figure drawn by --svg FILE; add --svg")
        if svg is not None:
            _write_figure(exercise, svg, side or "left", pose or "animated")
            return
        if as_json:
            print_json(exercise_json(exercise))
            return
        _render_exercise(exercise)

    return app


def _write_figure(exercise: Exercise, path: Path, side: str, pose: str) -> None:
    document = render_figure(exercise, side=side, pose=pose)
    if str(path) == "-":
        sys.stdout.write(document + "\n")
        return
    try:
        path.write_text(document + "\n", encoding="utf-8")
    except OSError as error:
        raise fail(f"cannot write {path}: {error.strerror or error}") from None
    which = {"start": "start position", "end": "end position", "animated": "animated"}[pose]
    where = {"one_side": f" ({side} side)", "both_directions": f" (to the {side})"}
    message = f"Wrote the {which} figure of {exercise.name}"
    message += f"{where.get(exercise.laterality, '')} to {path}"
    console(wrap=False).print(message, markup=False)


def _render_exercise(exercise: Exercise) -> None:
    out = console()
    out.print(Text(exercise.name, style="bold"), Text(f"({exercise.id})", style="dim"))
    if exercise.aliases:
        out.print(Text("also called " + ", ".join(exercise.aliases), style="dim"))
    out.print(exercise.summary, "")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("position", label(exercise.position))
    facts.add_row("works", ", ".join(label(r) for r in exercise.regions))
    facts.add_row(
        "sides",
        {
            "one_side": "one side at a time",
            "both_directions": "to each side in turn",
            "bilateral": "both sides at once",
        }[exercise.laterality],
    )
    facts.add_row("dose", describe_dose(exercise.dose, exercise) + _range_text(exercise))
    for need in exercise.equipment:
        kit = label(need.item) + (" (optional)" if need.optional else "")
        if need.how:
            kit += f"; if you have it: {need.how}"
        if need.alternatives:
            kit += "; without it: " + "; or ".join(
                f"{alt.exercise} (with {label(alt.item)})"
                if alt.item != "hands"
                else f"{alt.exercise} (no equipment)"
                for alt in need.alternatives
            )
        facts.add_row("equipment", kit)
    facts.add_row("from", exercise.protocol)
    out.print(facts, "")
    _numbered(out, "How to do it", exercise.steps)
    if exercise.dose.kind == "timed" and exercise.dose.cues:
        _listed(
            out,
            "Timed cues",
            [f"{c.at_s // 60}:{c.at_s % 60:02d}  {c.say}" for c in exercise.dose.cues],
        )
    _listed(out, "Keep in mind", exercise.cues)
    _listed(out, "Take care", exercise.cautions)
    _listed(out, "Stop if", exercise.stop_signs, style="bold red")
    _listed(out, "Easier", [_version(v) for v in exercise.easier])
    _listed(out, "Harder", [_version(v) for v in exercise.harder])
    if exercise.alternatives:
        _listed(out, "Alternatives", exercise.alternatives)
    _listed(
        out,
        f"Evidence: {label(exercise.evidence.level)}",
        [exercise.evidence.summary, "Sources: " + "; ".join(exercise.evidence.sources)],
    )
    out.print(
        Text(
            "This is coaching information, not a diagnosis; it does not replace a clinician.",
            style="dim",
        )
    )


def _range_text(exercise: Exercise) -> str:
    dose = exercise.dose
    parts = []
    for name, unit in (("hold_s", " s"), ("minutes", " min"), ("reps", " reps"), ("sets", " sets")):
        bounds = getattr(dose, f"{name}_range", None)
        if bounds:
            parts.append(f"{bounds[0]:g}-{bounds[1]:g}{unit}")
    return f" (range {', '.join(parts)})" if parts else ""


def _hanging(out, title: str, items: list[str], markers: list[str], style: str) -> None:
    """A titled list whose wrapped lines stay indented under their text."""
    if not items:
        return
    out.print(Text(title, style=style))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for marker, item in zip(markers, items, strict=True):
        grid.add_row(marker, item)
    out.print(grid, "")


def _numbered(out, title: str, items: list[str]) -> None:
    markers = [f" {number}." for number in range(1, len(items) + 1)]
    _hanging(out, title, items, markers, "bold underline")


def _version(v: Variation) -> str:
    """An easier or harder version, saying the kit it needs when it needs some."""
    kit = f" (if you have a {label(v.needs)})" if v.needs else ""
    return f"{v.name}: {v.how}{kit}"


def _listed(out, title: str, items: list[str], style: str = "bold underline") -> None:
    _hanging(out, title, items, [" -"] * len(items), style)
