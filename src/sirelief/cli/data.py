"""Commands for the person's data: the database, history, export, import and deletion."""

import sys
from pathlib import Path
from typing import Literal

import typer
from rich.table import Table

from sirelief.cli.commands import command
from sirelief.cli.output import console, fail, handled, print_json
from sirelief.domain.local_time import local
from sirelief.services import Services
from sirelief.services.data_rights import CONFIRM_WORD, confirmed


@command("history")
def history(
    context: typer.Context,
    limit: int = typer.Option(20, "--limit", min=1, max=10_000, help="How many to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List your past sessions, newest first, with how each went.

    Example: sirelief history --limit 5
    """
    with handled():
        entries = context.obj.data.history(limit)
        zone = context.obj.zone()  # the times in the person's own zone
    if as_json:
        print_json({
            "format": "sirelief.history.v1",
            "sessions": [{
                "id": entry.record.id,
                "date": entry.record.created_at.isoformat(),
                "routine": entry.record.plan.routine_id,
                "status": entry.status,
                "first_side": entry.record.plan.first_side,
                "pain_before": entry.results.pain_before,
                "pain_after": entry.results.pain_after,
                "max_pain": entry.results.max_pain,
                "summary": entry.results.summary(),
                "too_much": [{
                    "step": report.step.title, "side": report.step.side,
                    "symptom": report.symptom, "pain": report.pain,
                    "choice": report.choice, "says": report.says(),
                } for report in entry.too_much],
            } for entry in entries],
        })  # fmt: skip
        return
    if not entries:
        console().print("No sessions yet. Start one with: sirelief session")
        return
    table = Table(show_edge=False, pad_edge=False)
    for column in ("When", "Routine", "Status", "Pain", "How it went"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        before, after = entry.results.pain_before, entry.results.pain_after
        pain = f"{before} -> {after}" if None not in (before, after) else "-"
        table.add_row(
            local(entry.record.created_at, zone).strftime("%Y-%m-%d %H:%M"),
            entry.record.plan.routine_name,
            entry.status,
            pain,
            "\n".join([entry.headline, *(report.says() for report in entry.too_much)]),
        )
    console().print(table)


@command("export")
def export(
    context: typer.Context,
    fmt: Literal["json", "csv", "fhir"] = typer.Option(
        "json",
        "--format",
        help="json (complete, re-importable), csv (a zip of tables) or fhir (a FHIR R4 "
        "Bundle a clinic's system reads; re-importable too).",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write; default: standard output (JSON only)."
    ),
) -> None:
    """Write everything you have in sirelief to a file you own.

    Example: sirelief export --format csv --output sirelief.zip
    Example: sirelief export --format fhir --output sirelief-fhir.json
    """
    if fmt == "csv" and output is None:
        raise fail("--format csv writes a zip file: add --output FILE.zip")
    with handled():
        data = context.obj.data.export(fmt)
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        output.write_bytes(data)
    except OSError as error:
        raise fail(f"cannot write {output}: {error.strerror}") from None
    console(stderr=True).print(f"Wrote {output} ({len(data) // 1024 + 1} KB).")


@command("import")
def import_(
    context: typer.Context,
    file: Path = typer.Argument(
        ..., metavar="FILE", help="A JSON file from sirelief export (--format json or fhir)."
    ),
) -> None:
    """Bring back a JSON export or FHIR Bundle; what is already here is kept, nothing doubled.

    Example: sirelief import sirelief-export.json
    """
    with handled():
        added = context.obj.data.import_file(file)
    total = sum(added.values())
    if not total:
        console().print("Nothing new: everything in that file is already here.")
        return
    parts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in added.items()
                      if count)  # fmt: skip
    console().print(f"Imported {parts}.")


@command("delete-my-data")
def delete_my_data(
    context: typer.Context,
    yes: bool = typer.Option(False, "--yes", help="Do not ask; delete at once."),
) -> None:
    """Delete every session, check-in, answer, note and routine you have stored.

    Example: sirelief delete-my-data
    """
    services: Services = context.obj
    if not yes:
        if not sys.stdin.isatty():
            raise fail("not deleted: confirm with --yes when not at a terminal")
        print(
            f"This deletes all your sirelief data in {services.data.where()}.\n"
            "It cannot be undone. Export first if you want a copy: sirelief export.\n"
            f"Type '{CONFIRM_WORD}' to delete everything: ",
            end="",
            flush=True,
        )
        if not confirmed(sys.stdin.readline()):
            print("Nothing was deleted.")
            raise typer.Exit(1)
    with handled():
        counts = services.data.delete_everything()
    rows = sum(counts.values())
    print(f"Deleted {rows} record{'s' if rows != 1 else ''}. Nothing of yours is left.")
