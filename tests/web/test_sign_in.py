"""Signing in and out: personal mode needs nobody, clinic mode needs a login for everything
but the sign-in page; the login cookie's flags, rotation and ending (issue 17)."""

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from sirelief.web.sign_in import local_path
from tests.web.web_support import csrf, html, post

PASSWORD = "quiet meadow lantern 42"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def clinic_settings(settings: Settings) -> Settings:
    services = Services(settings)
    try:
        services.accounts.setup("ada", "admin passphrase for tests 7")
        services.accounts.add_clinic("Riverside")
        services.accounts.add_user("client", "cleo", PASSWORD, clinic="Riverside")
    finally:
        services.close()
    return settings


@pytest.fixture
def clinic(clinic_settings: Settings) -> Iterator[TestClient]:
    """A client of a clinic installation, not signed in, with its CSRF cookie."""
    with TestClient(create_app(clinic_settings), base_url=BASE) as client:
        client.get("/sign-in")
        yield client


def sign_in(client: TestClient, password: str = PASSWORD, **form):
    return post(client, "/sign-in", user_name="cleo", password=password, **form)


def use_login(client: TestClient, token: str) -> None:
    """Send ``token`` as the login cookie from now on (in place of any other)."""
    client.cookies.delete("sirelief_login")
    client.cookies.set("sirelief_login", token)


def login_cookie_header(response) -> str:
    (header,) = [h for h in response.headers.get_list("set-cookie") if "sirelief_login=" in h]
    return header


