"""Printable routine sheets (issue 18 item 7): a routine's, and a template version's.

``.../sheet`` is the printable page itself (print CSS; a Print button where scripts run,
the browser's own Print where they do not). ``.../sheet.pdf`` renders the same sheet here,
in process, as one self-contained HTML file (its style sheet and figures inlined) and has
headless Chromium print that file (``services/printing.py``): no login cookie, no request
back to this server, so it works alike in personal and clinic mode. When Chromium is
missing, busy or fails, a page says so and points to the printable page: never a 500.
"""

import base64
import functools
import gzip
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.domain.access import Actor
from sirelief.services import ServiceError
from sirelief.services.coaching import NotFoundError
from sirelief.services.sheets import SheetView
from sirelief.web.assets import STATIC
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.pages.figures import compressed_figure
from sirelief.web.request_body import valid_id

PAPERS = {"a4": "A4", "letter": "letter"}
"""The PDF's paper (``?paper=``): the CSS ``@page`` size it is printed at."""
MAX_VERSION_TEXT = 6
NO_ROUTINE = "There is no routine with that id."
NO_TEMPLATE = "There is no template with that id."
BAD_VERSION = "Version: give a version number of this template, such as ?version=2."
BAD_PAPER = "Paper: choose A4 (?paper=a4) or Letter (?paper=letter)."


# --- a routine the person can run --------------------------------------------------------
def _routine_view(request: Request) -> tuple[WebContext, str, SheetView]:
    context = context_of(request)
    routine_id = request.path_params["routine_id"]
    try:
        if not valid_id(routine_id):
            raise ServiceError("no such routine")
        return context, routine_id, context.services.sheets.for_routine(routine_id)
    except ServiceError:
        raise HTTPException(404, NO_ROUTINE) from None


async def routine_sheet(request: Request) -> Response:
    context, routine_id, view = _routine_view(request)
    return _page(request, context, view, back=f"/routines/{routine_id}",
                 back_text="the routine", pdf=f"/routines/{routine_id}/sheet.pdf")  # fmt: skip


async def routine_pdf(request: Request) -> Response:
    context, routine_id, view = _routine_view(request)
    return await _pdf(request, context, view, routine_id, f"/routines/{routine_id}/sheet")


# --- a coach's template, any version -----------------------------------------------------
def _template_view(request: Request) -> tuple[WebContext, str, int | None, SheetView]:
    context = context_of(request)
    actor: Actor | None = actor_of(request)
    if actor is None:  # personal mode: no coaches, no templates
        raise HTTPException(404)
    template_id = request.path_params["template_id"]
    asked = request.query_params.get("version")
    if asked is not None and not (asked.isdigit() and len(asked) <= MAX_VERSION_TEXT):
        raise _BadQueryError(BAD_VERSION)
    version = int(asked) if asked is not None else None
    try:
        view = context.services.sheets.for_template(actor, template_id, version)
    except NotFoundError:
        raise HTTPException(404, NO_TEMPLATE) from None
    return context, template_id, version, view


async def template_sheet(request: Request) -> Response:
    try:
        context, template_id, version, view = _template_view(request)
    except _BadQueryError as bad:
        return context_of(request).refusal(request, 400, str(bad))
    asked = f"?version={version}" if version is not None else ""
    return _page(
        request, context, view, back=f"/templates/{template_id}{asked}",
        back_text="the template", pdf=f"/templates/{template_id}/sheet.pdf{asked}",
    )  # fmt: skip


async def template_pdf(request: Request) -> Response:
    try:
        context, template_id, version, view = _template_view(request)
    except _BadQueryError as bad:
        return context_of(request).refusal(request, 400, str(bad))
    asked = f"?version={version}" if version is not None else ""
    name = f"{template_id[:24]}-v{view.template_version}"
    return await _pdf(request, context, view, name, f"/templates/{template_id}/sheet{asked}")


# --- drawing -----------------------------------------------------------------------------
class _BadQueryError(ValueError):
    """A query parameter that cannot be used; the message names it."""


def _page(request: Request, context: WebContext, view: SheetView, **links) -> Response:
    return context.page(
        request, "sheet.html", view=view, sheet=view.sheet, subtitle=_subtitle(view),
        figure=lambda exercise_id: f"/figures/{exercise_id}/left/start.svg", **links,
    )  # fmt: skip


async def _pdf(
    request: Request, context: WebContext, view: SheetView, name: str, sheet_page: str
) -> Response:
    paper = request.query_params.get("paper", "a4")
    if paper not in PAPERS:
        return context.refusal(request, 400, BAD_PAPER)
    html = context.templates.get_template("sheet_print.html").render(
        view=view, sheet=view.sheet, css=_sheet_css(), paper=PAPERS[paper],
        subtitle=_subtitle(view),
        figure=_inline_figure(context),
    )  # fmt: skip
    try:  # off the event loop; one print at a time, within a time limit
        pdf = await run_in_threadpool(context.services.printer.pdf, html)
    except ServiceError as error:  # no Chromium, another print running, or it failed
        message = f"{str(error)[:1].upper()}{str(error)[1:]}."
        return context.page(request, "sheet_unavailable.html", status_code=503,
                            message=message, sheet_page=sheet_page)  # fmt: skip
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'attachment; filename="{name}-sheet.pdf"',
        "cache-control": "no-store",
    })  # fmt: skip


def _subtitle(view: SheetView) -> str | None:
    if view.template_version is None:
        return None
    return f"template version {view.template_version}"


def _sheet_css() -> str:
    """The page's own style sheet, carried inside the printed file (read each time: a
    few KB, and an edited file shows at once)."""
    return (STATIC / "sheet.css").read_text(encoding="utf-8")


def _inline_figure(context: WebContext) -> Callable[[str], str]:
    @functools.cache
    def figure(exercise_id: str) -> str:
        svg = gzip.decompress(compressed_figure(context, exercise_id, "left", "start"))
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

    return figure


ROUTES = [
    Route("/routines/{routine_id}/sheet", routine_sheet),
    Route("/routines/{routine_id}/sheet.pdf", routine_pdf),
    Route("/templates/{template_id}/sheet", template_sheet),
    Route("/templates/{template_id}/sheet.pdf", template_pdf),
]
