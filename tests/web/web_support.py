"""Helpers for the in-process web tests (imported by name; conftest modules are not)."""

from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from starlette.testclient import TestClient

GOOD_CHECKIN = {
    "pain": "4", "hip_left": "3", "hip_right": "7", "hamstrings_adductors_left": "2",
    "hamstrings_adductors_right": "5", "ankle_left": "4", "ankle_right": "6",
    "minutes": "60", "equipment": ["kettlebell", "mat", "strap", "wall", "band"],
    "context": "repair",
}  # fmt: skip
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
"""Where the ``clock`` fixture starts."""


def csrf(client: TestClient) -> str:
    """The CSRF cookie's token (``__Host-`` prefixed when the client speaks HTTPS)."""
    return client.cookies.get("sirelief_csrf") or client.cookies.get("__Host-sirelief_csrf")


def html(response) -> HTMLParser:
    return HTMLParser(response.text)


def start_session(client: TestClient, **changes) -> str:
    form = {**GOOD_CHECKIN, **changes, "csrf_token": csrf(client)}
    response = client.post("/checkin", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


def post(client: TestClient, path: str, **form):
    """A form sent with its CSRF token; the answer as is (redirects not followed)."""
    return client.post(path, data={**form, "csrf_token": csrf(client)}, follow_redirects=False)


def error_text(response) -> str:
    return html(response).css_first(".error-summary").text()
