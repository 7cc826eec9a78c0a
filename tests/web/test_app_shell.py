"""The installable app in process (issue 19, item 1): the manifest and its icons, the
service worker's script and headers, the offline page, the links in every page and the
content security policy that lets the worker run and nothing more."""

import json
import re
import struct
import zlib
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.web.app import create_app
from sirelief.web.pages import app_shell
from tests.web.web_support import html

BASE = "http://127.0.0.1:8000"
REQUIRED = {"name", "short_name", "start_url", "scope", "display", "icons",
            "theme_color", "background_color"}  # fmt: skip


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (its signature, then the IHDR chunk)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pixel_is_opaque_at_corner(data: bytes) -> bool:
    """Whether the top-left pixel is opaque: a maskable icon fills its whole square."""
    width, _ = png_size(data)
    bit_depth, colour_type = data[24], data[25]
    assert (bit_depth, colour_type) == (8, 6), "expected 8-bit RGBA"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    first_row = zlib.decompress(b"".join(chunks))[: 1 + width * 4]
    return first_row[4] == 255  # filter byte, then R G B A of the first pixel


def test_the_manifest_has_what_an_install_needs(client: TestClient) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.text)
    assert manifest.keys() >= REQUIRED
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_manifest_colours_are_the_apps(client: TestClient) -> None:
    css = client.get("/static/app.css").text
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    manifest = client.get("/manifest.webmanifest").json()
    assert f"--bg: {manifest['background_color']};" in light
    assert f"--surface: {manifest['theme_color']};" in light
    page = html(client.get("/"))
    metas = {m.attributes["media"]: m.attributes["content"]
             for m in page.css("meta[name=theme-color]")}  # fmt: skip
    assert set(metas) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    assert f"--surface: {metas['(prefers-color-scheme: light)']};" in light
    assert f"--surface: {metas['(prefers-color-scheme: dark)']};" in dark.split("}", 1)[0]


def test_every_icon_is_a_png_of_its_stated_size(client: TestClient) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response.headers["content-type"] == "image/png"
        width, height = png_size(response.content)
        assert f"{width}x{height}" == icon["sizes"]
        assert pixel_is_opaque_at_corner(response.content) == (icon["purpose"] == "maskable")
    touch = html(client.get("/")).css_first("link[rel=apple-touch-icon]").attributes["href"]
    assert png_size(client.get(touch).content) == (180, 180)


def test_an_unknown_icon_is_not_found(client: TestClient) -> None:
    assert client.get("/icons/icon-1024.png").status_code == 404
    assert client.get("/icons/..%2Fapp.png").status_code == 404


def test_the_service_worker_is_served_from_the_root(client: TestClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    head = re.match(r"const SIRELIEF = (\{.*\});\n", response.text)
    assert head, "the worker starts with its release line"
    release = json.loads(head.group(1))
    assert release["offline"] == "/offline"
    for url in release["precache"]:  # every file the worker keeps at install exists
        assert client.get(url).status_code == 200, url
    assert "/static/timer.js" in release["precache"]  # the session screen's modules
    # each static file is kept once, and known by the version the pages ask for
    page = html(client.get("/"))
    css = page.css_first("link[rel=stylesheet]").attributes["href"]
    path, version = css.split("?v=")
    assert path in release["precache"]
    assert css not in release["precache"]
    assert release["static"][path] == version
    assert 'addEventListener("fetch"' in response.text


def test_a_changed_file_is_a_new_release(client: TestClient, monkeypatch) -> None:
    before = app_shell.release()
    monkeypatch.setattr(app_shell, "precache_urls", lambda: ["/offline", "/static/new.js"])
    assert app_shell.release() != before


def test_the_offline_page_says_the_page_needs_the_network(client: TestClient) -> None:
    response = client.get("/offline")
    assert response.status_code == 200
    page = html(response)
    assert "needs the network" in page.css_first("h1").text()
    assert "keeps going" in page.css_first("main").text()
    assert page.css_first("nav") is None
    assert page.css_first("form.sign-out") is None


def test_every_page_links_the_manifest_and_the_worker_module(client: TestClient) -> None:
    page = html(client.get("/"))
    assert page.css_first("link[rel=manifest]").attributes["href"] == "/manifest.webmanifest"
    scripts = [s.attributes.get("src") or "" for s in page.css("script")]
    assert any(src.startswith("/static/worker_setup.js?v=") for src in scripts)
    assert all(s.attributes.get("src") for s in page.css("script:not([type='application/json'])"))


def test_the_policy_allows_the_worker_and_nothing_more(client: TestClient) -> None:
    policy = client.get("/").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert client.get("/sw.js").headers["content-security-policy"] == policy


@pytest.fixture
def clinic(settings: Settings) -> Iterator[TestClient]:
    services = Services(settings)
    try:
        services.accounts.setup("ada", "admin passphrase for tests 7")
    finally:
        services.close()
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


def test_clinic_mode_serves_the_app_files_without_an_account(clinic: TestClient) -> None:
    assert clinic.get("/", follow_redirects=False).status_code == 303
    for path in ("/manifest.webmanifest", "/sw.js", "/offline", "/icons/icon-192.png"):
        assert clinic.get(path, follow_redirects=False).status_code == 200, path
