"""Invitation pages: a coach shows a link and its QR code once, the invited person joins on
their phone with their own password; a bad link says one thing (issue 17, ASVS 6.4.1)."""

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta

import pyotp
import pytest
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.clock import MovableClock
from tests.web.web_support import error_text, html, post

PASSWORD = "quiet meadow lantern 42"
NEW_PASSWORD = "harbour lights at dusk"
BASE = "http://127.0.0.1:8000"
STAFF_SECRET = pyotp.random_base32()
CANNOT_USE = "This invitation cannot be used (expired, used or unknown)"

Browser = Callable[[str | None], TestClient]


@pytest.fixture
def clinic_settings(settings: Settings, clock: MovableClock) -> Settings:
    services = Services(settings, clock)
    try:
        services.accounts.setup("ada", "admin passphrase for tests 7")
        services.accounts.add_clinic("Riverside")
        services.accounts.add_clinic("Hillside")
        for role, name, clinic in [("coach", "cora", "Riverside"), ("coach", "hugo", "Hillside"),
                                   ("client", "cleo", "Riverside")]:  # fmt: skip
            services.accounts.add_user(role, name, PASSWORD, clinic=clinic)
    finally:
        services.close()
    earlier = Services(settings, MovableClock(clock() - timedelta(minutes=5)))
    try:  # staff must have TOTP; enrolled earlier so the codes of now are unused
        for name in ("ada", "cora", "hugo"):
            earlier.accounts.enrol_totp(
                name, STAFF_SECRET, pyotp.TOTP(STAFF_SECRET).at(earlier.clock())
            )
    finally:
        earlier.close()
    return settings


@pytest.fixture
def browser(clinic_settings: Settings, clock: MovableClock) -> Iterator[Browser]:
    """``browser("cora")``: a browser signed in as cora; ``browser(None)``: nobody's."""
    app = create_app(clinic_settings, clock=clock)
    with ExitStack() as stack:

        def open_as(user_name: str | None) -> TestClient:
            client = stack.enter_context(TestClient(app, base_url=BASE))
            client.get("/sign-in")
            if user_name is not None:
                password = "admin passphrase for tests 7" if user_name == "ada" else PASSWORD
                code = ""
                if user_name in ("ada", "cora", "hugo"):
                    clock.set(clock() + timedelta(seconds=30))  # a code is good once
                    code = pyotp.TOTP(STAFF_SECRET).at(clock())
                signed = post(client, "/sign-in", user_name=user_name, password=password, code=code)
                assert signed.status_code == 303, signed.text
            return client

        yield open_as


def make_link(client: TestClient, **form) -> tuple[str, str]:
    """The join link shown once, and the invitation's own page."""
    made = post(client, "/invitations", **form)
    assert made.status_code == 201, made.text
    page = html(made)
    link = page.css_first("a.join-link").attributes["href"]
    assert page.css_first("a.join-link").text() == link
    (revoke,) = [f.attributes["action"] for f in page.css("form.revoke")]
    return link, revoke.removesuffix("/revoke")


