"""The results page shows the knee-to-wall test taken at the session's checks (tape in cm,
phone in degrees), side by side with its change, and says when a change is within the
test's measurement error (SPEC 4: about 2 cm, 5 degrees)."""

import itertools

from starlette.testclient import TestClient

from sirelief.domain.results import ankle_results
from sirelief.domain.session import Event
from tests.storage.scripted import next_event, start
from tests.web.web_support import html

KNEE = {  # point: (cm left, cm right, degrees left, degrees right)
    "baseline": (7.0, 9.0, 30.0, 36.0),
    "mid": (7.5, 11.5, 31.0, 42.5),
    "final": (8.0, 11.0, None, None),
}


def with_knee(event: Event, point: str) -> Event:
    cm_left, cm_right, deg_left, deg_right = KNEE[point]
    update = {"knee_to_wall": {"left": cm_left, "right": cm_right}}
    if deg_left is not None:
        update["knee_to_wall_deg"] = {"left": deg_left, "right": deg_right}
    return Event.model_validate({**event.model_dump(), **update})


def measured_session(client: TestClient) -> str:
    sessions = client.app.state.context.services.sessions
    running = start(sessions)
    for number in itertools.count():
        if running.state.ended is not None:
            return running.session_id
        event = next_event(running, f"k{number:04d}", 1_000.0 + number * 7.25)
        if event.kind == "assessment":
            event = with_knee(event, running.state.step.assessment.assess)
        running.record(event)
    raise AssertionError("unreachable")


def test_the_checks_ankle_range_is_shown_with_its_change(clocked_client: TestClient) -> None:
    client = clocked_client
    session_id = measured_session(client)
    page = html(client.get(f"/sessions/{session_id}/results"))
    assert page.css_first("#ankle-title").text() == "Ankle range: knee-to-wall"
    rows = [
        [cell.text(strip=True) for cell in row.css("th, td")]
        for row in page.css(".ankle-table tbody tr")
    ]
    assert [row[0].removesuffix("first") for row in rows] == [
        "Left, cm", "Right, cm", "Left, degrees", "Right, degrees",
    ]  # fmt: skip
    none = "\N{EN DASH}"
    assert [row[1:4] for row in rows] == [
        ["7", "7.5", "8"], ["9", "11.5", "11"], ["30", "31", none], ["36", "42.5", none],
    ]  # fmt: skip
    changes = [row[4] for row in rows]
    assert changes == ["+1 cmwithin error", "+2 cm", "+1°within error", "+6.5°"]
    classes = [
        row.css_first("td.change").attributes["class"] for row in page.css(".ankle-table tbody tr")
    ]
    assert classes == ["change", "change better", "change", "change better"]
    assert "measurement error" in page.css_first("#ankle-title").parent.text()


def test_a_session_without_the_test_shows_no_ankle_table(clocked_client: TestClient) -> None:
    client = clocked_client
    sessions = client.app.state.context.services.sessions
    running = start(sessions)
    for number in itertools.count():
        if running.state.ended is not None:
            break
        running.record(next_event(running, f"n{number:04d}", 1_000.0 + number * 7.25))
    assert ankle_results(running.state) == ()
    page = html(client.get(f"/sessions/{running.session_id}/results"))
    assert page.css_first("#ankle-title") is None
    assert page.css_first("#table-title") is not None
