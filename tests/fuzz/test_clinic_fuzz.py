"""Hostile input to what only clinic mode serves: signing in and out, a password-reset
link, the coach's and admin's pages, and a client's session routes behind the access table,
as every kind of account. Never a 5xx or a traceback, nothing written when refused, never
a redirect to another site (tests/fuzz/clinic_harness.py)."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.clinic_harness import (
    ACCOUNT_FORMS,
    COOKIE_PROBES,
    SESSION_PAGES,
    SESSION_WRITES,
    SHEET_PAGES,
    SIGNED_IN,
    STAFF_PAGES,
    TEMPLATE_ROUTES,
    ClinicTarget,
    csrf_tokens,
)
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine
from tests.web.access_world import PASSWORD

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicTarget]:
    """One installation for the module: building it signs seven people in (Argon2)."""
    target = ClinicTarget(tmp_path_factory.mktemp("clinic") / "data")
    yield target
    target.close()


@pytest.fixture(scope="module")
def clinic_on_postgresql(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicTarget]:
    with ExitStack() as stack:
        admin = postgres_admin_engine()
        stack.callback(admin.dispose)
        urls = fresh_postgres_url(admin, "sirelief_fuzz")
        url = next(urls)
        stack.callback(urls.close)
        target = ClinicTarget(tmp_path_factory.mktemp("clinic_pg") / "data", url)
        stack.callback(target.close)
        yield target


@pytest.fixture
def token(clinic: ClinicTarget) -> str:
    return clinic.token


@settings(FUZZ)
@given(next_value=fuzz.next_target())
def test_sign_in_page_keeps_next_on_this_site(clinic: ClinicTarget, next_value: str) -> None:
    assert clinic.sign_in_page(next_value) == []


@settings(FUZZ)
@given(data=st.data(), wait_out_delay=st.booleans())
def test_sign_in_form(clinic: ClinicTarget, token: str, data, wait_out_delay: bool) -> None:
    form = data.draw(clinic.strategies["sign_in"])
    assert clinic.sign_in(form, data.draw(csrf_tokens(token)), wait_out_delay) == []


@settings(FUZZ)
@given(data=st.data(), wait_out_delay=st.booleans())
def test_sign_in_form_on_postgresql(clinic_on_postgresql: ClinicTarget, data, wait_out_delay):
    """What a sign-in stores (failures under the name, the browser's name) is hostile text:
    PostgreSQL refuses a NUL and over-long values where SQLite keeps them."""
    clinic = clinic_on_postgresql
    form = data.draw(clinic.strategies["sign_in"])
    assert clinic.sign_in(form, data.draw(csrf_tokens(clinic.token)), wait_out_delay) == []


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 15))
@given(data=st.data())
def test_sign_out(clinic: ClinicTarget, token: str, data) -> None:
    extra = data.draw(st.dictionaries(st.sampled_from(["next", "x"]), fuzz.hostile_text()))
    assert clinic.sign_out(data.draw(csrf_tokens(token)), extra) == []


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN), page=st.sampled_from(STAFF_PAGES))
def test_coach_and_admin_pages(clinic: ClinicTarget, data, who: str, page: str) -> None:
    client_id = data.draw(clinic.strategies["client_id"])
    query = data.draw(clinic.strategies["query"])
    assert clinic.staff_page(who, page, client_id, query) == []


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN),
       route=st.sampled_from(SESSION_PAGES + SESSION_WRITES))  # fmt: skip
def test_session_routes_with_hostile_ids(clinic: ClinicTarget, data, who: str, route: str):
    session_id = data.draw(clinic.strategies["session_id"])
    body = data.draw(clinic.strategies["events" if route.endswith("/events") else "act"])
    assert clinic.session_route(who, route, session_id, body) == []


FORM_FIELDS = ["clinic", "code", "current", "new", "password", "role", "secret", "x", "link",
               "replace", "note"]  # fmt: skip


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN), route=st.sampled_from(ACCOUNT_FORMS))
def test_account_and_invitation_forms_with_hostile_fields(
    clinic: ClinicTarget, data, who: str, route: str
) -> None:
    some_id = data.draw(clinic.strategies["client_id"])
    form = data.draw(st.dictionaries(st.sampled_from(FORM_FIELDS), fuzz.hostile_text()))
    assert clinic.account_form(who, route, some_id, form) == []


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN))
def test_the_assign_form_with_hostile_fields(clinic: ClinicTarget, data, who: str) -> None:
    """Days, moment, time, note, template and version ids, and the client id in the path."""
    client_id = data.draw(st.one_of(st.just(clinic.world.client_id),
                                    clinic.strategies["client_id"]))  # fmt: skip
    form = data.draw(clinic.strategies["assign"])
    assert clinic.assignment(who, client_id, form) == []


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 30))
@given(data=st.data())
def test_the_assign_form_on_postgresql(clinic_on_postgresql: ClinicTarget, data) -> None:
    """The note and the days are stored: PostgreSQL refuses a NUL where SQLite keeps it."""
    clinic = clinic_on_postgresql
    form = data.draw(clinic.strategies["assign"])
    assert clinic.assignment("coach", clinic.world.client_id, form) == []


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN), route=st.sampled_from(TEMPLATE_ROUTES))
def test_template_routes_with_hostile_ids(clinic: ClinicTarget, data, who: str, route) -> None:
    template_id = data.draw(clinic.strategies["template_id"])
    form = data.draw(clinic.strategies["share"])
    assert clinic.template_route(who, route, template_id, form) == []


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN), page=st.sampled_from(SHEET_PAGES))
def test_sheet_pages_with_hostile_queries(clinic: ClinicTarget, data, who: str, page: str):
    """A real template's and routine's printable sheet and PDF, ``version`` and ``paper``
    hostile: never a 5xx, and a 400 names the parameter."""
    assert clinic.sheet(who, page, data.draw(clinic.strategies["sheet_query"])) == []


@settings(FUZZ)
@given(data=st.data(), probe=st.sampled_from(COOKIE_PROBES))
def test_login_cookies_no_login_has(clinic: ClinicTarget, data, probe) -> None:
    method, page = probe
    assert clinic.login_cookie(data.draw(clinic.strategies["cookie"]), method, page) == []


@settings(FUZZ)
@given(data=st.data(), real_link=st.booleans(), method=st.sampled_from(["GET", "POST"]))
def test_password_reset_form(clinic: ClinicTarget, token: str, data, real_link, method) -> None:
    form = data.draw(clinic.strategies["reset"])
    link_token = data.draw(fuzz.hostile_text(max_size=80))
    csrf_token = data.draw(csrf_tokens(token))
    assert clinic.password_reset(real_link, link_token, method, form, csrf_token) == []


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 20))
@given(data=st.data())
def test_signing_in_leads_to_next_only_on_this_site(clinic: ClinicTarget, data) -> None:
    form = data.draw(clinic.strategies["right_sign_in"])
    assert clinic.sign_in(form, clinic.token, wait_out_delay=True, expect=303) == []


def test_the_harness_catches_an_off_site_next(
    clinic: ClinicTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the sign-in page trusting ``next`` as sent, the same checks report it."""
    monkeypatch.setattr("sirelief.web.pages.account.local_path", lambda target: target or "/")
    form = {"user_name": "cleo", "password": PASSWORD, "next": "//evil.example"}
    assert "the form carries next='//evil.example'" in " ".join(
        clinic.sign_in_page("//evil.example")
    )
    assert "redirects off-site to '//evil.example'" in " ".join(
        clinic.sign_in(form, clinic.token, wait_out_delay=True)
    )


def test_the_reset_probe_sees_a_good_link_work_once(clinic: ClinicTarget) -> None:
    """The probe's success path: the real link with a good password answers 303, the link
    is spent and a new one made; a second probe with the new link works as well."""
    form = {
        "password": "a brand new phrase for dan",
        "password_again": "a brand new phrase for dan",
    }
    first = clinic.world.reset_token
    assert clinic.password_reset(True, "", "POST", form, clinic.token) == []
    assert clinic.world.reset_token != first
    assert clinic.password_reset(True, "", "GET", {}, clinic.token) == []
    assert clinic.password_reset(False, first, "POST", form, clinic.token) == []  # spent: 404
    assert clinic.accounts.sign_in("dan", PASSWORD)  # the probe gave Dan his password back
