"""A coach's alerts in Chromium (issue 18 item 4): after a client's "too much" with
numbness, the coach sees the alert once at the top of their list, with no axe violation
light or dark, phone or laptop, and dismisses it with the button (no JavaScript needed)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp

from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services import Services
from sirelief.settings import Settings
from tests.browser.test_accessibility import SLOW, check_and_shoot
from tests.browser.test_clinic_accessibility import COACH_SECRET, PASSWORD, sign_in
from tests.storage.scripted import CHECKIN


def set_up(data_dir: Path) -> None:
    """Coach ada (TOTP on) follows cleo, who said "too much" with numbness today."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        accounts = services.accounts
        accounts.setup("root", "admin passphrase for tests 7")
        accounts.add_clinic("Riverside")
        accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
        client = accounts.add_user("client", "cleo", PASSWORD, clinic="Riverside")
        accounts.assign("ada", "cleo")
        earlier = datetime.now(UTC) - timedelta(minutes=5)  # leaves the current code unused
        accounts.clock = lambda: earlier
        accounts.enrol_totp("ada", COACH_SECRET, pyotp.TOTP(COACH_SECRET).at(earlier))
        profile = next(a for a in accounts.list_users() if a.id == client.id).profile_id
        person = services.for_profile(profile)
        running = person.sessions.start(CheckIn.model_validate(CHECKIN.model_dump()),
                                         "kettlebell-smash-reset", PlanOptions(seed=1))  # fmt: skip
        at = datetime.now(UTC).timestamp()
        running.record(Event(id="start", at=at, kind="start"))
        while running.state.step.kind != "exercise":
            index = running.state.index
            running.record(Event(id=f"skip{index}", at=at, kind="skip", step=index))
        running.record(Event(id="numb", at=at + 5, kind="too_much", step=running.state.index,
                             pain=3, symptom="numbness"))  # fmt: skip
    finally:
        services.close()


def test_the_coach_sees_the_alert_once_and_dismisses_it(start_server, make_guide, tmp_path):
    data_dir = tmp_path / "alerts" / "data"
    set_up(data_dir)
    server = start_server(data_dir, SLOW)
    for scheme in ("light", "dark"):
        guide = make_guide(server=server, color_scheme=scheme, width=390, height=844)
        if scheme == "light":
            sign_in(guide, "ada", COACH_SECRET)
            cookies = guide.page.context.cookies()
        else:
            guide.page.context.add_cookies(cookies)
        guide.goto("/")
        items = guide.page.locator("#alerts .alert-item")
        guide.expect(items).to_have_count(1)
        guide.expect(items.first).to_contain_text("numbness")
        guide.expect(items.first).to_contain_text("cleo")
        check_and_shoot(guide.page, "clinic-client-list-alerts", scheme)
    guide.page.reload()
    guide.expect(items).to_have_count(1)  # seen again: still one
    items.first.get_by_role("button", name="Dismiss").click()
    guide.expect(guide.page.get_by_role("status")).to_contain_text("Dismissed")
    guide.expect(items).to_have_count(0)
