"""A coach's client list and a client's dashboard (issue 18 item 3), on a seeded history:
the figures shown are checked against the stored sessions, counted here by hand."""

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import anyio
import httpx2 as httpx
import pytest

from sirelief.domain.follow_up import SORT_WORDS
from sirelief.domain.session import Event
from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.services.follow_up import ClientDashboard, ClientList
from sirelief.settings import Settings
from tests.statements import counted
from tests.storage import scripted
from tests.web.access_world import World, build_world
from tests.web.web_support import NOW, csrf, html

ASSIGNED = NOW - timedelta(days=20)  # Tuesday 10 November
MWF = ["mon", "wed", "fri"]


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with ExitStack() as stack:
        yield build_world(settings, stack)


def assign(world: World, client: str = "client", days: list[str] = MWF, when=ASSIGNED) -> None:
    world.clock.set(when)
    world.services.coaching.assign(
        world.actors["coach"], world.actors[client].user_id, world.template_id, None, days,
        "morning",
    )  # fmt: skip
    world.clock.set(NOW)


def seeded(world: World, weeks: int = 6, end=NOW) -> list:
    """Cleo's demo history; her sessions that started, newest first."""
    person = world.services.for_profile(world.actors["client"].profile_id)
    fill_demo(person, weeks=weeks, end=end, force=True)
    world.clock.set(NOW)
    return [e.record for e in person.data.history() if e.record.state.started_at is not None]


def text_of(page, selector: str) -> str:
    return " ".join(page.css_first(selector).text().split())


def expected_adherence(started: list) -> tuple[int, int, int]:
    """Since the assignment: the Mondays, Wednesdays and Fridays with a session, those
    days up to yesterday (today is not planned: no session yet today), and the other days
    with a session."""
    first, today = ASSIGNED.date(), NOW.date()
    done = {r.created_at.date() for r in started if first <= r.created_at.date() <= today}
    planned = [
        first + timedelta(days=k)
        for k in range((today - first).days)
        if (first + timedelta(days=k)).weekday() in (0, 2, 4)
    ]
    on_plan = done & set(planned)
    return len(on_plan), len(planned), len(done - on_plan)


def test_the_dashboard_shows_the_figures_of_the_stored_history(world: World) -> None:
    assign(world)
    started = seeded(world)
    page = html(world.clients["coach"].get(f"/clients/{world.client_id}"))
    days_ago = (NOW.date() - started[0].created_at.date()).days
    assert days_ago >= 1
    last = "Yesterday" if days_ago == 1 else f"{days_ago} days ago"
    assert text_of(page, "#fig-last .figure-value") == last
    done, planned, other = expected_adherence(started)
    assert planned == 8  # Wed 11 Nov to Fri 27 Nov
    assert other  # the demo trains on more days than the plan's
    assert text_of(page, "#fig-adherence .figure-value") == f"{done} of {planned}"
    assert f"and {other} other day" in text_of(page, "#fig-adherence .figure-note")
    answered = [r for r in started if r.morning is not None]
    settled = sum(r.morning.settled for r in answered)
    assert answered
    assert text_of(page, "#fig-settled .figure-value") == f"{settled} of {len(answered)}"
    # the demo's one "too much" and its one red-flag stop, in words about the client
    too_much = [li.text() for li in page.css(".too-much li")]
    assert len(too_much) == 1
    assert "They said it was too much" in too_much[0]
    assert len(page.css(".stops li")) == 1
    # the untreated-side effect of each block, the same words as Insights, about "their" side
    effects = list(page.css(".effect-list li"))
    assert effects
    clear = [li.text() for li in effects if li.attributes["data-verdict"] == "less_tight"]
    assert clear
    assert all("their worked side" in words for words in clear)
    assert not any("your worked side" in li.text() for li in effects)
    # the same charts as Insights, told about the client
    assert page.css_first("#pain-heading") is not None
    assert "the pain they reported" in page.css_first("main").text()
    assert [a.attributes["href"] for a in page.css("#versions a")] == [
        f"/templates/{world.template_id}?version=1"
    ]


def test_the_list_shows_last_session_and_adherence_for_each_client(world: World) -> None:
    assign(world)
    started = seeded(world)
    page = html(world.clients["coach"].get("/"))
    assert text_of(page, "#sort-words") == SORT_WORDS
    line = page.css_first(f'[data-client="{world.client_id}"]')
    done, planned, other = expected_adherence(started)
    words = f"{done} of {planned} planned, and {other} other day"
    assert words in text_of(line, ".fact-adherence")
    shown = line.css_first(".fact-last time").attributes["datetime"]
    assert shown == started[0].created_at.isoformat()


