"""Issue 19: pages show times and decide "today" in the person's own time zone (their
setting), not in the server's."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.web.web_support import html, start_session


@pytest.fixture
def in_tokyo(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A server on UTC whose one person lives in Tokyo (NOW, 9:00 UTC, is 18:00 there)."""
    monkeypatch.setenv("TZ", "UTC")
    chosen = settings.model_copy(update={"timezone": "UTC"})
    services = Services(chosen)
    try:
        services.preferences.set("time-zone", "Asia/Tokyo")
    finally:
        services.close()
    return chosen


@pytest.fixture
def tokyo_client(in_tokyo: Settings, clock: MovableClock) -> Iterator[TestClient]:
    with TestClient(create_app(in_tokyo, clock=clock), base_url="http://127.0.0.1:8000") as c:
        c.get("/")
        yield c


def test_history_shows_the_session_at_the_persons_own_hour(tokyo_client: TestClient) -> None:
    start_session(tokyo_client)
    shown = html(tokyo_client.get("/history")).css_first("main time").text()
    assert shown == "Mon 30 Nov, 18:00"


def test_the_clearance_page_takes_the_persons_today(
    tokyo_client: TestClient, clock: MovableClock
) -> None:
    clock.set(clock() + timedelta(hours=8))  # 17:00 on 30 Nov in UTC, 1 Dec in Tokyo
    page = html(tokyo_client.get("/safety/clearances"))
    assert {node.attributes.get("max") for node in page.css("input[type=date]")} == {"2026-12-01"}


def test_a_page_of_many_times_looks_the_zone_up_once(
    tokyo_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shown time goes through ``| local``; the person's zone is read once a page,
    not once a time (a history of 200 sessions would read it 200 times)."""
    for _ in range(3):
        start_session(tokyo_client)
    looked: list[int] = []
    zone = Services.zone
    monkeypatch.setattr(Services, "zone", lambda self: looked.append(1) or zone(self))
    times = html(tokyo_client.get("/history")).css("main time")
    assert len(times) >= 3
    assert len(looked) == 1
