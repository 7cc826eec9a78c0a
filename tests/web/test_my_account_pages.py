"""A person's own account pages in clinic mode: overview, password, two-step sign-in with
recovery codes shown once, signed-in devices; a recovery code on the sign-in page; an admin
or coach without TOTP kept on the enrolment page (issue 17)."""

from collections.abc import Iterator
from datetime import timedelta

import pyotp
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.web.web_support import error_text, html, post

PASSWORD = "quiet meadow lantern 42"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def app(settings: Settings, clock: MovableClock) -> Starlette:
    """A clinic installation (Riverside: coach cora, client cleo) on the test's clock."""
    services = Services(settings, clock)
    try:
        services.accounts.setup("ada", "admin passphrase for tests 7")
        services.accounts.add_clinic("Riverside")
        services.accounts.add_user("coach", "cora", PASSWORD, clinic="Riverside")
        services.accounts.add_user("client", "Cleo", PASSWORD, clinic="Riverside")
    finally:
        services.close()
    return create_app(settings, clock=clock)


def browser(app: Starlette, user_name: str | None = "cleo", user_agent: str = "") -> TestClient:
    """Another browser on ``app``, signed in as ``user_name`` (None: not signed in)."""
    client = TestClient(app, base_url=BASE)
    if user_agent:
        client.headers["user-agent"] = user_agent
    client.get("/sign-in")
    if user_name:
        response = post(client, "/sign-in", user_name=user_name, password=PASSWORD)
        assert response.status_code == 303, response.text
    return client


@pytest.fixture
def cleo(app: Starlette) -> Iterator[TestClient]:
    """Cleo's browser, signed in (this one runs the app's start and end)."""
    with TestClient(app, base_url=BASE) as client:
        client.get("/sign-in")
        assert post(client, "/sign-in", user_name="cleo", password=PASSWORD).status_code == 303
        yield client


def later(clock: MovableClock, seconds: int = 30) -> None:
    clock.set(clock.now + timedelta(seconds=seconds))


def turn_on_two_step(client: TestClient, clock: MovableClock) -> tuple[str, list[str]]:
    """Through the pages: the secret and the recovery codes shown."""
    page = html(client.get("/account/two-step"))
    secret = page.css_first("input[name=secret]").attributes["value"]
    code = pyotp.TOTP(secret).at(clock.now)
    done = post(client, "/account/two-step", secret=secret, code=code, password=PASSWORD)
    assert done.status_code == 200, done.text
    return secret, [node.text() for node in html(done).css("ol.codes code")]


def test_personal_mode_has_no_account_pages(client: TestClient) -> None:
    for path in ("/account", "/account/password", "/account/two-step", "/account/logins"):
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/")
    assert html(client.get("/")).css_first("a.account-link") is None


def test_the_header_links_to_an_overview_of_the_account(cleo: TestClient) -> None:
    link = html(cleo.get("/")).css_first("header a.account-link")
    assert (link.attributes["href"], link.text()) == ("/account", "Account")
    page = html(cleo.get("/account"))
    terms, values = page.css("dl.facts dt"), page.css("dl.facts dd")
    facts = dict(zip([n.text() for n in terms], [n.text() for n in values], strict=True))
    assert facts["Name"] == "Cleo"
    assert facts["User name"] == "cleo"
    assert facts["Role"] == "Client"
    assert facts["Clinic"] == "Riverside"
    assert facts["Two-step sign-in"] == "Off"
    hrefs = {a.attributes["href"] for a in page.css(".account-links a")}
    assert hrefs == {
        "/account/password", "/account/two-step", "/account/logins",
        "/account/who-looked", "/account/data",
    }  # fmt: skip
    assert page.css_first("a.account-link").attributes["aria-current"] == "page"


