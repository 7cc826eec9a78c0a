"""'Too much' by symptom with the JavaScript timer (SPEC 5.5): Cancel goes back to the
running step recording nothing; numbness, tingling or shooting pain offer skip or end
only; pain offers gentler and says what changes; side switches offer end and pause."""

from sirelief.domain.monitoring import PAIN_LIMIT
from sirelief.web.pages.sessions import PHASE_WORDS


def test_too_much_by_symptom_offers_the_right_choices(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1)  # real time: nothing runs out while we click
    page = guide.page
    run = page.locator("#run")
    ask = page.locator("#too-much-ask")
    choices = page.locator("#too-much")
    label = page.locator("#phase")
    session_id = guide.plan()
    guide.start()
    hold = guide.run_until(lambda s: s["phase"] == "work" and not s["reps"], wait_timed=False)

    # Cancel: back to the same running step, nothing recorded, nothing left chosen.
    page.get_by_role("link", name="Too much").click()
    expect(ask).to_be_visible()
    ask.locator("input[name=pain][value='3']").check()
    ask.get_by_label("Numbness").check()
    ask.get_by_role("link", name="Cancel").click()
    expect(ask).to_be_hidden()
    expect(page.locator("#controls")).to_be_visible()
    expect(run).to_have_attribute("data-phase", "work")
    assert guide.state()["index"] == hold["index"]
    assert not [e for e in guide.browser_log() if e["kind"].startswith("too_much")]
    page.get_by_role("link", name="Too much").click()
    expect(ask.locator("input:checked")).to_have_count(0)

    # Tingling: the exercise ends; skip or end only, with the advice.
    ask.locator("input[name=pain][value='2']").check()
    ask.get_by_label("Tingling").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    expect(run).to_have_attribute("data-phase", "too_much")
    expect(label).to_have_text("Work")  # answered: no longer "Too much?"
    expect(choices.get_by_role("button", name="Try it gentler")).to_be_hidden()
    expect(choices.get_by_role("button", name="Skip this exercise")).to_be_visible()
    expect(choices.get_by_role("button", name="End the session")).to_be_visible()
    expect(choices).to_contain_text("within a few minutes")
    expect(choices).to_contain_text("does not replace a clinician")
    choices.get_by_role("button", name="Skip this exercise").click()
    expect(run).not_to_have_attribute("data-phase", "too_much")
    assert guide.state()["index"] > hold["index"]
    expect(label).to_have_text(PHASE_WORDS[guide.state()["phase"]])

    # Sharp pain on the next timed work: gentler is offered and says what changes.
    guide.run_until(lambda s: s["phase"] == "work" and not s["reps"], wait_timed=False)
    page.get_by_role("link", name="Too much").click()
    ask.locator("input[name=pain][value='7']").check()
    ask.get_by_label("Sharp pain").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    expect(run).to_have_attribute("data-phase", "too_much")
    expect(choices.get_by_role("button", name="Try it gentler")).to_be_visible()
    expect(page.locator("#gentler-changes li").first).to_contain_text("Shorter: ")
    expect(choices).to_contain_text(f"over {PAIN_LIMIT} out of 10")
    expect(label).to_have_text("Work")
    choices.get_by_role("button", name="Try it gentler").click()
    expect(run).to_have_attribute("data-phase", "work")  # the same exercise, gentler
    expect(label).to_have_text("Work")
    page.get_by_role("link", name="Too much").click()
    ask.locator("input[name=pain][value='6']").check()
    ask.get_by_label("Aching pain").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    expect(run).to_have_attribute("data-phase", "too_much")
    expect(label).not_to_have_text("Too much?")
    choices.get_by_role("button", name="Skip this exercise").click()
    expect(run).not_to_have_attribute("data-phase", "too_much")
    expect(label).to_have_text(PHASE_WORDS[guide.state()["phase"]])

    # A side switch: no "too much" there, only end (and pause among the controls).
    guide.run_until(lambda s: s["phase"] == "switch_side", wait_timed=False)
    expect(page.get_by_role("link", name="Too much")).to_be_hidden()
    expect(guide.button("Pause")).to_be_visible()
    end = page.locator("#end-now")
    end.locator("summary").click()  # folded away so a stray tap cannot end it
    end.get_by_role("button", name="End it now").click()
    page.wait_for_url("**/results")

    told = [(e["kind"], e.get("pain"), e.get("symptom"), e.get("choice"))
            for e in guide.server.events(session_id) if e["kind"] in ("too_much",
            "too_much_choice", "end")]  # fmt: skip
    assert told == [
        ("too_much", 2, "tingling", None), ("too_much_choice", None, None, "skip"),
        ("too_much", 7, "sharp", None), ("too_much_choice", None, None, "gentler"),
        ("too_much", 6, "aching", None), ("too_much_choice", None, None, "skip"),
        ("end", None, None, None),
    ]  # fmt: skip
