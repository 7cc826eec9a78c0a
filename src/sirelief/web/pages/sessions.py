"""A session in the browser: plan, guided run (with the timer's event API) and results."""

import ipaddress
import uuid
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup, escape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin_reader import whole_number
from sirelief.domain.exercise import Exercise
from sirelief.domain.local_time import local_day
from sirelief.domain.notes import MAX_NOTE_CHARACTERS
from sirelief.domain.plan import PlanStep
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import MEANINGFUL, ankle_results, session_results
from sirelief.domain.session import Event
from sirelief.domain.too_much import (
    CHOICE_WORDS,
    NERVE_SYMPTOMS,
    OFFERED_SYMPTOMS,
    PAIN_SYMPTOMS,
    SYMPTOM_WORDS,
    advice,
    choices_for,
    gentler_changes,
    kind_of,
    offers_too_much,
    worked_step,
)
from sirelief.domain.too_much_reports import too_much_reports
from sirelief.domain.vocabulary import RATED_REGIONS, SIDES, label
from sirelief.services import EventIdTakenError, ServiceError
from sirelief.services.sessions import RunningSession
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.forms import (
    MAX_STEP,
    FormResult,
    read_assessment,
    read_events,
)
from sirelief.web.hosts import LOOPBACK_NAMES, host_name
from sirelief.web.request_body import (
    BadRequest,
    read_form,
    read_json,
    short_text,
    valid_id,
)
from sirelief.web.security import csrf_token
from sirelief.web.text import mmss, script_json

ACTIONS = {"start", "complete", "skip", "back", "pause", "resume", "end", "too_much",
           "too_much_choice"}  # fmt: skip
PHASE_WORDS = {
    "get_ready": "Get ready", "work": "Work", "switch_side": "Switch sides", "rest": "Rest",
    "assessment": "Check how you feel", "too_much": "Too much?", "paused": "Paused",
    "done": "Finished",
}  # fmt: skip


CSRF_MARK = "sireliefcsrfmark"
EVENT_ID_MARK = "sireliefeventidmark"
"""Stand-ins for the CSRF token and event id in assessment forms drawn once per session."""
KEPT_SESSIONS = 256
"""Sessions whose page parts a server process keeps drawn (some 60 KB each)."""


def phase_label(state) -> str:
    """The words of the phase label: once "too much" has been answered the question is no
    longer open, so the label names the step's own phase again."""
    own = replace(state, too_much=None).phase if state.too_much is not None else state.phase
    return PHASE_WORDS[own]


def plan_rows(plan) -> list[dict[str, Any]]:
    """The plan as a person reads it: one line per exercise and side, sets folded in."""
    rows: list[dict[str, Any]] = []
    for step in plan.steps:
        if step.kind == "rest" or (step.kind == "transition" and not step.switches_side):
            continue
        side = step.side if step.side in ("left", "right") else None
        last = rows[-1] if rows else None
        if (
            last is not None
            and step.kind == "exercise"
            and last["kind"] == "exercise"
            and (last["exercise_id"], last["side"]) == (step.exercise_id, side)
        ):
            last["sets"] += 1
            continue
        amount = (
            "rate how you feel" if step.kind == "assessment"
            else f"{step.reps} rep{'s' if step.reps != 1 else ''}" if step.reps
            else mmss(step.duration_s)
        )  # fmt: skip
        rows.append({
            "kind": "switch" if step.kind == "transition" else step.kind,
            "title": step.title, "exercise_id": step.exercise_id,
            "side": side,
            "amount": amount, "sets": 1, "note": step.note,
        })  # fmt: skip
    return rows


def read_too_much(form) -> dict[str, Any] | FormResult:
    """The pain now and what the person feels, or the form again with what is missing."""
    pain = whole_number(short_text(form, "pain"), 0, 10)
    symptom = short_text(form, "symptom")
    errors = {}
    if pain is None:
        errors["too_much_pain"] = "Choose your pain now, 0 to 10."
    if symptom not in OFFERED_SYMPTOMS:
        errors["symptom"] = "Choose what you feel."
    if errors:
        values = {"too_much_pain": "" if pain is None else str(pain),
                  "symptom": symptom if symptom in OFFERED_SYMPTOMS else ""}  # fmt: skip
        return FormResult(values=values, errors=errors)
    return {"pain": pain, "symptom": symptom}


