"""An acknowledged event is stored in that session; an id another session holds is refused."""

import pytest
from starlette.testclient import TestClient

from sirelief.domain.records import EventFacts
from sirelief.domain.session import Event
from sirelief.storage.event_store import EventIdTakenError, InvalidEventIdError
from tests.web.web_support import csrf, start_session


def _send(client: TestClient, session_id: str, *events: dict):
    return client.post(
        f"/sessions/{session_id}/events",
        json={"events": list(events)},
        headers={"x-csrf-token": csrf(client)},
    )


def _start(event_id: str) -> dict:
    return {"id": event_id, "at": 1_700_000_000.0, "kind": "start", "step": 0}


def test_an_id_of_another_session_is_refused_with_409(client: TestClient) -> None:
    first, second = start_session(client), start_session(client)
    log = client.app.state.context.services.session_log
    assert _send(client, first, _start("shared-id")).json()["recorded"] == ["shared-id"]
    response = _send(client, second, _start("shared-id"), _start("own-id"))
    assert response.status_code == 409
    body = response.json()
    assert body["refused"] == [{"id": "shared-id", "error": body["refused"][0]["error"]}]
    assert "another session" in body["refused"][0]["error"]
    assert body["recorded"] == ["own-id"]
    assert log.event_ids(first) == ["shared-id"]
    assert log.event_ids(second) == ["own-id"]


def test_a_replay_to_the_same_session_is_acknowledged(client: TestClient) -> None:
    session_id = start_session(client)
    assert _send(client, session_id, _start("once")).status_code == 200
    again = _send(client, session_id, _start("once"))
    assert again.status_code == 200
    assert again.json()["recorded"] == ["once"]
    assert client.app.state.context.services.session_log.event_ids(session_id) == ["once"]


@pytest.mark.parametrize("event_id", ["", "a b", "x" * 65, "\u00e9t\u00e9", "id/../x", 7])
def test_ids_outside_the_format_are_refused_at_the_edge(client: TestClient, event_id) -> None:
    session_id = start_session(client)
    response = _send(client, session_id, _start(event_id))
    assert response.status_code == 400
    assert response.json()["error"].startswith("events[0].id")


@pytest.mark.parametrize("step", [-1, 10_001, 10**12, True])
def test_step_indexes_are_bounded(client: TestClient, step) -> None:
    session_id = start_session(client)
    response = _send(client, session_id, {**_start("s1"), "step": step})
    assert response.status_code == 400
    assert response.json()["error"].startswith("events[0].step")


def test_storage_refuses_another_sessions_id(client: TestClient) -> None:
    first, second = start_session(client), start_session(client)
    log = client.app.state.context.services.session_log
    facts = EventFacts()
    event = Event(id="taken", at=1.0, kind="start")
    assert log.append_event(first, event, facts)
    assert not log.append_event(first, event, facts)
    with pytest.raises(EventIdTakenError):
        log.append_event(second, event, facts)
    with pytest.raises(InvalidEventIdError):
        log.append_event(second, Event.model_construct(id="no spaces", at=1.0, kind="start"), facts)
    assert log.event_ids(second) == []
