"""axe-core on every page and session state, light and dark, phone and laptop; screenshots.

Zero violations, WCAG 2.2 target size included. Every state is also saved as a full-page
screenshot at 390x844 and 1280x800 in build/screenshots/ for people to look at.
"""

from collections.abc import Callable, Iterator
from itertools import cycle
from pathlib import Path

import pytest

from tests.clock import MovableClock

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SLOW = 0.1
"""The session clock runs at a tenth of real time here, so no state moves on mid-check."""
SIZES = [(390, 844), (1280, 800)]
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
BROKEN_ROUTINE = (
    "id: my-hips\nname: My hips\nsummary: Mine.\nblocks:\n  - id: main\n"
    "    title: Main\n    steps:\n      - exercise: nope\n"
)


@pytest.fixture(scope="module")
def server(start_server, tmp_path_factory):
    return start_server(tmp_path_factory.mktemp("a11y") / "data", SLOW)


@pytest.fixture(scope="module")
def finished(browser, server, expect, guide_class) -> Iterator[str]:
    """One completed session (for results, history and today's "last time")."""
    context = browser.new_context(service_workers="block")
    guide = guide_class(context.new_page(), server, expect)
    guide.plan()
    guide.start()
    guide.finish(wait_timed=False)
    yield guide.session_id
    context.close()


def _start(guide) -> None:
    guide.plan()
    guide.start()


def _at(stop: Callable[[dict], bool]) -> Callable:
    def prepare(guide) -> None:
        _start(guide)
        guide.run_until(stop, wait_timed=False)

    return prepare


def _paused(guide) -> None:
    _at(lambda s: s["phase"] == "work")(guide)
    guide.button("Pause").click()
    guide.expect(guide.page.locator("#run")).to_have_attribute("data-phase", "paused")


def _ask_too_much(guide) -> None:
    _at(lambda s: s["phase"] == "work")(guide)
    guide.page.get_by_role("link", name="Too much").click()
    guide.expect(guide.page.locator("#too-much-ask")).to_be_visible()


def _too_much_error(guide) -> None:
    _ask_too_much(guide)
    guide.page.get_by_role("button", name="Tell sirelief").click()
    guide.expect(guide.page.locator("#too-much-ask .error")).to_have_count(2)


def _told(symptom: str) -> Callable:
    def prepare(guide) -> None:
        _ask_too_much(guide)
        guide.page.locator("#too-much-ask input[name=pain][value='6']").check()
        guide.page.locator("#too-much-ask").get_by_label(symptom).check()
        guide.page.get_by_role("button", name="Tell sirelief").click()
        guide.expect(guide.page.locator("#run")).to_have_attribute("data-phase", "too_much")

    return prepare


def _assessment_error(guide) -> None:
    _at(lambda s: s["phase"] == "assessment")(guide)
    guide.page.get_by_role("button", name="Save and go on").click()
    guide.expect(guide.page.locator("#assessment .error")).to_contain_text("Please rate")


def _not_started(guide) -> None:
    guide.plan()
    guide.goto(f"/sessions/{guide.session_id}/run")
    guide.wait_ready()


def _checkin_errors(guide) -> None:
    guide.goto("/checkin")
    guide.submit_checkin()
    guide.expect(guide.page.locator(".error-summary")).to_be_visible()


def _stop(guide) -> None:
    guide.fill_checkin()
    guide.page.locator("input[name=red_flags]").first.check()
    guide.submit_checkin()
    guide.expect(guide.page.locator(".stop")).to_be_visible()


def _broken_upload(guide) -> None:
    guide.goto("/routines")
    guide.page.set_input_files(
        "#file", files=[{"name": "mine.yaml", "mimeType": "text/yaml",
                         "buffer": BROKEN_ROUTINE.encode()}]
    )  # fmt: skip
    guide.page.get_by_role("button", name="Check only").click()
    guide.expect(guide.page.locator(".problems")).to_contain_text("line 8")


def _refused(path: str, button: str) -> Callable:
    """A safety form sent empty: its error summary, with nothing written (the server is
    shared, and a saved precaution would change every later plan)."""

    def prepare(guide) -> None:
        guide.goto(path)
        guide.page.get_by_role("button", name=button).click()
        guide.expect(guide.page.locator(".error-summary")).to_be_visible()

    return prepare


REVIEW_FLAG_SETS = cycle([
    ("no-better-6-weeks",), ("morning-stiffness", "second-half-night-waking"),
    ("alternating-buttock-pain", "onset-under-40"),
])  # fmt: skip
"""Review advice comes once a week (SPEC 5.1): each plan with the review form (light, dark)
ticks flags not advised before on this shared server."""


def _plan_with_review_form(guide) -> None:
    guide.plan(red_flags=next(REVIEW_FLAG_SETS))
    guide.expect(guide.page.locator(".review-done form")).to_be_visible()


def _settings_errors(guide) -> None:
    """The settings form with a region for a time zone: its error summary, nothing saved."""
    guide.goto("/settings")
    guide.page.fill("#time_zone", "America")
    guide.page.get_by_role("button", name="Save settings").click()
    guide.expect(guide.page.locator(".error-summary")).to_be_visible()


def _path(path: str) -> Callable:
    return lambda guide: guide.goto(path)


