"""A clinician's findings in Chromium (issue 20 item 3): a client copies them from a
letter with the plain form (no script needed), and they read back as recorded; the coach
sees them on the dashboard and their own page. No axe violation light or dark, phone or
laptop; screenshots for people to look at."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.settings import Settings
from tests.browser.test_accessibility import SLOW, check_and_shoot
from tests.browser.test_client_dashboard_browser import set_up
from tests.browser.test_clinic_accessibility import COACH_SECRET, sign_in


def coach_records(data_dir: Path, cleo_id: str) -> None:
    """Coach ada records an examination for cleo, three weeks ago."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        users = {a.id: a for a in services.accounts.list_users()}
        ada = next(a for a in users.values() if a.user_name == "ada")
        actor = Actor(ada.id, Role.COACH, ada.clinic_id, frozenset({cleo_id}), None)
        day = datetime.now(UTC).date() - timedelta(days=21)
        services.for_profile(users[cleo_id].profile_id).findings.record(
            day, "Physio at Riverside Clinic",
            {"distraction": "negative", "thigh-thrust-left": "positive",
             "thigh-thrust-right": "negative", "compression": "negative",
             "sacral-thrust": "positive", "gaenslen-left": "positive"},
            "not-checked", None, actor,
        )  # fmt: skip
    finally:
        services.close()


def test_findings_are_recorded_and_read_back_everywhere(start_server, make_guide, tmp_path):
    data_dir = tmp_path / "findings" / "data"
    cleo = set_up(data_dir)
    coach_records(data_dir, cleo)
    server = start_server(data_dir, SLOW)
    client = make_guide(server=server, width=390, height=844)
    sign_in(client, "cleo")
    client.goto("/findings")
    page = client.page
    page.fill("#examined_on", (datetime.now(UTC).date() - timedelta(days=3)).isoformat())
    page.fill("#examiner", "Dr Rossi, letter of 2 December")
    page.locator("input[name='gaenslen-right'][value='positive']").check()
    page.locator("input[name='fortin'][value='yes']").check()
    page.locator("input[name='fortin_side'][value='right']").check()
    page.get_by_role("button", name="Record these findings").click()
    client.expect(page.locator("[role=status]")).to_have_text("Findings recorded.")
    newest = page.locator(".findings-list > li").first
    client.expect(newest).to_contain_text("Dr Rossi, letter of 2 December")
    client.expect(newest).to_contain_text("Gaenslen test, right side: positive")
    client.expect(newest).to_contain_text("Recorded by you")
    client.expect(page.locator(".findings-list > li")).to_have_count(2)
    cookies = page.context.cookies()
    for scheme in ("light", "dark"):
        guide = make_guide(server=server, color_scheme=scheme, width=390, height=844)
        guide.page.context.add_cookies(cookies)
        guide.goto("/findings")
        guide.expect(guide.page.locator(".findings-list > li")).to_have_count(2)
        check_and_shoot(guide.page, "findings-list-and-form", scheme)
        guide.goto("/findings")
        guide.page.locator("input[name='fortin'][value='yes']").check()
        guide.page.get_by_role("button", name="Record these findings").click()
        guide.expect(guide.page.locator(".error-summary")).to_contain_text("which side")
        check_and_shoot(guide.page, "findings-form-refused", scheme)
    staff_cookies = None
    for scheme in ("light", "dark"):
        guide = make_guide(server=server, color_scheme=scheme, width=390, height=844)
        if staff_cookies is None:
            sign_in(guide, "ada", COACH_SECRET)
            staff_cookies = guide.page.context.cookies()
        else:
            guide.page.context.add_cookies(staff_cookies)
        guide.goto(f"/clients/{cleo}#findings")
        section = guide.page.locator(".findings-section")
        guide.expect(section).to_contain_text("(the client)")
        guide.expect(section).to_contain_text("Sacral thrust test: positive")
        check_and_shoot(guide.page, "findings-coach-dashboard", scheme)
        guide.goto(f"/clients/{cleo}/findings")
        guide.expect(guide.page.locator(".findings-list > li")).to_have_count(2)
        guide.expect(guide.page.locator(".findings-list")).to_contain_text("Recorded by you")
        check_and_shoot(guide.page, "findings-coach-page", scheme)