def test_a_password_change_needs_the_current_one_and_signs_out_other_devices(
    app: Starlette, cleo: TestClient, clock: MovableClock
) -> None:
    form = html(cleo.get("/account/password"))
    assert form.css_first("input[name=current]").attributes["autocomplete"] == "current-password"
    assert form.css_first("input[name=new]").attributes["autocomplete"] == "new-password"
    assert {i.attributes["type"] for i in form.css("input[name=current], input[name=new]")} == {
        "password"
    }
    phone = browser(app)
    wrong = post(cleo, "/account/password", current="not it", new="another long phrase 9")
    assert wrong.status_code == 400
    assert "not your current password" in error_text(wrong)
    empty = post(cleo, "/account/password", current="", new="")
    assert "Enter your current password" in error_text(empty)
    hurried = post(cleo, "/account/password", current=PASSWORD, new="another long phrase 9")
    assert "try again in 1 s" in error_text(hurried)  # as at the sign-in page
    later(clock, 1)

    done = post(cleo, "/account/password", current=PASSWORD, new="another long phrase 9")
    assert done.status_code == 200
    assert "password is changed" in html(done).css_first(".notice").text()
    assert cleo.get("/", follow_redirects=False).status_code == 200
    assert phone.get("/", follow_redirects=False).headers["location"] == "/sign-in?next=/"


def test_two_step_shows_a_qr_code_and_the_codes_only_once(
    cleo: TestClient, clock: MovableClock
) -> None:
    page = html(cleo.get("/account/two-step"))
    secret = page.css_first("input[name=secret]").attributes["value"]
    assert page.css_first(".two-step-qr svg title") is not None
    assert page.css_first("code.secret").text() == secret
    assert page.css_first("input[name=password]").attributes["type"] == "password"

    wrong = post(cleo, "/account/two-step", secret=secret, code="12345x", password=PASSWORD)
    assert wrong.status_code == 400
    assert "not the code your app shows" in error_text(wrong)
    kept = html(wrong).css_first("input[name=secret]").attributes["value"]
    assert kept == secret  # the app scanned it already

    later(clock)
    secret, codes = turn_on_two_step(cleo, clock)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert html(cleo.get("/account")).css_first(".two-step-status").text() == (
        "On, with 10 unused recovery codes"
    )
    again = cleo.get("/account/two-step")
    assert not any(code in again.text for code in codes)
    assert html(again).css_first("form[action='/account/recovery-codes']") is not None


def test_new_recovery_codes_need_the_password(cleo: TestClient, clock: MovableClock) -> None:
    _, old = turn_on_two_step(cleo, clock)
    refused = post(cleo, "/account/recovery-codes", password="not it")
    assert refused.status_code == 400
    assert "not your current password" in html(refused).css_first("#codes-error").text()
    later(clock, 1)
    made = post(cleo, "/account/recovery-codes", password=PASSWORD)
    new = [node.text() for node in html(made).css("ol.codes code")]
    assert len(new) == 10
    assert not set(new) & set(old)


def test_a_recovery_code_signs_in_once_on_the_code_step(
    app: Starlette, cleo: TestClient, clock: MovableClock
) -> None:
    _, codes = turn_on_two_step(cleo, clock)
    phone = browser(app, None)
    asked = post(phone, "/sign-in", user_name="cleo", password=PASSWORD)
    assert html(asked).css_first("details.recovery input[name=recovery_code]") is not None
    signed = post(phone, "/sign-in", user_name="cleo", password=PASSWORD, recovery_code=codes[0])
    assert signed.status_code == 303
    assert phone.get("/", follow_redirects=False).status_code == 200

    later(clock)
    other = browser(app, None)
    again = post(other, "/sign-in", user_name="cleo", password=PASSWORD, recovery_code=codes[0])
    assert again.status_code == 400
    assert "recovery code is wrong or was used already" in error_text(again)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_the_devices_page_lists_and_ends_logins(app: Starlette, cleo: TestClient) -> None:
    phone = browser(app, user_agent="Phone browser")
    coach = browser(app, "cora")
    rows = html(cleo.get("/account/logins")).css("table.logins tbody tr")
    assert len(rows) == 2
    (this,) = [row for row in rows if "current" in row.attributes.get("class", "")]
    assert "(this one)" in this.text()
    (other,) = [row for row in rows if "current" not in row.attributes.get("class", "")]
    assert "Phone browser" in other.text()
    action = other.css_first("form").attributes["action"]

    assert post(cleo, action).headers["location"] == "/account/logins"
    assert phone.get("/", follow_redirects=False).status_code == 303  # at once
    assert len(html(cleo.get("/account/logins")).css("table.logins tbody tr")) == 1
    assert post(cleo, action).status_code == 404  # ended already
    assert coach.get("/account/two-step").status_code == 200


