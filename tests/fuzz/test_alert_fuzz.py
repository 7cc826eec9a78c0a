"""Hostile input to the coach's alert forms (issue 18 item 4): the dismiss button's alert
id and the client in its path, and the settings' days and email, as every kind of
account, on SQLite and PostgreSQL. Never a 5xx or a traceback, nothing written when
refused, and a refusal names the field and the fix."""

from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import strategies as fuzz
from tests.fuzz.clinic_harness import SIGNED_IN, ClinicTarget
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine
from tests.web.web_support import csrf, html, start_session

pytestmark = pytest.mark.fuzz
FUZZ = settings.get_profile("fuzz")
COACHES = ("coach", "idle_coach", "other_clinic_coach")
FIELD_WORDS = {"inactive_days": "Days without a session", "email": "Email for alerts"}


class AlertTarget:
    """A clinic whose coach has open alerts about Cleo and Cora."""

    def __init__(self, clinic: ClinicTarget) -> None:
        self.clinic = clinic
        world = clinic.world
        world.services.accounts.assign("ada", "cora")
        start_session(clinic.clients["client"], pain="9")
        start_session(clinic._signed_in("other_client"), pain="10")
        coach = clinic.clients["coach"]
        self.alert_ids = [i.attributes["value"]
                          for i in html(coach.get("/")).css("input[name=alert]")]  # fmt: skip
        assert len(self.alert_ids) == 2

    def dismiss(self, who: str, client_id: str, form: dict) -> list[str]:
        clinic = self.clinic
        client = clinic.clients[who]
        address = f"/clients/{quote(client_id, safe='')}/alerts/dismiss"
        data = {**form, "csrf_token": csrf(client)}
        response, problems = clinic._write(client, f"as {who}", address, data=data)
        status = response.status_code
        if status not in (303, 400, 403, 404):
            problems.append(f"POST {address!r} as {who}: {status}")
        if status == 400 and "'alert' field" not in html(response).css_first("main").text():
            problems.append(f"POST {address!r} as {who}: a 400 that does not name the field")
        return problems

    def save_settings(self, who: str, form: dict) -> list[str]:
        clinic = self.clinic
        client = clinic.clients[who]
        data = {**form, "csrf_token": csrf(client)}
        response, problems = clinic._write(client, f"as {who}", "/alerts/settings", data=data)
        status = response.status_code
        if who not in COACHES:
            return problems + ([] if status == 403 else [f"settings as {who}: {status}"])
        if status == 400:
            shown = html(response).css_first("main").text()
            if not any(words in shown for words in FIELD_WORDS.values()):
                problems.append(f"settings refused {form!r} without naming a field")
        elif status == 303:
            page = html(client.get("/alerts/settings"))
            typed = {name: (form.get(name) or "").strip() for name in FIELD_WORDS}
            if typed["inactive_days"]:
                typed["inactive_days"] = str(int(typed["inactive_days"]))  # "007" is 7
            for name in FIELD_WORDS:
                kept = page.css_first(f"#{name}").attributes.get("value") or ""
                if kept != typed[name]:
                    problems.append(f"settings saved {form!r} but show {name}={kept!r}")
        else:
            problems.append(f"settings as {who}: {status}")
        return problems


def clinic_on(url: str | None, folder, stack: ExitStack) -> AlertTarget:
    clinic = ClinicTarget(folder, url)
    stack.callback(clinic.close)
    return AlertTarget(clinic)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def alerts(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlertTarget]:
    with ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            admin = postgres_admin_engine()
            stack.callback(admin.dispose)
            urls = fresh_postgres_url(admin, "sirelief_alert_fuzz")
            url = next(urls)
            stack.callback(urls.close)
        yield clinic_on(url, tmp_path_factory.mktemp("alerts") / "data", stack)


def alert_ids(target: AlertTarget) -> st.SearchStrategy[str]:
    return st.one_of(fuzz.object_id(target.alert_ids), fuzz.hostile_text(max_size=80))


@settings(FUZZ)
@given(data=st.data(), who=st.sampled_from(SIGNED_IN))
def test_dismiss_with_hostile_ids(alerts: AlertTarget, data, who: str) -> None:
    client_id = data.draw(alerts.clinic.strategies["client_id"])
    form = data.draw(st.fixed_dictionaries({}, optional={"alert": alert_ids(alerts)}))
    assert alerts.dismiss(who, client_id, form) == []


days = st.one_of(st.integers(-5, 400).map(str), fuzz.hostile_text(max_size=20), st.just(""))
emails = st.one_of(
    st.emails().map(str), fuzz.hostile_text(max_size=300), st.just(""),
    st.sampled_from(["sam@example.org\r\nBcc: x@evil.example", "sam@example.org\x00",
                     "a" * 250 + "@example.org", " sam@example.org "]),
)  # fmt: skip


settings_forms = st.fixed_dictionaries({}, optional={"inactive_days": days, "email": emails})


@settings(FUZZ)
@given(who=st.sampled_from(SIGNED_IN), form=settings_forms)
def test_alert_settings_with_hostile_values(alerts: AlertTarget, who: str, form: dict) -> None:
    assert alerts.save_settings(who, form) == []
