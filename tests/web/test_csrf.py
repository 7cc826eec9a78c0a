"""CSRF tokens are signed by the server's own secret; an opaque Origin is refused."""

import stat

import pytest
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app
from sirelief.web.secret import new_token, server_secret, token_valid
from tests.web.web_support import GOOD_CHECKIN, csrf


def _checkin(client: TestClient, token: str, **headers):
    client.cookies.clear()
    client.cookies.set("sirelief_csrf", token)
    form = {**GOOD_CHECKIN, "csrf_token": token}
    return client.post("/checkin", data=form, headers=headers, follow_redirects=False)


def test_the_page_token_is_accepted(client: TestClient) -> None:
    assert _checkin(client, csrf(client)).status_code == 303


@pytest.mark.parametrize("token", ["a" * 43, "x", "a" * 24 + "." + "b" * 43])
def test_a_token_the_server_did_not_sign_is_refused(client: TestClient, token: str) -> None:
    response = _checkin(client, token)
    assert response.status_code == 403
    assert "security token" in response.text
    assert client.app.state.context.services.session_log.session_ids() == set()


def test_a_token_signed_by_another_server_is_refused(client: TestClient) -> None:
    assert _checkin(client, new_token(b"another server's secret key....!")).status_code == 403


def test_origin_null_is_refused(client: TestClient) -> None:
    response = _checkin(client, csrf(client), origin="null")
    assert response.status_code == 403
    assert "another site" in response.text


def test_cross_site_origin_and_fetch_are_refused(client: TestClient) -> None:
    token = csrf(client)
    assert _checkin(client, token, origin="http://evil.example").status_code == 403
    assert _checkin(client, token, **{"sec-fetch-site": "cross-site"}).status_code == 403


def test_same_origin_post_is_accepted(client: TestClient) -> None:
    headers = {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"}
    assert _checkin(client, csrf(client), **headers).status_code == 303


def test_referrer_policy_keeps_browsers_sending_a_real_origin(client: TestClient) -> None:
    # with no-referrer, Chromium sends Origin: null on the app's own form posts
    assert client.get("/").headers["referrer-policy"] == "same-origin"


def test_secret_is_created_once_private_and_kept(settings: Settings) -> None:
    key = server_secret(settings)
    path = settings.data_dir / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert server_secret(settings) == key
    assert len(key) >= 32


def test_secret_from_the_setting(settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("SIRELIEF_SECRET_KEY", "s" * 40)
    configured = Settings()
    assert server_secret(configured) == b"s" * 40
    assert not (configured.data_dir / "secret_key").exists()
    token = new_token(b"s" * 40)
    with TestClient(create_app(configured), base_url="http://127.0.0.1:8000") as client:
        client.get("/")
        assert _checkin(client, token).status_code == 303


def test_tokens_survive_a_restart(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as first:
        first.get("/")
        token = csrf(first)
    assert token_valid(server_secret(settings), token)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as second:
        assert _checkin(second, token).status_code == 303
