"""In-process web tests: the ASGI app with a temporary database, pages parsed as HTML."""

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        yield client
