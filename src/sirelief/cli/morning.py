"""``sirelief morning``: answer the next-morning question (SPEC 5) from the terminal."""

import sys
from typing import Literal

import typer

from sirelief.cli.checkin_prompts import ask_morning
from sirelief.cli.commands import command
from sirelief.cli.output import fail, handled
from sirelief.services import Services


@command("morning")
def morning(
    context: typer.Context,
    settled: Literal["yes", "no"] | None = typer.Option(
        None, "--settled", help="yes or no: had the pain settled by this morning?"
    ),
    pain: int | None = typer.Option(
        None, "--pain", min=0, max=10, help="Pain now, 0 (none) to 10 (worst imaginable)."
    ),
) -> None:
    """Say how your last session settled by the next morning; it sets today's dose.

    Asks when run without options. Example: sirelief morning --settled yes --pain 2
    """
    services: Services = context.obj
    sessions = services.sessions
    with handled():
        due = sessions.morning_question_due()
        if due is None:
            print(
                "Nothing to answer: the question comes the morning after a finished "
                "session (up to two days later), once per session."
            )
            return
        if settled is None:
            if not sys.stdin.isatty():
                raise fail("add --settled yes|no (and --pain N) when not at a terminal")
            answer = ask_morning(due, services.clock(), services.zone())
            if answer is None:
                print("Skipped; you can answer later today.")
                return
            settled_now, pain = answer.settled, answer.pain
        else:
            settled_now = settled == "yes"
        sessions.answer_morning(due.id, settled_now, pain)
    state = "settled" if settled_now else "not settled"
    print(f"Saved: {state} by morning. Your next session's dose takes it into account.")