def join(client: TestClient, link: str, **form) -> object:
    path = link.removeprefix(BASE)
    client.get(path)
    fields = {"user_name": "nell", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    return post(client, path, **{**fields, **form})


def test_a_coach_shows_a_link_and_qr_code_once(browser: Browser) -> None:
    cora = browser("cora")
    form = html(cora.get("/invitations"))
    assert form.css_first("nav a[aria-current=page]").attributes["href"] == "/invitations"
    assert form.css_first("select[name=role]") is None  # a coach invites clients only
    made = post(cora, "/invitations", role="client")
    assert made.status_code == 201
    assert made.headers["cache-control"] == "no-store"
    page = html(made)
    link = page.css_first("a.join-link").attributes["href"]
    token = link.rsplit("/", 1)[-1]
    assert link == f"{BASE}/join/{token}"
    svg = page.css_first("figure.invitation-code svg.invitation-qr")
    assert svg is not None
    assert svg.css_first("title").text() == "QR code of the invitation link"
    invitation_path = page.css_first("form.revoke").attributes["action"].removesuffix("/revoke")

    later = cora.get(invitation_path)
    assert later.status_code == 200
    assert token not in later.text
    assert html(later).css_first("main svg") is None  # no QR code (icons are outside main)
    assert "waiting to be used" in html(later).css_first(".state").text()
    listed = html(cora.get("/invitations"))
    assert [a.attributes["href"] for a in listed.css("table.pending a")] == [invitation_path]
    assert token not in cora.get("/invitations").text


def test_the_invited_person_chooses_a_password_and_lands_signed_in(browser: Browser) -> None:
    link, _ = make_link(browser("cora"), role="client")
    phone = browser(None)
    page = phone.get(link.removeprefix(BASE))
    assert page.status_code == 200
    assert html(page).css_first("h1").text() == "Join Riverside"
    assert html(page).css_first("input[name=password]").attributes["autocomplete"] == "new-password"

    differ = join(phone, link, password_again="harbour lights at dawn")
    assert differ.status_code == 400
    assert error_text(differ).strip().startswith("Not joined yet")
    assert "Password again: the two passwords differ" in error_text(differ)
    weak = join(phone, link, password="password1", password_again="password1")
    assert "common and breached" in error_text(weak)

    joined = join(phone, link, display_name="Nell Ode")
    assert joined.status_code == 303
    assert joined.headers["location"] == "/"
    assert phone.get("/", follow_redirects=False).status_code == 200
    nobody = browser(None)
    assert post(nobody, "/sign-in", user_name="nell", password=NEW_PASSWORD).status_code == 303


def test_used_revoked_expired_and_unknown_links_all_answer_the_same(
    browser: Browser, clock: MovableClock
) -> None:
    cora = browser("cora")
    used, _ = make_link(cora, role="client")
    join(browser(None), used)
    revoked, revoked_page = make_link(cora, role="client")
    assert post(cora, f"{revoked_page}/revoke").headers["location"] == "/invitations"
    expired, _ = make_link(cora, role="client")
    clock.set(clock() + timedelta(days=7))
    phone = browser(None)
    unknown = f"{BASE}/join/{'A' * 43}"
    bodies = set()
    for link in (used, revoked, expired, unknown, f"{BASE}/join/x"):
        for response in (phone.get(link.removeprefix(BASE)), join(phone, link, user_name="eve")):
            assert response.status_code == 404
            assert html(response).css_first(".error-summary p").text().startswith(CANNOT_USE)
            assert html(response).css_first("input[name=password]") is None
            bodies.add(error_text(response))
    assert len(bodies) == 1
    assert (
        post(browser(None), "/sign-in", user_name="eve", password=NEW_PASSWORD).status_code == 400
    )


def test_a_coach_of_another_clinic_meets_not_found(browser: Browser) -> None:
    _, invitation_path = make_link(browser("cora"), role="client")
    hugo = browser("hugo")
    unknown = hugo.get("/invitations/0123456789abcdef0123456789abcdef")
    other = hugo.get(invitation_path)
    assert (other.status_code, unknown.status_code) == (404, 404)
    assert html(other).css_first("main").text() == html(unknown).css_first("main").text()
    assert post(hugo, f"{invitation_path}/revoke").status_code == 404
    assert html(hugo.get("/invitations")).css_first("table.pending") is None
    cora_list = html(browser("cora").get("/invitations"))
    assert len(cora_list.css("table.pending tbody tr")) == 1  # still waiting


def test_a_coach_cannot_invite_a_coach_or_into_another_clinic(browser: Browser) -> None:
    cora = browser("cora")
    refused = post(cora, "/invitations", role="coach")
    assert refused.status_code == 403
    assert "A coach invites clients only" in error_text(refused)
    hillside = html(browser("ada").get("/invitations")).css("select[name=clinic] option")
    hillside_id = next(o.attributes["value"] for o in hillside if o.text() == "Hillside")
    made = post(cora, "/invitations", role="client", clinic=hillside_id)  # ignored for a coach
    assert made.status_code == 201
    assert "Riverside" in html(made).css_first(".invitation-facts").text()


def test_an_admin_invites_a_coach_to_a_chosen_clinic(browser: Browser) -> None:
    ada = browser("ada")
    options = html(ada.get("/invitations")).css("select[name=clinic] option")
    hillside = next(o.attributes["value"] for o in options if o.text() == "Hillside")
    link, _ = make_link(ada, role="coach", clinic=hillside)
    assert html(browser(None).get(link.removeprefix(BASE))).css_first("h1").text() == (
        "Join Hillside"
    )
    admin_role = post(ada, "/invitations", role="admin", clinic=hillside)
    assert admin_role.status_code == 400
    assert "Role: choose coach or client" in error_text(admin_role)
    assert post(ada, "/invitations", role="client", clinic="no-such").status_code == 404


def test_only_admins_and_coaches_reach_the_invitation_pages(browser: Browser) -> None:
    cleo = browser("cleo")
    assert html(cleo.get("/")).css_first("nav a[href='/invitations']") is None
    assert cleo.get("/invitations").status_code == 403
    assert post(cleo, "/invitations", role="client").status_code == 403
    anonymous = browser(None).get("/invitations", follow_redirects=False)
    assert anonymous.headers["location"] == "/sign-in?next=/invitations"


def test_personal_mode_has_no_invitations(client: TestClient) -> None:
    assert client.get("/invitations").status_code == 404  # personal mode: no such page
    assert client.get("/join/abc", follow_redirects=False).headers["location"] == "/"


def test_the_join_form_needs_its_csrf_token_and_echoes_input_escaped(browser: Browser) -> None:
    link, _ = make_link(browser("cora"), role="client")
    phone = browser(None)
    path = link.removeprefix(BASE)
    phone.get(path)
    form = {"user_name": "nell", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    no_token = phone.post(path, data=form, follow_redirects=False)
    assert no_token.status_code == 403
    hostile = join(phone, link, user_name="<b>nell</b>", display_name='"><script>x</script>')
    assert hostile.status_code == 400
    assert "User name: use 2 to 64" in error_text(hostile)
    assert "<script>x" not in hostile.text
    assert html(hostile).css_first("input[name=user_name]").attributes["value"] == "<b>nell</b>"
    assert join(phone, link).status_code == 303  # the link still works after refusals
