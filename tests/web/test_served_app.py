"""A server process freezes its start-up heap and shortens the interpreter lock's switch
interval; an app made for a test does neither (issue 21: the cycle collector's full passes
over the libraries and the catalogue paused heavy pages by about 100 ms every few
requests, and pages read in a worker thread waited 5 ms for the lock after each database
round trip)."""

import gc
import sys
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import SWITCH_INTERVAL_S, create_app, served_app

LOCAL = "http://127.0.0.1:8000"


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    interval = sys.getswitchinterval()
    yield
    gc.unfreeze()  # this test process's objects go back to the collector
    sys.setswitchinterval(interval)


def test_the_served_app_freezes_what_it_built_at_start(settings: Settings, unfrozen) -> None:
    with TestClient(create_app(settings), base_url=LOCAL) as client:
        assert client.get("/").status_code == 200
        assert gc.get_freeze_count() == 0
        assert sys.getswitchinterval() != pytest.approx(SWITCH_INTERVAL_S)
    with TestClient(
        served_app(), base_url=LOCAL
    ) as client:  # the settings from the environment, as a worker
        assert gc.get_freeze_count() > 10_000
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
        assert client.get("/").status_code == 200
