"""Share links of routines (issue 18 item 6): making and revoking them, the public page
a link opens, its file and figures, and importing a link of this installation.

The public page (``/shared/{share_token}``) is open to anyone: its token is the key, an
unknown or revoked one answers 404 as any unknown page. It reads only the copy of the file
kept with the link, so it cannot show anyone's data; it is marked noindex, not stored by
browsers or proxies, and sends no referrer. Decisions are the use cases'
(``services/sharing.py``); these handlers read forms and draw pages.
"""

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.services import BusyError, ServiceError
from sirelief.services.coaching import FieldError, NotFoundError
from sirelief.services.sharing import MAX_LINK, SharedRoutine, share_url
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.pages.figures import figure
from sirelief.web.pages.library import add_checked, routine_blocks, routine_page, routines_page
from sirelief.web.request_body import read_form, short_text, valid_id

NO_LINK = (
    "This share link does not work: it was stopped by the person who made it, "
    "or it was never a link."
)
PUBLIC_HEADERS = {
    "x-robots-tag": "noindex, nofollow, noarchive",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
"""The shared page and its file: not indexed, not kept, and its address (the token) never
sent on as a referrer."""
MAX_VERSION_TEXT = 6


def _opened(request: Request) -> tuple[WebContext, str, SharedRoutine]:
    context = context_of(request)
    token = request.path_params["share_token"]
    found = context.services.shared_routines.open(token)
    if found is None:
        raise HTTPException(404, NO_LINK)
    return context, token, found


async def shared_page(request: Request) -> Response:
    context, token, found = _opened(request)
    link = share_url(str(request.base_url), token)
    routine = found.check.routine
    response = context.page(
        request, "shared.html", shared=found, routine=routine, link=link,
        qr_svg=context.services.shared_routines.qr_svg(link),
        blocks=routine_blocks(routine, context.services.catalogue) if routine else [],
        figure_prefix=f"/shared/{token}/figures", link_exercises=False,
        import_url=f"/routines?import={quote(link, safe='')}#import",
    )  # fmt: skip
    response.headers.update(PUBLIC_HEADERS)
    return response


async def shared_file(request: Request) -> Response:
    """The routine file exactly as it was shared."""
    _, _, found = _opened(request)
    name = "".join(c for c in found.file.file_name if c.isalnum() or c in "._-")[:100]
    if not name.endswith((".yaml", ".yml")):
        name = f"{name or 'routine'}.yaml"
    headers = {**PUBLIC_HEADERS, "content-disposition": f'attachment; filename="{name}"'}
    return Response(found.file.source.encode("utf-8"), media_type="application/yaml",
                    headers=headers)  # fmt: skip


async def shared_figure(request: Request) -> Response:
    """A figure of the shared page: the library's, reached through the link (a clinic's
    library needs an account)."""
    _opened(request)
    response = await figure(request)
    response.headers["cache-control"] = "private, max-age=600"
    return response


# --- a person's own routine ---------------------------------------------------------------
async def routine_link(request: Request) -> Response:
    context = context_of(request)
    routine_id = request.path_params["routine_id"]
    if not valid_id(routine_id):
        raise HTTPException(404, "There is no routine with that id.")
    await read_form(request)
    try:
        token = context.services.routine_sharing.make(routine_id)
    except NotFoundError:
        raise HTTPException(404, "There is no routine of yours with that id to share.") from None
    link = share_url(str(request.base_url), token)
    return routine_page(
        context, request, routine_id, new_link=link,
        qr_svg=context.services.shared_routines.qr_svg(link),
    )  # fmt: skip


async def routine_link_revoke(request: Request) -> Response:
    context = context_of(request)
    routine_id = request.path_params["routine_id"]
    if not valid_id(routine_id):
        raise HTTPException(404, "There is no routine with that id.")
    await read_form(request)
    try:
        context.services.routine_sharing.revoke(routine_id)
    except NotFoundError:
        raise HTTPException(404, "There is no routine of yours with that id.") from None
    return RedirectResponse(f"/routines/{routine_id}?stopped=1#share", status_code=303)


# --- a coach's template ------------------------------------------------------------------
async def template_link(request: Request) -> Response:
    from sirelief.web.pages.templates import template_page  # one page module, two routes

    context = context_of(request)
    actor = actor_of(request)
    if actor is None:
        raise HTTPException(404)
    template_id = request.path_params["template_id"]
    form = await read_form(request)
    asked = short_text(form, "version", limit=MAX_VERSION_TEXT).strip()
    show_name = short_text(form, "show_name", limit=8) == "on"
    try:
        if asked and not (asked.isdigit() and len(asked) <= MAX_VERSION_TEXT):
            raise FieldError("version", "Version: choose one of the template's versions.")
        token = context.services.template_sharing.make(
            actor, template_id, int(asked) if asked else None, show_name
        )
    except NotFoundError:
        raise HTTPException(404, "There is no template with that id.") from None
    except ServiceError as error:
        return context.refusal(request, 400, f"{str(error)[:1].upper()}{str(error)[1:]}.")
    link = share_url(str(request.base_url), token)
    return template_page(
        request, context, actor, template_id, None, new_link=link,
        qr_svg=context.services.shared_routines.qr_svg(link),
    )  # fmt: skip


async def template_link_revoke(request: Request) -> Response:
    context = context_of(request)
    actor = actor_of(request)
    if actor is None:
        raise HTTPException(404)
    template_id = request.path_params["template_id"]
    await read_form(request)
    try:
        context.services.template_sharing.revoke(actor, template_id)
    except NotFoundError:
        raise HTTPException(404, "There is no template with that id.") from None
    except ServiceError as error:
        return context.refusal(request, 400, f"{str(error)[:1].upper()}{str(error)[1:]}.")
    return RedirectResponse(f"/templates/{template_id}?stopped=1#share", status_code=303)


# --- importing a share link (this installation's, or fetched from another) -------------
async def import_link(request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    link = short_text(form, "link", limit=MAX_LINK)
    replace = short_text(form, "replace", limit=8) == "on"
    try:
        name, raw = await run_in_threadpool(  # another installation's link is fetched
            context.services.shared_routines.file_from_link, link, request.headers.get("host", "")
        )
    except FieldError as error:
        return routines_page(context, request, status_code=400, import_link=link[:MAX_LINK],
                             import_error=str(error))  # fmt: skip
    try:  # the same check as an upload, off the event loop
        check = await run_in_threadpool(context.services.routines.check_upload, name, raw)
    except BusyError as busy:
        return routines_page(context, request, status_code=503, import_link=link,
                             import_error=str(busy))  # fmt: skip
    return add_checked(context, request, check, name, raw, replace, import_link=link)


ROUTES = [
    Route("/shared/{share_token}", shared_page),
    Route("/shared/{share_token}/routine.yaml", shared_file),
    Route("/shared/{share_token}/figures/{exercise_id}/{side}/{pose}.svg", shared_figure),
    Route("/routines/{routine_id}/share-link", routine_link, methods=["POST"]),
    Route("/routines/{routine_id}/share-link/revoke", routine_link_revoke, methods=["POST"]),
    Route("/routines/import", import_link, methods=["POST"]),
    Route("/templates/{template_id}/share-link", template_link, methods=["POST"]),
    Route("/templates/{template_id}/share-link/revoke", template_link_revoke, methods=["POST"]),
]
