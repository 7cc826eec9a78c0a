"""Web Push reminders from the web (issue 19 item 3b): the settings page's section, the
public key, subscribing and unsubscribing as JSON with the CSRF header, and hostile
subscriptions refused with a 400 that names the field."""

import json

import pytest
from starlette.testclient import TestClient

from tests.push_service import BrowserKeys
from tests.web.web_support import csrf, html, post

ENDPOINT = "https://push.example/send/abc"


def send(client: TestClient, address: str, body, token: bool = True, type_="application/json"):
    headers = {"content-type": type_}
    if token:
        headers["x-csrf-token"] = csrf(client)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(address, content=content, headers=headers)


def test_the_settings_page_offers_reminders_on_this_device(client: TestClient) -> None:
    doc = html(client.get("/settings"))
    section = doc.css_first("section#push")
    assert section.css_first("h2").text() == "Reminders on this device"
    assert section.attributes["data-csrf"] == csrf(client)
    # without JavaScript: the note says what turning them on needs, the buttons stay hidden
    assert "needs JavaScript" in section.css_first("#push-note").text()
    assert "hidden" in section.css_first("#push-on").attributes
    assert "hidden" in section.css_first("#push-off").attributes
    assert section.css_first("#push-devices").text() == "No device gets these reminders yet."
    assert "Time for your session" in section.text()
    scripts = {tag.attributes["src"].split("?")[0] for tag in doc.css("script[src]")}
    assert "/static/push.js" in scripts


def test_the_public_key_is_made_once(client: TestClient) -> None:
    first = client.get("/settings/push/key")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    key = first.json()["public_key"]
    assert len(key) == 87
    assert client.get("/settings/push/key").json() == {"public_key": key, "devices": 0}


def test_a_browser_subscribes_and_unsubscribes(client: TestClient) -> None:
    subscription = BrowserKeys().subscription(ENDPOINT)
    added = send(client, "/settings/push", subscription)
    assert (added.status_code, added.json()) == (201, {"subscribed": True, "devices": 1})
    again = send(client, "/settings/push", BrowserKeys().subscription(ENDPOINT))
    assert (again.status_code, again.json()["devices"]) == (200, 1)
    doc = html(client.get("/settings"))
    assert doc.css_first("#push-devices").text() == "1 device gets these reminders."
    assert doc.css_first("form[action='/settings/push/remove-all']") is not None
    removed = send(client, "/settings/push/remove", {"endpoint": ENDPOINT})
    assert removed.json() == {"removed": True, "devices": 0}
    assert send(client, "/settings/push/remove", {"endpoint": ENDPOINT}).json()["removed"] is False


def test_every_device_can_be_turned_off_without_javascript(client: TestClient) -> None:
    for name in ("a", "b"):
        send(client, "/settings/push", BrowserKeys().subscription(f"{ENDPOINT}/{name}"))
    answer = post(client, "/settings/push/remove-all")
    assert answer.status_code == 303
    doc = html(client.get(answer.headers["location"]))
    assert "Reminders are off on every device" in doc.css_first("p.notice").text()
    assert doc.css_first("#push-devices").text() == "No device gets these reminders yet."


def test_without_the_csrf_header_nothing_is_kept(client: TestClient) -> None:
    refused = send(client, "/settings/push", BrowserKeys().subscription(ENDPOINT), token=False)
    assert refused.status_code == 403
    assert client.get("/settings/push/key").json()["devices"] == 0


def good(**changes) -> dict:
    subscription = BrowserKeys().subscription(ENDPOINT)
    keys = {**subscription["keys"], **changes.pop("keys", {})}
    return {**subscription, "keys": keys, **changes}


@pytest.mark.parametrize(
    ("body", "type_", "field", "words"),
    [
        (b"{", "application/json", "body", "not JSON"),
        (b"\xff\xfe", "application/json", "body", "UTF-8"),
        (b'{"endpoint": 1e999}', "application/json", "endpoint", "too large"),
        (b"[" * 50 + b"]" * 50, "application/json", "body", "nested"),
        (good(), "text/plain", "body", "application/json"),
        (good(endpoint="http://push.example/x"), "application/json", "endpoint", "https://"),
        (good(endpoint="http://127.0.0.1:9/x"), "application/json", "endpoint", "https://"),
        (good(keys={"auth": "AAAA"}), "application/json", "keys.auth", "16 bytes"),
        (good(keys={"p256dh": "not base64!"}), "application/json", "keys.p256dh", "base64url"),
        (good(admin=True), "application/json", "admin", "send only endpoint"),
        (good(**{"": 1}), "application/json", '""', "send only endpoint"),
        ("just text", "application/json", "body", "JSON object"),
    ],
)
def test_a_wrong_subscription_is_a_400_naming_the_field(
    client: TestClient, body, type_: str, field: str, words: str
) -> None:
    answer = send(client, "/settings/push", body, type_=type_)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert answer.json()["error"].startswith(field)
    assert words in answer.json()["error"]
    assert client.get("/settings/push/key").json()["devices"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"endpoint": ENDPOINT, "keys": {}}, "body"), ({"endpoint": "ftp://x"}, "endpoint"),
     ([ENDPOINT], "body"), ({}, "endpoint")],
)  # fmt: skip
def test_a_wrong_removal_is_a_400_naming_the_field(client: TestClient, body, field: str) -> None:
    send(client, "/settings/push", BrowserKeys().subscription(ENDPOINT))
    answer = send(client, "/settings/push/remove", body)
    assert (answer.status_code, answer.json()["field"]) == (400, field)
    assert client.get("/settings/push/key").json()["devices"] == 1
