"""The coach's side end to end in Chromium (issue 18, "done when"): a coach builds a routine
from nothing, previews and saves it, invites a client; the client joins by the link on
their phone, finds the routine on Today, runs a session and says "too much" with numbness;
the coach sees one alert, the session on the client's dashboard, and prints the sheet."""

import re

from tests.browser.test_accessibility import SLOW
from tests.browser.test_builder_browser import coach_set_up
from tests.browser.test_clinic_accessibility import COACH_SECRET, sign_in

CLIENT_PASSWORD = "river stones in winter 9"


def build_and_save(coach) -> str:
    """The coach's routine, built with the builder's buttons; the template's address."""
    page = coach.page
    coach.goto("/templates")
    page.get_by_role("link", name="Build a routine").click()
    page.fill("#in-f-id", "ada-calves")
    page.fill("#in-f-name", "Calves for Cleo")
    page.fill("#in-f-summary", "A calf smash on each side.")
    page.fill("#in-f-blocks-0-title", "Calves")
    page.select_option("#in-equipment", "kettlebell")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Add Kettlebell calf smash").click()
    page.wait_for_selector("#f-blocks-0-steps-0")
    page.get_by_role("button", name="Preview").click()
    coach.expect(page.locator("#preview .timeline li").first).to_be_visible()
    page.get_by_role("button", name="Save as a template").click()
    page.wait_for_url("**/templates/*?added=1")
    return page.url.split("?")[0].removeprefix(coach.server.url)


def invite(coach) -> str:
    page = coach.page
    coach.goto("/invitations")
    page.get_by_role("button", name="Make an invitation link").click()
    return page.locator("a.join-link").get_attribute("href")


def join(client, link: str) -> None:
    page = client.page
    page.goto(link)
    page.fill("#user_name", "cleo")
    page.fill("#display_name", "Cleo")
    page.fill("#password", CLIENT_PASSWORD)
    page.fill("#password_again", CLIENT_PASSWORD)
    page.get_by_role("button", name="Join and sign in").click()
    page.wait_for_url(lambda url: "/join/" not in url)
    if "/welcome" in page.url:  # a new person is offered the tour first
        page.get_by_role("button", name="Skip the tour").click()
    client.expect(page.locator("main h1")).to_have_text("Today")


def assign(coach) -> str:
    """Assign the coach's template to Cleo; her client page's address."""
    page = coach.page
    coach.goto("/")
    page.get_by_role("link", name="Cleo").first.click()
    page.wait_for_url("**/clients/*")
    form = page.locator("form.assign-form")
    form.locator("input[name=days][value=mon]").check()
    form.locator("input[name=days][value=thu]").check()
    form.locator("input[name=moment][value=morning]").check()
    form.locator("#note").fill("Go gently on the left calf.")
    form.get_by_role("button", name="Assign").click()
    coach.expect(page.locator("#coach-routine")).to_contain_text("Calves for Cleo")
    return page.url.split("?")[0].split("#")[0].removeprefix(coach.server.url)


def run_with_numbness(client) -> str:
    page = client.page
    client.goto("/")
    today = page.locator("main")
    client.expect(today).to_contain_text("From your coach")
    client.expect(today).to_contain_text("Calves for Cleo")
    client.expect(today).to_contain_text("Go gently on the left calf.")
    session_id = client.plan(routine="ada-calves")
    client.start()
    client.run_until(lambda s: s["phase"] == "work" and s["exercise"], wait_timed=False)
    page.get_by_role("link", name="Too much").click()
    ask = page.locator("#too-much-ask")
    ask.locator("input[name=pain][value='3']").check()
    ask.get_by_label("Numbness").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    page.locator("#too-much").get_by_role("button", name="End the session").click()
    client.wait_outbox_empty()
    return session_id


def test_a_coach_builds_invites_assigns_follows_and_prints(
    start_server, make_guide, tmp_path, monkeypatch
) -> None:
    data_dir = tmp_path / "clinic" / "data"
    coach_set_up(data_dir)
    # Chromium makes the PDF; on a machine busy with the whole suite it may start slowly
    monkeypatch.setenv("SIRELIEF_PRINT_SECONDS", "180")
    server = start_server(data_dir, SLOW)
    coach = make_guide(server=server, width=1280, height=800)
    sign_in(coach, "ada", COACH_SECRET)
    template = build_and_save(coach)
    link = invite(coach)
    assert re.fullmatch(rf"{re.escape(server.url)}/join/[\w-]+", link)

    client = make_guide(clock_speed=1, server=server, width=390, height=844, has_touch=True,
                        is_mobile=True)  # fmt: skip
    join(client, link)
    client_page = assign(coach)
    session_id = run_with_numbness(client)

    # the alert, once: on the list, and still one after the list is opened again
    page = coach.page
    for _ in range(2):
        coach.goto("/")
        alerts = page.locator("#alerts .alert-item")
        coach.expect(alerts).to_have_count(1)
        coach.expect(alerts.first).to_contain_text("Cleo")
        coach.expect(alerts.first).to_contain_text("umbness")
    # the session on the client's dashboard
    coach.goto(client_page)
    session = page.locator(f"#sessions ~ .session-rows a[href^='/sessions/{session_id}']")
    coach.expect(session).to_have_text("Calves for Cleo")
    coach.expect(page.locator("main")).to_contain_text("(numbness, pain 3 of 10)")
    # the sheet, on screen and as a PDF
    coach.goto(template)
    page.get_by_role("link", name=re.compile("sheet", re.IGNORECASE)).first.click()
    page.wait_for_url("**/sheet*")
    coach.expect(page.locator("main")).to_contain_text("Kettlebell calf smash")
    coach.expect(page.locator("main")).to_contain_text("Stop")
    pdf = page.request.get(server.url + template + "/sheet.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
