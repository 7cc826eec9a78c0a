"""Review-level advice (SPEC 5.1): repeated weekly until the person records that the review
took place; then asked as "new or worse since your review?"."""

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from sirelief.catalogue.loader import builtin_safety_rules
from tests.web.web_support import NOW, csrf, html, post, start_session

RULES = builtin_safety_rules()
PATTERN = ["morning-stiffness", "second-half-night-waking"]
BADGE = RULES.advice_for("review").badge


@pytest.fixture
def client(clocked_client):
    return clocked_client


def plan_page(client: TestClient, flags: list[str]):
    return html(client.get(f"/sessions/{start_session(client, red_flags=flags)}"))


def reasons(doc) -> str:
    return " ".join(li.text() for li in doc.css(".reasons li"))


def test_the_plan_offers_to_record_the_review_for_exactly_the_flags_advised(client) -> None:
    doc = plan_page(client, [*PATTERN, "onset-under-40"])
    assert BADGE in reasons(doc)
    form = doc.css_first(".review-done form")
    assert form.attributes["action"] == "/safety/reviews"
    assert form.attributes["method"] == "post"
    hidden = [i.attributes["value"] for i in form.css("input[type=hidden][name=flag]")]
    assert hidden == ["morning-stiffness", "second-half-night-waking", "onset-under-40"]
    assert form.css_first("input[name=csrf_token]").attributes["value"] == csrf(client)
    assert form.css_first("#reviewed_on").attributes["max"] == "2026-11-30"
    assert form.css_first("button").text() == "I have had this reviewed"
    assert "does not replace a clinician" in doc.css_first(".review-done .disclaimer").text()


def test_no_review_form_without_review_advice(client) -> None:
    assert not plan_page(client, []).css(".review-done")
    assert not plan_page(client, ["morning-stiffness"]).css(".review-done")  # one feature


def test_the_advice_comes_weekly_not_at_every_check_in(client, clock) -> None:
    first = plan_page(client, PATTERN)
    assert BADGE in reasons(first)
    assert first.css(".review-done")
    clock.set(NOW + timedelta(days=3))
    soon_after = plan_page(client, PATTERN)
    assert BADGE not in reasons(soon_after)
    assert not soon_after.css(".review-done")
    clock.set(NOW + timedelta(days=7))
    assert BADGE in reasons(plan_page(client, PATTERN))
    clock.set(NOW + timedelta(days=12))
    assert BADGE not in reasons(plan_page(client, PATTERN))
    clock.set(NOW + timedelta(days=15))
    week_later = plan_page(client, PATTERN)
    assert BADGE in reasons(week_later)
    assert week_later.css(".review-done")


def test_once_recorded_the_advice_comes_back_only_when_new_or_worse(client, clock) -> None:
    doc = plan_page(client, PATTERN)
    session = doc.css_first(".review-done input[name=session]").attributes["value"]
    clock.set(NOW + timedelta(minutes=5))
    response = post(client, "/safety/reviews", flag=PATTERN, reviewed_on="2026-11-28",
                    session=session)  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/sessions/{session}?reviewed=1"
    back = html(client.get(response.headers["location"]))
    assert back.css_first(".notice[role=status]").text().startswith("Review recorded.")
    assert not back.css(".review-done")
    checkin = html(client.get("/checkin")).text()
    assert "Since your review on 28 Nov 2026, is this new or worse?" in checkin
    for days in (1, 8, 30):
        clock.set(NOW + timedelta(days=days))
        quiet = plan_page(client, [])
        assert BADGE not in reasons(quiet)
        assert not quiet.css(".review-done")
    worse = plan_page(client, ["second-half-night-waking"])  # new or worse since the review
    said = reasons(worse)
    assert BADGE in said
    assert "New or worse since your review on 28 Nov 2026" in said
    assert [i.attributes["value"] for i in worse.css(".review-done input[name=flag]")] == [
        "second-half-night-waking"
    ]