def test_the_list_puts_a_recent_safety_stop_before_missed_days(world: World) -> None:
    world.services.accounts.assign("ada", "cora")
    names = [a.text() for a in html(world.clients["coach"].get("/")).css(".client-line h2 a")]
    assert names == ["cleo", "cora"]  # nothing to tell them apart: by name
    cora = world.clients["other_client"]
    stop = cora.post("/checkin", data={"red_flags": ["saddle-numbness"], "csrf_token": csrf(cora)})
    assert stop.status_code == 200
    # the stop raised an alert; dismissed, Cora still comes first for the stop itself
    for alert in world.services.alerts.open_for(world.actors["coach"]):
        world.services.alerts.dismiss(world.actors["coach"], alert.client_id, alert.id)
    page = html(world.clients["coach"].get("/"))
    names = [a.text() for a in page.css(".client-line h2 a")]
    assert names == ["cora", "cleo"]
    assert "1 safety stop" in page.css_first(".client-line .fact-safety").text()


def test_the_dashboard_and_list_read_in_a_fixed_number_of_queries(world: World) -> None:
    """Twice the sessions, the same number of queries: nothing is read per session."""
    # days-without-a-session alerts off: only the first history is old enough for one,
    # and re-checking it (an insert that finds it there) is the alerts' own work
    world.services.alerts.save_settings(world.actors["coach"], "", "")
    assign(world)
    coach = world.clients["coach"]
    path = f"/clients/{world.client_id}"
    seeded(world, weeks=3, end=NOW - timedelta(weeks=4))
    coach.get(path), coach.get("/")  # alerts raised and logins seen before counting
    with counted() as few:
        assert coach.get(path).status_code == 200
    with counted() as few_listed:
        assert coach.get("/").status_code == 200
    seeded(world, weeks=4, end=NOW)
    coach.get(path), coach.get("/")
    with counted() as many:
        assert coach.get(path).status_code == 200
    with counted() as many_listed:
        assert coach.get("/").status_code == 200
    sessions = len(html(coach.get(path)).css("#sessions + ol > li"))
    assert sessions > 20
    assert len(many) == len(few) < 50  # 43 today, BEGINs and the sign-in checks included
    assert len(many_listed) == len(few_listed) < 25


def test_the_list_and_dashboard_are_read_off_the_event_loop(world: World, monkeypatch) -> None:
    """A coach's heavy reads run in a worker thread, so the session pages and events the
    same process serves meanwhile do not wait for them."""
    on_loop: dict[str, bool] = {}

    def watched(name: str, read):
        def read_and_note(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop[name] = True
            except RuntimeError:  # no loop runs in this thread
                on_loop[name] = False
            return read(*args, **kwargs)

        return read_and_note

    monkeypatch.setattr(ClientList, "read", watched("list", ClientList.read))
    monkeypatch.setattr(ClientDashboard, "read", watched("dashboard", ClientDashboard.read))
    coach = world.clients["coach"]
    assert coach.get("/").status_code == 200
    assert coach.get(f"/clients/{world.client_id}").status_code == 200
    assert on_loop == {"list": False, "dashboard": False}


def test_heavy_pages_are_read_aside_one_at_a_time(world: World, monkeypatch) -> None:
    """Three lists asked for at once are read one after another in the worker thread
    (several at once took turns with the interpreter lock and served fewer in all)."""
    inside, most = 0, 0
    counting = threading.Lock()

    def slow_read(_self, _actor):
        nonlocal inside, most
        with counting:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)  # long enough for the others to arrive meanwhile
        with counting:
            inside -= 1
        return [], []

    monkeypatch.setattr(ClientList, "read", slow_read)
    coach = world.clients["coach"]
    cookie = "; ".join(f"{name}={value}" for name, value in coach.cookies.items())

    async def three_at_once() -> list:
        transport = httpx.ASGITransport(app=coach.app)
        async with httpx.AsyncClient(transport=transport, base_url=str(coach.base_url)) as c:
            return await asyncio.gather(*(c.get("/", headers={"cookie": cookie}) for _ in "abc"))

    answers = []  # a thread of its own: a session-wide Playwright fixture may hold the loop
    runner = threading.Thread(target=lambda: answers.extend(anyio.run(three_at_once)))
    runner.start()
    runner.join()
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert most == 1


def test_other_coaches_and_clients_get_404_or_403(world: World) -> None:
    path = f"/clients/{world.client_id}"
    assert world.clients["coach"].get(path).status_code == 200
    assert world.clients["admin"].get(path).status_code == 200
    for who in ("idle_coach", "other_clinic_coach", "other_client"):
        assert world.clients[who].get(path).status_code == 404
    assert world.clients["client"].get(path).status_code == 403
    admin_page = html(world.clients["admin"].get(path))
    assert admin_page.css("form[action$='/alerts/dismiss']") == []


def test_a_bad_weeks_value_falls_back_to_twelve(world: World) -> None:
    for weeks in ("abc", "-1", "9999", "12\x00"):
        page = world.clients["coach"].get(f"/clients/{world.client_id}", params={"weeks": weeks})
        assert page.status_code == 200
        current = html(page).css_first('.filters a[aria-current="true"]').text()
        assert current == "12 weeks"


