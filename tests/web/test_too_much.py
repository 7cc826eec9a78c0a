"""'Too much' in the browser without JavaScript (SPEC 5.5): the form asks the pain and what
is felt, Cancel records nothing, and the choices follow the symptom."""

import json
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from sirelief.domain.monitoring import PAIN_LIMIT
from sirelief.domain.too_much import (
    GENTLER_SHARE,
    NERVE_SYMPTOMS,
    OFFERED_SYMPTOMS,
    PAIN_SYMPTOMS,
)
from sirelief.web import app as web_app
from tests.web.web_support import csrf, html, start_session


def session_log(client):
    return client.app.state.context.services.session_log


def events(client, session_id: str) -> list:
    return list(session_log(client).session(session_id).events)


def act(client, session_id: str, **fields):
    form = {"csrf_token": csrf(client), "event_id": uuid.uuid4().hex, **fields}
    return client.post(f"/sessions/{session_id}/act", data=form, follow_redirects=False)


def running_at(client, kind: str) -> tuple[str, int]:
    """A started session moved on (by skipping) to its first step of ``kind``
    ("switch" for a side switch)."""
    session_id = start_session(client)
    assert act(client, session_id, kind="start").status_code == 303
    steps = session_log(client).session(session_id).plan.steps
    target = next(i for i, step in enumerate(steps) if i > 0 and (
        step.switches_side if kind == "switch" else step.kind == kind))  # fmt: skip
    for index in range(target):
        assert act(client, session_id, kind="skip", step=str(index)).status_code == 303
    return session_id, target


def page(client, session_id: str, query: str = ""):
    response = client.get(f"/sessions/{session_id}/run{query}")
    assert response.status_code == 200
    return html(response)


def tell(client, session_id: str, step: int, pain: str | None, symptom: str | None):
    fields = {"kind": "too_much", "step": str(step)}
    if pain is not None:
        fields["pain"] = pain
    if symptom is not None:
        fields["symptom"] = symptom
    return act(client, session_id, **fields)


def test_the_form_asks_pain_and_symptom_and_offers_cancel(client) -> None:
    session_id, step = running_at(client, "exercise")
    doc = page(client, session_id, "?ask=too_much")
    ask = doc.css_first("#too-much-ask")
    assert "hidden" not in ask.attributes
    assert "hidden" in doc.css_first("#controls").attributes
    form = ask.css_first("form")
    assert form.attributes["action"] == f"/sessions/{session_id}/act"
    hidden = {i.attributes["name"]: i.attributes["value"] for i in form.css("input[type=hidden]")}
    assert hidden["kind"] == "too_much"
    assert hidden["step"] == str(step)
    assert hidden["csrf_token"] == csrf(client)
    assert [i.attributes["value"] for i in form.css("input[name=pain]")] == [
        str(n) for n in range(11)
    ]
    symptoms = form.css("input[name=symptom]")
    assert [i.attributes["value"] for i in symptoms] == list(OFFERED_SYMPTOMS)
    assert not any("checked" in i.attributes for i in symptoms)  # nobody answers by default
    assert f"up to {PAIN_LIMIT} out of 10" in ask.text()
    cancel = ask.css_first("#too-much-cancel")
    assert cancel.text() == "Cancel"
    assert cancel.attributes["href"] == f"/sessions/{session_id}/run"


def test_cancel_returns_to_the_running_step_and_records_nothing(client) -> None:
    session_id, step = running_at(client, "exercise")
    before = events(client, session_id)
    href = page(client, session_id, "?ask=too_much").css_first("#too-much-cancel").attributes
    doc = page(client, session_id, href["href"].split("/run", 1)[1])
    assert "hidden" in doc.css_first("#too-much-ask").attributes
    assert "hidden" not in doc.css_first("#controls").attributes
    assert doc.css_first("#run").attributes["data-phase"] == "work"
    assert doc.css_first("#controls form[data-kind=complete] input[name=step]").attributes[
        "value"
    ] == str(step)
    assert events(client, session_id) == before


@pytest.mark.parametrize(("pain", "symptom", "missing"), [
    (None, "aching", "Choose your pain now, 0 to 10."),
    ("6", None, "Choose what you feel."),
    ("6", "cramp", "Choose what you feel."),
    ("11", "sharp", "Choose your pain now, 0 to 10."),
])  # fmt: skip
def test_a_missing_answer_shows_the_form_again_and_records_nothing(
    client, pain, symptom, missing
) -> None:
    session_id, step = running_at(client, "exercise")
    before = events(client, session_id)
    response = tell(client, session_id, step, pain, symptom)
    assert response.status_code == 400
    ask = html(response).css_first("#too-much-ask")
    assert "hidden" not in ask.attributes
    assert missing in [p.text() for p in ask.css(".error")]
    if symptom in OFFERED_SYMPTOMS:  # what was answered stays chosen
        chosen = ask.css_first(f"input[name=symptom][value={symptom}]")
        assert "checked" in chosen.attributes
    assert events(client, session_id) == before


