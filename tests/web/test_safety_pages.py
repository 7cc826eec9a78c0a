"""Red flags on the web check-in (SPEC 5.1): screened before any other field is read."""

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from tests.web.web_support import GOOD_CHECKIN, csrf, html, start_session

RULES = builtin_safety_rules()


@pytest.mark.parametrize("flag", [f.id for f in RULES.flags if f.level != "review"])
def test_a_stopping_flag_alone_with_every_other_field_empty_stops(client, flag) -> None:
    response = client.post("/checkin", data={"red_flags": [flag], "csrf_token": csrf(client)})
    assert response.status_code == 200
    doc = html(response)
    assert not doc.css(".error-summary"), "a flag must stop before 'Please fix'"
    level = RULES.flag(flag).level
    advice = RULES.advice_for(level)
    assert doc.css_first(".stop").attributes["class"] == f"stop urgency-{level}"
    assert doc.css_first(".stop .badge").text() == advice.badge
    assert doc.css_first("#stop-title").text() == advice.title
    assert doc.css_first(".stop .lead").text() == advice.what_to_do
    assert "does not replace a clinician" in doc.css_first(".disclaimer").text()


def test_saddle_numbness_with_wrong_answers_elsewhere_still_gives_the_emergency_stop(
    client,
) -> None:
    form = {**GOOD_CHECKIN, "pain": "eleven", "minutes": "", "hip_left": "99",
            "red_flags": ["saddle-numbness"], "csrf_token": csrf(client)}  # fmt: skip
    doc = html(client.post("/checkin", data=form))
    assert doc.css_first(".stop .badge").text() == RULES.advice_for("emergency").badge
    assert "Please fix" not in doc.text()


def test_a_soon_stop_points_to_recording_a_clearance(client) -> None:
    doc = html(client.post("/checkin", data={**GOOD_CHECKIN, "red_flags": ["cancer-history"],
                                            "csrf_token": csrf(client)}))  # fmt: skip
    assert doc.css_first(".stop .badge").text() == RULES.advice_for("soon").badge
    assert doc.css_first("a[href='/safety/clearances']")


def test_one_inflammatory_feature_plans_a_session(client) -> None:
    session_id = start_session(client, red_flags=["morning-stiffness"])
    doc = html(client.get(f"/sessions/{session_id}"))
    reasons = " ".join(li.text() for li in doc.css(".reasons li"))
    assert RULES.advice_for("review").badge not in reasons


def test_two_inflammatory_features_plan_a_gentle_session_with_review_advice(client) -> None:
    session_id = start_session(client, red_flags=["morning-stiffness", "onset-under-40"])
    doc = html(client.get(f"/sessions/{session_id}"))
    reasons = " ".join(li.text() for li in doc.css(".reasons li"))
    assert RULES.advice_for("review").badge in reasons
