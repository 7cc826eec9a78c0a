"""The ``sirelief`` command line: thin commands that call ``sirelief.services``.

Importing this package imports nothing else: ``run`` imports the command tree with the
cycle collector paused (issue 21: the cold start).
"""

import gc
import os
import sys
from typing import Any


def build(args: list[str]) -> Any:
    """The Click command for ``args``: only the part of the tree they name (see
    ``cli.app.named_command``)."""
    import typer

    from sirelief.cli.app import create_cli, named_command

    return typer.main.get_command(create_cli(only=named_command(args)))


def invoke(command: Any, args: list[str]) -> int:
    """Run ``command``; usage mistakes end with one line on stderr and exit status 2."""
    import typer

    from sirelief.services import DatabaseError

    try:
        result = command.main(args=args, prog_name="sirelief", standalone_mode=False)
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: this process's arguments); the exit status."""
    args = sys.argv[1:] if argv is None else argv
    return invoke(build(args), args)


def run() -> None:
    """Console-script entry point.

    Importing the libraries makes hundreds of thousands of objects and almost no garbage,
    yet the cycle collector would walk them again and again: it is paused while the tree
    is built, and what was built is frozen (never walked again, also in a long-running
    ``serve``). At the end the same freeze spares the exit's collections from walking every
    object once more; only objects caught in reference cycles are then left to the
    operating system instead of being finalized. Together about a third of a short
    command's CPU.

    sirelief uses no pydantic plugin, and looking for them reads the metadata of every
    installed package (about 80 ms here): the search is off unless the variable is set
    (``PYDANTIC_DISABLE_PLUGINS=`` searches again).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = sys.argv[1:]
    gc.disable()
    try:
        command = build(args)
    finally:
        gc.freeze()
        gc.enable()
    status = invoke(command, args)
    gc.freeze()
    sys.exit(status)
