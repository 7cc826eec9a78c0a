"""Data a page embeds for its scripts cannot end or comment out its own block."""

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from sirelief.web.text import script_json
from tests.web.web_support import html, start_session

HOSTILE = "<!--<script>alert(1)</script> & \u2028"
ROUTINE = f"""format: sirelief.routine.v1
id: hostile-note
version: 1
name: Hostile note
summary: A routine whose note tries to break the page.
author: test
contexts: [repair]
blocks:
  - id: only
    title: Only
    sides: both
    steps:
      - exercise: standing-lunge
        note: {json.dumps(HOSTILE)}
"""


@given(st.recursive(st.text(), lambda inner: st.lists(inner, max_size=3), max_leaves=8))
def test_script_json_has_no_markup_and_round_trips(value) -> None:
    text = script_json({"value": value})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"value": value}


def test_routine_note_cannot_break_the_session_page(client: TestClient) -> None:
    library = client.app.state.context.services
    library.routine_store.save_routine(
        "hostile-note", "hostile.yaml", ROUTINE, datetime.now(UTC), replace=False
    )
    session_id = start_session(client, routine="hostile-note")
    response = client.get(f"/sessions/{session_id}/run")
    assert response.status_code == 200
    block = html(response).css_first("script#session-data").text()
    assert not set("<>&") & set(block)
    notes = [step.get("note") for step in json.loads(block)["steps"]]
    assert HOSTILE in notes
    # the block ends where the page meant it to: one data block, then the page's own scripts
    assert response.text.count("</script>") == len(html(response).css("script"))
