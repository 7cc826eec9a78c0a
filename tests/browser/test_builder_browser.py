"""The routine builder in Chromium at phone size (issue 18 item 1): a routine built from
nothing with the buttons alone (no typing of YAML), a problem shown beside its field,
then saved to the person's routines; screenshots light and dark, phone and laptop."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp

from sirelief.services import Services
from sirelief.settings import Settings
from tests.browser.test_accessibility import SCREENSHOTS, SLOW, check_and_shoot
from tests.browser.test_clinic_accessibility import COACH_SECRET, PASSWORD, sign_in

SHOTS = SCREENSHOTS / "builder"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_small_routine_built_from_nothing_and_saved_at_phone_size(make_guide) -> None:
    guide = make_guide(width=390, height=844)
    page = guide.page
    guide.goto("/routines")
    page.get_by_role("link", name="Build a routine").click()
    page.wait_for_url("**/routines/builder")
    page.fill("#in-f-id", "phone-stretch")
    page.fill("#in-f-name", "Phone stretch")
    page.fill("#in-f-summary", "One held stretch, checked before and after.")
    page.fill("#in-f-blocks-0-title", "Stretch")
    page.fill("#in-q", "figure-four")  # the module narrows the list as one types
    guide.expect(page.locator("#pick-count")).to_have_text("1 exercise.")
    page.select_option("#in-region", "glutes_piriformis")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Add Lying figure-four buttock stretch").click()
    page.wait_for_selector("#f-blocks-0-steps-0")
    page.fill("#in-f-blocks-0-steps-0-hold_s", "900")
    page.get_by_role("button", name="Check", exact=True).click()
    problem = page.locator("#f-blocks-0-steps-0-hold_s .field-problems")
    guide.expect(problem).to_contain_text("hold_s must be between 5 and 300 seconds, got 900")
    shoot(page, "builder-problem-light-390x844")
    page.fill("#in-f-blocks-0-steps-0-hold_s", "45")
    page.get_by_role("button", name="Preview").click()
    guide.expect(page.locator("#preview .timeline li").first).to_be_visible()
    guide.expect(page.locator(".builder-summary")).to_contain_text("No problems found")
    shoot(page, "builder-preview-light-390x844")
    page.get_by_role("button", name="Save to my routines").click()
    page.wait_for_url("**/routines?added=phone-stretch")
    guide.expect(page.locator("main .notice")).to_contain_text("Phone stretch")


def test_builder_has_no_axe_violations_light_and_dark(make_guide) -> None:
    """A long routine with a problem, at phone and laptop size: axe finds nothing."""
    for scheme in ("light", "dark"):
        guide = make_guide(width=390, height=844, color_scheme=scheme)
        guide.goto("/routines/builder?from=kettlebell-smash-reset")
        guide.page.fill("#in-f-id", "Bad Id")
        guide.page.get_by_role("button", name="Check", exact=True).click()
        guide.page.wait_for_selector(".builder-summary")
        check_and_shoot(guide.page, "builder", scheme)
        for width, height in ((390, 844), (1280, 800)):
            guide.page.set_viewport_size({"width": width, "height": height})
            shoot(guide.page, f"builder-{scheme}-{width}x{height}")


def coach_set_up(data_dir: Path) -> None:
    """Coach ada of Riverside, two-step sign-in on."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        accounts = services.accounts
        accounts.setup("root", "admin passphrase for tests 7")
        accounts.add_clinic("Riverside")
        accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
        earlier = datetime.now(UTC) - timedelta(minutes=5)  # leaves the current code unused
        accounts.clock = lambda: earlier
        accounts.enrol_totp("ada", COACH_SECRET, pyotp.TOTP(COACH_SECRET).at(earlier))
    finally:
        services.close()


def test_a_coach_builds_previews_and_saves_a_template_at_phone_size(
    start_server, make_guide, tmp_path
) -> None:
    data_dir = tmp_path / "coach" / "data"
    coach_set_up(data_dir)
    server = start_server(data_dir, SLOW)
    guide = make_guide(server=server, width=390, height=844)
    page = guide.page
    sign_in(guide, "ada", COACH_SECRET)
    guide.goto("/templates")
    page.get_by_role("link", name="Build a routine").click()
    page.wait_for_url("**/templates/builder")
    page.fill("#in-f-id", "ada-calves")
    page.fill("#in-f-name", "Calves for Cleo")
    page.fill("#in-f-summary", "A calf smash, then a check.")
    page.fill("#in-f-blocks-0-title", "Calves")
    page.select_option("#in-equipment", "kettlebell")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Add Kettlebell calf smash").click()
    page.wait_for_selector("#f-blocks-0-steps-0")
    page.fill("#in-f-blocks-0-steps-0-minutes", "3")
    page.get_by_role("button", name="Preview").click()
    guide.expect(page.locator("#preview .timeline li").first).to_be_visible()
    shoot(page, "coach-builder-preview-light-390x844")
    page.get_by_role("button", name="Save as a template").click()
    page.wait_for_url("**/templates/*?added=1")
    guide.expect(page.locator("main h1")).to_have_text("Calves for Cleo")
    guide.expect(page.locator("main .notice")).to_contain_text("Saved as version 1")
