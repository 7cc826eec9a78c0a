"""Exercise figures over HTTP: one SVG per exercise, side and pose, and the gallery page."""

from functools import lru_cache

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.illustration import POSES, SIDES, render_figure

FIGURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
"""An SVG image has no script; its own inline style animates it (the page's CSP is strict)."""


def routes(context) -> list[Route]:
    catalogue = context.services.catalogue

    @lru_cache(maxsize=512)
    def svg(exercise_id: str, side: str, pose: str) -> bytes:
        return render_figure(catalogue.exercise(exercise_id), side=side, pose=pose).encode()

    async def figure(request: Request) -> Response:
        exercise_id = request.path_params["exercise_id"]
        side, pose = request.path_params["side"], request.path_params["pose"]
        if exercise_id not in catalogue or side not in SIDES or pose not in POSES:
            raise HTTPException(404, "There is no such figure.")
        return Response(
            svg(exercise_id, side, pose),
            media_type="image/svg+xml",
            headers={
                "content-security-policy": FIGURE_POLICY,
                "cache-control": "public, max-age=3600",
            },
        )

    async def gallery(request: Request) -> Response:
        return context.page(
            request, "gallery.html",
            exercises=sorted(catalogue.exercises.values(), key=lambda e: e.name),
        )  # fmt: skip

    return [
        Route("/figures/{exercise_id}/{side}/{pose}.svg", figure),
        Route("/exercises/gallery", gallery),
    ]
