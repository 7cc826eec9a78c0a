"""The exercise library and routines: browse, view, check and add a routine file."""

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.catalogue.loader import RoutineCheck, SourceFile
from sirelief.domain.prescription import SIDE_POLICY_WORDS, describe_dose, effective_dose
from sirelief.domain.problems import Problem
from sirelief.domain.routine import AssessmentStep, ChoiceStep, ExerciseStep
from sirelief.domain.vocabulary import BodyRegion, words
from sirelief.services import BusyError, RoutineIdTakenError, ServiceError
from sirelief.services.routines import MAX_ROUTINE_BYTES
from sirelief.web.context import WebContext, context_of
from sirelief.web.request_body import read_form, valid_id


async def exercises(request: Request) -> Response:
    context = context_of(request)
    region = request.query_params.get("region") or None
    if region is not None and region not in words(BodyRegion):
        region = None
    return context.page(
        request, "exercises.html", exercises=context.services.exercises.find(region=region),
        regions=words(BodyRegion), region=region,
    )  # fmt: skip


async def exercise(request: Request) -> Response:
    context = context_of(request)
    catalogue = context.services.catalogue
    exercise_id = request.path_params["exercise_id"]
    if exercise_id not in catalogue:
        raise HTTPException(404, "There is no exercise with that name in the library.")
    item = catalogue.exercise(exercise_id)
    return context.page(
        request, "exercise.html", exercise=item,
        dose=describe_dose(item.dose, item),
        alternatives=[catalogue.exercise(a) for a in item.alternatives if a in catalogue],
        substitutes=[
            (need.item, alt.item, catalogue.exercise(alt.exercise))
            for need in item.equipment for alt in need.alternatives
            if alt.exercise in catalogue
        ],
        optional_kit=[(need.item, need.how) for need in item.equipment if need.how],
    )  # fmt: skip


def routines_page(
    context: WebContext,
    request: Request,
    check=None,
    status_code=200,
    added=None,
    outcome=None,
    kept=None,
    import_link="",
    import_error=None,
) -> Response:
    """``outcome``: one line saying what happened to an upload; ``kept``: (name, text) of a
    file checked only, carried in the form so "Check and add" needs no second choosing;
    ``import_link``, ``import_error``: the share-link field and what is wrong with it."""
    entries, skipped = context.services.routines.with_skipped()
    names = {entry.routine.id: entry.routine.name for entry in entries}
    if added in names:
        outcome = f"Added “{names[added]}” to your routines."
    return context.page(
        request, "routines.html", status_code=status_code, entries=entries,
        skipped=skipped, check=check, outcome=outcome, kept=kept,
        import_link=import_link or request.query_params.get("import", "")[:2000],
        import_error=import_error,
    )  # fmt: skip


async def routines(request: Request) -> Response:
    context = context_of(request)
    if request.method == "GET":
        return routines_page(context, request, added=request.query_params.get("added"))
    form = await read_form(request, max_fields=10, max_files=1)
    try:
        upload = form.get("file")
        action = form.get("action", "check")
        replace = form.get("replace") == "on"
        kept, kept_name = form.get("kept"), form.get("kept_name")
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read(MAX_ROUTINE_BYTES + 1)
            filename = upload.filename
        elif isinstance(kept, str) and isinstance(kept_name, str) and kept_name:
            raw, filename = kept.encode(), kept_name  # the file checked a moment ago
        else:
            message = "Choose a routine file (.yaml) first."
            return routines_page(context, request, check=_problem(message), status_code=400)
    finally:
        await form.close()
    name = filename.rsplit("/", 1)[-1][:200]
    try:  # off the event loop, in a child process with a time limit
        check = await run_in_threadpool(context.services.routines.check_upload, name, raw)
    except BusyError as busy:
        return routines_page(context, request, check=_problem(str(busy)), status_code=503)
    if check.routine is None:
        return routines_page(context, request, check=check, status_code=400,
                             outcome=f"Not added: {name} has problems to fix.")  # fmt: skip
    if action != "add":
        return routines_page(
            context, request, check=check, status_code=200 if check.ok else 400,
            kept=(name, raw.decode("utf-8", "replace")) if check.ok else None,
            outcome=f"Checked only, nothing added: {name}"
            + (" can be added." if check.ok else " has problems to fix."),
        )  # fmt: skip
    return add_checked(context, request, check, name, raw, replace)


