"""``sirelief users add|list|disable|enable|reset-mfa``: the accounts of clinic mode.

Passwords never expire (ASVS 6.2.10): a person changes theirs when they choose to.
"""

import typer
from rich.table import Table

from sirelief.cli.accounts import ask_new_password
from sirelief.cli.commands import command
from sirelief.cli.output import console, handled
from sirelief.services import Services

GROUP = {"help": "Add, list, disable and enable accounts (clinic mode).", "no_args_is_help": True}
"""How ``sirelief users --help`` reads."""
USER_NAME = typer.Argument(..., metavar="USER", help="The account's user name.")


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

    Example: sirelief users add cora --role coach --clinic "North Physio"
    """
    services: Services = context.obj
    with handled():
        services.accounts.check_new_user(role, clinic)
        account = services.accounts.add_user(role, user_name, ask_new_password("the"), clinic)
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
    table = Table(title=f"{len(accounts)} accounts", title_justify="left")
    for header in ("user", "name", "role", "clinic", "code app", "state"):
        table.add_column(header, overflow="fold")
    for account in accounts:
        table.add_row(
            account.user_name, account.display_name, account.role.value,
            account.clinic_name or "-", "yes" if account.has_totp else "no",
            "disabled" if account.disabled else "active",
        )  # fmt: skip
    console().print(table)


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
