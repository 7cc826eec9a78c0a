"""HTTPS through Debian's Caddy: the guided session is a secure context that keeps the screen on.

``sirelief serve --proxy-headers`` listens on loopback behind ``caddy run`` with ``tls
internal`` for the name ``sirelief.test``, which only Chromium resolves (to 127.0.0.1): a
loopback name would prove nothing, browsers count ``http://localhost`` as secure anyway.
Chromium trusts Caddy's local root the way a phone that installed it does, from an NSS
database in a temporary HOME (``certutil``). Ignoring certificate errors is no substitute:
Chromium still calls such a page a secure context, so it would hide a broken certificate.
Caddy keeps its keys, certificates and autosaved config in the test's temporary folder and
never installs its root anywhere (``skip_install_trust``, ``admin off``).

Same switch as the rest of the browser suite: skipped when caddy, certutil, chromium or
Playwright is missing, a failure instead with SIRELIEF_REQUIRE_BROWSER=1 (``.ci/run``
installs caddy and libnss3-tools beside chromium and sets it).
"""

import dataclasses
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.security import SECURE_CSRF_COOKIE, SECURITY_HEADERS
from sirelief.web.sign_in import SECURE_LOGIN_COOKIE
from tests.browser.conftest import (
    BROWSER_MISSING,
    CHROMIUM,
    LAUNCH_ARGS,
    WAIT_MS,
    Guide,
    LiveServer,
)
from tests.serving import free_port, stop

NAME = "sirelief.test"
"""The public name Caddy serves; never in DNS, mapped to 127.0.0.1 inside Chromium only."""
CADDY = Path("/usr/bin/caddy")
CLIENT, PASSWORD = "cleo", "quiet meadow lantern 42"


def _https_tools_missing() -> str | None:
    if BROWSER_MISSING:
        return BROWSER_MISSING
    if not CADDY.exists():
        return f"{CADDY} is missing (Debian: apt-get install caddy)"
    if shutil.which("certutil") is None:
        return "certutil is missing (Debian: apt-get install libnss3-tools)"
    return None


@pytest.fixture
def https_tools() -> None:
    reason = _https_tools_missing()
    if reason is None:
        return
    if os.environ.get("SIRELIEF_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"HTTPS test: {reason}; SIRELIEF_REQUIRE_BROWSER=1 makes it mandatory", pytrace=False
        )
    pytest.skip(f"HTTPS test: {reason}")


@dataclass
class Proxy:
    url: str
    root_certificate: Path
    """Caddy's local certificate authority: what a phone installs to trust the LAN name."""


CADDYFILE = """\
{{
\tadmin off
\tskip_install_trust
\tstorage file_system "{storage}"
\thttp_port {http_port}
\thttps_port {https_port}
}}
{name} {{
\ttls internal
\treverse_proxy 127.0.0.1:{upstream_port}
}}
"""


def _answers_over_tls(port: int, root: Path) -> bool:
    """Caddy answers 200 for the name, with a certificate chained to its local root."""
    if not root.exists():
        return False
    context = ssl.create_default_context(cafile=str(root))
    request = f"GET /sign-in HTTP/1.1\r\nHost: {NAME}:{port}\r\nConnection: close\r\n\r\n"
    try:
        with (
            socket.create_connection(("127.0.0.1", port), timeout=2) as raw,
            context.wrap_socket(raw, server_hostname=NAME) as tls,
        ):
            tls.sendall(request.encode())
            return tls.recv(32).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def set_up_clinic(data_dir: Path) -> None:
    """A clinic installation with one client, as `sirelief setup` and `users add` make it."""
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        services.accounts.setup("ada", "admin passphrase for tests 7")
        services.accounts.add_clinic("Riverside")
        services.accounts.add_user("client", CLIENT, PASSWORD, clinic="Riverside")
    finally:
        services.close()


@pytest.fixture
def sirelief_behind_caddy(
    https_tools, start_server, tmp_path: Path, monkeypatch
) -> Iterator[tuple[LiveServer, Proxy]]:
    """``sirelief serve --proxy-headers`` on loopback, and Caddy in front of it with HTTPS."""
    monkeypatch.setenv("SIRELIEF_ALLOWED_HOSTS", NAME)
    set_up_clinic(tmp_path / "data")
    server = start_server(tmp_path / "data", 60, ("--proxy-headers",))
    caddy_home = tmp_path / "caddy-home"
    storage = caddy_home / "storage"
    storage.mkdir(parents=True)
    https_port = free_port()
    config = CADDYFILE.format(
        storage=storage,
        http_port=free_port(),
        https_port=https_port,
        name=NAME,
        upstream_port=server.url.rsplit(":", 1)[1],
    )
    (caddy_home / "Caddyfile").write_text(config)
    env = {**os.environ, "HOME": str(caddy_home), "XDG_DATA_HOME": str(caddy_home),
           "XDG_CONFIG_HOME": str(caddy_home)}  # fmt: skip
    log = caddy_home / "caddy.log"
    with log.open("wb") as out:
        command = [str(CADDY), "run", "--adapter", "caddyfile", "--config", "Caddyfile"]
        caddy = subprocess.Popen(
            command, cwd=caddy_home, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    root = storage / "pki" / "authorities" / "local" / "root.crt"
    give_up = time.monotonic() + WAIT_MS / 1000
    while not _answers_over_tls(https_port, root):
        if caddy.poll() is not None or time.monotonic() > give_up:
            stop(caddy)
            raise RuntimeError(f"caddy did not serve {NAME}:\n{log.read_text()}")
        time.sleep(0.2)
    yield server, Proxy(f"https://{NAME}:{https_port}", root)
    stop(caddy)
    stop(server.process)


@pytest.fixture
def trusting_browser(playwright, sirelief_behind_caddy, tmp_path: Path) -> Iterator[Any]:
    """Chromium with Caddy's root in its NSS database and ``sirelief.test`` on 127.0.0.1."""
    _, proxy = sirelief_behind_caddy
    home = tmp_path / "browser-home"
    nss = home / ".pki" / "nssdb"
    nss.mkdir(parents=True)
    database = f"sql:{nss}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", database, "-n", "caddy local root", "-t", "C,,",
         "-i", str(proxy.root_certificate)],
        check=True,
    )  # fmt: skip
    args = [*LAUNCH_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"]
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=args, env={**os.environ, "HOME": str(home)}
    )
    yield browser
    browser.close()


