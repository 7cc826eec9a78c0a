"""Sound in a real browser: tones scheduled ahead across hands-free steps, a sounding tone
never cut off when the step moves on, and a clear way to turn sound on when the browser
holds it back (the browser's autoplay rule)."""

AUTOPLAY_RULE_JS = """
// The autoplay rule of browsers that hold sound back (headless Chromium does not): a
// context starts suspended and resumes only within a tap on this page.
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  constructor(...args) { super(...args); super.suspend(); }
  resume() { return navigator.userActivation.isActive ? super.resume() : Promise.resolve(); }
};
"""

STOP_SPY_JS = """
// Note every oscillator stopped "now": cut while sounding, or cancelled before it began.
window.stops = { cut: 0, cancelled: 0 };
const start = OscillatorNode.prototype.start;
const stop = OscillatorNode.prototype.stop;
OscillatorNode.prototype.start = function (when = 0) {
  this.startAt = when;
  return start.call(this, when);
};
OscillatorNode.prototype.stop = function (when = 0) {
  if (when === 0) {
    if (this.startAt <= this.context.currentTime) window.stops.cut += 1;
    else window.stops.cancelled += 1;
  }
  return stop.call(this, when);
};
"""

SCHEDULED_JS = """() => [...window.sirelief.sound.scheduled.keys()]
  .map((key) => ({ tone: key.split('@')[0], at: Number(key.split('@')[1]) }))"""


def hands_free(guide) -> None:
    """A stretch session: every step is timed, so nothing waits for a tap."""
    guide.plan(routine="si-joint-stretches", minutes=20)
    guide.start()


def test_tones_are_scheduled_ahead_for_the_steps_that_follow_by_themselves(make_guide) -> None:
    guide = make_guide(clock_speed=10)
    hands_free(guide)
    page = guide.page
    page.wait_for_function("() => window.sirelief.sound.scheduled.size > 0")
    deadline = page.evaluate(
        "() => { const s = window.sirelief.state;"
        " return s.stepStartedAt + s.pausedS + s.steps[s.index].duration_s; }"
    )
    tones = page.evaluate(SCHEDULED_JS)
    done = sorted(t["at"] for t in tones if t["tone"] == "done")
    # Not only the current step's end: several later steps are already on the audio clock.
    assert len(done) >= 4, tones
    assert done[-1] > deadline + 60, (deadline, done)


def test_a_sounding_tone_is_never_cut_when_the_step_moves_on(make_guide) -> None:
    guide = make_guide(clock_speed=30)
    guide.page.add_init_script(STOP_SPY_JS)
    hands_free(guide)
    guide.page.locator("#countdown").click()  # a tap on the page: sound on in any version
    first = guide.state()["index"]
    for index in range(first, first + 4):
        guide.wait_step_change(index)
    guide.button("Pause").click()
    guide.page.wait_for_function("() => window.sirelief.state.pausedAt !== null")
    stops = guide.page.evaluate("window.stops")
    assert stops["cut"] == 0, stops
    assert stops["cancelled"] > 0, stops  # pausing did call off the tones still to come


def test_a_page_whose_sound_is_held_back_offers_to_turn_it_on(make_guide, expect) -> None:
    guide = make_guide()
    guide.page.add_init_script(AUTOPLAY_RULE_JS)
    guide.plan()
    guide.start()  # the plan page's Start: a tap, but on another page
    page = guide.page
    turn_on = page.get_by_role("button", name="Turn on sound")
    expect(turn_on).to_be_visible()
    assert not page.evaluate("window.sirelief.sound.running()")
    phase_top = page.locator("#phase").bounding_box()["y"]  # the line after the notice
    turn_on.click()
    expect(turn_on).to_be_hidden()
    assert page.evaluate("window.sirelief.sound.running()")
    # the notice lies over the page: coming and going, it moves nothing (no layout shift)
    assert page.locator("#phase").bounding_box()["y"] == phase_top
