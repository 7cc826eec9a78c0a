"""``sirelief safety precautions|ask-precautions|clear|clearances|withdraw|reviewed|reviews|
unreview`` (SPEC 5.1-5.3)."""

from datetime import date

import typer

from sirelief.cli.checkin_prompts import ask
from sirelief.cli.output import console, handled, print_json
from sirelief.domain.flag_records import CLEARANCE, REVIEW, RecordKind
from sirelief.domain.precautions import PRECAUTIONS
from sirelief.services import ServiceError, Services

NOT_A_CLINICIAN = "sirelief coaches; it does not diagnose and does not replace a clinician."


def _date(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ServiceError(f"--on: '{text}' is not a date; write it as YYYY-MM-DD") from None


def register(app: typer.Typer) -> None:
    """Add the precaution, clearance and review commands to the ``safety`` group."""

    @app.command("precautions")
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
            out.print(
                "Please confirm these again (every 12 weeks): sirelief safety ask-precautions"
            )
        for item in document["precautions"]:
            mark = "yes" if item["applies"] else "no "
            out.print(f" {mark}  {item['id']}: {item['label']} - changes: {item['changes']}")
        out.print(NOT_A_CLINICIAN, style="dim")

    @app.command("ask-precautions")
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

    @app.command("clear")
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

    @app.command("reviewed")
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

    add_listing(app, CLEARANCE, "List clearances, standing and withdrawn.")
    add_listing(app, REVIEW, "List the reviews you recorded, standing and withdrawn.")
    add_withdrawal(
        app, CLEARANCE, "withdraw", "cancer-history",
        "Withdraw a clearance: the flag's question is asked as before.",
        "The flag whose clearance no longer stands.", "is asked again as at first",
    )  # fmt: skip
    add_withdrawal(
        app, REVIEW, "unreview", "no-better-6-weeks",
        "Withdraw a recorded review: the advice is given again, once a week.",
        "The flag whose review no longer stands.", "gets its review advice again",
    )  # fmt: skip


def _on(text: str | None, services: Services) -> date:
    return _date(text, services.clock().date())


def add_listing(app: typer.Typer, kind: RecordKind, summary: str) -> None:
    """``sirelief safety clearances`` or ``reviews``: every record, as text or JSON."""
    name = f"{kind.noun}s"
    json_format = f"sirelief.{name}.v1"

    @app.command(name, help=f"{summary}\n\nExample: sirelief safety {name} --json")
    def listing(
        context: typer.Context,
        as_json: bool = typer.Option(False, "--json", help=f"Print JSON ({json_format})."),
    ) -> None:
        with handled():
            found = context.obj.safety.records(kind)
        if as_json:
            print_json({"format": json_format, name: [item.to_json() for item in found]})
            return
        if not found:
            print(f"No {name} recorded.")
        for item in found:
            state = "withdrawn" if item.withdrawn_at else "standing"
            print(f" {item.flag_id}: {item.says()} ({state})")


def add_withdrawal(
    app: typer.Typer, kind: RecordKind, name: str, example: str, summary: str, flag_help: str,
    after: str,
) -> None:  # fmt: skip
    """``sirelief safety withdraw`` or ``unreview``: the record stops standing."""

    @app.command(name, help=f"{summary}\n\nExample: sirelief safety {name} {example}")
    def withdrawal(context: typer.Context, flag: str = typer.Argument(..., help=flag_help)) -> None:
        with handled():
            context.obj.safety.withdraw(kind, flag)
        print(f"Withdrawn: '{flag}' {after}.")