def test_a_new_flag_still_gets_the_advice_after_another_was_reviewed(client) -> None:
    post(client, "/safety/reviews", flag=PATTERN, reviewed_on="2026-11-28")
    doc = plan_page(client, ["no-better-6-weeks"])
    assert BADGE in reasons(doc)
    assert "New or worse" not in reasons(doc)
    assert [i.attributes["value"] for i in doc.css(".review-done input[name=flag]")] == [
        "no-better-6-weeks"
    ]


def test_the_reviews_page_lists_records_and_withdraws(client) -> None:
    doc = html(client.get("/safety/reviews"))
    offered = [box.attributes["value"] for box in doc.css("input[name=flag]")]
    assert offered == [flag.id for flag in RULES.at("review")]
    assert "No review is recorded." in doc.text()
    assert "does not replace a clinician" in doc.css_first(".disclaimer").text()
    response = post(client, "/safety/reviews", flag="no-better-6-weeks", reviewed_on="2026-11-30")
    assert response.headers["location"] == "/safety/reviews?saved=added"
    doc = html(client.get(response.headers["location"]))
    assert doc.css_first(".notice").text() == "Review recorded."
    listed = doc.css_first(".clearances li").text()
    assert RULES.flag("no-better-6-weeks").question in listed
    assert "You recorded a clinician review on 30 Nov 2026" in listed
    response = post(client, "/safety/reviews/withdraw", flag="no-better-6-weeks")
    assert response.headers["location"] == "/safety/reviews?saved=withdrawn"
    assert "No review is recorded." in html(client.get("/safety/reviews")).text()
    assert BADGE in reasons(plan_page(client, ["no-better-6-weeks"]))
    twice = post(client, "/safety/reviews/withdraw", flag="no-better-6-weeks")
    assert twice.status_code == 400
    assert "That review is not recorded" in html(twice).css_first(".error-summary").text()


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"flag": "no-better-6-weeks", "reviewed_on": "last week"}, "reviewed_on",
         "Give the day of the review as a date"),
        ({"flag": "no-better-6-weeks", "reviewed_on": "2026-12-01"}, "reviewed_on",
         "in the future"),
        ({"reviewed_on": "2026-11-20"}, "flag", "Choose the advice that was reviewed."),
        ({"flag": "weight-loss", "reviewed_on": "2026-11-20"}, "flag",
         "is cleared instead"),
        ({"flag": "saddle-numbness", "reviewed_on": "2026-11-20"}, "flag",
         "only review-level advice"),
        ({"flag": ["no-better-6-weeks", "made-up"], "reviewed_on": "2026-11-20"}, "flag",
         "Unknown red flag 'made-up'"),
    ],
)  # fmt: skip
def test_a_review_that_cannot_be_recorded_names_the_field_and_saves_nothing(
    client, form, field, message
) -> None:
    response = post(client, "/safety/reviews", **form)
    assert response.status_code == 400
    doc = html(response)
    assert message in doc.css_first(".error-summary").text()
    assert doc.css_first(".error-summary a").attributes["href"] == f"#field-{field}"
    assert "No review is recorded." in html(client.get("/safety/reviews")).text()


def test_recording_without_the_csrf_token_is_refused(client) -> None:
    response = client.post(
        "/safety/reviews", data={"flag": "no-better-6-weeks", "reviewed_on": "2026-11-30"}
    )
    assert response.status_code == 403
    assert "No review is recorded." in html(client.get("/safety/reviews")).text()


def test_a_flag_ticked_again_after_its_review_can_be_recorded_again(client, clock) -> None:
    post(client, "/safety/reviews", flag="no-better-6-weeks", reviewed_on="2026-11-30")
    clock.now = NOW + timedelta(days=7)
    doc = plan_page(client, ["no-better-6-weeks"])  # ticked again: new or worse
    assert [i.attributes["value"] for i in doc.css(".review-done input[name=flag]")] == [
        "no-better-6-weeks"
    ]
