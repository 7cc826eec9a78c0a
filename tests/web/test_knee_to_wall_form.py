"""Knee-to-wall on the check-in and the assessment form: distance, phone angle, or both."""

from datetime import timedelta

from starlette.datastructures import FormData

from sirelief.web.forms import read_assessment
from tests.web.web_support import GOOD_CHECKIN, NOW, csrf, error_text, html, post, start_session


def stored_checkin(client, session_id: str):
    return client.app.state.context.services.session_log.session(session_id).checkin


def test_the_checkin_keeps_a_phone_angle_without_a_distance(client) -> None:
    session_id = start_session(client, knee_to_wall_deg_left="34.5", knee_to_wall_deg_right="30")
    checkin = stored_checkin(client, session_id)
    assert checkin.knee_to_wall_deg.left == 34.5
    assert checkin.knee_to_wall_deg.right == 30.0
    assert checkin.knee_to_wall_cm is None


def test_the_checkin_keeps_both_ways_when_both_are_given(client) -> None:
    session_id = start_session(
        client, knee_to_wall_left="9", knee_to_wall_right="7.5",
        knee_to_wall_deg_left="38.2", knee_to_wall_deg_right="33.1",
    )  # fmt: skip
    checkin = stored_checkin(client, session_id)
    assert (checkin.knee_to_wall_cm.left, checkin.knee_to_wall_cm.right) == (9.0, 7.5)
    assert (checkin.knee_to_wall_deg.left, checkin.knee_to_wall_deg.right) == (38.2, 33.1)


def test_knee_to_wall_stays_optional_on_the_checkin(client) -> None:
    session_id = start_session(client)
    checkin = stored_checkin(client, session_id)
    assert checkin.knee_to_wall_cm is None
    assert checkin.knee_to_wall_deg is None


def post_checkin(client, **fields):
    return client.post("/checkin", data={**GOOD_CHECKIN, **fields, "csrf_token": csrf(client)})


def test_an_angle_past_sixty_degrees_is_refused_by_name(client) -> None:
    response = post_checkin(client, knee_to_wall_deg_left="61", knee_to_wall_deg_right="30")
    assert response.status_code == 400
    assert "left shin angle in degrees from 0 to 60" in error_text(response)
    doc = html(response)
    assert doc.css_first("#ktw-deg-left").attributes["value"] == "61"
    assert doc.css_first("#ktw-deg-left-error") is not None


def test_one_side_alone_asks_for_the_other(client) -> None:
    response = post_checkin(client, knee_to_wall_deg_right="30")
    assert response.status_code == 400
    assert "Give the left shin angle in degrees too" in error_text(response)


def test_hostile_angles_get_a_message_not_a_crash(client) -> None:
    for value in ("nan", "1e3", "-3", "٣٠", "30,5", "inf", "33.333"):
        response = post_checkin(client, knee_to_wall_deg_left=value, knee_to_wall_deg_right="30")
        assert response.status_code == 400, value
        assert "left shin angle" in error_text(response), value


def test_the_phone_button_is_on_the_checkin_and_hidden_without_its_script(client) -> None:
    doc = html(client.get("/checkin"))
    buttons = [b.attributes["data-inclinometer"] for b in doc.css("[data-inclinometer]")]
    assert buttons == ["left", "right"]
    assert doc.css_first("input[name=knee_to_wall_deg_left]") is not None
    scripts = [s.attributes.get("src", "") for s in doc.css("script")]
    assert any(src.startswith("/static/inclinometer.js") for src in scripts)


def assess(**fields):
    form = FormData(list(fields.items()))
    return read_assessment(form, [], ask_pain=False, ask_knee_to_wall=True)


def test_an_assessment_takes_the_angle_alone_the_distance_alone_or_both() -> None:
    fields, _ = assess(knee_to_wall_deg_left="40", knee_to_wall_deg_right="35.5")
    assert fields["knee_to_wall"] is None
    assert fields["knee_to_wall_deg"] == {"left": 40.0, "right": 35.5}
    fields, _ = assess(knee_to_wall_left="8", knee_to_wall_right="9")
    assert fields["knee_to_wall"] == {"left": 8.0, "right": 9.0}
    assert "knee_to_wall_deg" not in fields
    fields, _ = assess(knee_to_wall_left="8", knee_to_wall_right="9",
                       knee_to_wall_deg_left="40", knee_to_wall_deg_right="35")  # fmt: skip
    assert fields["knee_to_wall"]
    assert fields["knee_to_wall_deg"]


def test_an_assessment_without_either_way_asks_for_one() -> None:
    fields, result = assess()
    assert fields is None
    assert "or measure the angle with your phone" in result.errors["knee_to_wall_left"]
    fields, result = assess(knee_to_wall_deg_left="75", knee_to_wall_deg_right="35")
    assert fields is None
    assert set(result.errors) == {"knee_to_wall_deg_left"}


def started(client, **fields) -> None:
    session_id = start_session(client, **fields)
    post(client, f"/sessions/{session_id}/act", kind="start", event_id=f"start-{session_id}")


def test_insights_draw_an_angle_chart_beside_the_distance(clocked_client, clock) -> None:
    started(clocked_client, knee_to_wall_left="8", knee_to_wall_right="8",
            knee_to_wall_deg_left="30", knee_to_wall_deg_right="29")  # fmt: skip
    clock.set(NOW + timedelta(days=8))
    started(clocked_client, knee_to_wall_left="9", knee_to_wall_right="8.5",
            knee_to_wall_deg_left="33", knee_to_wall_deg_right="36")  # fmt: skip
    doc = html(clocked_client.get("/insights"))
    assert doc.css_first("#knee-to-wall-heading") is not None
    summary = doc.css_first("#knee-to-wall-angle-heading ~ p").text()
    assert "Left: 30.0 → 33.0 (+3.0: within measurement error)" in summary
    assert "Right: 29.0 → 36.0 (+7.0: beyond measurement error, better)" in summary
    assert "±5 degrees" in doc.css_first("#knee-to-wall-angle-heading").parent.html
