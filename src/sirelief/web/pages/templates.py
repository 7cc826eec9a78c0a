"""A coach's routine templates and the routine they assign a client (issue 18 item 2).

``/templates`` lists the coach's own templates and their clinic's shared ones and takes
an upload (checked as the routines page checks one, in a child process); each template's
page shows its versions, any of them readable. The assign form lives on the client's page
(``/clients/{client_id}``) and posts to ``/clients/{client_id}/assignment``. Every
decision (who sees which template, which clients a coach may assign to) is the use
case's (``services/coaching.py``); these handlers read forms and draw pages.
"""

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.catalogue.loader import RoutineCheck, SourceFile
from sirelief.domain.access import Actor, Role
from sirelief.domain.coaching import MAX_NOTE
from sirelief.domain.preferences import DAY_NAMES, DAYS
from sirelief.domain.problems import Problem
from sirelief.services import BusyError, ServiceError
from sirelief.services.coaching import FieldError, NotFoundError
from sirelief.services.follow_up import Dashboard
from sirelief.services.routines import MAX_ROUTINE_BYTES
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.request_body import read_form, short_text, valid_id

NO_TEMPLATE = "There is no template with that id."
MOMENT_CHOICES = (("morning", "In the morning"), ("midday", "At midday"),
                  ("evening", "In the evening"), ("at", "At a set time"))  # fmt: skip
MAX_VERSION_TEXT = 6
"""A version number is a few digits."""


def _actor(request: Request) -> Actor:
    actor = actor_of(request)
    if actor is None:  # personal mode: no coaches, no templates
        raise HTTPException(404)
    return actor


def _list_page(
    request: Request, context: WebContext, actor: Actor, status_code: int = 200,
    check: RoutineCheck | None = None, outcome: str | None = None,
) -> Response:  # fmt: skip
    return context.page(
        request, "templates.html", status_code=status_code,
        templates=context.services.coaching.templates(actor), check=check, outcome=outcome,
        may_upload=actor.role is Role.COACH,
    )  # fmt: skip


async def templates(request: Request) -> Response:
    context = context_of(request)
    actor = _actor(request)
    if request.method == "GET":
        outcome = "Saved as a new version." if request.query_params.get("added") else None
        return _list_page(request, context, actor, outcome=outcome)
    form = await read_form(request, max_fields=10, max_files=1)
    try:
        upload = form.get("file")
        share = form.get("shared") == "on"
        if not (isinstance(upload, UploadFile) and upload.filename):
            check = _problem("Choose a routine file (.yaml) first.")
            return _list_page(request, context, actor, 400, check)
        raw = await upload.read(MAX_ROUTINE_BYTES + 1)
        name = upload.filename.rsplit("/", 1)[-1][:200]
    finally:
        await form.close()
    try:  # off the event loop, in a child process with a time limit
        check = await run_in_threadpool(context.services.routines.check_upload, name, raw)
    except BusyError as busy:
        return _list_page(request, context, actor, 503, _problem(str(busy)))
    if check.routine is None:
        outcome = f"Not saved: {name} has problems to fix."
        return _list_page(request, context, actor, 400, check, outcome)
    coaching = context.services.coaching
    try:
        version = coaching.upload(actor, check)
        if share:
            coaching.set_shared(actor, version.template_id, True)
    except ServiceError as error:
        return _list_page(request, context, actor, 400, check, f"Not saved: {error}.")
    return RedirectResponse(f"/templates/{version.template_id}?added=1", status_code=303)


async def template(request: Request) -> Response:
    context = context_of(request)
    actor = _actor(request)
    asked = request.query_params.get("version", "")
    version = int(asked) if asked.isdigit() and len(asked) <= MAX_VERSION_TEXT else None
    return template_page(
        request, context, actor, request.path_params["template_id"], version,
        added=request.query_params.get("added") is not None,
        stopped=request.query_params.get("stopped") is not None,
        noted=request.query_params.get("noted") is not None,
    )  # fmt: skip


def template_page(
    request: Request, context: WebContext, actor: Actor, template_id: str,
    version: int | None, status_code: int = 200, **extra,
) -> Response:  # fmt: skip
    """A template, its versions, its share link and its note (``extra``: what the page
    says after a form: a link just made and its QR, a note's error)."""
    try:
        view = context.services.coaching.template(actor, template_id, version)
    except NotFoundError:
        raise HTTPException(404, NO_TEMPLATE) from None
    shown = {"added": False, "stopped": False, "noted": False, "new_link": None,
             "qr_svg": None, "note_form": None, **extra}  # fmt: skip
    return context.page(
        request, "template.html", status_code=status_code, view=view,
        working=context.services.template_sharing.working(view.template.id),
        note=context.services.coaching.template_note(actor, view.template.id),
        max_note=MAX_NOTE, **shown,
    )  # fmt: skip


async def share(request: Request) -> Response:
    context = context_of(request)
    actor = _actor(request)
    form = await read_form(request)
    template_id = request.path_params["template_id"]
    wanted = short_text(form, "shared", limit=8)
    try:
        if wanted not in ("on", "off"):
            raise FieldError("shared", "Shared: choose to share the template or not.")
        context.services.coaching.set_shared(actor, template_id, wanted == "on")
    except NotFoundError:
        raise HTTPException(404, NO_TEMPLATE) from None
    except ServiceError as error:
        return context.refusal(request, 400, f"{str(error)[:1].upper()}{str(error)[1:]}.")
    return RedirectResponse(f"/templates/{template_id}", status_code=303)


