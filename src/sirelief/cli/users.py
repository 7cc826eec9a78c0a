"""``sirelief users add|list|disable|enable|reset-mfa|reset-password|sign-out|assign|
unassign|invite``: the accounts of clinic mode.

Passwords never expire (ASVS 6.2.10): a person changes theirs when they choose to.
"""

from datetime import datetime

import typer

from sirelief.cli.accounts import ask_new_password
from sirelief.cli.commands import command
from sirelief.cli.output import console, fail, handled, print_list
from sirelief.domain.local_time import local
from sirelief.services import Services

GROUP = {
    "help": "Add, list, disable and enable accounts; assign coaches (clinic mode).",
    "no_args_is_help": True,
}
"""How ``sirelief users --help`` reads."""
USER_NAME = typer.Argument(..., metavar="USER", help="The account's user name.")
URL = typer.Option(
    ..., "--url", help="The address people reach this server at, e.g. https://clinic.example"
)


@command("add")
def add(
    context: typer.Context,
    user_name: str = USER_NAME,
    role: str = typer.Option(..., "--role", help="admin, coach or client."),
    clinic: str | None = typer.Option(
        None, "--clinic", help="The clinic a coach or client belongs to (not for an admin)."
    ),
) -> None:
    """Add an account; its password is asked (hidden, twice) or read from stdin.

    Passwords: 8 characters or more, any characters, no required mix; never expire.
    Common and breached ones are refused.

    Example: sirelief users add cora --role coach --clinic "North Physio"
    """
    services: Services = context.obj
    with handled():
        account = services.accounts.add_user(
            role, user_name, lambda: ask_new_password("the"), clinic
        )
    where = f" in {account.clinic_name}" if account.clinic_name else ""
    console().print(f"Added {account.role} '{account.user_name}'{where}.")


@command("list")
def list_users(context: typer.Context) -> None:
    """List every account: role, clinic, second factor and whether it is disabled.

    Example: sirelief users list
    """
    services: Services = context.obj
    with handled():
        accounts = services.accounts.list_users()
        if not accounts and not services.accounts.clinic_mode():
            console().print(
                "This is a personal installation: no accounts, no sign-in. "
                "'sirelief setup' turns on clinic mode."
            )
            return
    print_list("accounts", ("user", "name", "role", "clinic", "code app", "state"), [
        (account.user_name, account.display_name, account.role.value, account.clinic_name or "-",
         "yes" if account.has_totp else "no", "disabled" if account.disabled else "active")
        for account in accounts
    ])  # fmt: skip


@command("disable")
def disable(context: typer.Context, user_name: str = USER_NAME) -> None:
    """Disable an account; every device it is signed in on is signed out at once.

    Example: sirelief users disable cleo
    """
    services: Services = context.obj
    with handled():
        ended = services.accounts.disable(user_name)
    console().print(f"Disabled '{user_name}'; signed out of {ended} device(s).")


@command("enable")
def enable(context: typer.Context, user_name: str = USER_NAME) -> None:
    """Enable a disabled account again.

    Example: sirelief users enable cleo
    """
    services: Services = context.obj
    with handled():
        services.accounts.enable(user_name)
    console().print(f"Enabled '{user_name}'.")


@command("reset-mfa")
def reset_mfa(context: typer.Context, user_name: str = USER_NAME) -> None:
    """Forget an account's code app and recovery codes (a lost phone): it enrols again.

    Check who is asking first, as when the account was made.

    Example: sirelief users reset-mfa cora
    """
    services: Services = context.obj
    with handled():
        services.accounts.reset_mfa(user_name)
    console().print(f"'{user_name}' has no code app now; they set one up at next sign-in.")


