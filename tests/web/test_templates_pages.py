"""The coach's template pages, the assign form on a client's page, and what the client
sees of it: Today's "From your coach", the check-in's choice, the settings' reminders
(issue 18 item 2). Pages are read as parsed HTML."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from sirelief.settings import Settings
from tests.services.coaching_support import routine_text
from tests.web.access_world import World, build_world
from tests.web.web_support import csrf, html, post


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def upload(world: World, who: str, text: str, name: str = "hips.yaml", share: bool = False):
    form = {"csrf_token": csrf(world.clients[who])} | ({"shared": "on"} if share else {})
    return world.clients[who].post(
        "/templates", data=form, files={"file": (name, text.encode(), "text/yaml")},
        follow_redirects=False,
    )  # fmt: skip


def assign(world: World, template_id: str, **form):
    fields = {"template": template_id, "days": ["mon", "wed", "fri"], "moment": "morning",
              "note": "Go slowly on the left."} | form  # fmt: skip
    return post(world.clients["coach"], f"/clients/{world.client_id}/assignment", **fields)


def test_the_templates_page_lists_own_and_shared_templates(world: World) -> None:
    page = html(world.clients["coach"].get("/templates"))
    assert [a.text() for a in page.css("main .templates h2 a")] == ["Hips for Cleo"]
    assert "Yours" in page.css_first("main .templates .muted").text()
    idle = html(world.clients["idle_coach"].get("/templates"))
    assert "By ada" in idle.css_first("main .templates .muted").text()
    assert (
        html(world.clients["other_clinic_coach"].get("/templates")).css("main .templates h2") == []
    )


def test_an_upload_adds_a_version_and_the_old_one_stays_readable(world: World) -> None:
    response = upload(world, "coach", routine_text(name="Hips, longer"))
    assert response.status_code == 303
    assert response.headers["location"] == f"/templates/{world.template_id}?added=1"
    page = html(world.clients["coach"].get(f"/templates/{world.template_id}?added=1"))
    assert page.css_first("main h1").text() == "Hips, longer"
    assert "Saved as version 2" in page.css_first("main .notice").text()
    old = html(world.clients["coach"].get(f"/templates/{world.template_id}?version=1"))
    assert old.css_first("main h1").text() == "Hips for Cleo"
    assert "name: Hips for Cleo" in old.css_first("pre.routine-source").text()


def test_an_upload_with_problems_lists_each_with_its_file_and_line(world: World) -> None:
    bad = routine_text(exercise="no-such-exercise").replace("sides: both", "sides: sideways")
    response = upload(world, "coach", bad, name="bad.yaml")
    assert response.status_code == 400
    problems = [li.text() for li in html(response).css(".problems li")]
    assert len(problems) >= 2
    assert all("bad.yaml, line" in problem for problem in problems)
    no_file = post(world.clients["coach"], "/templates")
    assert no_file.status_code == 400
    assert "Choose a routine file" in html(no_file).css_first(".problems").text()


def test_sharing_is_the_authors_to_change(world: World) -> None:
    path = f"/templates/{world.template_id}/share"
    assert post(world.clients["coach"], path, shared="off").status_code == 303
    assert world.clients["idle_coach"].get(f"/templates/{world.template_id}").status_code == 404
    assert post(world.clients["idle_coach"], path, shared="on").status_code == 404
    assert post(world.clients["coach"], path, shared="on").status_code == 303
    refused = post(world.clients["idle_coach"], path, shared="off")
    assert refused.status_code == 400
    assert "only ada" in html(refused).css_first("main").text().lower()


def test_a_coach_assigns_and_the_client_sees_it_on_today(world: World) -> None:
    response = assign(world, world.template_id)
    assert response.status_code == 303
    page = html(world.clients["coach"].get(response.headers["location"]))
    section = page.css_first("#coach-routine")
    assert "Hips for Cleo" in section.text()
    assert "Mondays, Wednesdays and Fridays, in the morning" in section.text()
    today = html(world.clients["client"].get("/"))
    panel = today.css_first(".from-coach")
    assert panel.css_first("h2").text() == "From your coach"
    assert panel.css_first(".coach-schedule strong").text() == (
        "Mondays, Wednesdays and Fridays, in the morning"
    )
    assert "ada" in panel.text()
    assert panel.css_first(".coach-note").text().strip().startswith("Go slowly on the left.")
    checkin = html(world.clients["client"].get("/checkin"))
    chosen = checkin.css_first("select#routine option[selected]")
    assert chosen.attributes["value"] == "hips-for-cleo"
    assert "(from your coach)" in chosen.text()


def test_a_later_version_changes_nothing_until_assigned_again(world: World) -> None:
    assign(world, world.template_id)
    upload(world, "coach", routine_text(name="Hips, changed"))
    today = html(world.clients["client"].get("/"))
    assert "Hips for Cleo" in today.css_first(".from-coach").text()
    assign(world, world.template_id, days=["sat"], moment="at", time="07:30")
    today = html(world.clients["client"].get("/"))
    assert "Hips, changed" in today.css_first(".from-coach").text()
    assert today.css_first(".coach-schedule strong").text() == "Saturdays, at 07:30"
    history = html(world.clients["coach"].get(f"/clients/{world.client_id}"))
    assert "Earlier assignments (1)" in history.css_first("#coach-routine details").text()


def test_the_settings_page_says_the_reminders_follow_the_coach(world: World) -> None:
    assert html(world.clients["client"].get("/settings")).css_first("#coach-reminders") is None
    assign(world, world.template_id)
    note = html(world.clients["client"].get("/settings")).css_first("#coach-reminders")
    assert "Mondays, Wednesdays and Fridays, in the morning" in note.text()
    assert "08:00" in note.text()
    calendar = world.clients["client"].get("/settings/calendar.ics").text
    assert "BYDAY=MO,WE,FR" in calendar


@pytest.mark.parametrize(
    ("form", "field_words"),
    [
        ({"days": []}, "Days: choose at least one"),
        ({"days": ["funday"]}, "is not a day"),
        ({"moment": "midnight"}, "Moment of the day"),
        ({"moment": "at", "time": "99:99"}, "Time: write it as HH:MM"),
        ({"note": "x" * 1200}, "Note: keep it to 1000"),
        ({"template": "../../etc"}, "Template: choose"),
        ({"version": "abc"}, "Version: choose"),
        ({"version": "42"}, "Version: choose"),
    ],
)
def test_a_bad_assign_form_says_which_field_to_fix(world: World, form, field_words) -> None:
    response = assign(world, world.template_id, **form)
    assert response.status_code == 400
    assert field_words in html(response).css_first("#coach-routine .error").text()
    assert html(world.clients["client"].get("/")).css_first(".from-coach") is None


def test_a_coach_of_the_client_only_and_never_the_admin_assigns(world: World) -> None:
    path = f"/clients/{world.client_id}/assignment"
    fields = {"template": world.template_id, "days": ["mon"], "moment": "morning"}
    assert post(world.clients["idle_coach"], path, **fields).status_code == 404
    assert post(world.clients["other_clinic_coach"], path, **fields).status_code == 404
    assert post(world.clients["admin"], path, **fields).status_code == 403
    admin_view = html(world.clients["admin"].get(f"/clients/{world.client_id}"))
    assert admin_view.css_first("#coach-routine") is not None
    assert admin_view.css_first(".assign-form") is None


def test_an_earlier_version_can_be_assigned_by_its_number(world: World) -> None:
    upload(world, "coach", routine_text(name="Hips, second"))
    assert assign(world, world.template_id, version="1").status_code == 303
    assert "Hips for Cleo" in html(world.clients["client"].get("/")).css_first(".from-coach").text()
    form = html(world.clients["coach"].get(f"/clients/{world.client_id}")).css_first(".assign-form")
    checked = [box.attributes["value"] for box in form.css("input[name=days][checked]")]
    assert checked == ["mon", "wed", "fri"]  # the form starts from what Cleo has now
