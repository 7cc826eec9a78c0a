"""Knee-to-wall with the phone as an inclinometer, on a phone-sized page in Chromium.

The sensor is played by the test: synthetic ``deviceorientation`` events, dispatched on the
window until the page counts the try, so nothing waits on a fixed time. What is stored is
read back from the database."""

import math
from pathlib import Path

import pytest

from sirelief.domain.inclinometer import mean_of_tries, shin_angle
from tests.storage.scripted import START

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}

HOLD_STILL_JS = """async ({side, beta, gamma}) => {
  const status = document.querySelector(`#field-knee_to_wall_${side} .phone-measure-status`);
  const before = status.dataset.tries;
  for (let i = 0; i < 400 && status.dataset.tries === before; i++) {
    window.dispatchEvent(new DeviceOrientationEvent("deviceorientation", {alpha: 10, beta, gamma}));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return status.dataset.tries;
}"""
"""Hold the phone still at one angle until the page takes the try; returns its try count."""


def measure(page, expect, side: str, readings: list[tuple[float, float]]) -> None:
    page.get_by_role("button", name=f"Measure the {side} side with your phone").click()
    status = page.locator(f"#field-knee_to_wall_{side} .phone-measure-status")
    expect(status).to_have_attribute("data-state", "measuring")
    for number, (beta, gamma) in enumerate(readings, start=1):
        tries = page.evaluate(HOLD_STILL_JS, {"side": side, "beta": beta, "gamma": gamma})
        assert tries == str(number)
    expect(status).to_have_attribute("data-state", "done")


def test_three_steady_tries_per_side_store_their_mean_angle(new_page, live_server, expect,
                                                            guide_class) -> None:  # fmt: skip
    guide = guide_class(new_page(**PHONE), live_server, expect)
    page = guide.page
    guide.fill_checkin()
    left = [30.0, 33.5, 31.0]  # portrait: the lean is 90 - beta
    right = [40.0, 38.5, 41.25]  # landscape: the lean is 90 - gamma
    measure(page, expect, "left", [(90 - a, 0) for a in left])
    measure(page, expect, "right", [(0, 90 - a) for a in right])
    left_mean, right_mean = mean_of_tries(left), mean_of_tries(right)
    expect(page.locator("#ktw-deg-left")).to_have_value(f"{left_mean:.1f}")
    expect(page.locator("#ktw-deg-right")).to_have_value(f"{right_mean:.1f}")
    status = page.locator("#field-knee_to_wall_left .phone-measure-status")
    expect(status).to_contain_text(f"average, {left_mean:.1f}°")
    page.screenshot(path=screenshot("inclinometer-measured-390.png"), full_page=True)
    guide.submit_checkin()  # sends the check-in with the measured angles
    page.wait_for_url("**/sessions/*")
    session_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    library = live_server.library()
    try:
        checkin = library.session_log.session(session_id).checkin
    finally:
        library.close()
    assert checkin.knee_to_wall_deg.left == pytest.approx(sum(left) / 3, abs=0.05)
    assert checkin.knee_to_wall_deg.right == pytest.approx(sum(right) / 3, abs=0.05)
    assert (checkin.knee_to_wall_deg.left, checkin.knee_to_wall_deg.right) == (
        left_mean, right_mean)  # fmt: skip
    assert checkin.knee_to_wall_cm is None


def test_a_shaking_phone_takes_no_try(new_page, live_server, expect, guide_class) -> None:
    guide = guide_class(new_page(**PHONE), live_server, expect)
    page = guide.page
    guide.fill_checkin()
    page.get_by_role("button", name="Measure the left side with your phone").click()
    tries = page.evaluate("""async () => {
      const status = document.querySelector("#field-knee_to_wall_left .phone-measure-status");
      for (let i = 0; i < 60; i++) {  // 3 seconds swinging 3 degrees either way
        const beta = 60 + (i % 2 ? 3 : -3);
        const reading = {alpha: 0, beta, gamma: 0};
        window.dispatchEvent(new DeviceOrientationEvent("deviceorientation", reading));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return status.dataset.tries;
    }""")
    assert tries == "0"
    assert page.locator("#ktw-deg-left").input_value() == ""


