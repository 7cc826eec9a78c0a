"""``sirelief psfs show|name|rate``: the weekly PSFS from the terminal, as on ``/psfs``."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import fail, handled, print_json
from sirelief.domain.local_time import local
from sirelief.domain.psfs import ANCHOR_HIGH, ANCHOR_LOW, MAX_ACTIVITIES

GROUP = {
    "help": "Your weekly activities score (PSFS): name up to 3 activities, rate them 0-10.",
    "no_args_is_help": True,
}
"""How ``sirelief psfs --help`` reads."""


@command("show")
def show(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (sirelief.psfs.v1)."),
) -> None:
    """Show your activities, whether a rating is due, and your past ratings.

    Example: sirelief psfs show --json
    """
    with handled():
        psfs = context.obj.psfs
        activities, ratings, due = psfs.activities(), psfs.ratings(), psfs.due()
        zone = context.obj.zone()  # the dates are the person's days
    if as_json:
        print_json({
            "format": "sirelief.psfs.v1", "due": due,
            "activities": [{"id": a.id, "line": a.position, "text": a.text} for a in activities],
            "ratings": [{"id": r.id, "rated_at": r.rated_at.isoformat(), "score": round(r.mean, 2),
                         "scores": [{"activity": s.activity, "score": s.score} for s in r.scores]}
                        for r in ratings],
        })  # fmt: skip
        return
    if not activities:
        print('No activities yet. Name up to 3: sirelief psfs name "Walking 30 minutes" ...')
    for activity in activities:
        print(f"{activity.position}. {activity.text}")
    if due == "rate":
        print("A rating is due: sirelief psfs rate SCORE ... (one per activity, in order)")
    for rating in ratings[-5:]:
        scores = ", ".join(f"{s.activity} {s.score}" for s in rating.scores)
        print(f"{local(rating.rated_at, zone):%Y-%m-%d}  {rating.mean:4.1f}  ({scores})")


@command("name")
def name(
    context: typer.Context,
    activities: list[str] = typer.Argument(
        ..., metavar="ACTIVITY...", help=f"Up to {MAX_ACTIVITIES} activities, in order."
    ),
) -> None:
    """Name the activities your SI joint makes hard (replaces the list; a renamed line
    keeps its past scores under the words they were rated with).

    Example: sirelief psfs name "Getting out of the car" "Walking 30 minutes"
    """
    with handled():
        outcome = context.obj.psfs.save_activities(activities)
    if not outcome.done:
        raise fail("; ".join(outcome.errors.values()))
    print(f"Saved {len([a for a in activities if a.strip()])} activities.")


@command("rate")
def rate(
    context: typer.Context,
    scores: list[str] = typer.Argument(
        ...,
        metavar="SCORE...",
        help=f"One score per activity, in order: 0 {ANCHOR_LOW} ... 10 {ANCHOR_HIGH}.",
    ),
) -> None:
    """Rate this week's activities, one score each in the order `psfs show` lists them.

    Example: sirelief psfs rate 4 6 3
    """
    with handled():
        psfs = context.obj.psfs
        activities = psfs.activities()
        if activities and len(scores) != len(activities):
            count = len(activities)
            raise fail(f"give {count} score{'s' if count != 1 else ''}, one per activity, in order")
        answers = {f"score_{a.id}": s for a, s in zip(activities, scores, strict=False)}
        outcome = psfs.rate(answers)
    if not outcome.done:
        raise fail("; ".join(outcome.errors.values()))
    print(f"Saved. Your activities score this week: {psfs.last().mean:.1f} out of 10.")
