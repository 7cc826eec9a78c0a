"""The settings page's voice and sound switches, in a real browser: a session of a person
who turned both off says nothing and schedules no tone, and does not ask to turn sound on;
with both on (the control) it does both, in the voice they chose."""

SPEECH_SPY_JS = """
// Headless Chromium may have no voices: note what would be said instead of saying it.
window.said = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => window.said.push(utterance.text);
}
"""


def save_settings(guide, *, sound: bool, voice: bool) -> None:
    page = guide.page
    guide.goto("/settings")
    page.locator("input[name=sound]").set_checked(sound)
    page.locator("input[name=voice]").set_checked(voice)
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url("**/settings?saved=settings")
    guide.expect(page.locator("p.notice")).to_contain_text("Saved")


def run_a_few_steps(guide) -> None:
    guide.page.add_init_script(SPEECH_SPY_JS)
    guide.plan(routine="si-joint-stretches", minutes=20)
    guide.start()
    first = guide.state()["index"]
    for index in range(first, first + 3):
        guide.wait_step_change(index)


def test_sound_and_voice_turned_off_stay_off_in_the_session(make_guide) -> None:
    guide = make_guide(clock_speed=30)
    save_settings(guide, sound=False, voice=False)
    run_a_few_steps(guide)
    page = guide.page
    assert page.evaluate("window.sirelief.sound.scheduled.size") == 0
    assert page.evaluate("window.said") == []
    assert page.evaluate("window.sirelief.sound.spoken") == []
    assert not page.locator("#voice").is_checked()  # the page's own switch starts off
    assert "held" not in (page.locator("#sound-off").get_attribute("class") or "")


def test_sound_and_voice_left_on_are_heard(make_guide) -> None:
    guide = make_guide(clock_speed=30)
    save_settings(guide, sound=True, voice=True)
    run_a_few_steps(guide)
    page = guide.page
    page.wait_for_function("() => window.sirelief.sound.spoken.length > 0")
    page.wait_for_function("() => window.sirelief.sound.scheduled.size > 0")
    assert page.locator("#voice").is_checked()
