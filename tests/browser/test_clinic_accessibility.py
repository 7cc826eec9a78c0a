"""axe-core on the pages only a clinic installation serves, light and dark, phone and
laptop, with screenshots beside the personal pages' (build/screenshots/clinic-*)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import insert

from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Account
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.schema import CoachAssignmentRow
from tests.browser.test_accessibility import SIZES, SLOW, check_and_shoot
from tests.services.coaching_support import routine_text

PASSWORD = "quiet meadow lantern 42"
COACH_SECRET = pyotp.random_base32()


def set_up(data_dir: Path, with_routine: bool = False) -> dict[str, str]:
    """Riverside with coach ada (TOTP on) following client cleo; their ids. With
    ``with_routine``, ada has a template and has assigned it to cleo (``template``)."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        accounts = services.accounts
        accounts.setup("root", "admin passphrase for tests 7")
        accounts.add_clinic("Riverside")
        coach = accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
        client = accounts.add_user("client", "cleo", PASSWORD, clinic="Riverside")
        earlier = datetime.now(UTC) - timedelta(minutes=5)  # leaves the current code unused
        accounts.clock = lambda: earlier
        accounts.enrol_totp("ada", COACH_SECRET, pyotp.TOTP(COACH_SECRET).at(earlier))
        with services.database.write() as tx:
            tx.execute(insert(CoachAssignmentRow).values(coach_id=coach.id, client_id=client.id))
        reset_token, _ = services.password_resets.make("cleo")  # never used: its page stays
        template = give_cleo_a_routine(services, coach, client) if with_routine else ""
    finally:
        services.close()
    return {"coach": coach.id, "client": client.id, "reset": f"/password-reset/{reset_token}",
            "template": template}  # fmt: skip


def give_cleo_a_routine(services: Services, coach: Account, client: Account) -> str:
    """Ada's shared template, assigned to Cleo (Monday, Wednesday, Friday mornings); the
    template's id."""
    ada = Actor(coach.id, Role.COACH, coach.clinic_id, frozenset({client.id}))
    text = routine_text()
    made = services.coaching.upload(ada, check_routine_file(SourceFile("hips.yaml", text),
                                                            services.catalogue))  # fmt: skip
    services.coaching.set_shared(ada, made.template_id, True)
    services.coaching.upload(ada, check_routine_file(
        SourceFile("hips.yaml", routine_text(name="Hips for Cleo, with a hold")),
        services.catalogue,
    ))  # fmt: skip
    services.coaching.assign(ada, client.id, made.template_id, 1, ["mon", "wed", "fri"],
                             "morning", note="Take the left side slowly.")  # fmt: skip
    return made.template_id


@pytest.fixture(scope="module")
def clinic(start_server, tmp_path_factory, browser, expect, guide_class):
    """The server, the ids, and the coach's cookies: a TOTP code is good once, so the
    coach signs in once and every page of the module reuses that login."""
    data_dir = tmp_path_factory.mktemp("clinic-a11y") / "data"
    ids = set_up(data_dir, with_routine=True)
    server = start_server(data_dir, SLOW)
    context = browser.new_context(service_workers="block")
    sign_in(guide_class(context.new_page(), server, expect), "ada", COACH_SECRET)
    cookies = context.cookies()
    context.close()
    return server, ids, cookies


