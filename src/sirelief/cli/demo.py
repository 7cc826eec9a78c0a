"""``sirelief demo``: fill a database with made-up history to try the app or its insights."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import console, handled
from sirelief.services import Services
from sirelief.services.demo import DemoSummary, Scenario, fill_demo


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def describe(summary: DemoSummary) -> str:
    """What was written, in one sentence."""
    parts = [
        plural(summary.sessions, "session")
        + (f" ({summary.stopped_early} ended early with 'too much')" if summary.stopped_early
           else ""),
        plural(summary.checkins, "check-in"),
        plural(summary.morning_answers, "next-morning answer"),
        plural(summary.psfs_ratings, "weekly activity rating"),
        plural(summary.stops, "safety stop"),
    ]  # fmt: skip
    when = ""
    if summary.first and summary.last:
        when = f", from {summary.first:%Y-%m-%d} to {summary.last:%Y-%m-%d}"
    return ", ".join(parts[:-1]) + f" and {parts[-1]}{when}"


@command("demo")
def demo(
    context: typer.Context,
    weeks: int = typer.Option(12, "--weeks", min=1, max=104, help="Weeks of history."),
    seed: int = typer.Option(
        0, "--seed", min=0, help="Another number gives another, equally made-up person."
    ),
    scenario: Scenario = typer.Option(
        "typical", "--scenario", help="typical, or worsening: pain climbs the last two weeks."
    ),
    force: bool = typer.Option(
        False, "--force", help="Write even if the database already holds sessions."
    ),
) -> None:
    """Fill the database with made-up sessions, to try sirelief or show its insights.

    The same --seed always writes the same history. Your own data is safe: it refuses
    a database that already holds your sessions unless you add --force. To keep demo
    data apart from yours, use: sirelief serve --demo.

    Example: sirelief --database-url sqlite:///demo.db demo --weeks 12 --seed 7
    """
    services: Services = context.obj
    with handled():
        summary = fill_demo(services, weeks=weeks, seed=seed, force=force, scenario=scenario)
        where = services.data.where()
    console().print(
        f"Wrote {plural(weeks, 'week')} of made-up demo history (seed {seed}) to {where}: "
        f"{describe(summary)}. It is not anyone's real data. See it with: sirelief history",
        soft_wrap=True,
    )