@command("sign-out")
def sign_out(
    context: typer.Context,
    user_name: str | None = typer.Argument(
        None, metavar="[USER]", help="The account's user name (or --all)."
    ),
    everyone: bool = typer.Option(
        False, "--all", help="Sign every account out of every device at once."
    ),
) -> None:
    """Sign an account out of every device at once (a lost phone); it can sign in again.

    With --all, every account is signed out (a leaked database copy, a server moved).

    Example: sirelief users sign-out cleo

    Example: sirelief users sign-out --all
    """
    if everyone and user_name is not None:
        raise fail("give a user name or --all, not both")
    if not everyone and user_name is None:
        raise fail("give a user name, or --all to sign everyone out")
    services: Services = context.obj
    with handled():
        if everyone:
            ended = services.accounts.sign_out_all()
        else:
            ended = services.accounts.sign_out_everywhere(user_name)
    who = "every account" if everyone else f"'{user_name}'"
    console().print(f"Signed {who} out of {ended} device(s).")


COACH = typer.Argument(..., metavar="COACH", help="The coach's user name.")
CLIENT = typer.Argument(..., metavar="CLIENT", help="The client's user name, same clinic.")


@command("assign")
def assign(context: typer.Context, coach: str = COACH, client: str = CLIENT) -> None:
    """Let a coach see and coach a client of their clinic (a client may have several).

    Example: sirelief users assign cora cleo
    """
    services: Services = context.obj
    with handled():
        services.accounts.assign(coach, client)
    console().print(f"'{coach}' now coaches '{client}'.")


@command("unassign")
def unassign(context: typer.Context, coach: str = COACH, client: str = CLIENT) -> None:
    """Stop a coach seeing a client's data (the client's other coaches keep theirs).

    Example: sirelief users unassign cora cleo
    """
    services: Services = context.obj
    with handled():
        services.accounts.unassign(coach, client)
    console().print(f"'{coach}' no longer coaches '{client}'.")


@command("invite")
def invite(
    context: typer.Context,
    role: str = typer.Option("client", "--role", help="client (the default) or coach."),
    clinic: str = typer.Option(..., "--clinic", help="The clinic the person joins."),
    coach: str | None = typer.Option(
        None, "--coach", help="Invite as this coach: the client is assigned to them."
    ),
    url: str = URL,
) -> None:
    """Make a single-use invitation link (7 days) and show it with a QR code to scan.

    The person opens it and chooses their own user name and password. The link is shown
    this once: if it is lost, revoke the invitation on the web and make another.

    Example: sirelief users invite --clinic "North Physio" --coach cora --url https://clinic.example
    """
    _check_url(url)
    services: Services = context.obj
    with handled():
        token, invitation = services.invitations.invite_at_terminal(role, clinic, coach)
    link = services.invitations.link(url, token)
    print(services.invitations.qr_text(link), end="")
    print(f"Invitation for a {invitation.role} of {invitation.clinic_name}, "
          f"until {_local(invitation.expires_at, services)}:")  # fmt: skip
    print(link)


@command("reset-password")
def reset_password(context: typer.Context, user_name: str = USER_NAME, url: str = URL) -> None:
    """Make a single-use link (24 hours) for a person to choose a new password.

    Check who is asking first, as when the account was made. Their earlier unused link
    stops working. Using the link signs the account out everywhere; a code app, if they
    have one, is still asked at sign-in.

    Example: sirelief users reset-password cleo --url https://clinic.example
    """
    _check_url(url)
    services: Services = context.obj
    with handled():
        token, reset = services.password_resets.make(user_name)
    link = services.password_resets.link(url, token)
    print(services.password_resets.qr_text(link), end="")
    print(f"Password-reset link for '{user_name}', until {_local(reset.expires_at, services)}:")
    print(link)


def _check_url(url: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise fail(
            "--url: give the address people reach this server at, e.g. https://clinic.example"
        )


def _local(moment: datetime, services: Services) -> str:
    """On the installation's clock (its time-zone setting): an admin keeps no own zone."""
    return local(moment, services.settings.zone()).strftime("%a %d %b %Y, %H:%M")
