"""Hostile bodies and fields get a 400/413 calm page or JSON error, never a 500."""

import socket
import threading

import anyio
import httpx2 as httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from sirelief.settings import Settings
from sirelief.web.app import create_app
from sirelief.web.request_body import MAX_BODY_BYTES
from tests.serving import free_port
from tests.web.web_support import GOOD_CHECKIN, csrf, html, start_session

CHUNK = 64 * 1024


def _events(client: TestClient, session_id: str, content: bytes | str):
    return client.post(
        f"/sessions/{session_id}/events",
        content=content,
        headers={"x-csrf-token": csrf(client), "content-type": "application/json"},
    )


def _checkin(client: TestClient, **changes):
    form = {**GOOD_CHECKIN, **changes, "csrf_token": csrf(client)}
    return client.post("/checkin", data=form, follow_redirects=False)


# --- the body limit, while the body streams ---------------------------------------------
def test_a_chunked_body_is_cut_off_while_it_streams(client: TestClient) -> None:
    """No Content-Length: the app stops reading past 1 MB instead of holding 25 MB."""
    app = client.app
    token = csrf(client)
    sent = 0

    async def body():
        nonlocal sent
        for _ in range(400):
            sent += 1
            yield b"x" * CHUNK

    async def post():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
            return await c.post(
                "/checkin", content=body(),
                headers={"x-csrf-token": token, "cookie": f"sirelief_csrf={token}"},
            )  # fmt: skip

    # A thread of its own: a session-wide Playwright fixture in the same xdist worker
    # keeps an asyncio loop running on the main thread.
    answers = []
    runner = threading.Thread(target=lambda: answers.append(anyio.run(post)))
    runner.start()
    runner.join()
    (response,) = answers
    assert response.status_code == 413
    assert "larger than sirelief accepts" in response.text
    assert sent <= MAX_BODY_BYTES // CHUNK + 2


