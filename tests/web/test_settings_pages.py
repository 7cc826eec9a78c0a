"""The settings page and the reminder calendar from the web (issue 19 items 3a, 4): a form
that works without JavaScript, errors that name the field and the fix, the check-in and
the session following what was saved, and the calendar's secret address."""

import json
from datetime import time
from zoneinfo import ZoneInfo

import icalendar
from starlette.testclient import TestClient

from sirelief.services import Services
from tests.web.test_my_account_pages import app as clinic_app  # noqa: F401 (a fixture)
from tests.web.test_my_account_pages import browser
from tests.web.web_support import html, post, start_session

GOOD = {"voice": "on", "voice_name": "Daniel", "time_zone": "Europe/London",
        "reminder_time": "07:30", "reminder_days": ["mon", "thu"],
        "equipment": ["mat", "wall", "strap"], "randomise_first_side": "on"}  # fmt: skip


def checked(doc, name: str) -> set[str]:
    return {box.attributes["value"] for box in doc.css(f"input[name={name}][checked]")}


def test_the_header_leads_to_settings_and_the_page_links_safety_and_data(client) -> None:
    today = html(client.get("/"))
    link = today.css_first("header a.settings-link")
    assert link.attributes["href"] == "/settings"
    assert link.text() == "Settings"
    assert "/settings" not in {a.attributes["href"] for a in today.css("nav[aria-label=Main] a")}
    doc = html(client.get("/settings"))
    assert doc.css_first("header a.settings-link").attributes["aria-current"] == "page"
    links = {a.attributes["href"] for a in doc.css("main a")}
    assert {"/safety/precautions", "/account/data", "/settings/calendar.ics"} <= links


def test_the_defaults_are_shown_before_anything_is_saved(client) -> None:
    doc = html(client.get("/settings"))
    assert "checked" in doc.css_first("input[name=sound]").attributes
    assert "checked" in doc.css_first("input[name=voice]").attributes
    assert checked(doc, "equipment") == {"mat"}
    assert checked(doc, "reminder_days") == set()
    assert doc.css_first("input[name=reminder_time]").attributes["value"] == "18:00"


def test_saved_settings_come_back_on_the_page(client) -> None:
    saved = post(client, "/settings", **GOOD)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/settings?saved=settings"
    doc = html(client.get(saved.headers["location"]))
    assert "Saved" in doc.css_first("p.notice").text()
    assert checked(doc, "equipment") == {"mat", "wall", "strap"}
    assert checked(doc, "reminder_days") == {"mon", "thu"}
    assert doc.css_first("input[name=time_zone]").attributes["value"] == "Europe/London"
    assert doc.css_first("input[name=reminder_time]").attributes["value"] == "07:30"
    assert doc.css_first("select[name=voice_name] option[selected]").attributes["value"] == "Daniel"
    assert "checked" not in doc.css_first("input[name=sound]").attributes  # unticked: off


def test_wrong_values_are_named_with_their_fix_and_nothing_is_saved(client) -> None:
    post(client, "/settings", **GOOD)
    wrong = {"time_zone": "America", "reminder_time": "7pm", "reminder_days": ["mon", "moon"]}
    refused = post(client, "/settings", **{**GOOD, **wrong})
    assert refused.status_code == 400
    doc = html(refused)
    summary = {a.attributes["href"]: a.text() for a in doc.css(".error-summary a")}
    assert set(summary) == {"#field-time_zone", "#field-reminder_time", "#field-reminder_days"}
    assert (
        "region, not a time zone; add the city, like America/New_York"
        in (summary["#field-time_zone"])
    )
    assert "HH:MM" in summary["#field-reminder_time"]
    assert "'moon' is not a day" in summary["#field-reminder_days"]
    for name in ("time_zone", "reminder_time", "reminder_days"):
        assert doc.css_first(f"#field-{name}") is not None
    assert doc.css_first("input[name=time_zone]").attributes["value"] == "America"  # kept
    assert doc.css_first("input[name=time_zone]").attributes["aria-invalid"] == "true"
    again = html(client.get("/settings"))
    assert again.css_first("input[name=time_zone]").attributes["value"] == "Europe/London"


def test_hostile_text_is_escaped_and_refused(client) -> None:
    refused = post(client, "/settings", time_zone="<script>alert(1)</script>",
                   voice_name="<b>x</b>\x07", reminder_time="18:00")  # fmt: skip
    assert refused.status_code == 400
    assert "<script>alert" not in refused.text
    assert "&lt;script&gt;" in refused.text


def test_the_form_needs_its_csrf_token(client) -> None:
    response = client.post("/settings", data=GOOD, follow_redirects=False)
    assert response.status_code == 403


def test_the_checkin_starts_with_the_saved_kit_and_first_side_choice(client) -> None:
    before = html(client.get("/checkin"))
    assert checked(before, "equipment") == {"mat"}
    assert "checked" not in before.css_first("input[name=randomise_first_side]").attributes
    post(client, "/settings", **GOOD)
    after = html(client.get("/checkin"))
    assert checked(after, "equipment") == {"mat", "wall", "strap"}
    assert "checked" in after.css_first("input[name=randomise_first_side]").attributes