def test_another_accounts_login_answers_not_found(app: Starlette, cleo: TestClient) -> None:
    coach = browser(app, "cora")
    coach_page = html(coach.get("/account/two-step"))  # the coach may reach only this page
    assert coach_page.css_first("input[name=secret]") is not None
    services = app.state.context.services
    coach_actor = services.accounts.actor_for(coach.cookies.get("sirelief_login"))
    (login,) = [own.login for own in services.my_account.logins_of(coach_actor)]
    missing = post(cleo, f"/account/logins/{login.id}/end")
    unknown = post(cleo, "/account/logins/no-such-login/end")
    assert missing.status_code == unknown.status_code == 404
    assert html(missing).css_first("main").text() == html(unknown).css_first("main").text()
    assert coach.get("/account/two-step").status_code == 200
    assert post(cleo, "/account/logins/a%20b/end").status_code == 404


def test_sign_out_every_other_device(app: Starlette, cleo: TestClient) -> None:
    others = [browser(app) for _ in range(2)]
    done = post(cleo, "/account/logins/end-others")
    assert done.status_code == 200
    assert html(done).css_first(".notice").text() == "Signed out 2 other devices."
    assert all(o.get("/", follow_redirects=False).status_code == 303 for o in others)
    assert cleo.get("/", follow_redirects=False).status_code == 200


def test_a_coach_without_two_step_reaches_only_its_enrolment(
    app: Starlette, clock: MovableClock
) -> None:
    coach = browser(app, "cora")
    for path in ("/", "/history", "/account", "/account/logins", "/routines"):
        response = coach.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/account/two-step")
    assert post(coach, "/account/password", current=PASSWORD, new="x" * 20).status_code == 303
    json = coach.get("/", headers={"accept": "application/json"}, follow_redirects=False)
    assert json.status_code == 403
    assert "two-step" in json.json()["error"]
    page = html(coach.get("/account/two-step"))
    assert "Your role needs two-step sign-in" in page.css_first(".notice").text()
    assert page.css_first("nav") is None  # its links would lead back here
    stylesheet = page.css_first("link[rel=stylesheet]").attributes["href"]
    assert coach.get(stylesheet).status_code == 200

    turn_on_two_step(coach, clock)
    assert coach.get("/", follow_redirects=False).status_code == 200
    assert coach.get("/account", follow_redirects=False).status_code == 200


def test_a_coach_can_still_sign_out_before_enrolling(app: Starlette) -> None:
    coach = browser(app, "cora")
    assert post(coach, "/sign-out").headers["location"] == "/sign-in"
    assert coach.get("/account/two-step", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("form", "says"),
    [({"secret": "x" * 5000, "code": "123456", "password": PASSWORD}, "Secret:"),
     ({"code": "1" * 5000, "password": PASSWORD}, "Secret:"),
     ({"secret": "", "code": ""}, "Enter the code"),
     ({"secret": "ABC", "code": "123456", "password": "p" * 5000}, "Current password:")],
)  # fmt: skip
def test_hostile_two_step_forms_get_a_clear_answer(cleo: TestClient, form: dict, says: str) -> None:
    response = post(cleo, "/account/two-step", **form)
    assert response.status_code == 400
    assert says in error_text(response)


def test_every_account_form_needs_the_csrf_token(cleo: TestClient) -> None:
    for path in ("/account/password", "/account/two-step", "/account/recovery-codes",
                 "/account/logins/end-others", "/account/logins/x/end"):  # fmt: skip
        assert cleo.post(path, data={"password": PASSWORD}).status_code == 403
    assert len(html(cleo.get("/account/logins")).css("table.logins tbody tr")) == 1
