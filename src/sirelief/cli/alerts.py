"""``sirelief alerts check``: coaches' alerts raised and their emails sent, for cron.

Alerts are raised as a client's record is written and when a coach opens their list; this
command adds the days-without-a-session ones for every coach at once, and sends again
each alert email that could not be sent.
"""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import console, handled
from sirelief.services import Services

GROUP = {"help": "Coaches' alerts (clinic mode).", "no_args_is_help": True}
"""How ``sirelief alerts --help`` reads."""


@command("check")
def check(context: typer.Context) -> None:
    """Raise the alerts due now (days without a session) and send unsent alert emails.

    Safe to run as often as you like: each alert is raised and emailed once. Run it
    from cron, say every 15 minutes.

    Example: sirelief alerts check
    """
    services: Services = context.obj
    with handled():
        if not services.accounts.clinic_mode():
            console().print("No alerts: this is a personal installation (no coaches).")
            return
        summary = services.alerts.check()
    mail = "" if services.alerts.email_possible else " (no mail server set: SIRELIEF_SMTP_HOST)"
    console().print(
        f"New alerts: {summary.raised}. Emails sent: {summary.sent}; not sent, to try "
        f"again: {summary.failed}{mail}."
    )
