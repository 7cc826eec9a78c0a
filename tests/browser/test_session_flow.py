"""A person in a real browser: check-in to results, reloads, lost network, red flags, pauses."""

import time

from selectolax.lexbor import LexborHTMLParser


def results_rows(html: str) -> dict[tuple[str, str], list[str]]:
    doc = LexborHTMLParser(html)
    return {
        (row.css("td")[0].text().split()[0], row.css_first("th").text()):
            [cell.text() for cell in row.css("td")[1:]]
        for row in doc.css("tbody tr")
    }  # fmt: skip


def test_a_whole_session_from_checkin_to_results(guide, expect) -> None:
    page = guide.page
    session_id = guide.plan()
    expect(page.locator(".lead")).to_contain_text("starting with your right side")
    guide.start()
    guide.finish()

    # Right side first: the first smash exercise was shown on the right side.
    shown = guide.shown()
    smashes = [entry for entry in shown if entry[0].startswith("Kettlebell")]
    assert smashes, shown
    assert smashes[0] == ["Kettlebell hip flexor smash", "Right side"], shown
    assert {side for title, side in shown[: shown.index(smashes[0]) + 6]
            if title.startswith("Kettlebell")} == {"Right side"}  # fmt: skip

    expect(page.locator("h1")).to_have_text("Your results")
    findings = page.locator(".findings")
    expect(findings).to_contain_text(
        "Biggest change: your right front of hip felt 4 points less tight than at the start."
    )
    rows = results_rows(page.content())
    assert rows[("right", "Front of hip")] == ["7", "3", "3", "-4"]

    log = guide.browser_log()
    stored = guide.server.events(session_id)
    assert [e["id"] for e in stored] == [e["id"] for e in log]
    assert stored == log
    kinds = [e["kind"] for e in stored]
    assert kinds.count("assessment") == 3
    assert kinds[-1] == "complete"


def test_a_reload_mid_hold_resumes_the_same_step_and_countdown(make_guide, expect) -> None:
    # A slower clock (x10) so a 3-minute hold lasts 18 s: room for a reload within it.
    guide = make_guide(clock_speed=10)
    page = guide.page
    guide.plan()
    guide.start()
    hold = guide.run_until(
        lambda s: s["kind"] == "exercise" and s["exercise"] == "kb-hip-flexor-smash",
        wait_timed=False,
    )
    page.reload()
    guide.wait_ready()
    after = guide.state()
    assert after["index"] == hold["index"]
    assert after["stepStartedAt"] == hold["stepStartedAt"]  # continued, not restarted
    countdown = page.locator("#countdown")
    expect(countdown).not_to_have_text("3:00")
    expect(countdown).not_to_have_text(countdown.text_content())  # still counting down
    guide.wait_step_change(hold["index"])  # and it runs out by itself
    guide.wait_outbox_empty()
    stored = guide.server.events(guide.session_id)
    assert "restart" not in [e["kind"] for e in stored]
    assert stored[-1]["kind"] == "complete"
    assert stored[-1]["step"] == hold["index"]
    assert stored == guide.browser_log()


def test_a_hold_that_ran_out_while_the_page_was_closed_starts_over(make_guide, expect) -> None:
    guide = make_guide(clock_speed=10)
    guide.plan()
    guide.start()
    hold = guide.run_until(lambda s: s["kind"] == "exercise", wait_timed=False)
    deadline = hold["stepStartedAt"] + guide.page.evaluate(
        "window.sirelief.state.steps[window.sirelief.state.index].duration_s"
    )
    wake = guide.real_time_of(deadline)
    guide.wait_outbox_empty()
    known = len(guide.server.events(guide.session_id))
    guide.page.goto("about:blank")
    while time.time() <= wake + 0.2:  # the page is closed while the hold runs out
        time.sleep(0.1)
    guide.goto(f"/sessions/{guide.session_id}/run")
    guide.wait_ready()
    after = guide.state()
    assert after["index"] == hold["index"]
    assert after["stepStartedAt"] > deadline
    guide.wait_outbox_empty()
    assert guide.server.events(guide.session_id)[known]["kind"] == "restart"


def test_offline_mid_session_loses_no_event(guide, expect) -> None:
    page = guide.page
    session_id = guide.plan()
    guide.start()
    page.context.set_offline(True)
    # Several steps without a network, the baseline check (the first step) included.
    guide.run_until(lambda s: s["kind"] == "exercise" and s["exercise"] == "kb-hip-flexor-smash")
    guide.button("Pause").click()
    expect(page.locator("#run")).to_have_attribute("data-phase", "paused")
    offline = guide.state()
    assert offline["pending"] > 0
    expect(page.locator("#save-status")).to_contain_text("waiting to reach sirelief")
    assert any(e["kind"] == "assessment" for e in page.evaluate("window.sirelief.outbox.pending()"))
    assert len(guide.server.events(session_id)) < len(guide.browser_log())

    page.context.set_offline(False)
    guide.wait_outbox_empty()
    expect(page.locator("#save-status")).to_have_text("")
    stored = guide.server.events(session_id)
    assert stored == guide.browser_log()
    assert [e["kind"] for e in stored][-1] == "pause"
    assert offline["index"] == guide.state()["index"]


