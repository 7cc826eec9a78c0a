"""``sirelief report``: what your sessions show, in the terminal or as JSON."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import console, handled, print_json
from sirelief.domain.effects import TIGHTNESS_WORDS
from sirelief.domain.findings import NOT_INTERPRETED, Examination
from sirelief.domain.inclinometer import KNEE_TO_WALL_MDC_CM, KNEE_TO_WALL_MDC_DEG
from sirelief.domain.insights import Insights, psfs_sentence
from sirelief.domain.trends import PLATEAU_MIN_PER_WEEK, Trend
from sirelief.domain.vocabulary import label
from sirelief.services.personal_data import MAX_INSIGHT_WEEKS

BARS = "▁▂▃▄▅▆▇█"
DISCLAIMER = "sirelief informs and coaches; it does not diagnose and does not replace a clinician."


def sparkline(values: list[float | None], low: float, high: float) -> str:
    """One character per week; a gap is a space.

    >>> sparkline([0, 5, 10, None], 0, 10)
    '▁▅█ '
    """
    span = (high - low) or 1.0
    return "".join(
        " " if v is None else BARS[round((min(max(v, low), high) - low) / span * (len(BARS) - 1))]
        for v in values
    )


def _number(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.1f}{unit}"


def _trend_row(name: str, trend: Trend, low: float, high: float) -> tuple[str, ...]:
    first, last = trend.first, trend.last
    change = trend.change
    verdict = "" if change is None else ("beyond error" if trend.meaningful else "within error")
    signed = "-" if change is None else f"{change:+.1f}"
    return (
        name,
        sparkline([w.mean for w in trend.weeks], low, high),
        _number(first.mean if first else None),
        _number(last.mean if last else None),
        signed,
        verdict,
    )


def print_report(insights: Insights) -> None:
    from rich.table import Table  # not for --json

    out = console()
    weeks = len(insights.weeks)
    out.print(
        f"[bold]Your last {weeks} week{'s' if weeks != 1 else ''}[/bold] "
        f"({insights.weeks[0]:%d %b} to {insights.today:%d %b %Y}): "
        f"{insights.sessions} session{'s' if insights.sessions != 1 else ''}"
    )
    if not insights.sessions:
        out.print("No sessions in this time. Start one with: sirelief session")
        if insights.has_psfs and insights.psfs.change is not None:
            out.print(f"• {psfs_sentence(insights.psfs)}")
        out.print(DISCLAIMER)
        return
    out.print()
    for line in insights.headlines():
        out.print(f"• {line}")

    out.print("\n[bold]Worked side against the side that waited[/bold] (mid check)")
    if not insights.effects:
        out.print("No session with a mid check yet: the kettlebell smash reset compares sides.")
    else:
        table = Table(show_edge=False, pad_edge=False)
        for column in ("Work", "Tightness", "Sessions", "Difference", "95% interval", "Verdict"):
            table.add_column(column, overflow="fold")
        for effect in insights.effects:
            est = effect.estimate
            interval = "-" if est.low is None else f"{est.low:.1f} to {est.high:.1f}"
            table.add_row(
                effect.work_name, TIGHTNESS_WORDS[effect.region], str(est.n),
                f"{est.mean:+.1f}", interval, effect.verdict_words,
            )  # fmt: skip
        out.print(table)
        out.print(
            "Difference: points more the treated side loosened. Ratings are not blinded, "
            "and the tighter side going first flatters the work a little."
        )

    out.print("\n[bold]Trends[/bold] (weekly averages, 0-10; 2 points is the change that matters)")
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Measure", "Weeks", "First", "Last", "Change", ""):
        table.add_column(column, overflow="fold")
    table.add_row(*_trend_row("Pain before sessions", insights.pain, 0, 10))
    for region, sides in insights.tightness.items():
        for side, trend in sides.items():
            table.add_row(*_trend_row(f"{label(region).capitalize()}, {side}", trend, 0, 10))
    if insights.has_knee_to_wall:
        for side, trend in insights.knee_to_wall.items():
            table.add_row(*_trend_row(f"Knee-to-wall cm, {side}", trend, 0, 15))
    if insights.has_psfs:
        table.add_row(*_trend_row("Activities (PSFS), higher is better", insights.psfs, 0, 10))
    if insights.has_knee_to_wall_deg:
        for side, trend in insights.knee_to_wall_deg.items():
            table.add_row(*_trend_row(f"Knee-to-wall degrees, {side}", trend, 0, 60))
    out.print(table)
    if insights.has_knee_to_wall or insights.has_knee_to_wall_deg:
        out.print(
            f"Knee-to-wall: a change under about {KNEE_TO_WALL_MDC_CM:.0f} cm (or "
            f"{KNEE_TO_WALL_MDC_DEG:.0f} degrees with the phone) can be measurement noise."
        )

    effort = insights.adherence
    out.print("\n[bold]Effort[/bold]")
    out.print(
        f"{effort.sessions_per_week:.1f} sessions a week "
        f"({sparkline([w.sessions for w in effort.weeks], 0, 7)}); "
        f"streak {effort.day_streak} day{'s' if effort.day_streak != 1 else ''} "
        f"(longest {effort.longest_day_streak}), "
        f"{effort.week_streak} week{'s' if effort.week_streak != 1 else ''} in a row "
        "with 2 or more session days."
    )
    if effort.regions:
        table = Table(show_edge=False, pad_edge=False)
        for column in ("Stretching", "Last 7 days", "Weekly average"):
            table.add_column(column)
        for region in effort.regions:
            table.add_row(
                label(region.region), f"{region.last_7_days:.1f} min",
                f"{region.weekly_mean:.1f} min",
            )  # fmt: skip
        out.print(table)
        out.print(
            "Minutes of stretching per side (smashing and rolling not counted). Gains level "
            f"off near {PLATEAU_MIN_PER_WEEK:.0f} minutes a week per muscle; more adds little."
        )
    out.print(f"\n{DISCLAIMER}")


@command("report")
def report(
    context: typer.Context,
    weeks: int = typer.Option(
        12, "--weeks", min=1, max=MAX_INSIGHT_WEEKS, help="How many weeks back to look."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show what your sessions say: how the worked side compares, trends, effort and warnings.

    Example: sirelief report --weeks 4
    """
    with handled():
        insights = context.obj.data.insights(weeks)
        findings = context.obj.findings.records()
    if as_json:
        print_json({"format": "sirelief.report.v2", **insights.to_json(),
                    "findings": [record.to_json() for record in findings]})  # fmt: skip
        return
    print_report(insights)
    print_findings(findings)


def print_findings(findings: list[Examination]) -> None:
    """A clinician's findings, newest first, as recorded: no count, no conclusion."""
    if not findings:
        return
    out = console()
    out.print("\n[bold]Recorded findings[/bold]")
    for record in findings:
        source = f", {record.examiner}" if record.examiner else ""
        out.print(f"{record.examined_on:%d %b %Y}{source}:", markup=False)
        for line in record.done_lines():
            out.print(f"  {line}", markup=False)
    out.print(NOT_INTERPRETED)
