"""Web Push reminders in Chromium (issue 19 item 3b), against a push service played by
the test on 127.0.0.1.

What this covers: on /settings the "Remind me on this device" button appears only where
push can work; permission is asked only on the tap; the page subscribes through the
service worker's ``pushManager`` with the server's public key, posts the subscription
(CSRF header) and the server keeps it; ``sirelief reminders send`` (the real command,
real pywebpush) then sends the due reminder once to the local push service, encrypted
(RFC 8291, aes128gcm) for the browser's keys and signed (RFC 8292, VAPID) with the
installation's key, and it decrypts to the generic words only; a push delivered to the
real service worker (Chrome DevTools Protocol, ``ServiceWorker.deliverPushMessage``)
shows the notification "sirelief" / "Time for your session"; turning it off unsubscribes
and the server forgets the browser. A page that is not a secure context, or a browser
without push, says so instead of offering the button.

What it cannot cover: headless Chromium has no push service, so its own
``pushManager.subscribe`` fails ("Registration failed - permission denied"); the test
replaces ``subscribe``/``getSubscription`` with ones that return a subscription made
from a key pair the test holds (the endpoint is the local push service), so the
browser's real subscription to Google's, Mozilla's or Apple's service, and the way
from that service to the worker, are not exercised. The notification's click (open or
focus the app at /) cannot be clicked headless and is not tested here. The non-secure
page is simulated by overriding ``window.isSecureContext`` (a LAN address over plain
HTTP would need the network set up for it).
"""

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from sirelief.domain.preferences import Preferences
from sirelief.domain.push import BODY, TITLE
from tests.push_service import BrowserKeys, PushService, vapid_claims
from tests.serving import sirelief_command

CONTACT = "mailto:reminders@example.org"
FAKE_PUSH_JS = """(made) => {
  let current = null;
  window.__permissionAsked = 0;
  window.__subscribedWith = [];
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__permissionAsked += 1;
    return ask(...args);
  };
  const text = (bytes) => btoa(String.fromCharCode(...bytes))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    window.__subscribedWith.push({ userVisibleOnly: options.userVisibleOnly, key: text(key) });
    current = {
      endpoint: made.endpoint,
      options: { userVisibleOnly: true, applicationServerKey: key.buffer },
      toJSON: () => ({ endpoint: made.endpoint, expirationTime: null,
                       keys: { p256dh: made.p256dh, auth: made.auth } }),
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
}"""
READY_JS = "async () => { await navigator.serviceWorker.ready; return true; }"
NOTIFICATIONS_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const shown = await registration.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, url: n.data && n.data.url }));
}"""

# The first look that finds any is kept: Chromium may close a shown notification on its
# own a moment later, so a second look could find none.
FIRST_NOTIFICATIONS_JS = f"""async () => {{
  const look = {NOTIFICATIONS_JS};
  for (let tries = 0; tries < 600; tries += 1) {{
    const shown = await look();
    if (shown.length > 0) return shown;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }}
  return [];
}}"""


@pytest.fixture
def push_server(start_server, tmp_path, monkeypatch):
    """``sirelief serve`` that accepts a push service on http://127.0.0.1 (the test hook)."""
    monkeypatch.setenv("SIRELIEF_PUSH_ALLOW_HTTP_LOOPBACK", "true")
    monkeypatch.setenv("SIRELIEF_PUSH_CONTACT", CONTACT)
    return start_server(tmp_path / "data", 1)


