"""The routine builder in Chromium at phone size (issue 18 item 1): a routine built from
nothing with the buttons alone (no typing of YAML), a problem shown beside its field,
then saved to the person's routines; screenshots light and dark, phone and laptop."""

from pathlib import Path

from tests.browser.test_accessibility import check_and_shoot

SHOTS = Path("/work/shots/builder")


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
