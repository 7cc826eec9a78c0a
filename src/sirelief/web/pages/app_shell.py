"""What makes sirelief an installable app that keeps working offline (issue 19, item 1).

- ``/manifest.webmanifest``: name, colours, ``display: standalone`` and the icons;
- ``/icons/<name>.png``: the icons, drawn from the SVG mark in ``static/icon.svg`` by
  resvg at the first request (no image is kept in the repository);
- ``/sw.js``: the service worker (``web/worker/sw.js``, hand-written), served from the root
  so its scope is the whole app, behind one line naming this release and what to precache;
- ``/offline``: the page the worker shows for a page it does not hold while offline.

All four are open (``access_table.py``): they hold nobody's data.
"""

import functools
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import resvg_py
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from sirelief import __version__
from sirelief.web.assets import STATIC, static_digest
from sirelief.web.context import context_of

WORKER = Path(__file__).parents[1] / "worker" / "sw.js"
SVG_NS = "http://www.w3.org/2000/svg"
LIGHT = {"background": "#f6f7f5", "surface": "#ffffff", "accent": "#0b6e69"}
DARK = {"background": "#111618", "surface": "#1a2124"}
"""The colours of ``static/app.css`` (``:root`` and its dark scheme) the browser shows
around the app: the splash screen's background and the bar above the page."""
ICONS = {
    "icon-192": (192, "any"),
    "icon-512": (512, "any"),
    "maskable-512": (512, "maskable"),
    "apple-touch-icon": (180, "maskable"),
}
"""Each icon: its size in pixels and whether the mark fills the square (``maskable``: the
phone cuts its own shape out of it, so the mark keeps to the middle 80%)."""
OFFLINE_PATH = "/offline"
SHELL_PAGES = ("/manifest.webmanifest", OFFLINE_PATH)
ICON_CACHE = "public, max-age=86400"


def mark_svg(maskable: bool) -> str:
    """The mark as drawn for an icon: as it is, or on a full square of its own colour."""
    ET.register_namespace("", SVG_NS)
    mark = ET.fromstring((STATIC / "icon.svg").read_text())
    if not maskable:
        return ET.tostring(mark, encoding="unicode")
    mark.attrib.update({"x": "10", "y": "10", "width": "80", "height": "80"})
    square = ET.Element(f"{{{SVG_NS}}}svg", {"viewBox": "0 0 100 100"})
    ET.SubElement(square, f"{{{SVG_NS}}}rect", {"width": "100", "height": "100",
                                                 "fill": LIGHT["accent"]})  # fmt: skip
    square.append(mark)
    return ET.tostring(square, encoding="unicode")


@functools.lru_cache(maxsize=len(ICONS))
def icon_png(name: str, mark_digest: str | None) -> bytes:
    """The PNG of one icon (redrawn when the mark changes: its digest is in the key)."""
    size, purpose = ICONS[name]
    svg = mark_svg(purpose == "maskable")
    return bytes(
        resvg_py.svg_to_bytes(svg_string=svg, width=size, height=size, skip_system_fonts=True)
    )


def manifest() -> dict:
    version = static_digest("icon.svg")
    return {
        "id": "/",
        "name": "sirelief",
        "short_name": "sirelief",
        "description": "Check in, follow a guided session for your SI joint and see what helps.",
        "lang": "en",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": LIGHT["background"],
        "theme_color": LIGHT["surface"],
        "categories": ["health", "fitness"],
        "icons": [
            {
                "src": f"/icons/{name}.png?v={version}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, (size, purpose) in ICONS.items()
            if name != "apple-touch-icon"
        ],
    }


def static_versions() -> dict[str, str | None]:
    """Every static file's bare address and the ``v`` its versioned address carries."""
    return {
        f"/static/{path.name}": static_digest(path.name)
        for path in sorted(STATIC.iterdir())
        if path.is_file()
    }


def precache_urls() -> list[str]:
    """What the worker keeps at install: the offline page, the manifest and its icons, and
    every static file once, by its bare address (the worker serves it for the versioned
    address too, when the version is this release's: ``static_versions``)."""
    urls = list(SHELL_PAGES)
    urls += [icon["src"] for icon in manifest()["icons"]]
    return urls + list(static_versions())


def release() -> str:
    """Names this release's files: a new version or any changed file gives a new name, so
    the browser installs the new worker and drops the old caches."""
    digest = hashlib.sha256(__version__.encode())
    parts = (WORKER.read_bytes(), json.dumps(manifest()).encode(),
             json.dumps(static_versions()).encode(),
             *(url.encode() for url in precache_urls()))  # fmt: skip
    for part in parts:
        digest.update(part)
    for name in ("offline.html", "base.html"):
        digest.update((Path(__file__).parents[1] / "templates" / name).read_bytes())
    return digest.hexdigest()[:16]


async def manifest_file(request: Request) -> Response:
    return Response(
        json.dumps(manifest(), indent=1),
        media_type="application/manifest+json",
        headers={"cache-control": "no-cache"},
    )


async def icon(request: Request) -> Response:
    name = request.path_params["icon_name"]
    if name not in ICONS:
        raise HTTPException(404, "There is no such icon.")
    return Response(
        icon_png(name, static_digest("icon.svg")),
        media_type="image/png",
        headers={"cache-control": ICON_CACHE},
    )


async def service_worker(request: Request) -> Response:
    head = json.dumps({"release": release(), "precache": precache_urls(),
                       "static": static_versions(), "offline": OFFLINE_PATH})  # fmt: skip
    body = f"const SIRELIEF = {head};\n{WORKER.read_text()}"
    return Response(
        body,
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


async def offline(request: Request) -> HTMLResponse:
    """The same for everyone (the worker keeps one copy): no menu, no account, no data."""
    context = context_of(request)
    html = context.templates.get_template("offline.html").render(
        request=request, csrf="", path=request.url.path, signed_in=False, actor=None
    )
    return HTMLResponse(html)


ROUTES = [
    Route("/manifest.webmanifest", manifest_file),
    Route("/icons/{icon_name}.png", icon),
    Route("/sw.js", service_worker),
    Route(OFFLINE_PATH, offline),
]
