"""The session page on a phone: the screen that may sleep, and ending a session from it."""

import json

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from starlette.testclient import TestClient

from sirelief.catalogue.loader import builtin_catalogue
from sirelief.settings import Settings
from sirelief.web.app import create_app
from tests.web.web_support import csrf, html, post, start_session


def run_page(client: TestClient, session_id: str):
    return html(client.get(f"/sessions/{session_id}/run"))


def started(client: TestClient) -> str:
    session_id = start_session(client)
    post(client, f"/sessions/{session_id}/act", kind="start", event_id="start-0001")
    return session_id


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://localhost:8000",
                                  "https://phone.test"])  # fmt: skip
def test_a_secure_page_says_nothing_about_the_screen(settings: Settings, base: str) -> None:
    settings.allowed_hosts = "phone.test"
    with TestClient(create_app(settings), base_url=base) as client:
        client.get("/")
        notice = run_page(client, started(client)).css_first("#awake-notice")
    assert "hidden" in notice.attributes


def test_plain_http_on_a_lan_name_says_the_screen_may_sleep_and_what_to_do(
    settings: Settings,
) -> None:
    settings.allowed_hosts = "phone.test,192.168.1.20"
    for base in ("http://phone.test:8000", "http://192.168.1.20:8000"):
        with TestClient(create_app(settings), base_url=base) as client:
            client.get("/")
            notice = run_page(client, started(client)).css_first("#awake-notice")
        assert "hidden" not in notice.attributes
        text = " ".join(notice.text().split())
        assert "not opened over HTTPS" in text
        assert "screen may go to sleep" in text
        assert "Set your screen to stay on" in text


def test_a_running_hold_can_be_ended_from_the_session_page(client: TestClient) -> None:
    session_id = started(client)
    doc = run_page(client, session_id)
    while doc.css_first("#run").attributes["data-phase"] != "work":
        step = doc.css_first("form[data-kind=complete] input[name=step]").attributes["value"]
        post(client, f"/sessions/{session_id}/act", kind="complete", step=step,
             event_id=f"done-{step}-0001")  # fmt: skip
        doc = run_page(client, session_id)
    end = doc.css_first("#end-now")
    assert "hidden" not in end.attributes  # also where "Too much" is offered
    assert end.css_first("summary").text() == "End the session"
    form = end.css_first("form[data-kind=end]")
    assert form.css_first("button").text() == "End it now"
    fields = {i.attributes["name"]: i.attributes["value"] for i in form.css("input")}
    fields.pop("csrf_token")
    answer = post(client, form.attributes["action"], **fields)
    assert answer.headers["location"].endswith(f"/sessions/{session_id}/results")
    lead = html(client.get(answer.headers["location"])).css_first(".lead").text()
    assert "ended early" in lead


def test_the_sound_notice_sits_beside_the_step_count_not_over_the_buttons(
    client: TestClient,
) -> None:
    doc = run_page(client, started(client))
    notice = doc.css_first(".run-head #sound-off")
    assert notice is not None
    assert "hidden" not in notice.attributes  # its room is kept; the script shows it
    assert notice.css_first("button").text() == "Turn on sound"


def test_the_next_line_does_not_repeat_the_side_a_switch_names(client: TestClient) -> None:
    session_id = started(client)
    seen = []
    for number in range(80):
        doc = run_page(client, session_id)
        if doc.css_first("#next") is None:
            break  # the results
        seen.append(doc.css_first("#next").text())
        step = doc.css_first("form[data-kind=skip] input[name=step]")
        if step is None:
            break
        post(client, f"/sessions/{session_id}/act", kind="skip",
             step=step.attributes["value"], event_id=f"skip-{number:04d}")  # fmt: skip
    switches = [line for line in seen if "Switch to the" in line]
    assert switches, seen
    assert not [line for line in switches if line.endswith(("(left)", "(right)"))]


def test_tightness_scales_are_anchored_with_tightness_words(client: TestClient) -> None:
    doc = html(client.get("/checkin"))
    tight = doc.css_first("input[name=hip_left]").parent.parent.parent
    assert tight.css_first(".anchors").text() == "0 not tight10 as tight as it gets"
    pain = doc.css_first("input[name=pain]").parent.parent.parent
    assert pain.css_first(".anchors").text() == "0 none10 worst imaginable"


