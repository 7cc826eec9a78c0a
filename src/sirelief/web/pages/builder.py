"""The routine builder (issue 18 item 1): write a routine in the browser, field by field.

The form is the routine file (``web/builder_form.py``): each post is turned into the
document, written as YAML and checked in a child process by the checker ``sirelief
routines check`` uses, and every problem is drawn beside its field. Buttons add, remove
and move blocks and steps by posting the whole form, so it works without JavaScript.
Saving goes through the same use cases as an upload: the person's routines
(``/routines/builder``) or a new version of the coach's template (``/templates/builder``).
"""

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.catalogue.loader import RoutineCheck, SourceFile, dump_document
from sirelief.catalogue.yaml_source import parse_yaml
from sirelief.domain.access import Actor, Role
from sirelief.domain.problems import InvalidFileError, Problem
from sirelief.domain.routine import ROUTINE_FORMAT
from sirelief.domain.vocabulary import BodyRegion, EquipmentId, Position, words
from sirelief.services import BusyError, RoutineIdTakenError, ServiceError
from sirelief.services.coaching import NotFoundError
from sirelief.services.routines import MAX_ROUTINE_BYTES
from sirelief.web.builder_form import (
    MAX_FIELDS,
    append,
    document_from_form,
    form_from_document,
    left_out,
    move,
    remove,
)
from sirelief.web.builder_view import build_view
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.pages.sessions import plan_rows
from sirelief.web.request_body import read_form, valid_id

FILTERS = ("_q", "_region", "_equipment", "_position")
LIMITS = {"blocks": 30, "steps": 40, "between_sides": 40, "options": 20, "cues": 30}


@dataclass(frozen=True)
class Where:
    """The two homes of the builder: the person's routines, or a coach's templates."""

    path: str
    back: str
    back_label: str
    coach: bool


PERSONAL = Where("/routines/builder", "/routines", "Routines", coach=False)
COACH = Where("/templates/builder", "/templates", "Templates", coach=True)


def _where(request: Request, where: Where) -> Actor | None:
    actor = actor_of(request)
    if where.coach and (actor is None or actor.role is not Role.COACH):
        raise HTTPException(404)
    return actor


async def personal_builder(request: Request) -> Response:
    return await _builder(request, PERSONAL)


async def coach_builder(request: Request) -> Response:
    return await _builder(request, COACH)


async def _builder(request: Request, where: Where) -> Response:
    context = context_of(request)
    actor = _where(request, where)
    if request.method == "GET":
        asked = request.query_params.get("version", "")
        version = int(asked) if asked.isdigit() and len(asked) <= 6 else None
        document = _starting_document(
            context, actor, where, request.query_params.get("from"), version
        )
        filters = {name: request.query_params.get(name, "")[:64] for name in FILTERS}
        return _page(request, context, where, document, None, filters)
    form = await _read_form(request)
    try:
        action = _text(form, "_do")[:200]
        filters = {name: _text(form, name)[:64] for name in FILTERS}
        options = {"replace": _text(form, "_replace") == "on",
                   "shared": _text(form, "_shared") == "on"}  # fmt: skip
        if action == "load":
            return await _load(request, context, where, form.get("_file"), filters)
        document = document_from_form(form.multi_items())
        target = _text(form, "_to")[:120]
    finally:
        await form.close()
    _act(document, action, target)
    text = dump_document(document)
    check = await _check(request, context, document, text)
    if isinstance(check, Response):
        return check
    if action == "download":
        name = f"{document.get('id')}.yaml" if valid_id(document.get("id")) else "routine.yaml"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(text, media_type="application/yaml; charset=utf-8", headers=disposition)
    if action == "save":
        return _save(request, context, actor, where, document, check, filters, options)
    preview = action == "preview" and check.routine is not None
    return _page(request, context, where, document, check, filters, preview=preview,
                 status_code=200 if check.ok or action != "save" else 400)  # fmt: skip