def load(context: WebContext, session_id: str) -> RunningSession:
    if not valid_id(session_id):
        raise HTTPException(404, "There is no such session. See your history.")
    try:
        return context.services.sessions.load(session_id)
    except ServiceError:
        raise HTTPException(404, "There is no such session. See your history.") from None


def session_now(context: WebContext, running: RunningSession) -> float:
    """The session clock, sped up by the test hook exactly as the browser's is."""
    base = running.created_at.timestamp()
    real = context.clock().timestamp()
    return base + (real - base) * context.settings.clock_speed


def exercise_of(catalogue: Catalogue, step: PlanStep) -> Exercise | None:
    if step.exercise_id and step.exercise_id in catalogue:
        return catalogue.exercise(step.exercise_id)
    return None


def step_json(catalogue: Catalogue, steps, index: int, step: PlanStep) -> dict[str, Any]:
    data = step.to_json()
    data["index"] = index
    exercise = exercise_of(catalogue, step)
    data["exercise_name"] = exercise.name if exercise else None
    data["figure_alt"] = f"{exercise.name}: {exercise.figure.caption}" if exercise else None
    data["gentler"] = gentler_lines(catalogue, steps, index)
    data["too_much"] = offers_too_much(step.kind)
    return data


def gentler_lines(catalogue: Catalogue, steps, index: int) -> list[str]:
    """What "gentler" changes for this step (in a rest: for the set just done)."""
    step = worked_step(steps, index)
    if step is None:
        return []
    exercise = exercise_of(catalogue, step)
    easier = [(v.name, v.how) for v in exercise.easier] if exercise else []
    category = exercise.category if exercise else None
    return list(gentler_changes(step.duration_s, step.reps, category, easier))


async def plan(request: Request) -> Response:
    context = context_of(request)
    running = load(context, request.path_params["session_id"])
    if running.state.started_at is not None or running.state.ended is not None:
        target = "results" if running.state.ended else "run"
        return RedirectResponse(f"/sessions/{running.session_id}/{target}", status_code=303)
    care = context.services.safety
    pending = care.pending_reviews(running.plan.reasons, running.created_at)
    return context.page(
        request, "plan.html", running=running, plan=running.plan,
        rows=plan_rows(running.plan),
        review_flags=[care.rules.flag(flag_id) for flag_id in pending],
        reviewed=request.query_params.get("reviewed") == "1",
        today=local_day(context.clock(), context.services.zone()).isoformat(),
    )  # fmt: skip


def run_page(
    context: WebContext,
    request: Request,
    running: RunningSession,
    events=None,
    form=None,
    status_code=200,
) -> Response:
    """The guided screen; ``events`` are the recorded ones (loaded when not given)."""
    catalogue = context.services.catalogue
    state = running.state
    if state.ended is not None:
        return RedirectResponse(f"/sessions/{running.session_id}/results", status_code=303)
    now = session_now(context, running)
    if events is None:
        events = context.services.sessions.record_of(running.session_id).events
    drawn = drawn_session(context, running)
    data = {
        "session": running.session_id,
        "csrf": csrf_token(request),
        "clockSpeed": context.settings.clock_speed,
        "clockBase": running.created_at.timestamp(),
        "steps": drawn.steps,
        "events": [event.model_dump(mode="json", exclude_none=True)
                   for event in events],
        "labels": {region: label(region) for region in RATED_REGIONS},
        "phaseWords": PHASE_WORDS,
        "sound": _sound_settings(context),
        "tooMuch": {kind: advice_json(kind) for kind in ("pain", "nerve")},
        "urls": {
            "events": f"/sessions/{running.session_id}/events",
            "results": f"/sessions/{running.session_id}/results",
        },
    }  # fmt: skip
    owner = context.device_owner(actor_of(request))
    if owner:  # a clinic account's outbox is filed under its tag (outbox.js)
        data["owner"] = owner
    step = state.step
    exercise = exercise_of(catalogue, step) if step else None
    planned = (exercise_of(catalogue, planned) for planned in running.plan.steps)
    shown_id = exercise.id if exercise else None
    others = {e.id: e for e in planned if e is not None and e.id != shown_id}
    offered = step is not None and offers_too_much(step.kind)
    symptom = state.too_much.symptom if state.too_much is not None else None
    event_id = uuid.uuid4().hex
    return context.page(
        request, "run.html", status_code=status_code,
        running=running, state=state, step=step, exercise=exercise,
        other_exercises=list(others.values()),
        phase=phase_label(state), remaining=state.remaining_s(now),
        next_step=state.next_step, event_id=event_id,
        assessment_templates=assessment_templates(request, drawn, event_id),
        form=form or FormResult(), regions=RATED_REGIONS, sides=SIDES,
        data_json=script_json(data),
        total=len(running.plan.steps),
        offers_too_much=offered,
        ask_too_much=offered and state.phase != "too_much" and (
            request.query_params.get("ask") == "too_much"
            or bool({"too_much_pain", "symptom"} & set(form.errors if form else {}))),
        too_much_advice=advice_json(kind_of(symptom)),
        gentler=gentler_lines(catalogue, running.plan.steps, state.index) if step else [],
        symptom_groups=(PAIN_SYMPTOMS, NERVE_SYMPTOMS), symptom_words=SYMPTOM_WORDS,
        choice_words=CHOICE_WORDS, secure=secure_origin(request),
    )  # fmt: skip


