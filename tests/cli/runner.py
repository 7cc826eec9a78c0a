"""Run the command line in process and capture what it printed."""

import io

import pytest

from sirelief.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``sirelief ARGS``."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    """What a script pipes into the command (not a terminal: one line, no echo games)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
