""" "Too much" reports after the session (SPEC 5.5): the results page and history say where
it was too much, what was felt and what was chosen, in plain words."""

import pytest

from sirelief.domain.too_much import SYMPTOM_WORDS
from tests.web.test_too_much import act, running_at, session_log, tell
from tests.web.web_support import html

CHOSE = {"gentler": "you went on with a gentler version", "skip": "you skipped it",
         "end": "you ended the session"}  # fmt: skip


def where(client, session_id: str, step: int) -> str:
    planned = session_log(client).session(session_id).plan.steps[step]
    side = f", {planned.side} side" if planned.side in ("left", "right") else ""
    return f"{planned.title}{side}"


def finish(client, session_id: str) -> None:
    if session_log(client).session(session_id).state.ended is None:
        assert act(client, session_id, kind="end").status_code == 303


@pytest.mark.parametrize(
    ("symptom", "choice"),
    [("numbness", "skip"), ("tingling", "end"), ("shooting", "skip"), ("aching", "gentler"),
     ("sharp", "end")],
)  # fmt: skip
def test_the_results_page_says_what_was_felt_and_chosen(client, symptom, choice) -> None:
    session_id, step = running_at(client, "exercise")
    assert tell(client, session_id, step, "6", symptom).status_code == 303
    assert act(client, session_id, kind="too_much_choice", choice=choice).status_code == 303
    finish(client, session_id)
    doc = html(client.get(f"/sessions/{session_id}/results"))
    [line] = [li.text() for li in doc.css(".too-much-reports li")]
    felt = SYMPTOM_WORDS[symptom].lower()
    assert line == (
        f"You said it was too much during {where(client, session_id, step)} "
        f"({felt}, pain 6 of 10): {CHOSE[choice]}."
    )
    section = doc.css_first(".too-much-reports").text()
    assert "does not replace a clinician" in section
    assert ("see a clinician" in section.replace("replace a clinician", "")) == (
        symptom in ("numbness", "tingling", "shooting")
    )
    history = html(client.get("/history"))
    assert [li.text() for li in history.css(".too-much-reports li")] == [line]


def test_two_reports_are_listed_in_order_and_an_unanswered_one_says_so(client) -> None:
    session_id, step = running_at(client, "exercise")
    tell(client, session_id, step, "7", "aching")
    act(client, session_id, kind="too_much_choice", choice="gentler")
    tell(client, session_id, step, "3", "tingling")  # the gentler version, still too much
    doc = html(client.get(f"/sessions/{session_id}/results"))
    lines = [li.text() for li in doc.css(".too-much-reports li")]
    assert len(lines) == 2
    assert lines[0].endswith("(aching pain, pain 7 of 10): you went on with a gentler version.")
    assert lines[1].endswith("(tingling, pain 3 of 10): no choice was recorded after it.")


def test_a_session_without_too_much_lists_none(client) -> None:
    session_id, _ = running_at(client, "exercise")
    finish(client, session_id)
    assert not html(client.get(f"/sessions/{session_id}/results")).css(".too-much-reports")
    assert not html(client.get("/history")).css(".too-much-reports")
