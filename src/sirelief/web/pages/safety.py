"""The safety pages (SPEC 5.1-5.3): precautions here, clearances and reviews in
``flag_records``; short server-rendered forms."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.precautions import PRECAUTIONS
from sirelief.services import ServiceError
from sirelief.web.context import WebContext, context_of


def precautions_page(
    context: WebContext, request: Request, errors=None, status_code: int = 200
) -> Response:
    safety = context.services.safety  # built on first use: opening the data may fail
    return context.page(
        request, "precautions.html", status_code=status_code,
        precautions=PRECAUTIONS, answers=safety.precautions(),
        due=safety.confirmation_due(), errors=errors or {},
        saved=request.query_params.get("saved"),
    )  # fmt: skip


async def precautions(request: Request) -> Response:
    context = context_of(request)
    if request.method == "GET":
        return precautions_page(context, request)
    form = await request.form()
    chosen = [str(value) for value in form.getlist("precautions")]
    none = form.get("none") == "on"
    if not none and not chosen:
        errors = {"precautions": "Tick each that applies, or tick 'None of these apply'."}
        return precautions_page(context, request, errors, 400)
    if none and chosen:
        errors = {"precautions": "You ticked 'None of these apply' and a precaution too: "
                  "untick one of them."}  # fmt: skip
        return precautions_page(context, request, errors, 400)
    try:
        context.services.safety.save_precautions(chosen)
    except ServiceError as error:
        return precautions_page(context, request, {"precautions": str(error)}, 400)
    return RedirectResponse("/safety/precautions?saved=1", status_code=303)


ROUTES = [Route("/safety/precautions", precautions, methods=["GET", "POST"])]
