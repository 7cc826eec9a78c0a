"""Exercise figures over HTTP: one SVG per exercise, side and pose, and the gallery page."""

import gzip

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.illustration import POSES, SIDES, render_figure
from sirelief.web.assets import PACKED_GZIP_LEVEL, takes_gzip
from sirelief.web.context import WebContext, context_of

FIGURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""An SVG image has no script; its own inline style animates it (the page's CSP is strict)."""


async def figure(request: Request) -> Response:
    context = context_of(request)
    catalogue = context.services.catalogue
    exercise_id = request.path_params["exercise_id"]
    side, pose = request.path_params["side"], request.path_params["pose"]
    if exercise_id not in catalogue or side not in SIDES or pose not in POSES:
        raise HTTPException(404, "There is no such figure.")
    headers = {
        "content-security-policy": FIGURE_POLICY,
        "cache-control": "public, max-age=3600",
        "vary": "Accept-Encoding",
    }
    body = compressed_figure(context, exercise_id, side, pose)
    if takes_gzip(request.headers):
        headers["content-encoding"] = "gzip"  # already compressed: the middleware leaves it
    else:
        body = gzip.decompress(body)
    return Response(body, media_type="image/svg+xml", headers=headers)


def compressed_figure(context: WebContext, exercise_id: str, side: str, pose: str) -> bytes:
    """The figure's SVG, gzip-compressed: drawn on first use, then kept (bounded: only
    the catalogue's exercises, sides and poses; the caller checks they are known)."""
    key = (exercise_id, side, pose)
    if key not in context.figures:
        exercise = context.services.catalogue.exercise(exercise_id)
        drawn = render_figure(exercise, side=side, pose=pose).encode()
        context.figures[key] = gzip.compress(drawn, PACKED_GZIP_LEVEL, mtime=0)
    return context.figures[key]


async def gallery(request: Request) -> Response:
    context = context_of(request)
    return context.page(
        request, "gallery.html",
        exercises=sorted(context.services.catalogue.exercises.values(), key=lambda e: e.name),
    )  # fmt: skip


ROUTES = [
    Route("/figures/{exercise_id}/{side}/{pose}.svg", figure),
    Route("/exercises/gallery", gallery),
]
