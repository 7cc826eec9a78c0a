"""Use cases on a fresh SQLite database, with a clock the tests move."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.clock import MovableClock

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(MONDAY)


@pytest.fixture
def services(tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    services = Services(Settings(data_dir=tmp_path, database_url=None), clock)
    yield services
    services.close()
