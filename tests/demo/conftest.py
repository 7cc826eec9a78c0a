"""A twelve-week demo history, filled once per module (it takes a few seconds)."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from sirelief.demo import DemoSummary, fill_demo
from sirelief.services import Library
from sirelief.settings import Settings

END = datetime(2026, 11, 18, tzinfo=UTC)
"""A Wednesday: the last calendar week holds Monday and Tuesday only."""


def new_library(path) -> Library:
    return Library(Settings(data_dir=path, database_url=None))


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Iterator[tuple[Library, DemoSummary]]:
    library = new_library(tmp_path_factory.mktemp("demo"))
    summary = fill_demo(library, end=END)
    yield library, summary
    library.close()