def _starting_document(
    context: WebContext,
    actor: Actor | None,
    where: Where,
    source_id: str | None,
    version: int | None = None,
) -> dict:
    """A new routine, or the routine or template named by ``from`` to edit."""
    if not source_id:
        return _fresh()
    if not valid_id(source_id):
        raise HTTPException(404)
    try:
        if where.coach and actor is not None:
            view = context.services.coaching.template(actor, source_id, version)
            data = form_from_document(parse_yaml(view.shown.source, view.shown.file_name).data)
            return _next_version(data) if view.may_change else data
        entry = context.services.routines.get(source_id)
    except (NotFoundError, ServiceError, InvalidFileError):
        raise HTTPException(404, "There is no routine with that id.") from None
    dumped = entry.routine.model_dump(mode="json", exclude_defaults=True)
    data = form_from_document({"format": ROUTINE_FORMAT, **dumped})
    return _next_version(data) if entry.origin == "yours" else data


def _next_version(data: dict) -> dict:
    """An edit of one's own routine is its next version, so results stay tied to the
    version that was done (docs/routines.md)."""
    number = data.get("version", 1)
    if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 10**6:
        data["version"] = number + 1
    return data


def _fresh() -> dict:
    return {"format": ROUTINE_FORMAT, "blocks": [{"id": "main"}]}


async def _read_form(request: Request) -> FormData:
    return await read_form(request, max_fields=MAX_FIELDS + 20, max_files=1)


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _act(document: dict, action: str, target: str) -> None:
    """What the button pressed changes in the document before it is checked again."""
    verb, _, name = action.partition(":")
    if verb == "add-block":
        taken = {b.get("id") for b in document.get("blocks", []) if isinstance(b, dict)}
        number = next(n for n in range(1, 200) if f"block-{n}" not in taken)
        append(document, "blocks", {"id": f"block-{number}"}, LIMITS["blocks"])
    elif verb == "add-exercise" and valid_id(name):
        append(document, target, {"exercise": name}, _limit(target))
    elif verb == "add-assess":
        point = "mid" if name.endswith("between_sides") else _next_point(document)
        append(document, name, {"assess": point}, _limit(name))
    elif verb == "add-menu":
        append(document, name, {"choose": 1, "options": [{}, {}]}, _limit(name))
    elif verb == "add-option":
        append(document, f"{name}.options", {}, LIMITS["options"])
    elif verb == "add-cue":
        append(document, f"{name}.cues", {}, LIMITS["cues"])
    elif verb == "remove":
        remove(document, name)
    elif verb in ("up", "down"):
        move(document, name, -1 if verb == "up" else 1)


def _next_point(document: dict) -> str:
    """A baseline first, then a final check (``mid`` goes between the sides)."""
    used = {
        step.get("assess")
        for block in document.get("blocks") or [] if isinstance(block, dict)
        for key in ("steps", "between_sides") for step in block.get(key) or []
        if isinstance(step, dict)
    }  # fmt: skip
    return next((p for p in ("baseline", "final") if p not in used), "mid")


def _limit(list_name: str) -> int:
    return LIMITS.get(list_name.rsplit(".", 1)[-1], 0)


async def _check(
    request: Request, context: WebContext, document: dict, text: str
) -> RoutineCheck | Response:
    """The document's text checked as an uploaded file is (a child process, a time
    limit), so the builder's messages are ``sirelief routines check``'s."""
    name = f"{document.get('id')}.yaml" if valid_id(document.get("id")) else "routine.yaml"
    try:
        return await run_in_threadpool(
            context.services.routines.check_upload, name, text.encode("utf-8")
        )
    except BusyError as busy:
        return context.refusal(request, 503, str(busy))


async def _load(
    request: Request, context: WebContext, where: Where, upload, filters: dict
) -> Response:
    """A routine file opened in the builder: its own check (the messages ``routines check``
    prints for it), and its fields in the form."""
    if not (isinstance(upload, UploadFile) and upload.filename):
        missing = Problem("upload", 0, "Choose a routine file (.yaml) first.")
        check = RoutineCheck(SourceFile("upload", ""), None, [missing])
        return _page(request, context, where, _fresh(), check, filters, status_code=400)
    raw = await upload.read(MAX_ROUTINE_BYTES + 1)
    name = upload.filename.rsplit("/", 1)[-1][:200]
    try:
        check = await run_in_threadpool(context.services.routines.check_upload, name, raw)
    except BusyError as busy:
        return context.refusal(request, 503, str(busy))
    document, dropped = {}, []
    if check.source.text and not any("too long" in p.message for p in check.problems):
        try:
            data = parse_yaml(check.source.text, name).data
            document, dropped = form_from_document(data), left_out(data)
        except InvalidFileError:
            pass  # the problems say why; the form starts empty
    return _page(request, context, where, document or _fresh(), check, filters,
                 loaded=name, dropped=dropped, status_code=200 if check.ok else 400)  # fmt: skip