def sign_in(guide, user_name: str, secret: str | None = None) -> None:
    page = guide.page
    guide.goto("/sign-in")
    page.fill("#user_name", user_name)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if secret:
        page.wait_for_selector("#code")
        page.fill("#password", PASSWORD)  # the code step asks for both again
        page.fill("#code", pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def _sign_in_refused(guide, ids, _) -> None:
    guide.goto("/sign-in")
    guide.page.fill("#user_name", "cleo")
    guide.page.fill("#password", "not the password")
    guide.page.get_by_role("button", name="Sign in").click()
    guide.expect(guide.page.locator("[role=alert]").first).to_be_visible()


def _reset_refused(guide, ids, _) -> None:
    guide.goto(ids["reset"])
    guide.page.fill("#password", "harbour lights at dusk")
    guide.page.fill("#password_again", "harbour lights at dawn")
    guide.page.get_by_role("button", name="Set the new password").click()
    guide.expect(guide.page.locator("[role=alert]").first).to_be_visible()


def _as_coach(path: Callable[[dict], str]) -> Callable:
    def visit(guide, ids, coach_cookies) -> None:
        guide.page.context.add_cookies(coach_cookies)
        guide.goto(path(ids))

    return visit


STATES: dict[str, Callable] = {
    "sign-in": lambda guide, ids, _: guide.goto("/sign-in"),
    "sign-in-refused": _sign_in_refused,
    "password-reset": lambda guide, ids, _: guide.goto(ids["reset"]),
    "password-reset-refused": _reset_refused,
    "password-changed": lambda guide, ids, _: guide.goto("/sign-in?password=changed"),
    "client-list": _as_coach(lambda ids: "/"),
    "client": _as_coach(lambda ids: f"/clients/{ids['client']}"),
    "templates": _as_coach(lambda ids: "/templates"),
    "template": _as_coach(lambda ids: f"/templates/{ids['template']}"),
    "template-old-version": _as_coach(lambda ids: f"/templates/{ids['template']}?version=1"),
    "client-today-from-coach": lambda guide, ids, _: (sign_in(guide, "cleo"), guide.goto("/")),
    "client-settings-coach-reminders": lambda guide, ids, _: (
        sign_in(guide, "cleo"),
        guide.goto("/settings"),
    ),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(STATES))
def test_no_axe_violations_on_clinic_pages(name, scheme, clinic, make_guide) -> None:
    server, ids, coach_cookies = clinic
    width, height = SIZES[0]
    guide = make_guide(server=server, color_scheme=scheme, width=width, height=height)
    STATES[name](guide, ids, coach_cookies)
    check_and_shoot(guide.page, f"clinic-{name}", scheme)


def test_a_coach_assigns_a_template_and_the_client_sees_it_on_today(
    clinic, make_guide, browser
) -> None:
    """The coach picks the template, days, the evening and a note on the client's page;
    the client signs in elsewhere and finds it on Today, chosen in the check-in."""
    server, ids, coach_cookies = clinic
    coach = make_guide(server=server, width=390, height=844)
    coach.page.context.add_cookies(coach_cookies)
    coach.goto(f"/clients/{ids['client']}")
    # Cleo has a routine already: the form to assign again is folded under its summary
    coach.page.get_by_text("Assign again or change the schedule").click()
    form = coach.page.locator("form.assign-form")
    form.locator("select#template").select_option(ids["template"])
    for day in ("Tue", "Thu"):
        form.get_by_label(day).check()
    for day in ("Mon", "Wed", "Fri"):
        form.get_by_label(day).uncheck()
    form.get_by_label("In the evening").check()
    form.get_by_label("Note for cleo").fill("Evenings suit you better: keep it gentle.")
    form.get_by_role("button", name="Assign").click()
    coach.expect(coach.page.locator("#coach-routine .notice")).to_contain_text("Assigned")
    coach.expect(coach.page.locator("#coach-routine")).to_contain_text(
        "Tuesdays and Thursdays, in the evening"
    )
    client = make_guide(server=server, width=390, height=844)
    sign_in(client, "cleo")
    client.goto("/")
    panel = client.page.locator("section.from-coach")
    client.expect(panel.get_by_role("heading", name="From your coach")).to_be_visible()
    client.expect(panel).to_contain_text("Hips for Cleo, with a hold")  # the latest version
    client.expect(panel).to_contain_text("Tuesdays and Thursdays, in the evening")
    client.expect(panel).to_contain_text("Evenings suit you better")
    client.expect(panel).to_contain_text("ada")
    client.goto("/checkin")
    client.expect(client.page.locator("select#routine")).to_have_value("hips-for-cleo")