@dataclass(frozen=True)
class DrawnSession:
    """What the session page shows the same on every view of one session."""

    steps: list[dict[str, Any]]
    """The plan's steps as the timer reads them (with names and gentler lines)."""
    assessment_forms: str
    """The <template> forms of the assessment steps, with marks for token and event id."""


def drawn_session(context: WebContext, running: RunningSession) -> DrawnSession:
    """The parts of the session page that depend only on the session's plan, made once
    per session and process.

    Drawing the assessment forms (a hundred 0-10 scales) was most of the page's CPU, and
    they differ from one view to the next only in the CSRF token and the event id, kept
    here as marks. A session's plan is written with it and never changed, and the
    catalogue is the one shipped, so what is kept stays right, in every process."""
    kept = context.drawn_sessions
    key = (running.session_id, running.created_at)
    drawn = kept.get(key)
    if drawn is None:
        catalogue, steps = context.services.catalogue, running.plan.steps
        drawn = DrawnSession(
            [step_json(catalogue, steps, i, step) for i, step in enumerate(steps)],
            context.templates.get_template("_assessment_templates.html").render(
                running=running, csrf=CSRF_MARK, event_id=EVENT_ID_MARK, sides=SIDES
            ),
        )
        context.keep_drawn(kept, key, drawn, KEPT_SESSIONS)
    return drawn


def assessment_templates(request: Request, drawn: DrawnSession, event_id: str) -> Markup:
    token = str(escape(csrf_token(request)))
    forms = drawn.assessment_forms.replace(CSRF_MARK, token)
    return Markup(forms.replace(EVENT_ID_MARK, str(escape(event_id))))


def _sound_settings(context: WebContext) -> dict:
    """The person's beeps and voice (the settings page), for the session's sound module."""
    chosen = context.services.preferences.current()
    return {"beeps": chosen.sound, "voice": chosen.voice, "voiceName": chosen.voice_name}


def secure_origin(request: Request) -> bool:
    """Whether the browser counts this page as a secure context, where the screen can be
    kept on: HTTPS (also behind a proxy that says so), or a loopback address."""
    if request.url.scheme == "https":
        return True
    name = host_name(request.headers.get("host", ""))
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def advice_json(kind) -> dict[str, Any]:
    said = advice(kind)
    return {"kind": kind, "heading": said.heading, "lines": list(said.lines),
            "choices": list(said.choices)}  # fmt: skip


def load_record(context: WebContext, session_id: str) -> SessionRecord:
    try:
        if not valid_id(session_id):
            raise ServiceError(session_id)
        return context.services.sessions.record_of(session_id)
    except ServiceError:
        raise HTTPException(404, "There is no such session. See your history.") from None


async def run(request: Request) -> Response:
    context = context_of(request)
    record = load_record(context, request.path_params["session_id"])
    return run_page(context, request, context.services.sessions.open(record), record.events)