def _save(
    request: Request, context: WebContext, actor: Actor | None, where: Where, document: dict,
    check: RoutineCheck, filters: dict, options: dict,
) -> Response:  # fmt: skip
    def again(message: str) -> Response:
        return _page(request, context, where, document, check, filters, status_code=400,
                     outcome=message)  # fmt: skip

    if check.routine is None:
        return again("Not saved: fix the problems listed first.")
    try:
        if where.coach and actor is not None:
            version = context.services.coaching.upload(actor, check)
            if options["shared"]:
                context.services.coaching.set_shared(actor, version.template_id, True)
            return RedirectResponse(f"/templates/{version.template_id}?added=1", status_code=303)
        routine = context.services.routines.add(check, replace=options["replace"])
    except RoutineIdTakenError:
        return again(
            f"Not saved: you already have a routine with the id “{check.routine.id}”. Tick "
            "“Replace my routine with the same id” to put this one in its place, or change "
            "the id."
        )
    except ServiceError as error:
        return again(f"Not saved: {error}.")
    return RedirectResponse(f"/routines?added={routine.id}", status_code=303)


def _page(
    request: Request, context: WebContext, where: Where, document: dict,
    check: RoutineCheck | None, filters: dict, status_code: int = 200, preview: bool = False,
    loaded: str | None = None, dropped: list[str] | None = None, outcome: str | None = None,
) -> Response:  # fmt: skip
    catalogue = context.services.catalogue
    problems = check.problems if check else []
    view = build_view(document, problems, catalogue)
    rows = None
    if preview and check is not None and check.routine is not None:
        rows = plan_rows(context.services.planning.preview(check.routine))
    return context.page(
        request, "builder.html", status_code=status_code, where=where, view=view,
        check=check, loaded=loaded, dropped=dropped or [], outcome=outcome, rows=rows,
        filters=filters, found=_find(context, filters), targets=_targets(document),
        regions=words(BodyRegion), kit=words(EquipmentId), positions=words(Position),
    )  # fmt: skip


def _find(context: WebContext, filters: dict) -> list:
    """The library, filtered by region, equipment and position, searched by words."""

    def word(name: str, allowed: tuple[str, ...]) -> str | None:
        return filters[name] if filters[name] in allowed else None

    found = context.services.exercises.find(
        region=word("_region", words(BodyRegion)),
        equipment=word("_equipment", words(EquipmentId)),
        position=word("_position", words(Position)),
    )
    query = filters["_q"].strip().lower()
    if query:
        found = [e for e in found
                 if query in " ".join((e.id, e.name, *e.aliases, e.summary)).lower()]  # fmt: skip
    return sorted(found, key=lambda e: e.name)


def _targets(document: dict) -> list[tuple[str, str]]:
    """Where a picked exercise may go: each block's steps, between its sides, its menus."""
    targets = []
    for b, block in enumerate(document.get("blocks") or []):
        if not isinstance(block, dict):
            continue
        title = block.get("title") or block.get("id") or f"block {b + 1}"
        targets.append((f"blocks.{b}.steps", f"{title}"))
        if block.get("sides") == "tighter_first":
            targets.append((f"blocks.{b}.between_sides", f"{title}: between the sides"))
        for s, step in enumerate(block.get("steps") or []):
            if isinstance(step, dict) and "choose" in step:
                menu = step.get("title") or f"menu {s + 1}"
                targets.append((f"blocks.{b}.steps.{s}.options", f"{title}: {menu}"))
    return targets


ROUTES = [
    Route("/routines/builder", personal_builder, methods=["GET", "POST"]),
    Route("/templates/builder", coach_builder, methods=["GET", "POST"]),
]
