"""The findings page in personal mode (issue 20 item 3): recorded as given, listed newest
first, refused with the field named, never interpreted."""

import pytest

from sirelief.domain.findings import NOT_INTERPRETED, SLOT_IDS
from tests.web.web_support import csrf, error_text, html, post


@pytest.fixture
def client(clocked_client):
    return clocked_client


def test_the_form_asks_every_test_with_not_done_chosen(client) -> None:
    doc = html(client.get("/findings"))
    for slot_id in SLOT_IDS:
        checked = doc.css_first(f"input[name={slot_id}][checked]")
        assert checked.attributes["value"] == "not-done"
    assert doc.css_first("input[name=fortin][checked]").attributes["value"] == "not-checked"
    assert doc.css_first("input[name=csrf_token]").attributes["value"] == csrf(client)
    assert NOT_INTERPRETED in doc.text()
    assert "Nothing recorded yet" in doc.text()


def test_recorded_findings_come_back_as_given_newest_first(client) -> None:
    first = post(client, "/findings", examined_on="2026-10-01", examiner="Dr Rossi's letter",
                 **{"thigh-thrust-left": "positive", "compression": "negative"})  # fmt: skip
    assert first.status_code == 303
    post(client, "/findings", examined_on="2026-11-20", fortin="yes", fortin_side="left")
    doc = html(client.get("/findings?saved=1"))
    assert doc.css_first(".notice[role=status]").text() == "Findings recorded."
    items = doc.css(".findings-list > li")
    assert len(items) == 2
    newest, oldest = items[0].text(), items[1].text()
    assert "20 Nov 2026" in newest
    assert "points within about 1 cm of the PSIS (left)" in newest
    assert "Recorded by you" in newest
    assert "Dr Rossi's letter" in oldest
    assert "Thigh thrust test, left side: positive" in oldest
    assert "Compression test: negative" in oldest
    assert "Distraction test" in oldest  # named among those not done
    page = doc.text().lower()
    for conclusion in ("of 4", "likely", "diagnos" + "is:", "si joint pain is"):
        assert conclusion not in page


def test_a_refused_record_names_each_field_and_keeps_what_was_typed(client) -> None:
    response = post(client, "/findings", examined_on="2099-01-01", examiner="Dr X",
                    gaenslen_left="maybe", **{"gaenslen-right": "maybe"},
                    fortin="yes")  # fmt: skip
    assert response.status_code == 400
    summary = error_text(response)
    assert "in the future" in summary
    assert "Gaenslen test, right side: choose positive, negative or not done" in summary
    assert "which side" in summary
    doc = html(response)
    assert doc.css_first("#examiner").attributes["value"] == "Dr X"
    links = [a.attributes["href"] for a in doc.css(".error-summary a")]
    assert links == ["#field-examined_on", "#field-gaenslen-right", "#field-fortin_side"]
    assert "Nothing recorded yet" in doc.text()


def test_an_unreadable_date_keeps_nothing_and_names_the_rest_too(client) -> None:
    response = post(client, "/findings", examined_on="yesterday", fortin="perhaps")
    assert response.status_code == 400
    summary = error_text(response)
    assert "as a date" in summary
    assert "Fortin finger sign: choose" in summary
    assert "Nothing recorded yet" in html(client.get("/findings")).text()


def test_nothing_to_record_is_refused(client) -> None:
    response = post(client, "/findings", examined_on="2026-11-01")
    assert response.status_code == 400
    assert "Nothing to record" in error_text(response)


def test_a_side_left_from_before_the_answer_changed_to_no_is_dropped(client) -> None:
    assert post(client, "/findings", examined_on="2026-11-01", fortin="no",
                fortin_side="right").status_code == 303  # fmt: skip
    text = html(client.get("/findings")).css_first(".findings-list").text()
    assert "does not point to that spot" in text
    assert "(right)" not in text


def test_a_post_without_its_csrf_token_is_refused(client) -> None:
    response = client.post("/findings", data={"examined_on": "2026-11-01", "fortin": "no"})
    assert response.status_code == 403


def test_insights_shows_the_newest_findings_as_recorded(client) -> None:
    section = html(client.get("/insights")).css_first(".findings-section")
    assert "Nothing recorded yet" in section.text()
    for day in ("2026-09-01", "2026-10-01", "2026-11-01", "2026-11-20"):
        post(client, "/findings", examined_on=day, distraction="positive")
    section = html(client.get("/insights")).css_first(".findings-section")
    items = section.css(".findings-list > li")
    assert [i.css_first("strong").text() for i in items] == [
        "Examined 20 Nov 2026", "Examined 01 Nov 2026", "Examined 01 Oct 2026",
    ]  # fmt: skip
    assert "Distraction test: positive" in items[0].text()
    assert NOT_INTERPRETED in section.text()
    assert section.css_first("a[href='/findings']") is not None
