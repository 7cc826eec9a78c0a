"""Hostile routine uploads: a calm 400 page naming the problem, and the server unharmed."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from sirelief.services import BusyError
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.catalogue.test_yaml_limits import no_hang  # noqa: F401 (an autouse fixture)
from tests.web.web_support import csrf, html

LAUGHS = Path(__file__).parents[1] / "catalogue" / "bad_routines" / "34-billion-laughs.yaml"


def upload(client: TestClient, name: str, content: bytes, action: str = "add"):
    return client.post(
        "/routines",
        data={"csrf_token": csrf(client), "action": action},
        files={"file": (name, content)},
        follow_redirects=False,
    )


def test_the_billion_laughs_gets_a_calm_page_naming_the_line(client) -> None:
    response = upload(client, "laughs.yaml", LAUGHS.read_bytes())
    assert response.status_code == 400
    problems = html(response).css_first(".problems").text()
    assert "line 7" in problems
    assert "anchors are not allowed" in problems
    assert client.get("/routines").status_code == 200
    assert "laughs" not in client.get("/routines").text


def test_a_file_over_64_kb_is_refused_on_the_page(client) -> None:
    response = upload(client, "big.yaml", b"id: big\n" + b"#" * (64 * 1024))
    assert response.status_code == 400
    assert "64 KB" in html(response).css_first(".problems").text()


@pytest.fixture
def slow_client(settings: Settings, monkeypatch) -> Iterator[TestClient]:
    """A server whose upload check burns longer than its time limit."""
    monkeypatch.setenv("SIRELIEF_ROUTINE_CHECK_SECONDS", "0.5")
    monkeypatch.setenv("SIRELIEF_ROUTINE_CHECK_BURN_S", "60")
    with TestClient(create_app(Settings()), base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        yield client


def test_a_check_past_its_time_limit_is_a_located_problem(slow_client) -> None:
    good = (
        "id: my-hips\nname: My hips\nsummary: Mine.\nblocks:\n  - id: main\n"
        "    title: Main\n    steps:\n      - exercise: figure-four-piriformis\n"
    )
    response = upload(slow_client, "slow.yaml", good.encode())
    assert response.status_code == 400
    problems = html(response).css_first(".problems").text()
    assert "took too long to check" in problems
    assert slow_client.get("/routines").status_code == 200


def test_busy_checkers_give_a_calm_503(client, monkeypatch) -> None:
    def busy(*_args):
        raise BusyError("Other routine files are being checked right now; try again shortly.")

    monkeypatch.setattr("sirelief.services.routines.Routines.check_upload", busy)
    response = upload(client, "mine.yaml", b"id: mine\n")
    assert response.status_code == 503
    assert "try again" in html(response).css_first(".problems").text()