def add_checked(
    context: WebContext, request: Request, check, name: str, raw: bytes, replace: bool,
    import_link: str = "",
) -> Response:  # fmt: skip
    """Add a checked file (an upload, or a share link's file) or say why not."""
    if check.routine is None:
        return routines_page(context, request, check=check, status_code=400,
                             outcome=f"Not added: {name} has problems to fix.",
                             import_link=import_link)  # fmt: skip
    try:
        routine = context.services.routines.add(check, replace=replace)
    except RoutineIdTakenError:
        mine = context.services.routines.get(check.routine.id).routine
        outcome = (
            f"Not added: you already have a routine with the id “{mine.id}” (“{mine.name}”, "
            f"version {mine.version}). To put this file in its place, tick “Replace my "
            "routine with the same id” and add it again."
        )
        return routines_page(context, request, check=check, status_code=400, outcome=outcome,
                             kept=None if import_link else (name, raw.decode("utf-8", "replace")),
                             import_link=import_link)  # fmt: skip
    except ServiceError as error:
        return routines_page(context, request, check=check, status_code=400,
                             outcome=f"Not added: {error}.", import_link=import_link)  # fmt: skip
    return RedirectResponse(f"/routines?added={routine.id}", status_code=303)


async def routine(request: Request) -> Response:
    context = context_of(request)
    stopped = request.query_params.get("stopped") is not None
    return routine_page(context, request, request.path_params["routine_id"], stopped=stopped)


def routine_page(context: WebContext, request: Request, routine_id: str, **extra) -> Response:
    """A routine read-only, and its share link (``extra``: a link just made, its QR)."""
    try:
        if not valid_id(routine_id):
            raise ServiceError("no such routine")
        entry = context.services.routines.get(routine_id)
    except ServiceError:
        raise HTTPException(404, "There is no routine with that id.") from None
    blocks = routine_blocks(entry.routine, context.services.catalogue)
    shareable = entry.origin in ("yours", "coach")
    working = context.services.routine_sharing.working(routine_id) if shareable else None
    return context.page(
        request, "routine.html", entry=entry, blocks=blocks, shareable=shareable,
        working=working,
        from_coach=context.services.from_coach.current() if entry.origin == "coach" else None,
        **{"new_link": None, "qr_svg": None, "stopped": False, **extra},
    )  # fmt: skip


ROUTES = [
    Route("/exercises", exercises),
    Route("/exercises/{exercise_id}", exercise),
    Route("/routines", routines, methods=["GET", "POST"]),
    Route("/routines/{routine_id}", routine),
]


def _problem(message: str):
    return RoutineCheck(SourceFile("upload", ""), None, [Problem("upload", 0, message)])


def _problem_line(name: str, message: str):

    return Problem(name, 0, message)


def routine_blocks(routine, catalogue) -> list[dict]:
    """The routine in running order, as plain rows for the template."""
    blocks = []
    for block in routine.blocks:
        rows = []
        for step in block.steps:
            rows.extend(_rows(step, catalogue))
        between = [row for step in block.between_sides for row in _rows(step, catalogue)]
        blocks.append({
            "block": block, "rows": rows, "between": between,
            "sides": SIDE_POLICY_WORDS[block.sides] if _works_a_side(rows) else None,
        })  # fmt: skip
    return blocks


def _works_a_side(rows: list[dict]) -> bool:
    """Side words only where an exercise is done one side at a time."""
    for row in rows:
        options = row.get("options", [row])
        if any(option["kind"] == "exercise" and option["exercise"].is_one_sided
               for option in options):  # fmt: skip
            return True
    return False


def _rows(step, catalogue) -> list[dict]:
    if isinstance(step, ExerciseStep):
        exercise = catalogue.exercise(step.exercise)
        dose = describe_dose(effective_dose(exercise, step), exercise)
        return [{"kind": "exercise", "exercise": exercise, "dose": dose, "note": step.note}]
    if isinstance(step, AssessmentStep):
        return [{"kind": "assessment", "step": step}]
    if isinstance(step, ChoiceStep):
        options = [row for option in step.options for row in _rows(option, catalogue)]
        return [{"kind": "choice", "step": step, "options": options}]
    return []
