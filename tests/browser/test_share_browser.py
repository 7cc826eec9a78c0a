"""A shared routine in Chromium (issue 18 item 6): the owner makes a link, a stranger opens
it at phone and desktop sizes, light and dark; its figures load under the page's strict
policy, its file downloads as it was added, and revoking makes it "not found".
Screenshots go to build/screenshots/share to be looked at."""

from pathlib import Path

import pyotp

from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.services import Services
from sirelief.settings import Settings
from tests.browser.test_accessibility import SCREENSHOTS, SLOW, check_and_shoot
from tests.browser.test_clinic_accessibility import COACH_SECRET, PASSWORD, sign_in

SHOTS = SCREENSHOTS / "share"
ROUTINE = """format: sirelief.routine.v1
id: evening-hips
version: 2
name: Evening hips
summary: Three calm stretches for the hips and lower back, both sides.
blocks:
  - id: stretch
    title: Stretch it out
    sides: tighter_first
    steps:
      - exercise: figure-four-piriformis
        note: Ease in; never force the knee down.
      - exercise: half-kneeling-hip-flexor
  - id: settle
    title: Settle
    sides: both
    steps:
      - exercise: lower-trunk-rotation
"""
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


def test_a_stranger_opens_downloads_and_loses_a_shared_routine(
    live_server, new_page, tmp_path
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    library = live_server.library()
    try:
        library.routines.add(check_routine_file(SourceFile("evening.yaml", ROUTINE),
                                                library.catalogue))  # fmt: skip
    finally:
        library.close()
    owner = new_page()
    owner.goto(f"{live_server.url}/routines/evening-hips")
    owner.get_by_role("button", name="Make a share link").click()
    link = owner.locator("#share-url").input_value()
    assert link.startswith(f"{live_server.url}/shared/")
    assert owner.locator("#share svg title").text_content() == "QR code of the share link"
    for scheme in ("light", "dark"):
        for size, (width, height) in SIZES.items():
            mine = new_page(scheme, width, height)
            mine.goto(f"{live_server.url}/routines/evening-hips")
            mine.screenshot(path=SHOTS / f"routine-no-link-{size}-{scheme}.png", full_page=True)
    owner.screenshot(path=SHOTS / "routine-link-made-desktop-light.png", full_page=True)
    phone_owner = new_page("dark", 390, 844)
    phone_owner.goto(f"{live_server.url}/routines/evening-hips")
    phone_owner.get_by_role("button", name="Make a new link").click()
    phone_owner.screenshot(path=SHOTS / "routine-link-made-phone-dark.png", full_page=True)
    link = phone_owner.locator("#share-url").input_value()  # the newest link works

    refused: list[str] = []
    for scheme in ("light", "dark"):
        for size, (width, height) in SIZES.items():
            page = new_page(scheme, width, height)
            page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
            assert page.goto(link).status == 200
            figures = page.locator("main img.mini")
            assert figures.count() == 3
            for index in range(3):
                figures.nth(index).scroll_into_view_if_needed()
                # decode() waits for the (lazy) picture to arrive; it fails if it never can
                assert figures.nth(index).evaluate(
                    "img => img.decode().then(() => img.naturalWidth > 0, () => false)"
                )
            assert page.locator("header nav").count() == 0
            page.screenshot(path=SHOTS / f"shared-{size}-{scheme}.png", full_page=True)
            page.locator(".share-code").screenshot(path=SHOTS / f"qr-{size}-{scheme}.png")
        check_and_shoot(page, "shared-routine", scheme)  # axe: no violation at any size
    check_and_shoot(phone_owner, "routine-share-link-made", "dark")
    assert refused == []  # no CSP refusal, no failed load

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download the routine file").click()
    saved = tmp_path / "got.yaml"
    waiting.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == ROUTINE
    assert waiting.value.suggested_filename == "evening.yaml"

    phone_owner.get_by_role("button", name="Stop sharing").click()
    assert "Sharing stopped" in phone_owner.locator("#share").inner_text()
    gone = new_page()
    assert gone.goto(link).status == 404
    gone.screenshot(path=SHOTS / "shared-revoked-desktop-light.png")


def clinic(data_dir: Path) -> tuple[str, str]:
    """Coach ada (TOTP on) follows cleo; ada's template has a note and is assigned to cleo.
    The template's id and cleo's."""
    from datetime import UTC, datetime, timedelta

    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        accounts = services.accounts
        accounts.setup("root", "admin passphrase for tests 7")
        accounts.add_clinic("Riverside")
        coach = accounts.add_user("coach", "ada", PASSWORD, clinic="Riverside")
        client = accounts.add_user("client", "cleo", PASSWORD, clinic="Riverside")
        accounts.assign("ada", "cleo")
        earlier = datetime.now(UTC) - timedelta(minutes=5)
        accounts.clock = lambda: earlier
        accounts.enrol_totp("ada", COACH_SECRET, pyotp.TOTP(COACH_SECRET).at(earlier))
        from sirelief.domain.access import Actor, Role

        users = {a.id: a for a in accounts.list_users()}
        ada = Actor(coach.id, Role.COACH, users[coach.id].clinic_id, frozenset({client.id}),
                    None)  # fmt: skip
        check = check_routine_file(SourceFile("evening.yaml", ROUTINE), services.catalogue)
        template_id = services.coaching.upload(ada, check).template_id
        services.coaching.write_template_note(
            ada, template_id, "Slow breaths out on each stretch. If the left side pinches, "
            "skip the hip flexor stretch and tell me at our next appointment.",
        )  # fmt: skip
        services.coaching.assign(ada, client.id, template_id, None, ["mon", "thu"], "evening",
                                 note="Start with this twice a week.")  # fmt: skip
        return template_id, client.id
    finally:
        services.close()


def test_the_coach_writes_a_note_and_shares_a_version(start_server, make_guide, tmp_path):
    data_dir = tmp_path / "clinic" / "data"
    template_id, client_id = clinic(data_dir)
    server = start_server(data_dir, SLOW)
    for scheme in ("light", "dark"):
        guide = make_guide(server=server, color_scheme=scheme, width=390, height=844)
        if scheme == "light":
            sign_in(guide, "ada", COACH_SECRET)
            cookies = guide.page.context.cookies()
        else:
            guide.page.context.add_cookies(cookies)
        guide.goto(f"/templates/{template_id}")
        page = guide.page
        guide.expect(page.locator("#note .template-note")).to_contain_text("Slow breaths out")
        page.get_by_label("Show my name on the shared page").check()
        page.get_by_role("button", name="Make a share link").first.click()
        link = page.locator("#share-url").input_value()
        check_and_shoot(page, "template-note-and-link", scheme)
        stranger = make_guide(server=server, color_scheme=scheme, width=1280, height=800)
        stranger.page.goto(link)
        guide.expect(stranger.page.locator("main")).to_contain_text("shared by ada")
        check_and_shoot(stranger.page, "shared-template-version", scheme)
        page.get_by_role("button", name="Stop sharing").click()
        guide.goto(f"/clients/{client_id}")
        page.get_by_label("Change the note").fill("Only on good days this week.")
        page.get_by_role("button", name="Save the note").click()
        guide.expect(page.locator("#coach-routine .notice")).to_contain_text("Note saved")
        check_and_shoot(page, "client-assignment-note", scheme)
    reader = make_guide(server=server, color_scheme="dark", width=390, height=844)
    sign_in(reader, "cleo")
    reader.goto("/")
    notes = reader.page.locator(".from-coach .coach-note")
    reader.expect(notes).to_have_count(2)
    reader.expect(notes.nth(1)).to_contain_text("Slow breaths out")
    check_and_shoot(reader.page, "today-coach-notes", "dark")