STATES: dict[str, Callable] = {
    "today": _path("/"),
    "checkin": _path("/checkin"),
    "checkin-errors": _checkin_errors,
    "stop": _stop,
    "plan": lambda guide: guide.plan(),
    "plan-review-form": _plan_with_review_form,
    "run-not-started": _not_started,
    "run-get-ready": _start,
    "run-running": _at(lambda s: s["phase"] == "work"),
    "run-paused": _paused,
    "run-rest": _at(lambda s: s["phase"] == "rest"),
    "run-switch-side": _at(lambda s: s["phase"] == "switch_side"),
    "run-assessment": _at(lambda s: s["phase"] == "assessment"),
    "run-assessment-error": _assessment_error,
    "run-too-much-ask": _ask_too_much,
    "run-too-much-ask-error": _too_much_error,
    "run-too-much": _told("Aching pain"),
    "run-too-much-tingling": _told("Tingling"),
    "results": lambda guide: guide.goto(f"/sessions/{guide.finished}/results"),
    "history": _path("/history"),
    "insights-first-session": _path("/insights"),
    "exercises": _path("/exercises"),
    "gallery": _path("/exercises/gallery"),
    "exercise": _path("/exercises/kb-hip-flexor-smash"),
    "routines": _path("/routines"),
    "routine": _path("/routines/kettlebell-smash-reset"),
    "routines-broken-upload": _broken_upload,
    "not-found": _path("/no-such-page"),
    "offline": _path("/offline"),
    "precautions": _path("/safety/precautions"),
    "precautions-error": _refused("/safety/precautions", "Save my answers"),
    "clearances": _path("/safety/clearances"),
    "clearances-error": _refused("/safety/clearances", "Record the clearance"),
    "reviews": _path("/safety/reviews"),
    "reviews-error": _refused("/safety/reviews", "I have had this reviewed"),
    "settings": _path("/settings"),
    "settings-errors": _settings_errors,
    "psfs": _path("/psfs"),
    "psfs-error": _refused("/psfs", "Save my activities"),
}


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())[:300]
            lines.append(f"    {node['target']}  {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(STATES))
def test_no_axe_violations(name, scheme, server, finished, make_guide) -> None:
    width, height = SIZES[0]
    guide = make_guide(server=server, color_scheme=scheme, width=width, height=height)
    guide.finished = finished
    STATES[name](guide)
    check_and_shoot(guide.page, name, scheme)


@pytest.fixture(scope="module")
def demo_servers(start_server, tmp_path_factory) -> dict:
    """Twelve weeks of demo history each: a typical person, and one whose pain climbs."""
    from sirelief.services import Services
    from sirelief.services.demo import fill_demo
    from sirelief.settings import Settings

    servers = {}
    for scenario in ("typical", "worsening"):
        data_dir = tmp_path_factory.mktemp(f"demo-{scenario}") / "data"
        library = Services(Settings(data_dir=data_dir, database_url=None), MovableClock())
        fill_demo(library, weeks=12, seed=0, scenario=scenario)
        library.close()
        servers[scenario] = start_server(data_dir, SLOW)
    return servers


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scenario", ["typical", "worsening"])
def test_insights_have_no_axe_violations(scenario, scheme, demo_servers, make_guide) -> None:
    width, height = SIZES[0]
    guide = make_guide(
        server=demo_servers[scenario], color_scheme=scheme, width=width, height=height
    )
    guide.goto("/insights")
    guide.expect(guide.page.locator("svg.chart").first).to_be_visible()
    if scenario == "worsening":
        guide.expect(guide.page.locator(".caution")).to_contain_text("two weeks running")
    # open every data table so axe checks them too
    for summary in guide.page.locator("details > summary").all():
        summary.click()
    check_and_shoot(guide.page, f"insights-{scenario}", scheme)


CUT_TEXT_JS = """() => [...document.querySelectorAll("svg.chart")]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => {
    const box = svg.viewBox.baseVal;
    return [...svg.querySelectorAll("text")].map((text) => [text, text.getBBox()])
      .filter(([, b]) => b.x < box.x - 1 || b.x + b.width > box.x + box.width + 1)
      .map(([text, b]) => `${svg.id}: "${text.textContent}" spans ${Math.round(b.x)} to `
                          + `${Math.round(b.x + b.width)} of ${box.width}`);
  })"""


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_no_chart_text_runs_off_its_chart(width, height, demo_servers, make_guide) -> None:
    """Every label, tick and axis title inside its drawing, as the browser lays the type
    out (the bold axis titles were once measured too narrow and cut on a phone)."""
    guide = make_guide(server=demo_servers["typical"], width=width, height=height)
    guide.goto("/insights")
    guide.expect(guide.page.locator("svg.chart >> visible=true").first).to_be_visible()
    assert guide.page.evaluate(CUT_TEXT_JS) == []


def check_and_shoot(page, name: str, scheme: str) -> None:
    """axe at each size (zero violations), and a full-page screenshot at each."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.fonts.ready")
        results = Axe().run(page, options=AXE_OPTIONS)
        found += [f"at {width}x{height}:\n{describe(results.response['violations'])}"
                  for _ in [0] if results.violations_count]  # fmt: skip
        shot = Path(SCREENSHOTS, f"{name}-{scheme}-{width}x{height}.png")
        page.screenshot(path=shot, full_page=True)
    assert not found, f"axe violations on {name} ({scheme}):\n" + "\n".join(found)
