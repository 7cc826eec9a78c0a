"""A twelve-week demo history, filled once per module (it takes a few seconds)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sirelief.services import Services
from sirelief.services.demo import DemoSummary, fill_demo
from sirelief.settings import Settings
from tests.clock import MovableClock

END = datetime(2026, 11, 18, tzinfo=UTC)
"""A Wednesday: the last calendar week holds Monday and Tuesday only."""


def new_library(path) -> Services:
    return Services(Settings(data_dir=path, database_url=None), MovableClock())


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Iterator[tuple[Services, DemoSummary]]:
    library = new_library(tmp_path_factory.mktemp("demo"))
    summary = fill_demo(library, end=END)
    yield library, summary
    library.close()
