"""``sirelief clinics add|list``: the clinics (tenants) of a clinic-mode installation."""

import typer

from sirelief.cli.commands import command
from sirelief.cli.output import console, handled, print_list
from sirelief.domain.local_time import local
from sirelief.services import Services

GROUP = {"help": "Add and list the clinics (clinic mode).", "no_args_is_help": True}
"""How ``sirelief clinics --help`` reads."""


@command("add")
def add(
    context: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="The clinic's name, unique."),
) -> None:
    """Add a clinic: its coaches and clients see nothing of another clinic.

    Example: sirelief clinics add "North Physio"
    """
    services: Services = context.obj
    with handled():
        clinic = services.accounts.add_clinic(name)
    console().print(f"Added clinic '{clinic.name}'.")


@command("list")
def list_clinics(context: typer.Context) -> None:
    """List the clinics.

    Example: sirelief clinics list
    """
    services: Services = context.obj
    with handled():
        clinics = services.accounts.clinics()
    zone = services.settings.zone()  # the installation's day: an admin keeps no own zone
    print_list("clinics", ("name", "added"),
               [(clinic.name, f"{local(clinic.created_at, zone):%Y-%m-%d}")
                for clinic in clinics])  # fmt: skip
