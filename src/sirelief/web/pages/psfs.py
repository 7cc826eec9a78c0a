"""The weekly PSFS page (issue 20 item 2): name up to three activities, rate them once a
week, and see past ratings with the words each was rated under.

One server-rendered page with two forms (they work without JavaScript, each with its
CSRF token). A refused form is shown again with every problem named at its field.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.psfs import (
    ANCHOR_HIGH,
    ANCHOR_LOW,
    LONGEST_ACTIVITY,
    MAX_ACTIVITIES,
    PSFS_CHANGE,
)
from sirelief.web.context import WebContext, context_of
from sirelief.web.request_body import read_form, short_text

SAVED = {
    "activities": "Saved your activities. Rate them below when you are ready.",
    "rating": "Saved this week's rating. Today asks again in a week.",
}
HISTORY_SHOWN = 12


def _page(
    request: Request,
    context: WebContext,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    psfs = context.services.psfs
    ratings = psfs.ratings()
    return context.page(
        request, "psfs.html", status_code=status_code,
        activities=psfs.activities(), due=psfs.due(), errors=errors or {},
        typed=typed or {}, saved=SAVED.get(request.query_params.get("saved", "")),
        history=list(reversed(ratings[-HISTORY_SHOWN:])), lines=range(1, MAX_ACTIVITIES + 1),
        longest=LONGEST_ACTIVITY, anchor_low=ANCHOR_LOW, anchor_high=ANCHOR_HIGH,
        change=PSFS_CHANGE,
    )  # fmt: skip


async def psfs_page(request: Request) -> Response:
    return _page(request, context_of(request))


async def save_activities(request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    lines = [
        short_text(form, f"activity_{n}", limit=LONGEST_ACTIVITY)
        for n in range(1, MAX_ACTIVITIES + 1)
    ]
    outcome = context.services.psfs.save_activities(lines)
    if not outcome.done:
        typed = {f"activity_{n}": line for n, line in enumerate(lines, start=1)}
        return _page(request, context, 400, outcome.errors, typed)
    return RedirectResponse("/psfs?saved=activities", status_code=303)


async def rate(request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    activities = context.services.psfs.activities()
    answers = {f"score_{a.id}": short_text(form, f"score_{a.id}", limit=4) for a in activities}
    outcome = context.services.psfs.rate(answers)
    if not outcome.done:
        return _page(request, context, 400, outcome.errors, answers)
    return RedirectResponse("/psfs?saved=rating", status_code=303)


ROUTES = [
    Route("/psfs", psfs_page, methods=["GET"]),
    Route("/psfs/activities", save_activities, methods=["POST"]),
    Route("/psfs/rate", rate, methods=["POST"]),
]
