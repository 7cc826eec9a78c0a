"""Today after a safety stop and after a session left open (issue 19, item 5)."""

from datetime import timedelta

from tests.web.web_support import GOOD_CHECKIN, NOW, csrf, html, post, start_session


def test_after_an_emergency_stop_today_says_it_again_with_its_advice(client) -> None:
    form = {**GOOD_CHECKIN, "red_flags": ["saddle-numbness"], "csrf_token": csrf(client)}
    advice = html(client.post("/checkin", data=form)).css_first(".stop .lead").text()
    doc = html(client.get("/"))
    card = doc.css_first("section.stop.urgency-emergency")
    assert card is not None
    assert card.css_first(".badge").text() == "Emergency: get help now"
    assert card.css_first(".lead").text() == advice
    assert "Last time sirelief stopped" in card.css_first("h2").text()


def test_the_stop_is_no_longer_shown_once_a_session_is_planned(client) -> None:
    form = {**GOOD_CHECKIN, "red_flags": ["saddle-numbness"], "csrf_token": csrf(client)}
    client.post("/checkin", data=form)
    start_session(client)
    assert html(client.get("/")).css_first("section.stop") is None


def test_today_shows_no_stop_when_there_was_none(client) -> None:
    assert html(client.get("/")).css_first("section.stop") is None


def test_a_session_left_open_12_hours_is_closed_and_kept_in_history(clocked_client, clock) -> None:
    session_id = start_session(clocked_client)
    post(clocked_client, f"/sessions/{session_id}/act", kind="start", event_id="start-0001")
    clock.set(NOW + timedelta(hours=11))
    assert html(clocked_client.get("/")).css_first("#resume-title") is not None
    clock.set(NOW + timedelta(hours=12, minutes=1))
    assert html(clocked_client.get("/")).css_first("#resume-title") is None
    entry = html(clocked_client.get("/history")).css_first("ol.history li")
    assert "left unfinished, closed after 12 hours" in entry.text()
    link = entry.css_first("h2 a").attributes["href"]
    assert link == f"/sessions/{session_id}/results"
    lead = html(clocked_client.get(link)).css_first(".lead").text()
    assert "left unfinished" in lead
