"""``sirelief db path|current|upgrade``: where your data is kept, and its schema version."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import handled
from sirelief.services import Services

GROUP = {"help": "Where your data is kept, and its schema version."}
"""How ``sirelief db --help`` reads."""


@command("path")
def path(context: typer.Context) -> None:
    """Print where the database is (a file path, or a URL without its password).

    Example: sirelief db path
    """
    services: Services = context.obj
    with handled():
        print(services.data.where())


@command("current")
def current(context: typer.Context) -> None:
    """Print the database's schema revision and whether it is the newest.

    Example: sirelief db current
    """
    services: Services = context.obj
    with handled():
        revision, head = services.data.schema_revision()
    state = "up to date" if revision == head else f"behind: newest is {head}"
    print(f"{revision} ({state})")


@command("upgrade")
def upgrade(context: typer.Context) -> None:
    """Create the database or bring it to the newest schema (done on first use anyway).

    Example: sirelief --database-url postgresql+psycopg://me@db.clinic/sirelief db upgrade
    """
    services: Services = context.obj
    with handled():
        revision = services.data.upgrade_schema()
        print(f"{services.data.where()}: schema {revision} (up to date)")
