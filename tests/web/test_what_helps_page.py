"""What helps across a coach's clients (issue 18, item 8): pooled from the clients the
coach follows, shown to that coach only."""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pytest

from sirelief.services.demo import fill_demo
from sirelief.settings import Settings
from sirelief.storage.schema import CoachAssignmentRow
from tests.web.access_world import PASSWORD, World, build_world
from tests.web.web_support import html


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Coach Ada follows Cleo and two more clients, each with eight weeks of made-up
    sessions (the demo person: the smashed hip loosens clearly more than the waiting
    one); Cora, whom Ada does not follow, has sessions too."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("what-helps"), database_url=None)
    with ExitStack() as stack:
        world = build_world(settings, stack)
        accounts = world.services.accounts
        coach = world.actors["coach"]
        extra = [accounts.add_user("client", name, PASSWORD, clinic="Riverside") for name in
                 ("cal", "cyd")]  # fmt: skip
        with world.services.database.write() as tx:
            tx.add_all(CoachAssignmentRow(coach_id=coach.user_id, client_id=a.id) for a in extra)
        profiles = [world.actors["client"].profile_id, world.actors["other_client"].profile_id]
        profiles += [a.profile_id for a in accounts.accounts_with_ids([a.id for a in extra])]
        end = world.clock() - timedelta(days=1)
        for seed, profile in enumerate(profiles):
            fill_demo(world.services.for_profile(profile), weeks=8, seed=seed, end=end, force=True)
        yield world


def blocks(page) -> dict[str, str]:
    return {
        card.css_first("h3").text(): card.css_first("p").text()
        for card in page.css("main section.effect-card")
    }


def test_a_coach_sees_each_block_pooled_over_the_clients_they_follow(world: World) -> None:
    page = html(world.clients["coach"].get("/what-helps"))
    assert "the 3 clients you follow" in page.css_first("main .lead").text()
    found = blocks(page)
    hip = next(text for title, text in found.items() if title.endswith(": hip tightness"))
    assert hip.startswith("Felt less tight.")
    assert "across 3 clients" in hip
    assert "than the side that waited (95% interval" in hip
    # each client's own average, listed for their coach: Ada's three, never Cora
    names = {a.text() for a in page.css("main section.effect-card table a")}
    assert names == {"cleo", "cal", "cyd"}
    assert page.css_first("#across-clients-heading") is not None
    assert "does not replace your clinical judgement" in page.css_first("main").text()


def test_a_coach_whose_clients_have_no_sessions_is_told_so(world: World) -> None:
    page = html(world.clients["other_clinic_coach"].get("/what-helps"))
    assert page.css_first("main h2").text() == "Nothing to pool yet"
    assert page.css("main section.effect-card") == []


@pytest.mark.parametrize(("who", "status"), [("client", 403), ("admin", 403), ("anonymous", 303)])
def test_nobody_but_a_coach_reaches_it(world: World, who: str, status: int) -> None:
    answer = world.clients[who].get("/what-helps", follow_redirects=False)
    assert answer.status_code == status
    assert "cleo" not in answer.text


def test_a_span_not_offered_is_named_and_the_default_shown(world: World) -> None:
    answer = world.clients["coach"].get("/what-helps?weeks=7")
    assert answer.status_code == 400
    assert (
        "Choose one of 12, 26, 52, 104 weeks; showing 26."
        in html(answer).css_first("main .error").text()
    )


def test_only_a_coach_has_it_in_the_menu(world: World) -> None:
    menu = [a.text() for a in html(world.clients["coach"].get("/")).css("nav a")]
    assert "Effects" in menu
    admin_menu = [a.text() for a in html(world.clients["admin"].get("/")).css("nav a")]
    assert "Effects" not in admin_menu
