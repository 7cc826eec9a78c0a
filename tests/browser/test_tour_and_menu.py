"""At phone size, with touch: the first-run tour walked through and skipped, axe on each of
its screens, light and dark; the main menu one row with nothing sideways, in personal mode
and for a clinic's client and coach (issue 19, items 5 and 6)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.test_accessibility import check_and_shoot
from tests.browser.test_clinic_accessibility import COACH_SECRET, set_up, sign_in

PHONE = {"width": 390, "height": 844}
SCREENS = ("What sirelief does", "Safety comes first", "How you tell what helps")


@pytest.fixture
def touring(start_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A server that offers the tour (the suite starts with it off)."""
    monkeypatch.setenv("SIRELIEF_FIRST_RUN_TOUR", "1")
    return start_server(tmp_path / "data")


@pytest.fixture
def phone(browser) -> Iterator:
    """A fresh phone-sized page with touch (a tap is a tap), per call and colour scheme."""
    contexts = []

    def open_page(color_scheme: str = "light"):
        context = browser.new_context(
            viewport=PHONE, has_touch=True, is_mobile=True, color_scheme=color_scheme
        )
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def heading(page) -> str:
    return page.locator("main h1").inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_tour_walked_to_its_end_never_comes_back(touring, phone, expect, scheme) -> None:
    page = phone(scheme)
    page.goto(touring.url + "/")
    page.wait_for_url("**/welcome")
    for number, title in enumerate(SCREENS, start=1):
        assert heading(page) == title
        check_and_shoot(page, f"tour-{number}", scheme)
        page.set_viewport_size(PHONE)  # check_and_shoot leaves it at laptop size
        if number < len(SCREENS):
            page.get_by_role("link", name="Next").tap()
            page.wait_for_url(f"**/welcome/{('safety', 'compare')[number - 1]}")
    page.get_by_role("link", name="Back").tap()
    expect(page.locator("main h1")).to_have_text(SCREENS[1])
    page.get_by_role("link", name="Next").tap()
    page.get_by_role("button", name="Start").tap()
    expect(page.locator("main h1")).to_have_text("Today")
    page.goto(touring.url + "/")
    expect(page.locator("main h1")).to_have_text("Today")
    assert page.url.rstrip("/") == touring.url


def test_the_tour_skipped_on_its_second_screen_never_comes_back(touring, phone, expect) -> None:
    page = phone()
    page.goto(touring.url + "/")
    page.get_by_role("link", name="Next").tap()
    expect(page.locator("main h1")).to_have_text(SCREENS[1])
    page.get_by_role("button", name="Skip the tour").tap()
    expect(page.locator("main h1")).to_have_text("Today")
    page.context.clear_cookies()  # not a cookie: kept with the person's data
    page.goto(touring.url + "/")
    expect(page.locator("main h1")).to_have_text("Today")


MENU_JS = """() => {
  const links = [...document.querySelectorAll('.top nav a')];
  const inside = (el) => { const r = el.getBoundingClientRect();
                           return r.left >= 0 && r.right <= window.innerWidth; };
  return {
    tops: [...new Set(links.map((a) => Math.round(a.getBoundingClientRect().top)))],
    names: links.map((a) => a.textContent.trim()),
    clipped: links.filter((a) => a.scrollWidth > a.clientWidth).map((a) => a.textContent),
    menuScrolls: document.querySelector('.top nav ul').scrollWidth
                 > document.querySelector('.top nav ul').clientWidth,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
    outside: [...document.querySelectorAll('.top a, .top button')].filter((el) => !inside(el))
               .map((el) => el.textContent.trim()),
    headerTops: [...document.querySelectorAll(
                  '.brand, .settings-link, .account-link, .sign-out button')]
                  .map((el) => Math.round(el.getBoundingClientRect().top)),
  };
}"""


def assert_one_row(page, names: list[str]) -> None:
    menu = page.evaluate(MENU_JS)
    assert menu["names"] == names
    assert len(menu["tops"]) == 1, menu  # every item on one row
    assert not menu["clipped"], menu  # every label whole
    assert not menu["menuScrolls"], menu  # no sideways scrolling inside the menu
    assert not menu["pageScrolls"], menu  # nor of the page
    assert not menu["outside"], menu  # every header link and button on the screen
    assert (
        len(set(menu["headerTops"])) <= 1 or max(menu["headerTops"]) - min(menu["headerTops"]) < 12
    ), menu  # the brand, Settings, Account and Sign out share the first line


CLIENT_MENU = ["Today", "Check-in", "History", "Insights", "Exercises", "Routines"]
STAFF_MENU = ["Clients", "Templates", "Effects", "Invite", "Exercises", "Routines"]


@pytest.mark.parametrize("path", ["/", "/exercises", "/insights"])
def test_on_a_phone_the_personal_menu_is_one_row(live_server, phone, path) -> None:
    page = phone()
    page.goto(live_server.url + path)
    assert_one_row(page, CLIENT_MENU)


def test_on_a_phone_the_clinic_menus_are_one_row(
    start_server, tmp_path: Path, phone, guide_class, expect
) -> None:
    data_dir = tmp_path / "clinic" / "data"
    data_dir.mkdir(parents=True)
    set_up(data_dir)
    server = start_server(data_dir)
    client = guide_class(phone(), server, expect)
    sign_in(client, "cleo")
    client.goto("/history")
    assert_one_row(client.page, CLIENT_MENU)
    expect(client.page.locator(".account-link")).to_be_visible()
    expect(client.page.locator(".settings-link")).to_be_visible()  # on the first line too
    coach = guide_class(phone("dark"), server, expect)
    sign_in(coach, "ada", COACH_SECRET)
    coach.goto("/")
    assert_one_row(coach.page, STAFF_MENU)
    expect(coach.page.get_by_role("button", name="Sign out")).to_be_visible()


SELECT_JS = """() => {
  const select = document.querySelector('#routine');
  const style = getComputedStyle(select);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const longest = Math.max(...[...select.options].map((o) => pen.measureText(o.text).width));
  return {inner: select.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight), longest,
          right: select.getBoundingClientRect().right, screen: window.innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_routine_select_is_wide_enough_for_its_names(live_server, new_page, width) -> None:
    page = new_page(width=width, height=844)
    page.goto(live_server.url + "/checkin")
    size = page.evaluate(SELECT_JS)
    assert size["right"] <= size["screen"], size  # never wider than the screen
    if width == 1280:
        assert size["inner"] >= size["longest"], size  # every name whole, beside its arrow
