"""``sirelief safety flags|precautions|ask-precautions|clear|clearances|withdraw|reviewed|
reviews|unreview`` (SPEC 5.1-5.3)."""

from collections.abc import Callable
from datetime import date

import typer
from rich.table import Table
from rich.text import Text

from sirelief.cli.checkin_prompts import ask
from sirelief.cli.commands import command
from sirelief.cli.output import console, handled, print_json
from sirelief.cli.planning import URGENCY_STYLE
from sirelief.domain.flag_records import CLEARANCE, REVIEW, RecordKind
from sirelief.domain.local_time import local_day
from sirelief.domain.precautions import PRECAUTIONS
from sirelief.domain.safety import LEVELS
from sirelief.services import ServiceError, Services

NOT_A_CLINICIAN = "sirelief coaches; it does not diagnose and does not replace a clinician."

GROUP = {"help": "Red flags, precautions and clinician clearances.", "no_args_is_help": True}
"""How ``sirelief safety --help`` reads."""


def _date(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(f"--on: '{text}' is not a date; write it as YYYY-MM-DD") from None


def _listing(kind: RecordKind, summary: str) -> Callable[..., None]:
    """``sirelief safety clearances`` or ``reviews``: one listing, two kinds of record."""
    name = f"{kind.noun}s"

    def list_records(
        context: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=f"Print JSON (sirelief.{name}.v1)."),
    ) -> None:
        with handled():
            found = context.obj.safety.records(kind)
        if as_json:
            print_json({"format": f"sirelief.{name}.v1", name: [r.to_json() for r in found]})
            return
        if not found:
            print(f"No {name} recorded.")
        for item in found:
            state = "withdrawn" if item.withdrawn_at else "standing"
            print(f" {item.flag_id}: {item.says()} ({state})")

    list_records.__doc__ = f"{summary}\n\nExample: sirelief safety {name} --json"
    return command(name)(list_records)


def _withdrawal(
    kind: RecordKind, name: str, summary: str, example: str, done: str
) -> Callable[..., None]:
    """``sirelief safety withdraw`` or ``unreview``: a standing record no longer stands."""

    def withdraw_record(
        context: typer.Context,
        flag: str = typer.Argument(..., help=f"The flag whose {kind.noun} no longer stands."),
    ) -> None:
        with handled():
            context.obj.safety.withdraw(kind, flag)
        print(f"Withdrawn: '{flag}' {done}.")

    withdraw_record.__doc__ = f"{summary}\n\nExample: sirelief safety {name} {example}"
    return command(name)(withdraw_record)


@command("flags")
def flags(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.flags.v2)."),
) -> None:
    """List the red-flag questions, with their level (emergency, same_day, soon, review).

    Example: sirelief safety flags --json
    """
    services: Services = context.obj
    with handled():
        rules = services.safety_rules
    if as_json:
        print_json(
            {
                "format": "sirelief.flags.v2",
                "levels": list(LEVELS),
                "flags": [
                    {
                        "id": flag.id,
                        "level": flag.level,
                        "urgency": flag.level,
                        "question": flag.question,
                        "why": flag.why,
                        "pattern": flag.pattern,
                    }
                    for flag in rules.flags
                ],
                "advice": [a.model_dump(mode="json") for a in rules.advice],
            }
        )
        return
    table = Table(title="Red flags: any 'yes' stops self-management", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("level", no_wrap=True)
    table.add_column("question")
    for flag in rules.flags:
        table.add_row(flag.id, Text(flag.level, style=URGENCY_STYLE[flag.level]), flag.question)
    console().print(table)


@command("precautions")
def precautions(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.precautions.v1)."),
) -> None:
    """List the precautions, which apply to you, and what each changes in a plan.

    Example: sirelief safety precautions --json
    """
    with handled():
        document = context.obj.safety.precautions_json()
    if as_json:
        print_json(document)
        return
    out = console()
    if not document["answered"]:
        out.print("Not answered yet: run sirelief safety ask-precautions")
    elif document["confirmation_due"]:
        out.print("Please confirm these again (every 12 weeks): sirelief safety ask-precautions")
    for item in document["precautions"]:
        mark = "yes" if item["applies"] else "no "
        out.print(f" {mark}  {item['id']}: {item['label']} - changes: {item['changes']}")
    out.print(NOT_A_CLINICIAN, style="dim")


@command("ask-precautions")
def ask_precautions(context: typer.Context) -> None:
    """Answer (or confirm) the precaution questions; they shape every plan.

    Example: sirelief safety ask-precautions
    """
    services: Services = context.obj
    with handled():
        care = services.safety
        current = set(care.precaution_ids())
        print("A few questions that change what sirelief plans (asked again every 12 weeks).")
        chosen = [
            p.id
            for p in PRECAUTIONS
            if ask(f"{p.question} (y/n)", "y" if p.id in current else "n", ("y", "n")) == "y"
        ]
        care.save_precautions(chosen)
    names = ", ".join(chosen) or "none"
    print(f"Saved. Precautions that apply: {names}.")
    print(NOT_A_CLINICIAN)


@command("clear")
def clear(
    context: typer.Context,
    flag: str = typer.Argument(..., help="A 'soon' red flag id (see sirelief safety flags)."),
    on: str | None = typer.Option(None, "--on", help="Day of the check, YYYY-MM-DD (today)."),
    by: str | None = typer.Option(None, "--by", help="Who checked (optional)."),
) -> None:
    """Record that a clinician checked a 'soon' flag and said exercise is fine.

    The question is then asked as "new or worse since your clearance?".

    Example: sirelief safety clear cancer-history --on 2026-11-30 --by "Dr Lee"
    """
    services: Services = context.obj
    with handled():
        [made] = services.safety.record(CLEARANCE, [flag], _on(on, services), by)
    print(f"Recorded: for '{flag}', {made.says()}.")


clearances = _listing(CLEARANCE, "List clearances, standing and withdrawn.")
withdraw = _withdrawal(
    CLEARANCE,
    "withdraw",
    "Withdraw a clearance: the flag's question is asked as before.",
    example="cancer-history",
    done="is asked again as at first",
)


@command("reviewed")
def reviewed(
    context: typer.Context,
    flags: list[str] = typer.Argument(..., help="Review-level red flag ids that had advice."),
    on: str | None = typer.Option(None, "--on", help="Day of the review, YYYY-MM-DD (today)."),
) -> None:
    """Record "I have had this reviewed" for review advice: it is then not repeated.

    The question is asked as "new or worse since your review?"; a yes brings the
    advice back.

    Example: sirelief safety reviewed morning-stiffness second-half-night-waking --on 2026-11-30
    """
    services: Services = context.obj
    with handled():
        day = _on(on, services)
        services.safety.record(REVIEW, flags, day)
    print(f"Recorded: a clinician review on {day:%d %b %Y} for {', '.join(flags)}.")
    print(NOT_A_CLINICIAN)


reviews = _listing(REVIEW, "List the reviews you recorded, standing and withdrawn.")
unreview = _withdrawal(
    REVIEW,
    "unreview",
    "Withdraw a recorded review: the advice is given again, once a week.",
    example="no-better-6-weeks",
    done="gets its review advice again",
)


def _on(text: str | None, services: Services) -> date:
    return _date(text, local_day(services.clock(), services.zone()))
