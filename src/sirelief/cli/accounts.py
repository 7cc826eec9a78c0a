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
from sirelief.web.secret import SecretError, make_secret_file


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
        None, "--name", help="The first account's user name (asked when left out)."
    ),
    from_personal: bool = typer.Option(
        False,
        "--from-personal",
        help="Keep the data already here: its person becomes the first client (or admin).",
    ),
    role: str | None = typer.Option(
        None,
        "--as",
        metavar="client|admin",
        help="With --from-personal: client (default) or admin.",
    ),
    clinic: str | None = typer.Option(
        None, "--clinic", help="With --from-personal: a new clinic (needed for a client)."
    ),
) -> None:
    """Turn on clinic mode: accounts for admins, coaches and clients, signed in.

    Creates the first admin with a password you choose (there is no default account and
    no default password), and the server secret (secret_key in the data folder, readable
    by its owner only), and the key pair that signs Web Push reminders (kept in the
    database). Refused when this database is set up already. Personal use (one
    person on this computer) needs none of this.

    With --from-personal, the person whose data is here becomes the first client of a new
    clinic (or, --as admin, the first admin, still holding that data): nothing is moved or
    lost. See docs/deploy.md.

    Example: sirelief setup --name admin

    Example: sirelief setup --from-personal --as client --clinic "Home" --name sam
    """
    services: Services = context.obj
    if not from_personal and (role or clinic):
        raise fail("--as and --clinic go with --from-personal (see: sirelief setup --help)")
    with handled():
        if services.accounts.clinic_mode():
            raise fail("already set up: add accounts with 'sirelief users add'")
        try:
            secret = make_secret_file(services.settings)
        except SecretError as error:
            raise fail(str(error)) from None
        if from_personal:
            name = typer.prompt("Your user name") if name is None else name
            account = services.accounts.setup_from_personal(
                role or "client", name, lambda: ask_new_password("your"), clinic
            )
        else:
            name = typer.prompt("The first admin's user name") if name is None else name
            account = services.accounts.setup(name, ask_new_password("the admin's"))
        services.push_keys.ensure()  # the Web Push (VAPID) key pair, in the database
    out = console()
    if from_personal and account.clinic_name:
        out.print(
            f"Clinic mode is on; the data here is now client '{account.user_name}''s, in "
            f"{account.clinic_name}. Nothing was moved or lost.\n"
            "Next: sirelief users add NAME --role admin (to run the clinic from the web), "
            f'and a coach: sirelief users add NAME --role coach --clinic "{account.clinic_name}", '
            f"then sirelief users assign NAME {account.user_name}"
        )
    elif from_personal:
        out.print(
            f"Clinic mode is on; admin '{account.user_name}' can sign in and keeps the data "
            "here (sirelief history, sirelief export). Nothing was moved or lost."
        )
    else:
        out.print(f"Clinic mode is on; admin '{account.user_name}' can sign in.")
    if secret is not None:
        out.print(f"Server secret: {secret} (readable by its owner only).")
    out.print("A sirelief serve already running keeps serving without sign-in: restart it.")
    if not from_personal:
        out.print(
            "Next: sirelief clinics add NAME, then sirelief users add USER --role coach "
            "--clinic NAME"
        )
