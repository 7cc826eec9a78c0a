"""The page a password-reset link opens (issue 17, ASVS 6.4.3): the person chooses a new
password, every device of theirs is signed out, they sign in again (with their code app's
code if they have one); every link that does not open answers the same."""

from datetime import timedelta

import pyotp
import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.web.test_invitation_pages import (  # the clinic and its browsers
    BASE,
    PASSWORD,
    STAFF_SECRET,
    Browser,
    browser,  # noqa: F401
    clinic_settings,  # noqa: F401
)
from tests.web.web_support import error_text, html, post

NEW_PASSWORD = "harbour lights at dusk"
CANNOT_USE = "This password-reset link cannot be used (expired, used, replaced by a newer one"
LONGEST_DELAY = timedelta(seconds=61)
"""Past any slowing a bad link caused, so each try below is heard."""


@pytest.fixture
def make_link(clinic_settings: Settings, clock: MovableClock):  # noqa: F811
    """``make_link("cleo")``: the path of a new link, as ``sirelief users reset-password``."""

    def make(user_name: str) -> str:
        services = Services(clinic_settings, clock)
        try:
            token, _ = services.password_resets.make(user_name)
        finally:
            services.close()
        return services.password_resets.link(BASE, token).removeprefix(BASE)

    return make


def choose(client, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    return post(
        client, path, password=password, password_again=password if again is None else again
    )


def test_the_person_chooses_a_new_password_and_signs_in_with_it(
    browser: Browser,  # noqa: F811
    make_link,
    clock: MovableClock,
) -> None:
    signed_in = browser("cleo")
    path = make_link("cleo")
    phone = browser(None)
    page = phone.get(path)
    assert page.status_code == 200
    form = html(page).css_first("main form")
    assert form.attributes["action"] == path
    assert form.css_first("input[name=csrf_token]") is not None
    assert [i.attributes["autocomplete"] for i in form.css("input[type=password]")] == [
        "new-password", "new-password"
    ]  # fmt: skip

    differ = choose(phone, path, again="harbour lights at dawn")
    assert differ.status_code == 400
    assert "Password again: the two passwords differ" in error_text(differ)
    weak = choose(phone, path, "password1")
    assert weak.status_code == 400
    assert "common and breached" in error_text(weak)
    assert html(weak).css_first("input[name=password]") is not None  # try again

    done = choose(phone, path)
    assert done.status_code == 303
    assert done.headers["location"] == "/sign-in?password=changed"
    notice = html(phone.get(done.headers["location"])).css_first("p.notice").text()
    assert "Your password is changed and every device was signed out" in notice
    left = signed_in.get("/", follow_redirects=False)
    assert left.headers["location"].startswith("/sign-in")  # its login ended
    assert post(browser(None), "/sign-in", user_name="cleo", password=PASSWORD).status_code == 400
    clock.set(clock() + timedelta(seconds=1))  # that failure's delay
    again = post(browser(None), "/sign-in", user_name="cleo", password=NEW_PASSWORD)
    assert again.status_code == 303


def test_two_step_sign_in_is_still_asked_after_a_reset(
    browser: Browser,  # noqa: F811
    make_link,
    clock: MovableClock,
) -> None:
    path = make_link("cora")
    phone = browser(None)
    phone.get(path)
    assert choose(phone, path).status_code == 303
    asked = post(phone, "/sign-in", user_name="cora", password=NEW_PASSWORD)
    assert asked.status_code == 200
    assert html(asked).css_first("input[name=code]") is not None
    clock.set(clock() + timedelta(seconds=30))
    code = pyotp.TOTP(STAFF_SECRET).at(clock())
    signed = post(phone, "/sign-in", user_name="cora", password=NEW_PASSWORD, code=code)
    assert signed.status_code == 303


def test_used_voided_expired_and_unknown_links_all_answer_the_same(
    browser: Browser,  # noqa: F811
    make_link,
    clock: MovableClock,
) -> None:
    used = make_link("cleo")
    phone = browser(None)
    assert choose(phone, used).status_code == 303
    voided = make_link("cleo")
    make_link("cleo")
    expired = make_link("cora")
    clock.set(clock() + timedelta(hours=24))
    bodies = set()
    for path in (used, voided, expired, f"/password-reset/{'A' * 43}", "/password-reset/x"):
        for send in (phone.get, lambda p: choose(phone, p)):
            clock.set(clock() + LONGEST_DELAY)
            response = send(path)
            assert response.status_code == 404
            assert html(response).css_first(".error-summary p").text().startswith(CANNOT_USE)
            assert html(response).css_first("input[name=password]") is None
            bodies.add(error_text(response))
    assert len(bodies) == 1


def test_bad_links_are_slowed_per_address(browser: Browser, make_link) -> None:  # noqa: F811
    phone = browser(None)
    assert phone.get("/password-reset/not-a-link").status_code == 404
    good = make_link("cleo")
    waited = phone.get(good)
    assert waited.status_code == 429
    assert waited.headers["retry-after"] == "1"
    assert "Wait a moment" in error_text(waited)
    assert "Too many links that do not open came from here: try again in 1 s" in error_text(waited)
    assert choose(phone, good).status_code == 429
    signed = post(browser(None), "/sign-in", user_name="cleo", password=PASSWORD)
    assert signed.status_code == 303  # signing in from the same address is not slowed


def test_the_form_needs_its_csrf_token_and_a_refusal_keeps_the_link(
    browser: Browser,  # noqa: F811
    make_link,
) -> None:
    path = make_link("cleo")
    phone = browser(None)
    phone.get(path)
    form = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert phone.post(path, data=form, follow_redirects=False).status_code == 403
    assert choose(phone, path, "short", "short").status_code == 400
    assert choose(phone, path).status_code == 303


def test_personal_mode_has_no_reset_page(client) -> None:
    assert client.get("/password-reset/abc", follow_redirects=False).headers["location"] == "/"
