"""``sirelief plan``: from a check-in to a plan or a stop."""

import sys
from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sirelief.cli.commands import command
from sirelief.cli.output import console, handled, print_json
from sirelief.domain.plan import Plan
from sirelief.domain.safety import StopDecision
from sirelief.services import ServiceError, Services

URGENCY_STYLE = {
    "emergency": "bold white on red",
    "same_day": "bold red",
    "soon": "bold yellow",
    "review": "bold cyan",
}


def read_text(source: str) -> str:
    """The text of a file, or of standard input for ``-``."""
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ServiceError(f"no such file: {source}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ServiceError(f"cannot read {source}: {error}") from None


@command("plan")
def plan(
    context: typer.Context,
    routine_id: str | None = typer.Argument(
        None, metavar="[ROUTINE]", help="A routine id; omitted: chosen by the context."
    ),
    checkin: str = typer.Option(..., "--checkin", help="Check-in JSON file, or - for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
    seed: int | None = typer.Option(
        None, "--seed", help="Seed for random choices; omitted: a new one when randomised."
    ),
    randomise: bool | None = typer.Option(
        None,
        "--randomise-first-side/--fixed-first-side",
        help="Pick the first side at random (fairer test); default: your setting.",
    ),
) -> None:
    """Plan a session from a check-in: order, sides, doses, time, and the reasons.

    Exit status 0 for a plan, 4 when a red flag stops the session. Your settings apply
    (sirelief settings): the first side at random or not, and your kit when the check-in
    names no equipment.

    Example: sirelief plan kettlebell-smash-reset --checkin checkin.json --json
    """
    services: Services = context.obj
    pending: list[str] = []
    with handled():
        planning = services.planning
        text = read_text(checkin)
        result = planning.prescreen(text)
        if result is None:
            answers = planning.read_checkin(text)
            options = planning.options(seed, randomise)  # your settings, as on the web
            result = services.sessions.plan(answers, routine_id, options).result  # as started
            if isinstance(result, Plan):
                pending = services.safety.pending_reviews(result.reasons, services.clock())
    if as_json:
        print_json(result.to_json())
    elif isinstance(result, StopDecision):
        render_stop(result)
    else:
        render_plan(result)
        if pending:
            console().print(review_hint(pending))
    if isinstance(result, StopDecision):
        raise typer.Exit(4)


def render_stop(decision: StopDecision) -> None:
    out = console()
    body = Text()
    body.append("Why\n", style="bold")
    for reason in decision.reasons:
        body.append(f" - {reason}\n")
    body.append("\nWhat to do\n", style="bold")
    body.append(decision.what_to_do + "\n\n")
    body.append(decision.disclaimer, style="dim")
    out.print(
        Panel(
            body,
            title=Text(
                f"{decision.badge} - {decision.title}", style=URGENCY_STYLE[decision.urgency]
            ),
            title_align="left",
            border_style="red",
        )
    )


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def review_hint(flags: list[str]) -> str:
    """The terminal's "I have had this reviewed" button: the command to record it."""
    return (
        "When a clinician has reviewed this, record it and the advice is not repeated "
        "(a new or worse answer brings it back):\n"
        f"  sirelief safety reviewed {' '.join(flags)} --on YYYY-MM-DD"
    )


def render_plan(plan: Plan) -> None:
    out = console()
    out.print(
        Text(
            f"{plan.routine_name}: {_clock(plan.total_s)} of your {plan.minutes_available} min",
            style="bold",
        )
    )
    for reason in plan.reasons:
        out.print(f" - {reason}")
    table = Table(show_edge=False, pad_edge=False)
    for header in ("at", "step", "side", "set", "time"):
        table.add_column(header)
    at = 0
    for step in plan.steps:
        if step.kind != "rest":
            dose = (
                f"{step.reps} reps"
                if step.reps and step.kind == "exercise"
                else _clock(step.duration_s)
            )
            style = {"assessment": "bold cyan", "transition": "dim"}.get(step.kind, "")
            table.add_row(
                _clock(at),
                Text(step.title, style=style),
                step.side or "",
                f"{step.set}/{step.sets}" if step.set else "",
                dose,
            )
        at += step.duration_s
    out.print(table)
    out.print(
        Text(
            "sirelief coaches; it does not diagnose and does not replace a clinician.", style="dim"
        )
    )
