"""Trusted hosts: a page whose DNS name is rebound to 127.0.0.1 gets nothing."""

import pytest
from starlette.testclient import TestClient

from sirelief.cli.serve import with_host
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.web.web_support import GOOD_CHECKIN, csrf


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "127.0.0.1"])
def test_loopback_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": host}).status_code == 200


def test_dns_rebinding_get_is_refused(client: TestClient) -> None:
    response = client.get("/history", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "does not answer to this address name" in response.text
    assert "sirelief_csrf" not in response.headers.get("set-cookie", "")


def test_dns_rebinding_post_is_refused_and_writes_nothing(client: TestClient) -> None:
    form = {**GOOD_CHECKIN, "csrf_token": csrf(client)}
    response = client.post(
        "/checkin", data=form, headers={"host": "evil.example:8000"}, follow_redirects=False
    )
    assert response.status_code == 400
    log = client.app.state.context.services.session_log
    assert log.session_ids() == set()


@pytest.mark.parametrize("host", ["127.0.0.1.evil.example", "localhost.evil", "[::1", ""])
def test_look_alike_names_are_refused(client: TestClient, host: str) -> None:
    assert client.get("/", headers={"host": host}).status_code == 400


def test_configured_names_are_served(settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("SIRELIEF_ALLOWED_HOSTS", "sirelief.lan, Other.Example")
    app = create_app(Settings())
    with TestClient(app, base_url="http://sirelief.lan:8000") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"host": "other.example"}).status_code == 200
        assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_serve_host_is_added(settings: Settings) -> None:
    assert with_host(settings, "192.168.1.20").host_names() == ["192.168.1.20"]
    assert with_host(settings, "127.0.0.1").host_names() == []
    app = create_app(with_host(settings, "192.168.1.20"))
    with TestClient(app, base_url="http://192.168.1.20:8000") as client:
        assert client.get("/").status_code == 200
