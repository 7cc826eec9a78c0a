"""The ``sirelief`` command line: thin commands that call ``sirelief.services``."""

import sys

import typer

from sirelief.cli.app import create_cli
from sirelief.services import DatabaseError


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; usage mistakes end with one line on stderr and exit status 2."""
    command = typer.main.get_command(create_cli())
    try:
        result = command.main(args=argv, prog_name="sirelief", standalone_mode=False)
    except typer.TyperException as error:  # Typer's usage errors derive from this
        status = getattr(error, "exit_code", 2)
        context = getattr(error, "ctx", None)
        hint = f" (see: {context.command_path} --help)" if status == 2 and context else ""
        message = error.format_message().replace("Value error, ", "")
        print(f"error: {message}{hint}", file=sys.stderr)
        return status
    except DatabaseError as error:  # a command outside ``handled()`` that touched the data
        print(f"error: {error}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("aborted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