def to_mid_check(client: TestClient, session_id: str):
    """Through the session without JavaScript until the mid check's form is shown."""
    for number in range(200):
        doc = run_page(client, session_id)
        form = doc.css_first("#assessment form")
        if form is not None and form.css_first("input[name=changed_most]") is not None:
            return doc
        if form is not None:
            fields = {i.attributes["name"]: "3" for i in form.css("input[type=radio]")}
            step = form.css_first("input[name=step]").attributes["value"]
            post(client, f"/sessions/{session_id}/act", kind="assessment", step=step,
                 event_id=f"rate-{number:04d}", **fields)  # fmt: skip
            continue
        step = doc.css_first("form[data-kind=complete] input[name=step]").attributes["value"]
        post(client, f"/sessions/{session_id}/act", kind="complete", step=step,
             event_id=f"done-{number:04d}")  # fmt: skip
    raise AssertionError("no mid check")


def mid_answer(doc, **extra) -> dict:
    form = doc.css_first("#assessment form")
    fields = {i.attributes["name"]: "3" for i in form.css("input[type=radio]")}
    fields.pop("changed_most")
    fields["step"] = form.css_first("input[name=step]").attributes["value"]
    return {**fields, "kind": "assessment", "event_id": "mid-check-01", **extra}


def test_the_mid_check_answer_which_area_changed_most_is_kept(client: TestClient) -> None:
    session_id = started(client)
    doc = to_mid_check(client, session_id)
    legend = doc.css_first("#assessment fieldset.changed-most legend").text()
    assert legend.startswith("Which area changed most")
    choices = [i.attributes["value"] for i in doc.css("input[name=changed_most]")]
    assert choices == ["hip", "hamstrings_adductors", "ankle", "none"]
    answer = post(client, f"/sessions/{session_id}/act", **mid_answer(doc, changed_most="ankle"))
    assert answer.status_code == 303
    events = client.app.state.context.services.sessions.record_of(session_id).events
    assert [e.changed_most for e in events if e.kind == "assessment"][-1] == "ankle"
    post(client, f"/sessions/{session_id}/act", kind="end", event_id="end-00001")
    said = html(client.get(f"/sessions/{session_id}/results")).css_first(".changed-most-answer")
    assert "ankle changed most" in said.text()


def test_a_made_up_area_is_named_not_stored(client: TestClient) -> None:
    session_id = started(client)
    doc = to_mid_check(client, session_id)
    answer = post(client, f"/sessions/{session_id}/act", **mid_answer(doc, changed_most="elbow"))
    assert answer.status_code == 400
    error = html(answer).css_first("#changed-most-error").text()
    assert error.startswith("Which area changed most")


def test_the_page_holds_how_to_do_every_exercise_of_the_session(client: TestClient) -> None:
    """The script swaps "How to do" to each step's own exercise: the page must carry the
    steps and stop signs of every exercise in the plan, the shown one's only once."""
    session_id = started(client)
    catalogue = builtin_catalogue()
    data = run_page(client, session_id)
    steps = json.loads(data.css_first("#session-data").text())["steps"]
    planned = {step["exercise_id"] for step in steps if step["exercise_id"]}
    how = data.css_first("#how")
    shown = how.attributes["data-exercise"] or None
    kept = {node.attributes["id"].removeprefix("how-"): node for node in data.css("template")
            if node.attributes.get("id", "").startswith("how-")}  # fmt: skip
    assert len(planned) > 1
    assert set(kept) == planned - {shown}
    for exercise_id, template in kept.items():
        exercise = catalogue.exercise(exercise_id)
        text = " ".join(template.html.split())
        assert exercise.steps[0].split()[0] in text
        assert all(sign.split()[0] in text for sign in exercise.stop_signs)
        assert template.attributes["data-name"] == exercise.name


def test_the_kept_assessment_forms_carry_each_views_token_and_event_id(
    settings: Settings,
) -> None:
    """The assessment <template>s are drawn once per session (pages/sessions.py): every
    view still gets its own CSRF token and event id in them, and each session its own."""
    forms: list[dict] = []
    session_id = ""
    for _ in range(2):  # two browsers, two CSRF tokens, one session
        with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
            client.get("/")
            session_id = session_id or start_session(client)
            inputs = kept_form(run_page(client, session_id))
            assert inputs["csrf_token"] == csrf(client)
            assert "mark" not in inputs["event_id"]
            forms.append(inputs)
            other = start_session(client)
            assert kept_form(run_page(client, other))["action"] == f"/sessions/{other}/act"
    assert forms[0]["csrf_token"] != forms[1]["csrf_token"]
    assert forms[0]["event_id"] != forms[1]["event_id"]


def kept_form(page) -> dict[str, str]:
    """The hidden fields and the action of the first assessment <template>'s form."""
    content = page.css_first("template[id^=assessment-form-]").html
    form = HTMLParser(content[content.index(">") + 1 : -len("</template>")]).css_first("form")
    fields = {node.attributes["name"]: node.attributes["value"]
              for node in form.css("input[type=hidden]")}  # fmt: skip
    return {**fields, "action": form.attributes["action"]}
