"""Run the command line in process and capture what it printed."""

import pytest

from sirelief.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``sirelief ARGS``."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err