def test_the_session_page_hands_the_sound_settings_to_its_script(client) -> None:
    post(client, "/settings", **{**GOOD, "voice": "", "sound": ""})
    session_id = start_session(client)
    doc = html(client.get(f"/sessions/{session_id}/run"))
    data = json.loads(doc.css_first("#session-data").text())
    assert data["sound"] == {"beeps": False, "voice": False, "voiceName": "Daniel"}


def ics_events(body: bytes) -> list:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_the_calendar_file_downloads_in_personal_mode(client) -> None:
    post(client, "/settings", **GOOD)
    response = client.get("/settings/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    [event] = ics_events(response.content)
    assert event["DTSTART"].dt.tzinfo == ZoneInfo("Europe/London")
    assert event["DTSTART"].dt.time() == time(7, 30)


def feed_path(response) -> str:
    url = html(response).css_first("#feed-url").text().strip()
    assert url.startswith("http://127.0.0.1:8000/calendar/")
    return url.removeprefix("http://127.0.0.1:8000")


def test_a_secret_address_is_shown_once_and_can_be_stopped(client) -> None:
    post(client, "/settings", **GOOD)
    made = post(client, "/settings/calendar")
    assert made.status_code == 200
    path = feed_path(made)
    assert path not in client.get("/settings").text  # shown only in the answer that made it
    stranger = TestClient(client.app, base_url="http://127.0.0.1:8000")
    feed = stranger.get(path)
    assert feed.status_code == 200
    assert len(ics_events(feed.content)) == 1
    assert "Stop the address" in client.get("/settings").text
    stopped = post(client, "/settings/calendar/revoke")
    assert stopped.headers["location"] == "/settings?saved=revoked"
    assert stranger.get(path).status_code == 404
    assert stranger.get("/calendar/not-a-token.ics").status_code == 404


def test_a_new_address_replaces_the_old_one(client) -> None:
    first = feed_path(post(client, "/settings/calendar"))
    second = feed_path(post(client, "/settings/calendar"))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


# --- clinic mode ------------------------------------------------------------------------
def test_a_client_keeps_their_own_settings_and_a_feed_opens_without_signing_in(
    clinic_app,  # noqa: F811
) -> None:
    with TestClient(clinic_app, base_url="http://127.0.0.1:8000") as anonymous:
        anonymous.get("/sign-in")
        cleo = browser(clinic_app, "cleo")
        assert post(cleo, "/settings", **GOOD).status_code == 303
        path = feed_path(post(cleo, "/settings/calendar"))
        assert (
            anonymous.get("/settings", follow_redirects=False)
            .headers["location"]
            .startswith("/sign-in")
        )
        feed = anonymous.get(path)
        assert feed.status_code == 200
        assert ics_events(feed.content)[0]["RRULE"]["BYDAY"] == ["MO", "TH"]
        coach = browser(clinic_app, "cora")
        assert "settings-link" not in coach.get("/").text
        assert coach.get("/settings", follow_redirects=False).status_code in (303, 403)


def test_a_voice_name_that_looks_like_markup_stays_text(client) -> None:
    name = "</script><script>alert(1)</script>"
    assert post(client, "/settings", **{**GOOD, "voice_name": name}).status_code == 303
    page = client.get("/settings")
    assert html(page).css_first("select[name=voice_name] option[selected]").text() == name
    assert "<script>alert(1)" not in page.text
    session_id = start_session(client)
    doc = html(client.get(f"/sessions/{session_id}/run"))
    assert json.loads(doc.css_first("#session-data").text())["sound"]["voiceName"] == name
    scripts = [(s.attributes.get("type"), s.attributes.get("src") or s.attributes.get("id"))
               for s in doc.css("script")]  # fmt: skip
    # the data, the timer and the worker's set-up: nothing injected
    modules = [src for kind, src in scripts if kind == "module"]
    assert ("application/json", "session-data") in scripts
    assert len(scripts) == 3
    assert len(modules) == 2
    assert all(src.startswith("/static/") for src in modules)


def test_a_first_side_at_random_draws_a_new_seed_each_check_in(client, settings) -> None:
    """Issue 19: the web check-in planned every randomised session with seed 0, so "at
    random" put the right side first every time; each check-in now draws its own seed,
    through the same Planning.options as ``sirelief plan``."""
    ids = [start_session(client, randomise_first_side="on", routine="kettlebell-smash-reset")
           for _ in range(6)]  # fmt: skip
    library = Services(settings)
    try:
        plans = [library.session_log.session(session_id).plan for session_id in ids]
    finally:
        library.close()
    assert len({plan.seed for plan in plans}) > 1
    for plan in plans:
        assert f"chosen at random (seed {plan.seed})" in " ".join(plan.reasons)
