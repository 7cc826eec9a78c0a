"""The precautions and clearances pages (SPEC 5.2, 5.3): answers kept, plans follow them."""

from datetime import timedelta

import pytest

from sirelief.catalogue.loader import builtin_safety_rules
from sirelief.domain.precautions import BY_ID, PRECAUTIONS
from tests.clock import MovableClock
from tests.web.web_support import GOOD_CHECKIN, NOW, csrf, error_text, html, post, start_session

RULES = builtin_safety_rules()


@pytest.fixture
def client(clocked_client):
    return clocked_client


# --- precautions -------------------------------------------------------------------------
def test_the_page_asks_every_precaution_with_what_it_changes(client) -> None:
    doc = html(client.get("/safety/precautions"))
    boxes = [box.attributes["value"] for box in doc.css("input[name=precautions]")]
    assert boxes == [p.id for p in PRECAUTIONS]
    text = doc.text()
    for precaution in PRECAUTIONS:
        assert precaution.question in text
        assert precaution.changes in text
    assert doc.css_first("input[name=csrf_token]").attributes["value"] == csrf(client)
    assert "does not replace a clinician" in doc.css_first(".disclaimer").text()


def test_saved_answers_come_back_ticked_and_the_next_plan_follows_them(client) -> None:
    response = post(client, "/safety/precautions", precautions=["pregnancy", "head-down-risk"])
    assert response.status_code == 303
    doc = html(client.get(response.headers["location"]))
    assert doc.css_first(".notice[role=status]").text().startswith("Saved.")
    ticked = {box.attributes["value"] for box in doc.css("input[name=precautions][checked]")}
    assert ticked == {"pregnancy", "head-down-risk"}
    session = html(client.get(f"/sessions/{start_session(client)}"))
    reasons = " ".join(li.text() for li in session.css(".reasons li"))
    assert f"Precaution: {BY_ID['pregnancy'].label.lower()}" in reasons
    titles = " ".join(h.text() for h in session.css(".plan h3, .plan li"))
    assert "smash" not in titles.lower()


def test_none_of_these_is_an_answer_that_clears_the_reminder(client) -> None:
    assert "precaution questions" in html(client.get("/checkin")).text()
    assert post(client, "/safety/precautions", none="on").status_code == 303
    assert "precaution questions" not in html(client.get("/checkin")).text()
    doc = html(client.get("/safety/precautions"))
    assert doc.css_first("input[name=none][checked]")


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Tick each that applies, or tick 'None of these apply'."),
        ({"none": "on", "precautions": ["pregnancy"]}, "untick one of them"),
        ({"precautions": ["cold-feet"]}, "unknown precaution 'cold-feet'"),
    ],
)
def test_a_bad_answer_is_refused_with_the_fix_and_nothing_saved(client, form, message) -> None:
    response = post(client, "/safety/precautions", **form)
    assert response.status_code == 400
    assert message in error_text(response)
    assert html(response).css_first(".error-summary a").attributes["href"] == ("#field-precautions")
    assert not html(client.get("/safety/precautions")).css("input[checked]")


def test_answers_are_asked_again_after_12_weeks(client, clock: MovableClock) -> None:
    post(client, "/safety/precautions", precautions=["clot-risk"])
    assert "You last confirmed" not in html(client.get("/safety/precautions")).text()
    clock.now = NOW + timedelta(weeks=12)
    assert (
        "You last confirmed these on 30 Nov 2026" in html(client.get("/safety/precautions")).text()
    )
    assert "precaution questions" in html(client.get("/checkin")).text()
    post(client, "/safety/precautions", precautions=["clot-risk"])
    assert "You last confirmed" not in html(client.get("/safety/precautions")).text()


def test_a_change_without_the_csrf_token_is_refused(client) -> None:
    response = client.post("/safety/precautions", data={"precautions": ["pregnancy"]})
    assert response.status_code == 403
    assert not html(client.get("/safety/precautions")).css("input[checked]")


