"""Build the Typer application. No globals: every run builds its own.

Command modules are named here and imported while the tree is built; a command line that
names its command (``sirelief report --json``) builds only that command's part, so a short
command does not import every other command's libraries (issue 21: the cold start).
"""

import importlib
from types import ModuleType

import typer

from sirelief import __version__
from sirelief.cli import commands
from sirelief.cli.output import console, fail, handled
from sirelief.services import Clock, Services, system_clock
from sirelief.settings import Settings, SettingsError, read_settings

GROUPS = {
    "exercises": "exercises", "routines": "routines", "safety": "safety", "db": "db",
    "users": "users", "clinics": "clinics", "settings": "preferences",
    "reminders": "reminders", "alerts": "alerts", "psfs": "psfs",
}  # fmt: skip
"""Command groups (``sirelief NAME ...``) and their modules in ``sirelief.cli``."""
TOP_LEVEL = {
    "plan": "planning", "session": "session", "history": "data", "export": "data",
    "import": "data", "delete-my-data": "data", "report": "report", "morning": "morning",
    "demo": "demo", "serve": "serve", "setup": "accounts",
}  # fmt: skip
"""Top-level commands and their modules (tests/cli/test_cold_start.py checks each module
defines exactly the commands listed for it)."""


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"sirelief.cli.{name}")


def named_command(argv: list[str]) -> str | None:
    """The command or group a command line starts with, if it is one: only its module is
    then needed. Anything else (options first, a typo, nothing) builds the whole tree."""
    first = argv[0] if argv else None
    return first if first in GROUPS or first in TOP_LEVEL else None


OVERVIEW = """\
[bold]sirelief[/bold] {version} - guided, measured self-care for sacroiliac (SI) joint pain.
It informs and coaches; it does not diagnose and does not replace a clinician.

  {exercises} exercises, {routines} routines ({yours} of them yours)

  sirelief exercises list        every exercise; filter by region or equipment
  sirelief exercises show ID     how to do one: cues, cautions, stop signs
  sirelief routines list         the routines you can run
  sirelief routines show ID      a routine in order, with doses and sides
  sirelief routines check FILE   check a routine file, problem by problem
  sirelief routines add FILE     check it, then add it beside the built-ins
  sirelief plan --checkin FILE   plan a session from a check-in (JSON)
  sirelief safety flags          the red-flag questions asked before a session
  sirelief serve                 the web app at http://127.0.0.1:8000
  sirelief session [ROUTINE]     a guided session with timer, cues and results
  sirelief history               your past sessions and how each went
  sirelief report                worked vs waiting side, trends, effort, when to see someone
  sirelief morning               how your last session settled (sets today's dose)
  sirelief psfs show / rate      your weekly activities score (PSFS)
  sirelief export / import       take all your data out (JSON, CSV) or bring it back
  sirelief delete-my-data        remove everything you have stored
  sirelief settings show / set   your voice, sound, kit, time zone and reminders
  sirelief db path               where your data is kept
  sirelief demo                  made-up history to try it (or: sirelief serve --demo)
  sirelief setup                 clinic mode: accounts for a clinic's coaches and clients

Run any command with --help for its options and an example."""


def create_cli(
    settings: Settings | None = None, clock: Clock = system_clock, only: str | None = None
) -> typer.Typer:
    """The whole command tree, or with ``only`` (a name from ``named_command``) the part
    that command needs; ``settings`` defaults to the environment's, ``clock`` is what every
    use case reads the time from."""
    app = typer.Typer(
        name="sirelief",
        help="Guided, measured self-care for SI joint pain.",
        no_args_is_help=False,
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )

    @app.callback(invoke_without_command=True)
    def overview(
        context: typer.Context,
        version: bool = typer.Option(False, "--version", help="Print the version and exit."),
        database_url: str | None = typer.Option(
            None,
            "--database-url",
            envvar="SIRELIEF_DATABASE_URL",
            help="Database to use (e.g. postgresql+psycopg://user@host/db); "
            "default: SQLite in your data folder.",
        ),
    ) -> None:
        """Show what sirelief holds and where to start.

        Example: sirelief
        """
        try:
            chosen = settings or read_settings()
        except SettingsError as error:
            raise fail(str(error)) from None
        if database_url:
            chosen = chosen.model_copy(update={"database_url": database_url})
        context.obj = Services(chosen, clock)
        if version:
            print(__version__)
            raise typer.Exit(0)
        if context.invoked_subcommand is None:
            with handled():
                services: Services = context.obj
                entries = services.routines.all()
                console().print(
                    OVERVIEW.format(
                        version=__version__,
                        exercises=len(services.catalogue),
                        routines=len(entries),
                        yours=sum(entry.origin == "yours" for entry in entries),
                    )
                )

    for name, module in GROUPS.items():
        if only in (None, name):
            app.add_typer(commands.group(_module(module)), name=name)
    for module in dict.fromkeys(TOP_LEVEL.values()):  # each module once, in this order
        if only is None or TOP_LEVEL.get(only) == module:
            commands.register(app, _module(module))
    return app
