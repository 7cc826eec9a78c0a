"""Today, check-in, safety stop, history and the next-morning answer."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.domain.checkin_reader import (
    CONTEXTS,
    EQUIPMENT,
    NEXT_ACTIVITIES,
    screen_first,
    whole_number,
)
from sirelief.domain.safety import StopDecision
from sirelief.domain.vocabulary import RATED_REGIONS, SIDES, label
from sirelief.services import ServiceError
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.forms import FormResult, read_checkin
from sirelief.web.pages.clients import client_list
from sirelief.web.request_body import read_form, short_text

MINUTE_CHOICES = (10, 15, 20, 30, 45, 60)
FINISHED = ("completed", "stopped")
CONTEXT_WORDS = {
    "repair": "Work on what is tight", "morning": "Morning loosen-up",
    "after_sitting": "After sitting", "before_activity": "Before activity",
    "after_activity": "After activity",
}  # fmt: skip


async def today(request: Request) -> Response:
    actor = actor_of(request)
    if actor is not None and actor.role is not Role.CLIENT:
        return await client_list(request)
    context = context_of(request)
    if context.services.tour.due():  # the first time: three short screens come first
        return RedirectResponse("/welcome", status_code=303)
    finished = [e for e in context.services.data.history(limit=10) if e.status in FINISHED]
    return context.page(
        request, "today.html",
        unfinished=context.services.sessions.unfinished(),
        last=finished[0] if finished else None,
        morning=context.services.sessions.morning_question_due(),
        stopped=context.services.sessions.stop_since_last_session(),
        saved=request.query_params.get("saved"),
        climbs=context.services.data.climbs(),
        from_coach=context.services.from_coach.current(),
        psfs_due=context.services.psfs.due(),
    )  # fmt: skip


def checkin_page(
    context: WebContext, request: Request, form: FormResult, status_code: int = 200
) -> Response:
    care = context.services.safety
    return context.page(
        request, "checkin.html", status_code=status_code,
        form=form, flags=context.services.safety_rules.flags, questions=care.questions(),
        precautions_due=care.confirmation_due(),
        regions=RATED_REGIONS, sides=SIDES, minute_choices=MINUTE_CHOICES,
        equipment=EQUIPMENT,
        contexts=[(word, CONTEXT_WORDS[word]) for word in CONTEXTS],
        activities=[(word, label(word).capitalize()) for word in NEXT_ACTIVITIES],
        routines=context.services.routines.all(),
    )  # fmt: skip


async def checkin(request: Request) -> Response:
    context = context_of(request)
    if request.method == "GET":
        chosen = context.services.preferences.current()  # the person's own defaults
        return checkin_page(
            context, request,
            FormResult(values={"minutes": "20", "equipment": list(chosen.equipment),
                               "context": "repair", "red_flags": [],
                               "routine": context.services.routines.assigned_id() or "",
                               "randomise_first_side": chosen.randomise_first_side}),
        )  # fmt: skip
    form = await read_form(request)
    rules = context.services.safety_rules
    stop = screen_first(form.getlist("red_flags"), rules)
    if stop is not None:  # SPEC 5.1: a flag stops even when the rest is empty or wrong
        context.services.sessions.record_stop(stop)
        return context.page(request, "stop.html", stop=stop)
    checkin, result = read_checkin(form, rules)
    result.values["randomise_first_side"] = form.get("randomise_first_side") == "on"
    if checkin is None:
        return checkin_page(context, request, result, status_code=400)
    routine = result.values.get("routine") or None
    randomise = form.get("randomise_first_side") == "on"
    try:
        options = context.services.planning.options(randomise=randomise)  # box: your setting
        started = context.services.sessions.start(checkin, routine, options)
    except ServiceError as error:
        result.errors["routine"] = str(error)
        return checkin_page(context, request, result, status_code=400)
    if isinstance(started, StopDecision):
        return context.page(request, "stop.html", stop=started)
    return RedirectResponse(f"/sessions/{started.session_id}", status_code=303)


async def history(request: Request) -> Response:
    context = context_of(request)
    entries = context.services.data.history(limit=200)
    return context.page(request, "history.html", entries=entries, client=None)


async def morning(request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    session_id = short_text(form, "session")
    settled = short_text(form, "settled")
    pain = short_text(form, "pain")
    pain_value = whole_number(pain, 0, 10)
    errors = {}
    if settled not in ("yes", "no"):
        errors["settled"] = "Choose yes or no."
    if pain and pain_value is None:
        errors["pain"] = "Pain now must be a whole number from 0 to 10."
    record = context.services.sessions.morning_question_due()
    if errors or record is None or record.id != session_id:
        return context.page(
            request, "today.html", status_code=400,
            unfinished=context.services.sessions.unfinished(), last=None, morning=record,
            stopped=context.services.sessions.stop_since_last_session(),
            morning_errors=errors or {"settled": "That question was already answered."},
            saved=None, climbs=(),
        )  # fmt: skip
    context.services.sessions.answer_morning(session_id, settled == "yes", pain_value)
    return RedirectResponse("/?saved=morning", status_code=303)


ROUTES = [
    Route("/", today),
    Route("/checkin", checkin, methods=["GET", "POST"]),
    Route("/history", history),
    Route("/morning", morning, methods=["POST"]),
]
