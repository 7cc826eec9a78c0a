"""In-process web tests: the ASGI app with a temporary database, pages parsed as HTML."""

from collections.abc import Iterator

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app

GOOD_CHECKIN = {
    "pain": "4", "hip_left": "3", "hip_right": "7", "hamstrings_adductors_left": "2",
    "hamstrings_adductors_right": "5", "ankle_left": "4", "ankle_right": "6",
    "minutes": "60", "equipment": ["kettlebell", "mat", "strap", "wall", "band"],
    "context": "repair",
}  # fmt: skip


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        yield client


def csrf(client: TestClient) -> str:
    return client.cookies.get("sirelief_csrf")


def html(response) -> HTMLParser:
    return HTMLParser(response.text)


def start_session(client: TestClient, **changes) -> str:
    form = {**GOOD_CHECKIN, **changes, "csrf_token": csrf(client)}
    response = client.post("/checkin", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]
