"""A coach's alerts on their client list (issue 18 item 4): shown once, newest first, the
clients they are about listed first, dismissed by POST with who and when recorded, and the
coach's own settings page."""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pytest

from sirelief.settings import Settings
from tests.web.access_world import World, build_world
from tests.web.web_support import csrf, html, post, start_session


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        world = build_world(settings, stack)
        world.services.accounts.assign("ada", "cora")
        yield world


def alerts_shown(world: World, who: str = "coach") -> list[dict]:
    page = html(world.clients[who].get("/"))
    return [
        {
            "client": item.css_first(".alert-who a").text(),
            "href": item.css_first(".alert-who a").attributes["href"],
            "says": item.css_first(".alert-what").text(),
            "alert": item.css_first("input[name=alert]").attributes["value"],
            "action": item.css_first("form").attributes["action"],
        }
        for item in page.css("#alerts .alert-item")
    ]


def clients_listed(world: World, who: str = "coach") -> list[str]:
    return [a.text() for a in html(world.clients[who].get("/")).css("main .history h2 a")]


def test_pain_of_9_shows_one_alert_and_its_client_comes_first(world: World) -> None:
    assert alerts_shown(world) == []
    assert clients_listed(world) == ["cleo", "cora"]
    start_session(world.clients["other_client"], pain="9")  # cora
    start_session(world.clients["other_client"], pain="9")  # a second check-in: its own
    shown = alerts_shown(world)
    assert [a["client"] for a in shown] == ["cora", "cora"]
    assert shown[0]["says"] == "They gave their pain as 9 out of 10 before a session."
    assert shown[0]["href"] == f"/clients/{world.actors['other_client'].user_id}"
    assert clients_listed(world) == ["cora", "cleo"]
    assert "2 open alerts" in html(world.clients["coach"].get("/")).css_first(".history").text()
    assert alerts_shown(world) == shown  # opened again: the same alerts, no more
    assert alerts_shown(world, "idle_coach") == []
    assert alerts_shown(world, "other_clinic_coach") == []


def test_dismissing_records_who_and_when_and_hides_it(world: World) -> None:
    start_session(world.clients["client"], pain="8")
    [alert] = alerts_shown(world)
    coach = world.clients["coach"]
    response = post(coach, alert["action"], alert=alert["alert"])
    assert response.status_code == 303
    assert response.headers["location"] == "/?dismissed=1#alerts"
    assert alerts_shown(world) == []
    assert "Dismissed" in html(coach.get("/?dismissed=1")).css_first("#alerts").text()
    [line] = [e for e in world.services.accounts.audit_log() if e.action == "alert dismissed"]
    assert (line.actor_id, line.subject_account_id) == (
        world.actors["coach"].user_id, world.client_id,
    )  # fmt: skip
    assert post(coach, alert["action"], alert=alert["alert"]).status_code == 404  # once


def test_dismissing_refuses_others_and_bad_ids_without_a_server_error(world: World) -> None:
    start_session(world.clients["client"], pain="8")
    [alert] = alerts_shown(world)
    other = world.clients["other_clinic_coach"]
    assert post(other, alert["action"], alert=alert["alert"]).status_code == 404
    idle = world.clients["idle_coach"]
    assert post(idle, alert["action"], alert=alert["alert"]).status_code == 404
    cora = f"/clients/{world.actors['other_client'].user_id}/alerts/dismiss"
    assert post(world.clients["coach"], cora, alert=alert["alert"]).status_code == 404
    missing = post(world.clients["coach"], alert["action"])
    assert missing.status_code == 400
    assert "'alert' field" in html(missing).css_first("main").text()
    assert post(world.clients["coach"], alert["action"], alert="0" * 32).status_code == 404
    no_token = world.clients["coach"].post(alert["action"], data={"alert": alert["alert"]})
    assert no_token.status_code == 403
    assert len(alerts_shown(world)) == 1


def test_days_without_a_session_appear_when_the_coach_opens_the_list(world: World) -> None:
    world.clock.set(world.clock() + timedelta(days=8))
    world.sign_in("coach")  # the old login has expired
    shown = alerts_shown(world)
    assert sorted(a["client"] for a in shown) == ["cleo", "cora"]
    # Cleo's session was planned, never started: it does not count as a session done.
    assert {a["says"] for a in shown} == {"No session yet, 7 days or more after joining."}


def test_the_settings_page_names_each_problem_and_saves(world: World) -> None:
    coach = world.clients["coach"]
    page = html(coach.get("/alerts/settings"))
    assert page.css_first("#inactive_days").attributes["value"] == "7"
    bad = post(coach, "/alerts/settings", inactive_days="0", email="sam at example")
    assert bad.status_code == 400
    errors = [e.text() for e in html(bad).css("main p.error")]
    assert errors[0].startswith("Days without a session:")
    assert errors[1].startswith("Email for alerts:")
    assert html(bad).css_first("#email").attributes["value"] == "sam at example"
    good = post(coach, "/alerts/settings", inactive_days="", email="ada@example.org")
    assert good.status_code == 303
    saved = html(coach.get(good.headers["location"]))
    assert saved.css_first("#inactive_days").attributes["value"] == ""
    assert saved.css_first("#email").attributes["value"] == "ada@example.org"
    assert "no mail server set up" in saved.css_first("main").text()
    world.clock.set(world.clock() + timedelta(days=30))
    world.sign_in("coach")
    assert html(coach.get("/")).css_first("#alerts") is not None
    assert alerts_shown(world) == []  # N days turned off


def test_only_a_coach_has_alert_settings(world: World) -> None:
    assert world.clients["admin"].get("/alerts/settings").status_code == 403
    assert world.clients["client"].get("/alerts/settings").status_code == 403
    assert csrf(world.clients["coach"])