def send_reminders(data_dir) -> dict:
    env = {**os.environ, "SIRELIEF_DATA_DIR": str(data_dir)}
    env.pop("SIRELIEF_DATABASE_URL", None)
    done = subprocess.run(
        [sirelief_command(), "reminders", "send", "--json"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def remind_now(server) -> None:
    """Reminders every day at two minutes ago (UTC), so one is due right now."""
    library = server.library()
    at = (datetime.now(UTC) - timedelta(minutes=2)).time().replace(second=0, microsecond=0)
    library.preferences.save(
        Preferences(reminder_days=tuple(range(7)), reminder_time=at, time_zone="UTC")
    )
    library.close()


def devices(server) -> int:
    library = server.library()
    try:
        return library.push_reminders.devices()
    finally:
        library.close()


def worker_registration(page, context) -> tuple:
    """A DevTools session and the service worker's registration id, as it names it."""
    cdp = context.new_cdp_session(page)
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    while not found:
        page.wait_for_timeout(100)  # lets Playwright hand over the protocol's events
    return cdp, found[0]["registrationId"]


def test_a_device_subscribes_gets_the_reminder_once_and_turns_it_off(
    push_server, new_page, expect
) -> None:
    remind_now(push_server)
    browser_keys = BrowserKeys()
    with PushService() as service:
        made = browser_keys.subscription(service.endpoint("phone"))
        page = new_page(service_workers="allow", permissions=["notifications"])
        page.add_init_script(
            f"({FAKE_PUSH_JS})({json.dumps({'endpoint': made['endpoint'], **made['keys']})})"
        )
        page.goto(push_server.url + "/settings")
        assert page.evaluate(READY_JS)
        turn_on = page.locator("#push-on")
        expect(turn_on).to_be_visible()
        expect(page.locator("#push-note")).to_be_hidden()
        assert page.evaluate("window.__permissionAsked") == 0, "asked before the tap"

        turn_on.click()
        expect(page.locator("#push-note")).to_have_text("Reminders are on for this device.")
        expect(page.locator("#push-devices")).to_have_text("1 device gets these reminders.")
        expect(page.locator("#push-off")).to_be_visible()
        expect(turn_on).to_be_hidden()
        assert page.evaluate("window.__permissionAsked") == 1
        public_key = page.request.get(push_server.url + "/settings/push/key").json()["public_key"]
        assert page.evaluate("window.__subscribedWith") == [
            {"userVisibleOnly": True, "key": public_key}
        ]
        assert devices(push_server) == 1

        first = send_reminders(push_server.data_dir)
        again = send_reminders(push_server.data_dir)  # cron's next minute: already sent
        assert (first["reminders"], first["delivered"], first["failed"]) == (1, 1, 0)
        assert again["reminders"] == 0
        [pushed] = service.pushed
    assert pushed.path == "/push/phone"
    assert pushed.headers["content-encoding"] == "aes128gcm"
    claims = vapid_claims(pushed.headers["authorization"], public_key)
    assert (claims["aud"], claims["sub"]) == (service.origin, CONTACT)
    said = browser_keys.decrypt(pushed.body).decode()
    assert json.loads(said) == {"title": TITLE, "body": BODY, "url": "/"}

    cdp, registration = worker_registration(page, page.context)
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": push_server.url, "registrationId": registration, "data": said})  # fmt: skip
    shown = page.evaluate(FIRST_NOTIFICATIONS_JS)
    assert shown == [{"title": "sirelief", "body": "Time for your session", "url": "/"}]

    page.locator("#push-off").click()
    expect(page.locator("#push-note")).to_have_text("Reminders are off for this device.")
    expect(page.locator("#push-devices")).to_have_text("No device gets these reminders yet.")
    expect(page.locator("#push-on")).to_be_visible()
    assert devices(push_server) == 0


@pytest.mark.parametrize(
    ("script", "words"),
    [("Object.defineProperty(window, 'isSecureContext', { get: () => false })",
      "not on a secure connection"),
     ("delete window.PushManager", "This browser cannot show reminders from a web page.")],
)  # fmt: skip
def test_where_push_cannot_work_the_page_says_so_instead_of_a_button(
    push_server, new_page, expect, script: str, words: str
) -> None:
    page = new_page(service_workers="allow", permissions=["notifications"])
    page.add_init_script(script)
    page.goto(push_server.url + "/settings")
    expect(page.locator("#push-note")).to_contain_text(words)
    expect(page.locator("#push-note")).to_contain_text("The calendar above works")
    expect(page.locator("#push-on")).to_be_hidden()
    expect(page.locator("#push-off")).to_be_hidden()
