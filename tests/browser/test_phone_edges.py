"""The session page on a phone: a screen that may sleep is said, the wake lock is taken
again when the page returns, and leaving through the menu pauses the session."""

from sirelief.catalogue.loader import builtin_catalogue
from tests.browser.test_sound import AUTOPLAY_RULE_JS

NO_WAKE_LOCK_JS = "delete Navigator.prototype.wakeLock;"
"""A browser without the wake lock, as on plain HTTP at a LAN address (not a secure context)."""

FAKE_WAKE_LOCK_JS = """
window.locks = {requests: 0, refuse: false, held: null};
Object.defineProperty(Navigator.prototype, "wakeLock", {configurable: true, get() { return {
  async request() {
    window.locks.requests += 1;
    if (window.locks.refuse) throw new DOMException("battery saver", "NotAllowedError");
    const lock = new EventTarget();
    lock.release = async () => { lock.dispatchEvent(new Event("release")); };
    window.locks.held = lock;
    return lock;
  }}; }});
"""


def hold(guide) -> dict:
    guide.plan()
    guide.start()
    return guide.run_until(lambda s: s["phase"] == "work" and not s["reps"], wait_timed=False)


def test_without_a_wake_lock_the_page_says_the_screen_may_sleep(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1, width=390, height=844)
    guide.page.add_init_script(NO_WAKE_LOCK_JS)
    hold(guide)
    notice = guide.page.locator("#awake-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("may go to sleep")
    expect(notice).to_contain_text("Set your screen to stay on")


def test_a_granted_wake_lock_says_nothing_and_is_taken_again_on_return(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1)
    page = guide.page
    page.add_init_script(FAKE_WAKE_LOCK_JS)
    hold(guide)
    page.wait_for_function("() => window.locks.held !== null")
    expect(page.locator("#awake-notice")).to_be_hidden()
    before = page.evaluate("window.locks.requests")
    # the system lets go of the lock when the page is hidden; the page comes back
    page.evaluate("window.locks.held.release()")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_function("(n) => window.locks.requests > n", arg=before)
    expect(page.locator("#awake-notice")).to_be_hidden()


def test_a_refused_wake_lock_is_said(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1)
    guide.page.add_init_script(FAKE_WAKE_LOCK_JS + "window.locks.refuse = true;")
    hold(guide)
    notice = guide.page.locator("#awake-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("would not keep the screen on")


def test_leaving_through_the_menu_pauses_the_session(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1)
    session_id = guide.plan()
    guide.start()
    hold_state = guide.run_until(lambda s: s["phase"] == "work", wait_timed=False)
    guide.page.get_by_role("link", name="History").click()
    guide.page.wait_for_url("**/history")
    kinds = [event["kind"] for event in guide.server.events(session_id)]
    assert kinds[-1] == "pause", kinds
    guide.goto(f"/sessions/{session_id}/run")
    guide.wait_ready()
    expect(guide.page.locator("#run")).to_have_attribute("data-phase", "paused")
    assert guide.state()["index"] == hold_state["index"]


def test_the_sound_notice_never_covers_back_or_pause(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1, width=390, height=844)
    guide.page.add_init_script(AUTOPLAY_RULE_JS)
    guide.plan(routine="si-joint-stretches")  # opens with timed work: Back and Pause shown
    guide.start()  # a tap on the plan page: sound is still held back on this one
    page = guide.page
    expect(page.get_by_role("button", name="Turn on sound")).to_be_visible()
    notice = page.locator("#sound-off").bounding_box()
    for name in ("Back", "Pause"):
        button = guide.button(name).bounding_box()
        apart = (notice["y"] + notice["height"] <= button["y"]
                 or button["y"] + button["height"] <= notice["y"])  # fmt: skip
        assert apart, (name, notice, button)


def test_on_a_phone_the_menu_is_one_row_and_the_results_fit(make_guide) -> None:
    from sirelief.services.demo import fill_demo

    guide = make_guide(width=390, height=844)
    library = guide.server.library()
    try:
        fill_demo(library, weeks=2, seed=0)
        rated = next(record for record in library.session_log.sessions(limit=20)
                     if record.state.ended == "completed" and record.state.assessments)  # fmt: skip
    finally:
        library.close()
    page = guide.page
    guide.goto(f"/sessions/{rated.id}/results")
    links = page.locator(".top nav a")
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))}
    assert len(tops) == 1, tops  # one row
    wrap = page.evaluate(
        "(() => { const t = document.querySelector('.table-wrap');"
        " return [t.scrollWidth, t.clientWidth]; })()"
    )
    assert wrap[0] <= wrap[1], wrap  # no sideways scrolling
    for column in ("Mid", "Final", "Change"):
        box = page.get_by_role("columnheader", name=column).bounding_box()
        assert box["x"] + box["width"] <= 390, (column, box)


def test_how_to_do_follows_each_steps_own_exercise(make_guide, expect) -> None:
    """Its steps, cues and stop signs are those of the exercise on screen, not the first's."""
    guide = make_guide(width=390, height=844)
    guide.plan()
    guide.start()
    catalogue = builtin_catalogue()
    how = guide.page.locator("#how")
    seen: list[str] = []
    for _ in range(60):
        state = guide.state()
        if state is None or state["ended"] is not None or len(seen) == 3:
            break
        if state["exercise"] and state["exercise"] not in seen:
            exercise = catalogue.exercise(state["exercise"])
            expect(how.locator("summary")).to_have_text(f"How to do {exercise.name}")
            expect(how.locator("ol > li").first).to_have_text(exercise.steps[0])
            expect(how.locator("ul").last.locator("li").first).to_have_text(exercise.stop_signs[0])
            seen.append(state["exercise"])
        guide.step(wait_timed=False)
    assert len(seen) >= 2


REWRITES_JS = """
window.rewrites = {};
new MutationObserver((records) => {
  for (const record of records) {
    const element = record.type === "characterData" ? record.target.parentElement : record.target;
    if (element && element.id && (record.type === "characterData" || record.removedNodes.length)) {
      window.rewrites[element.id] = (window.rewrites[element.id] || 0) + 1;
    }
  }
}).observe(document, {childList: true, characterData: true, subtree: true});
"""
"""Counts, per element id, the times a text the page already showed was replaced."""


def test_the_script_leaves_the_servers_words_as_they_are(make_guide) -> None:
    """The server draws the first step; the page's script starting up must not write the
    same words again: a rewritten text is painted anew, and the page's largest text (the
    "Next: ..." line) then counted as painted late (Lighthouse 99 instead of 100)."""
    guide = make_guide(clock_speed=1, width=390, height=844)
    guide.page.add_init_script(REWRITES_JS)
    guide.plan()
    guide.start()
    rewrites = guide.page.evaluate("window.rewrites")
    for shown in ("next", "title", "phase", "progress-text"):
        assert rewrites.get(shown, 0) == 0, rewrites
    assert guide.page.locator("#next").inner_text().startswith("Next: ")
