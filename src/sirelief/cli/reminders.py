"""``sirelief reminders send``: push the Web Push reminders that are due (for cron)."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import handled, print_json

GROUP = {
    "help": "Web Push reminders: send the ones due now (run it every minute from cron).",
    "no_args_is_help": True,
}


@command("send")
def send(
    context: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print what was done as JSON."),
) -> None:
    """Send every Web Push reminder that is due now, once each.

    A reminder is due at a person's chosen time on their chosen days, in their time zone,
    and is still sent up to 30 minutes late; each is recorded, so running this every
    minute (or from several machines at once) sends it once. Needs the internet: the
    browsers' push services are on it. Browsers that are gone (the push service answers
    404 or 410) are forgotten. Nothing about anyone's health is sent: only "Time for your
    session".

    Example: sirelief reminders send --json

    In a crontab: * * * * * sirelief reminders send
    """
    with handled():
        report = context.obj.reminder_sender.send_due()
    if as_json:
        print_json({"format": "sirelief.reminders-sent.v1", "reminders": report.reminders,
                    "delivered": report.delivered, "removed": report.removed,
                    "failed": report.failed, "problems": report.problems})  # fmt: skip
    else:
        print(
            f"{report.reminders} reminder{'s' if report.reminders != 1 else ''} due, "
            f"{report.delivered} delivered, {report.removed} gone browser"
            f"{'s' if report.removed != 1 else ''} forgotten, {report.failed} failed"
        )
        for problem in sorted(set(report.problems)):
            print(f"  {problem}")
    if report.failed:
        raise typer.Exit(1)