def test_personal_mode_needs_no_sign_in(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert html(response).css_first("form.sign-out") is None
    assert client.get("/sign-in", follow_redirects=False).headers["location"] == "/"


def test_clinic_mode_sends_the_anonymous_to_sign_in(clinic: TestClient) -> None:
    response = clinic.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/"
    assert response.headers["x-content-type-options"] == "nosniff"
    deeper = clinic.get("/history?x=1", follow_redirects=False)
    assert deeper.headers["location"] == "/sign-in?next=/history%3Fx%3D1"
    page = clinic.get("/sign-in?next=/history")
    assert page.status_code == 200
    assert html(page).css_first("input[name=next]").attributes["value"] == "/history"
    assert html(page).css_first("input[name=code]") is None


def test_json_callers_without_a_login_get_401(clinic: TestClient) -> None:
    response = clinic.get("/", headers={"accept": "application/json"}, follow_redirects=False)
    assert response.status_code == 401
    assert "Sign in" in response.json()["error"]


def test_static_files_need_no_login(clinic: TestClient) -> None:
    href = html(clinic.get("/sign-in")).css_first("link[rel=stylesheet]").attributes["href"]
    assert clinic.get(href).status_code == 200


def test_a_wrong_password_shows_why_and_sets_no_cookie(clinic: TestClient) -> None:
    response = sign_in(clinic, password="not the password")
    assert response.status_code == 400
    assert "user name or the password is wrong" in html(response).css_first(".error-summary").text()
    assert "sirelief_login" not in response.headers.get("set-cookie", "")
    assert clinic.get("/", follow_redirects=False).status_code == 303


def test_the_right_password_signs_in_with_a_safe_cookie(clinic: TestClient) -> None:
    response = sign_in(clinic, next="/history")
    assert response.status_code == 303
    assert response.headers["location"] == "/history"
    cookie = login_cookie_header(response).lower()
    assert cookie.startswith("sirelief_login=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "path=/" in cookie
    assert "secure" not in cookie  # plain HTTP on loopback: a Secure cookie would be lost
    home = clinic.get("/", follow_redirects=False)
    assert home.status_code == 200
    assert html(home).css_first("form.sign-out button").text() == "Sign out"


def test_over_https_the_cookie_is_host_prefixed_and_secure(clinic_settings: Settings) -> None:
    with TestClient(create_app(clinic_settings), base_url="https://127.0.0.1:8000") as client:
        client.get("/sign-in")
        response = sign_in(client)
        cookie = login_cookie_header(response).lower()
        assert cookie.startswith("__host-sirelief_login=")
        assert "secure" in cookie
        assert "httponly" in cookie
        assert "samesite=lax" in cookie
        assert "domain=" not in cookie
        assert client.get("/", follow_redirects=False).status_code == 200


def test_each_sign_in_rotates_the_token(clinic: TestClient) -> None:
    sign_in(clinic)
    first = clinic.cookies.get("sirelief_login")
    sign_in(clinic)
    second = clinic.cookies.get("sirelief_login")
    assert first
    assert second
    assert first != second
    assert clinic.get("/", follow_redirects=False).status_code == 200
    use_login(clinic, first)
    assert clinic.get("/", follow_redirects=False).status_code == 303
    use_login(clinic, second)
    assert clinic.get("/", follow_redirects=False).status_code == 200


def test_signing_out_ends_the_login(clinic: TestClient) -> None:
    sign_in(clinic)
    token = clinic.cookies.get("sirelief_login")
    response = post(clinic, "/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"
    assert clinic.get("/", follow_redirects=False).status_code == 303
    use_login(clinic, token)  # a copy kept elsewhere is dead too
    assert clinic.get("/", follow_redirects=False).status_code == 303


def test_signing_out_tells_the_browser_to_clear_what_it_kept(clinic: TestClient) -> None:
    """ASVS 14.3.1: the sign-out answer asks the browser to drop the site's cache and
    storage (outboxes, the worker's kept session pages), not its cookies."""
    sign_in(clinic)
    response = post(clinic, "/sign-out")
    assert response.status_code == 303
    assert response.headers["clear-site-data"] == '"cache", "storage"'
    assert clinic.get("/sign-in").headers.get("clear-site-data") is None  # only then


def test_sign_out_needs_the_csrf_token(clinic: TestClient) -> None:
    sign_in(clinic)
    response = clinic.post("/sign-out", follow_redirects=False)
    assert response.status_code == 403
    assert clinic.get("/", follow_redirects=False).status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_next_never_leads_to_another_site(clinic: TestClient, target: str) -> None:
    page = clinic.get("/sign-in", params={"next": target})
    assert html(page).css_first("input[name=next]").attributes["value"] == "/"
    response = sign_in(clinic, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_an_empty_form_is_refused_without_a_try(clinic: TestClient) -> None:
    response = post(clinic, "/sign-in", user_name="", password="")
    assert response.status_code == 400
    assert "Enter your user name" in response.text


def test_many_failures_ask_to_wait(clinic: TestClient) -> None:
    for _ in range(12):
        response = sign_in(clinic, password="still the wrong one")
        if response.status_code == 429:
            break
    assert response.status_code == 429
    assert "try again in" in html(response).css_first(".error-summary").text()
    assert int(response.headers["retry-after"]) > 0


def test_sign_in_form_without_token_is_refused(clinic: TestClient) -> None:
    response = clinic.post(
        "/sign-in", data={"user_name": "cleo", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert csrf(clinic)


@given(target=st.text(max_size=40) | st.sampled_from(["//x", "/\t/x", "/%2F/x", "/\\x", "/ok"]))
def test_next_stays_on_this_site_whatever_it_is(target: str) -> None:
    resolved = urlsplit(urljoin("http://127.0.0.1:8000/sign-in", local_path(target)))
    assert resolved.netloc == "127.0.0.1:8000"
    assert resolved.scheme == "http"


def test_the_form_suits_password_managers(clinic: TestClient) -> None:
    form = html(clinic.get("/sign-in"))
    password = form.css_first("input[name=password]").attributes
    assert password["type"] == "password"
    assert password["autocomplete"] == "current-password"
    assert "value" not in password
    assert form.css_first("input[name=user_name]").attributes["autocomplete"] == "username"


def test_an_account_with_totp_is_asked_for_its_code(clinic_settings: Settings) -> None:
    secret = pyotp.random_base32()
    services = Services(clinic_settings)
    try:
        services.accounts.enrol_totp("cleo", secret, pyotp.TOTP(secret).now())
    finally:
        services.close()
    with TestClient(create_app(clinic_settings), base_url=BASE) as client:
        client.get("/sign-in")
        asked = sign_in(client)
        assert asked.status_code == 200
        assert html(asked).css_first("input[name=code]") is not None
        assert "6-digit code" in html(asked).css_first(".notice").text()
        assert "sirelief_login" not in asked.headers.get("set-cookie", "")
        wrong = sign_in(client, code="000000")
        assert wrong.status_code in (400, 429)
        assert html(wrong).css_first("input[name=code]") is not None
