"""Counts read as people write them: "1 session", "1 step skipped" (issue 19, item 5)."""

from tests.web.test_pages import drive_without_javascript
from tests.web.web_support import html, start_session


def test_one_session_and_one_skipped_step_are_singular(client) -> None:
    session_id = start_session(client)
    drive_without_javascript(client, session_id, skip_first_work=True)
    lead = html(client.get(f"/sessions/{session_id}/results")).css_first("p.lead").text()
    assert "with 1 step skipped." in lead
    insights = html(client.get("/insights")).css_first("p.lead").text()
    assert insights.endswith(": 1 session.")
