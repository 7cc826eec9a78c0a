"""A server process freezes its start-up heap; an app made for a test does not (issue 21:
the cycle collector's full passes over the libraries and the catalogue paused heavy pages
by about 100 ms every few requests)."""

import gc
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app, served_app

LOCAL = "http://127.0.0.1:8000"


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # this test process's objects go back to the collector


def test_the_served_app_freezes_what_it_built_at_start(settings: Settings, unfrozen) -> None:
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        assert client.get("/").status_code == 200
        assert gc.get_freeze_count() == 0
    with TestClient(
        served_app(), base_url=LOCAL
    ) as client:  # the settings from the environment, as a worker
        assert gc.get_freeze_count() > 10_000
        assert client.get("/").status_code == 200