def test_without_a_sensor_the_page_says_so_and_keeps_the_distance(new_page, live_server,
                                                                   expect) -> None:  # fmt: skip
    page = new_page()  # a laptop: no deviceorientation event ever comes
    page.goto(live_server.url + "/checkin")
    page.get_by_role("button", name="Measure the right side with your phone").click()
    status = page.locator("#field-knee_to_wall_right .phone-measure-status")
    expect(status).to_have_attribute("data-state", "no-sensor")
    expect(status).to_contain_text("No motion sensor answered")
    expect(
        page.get_by_role("button", name="Measure the right side with your phone")
    ).to_be_enabled()
    page.fill("#ktw-right", "9.5")
    expect(page.locator("#ktw-right")).to_have_value("9.5")
    page.screenshot(path=screenshot("inclinometer-no-sensor-1280.png"), full_page=True)


def test_where_the_browser_asks_first_a_refusal_is_explained(new_page, live_server,
                                                             expect) -> None:  # fmt: skip
    page = new_page(**PHONE)
    page.add_init_script(
        "DeviceOrientationEvent.requestPermission = async () => { window.asked = true;"
        " return 'denied'; };"
    )
    page.goto(live_server.url + "/checkin")
    page.get_by_role("button", name="Measure the left side with your phone").click()
    status = page.locator("#field-knee_to_wall_left .phone-measure-status")
    expect(status).to_contain_text("Motion sensor access was not allowed")
    assert page.evaluate("window.asked") is True


def test_the_browser_sums_match_the_domain(new_page, live_server) -> None:
    """inclinometer.js mirrors sirelief.domain.inclinometer: the same angles out."""
    page = new_page()
    page.goto(live_server.url + "/checkin")
    pairs = [(90, 0), (55, 0), (125, 0), (-55, 0), (0, 60), (10, 90), (73.3, -12.5)]
    angles = page.evaluate("""async (pairs) => {
      const src = document.querySelector("script[src*='inclinometer.js']").src;
      const {shinAngle} = await import(src);
      return pairs.map(([b, g]) => shinAngle(b, g));
    }""", pairs)  # fmt: skip
    for (beta, gamma), angle in zip(pairs, angles, strict=True):
        assert math.isclose(angle, shin_angle(beta, gamma), abs_tol=1e-6)


def screenshot(name: str) -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS / name)


ANKLE_CHECK = """\
format: sirelief.routine.v1
id: ankle-check
version: 1
name: Ankle check
summary: A baseline check with the knee-to-wall test, a calf stretch, a last check.
blocks:
  - id: first
    title: First check
    sides: both
    steps:
      - assess: baseline
        squat_reps: null
        knee_to_wall: true
  - id: stretch
    title: Stretch
    steps:
      - exercise: figure-four-piriformis
  - id: last
    title: Last check
    sides: both
    steps:
      - assess: final
        squat_reps: null
        knee_to_wall: true
"""


def test_an_assessment_point_stores_the_phone_angle(new_page, live_server, expect,
                                                    guide_class) -> None:  # fmt: skip
    library = live_server.library()
    try:
        library.routine_store.save_routine(
            "ankle-check", "ankle-check.yaml", ANKLE_CHECK, START, False
        )
    finally:
        library.close()
    guide = guide_class(new_page(**PHONE), live_server, expect)
    page = guide.page
    guide.plan(routine="ankle-check")
    guide.start()
    guide.run_until(lambda s: s["assess"] == "baseline", wait_timed=False)
    left, right = [25.0, 26.0, 27.5], [22.0, 21.5, 23.0]
    measure(page, expect, "left", [(90 - a, 0) for a in left])
    measure(page, expect, "right", [(90 + a, 5) for a in right])  # screen turned the other way
    page.screenshot(path=screenshot("inclinometer-assessment-390.png"), full_page=True)
    state = guide.state()
    guide.rate([3, 7, 2, 5, 4, 6, 4])
    guide.wait_step_change(state["index"])
    guide.wait_outbox_empty()
    stored = [e for e in live_server.events(guide.session_id) if e["kind"] == "assessment"]
    assert len(stored) == 1
    angles = stored[0]["knee_to_wall_deg"]
    expected_right = mean_of_tries([shin_angle(90 + a, 5) for a in right])
    assert angles == {"left": mean_of_tries(left), "right": expected_right}
    assert "knee_to_wall" not in stored[0]  # no distance typed: the angle alone is enough
