"""A coach's and an admin's pages in clinic mode: the clients they follow, and a client's
sessions read (never run) by their coach."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from sirelief.settings import Settings
from tests.web.access_world import World, build_world
from tests.web.web_support import html


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def names_listed(world: World, who: str) -> list[str]:
    page = html(world.clients[who].get("/"))
    return [link.text() for link in page.css("main h2 a")]


def test_a_coach_sees_only_the_clients_they_follow(world: World) -> None:
    assert names_listed(world, "coach") == ["cleo"]
    assert names_listed(world, "other_clinic_coach") == ["dan"]
    assert names_listed(world, "idle_coach") == []
    assert "No clients are assigned to you yet" in world.clients["idle_coach"].get("/").text


def test_the_admin_sees_every_clinics_clients_with_their_clinic(world: World) -> None:
    assert sorted(names_listed(world, "admin")) == ["cleo", "cora", "dan"]
    assert "Hillside" in world.clients["admin"].get("/").text


def test_staff_menus_lead_to_clients_not_to_a_check_in(world: World) -> None:
    menu = [a.text() for a in html(world.clients["coach"].get("/")).css("nav a")]
    assert menu == ["Clients", "Templates", "Effects", "Invite", "Exercises", "Routines"]
    client_menu = [a.text() for a in html(world.clients["client"].get("/")).css("nav a")]
    assert "Check-in" in client_menu


def test_a_coach_reads_a_clients_sessions_but_cannot_start_them(world: World) -> None:
    coach = world.clients["coach"]
    client_page = html(coach.get(f"/clients/{world.client_id}"))
    links = [a.attributes["href"] for a in client_page.css("main .session-rows a")]
    assert links == [f"/sessions/{world.session_id}"]
    plan = html(coach.get(f"/sessions/{world.session_id}"))
    assert plan.css_first("form.start-form") is None
    assert "Only they can start it" in plan.css_first("main").text()
    own_plan = html(world.clients["client"].get(f"/sessions/{world.session_id}"))
    assert own_plan.css_first("form.start-form") is not None


def test_a_coachs_reads_are_in_the_clients_who_looked_and_the_clients_own_are_not(
    world: World,
) -> None:
    audit = world.services.audit
    before = audit.who_looked(world.actors["client"])
    world.clients["client"].get(f"/sessions/{world.session_id}")
    assert audit.who_looked(world.actors["client"]) == before
    world.clients["coach"].get(f"/sessions/{world.session_id}")
    world.clients["coach"].get(f"/sessions/{world.session_id}")  # the same read, collapsed
    world.clients["other_clinic_coach"].get(f"/sessions/{world.session_id}")  # refused: 404
    looks = audit.who_looked(world.actors["client"])
    new = looks[: len(looks) - len(before)]
    assert [(look.actor_name, look.action, look.object) for look in new] == [
        ("ada", "read", f"sessions/{world.session_id}")
    ]
    page = world.clients["client"].get("/account/who-looked").text
    assert "ada" in page