def test_a_red_flag_stops_with_no_way_to_start(guide, expect) -> None:
    page = guide.page
    guide.fill_checkin()
    page.locator("input[name=red_flags]").first.check()
    guide.submit_checkin()
    expect(page.locator(".stop .badge")).to_be_visible()
    expect(page.locator(".stop")).to_contain_text("What to do")
    expect(page.locator("form[action*='/sessions/']")).to_have_count(0)
    expect(page.get_by_role("button", name="Start the session")).to_have_count(0)
    library = guide.server.library()
    try:
        assert library.session_log.sessions() == []
        assert len(library.checkin_store.stops()) == 1
    finally:
        library.close()
    guide.goto("/")
    expect(page.get_by_text("Pick up where you left off")).to_have_count(0)


def test_the_step_controls_hide_while_a_question_is_asked(make_guide, expect) -> None:
    """Fails while app.css lets `.controls { display: grid }` beat the `hidden` attribute."""
    guide = make_guide(clock_speed=1)
    page = guide.page
    guide.plan()
    guide.start()
    guide.run_until(lambda s: s["phase"] == "work", wait_timed=False)
    page.get_by_role("link", name="Too much").click()
    expect(page.locator("#too-much-ask")).to_be_visible()
    expect(page.locator("#controls")).to_be_hidden(timeout=5000)
    guide.goto(f"/sessions/{guide.session_id}/run")  # the same, without the question
    guide.wait_ready()
    guide.run_until(lambda s: s["phase"] == "assessment", wait_timed=False)
    expect(page.locator("#controls")).to_be_hidden(timeout=5000)
    expect(page.locator("#controls-2")).to_be_hidden(timeout=5000)


def test_pause_resume_and_too_much_are_recorded(make_guide, expect) -> None:
    guide = make_guide(clock_speed=1)  # real time: nothing runs out while we click
    page = guide.page
    run = page.locator("#run")
    session_id = guide.plan()
    guide.start()
    hold = guide.run_until(lambda s: s["phase"] == "work" and not s["reps"], wait_timed=False)

    guide.button("Pause").click()
    expect(run).to_have_attribute("data-phase", "paused")
    expect(page.locator("#phase")).to_have_text("Paused")
    assert page.evaluate("window.sirelief.state.pausedAt") is not None
    guide.button("Resume").click()
    expect(run).to_have_attribute("data-phase", "work")

    page.get_by_role("link", name="Too much").click()
    ask = page.locator("#too-much-ask")
    expect(ask).to_be_visible()
    ask.get_by_role("button", name="Tell sirelief").click()  # nothing chosen yet
    expect(ask.get_by_role("alert")).to_have_text(
        ["Choose your pain now, 0 to 10.", "Choose what you feel."]
    )
    expect(run).to_have_attribute("data-phase", "work")
    ask.locator("input[name=pain][value='6']").check()
    ask.get_by_label("Sharp pain").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    expect(run).to_have_attribute("data-phase", "too_much")
    expect(page.locator("#too-much")).to_be_visible()
    page.get_by_role("button", name="Try it gentler").click()
    expect(run).to_have_attribute("data-phase", "work")
    assert page.evaluate(f"window.sirelief.state.gentler.has('{hold['exercise']}')")
    assert guide.state()["index"] == hold["index"]
    full = page.evaluate("(i) => window.sirelief.state.steps[i].duration_s", hold["index"])
    minutes, seconds = page.locator("#countdown").text_content().split(":")
    assert int(minutes) * 60 + int(seconds) <= max(10, full // 2 + 1)

    # Too much again, and this time end the session: results say it ended early.
    page.get_by_role("link", name="Too much").click()
    expect(ask.locator("input[name=pain]:checked")).to_have_count(0)  # not the old answer
    expect(ask.get_by_role("alert")).to_have_count(0)
    ask.locator("input[name=pain][value='7']").check()
    ask.get_by_label("Aching pain").check()
    ask.get_by_role("button", name="Tell sirelief").click()
    page.locator("#too-much").get_by_role("button", name="End the session").click()
    page.wait_for_url("**/results")
    expect(page.locator(".lead")).to_contain_text("ended early")

    stored = guide.server.events(session_id)
    assert stored == guide.browser_log()
    tail = [(e["kind"], e.get("pain"), e.get("symptom"), e.get("choice")) for e in stored][-6:]
    assert tail == [
        ("pause", None, None, None), ("resume", None, None, None),
        ("too_much", 6, "sharp", None), ("too_much_choice", None, None, "gentler"),
        ("too_much", 7, "aching", None), ("too_much_choice", None, None, "end"),
    ]  # fmt: skip