def test_the_list_dates_the_last_session_on_the_clients_own_day(world: World, monkeypatch) -> None:
    """Issue 19: the list's "Last session" date is the client's day, as its "today" is. At
    23:00 UTC on the 29th it is already 13:00 on the 30th in Kiritimati (UTC+14)."""
    monkeypatch.setenv("TZ", "UTC")  # the installation's zone, which the coach's page used
    person = world.services.for_profile(world.actors["client"].profile_id)
    person.preferences.set("time-zone", "Pacific/Kiritimati")
    late = NOW - timedelta(hours=10)
    world.clock.set(late)
    running = person.sessions.start(scripted.CHECKIN, "kettlebell-smash-reset",
                                    scripted.PlanOptions())  # fmt: skip
    scripted.run_to_end(running, at=late.timestamp())
    world.clock.set(NOW)
    page = html(world.clients["coach"].get("/"))
    line = page.css_first(f'[data-client="{world.client_id}"]')
    assert text_of(line, ".fact-last dd") == "30 Nov, today"


def test_the_dashboard_shows_at_once_what_another_process_wrote(world: World) -> None:
    """The dashboard keeps the window's sessions digested between reads; ``world.services``
    shares only the database with the app, as the terminal or a second worker would. A new
    session, a new event in it and a changed morning answer each show on the next read."""
    world.services.alerts.save_settings(world.actors["coach"], "", "")
    assign(world)
    started = seeded(world, weeks=2)
    coach, path = world.clients["coach"], f"/clients/{world.client_id}"

    def line_of(session_id: str) -> str | None:
        for line in html(coach.get(path)).css("#sessions + ol > li"):
            if line.css_first("a").attributes["href"].startswith(f"/sessions/{session_id}"):
                return " ".join(line.text().split())
        return None

    lines = len(html(coach.get(path)).css("#sessions + ol > li"))
    person = world.services.for_profile(world.actors["client"].profile_id)
    running = person.sessions.start(scripted.CHECKIN, "kettlebell-smash-reset",
                                    scripted.PlanOptions())  # fmt: skip
    assert line_of(running.session_id).endswith("not started")
    assert len(html(coach.get(path)).css("#sessions + ol > li")) == lines + 1
    running.record(Event(id="elsewhere-start", at=NOW.timestamp(), kind="start"))
    assert line_of(running.session_id).endswith("unfinished")
    scripted.run_to_end(running, at=NOW.timestamp() + 10)
    assert "· completed" in line_of(running.session_id)

    answered = next(r for r in started if r.morning is not None)
    settled_before = text_of(html(coach.get(path)), "#fig-settled .figure-value")
    words = "next morning settled" if answered.morning.settled else "next morning not settled"
    assert line_of(answered.id).endswith(words)
    person.sessions.answer_morning(answered.id, not answered.morning.settled, 2)
    assert not line_of(answered.id).endswith(words)
    assert text_of(html(coach.get(path)), "#fig-settled .figure-value") != settled_before


def test_the_list_shows_at_once_a_session_another_process_began_and_a_new_day(
    world: World,
) -> None:
    """The list keeps each client's adherence worked out between reads; a session begun
    through another process, and the day turning, each show on the next read, as a list
    worked out afresh (a new ``Services``) shows them."""
    world.services.alerts.save_settings(world.actors["coach"], "", "")
    assign(world)
    seeded(world, weeks=2, end=NOW - timedelta(days=1))
    coach = world.clients["coach"]

    def shown() -> str:
        line = html(coach.get("/")).css_first(f'[data-client="{world.client_id}"]')
        return text_of(line, ".fact-adherence dd")

    def afresh() -> str:
        services = Services(world.settings, world.clock)
        try:
            lines, _ = services.client_list.read(world.actors["coach"])
        finally:
            services.close()
        (line,) = [line for line in lines if line.account.id == world.client_id]
        return line.adherence.in_words()

    before = shown()
    assert before.startswith(afresh())
    person = world.services.for_profile(world.actors["client"].profile_id)
    running = person.sessions.start(scripted.CHECKIN, "kettlebell-smash-reset",
                                    scripted.PlanOptions())  # fmt: skip
    running.record(Event(id="elsewhere-start", at=NOW.timestamp(), kind="start"))
    after_session = shown()
    assert after_session != before
    assert after_session.startswith(afresh())
    world.clock.set(NOW + timedelta(days=3))
    world.sign_in("coach")  # the login of three days before has ended
    a_later_day = shown()
    assert a_later_day != after_session
    assert a_later_day.startswith(afresh())


def test_a_clients_line_is_drawn_for_the_readers_role(world: World) -> None:
    """The same client's line, kept drawn, still shows an admin their data links and a
    coach none."""
    line = f'[data-client="{world.client_id}"]'
    data_link = f'a[href="/admin/accounts/{world.client_id}/data"]'
    for _ in range(2):  # the second time from the kept lines
        assert html(world.clients["coach"].get("/")).css_first(line).css_first(data_link) is None
        shown = html(world.clients["admin"].get("/")).css_first(line)
        assert shown.css_first(data_link) is not None