async def act(request: Request) -> Response:
    """The no-JavaScript path: one form button, one event."""
    context = context_of(request)
    running = load(context, request.path_params["session_id"])
    form = await read_form(request)
    kind = short_text(form, "kind")
    event_id = short_text(form, "event_id")
    if kind not in ACTIONS | {"assessment"} or not (valid_id(event_id) and len(event_id) >= 8):
        raise HTTPException(400, "That button sent something sirelief does not know.")
    fields: dict[str, Any] = {"id": event_id, "at": session_now(context, running), "kind": kind}
    step = whole_number(short_text(form, "step"), 0, MAX_STEP)
    if step is not None:
        fields["step"] = step
    if kind == "assessment":
        point = running.state.step.assessment if running.state.step else None
        if point is None:
            return RedirectResponse(f"/sessions/{running.session_id}/run", status_code=303)
        values, result = read_assessment(
            form, point.ratings, point.pain, point.knee_to_wall, point.assess == "mid"
        )
        if values is None:
            return run_page(context, request, running, form=result, status_code=400)
        fields.update(values)
    if kind == "too_much":
        step_now = running.state.step
        if step_now is None or not offers_too_much(step_now.kind):
            return RedirectResponse(f"/sessions/{running.session_id}/run", status_code=303)
        answer = read_too_much(form)
        if isinstance(answer, FormResult):
            return run_page(context, request, running, form=answer, status_code=400)
        fields.update(answer)
    if kind == "too_much_choice":
        choice = short_text(form, "choice")
        if choice not in ("gentler", "skip", "end"):
            raise HTTPException(400, "Choose gentler, skip or end.")
        asked = running.state.too_much
        if asked is not None and choice not in choices_for(asked.symptom):
            raise HTTPException(400, "After numbness, tingling or shooting pain there is "
                                "no gentler version: choose skip or end.")  # fmt: skip
        fields["choice"] = choice
    try:
        running.record(Event.model_validate(fields))
    except EventIdTakenError:
        raise HTTPException(
            409, "That button's event id belongs to another session; reload the page."
        ) from None
    target = "results" if running.state.ended else "run"
    return RedirectResponse(f"/sessions/{running.session_id}/{target}", status_code=303)


async def events(request: Request) -> Response:
    """The timer's API: a batch of events, each recorded once, in order."""
    context = context_of(request)
    session_id = request.path_params["session_id"]
    try:
        batch = read_events(read_json(await request.body()))
    except BadRequest as error:
        return JSONResponse({"error": error.detail}, status_code=error.status_code)
    except ValueError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    if not valid_id(session_id):
        return JSONResponse({"error": "no such session"}, status_code=404)
    try:
        outcome = context.services.sessions.record_all(session_id, batch)
    except ServiceError:
        return JSONResponse({"error": "no such session"}, status_code=404)
    answer = {
        "recorded": outcome.recorded,
        "index": outcome.running.state.index,
        "ended": outcome.running.state.ended,
    }
    if outcome.refused:
        answer["refused"] = outcome.refused
        answer["error"] = (
            "some event ids are already used by another session; those events were "
            "not recorded (send them with new ids)"
        )
        return JSONResponse(answer, status_code=409)
    return JSONResponse(answer)


async def results(request: Request) -> Response:
    return results_page(request, request.path_params["session_id"])


def results_page(
    request: Request,
    session_id: str,
    status_code: int = 200,
    note_error: str | None = None,
    note_text: str = "",
) -> Response:
    """A session's results and its notes; ``note_error`` and ``note_text`` re-show a
    refused note with what was typed."""
    context = context_of(request)
    record = load_record(context, session_id)
    running = context.services.sessions.open(record)
    outcome = session_results(running.state, running.checkin.pain)
    reports = too_much_reports(record.plan, record.events)
    notes = context.services.session_notes.on(session_id, actor_of(request))
    return context.page(
        request, "results.html", status_code, running=running, results=outcome,
        ankle=ankle_results(running.state),
        meaningful=MEANINGFUL, regions=RATED_REGIONS, too_much=reports,
        nerve=any(kind_of(report.symptom) == "nerve" for report in reports),
        notes=notes, note_limit=MAX_NOTE_CHARACTERS, note_error=note_error,
        note_text=note_text,
    )  # fmt: skip


ROUTES = [
    Route("/sessions/{session_id}", plan),
    Route("/sessions/{session_id}/run", run),
    Route("/sessions/{session_id}/act", act, methods=["POST"]),
    Route("/sessions/{session_id}/events", events, methods=["POST"]),
    Route("/sessions/{session_id}/results", results),
]
