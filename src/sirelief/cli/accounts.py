"""``sirelief setup``: turn a database into a clinic's, with its first admin.

Also the one way the account commands (``users``, ``clinics``) ask for a new password:
hidden and twice at a terminal, one line from standard input in a script.
"""

import getpass
import sys

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import console, fail, handled
from sirelief.services import Services


def ask_new_password(whose: str) -> str:
    """A new password: typed twice, hidden, at a terminal; else the first line of stdin
    (``printf '%s\\n' "$PASSWORD" | sirelief users add ...``)."""
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise fail(f"give {whose} password on standard input, or run this at a terminal")
        return password
    password = getpass.getpass(f"{whose.capitalize()} password (8 or more characters): ")
    if getpass.getpass("The same password again: ") != password:
        raise fail("the two passwords differ; nothing was changed")
    return password


@command("setup")
def setup(
    context: typer.Context,
    name: str | None = typer.Option(
        None, "--name", help="The first admin's user name (asked when left out)."
    ),
) -> None:
    """Turn on clinic mode: accounts for admins, coaches and clients, signed in.

    Creates the first admin with a password you choose (there is no default account and
    no default password). Refused when this database is set up already. Personal use
    (one person on this computer) needs none of this.

    Example: sirelief setup --name admin
    """
    services: Services = context.obj
    with handled():
        if services.accounts.clinic_mode():
            raise fail("already set up: add accounts with 'sirelief users add'")
        name = name or typer.prompt("The first admin's user name")
        admin = services.accounts.setup(name, ask_new_password("the admin's"))
    console().print(
        f"Clinic mode is on; admin '{admin.user_name}' can sign in.\n"
        "A sirelief serve already running keeps serving without sign-in: restart it.\n"
        "Next: sirelief clinics add NAME, then sirelief users add USER --role coach --clinic NAME"
    )