# --- clearances --------------------------------------------------------------------------
def test_the_page_offers_only_the_flags_a_clinician_can_clear(client) -> None:
    doc = html(client.get("/safety/clearances"))
    offered = [radio.attributes["value"] for radio in doc.css("input[name=flag]")]
    assert offered == [flag.id for flag in RULES.at("soon")]
    assert doc.css_first("#cleared_on").attributes["max"] == "2026-11-30"
    assert "No clearance is standing." in doc.text()


def test_a_clearance_lets_the_session_through_and_rewords_the_question(client) -> None:
    stopped = html(post(client, "/checkin", **GOOD_CHECKIN, red_flags=["cancer-history"]))
    assert stopped.css_first(".stop")
    response = post(client, "/safety/clearances", flag="cancer-history",
                    cleared_on="2026-11-20", by="Dr Ng")  # fmt: skip
    assert response.status_code == 303
    doc = html(client.get(response.headers["location"]))
    assert doc.css_first(".notice").text() == "Clearance recorded."
    standing = doc.css_first(".clearances li").text()
    assert RULES.flag("cancer-history").question in standing
    assert "A clinician (Dr Ng) checked this on 20 Nov 2026" in standing
    checkin = html(client.get("/checkin")).text()
    assert "Since your clearance on 20 Nov 2026, is this new or worse?" in checkin
    session = html(client.get(f"/sessions/{start_session(client)}"))
    reasons = " ".join(li.text() for li in session.css(".reasons li"))
    assert "Clearance: for 'cancer-history', a clinician (Dr Ng) checked this" in reasons
    again = html(post(client, "/checkin", **GOOD_CHECKIN, red_flags=["cancer-history"]))
    assert again.css_first(".stop .badge").text() == RULES.advice_for("soon").badge


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"flag": "cancer-history", "cleared_on": "last week"}, "cleared_on",
         "Give the day of the check as a date"),
        ({"flag": "cancer-history", "cleared_on": "2026-12-01"}, "cleared_on",
         "The day of the check is in the future"),
        ({"flag": "saddle-numbness", "cleared_on": "2026-11-20"}, "flag",
         "describes today and cannot be cleared"),
        ({"flag": "", "cleared_on": "2026-11-20"}, "flag", "Choose the answer the clinician"),
        ({"flag": "made-up", "cleared_on": "2026-11-20"}, "flag", "Unknown red flag 'made-up'"),
        ({"flag": "cancer-history", "cleared_on": "2026-11-20", "by": "x" * 121}, "flag",
         "at most 120 characters"),
    ],
)  # fmt: skip
def test_a_clearance_that_cannot_be_recorded_names_the_fix(client, form, field, message) -> None:
    response = post(client, "/safety/clearances", **form)
    assert response.status_code == 400
    assert message in error_text(response)
    doc = html(response)
    assert doc.css_first(".error-summary a").attributes["href"] == f"#field-{field}"
    if form["flag"] == "cancer-history":  # the answer is kept for the correction
        assert doc.css_first("input[name=flag][checked]").attributes["value"] == "cancer-history"
    assert "No clearance is standing." in html(client.get("/safety/clearances")).text()


def test_withdrawing_a_clearance_stops_again(client) -> None:
    post(client, "/safety/clearances", flag="weight-loss", cleared_on="2026-11-29")
    response = post(client, "/safety/clearances/withdraw", flag="weight-loss")
    assert response.status_code == 303
    doc = html(client.get(response.headers["location"]))
    assert doc.css_first(".notice").text() == "Clearance withdrawn."
    assert "No clearance is standing." in doc.text()
    assert "Since your clearance" not in html(client.get("/checkin")).text()
    twice = post(client, "/safety/clearances/withdraw", flag="weight-loss")
    assert twice.status_code == 400
    assert "That clearance is not standing" in error_text(twice)


def test_a_check_in_that_cannot_be_planned_leaves_nothing_stored(client, settings) -> None:
    """``make fuzz`` found it: the check-in was kept although the answer was a 400."""
    from sirelief.services import Services
    from sirelief.storage.transfer import export_document

    library = Services(settings, MovableClock())
    before = export_document(library.store)
    response = post(client, "/checkin", **{**GOOD_CHECKIN, "routine": "no-such-routine"})
    assert response.status_code == 400
    assert "no-such-routine" in error_text(response)
    assert export_document(library.store) == before
    library.close()