def test_a_chunked_body_over_a_real_socket_gets_413(settings: Settings) -> None:
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            thread.join(0.05)
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.settimeout(120)  # a bound on a hang (old code waits forever), not a timing
            connection.sendall(
                b"POST /checkin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
            )
            chunk = b"a" * CHUNK
            try:
                for _ in range(MAX_BODY_BYTES // CHUNK + 40):
                    connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass  # the server answered and closed: it stopped reading, as it should
            answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 413")
    finally:
        server.should_exit = True
        thread.join()


def test_a_declared_oversize_body_gets_413(client: TestClient) -> None:
    response = _checkin(client, note="x" * (MAX_BODY_BYTES + 10))
    assert response.status_code == 413
    assert html(response).css_first("h1") is not None


# --- forms ------------------------------------------------------------------------------
def test_too_many_fields_is_a_calm_400(client: TestClient) -> None:
    fields = {f"f{i}": "1" for i in range(1500)}
    response = _checkin(client, **fields)
    assert response.status_code == 400
    assert "could not read that form" in response.text
    assert "Too many fields" in response.text


def test_malformed_multipart_is_a_calm_400(client: TestClient) -> None:
    token = csrf(client)
    response = client.post(
        "/checkin",
        content=b"--b\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--b--\r\n",
        headers={"content-type": "multipart/form-data; boundary=b", "x-csrf-token": token},
    )
    assert response.status_code == 400
    assert "could not read that form" in response.text


def test_a_file_in_the_checkin_form_is_a_calm_400(client: TestClient) -> None:
    response = client.post(
        "/checkin",
        data={**GOOD_CHECKIN, "csrf_token": csrf(client)},
        files={"pain": ("pain.txt", b"4")},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("digits", ["\u00b2", "\u0663", "\uff14", "1" * 5000, "+4", " 4"])
def test_number_fields_take_ascii_digits_only(client: TestClient, digits: str) -> None:
    for field in ("pain", "hip_left", "minutes"):
        response = _checkin(client, **{field: digits})
        assert response.status_code == 400, (field, digits)
        assert "whole number" in html(response).css_first(f"#{field}-error, .error").text()


@pytest.mark.parametrize("weeks", ["\u00b2", "9" * 5000])
def test_insight_weeks_take_ascii_digits_only(client: TestClient, weeks: str) -> None:
    response = client.get("/insights", params={"weeks": weeks})
    assert response.status_code == 400
    assert "Choose one of" in response.text


def test_morning_pain_takes_ascii_digits_only(client: TestClient) -> None:
    form = {"session": "x", "settled": "yes", "pain": "\u00b2", "csrf_token": csrf(client)}
    response = client.post("/morning", data=form)
    assert response.status_code == 400


def test_act_step_with_unicode_digits_is_not_a_500(client: TestClient) -> None:
    session_id = start_session(client)
    form = {"kind": "start", "event_id": "a" * 32, "step": "\u00b2", "csrf_token": csrf(client)}
    response = client.post(f"/sessions/{session_id}/act", data=form, follow_redirects=False)
    assert response.status_code == 303


@pytest.mark.parametrize("event_id", ["\u00e9" * 10, "x" * 100, "a b c d e f"])
def test_act_refuses_bad_event_ids(client: TestClient, event_id: str) -> None:
    session_id = start_session(client)
    form = {"kind": "start", "event_id": event_id, "csrf_token": csrf(client)}
    response = client.post(f"/sessions/{session_id}/act", data=form)
    assert response.status_code == 400


def test_act_refuses_invalid_utf8_in_a_form(client: TestClient) -> None:
    session_id = start_session(client)
    response = client.post(
        f"/sessions/{session_id}/act",
        content=b"kind=start&event_id=%ED%A0%80%ED%A0%80%ED%A0%80%ED%A0%80&csrf_token="
        + csrf(client).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400


def test_an_overlong_routine_field_is_a_calm_400(client: TestClient) -> None:
    response = _checkin(client, routine="r" * 100_000)
    assert response.status_code == 400
    assert len(response.text) < 200_000


@pytest.mark.parametrize("path", ["/sessions/" + "a" * 500, "/sessions/%00/run",
                                  "/sessions/%ED%A0%80/results"])  # fmt: skip
def test_odd_session_ids_are_not_found(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


# --- JSON ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('{"events": [{"id": "e1", "at": NaN, "kind": "start"}]}', "events[0].at"),
        ('{"events": [{"id": "e1", "at": Infinity, "kind": "start"}]}', "events[0].at"),
        ('{"events": [{"id": "e1", "at": -Infinity, "kind": "start"}]}', "events[0].at"),
        ('{"events": [{"id": "e1", "at": 1e999, "kind": "start"}]}', "events[0].at"),
        ('{"events": [{"id": "e1", "at": 1, "kind": "start", "step": 1234567890123456}]}',
         "events[0].step"),
        ('{"events": [{"id": "\\ud800", "at": 1, "kind": "start"}]}', "events[0].id"),
        ('{"events": [{"\\udc00": 1}]}', "events[0]"),
        ('[' * 100_000 + ']' * 100_000, "nested"),
        ('{"events": [[[[[[[[[[1]]]]]]]]]]}', "nested"),
    ],
)  # fmt: skip
def test_hostile_json_is_a_400_naming_the_place(client: TestClient, body: str, named: str):
    response = _events(client, start_session(client), body)
    assert response.status_code == 400
    assert named in response.json()["error"]


def test_invalid_utf8_is_a_400(client: TestClient) -> None:
    response = _events(client, start_session(client), b'{"events": ["\xff\xfe"]}')
    assert response.status_code == 400
    assert "UTF-8" in response.json()["error"]


def test_an_oversize_event_batch_is_a_json_413(client: TestClient) -> None:
    response = _events(client, start_session(client), "[" + "1," * MAX_BODY_BYTES + "1]")
    assert response.status_code == 413
    assert "larger" in response.json()["error"]
