"""The web app on a broken database: a calm 503 page (JSON for the event API), no trace."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.storage.fault_files import (
    DAMAGED,
    SPOILED_FILES,
    disk_full_after,
    page_count,
    random_file,
    stored_database,
)
from tests.web.web_support import GOOD_CHECKIN, csrf, html


@pytest.fixture
def database_path(settings: Settings) -> Path:
    return settings.data_dir / "sirelief.db"


@pytest.fixture
def raw_client(settings: Settings) -> Iterator[TestClient]:
    """A client that has not opened the database yet."""
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        yield client


def assert_calm_page(response, title: str, expected: str) -> None:
    assert response.status_code == 503, response.text
    assert "Traceback" not in response.text
    page = html(response)
    assert page.css_first("h1").text() == title
    assert expected in page.css_first("p.lead").text()


@pytest.mark.parametrize(("damage", "expected"), SPOILED_FILES)
@pytest.mark.parametrize("address", ["/", "/history", "/insights", "/routines", "/checkin"])
def test_a_broken_database_gives_a_calm_page_and_is_left_as_it_is(
    raw_client: TestClient, database_path: Path, damage, expected: str, address: str
) -> None:
    damage(database_path)
    before = database_path.read_bytes()
    assert_calm_page(raw_client.get(address), "Your data cannot be opened", expected)
    assert database_path.read_bytes() == before


def test_the_event_api_answers_json(raw_client: TestClient, database_path: Path) -> None:
    random_file(database_path)
    raw_client.get("/exercises")  # no database needed: sets the CSRF cookie
    response = raw_client.post(
        "/sessions/0123456789abcdef0123456789abcdef/events",
        json={"events": []},
        headers={"x-csrf-token": csrf(raw_client)},
    )
    assert response.status_code == 503, response.text
    assert DAMAGED in response.json()["error"]


def test_a_full_disk_saves_nothing_and_says_so(raw_client: TestClient, database_path: Path):
    stored_database(database_path)
    raw_client.get("/exercises")
    before = database_path.read_bytes()
    with disk_full_after(page_count(database_path)):
        pages = []
        for _ in range(40):  # each session grows the file; the limit is soon reached
            response = raw_client.post(
                "/checkin", data={**GOOD_CHECKIN, "csrf_token": csrf(raw_client)},
                follow_redirects=False,
            )  # fmt: skip
            pages.append(response.status_code)
            if response.status_code != 303:
                break
    assert_calm_page(response, "Your data cannot be saved", "is full; nothing was saved")
    assert pages[:-1] == [303] * (len(pages) - 1)
    assert database_path.read_bytes() == before