def test_through_caddy_a_client_signs_in_and_the_session_keeps_the_screen_on(
    sirelief_behind_caddy, trusting_browser
) -> None:
    from playwright.sync_api import expect

    server, proxy = sirelief_behind_caddy
    context = trusting_browser.new_context(service_workers="block")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    plain = f"http://{NAME}:{server.url.rsplit(':', 1)[1]}/"
    page.goto(plain)
    assert page.evaluate("window.isSecureContext") is False, "the same name over plain HTTP"

    response = page.goto(proxy.url + "/checkin")
    assert response is not None
    assert response.status == 200
    assert page.evaluate("window.isSecureContext") is True
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    assert page.url.startswith(proxy.url + "/sign-in"), "a clinic asks who you are first"
    page.fill("#user_name", CLIENT)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(proxy.url + "/checkin")

    cookies = {cookie["name"]: cookie for cookie in context.cookies(proxy.url)}
    assert "sirelief_login" not in cookies, "the login is only ever sent as __Host-"
    for cookie in (cookies[SECURE_LOGIN_COOKIE], cookies[SECURE_CSRF_COOKIE]):
        assert cookie["secure"], cookie["name"]
        assert cookie["httpOnly"], cookie["name"]
        assert cookie["path"] == "/", cookie["name"]
        assert "domain" not in cookie or not cookie["domain"].startswith("."), cookie["name"]
    assert cookies[SECURE_LOGIN_COOKIE]["sameSite"] == "Lax"
    assert cookies[SECURE_CSRF_COOKIE]["sameSite"] == "Strict"

    guide = Guide(page, dataclasses.replace(server, url=proxy.url), expect)
    guide.plan()
    guide.start()
    lock = page.evaluate(
        "navigator.wakeLock.request('screen')"
        ".then(lock => ({type: lock.type, released: lock.released}), error => error.name)"
    )
    assert lock == {"type": "screen", "released": False}
    assert guide.state()["started"]

    context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)


def test_through_caddy_the_service_worker_registers_and_controls_the_page(
    sirelief_behind_caddy, trusting_browser
) -> None:
    """Over HTTPS behind the proxy the worker installs from /sw.js (its own header and
    policy pass through Caddy) and takes the page, so a session can run offline."""
    _, proxy = sirelief_behind_caddy
    context = trusting_browser.new_context(service_workers="allow")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.goto(proxy.url + "/sign-in")
    page.fill("#user_name", CLIENT)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    worker = page.evaluate(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          return {scope: registration.scope, script: registration.active.scriptURL,
                  state: registration.active.state,
                  controller: navigator.serviceWorker.controller.scriptURL};
        }"""
    )
    assert worker == {
        "scope": proxy.url + "/",
        "script": proxy.url + "/sw.js",
        "state": "activated",
        "controller": proxy.url + "/sw.js",
    }
    kept = page.evaluate(
        "async () => (await caches.keys()).some((name) => name.endsWith('-shell'))"
    )
    assert kept, "the app's files are kept for offline use"
    context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)


WORKER_JS = """async () => {
  const registration = await navigator.serviceWorker.ready;
  return {script: registration.active.scriptURL, state: registration.active.state,
          controlled: navigator.serviceWorker.controller !== null,
          shell: (await caches.keys()).some((name) => name.endsWith("-shell"))};
}"""


def test_through_caddy_sign_out_clears_the_site_and_the_worker_comes_back(
    sirelief_behind_caddy, trusting_browser
) -> None:
    """ASVS 14.3.1 in the secure context Clear-Site-Data needs: the sign-out answer clears
    the site's storage, even what sign_out.js leaves alone (a key outside its ``sirelief:``
    prefix), unregisters the worker and drops its caches; the next page registers it
    afresh, and the next sign-in works with it as before."""
    _, proxy = sirelief_behind_caddy
    context = trusting_browser.new_context(service_workers="allow")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    def sign_in() -> None:
        page.goto(proxy.url + "/sign-in")
        page.fill("#user_name", CLIENT)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/sign-in" not in url)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    sign_in()
    page.evaluate("""async () => {
      localStorage.setItem("test:marker", "kept by no sirelief code");
      const cache = await caches.open("test-marker");
      await cache.put("/test-marker", new Response("x"));
    }""")
    before = page.evaluate("async () => (await navigator.serviceWorker.ready).active.scriptURL")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert page.evaluate("() => localStorage.getItem('test:marker')") is None
    assert not page.evaluate("async () => (await caches.keys()).includes('test-marker')")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    again = page.evaluate(WORKER_JS)
    assert again == {"script": before, "state": "activated", "controlled": True, "shell": True}
    sign_in()
    assert page.evaluate(WORKER_JS)["controlled"]
    context.close()
    assert not errors, "uncaught errors in the page:\n" + "\n".join(errors)
