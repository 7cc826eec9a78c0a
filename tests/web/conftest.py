"""In-process web tests: the ASGI app with a temporary database, pages parsed as HTML."""

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.web.web_support import NOW


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        yield client


@pytest.fixture
def clock() -> MovableClock:
    """A clock the test moves by hand, at ``NOW`` to begin with."""
    return MovableClock(NOW)


@pytest.fixture
def clocked_client(settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    """A client of an app that reads the time only from ``clock``."""
    app = create_app(settings, clock=clock)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        yield client
