"""A coach's client list and a client's dashboard in Chromium (issue 18 item 3): no axe
violation light or dark, phone or laptop, on a seeded history; screenshots for people."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp

from sirelief.domain.access import Actor, Role
from sirelief.services import Services
from sirelief.services.demo import fill_demo
from sirelief.settings import Settings
from tests.browser.test_accessibility import SLOW, check_and_shoot
from tests.browser.test_clinic_accessibility import COACH_SECRET, PASSWORD, sign_in
from tests.services.coaching_support import checked, routine_text


def set_up(data_dir: Path) -> str:
    """Coach ada follows cleo (six weeks of demo history, a routine on Mon/Wed/Fri since
    three weeks) and cora (nothing yet); cleo's id."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        accounts = services.accounts
        accounts.setup("root", "admin passphrase for tests 7")
        accounts.add_clinic("Riverside")
        coach = accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
        cleo = accounts.add_user("client", "cleo", PASSWORD, clinic="Riverside")
        accounts.add_user("client", "cora", PASSWORD, clinic="Riverside")
        accounts.assign("ada", "cleo")
        accounts.assign("ada", "cora")
        earlier = datetime.now(UTC) - timedelta(minutes=5)  # leaves the current code unused
        accounts.clock = lambda: earlier
        accounts.enrol_totp("ada", COACH_SECRET, pyotp.TOTP(COACH_SECRET).at(earlier))
        users = {a.id: a for a in accounts.list_users()}
        actor = Actor(coach.id, Role.COACH, users[coach.id].clinic_id,
                      frozenset({cleo.id}), None)  # fmt: skip
        version = services.coaching.upload(actor, checked(services, routine_text()))
        coaching = services.coaching
        coaching.clock = lambda: datetime.now(UTC) - timedelta(days=21)
        coaching.assign(actor, cleo.id, version.template_id, None, ["mon", "wed", "fri"],
                        "morning", note="Gentle on the left hip this month.")  # fmt: skip
        fill_demo(services.for_profile(users[cleo.id].profile_id), weeks=6, force=True,
                  end=datetime.now(UTC))  # fmt: skip
        return cleo.id
    finally:
        services.close()


def test_the_list_and_the_dashboard_read_well_everywhere(start_server, make_guide, tmp_path):
    data_dir = tmp_path / "follow" / "data"
    cleo = set_up(data_dir)
    server = start_server(data_dir, SLOW)
    cookies = None
    for scheme in ("light", "dark"):
        guide = make_guide(server=server, color_scheme=scheme, width=390, height=844)
        if cookies is None:
            sign_in(guide, "ada", COACH_SECRET)
            cookies = guide.page.context.cookies()
        else:
            guide.page.context.add_cookies(cookies)
        guide.goto("/")
        guide.expect(guide.page.locator(".client-line")).to_have_count(2)
        guide.expect(guide.page.locator("#sort-words")).to_contain_text("Sorted by")
        check_and_shoot(guide.page, "clinic-client-list", scheme)
        guide.goto(f"/clients/{cleo}")
        guide.expect(guide.page.locator("#fig-adherence")).to_contain_text(" of ")
        check_and_shoot(guide.page, "clinic-client-dashboard", scheme)