def test_too_much_needs_the_csrf_token(client) -> None:
    session_id, step = running_at(client, "exercise")
    before = events(client, session_id)
    form = {"event_id": uuid.uuid4().hex, "kind": "too_much", "step": str(step),
            "pain": "7", "symptom": "sharp"}  # fmt: skip
    response = client.post(f"/sessions/{session_id}/act", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert events(client, session_id) == before


@pytest.mark.parametrize("symptom", PAIN_SYMPTOMS)
def test_pain_ends_the_exercise_and_offers_gentler_saying_what_changes(client, symptom) -> None:
    session_id, step = running_at(client, "exercise")
    assert tell(client, session_id, step, "7", symptom).status_code == 303
    doc = page(client, session_id)
    assert doc.css_first("#run").attributes["data-phase"] == "too_much"
    section = doc.css_first("#too-much")
    assert "hidden" not in section.attributes
    assert "hidden" not in section.css_first("#gentler-choice").attributes
    choices = [f.css_first("input[name=choice]").attributes["value"]
               for f in section.css("form[data-kind=too_much_choice]")]  # fmt: skip
    assert choices == ["gentler", "skip", "end"]
    changes = [li.text() for li in section.css("#gentler-changes li")]
    assert changes[0].startswith("Shorter: ")
    assert any(f"{PAIN_LIMIT} out of 10" in line for line in changes)
    assert f"over {PAIN_LIMIT} out of 10" in section.text()
    assert "does not replace a clinician" in section.text()
    [event] = [e for e in events(client, session_id) if e.kind == "too_much"]
    assert (event.pain, event.symptom, event.step) == (7, symptom, step)


@pytest.mark.parametrize("symptom", NERVE_SYMPTOMS)
def test_numbness_tingling_or_shooting_offer_skip_or_end_only(client, symptom) -> None:
    session_id, step = running_at(client, "exercise")
    assert tell(client, session_id, step, "2", symptom).status_code == 303
    section = page(client, session_id).css_first("#too-much")
    assert "hidden" in section.css_first("#gentler-choice").attributes
    visible = [f.css_first("input[name=choice]").attributes["value"]
               for f in section.css("form[data-kind=too_much_choice]")
               if f.parent.attributes.get("id") != "gentler-choice"]  # fmt: skip
    assert visible == ["skip", "end"]
    text = section.text()
    assert "within a few minutes" in text
    assert "comes back" in text
    assert "see a clinician" in text
    assert "does not replace a clinician" in text
    # a gentler choice sent anyway is refused and changes nothing
    before = events(client, session_id)
    assert act(client, session_id, kind="too_much_choice", choice="gentler").status_code == 400
    assert events(client, session_id) == before
    assert act(client, session_id, kind="too_much_choice", choice="skip").status_code == 303
    doc = page(client, session_id)
    assert doc.css_first("#run").attributes["data-phase"] != "too_much"
    [event] = [e for e in events(client, session_id) if e.kind == "too_much"]
    assert (event.pain, event.symptom) == (2, symptom)


@pytest.mark.parametrize("choice", ["gentler", "skip", "end"])
def test_each_choice_after_pain(client, choice: str) -> None:
    session_id, step = running_at(client, "exercise")
    plan = session_log(client).session(session_id).plan
    tell(client, session_id, step, "7", "aching")
    response = act(client, session_id, kind="too_much_choice", choice=choice)
    assert response.status_code == 303
    if choice == "end":
        assert response.headers["location"].endswith("/results")
        assert session_log(client).session(session_id).state.ended == "stopped"
        return
    data = json.loads(page(client, session_id).css_first("#session-data").text())
    state = session_log(client).session(session_id).state
    if choice == "gentler":
        assert state.index == step
        assert plan.steps[step].exercise_id in state.gentler
    else:
        assert state.index > step
        assert plan.steps[state.index].exercise_id != plan.steps[step].exercise_id or (
            plan.steps[state.index].side != plan.steps[step].side
        )
    assert data["events"][-1]["choice"] == choice


def test_a_side_switch_offers_end_and_pause_not_too_much(client) -> None:
    session_id, step = running_at(client, "switch")
    doc = page(client, session_id, "?ask=too_much")
    assert "hidden" in doc.css_first("#too-much-ask").attributes
    assert "hidden" in doc.css_first("#too-much-button").attributes
    end = doc.css_first("#end-now")
    assert "hidden" not in end.attributes
    assert end.css_first("input[name=kind]").attributes["value"] == "end"
    assert doc.css_first("#controls form[data-kind=pause]") is not None
    before = events(client, session_id)
    assert tell(client, session_id, step, "7", "sharp").status_code == 303
    assert events(client, session_id) == before  # not asked here, so not taken
    response = act(client, session_id, kind="end")
    assert response.headers["location"].endswith("/results")


def test_the_timer_gets_the_words_and_the_gentler_changes(client) -> None:
    session_id, step = running_at(client, "exercise")
    data = json.loads(page(client, session_id).css_first("#session-data").text())
    assert data["tooMuch"]["nerve"]["choices"] == ["skip", "end"]
    assert data["tooMuch"]["pain"]["choices"] == ["gentler", "skip", "end"]
    assert data["steps"][step]["too_much"] is True
    assert data["steps"][step]["gentler"][0].startswith("Shorter: ")
    transition = next(s for s in data["steps"] if s["kind"] == "transition")
    assert transition["too_much"] is False


def test_the_browser_fold_knows_the_same_nerve_symptoms() -> None:
    """engine.js mirrors the domain fold: its list must be the domain's, or the browser
    would let "gentler" through (or hold it back) where the server does not."""
    source = (Path(web_app.__file__).parent / "static" / "engine.js").read_text()
    listed = re.search(r"export const NERVE_SYMPTOMS = (\[[^\]]*\]);", source)
    assert listed is not None
    assert json.loads(listed.group(1)) == list(NERVE_SYMPTOMS)
    share = re.search(r"const GENTLER_SHARE = ([0-9.]+);", source)
    assert float(share.group(1)) == GENTLER_SHARE


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize(("symptom", "gentler_taken"), [("tingling", False), ("aching", True)])
def test_the_browser_fold_ignores_gentler_after_a_nerve_symptom(symptom, gentler_taken) -> None:
    engine = (Path(web_app.__file__).parent / "static" / "engine.js").as_uri()
    script = f"""
        import {{ apply, newState, phase }} from "{engine}";
        const s = newState([{{ kind: "exercise", exercise_id: "x", duration_s: 60 }},
                            {{ kind: "exercise", exercise_id: "y", duration_s: 60 }}]);
        apply(s, {{ id: "a", at: 0, kind: "start" }});
        apply(s, {{ id: "b", at: 5, kind: "too_much", step: 0, pain: 3, symptom: "{symptom}" }});
        apply(s, {{ id: "c", at: 6, kind: "too_much_choice", choice: "gentler" }});
        console.log(JSON.stringify({{ phase: phase(s), gentler: s.gentler.has("x") }}));
    """
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert json.loads(out) == {
        "phase": "work" if gentler_taken else "too_much",
        "gentler": gentler_taken,
    }


@pytest.mark.parametrize("symptom", ["numbness", "aching"])
def test_once_too_much_is_answered_the_label_names_the_step_again(client, symptom) -> None:
    """The question "Too much?" is answered: the label goes back to the step's own words,
    before the choice (the phase itself stays too_much) and after it."""
    session_id, step = running_at(client, "exercise")
    assert page(client, session_id).css_first("#phase").text() == "Work"
    tell(client, session_id, step, "6", symptom)
    doc = page(client, session_id)
    assert doc.css_first("#run").attributes["data-phase"] == "too_much"
    assert doc.css_first("#phase").text() == "Work"
    act(client, session_id, kind="too_much_choice", choice="skip")
    doc = page(client, session_id)
    assert doc.css_first("#phase").text() != "Too much?"
    assert doc.css_first("#phase").text() == web_app_phase(doc)


def web_app_phase(doc) -> str:
    from sirelief.web.pages.sessions import PHASE_WORDS

    return PHASE_WORDS[doc.css_first("#run").attributes["data-phase"]]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_label_names_the_step_once_too_much_is_answered() -> None:
    engine = (Path(web_app.__file__).parent / "static" / "engine.js").as_uri()
    script = f"""
        import {{ apply, labelPhase, newState, phase }} from "{engine}";
        const s = newState([{{ kind: "exercise", exercise_id: "x", duration_s: 60 }},
                            {{ kind: "rest", duration_s: 30 }},
                            {{ kind: "exercise", exercise_id: "y", duration_s: 60 }}]);
        const seen = [];
        const look = () => seen.push([phase(s), labelPhase(s)]);
        apply(s, {{ id: "a", at: 0, kind: "start" }}); look();
        apply(s, {{ id: "b", at: 5, kind: "too_much", step: 0, pain: 3, symptom: "aching" }});
        look();
        apply(s, {{ id: "c", at: 6, kind: "too_much_choice", choice: "gentler" }}); look();
        apply(s, {{ id: "d", at: 7, kind: "pause" }}); look();
        apply(s, {{ id: "e", at: 8, kind: "too_much", step: 0, pain: 3, symptom: "tingling" }});
        look();
        apply(s, {{ id: "f", at: 9, kind: "too_much_choice", choice: "skip" }}); look();
        console.log(JSON.stringify(seen));
    """
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert json.loads(out) == [
        ["work", "work"], ["too_much", "work"], ["work", "work"], ["paused", "paused"],
        ["too_much", "paused"], ["rest", "rest"],
    ]  # fmt: skip
