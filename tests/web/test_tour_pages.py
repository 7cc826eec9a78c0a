"""The first-run tour (issue 19, item 6): three screens before the first Today, a way out on
each, never again once finished or skipped; a clinic's clients take it, staff never do, the
demo never shows it."""

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.web.access_world import PASSWORD, build_world
from tests.web.web_support import html, post, start_session

SCREENS = ("/welcome", "/welcome/safety", "/welcome/compare")


@pytest.fixture
def touring(settings: Settings) -> Settings:
    """An installation that offers the tour (the test suite starts with it seen)."""
    return settings.model_copy(update={"first_run_tour": True})


@pytest.fixture
def newcomer(touring: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(touring), base_url="http://127.0.0.1:8000") as client:
        yield client


def skip_forms(page) -> list:
    return [form for form in page.css("form[action='/welcome/end']")
            if form.css_first("input[name=how]").attributes["value"] == "skipped"]  # fmt: skip


def test_the_first_visit_to_today_opens_the_tour(newcomer: TestClient) -> None:
    response = newcomer.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/welcome")


def test_three_screens_each_with_a_way_out_and_a_way_on(newcomer: TestClient) -> None:
    newcomer.get("/")  # the CSRF cookie
    titles = []
    for number, path in enumerate(SCREENS, start=1):
        page = html(newcomer.get(path))
        titles.append(page.css_first("h1").text())
        assert page.css_first(".tour-step").text() == f"Welcome · {number} of 3"
        [skip] = skip_forms(page)
        assert skip.attributes["method"] == "post"
        assert skip.css_first("input[name=csrf_token]").attributes["value"]
        links = {a.text(): a.attributes["href"] for a in page.css(".tour-nav a")}
        if number < 3:
            assert links["Next"] == SCREENS[number]
        else:
            done = page.css_first(".tour-nav form")
            assert done.css_first("input[name=how]").attributes["value"] == "done"
            assert done.css_first("button").text() == "Start"
        if number > 1:
            assert links["Back"] == SCREENS[number - 2]
    assert titles == ["What sirelief does", "Safety comes first", "How you tell what helps"]


def test_the_screens_say_what_sirelief_is_not(newcomer: TestClient) -> None:
    first = html(newcomer.get("/welcome")).css_first("main").text()
    assert "does not diagnose" in first
    assert "does not replace" in first
    safety = html(newcomer.get("/welcome/safety")).css_first("main").text()
    assert "stops the check-in" in safety
    compare = html(newcomer.get("/welcome/compare")).css_first("main").text()
    assert "waiting side" in compare
    assert "less than you can reliably feel" in compare


@pytest.mark.parametrize("how", ["skipped", "done"])
def test_skipping_or_finishing_ends_the_tour_for_good(
    touring: Settings, newcomer: TestClient, how: str
) -> None:
    newcomer.get("/welcome")
    response = post(newcomer, "/welcome/end", how=how)
    assert (response.status_code, response.headers["location"]) == (303, "/")
    assert newcomer.get("/", follow_redirects=False).status_code == 200
    # a new process over the same data: stored, not remembered in memory
    with TestClient(create_app(touring), base_url="http://127.0.0.1:8000") as again:
        assert again.get("/", follow_redirects=False).status_code == 200
    # ending it once more (a second tab) changes nothing and fails nothing
    assert post(newcomer, "/welcome/end", how="done").status_code == 303


def test_an_unknown_ending_is_refused_and_the_tour_stays(newcomer: TestClient) -> None:
    newcomer.get("/welcome")
    response = post(newcomer, "/welcome/end", how="later")
    assert response.status_code == 400
    assert "'done' or 'skipped'" in html(response).css_first("main").text()
    assert newcomer.get("/", follow_redirects=False).status_code == 303


def test_ending_the_tour_needs_its_csrf_token(newcomer: TestClient) -> None:
    newcomer.get("/welcome")
    response = newcomer.post("/welcome/end", data={"how": "skipped"}, follow_redirects=False)
    assert response.status_code == 403
    assert newcomer.get("/", follow_redirects=False).status_code == 303


def test_the_demo_never_shows_the_tour(touring: Settings) -> None:
    demo = touring.model_copy(update={"demo": True})
    with TestClient(create_app(demo), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/", follow_redirects=False).status_code == 200


def test_an_installation_can_turn_the_tour_off(settings: Settings) -> None:
    assert settings.first_run_tour is False  # the suite's default: SIRELIEF_FIRST_RUN_TOUR=0
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/", follow_redirects=False).status_code == 200


def test_deleting_my_data_deletes_the_tour_row_with_it(touring: Settings) -> None:
    services = Services(touring)
    try:
        services.tour.end("skipped")
        assert not services.tour.due()
        counts = services.data.delete_everything()
        assert counts["tour_seen"] == 1
    finally:
        services.close()


def test_in_a_clinic_clients_take_the_tour_and_staff_never_do(touring: Settings) -> None:
    with ExitStack() as stack:
        world = build_world(touring, stack)
        client = world.clients["other_client"]  # no session yet (the world's client has one)
        response = client.get("/", follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/welcome")
        for staff in ("coach", "admin"):
            browser = world.clients[staff]
            assert browser.get("/", follow_redirects=False).status_code == 200  # their list
            assert browser.get("/welcome", follow_redirects=False).status_code == 403
            assert post(browser, "/welcome/end", how="skipped").status_code == 403
        # the client who already has a session is no newcomer
        assert world.clients["client"].get("/", follow_redirects=False).status_code == 200
        # one client's skip is theirs alone
        assert post(client, "/welcome/end", how="skipped").status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 200
        dan = world.services.accounts.sign_in("dan", PASSWORD, None, address="127.0.0.1")
        world.clients["anonymous"].cookies.set("sirelief_login", dan)  # another newcomer
        other = world.clients["anonymous"].get("/", follow_redirects=False)
        assert other.status_code == 303


def test_a_person_with_sessions_is_never_sent_to_the_tour(touring: Settings) -> None:
    """An upgrade that brings the tour does not stop someone who already uses sirelief."""
    with TestClient(create_app(touring), base_url="http://127.0.0.1:8000") as client:
        assert client.get("/", follow_redirects=False).status_code == 303  # a newcomer
        start_session(client)
        assert client.get("/", follow_redirects=False).status_code == 200
        assert client.get("/history", follow_redirects=False).status_code == 200


def test_settings_link_to_the_tour_so_it_can_be_seen_on_purpose(
    touring: Settings, newcomer: TestClient
) -> None:
    newcomer.get("/welcome")
    post(newcomer, "/welcome/end", how="skipped")
    links = [a.attributes["href"] for a in html(newcomer.get("/settings")).css("main a")]
    assert "/welcome" in links
    assert html(newcomer.get("/welcome")).css_first("h1").text() == "What sirelief does"