async def template_note(request: Request) -> Response:
    """Write, change or remove the note every client of the template sees."""
    context = context_of(request)
    actor = _actor(request)
    template_id = request.path_params["template_id"]
    form = await read_form(request)
    text = short_text(form, "note", limit=MAX_NOTE + 100)
    try:
        context.services.coaching.write_template_note(actor, template_id, text)
    except NotFoundError:
        raise HTTPException(404, NO_TEMPLATE) from None
    except FieldError as error:
        return template_page(
            request,
            context,
            actor,
            template_id,
            None,
            status_code=400,
            note_form={"value": text[: MAX_NOTE + 100], "error": str(error)},
        )
    except ServiceError as error:
        return context.refusal(request, 400, f"{str(error)[:1].upper()}{str(error)[1:]}.")
    return RedirectResponse(f"/templates/{template_id}?noted=1#note", status_code=303)


# --- the client's page: their coach's routine and the assign form ------------------------
def client_assignment(
    context: WebContext, actor: Actor, client_id: str, read: Dashboard | None = None
) -> dict:
    """What the client page shows of the routine assigned: history and the form's choices
    (from the client's dashboard when it was ``read`` already)."""
    coaching = context.services.coaching
    assignments = read.assignments if read else coaching.assignments(actor, client_id)
    if read:
        templates = read.templates
    else:
        templates = coaching.templates(actor) if actor.role is Role.COACH else []
    active = assignments[0] if assignments and assignments[0].ended_at is None else None
    typed = {"days": [], "moment": "morning"}
    if active is not None:  # the form starts from what the client has now
        schedule = active.schedule
        typed = {"days": schedule.get("days") or [], "moment": schedule.get("moment") or "",
                 "time": schedule.get("at") or "", "note": active.note or ""}  # fmt: skip
    return {
        "assignments": assignments,
        "templates": templates,
        "may_assign": actor.role is Role.COACH,
        "days": list(zip(DAYS, DAY_NAMES, strict=True)),
        "moments": MOMENT_CHOICES,
        "max_note": MAX_NOTE,
        "assign_form": {"values": typed, "errors": {}},
    }


async def assign(request: Request) -> Response:
    context = context_of(request)
    actor = _actor(request)
    client_id = request.path_params["client_id"]
    form = await read_form(request)
    days = [d[:16] for d in form.getlist("days")[:14] if isinstance(d, str)]
    values = {
        "template": short_text(form, "template", limit=64),
        "version": short_text(form, "version", limit=MAX_VERSION_TEXT),
        "days": days,
        "moment": short_text(form, "moment", limit=16),
        "time": short_text(form, "time", limit=16),
        "note": short_text(form, "note", limit=MAX_NOTE + 100),
    }
    version_text = values["version"].strip()
    try:
        if version_text and not (version_text.isdigit() and len(version_text) < 6):
            raise FieldError("version", "Version: choose one of the template's versions.")
        if not valid_id(values["template"]):
            raise FieldError("template", "Template: choose one of the templates listed.")
        context.services.coaching.assign(
            actor, client_id, values["template"], int(version_text) if version_text else None,
            days, values["moment"], values["time"], values["note"],
        )  # fmt: skip
    except FieldError as error:
        return await _client_page(request, context, actor, client_id, values,
                                  {error.field: str(error)})  # fmt: skip
    except NotFoundError:
        raise HTTPException(404) from None
    except ServiceError as error:
        return context.refusal(request, 400, f"{str(error)[:1].upper()}{str(error)[1:]}.")
    return RedirectResponse(f"/clients/{client_id}?assigned=1#coach-routine", status_code=303)


async def assignment_note(request: Request) -> Response:
    """Change the note of the client's routine without assigning it again."""
    context = context_of(request)
    actor = _actor(request)
    client_id = request.path_params["client_id"]
    form = await read_form(request)
    note = short_text(form, "note", limit=MAX_NOTE + 100)
    try:
        context.services.coaching.change_note(actor, client_id, note)
    except NotFoundError:
        raise HTTPException(404) from None
    except ServiceError as error:
        return context.refusal(request, 400, f"Not saved. {str(error)[:1].upper()}{str(error)[1:]}")
    return RedirectResponse(f"/clients/{client_id}?noted=1#coach-routine", status_code=303)


async def _client_page(
    request: Request, context: WebContext, actor: Actor, client_id: str, values: dict,
    errors: dict,
) -> Response:  # fmt: skip
    (account,) = context.services.accounts.accounts_with_ids([client_id]) or (None,)
    if account is None:
        raise HTTPException(404)
    shown = client_assignment(context, actor, client_id)
    shown["assign_form"] = {"values": values, "errors": errors}
    return context.page(
        request, "history.html", status_code=400, client=account, assigned=False,
        entries=context.services.data.history(limit=200), **shown,
    )  # fmt: skip


def _problem(message: str) -> RoutineCheck:
    return RoutineCheck(SourceFile("upload", ""), None, [Problem("upload", 0, message)])


ROUTES = [
    Route("/templates", templates, methods=["GET", "POST"]),
    Route("/templates/{template_id}", template),
    Route("/templates/{template_id}/share", share, methods=["POST"]),
    Route("/templates/{template_id}/note", template_note, methods=["POST"]),
    Route("/clients/{client_id}/assignment", assign, methods=["POST"]),
    Route("/clients/{client_id}/assignment/note", assignment_note, methods=["POST"]),
]
