"""The one way a command reaches the app: a module-level function tagged ``@command``.

A module of top-level commands (``sirelief plan``) is added with ``register``; a module
that is a group (``sirelief routines list``) says how its group reads in ``GROUP`` and
is added with ``group``. ``cli/app.py`` wires every module the same way.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

import typer

Command = TypeVar("Command", bound=Callable[..., Any])
_NAME = "command_name"


def command(name: str) -> Callable[[Command], Command]:
    """Tag a function as the command ``name``; nothing is registered until ``register``."""

    def tag(function: Command) -> Command:
        setattr(function, _NAME, name)
        return function

    return tag


def register(app: typer.Typer, module: ModuleType) -> None:
    """Add every command defined in ``module`` to ``app``, in the order they are written."""
    for function in vars(module).values():
        if callable(function) and getattr(function, "__module__", None) == module.__name__:
            name = getattr(function, _NAME, None)
            if name is not None:
                app.command(name)(function)


def group(module: ModuleType) -> typer.Typer:
    """A group's own Typer (options from the module's ``GROUP``) holding its commands."""
    app = typer.Typer(**module.GROUP)
    register(app, module)
    return app
