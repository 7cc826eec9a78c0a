"""Every page, its security headers, its forms and their errors, without a browser."""

import json

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.web.web_support import GOOD_CHECKIN, csrf, html, start_session

PAGES = ["/", "/checkin", "/history", "/insights", "/exercises", "/exercises/gallery",
         "/exercises/kb-hip-flexor-smash",
         "/routines", "/routines/kettlebell-smash-reset",
         "/welcome", "/welcome/safety", "/welcome/compare", "/psfs"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_strict_headers(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    doc = html(response)
    assert doc.css_first("h1").text().strip()
    assert not doc.css("script:not([src]):not([type='application/json'])")
    assert "does not replace a clinician" in doc.css_first("footer").text()


def test_unknown_pages_are_friendly_404s(client) -> None:
    for path in ("/nope", "/exercises/nope", "/routines/nope", "/sessions/nope/run"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert html(response).css_first("h1").text() == "Not found"


def test_state_changes_need_the_csrf_token(client) -> None:
    response = client.post("/checkin", data=GOOD_CHECKIN)
    assert response.status_code == 403
    response = client.post(
        "/checkin", data={**GOOD_CHECKIN, "csrf_token": csrf(client)},
        headers={"origin": "https://evil.example"},
    )  # fmt: skip
    assert response.status_code == 403


def test_a_bad_checkin_redisplays_with_messages_and_keeps_values(client) -> None:
    form = {**GOOD_CHECKIN, "hip_left": "11", "minutes": "", "csrf_token": csrf(client)}
    del form["pain"]
    response = client.post("/checkin", data=form)
    assert response.status_code == 400
    doc = html(response)
    summary = doc.css_first(".error-summary").text()
    assert "Choose a number from 0 to 10 for pain now" in summary
    assert "must be a whole number from 0 to 10" in summary
    assert "minutes" in summary
    assert "checked" in doc.css_first("input[name=hip_right][value='7']").attributes


def test_a_red_flag_stops_with_advice_and_no_way_to_start(client) -> None:
    form = {**GOOD_CHECKIN, "red_flags": ["saddle-numbness"], "csrf_token": csrf(client)}
    response = client.post("/checkin", data=form)
    assert response.status_code == 200
    doc = html(response)
    assert doc.css_first(".stop .badge").text() == "Emergency: get help now"
    assert "does not replace" in doc.css_first(".disclaimer").text() or doc.css_first(".disclaimer")
    assert not doc.css("form[action*='/sessions/']")
    assert client.get("/").text.count("Pick up where you left off") == 0


def test_checkin_plans_a_session_with_reasons(client) -> None:
    session_id = start_session(client)
    doc = html(client.get(f"/sessions/{session_id}"))
    assert doc.css_first("h1").text() == "Kettlebell smash reset"
    assert "starting with your right side" in doc.css_first(".lead").text()
    assert len(doc.css(".reasons li")) >= 1
    assert doc.css_first("form[action$='/act'] input[name=kind]").attributes["value"] == "start"


def drive_without_javascript(client, session_id: str, skip_first_work: bool = False) -> None:
    """Press the buttons a person without JavaScript would press, to the end (with
    ``skip_first_work``: Skip, once, at the first step that offers it)."""
    run = f"/sessions/{session_id}/run"
    values = {"baseline": [3, 7, 2, 5, 4, 6, 4], "mid": [3, 3, 2, 4, 4, 5, 3],
              "final": [1, 3, 1, 4, 2, 5, 2]}  # fmt: skip
    for _ in range(200):
        response = client.get(run, follow_redirects=False)
        if response.status_code == 303:
            assert response.headers["location"].endswith("/results")
            return
        doc = html(response)
        assessment = doc.css_first("#assessment:not([hidden]) form")
        if assessment is not None:
            title = doc.css_first("#title").text().lower()
            point = next(p for p in values if p in title)
            names = [
                "hip_left",
                "hip_right",
                "hamstrings_adductors_left",
                "hamstrings_adductors_right",
                "ankle_left",
                "ankle_right",
                "pain",
            ]
            form = dict(zip(names, map(str, values[point]), strict=True))
            form.update({i.attributes["name"]: i.attributes["value"]
                         for i in assessment.css("input[type=hidden]")})  # fmt: skip
        else:
            skip = doc.css_first("#controls form[data-kind=skip]") if skip_first_work else None
            skip_first_work = skip_first_work and skip is None
            button = skip or doc.css_first(
                "#controls form[data-kind=start], #controls form[data-kind=complete]"
            )
            form = {i.attributes["name"]: i.attributes["value"] for i in button.css("input")}
        assert client.post(f"/sessions/{session_id}/act", data=form,
                           follow_redirects=False).status_code == 303  # fmt: skip
    raise AssertionError("the session never ended")


def test_a_whole_session_without_javascript_reaches_results(client) -> None:
    session_id = start_session(client)
    drive_without_javascript(client, session_id)
    doc = html(client.get(f"/sessions/{session_id}/results"))
    findings = doc.css_first(".findings").text()
    assert (
        "Biggest change: your right front of hip felt 4 points less tight than at the start."
        in findings
    )
    assert "your worked right side felt 4 points less tight" in findings
    rows = {
        (row.css("td")[0].text().split()[0], row.css_first("th").text()):
            [cell.text() for cell in row.css("td")[1:]]
        for row in doc.css("tbody tr")
    }  # fmt: skip
    assert rows[("right", "Front of hip")] == ["7", "3", "3", "-4"]
    history = html(client.get("/history")).css_first(".history").text()
    assert "Biggest change" in history


def test_the_event_api_records_once_and_refuses_bad_bodies(client) -> None:
    session_id = start_session(client)
    url = f"/sessions/{session_id}/events"
    headers = {"x-csrf-token": csrf(client)}
    batch = {"events": [{"id": "a1", "at": 1e9, "kind": "start"},
                        {"id": "a2", "at": 1e9 + 5, "kind": "complete", "step": 0}]}  # fmt: skip
    first = client.post(url, json=batch, headers=headers).json()
    again = client.post(url, json=batch, headers=headers).json()
    assert first["index"] == again["index"] == 1
    bad = client.post(url, json={"events": [{"id": "x", "at": "soon", "kind": "start"}]},
                      headers=headers)  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["error"].startswith("events[0].at:")
    assert client.post(url, content=b"{", headers=headers).status_code == 400
    assert client.post(url, json=batch).status_code == 403
    assert client.post("/sessions/nope/events", json=batch, headers=headers).status_code == 404


def test_routine_upload_shows_line_numbered_problems_and_adds_good_files(client) -> None:
    bad = (
        "id: my-hips\nname: My hips\nsummary: Mine.\nblocks:\n  - id: main\n"
        "    title: Main\n    steps:\n      - exercise: nope\n"
    )
    response = client.post("/routines", data={"csrf_token": csrf(client), "action": "add"},
                           files={"file": ("mine.yaml", bad.encode())})  # fmt: skip
    assert response.status_code == 400
    problems = html(response).css_first(".problems").text()
    assert "line 8" in problems
    good = bad.replace("exercise: nope", "exercise: figure-four-piriformis")
    response = client.post(
        "/routines",
        data={"csrf_token": csrf(client), "action": "add"},
        files={"file": ("mine.yaml", good.encode())},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "My hips" in client.get("/routines").text


def test_the_run_page_carries_its_data_as_inert_json(client) -> None:
    session_id = start_session(client)
    doc = html(client.get(f"/sessions/{session_id}/run"))
    data = json.loads(doc.css_first("#session-data").text())
    assert data["session"] == session_id
    assert data["steps"][0]["kind"] in ("assessment", "exercise", "transition")
    modules = [script.attributes["src"] for script in doc.css("script[type=module]")]
    assert any(src.startswith("/static/timer.js?v=") for src in modules)


def radios(doc) -> list[tuple[str, str]]:
    return [(i.attributes["name"], i.attributes["value"]) for i in doc.css("input[type=radio]")]


def test_the_timer_clones_the_assessment_form_the_page_draws(client) -> None:
    """One form: a <template> per assessment step holds the same form as the page's own."""
    session_id = start_session(client)
    doc = html(client.get(f"/sessions/{session_id}/run"))
    steps = json.loads(doc.css_first("#session-data").text())["steps"]
    asked = [index for index, step in enumerate(steps) if step["assessment"]]
    templates = {node.attributes["id"]: node.html for node in doc.css("template")
                 if node.attributes["id"].startswith("assessment-form-")}  # fmt: skip
    assert list(templates) == [f"assessment-form-{index}" for index in asked]
    content = templates[f"assessment-form-{asked[0]}"]
    cloned = HTMLParser(content[content.index(">") + 1 : -len("</template>")])
    assert radios(cloned) == radios(doc.css_first("#assessment form"))
    names = {name for name, _ in radios(cloned)}
    assessment = steps[asked[0]]["assessment"]
    regions = {f"{r}_{side}" for r in assessment["ratings"] for side in ("left", "right")}
    assert names == regions | ({"pain"} if assessment["pain"] else set())
    assert cloned.css_first("form p.error[role=alert]") is not None


def test_pages_are_compressed_and_static_files_cached_by_content(client) -> None:
    page = client.get("/checkin", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-frame-options"] == "DENY"
    href = html(page).css_first("link[rel=stylesheet]").attributes["href"]
    assert href.startswith("/static/app.css?v=")
    versioned = client.get(href)
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert versioned.headers["x-content-type-options"] == "nosniff"
    # an import inside timer.js, or a page from before the file changed: revalidated
    for path in ("/static/engine.js", "/static/app.css?v=000000000000"):
        assert client.get(path).headers["cache-control"] == "no-cache"
    small = client.post(
        "/sessions/nope/events",
        json={"events": []},
        headers={"x-csrf-token": csrf(client), "accept-encoding": "gzip"},
    )
    assert "content-encoding" not in small.headers


def test_figures_are_served_as_svg_images_and_shown_in_the_gallery(client) -> None:
    response = client.get("/figures/kb-hip-flexor-smash/right/animated.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "script-src" not in response.headers["content-security-policy"]
    assert response.text.lstrip().startswith("<svg") or "<svg" in response.text[:200]
    assert client.get("/figures/kb-hip-flexor-smash/middle/animated.svg").status_code == 404
    assert client.get("/figures/nope/left/start.svg").status_code == 404
    gallery = html(client.get("/exercises/gallery"))
    images = gallery.css("img[src^='/figures/']")
    assert len(images) == 3 * len(gallery.css("li.card"))
    assert all(image.attributes.get("alt") for image in images)
    exercise = html(client.get("/exercises/kb-hip-flexor-smash"))
    assert exercise.css_first(".hero-figure img").attributes["src"].endswith("/left/animated.svg")
    links = [a.attributes["href"] for a in exercise.css("#kit-title ~ ul a")]
    assert links == ["/exercises/roller-hip-flexor-release"]


def test_the_plan_folds_sets_into_one_line_per_exercise_and_side(client) -> None:
    session_id = start_session(client)
    rows = [" ".join(li.text().split()) for li in html(client.get(f"/sessions/{session_id}"))
            .css(".timeline li")]  # fmt: skip
    # no suspension trainer and no chair in this kit: the squat without support, as itself
    squats = [row for row in rows if row.startswith("Slow squat with arms forward")]
    assert all("2 \u00d7 8 reps" in row for row in squats)
    assert len(squats) == 1  # planned once per session, and one line, not one per set
    assert any(row.startswith("Baseline check") and "rate how you feel" in row for row in rows)


def test_an_unknown_address_says_what_to_do(client) -> None:
    text = html(client.get("/no/such/page")).css_first("main").text()
    assert "There is nothing at this address" in text
    assert "Not Found" not in text


def test_checkin_messages_use_the_words_on_the_labels(client) -> None:
    form = {**GOOD_CHECKIN, "hip_left": "", "csrf_token": csrf(client)}
    summary = html(client.post("/checkin", data=form)).css_first(".error-summary").text()
    assert "Choose a number from 0 to 10 for left front of hip." in summary


def test_a_routine_view_names_regions_and_sides_as_people_read_them(client) -> None:
    doc = html(client.get("/routines/kettlebell-smash-reset"))
    cards = {card.css_first("h2").text(): card.text() for card in doc.css("section.card")}
    baseline = next(text for title, text in cards.items() if "Baseline" in title)
    assert "front of hip, hamstrings & inner thighs, ankle" in baseline
    assert "Each side in turn" not in baseline
    smashes = next(text for title, text in cards.items() if "smashes" in title)
    assert "Tighter side first" in smashes
    assert doc.css("li.with-figure img.mini")


def test_the_checkin_asks_what_comes_next(client) -> None:
    doc = html(client.get("/checkin"))
    values = [i.attributes["value"] for i in doc.css("#field-next_activity input[type=radio]")]
    assert values == ["none", "walk_run_sport", "lifting", "deep_knee_bends"]
    assert "What comes after this session?" in doc.css_first("#field-next_activity").text()


@pytest.mark.parametrize(
    ("activity", "words"),
    [
        ("lifting", "Banded glute bridge, because lifting or squatting comes next."),
        ("none", "left out, as nothing active comes next."),
    ],
)
def test_the_activation_follows_what_comes_next(client, activity: str, words: str) -> None:
    session_id = start_session(client, next_activity=activity)
    text = " ".join(html(client.get(f"/sessions/{session_id}")).css_first("main").text().split())
    assert words in text


def test_an_unknown_next_activity_is_named(client) -> None:
    form = {**GOOD_CHECKIN, "next_activity": "skydiving", "csrf_token": csrf(client)}
    response = client.post("/checkin", data=form)
    assert response.status_code == 400
    summary = html(response).css_first(".error-summary")
    assert "Choose what comes after this session from the list" in summary.text()
    assert summary.css_first("a").attributes["href"] == "#field-next_activity"
