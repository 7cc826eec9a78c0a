"""``python -m sirelief.cli``."""

from sirelief.cli import run

run()
