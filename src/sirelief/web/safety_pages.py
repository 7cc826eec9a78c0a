"""The safety pages (SPEC 5.1-5.3): precautions here, clearances and reviews in
``flag_record_pages``; short server-rendered forms."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.precautions import PRECAUTIONS
from sirelief.services import ServiceError
from sirelief.services.safety_care import SafetyCare
from sirelief.web import flag_record_pages
from sirelief.web.context import WebContext


def routes(context: WebContext) -> list[Route]:
    def care() -> SafetyCare:  # built on first use: opening the data may fail
        return context.services.safety

    def precautions_page(request: Request, errors=None, status_code: int = 200) -> Response:
        safety = care()
        return context.page(
            request, "precautions.html", status_code=status_code,
            precautions=PRECAUTIONS, answers=safety.precautions(),
            due=safety.confirmation_due(), errors=errors or {},
            saved=request.query_params.get("saved"),
        )  # fmt: skip

    async def precautions(request: Request) -> Response:
        if request.method == "GET":
            return precautions_page(request)
        form = await request.form()
        chosen = [str(value) for value in form.getlist("precautions")]
        none = form.get("none") == "on"
        if not none and not chosen:
            errors = {"precautions": "Tick each that applies, or tick 'None of these apply'."}
            return precautions_page(request, errors, 400)
        if none and chosen:
            errors = {"precautions": "You ticked 'None of these apply' and a precaution too: "
                      "untick one of them."}  # fmt: skip
            return precautions_page(request, errors, 400)
        try:
            care().save_precautions(chosen)
        except ServiceError as error:
            return precautions_page(request, {"precautions": str(error)}, 400)
        return RedirectResponse("/safety/precautions?saved=1", status_code=303)

    return [
        Route("/safety/precautions", precautions, methods=["GET", "POST"]),
        *flag_record_pages.routes(context),
    ]
