"""A shared routine in Chromium (issue 18 item 6): the owner makes a link, a stranger opens
it at phone and desktop sizes, light and dark; its figures load under the page's strict
policy, its file downloads as it was added, and revoking makes it "not found".
Screenshots go to $SIRELIEF_SHOTS (default /work/shots/share) to be looked at."""

import os
from pathlib import Path

from sirelief.catalogue.loader import SourceFile, check_routine_file

SHOTS = Path(os.environ.get("SIRELIEF_SHOTS", "/work/shots/share"))
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
                assert figures.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
            assert page.locator("header nav").count() == 0
            page.screenshot(path=SHOTS / f"shared-{size}-{scheme}.png", full_page=True)
            page.locator(".share-code").screenshot(path=SHOTS / f"qr-{size}-{scheme}.png")
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
