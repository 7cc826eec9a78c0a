"""Shared output helpers: consoles, JSON printing, and turning errors into one line.

Rich is imported by the helpers that draw with it: JSON output (``report --json``) never
loads it (issue 21: the cold start).
"""

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from sirelief.domain.problems import InvalidFileError
from sirelief.services import DatabaseError, ServiceError

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False, wrap: bool = True) -> "Console":
    """A console bound to the current streams (so tests can capture them).

    ``wrap=False`` keeps each printed line whole, for output that tools parse by line.
    """
    from rich.console import Console

    return Console(file=sys.stderr if stderr else sys.stdout, highlight=False, soft_wrap=not wrap)


def print_list(noun: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table titled with how many ``noun`` it lists (``sirelief users list``)."""
    from rich.table import Table

    table = Table(title=f"{len(rows)} {noun}", title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console().print(table)


def print_json(document: Any) -> None:
    """Stable JSON: sorted keys are avoided (order is meaningful), two-space indent."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def fail(message: str, status: int = 2) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(status)


@contextmanager
def handled() -> Iterator[None]:
    """Report service and database errors as one line with exit status 2, never a traceback."""
    try:
        yield
    except (ServiceError, DatabaseError) as error:
        raise fail(str(error)) from None
    except InvalidFileError as invalid:
        # Only reachable if a shipped data file is broken: say which, line by line.
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        raise fail("sirelief's own data files are invalid; please report this", 3) from None
