"""The precautions, clearances and reviews pages (SPEC 5.1-5.3): short server-rendered forms."""

from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.precautions import PRECAUTIONS
from sirelief.services import ServiceError
from sirelief.web.context import WebContext, context_of
from sirelief.web.request_body import read_form, short_text, valid_id


def precautions_page(
    context: WebContext, request: Request, errors=None, status_code: int = 200
) -> Response:
    safety = context.services.safety
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


def clearances_page(
    context: WebContext, request: Request, errors=None, values=None, status_code=200
) -> Response:
    safety = context.services.safety
    return context.page(
        request, "clearances.html", status_code=status_code,
        flags=safety.rules.at("soon"), rules=safety.rules, standing=safety.standing(),
        clearances=safety.clearances(), errors=errors or {}, values=values or {},
        today=context.clock().date().isoformat(),
        saved=request.query_params.get("saved"),
    )  # fmt: skip


async def clearances(request: Request) -> Response:
    context = context_of(request)
    if request.method == "GET":
        return clearances_page(context, request)
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in ("flag", "cleared_on", "by")}
    if not values["flag"]:
        errors = {"flag": "Choose the answer the clinician checked."}
        return clearances_page(context, request, errors, values, 400)
    try:
        cleared_on = date.fromisoformat(values["cleared_on"])
    except ValueError:
        errors = {"cleared_on": "Give the day of the check as a date, for example 2026-11-30."}
        return clearances_page(context, request, errors, values, 400)
    try:
        context.services.safety.clear(values["flag"], cleared_on, values["by"])
    except ServiceError as error:
        return clearances_page(context, request, {"flag": str(error).capitalize()}, values, 400)
    return RedirectResponse("/safety/clearances?saved=added", status_code=303)


async def withdraw(request: Request) -> Response:
    context = context_of(request)
    form = await request.form()
    try:
        context.services.safety.withdraw(str(form.get("flag", "")))
    except ServiceError:
        errors = {"withdraw": "That clearance is not standing (any more); the list shows "
                  "those that are."}  # fmt: skip
        return clearances_page(context, request, errors, None, 400)
    return RedirectResponse("/safety/clearances?saved=withdrawn", status_code=303)


def known_session(context: WebContext, session_id: str) -> bool:
    try:
        context.services.sessions.record_of(session_id)
    except ServiceError:
        return False
    return True


def reviews_page(
    context: WebContext, request: Request, errors=None, values=None, status_code=200
) -> Response:
    safety = context.services.safety
    return context.page(
        request, "reviews.html", status_code=status_code,
        flags=safety.rules.at("review"), rules=safety.rules, standing=safety.reviewed(),
        errors=errors or {}, values=values or {},
        today=context.clock().date().isoformat(),
        saved=request.query_params.get("saved"),
    )  # fmt: skip


async def reviews(request: Request) -> Response:
    """Record "I have had this reviewed" for review advice (from a plan or this page)."""
    context = context_of(request)
    if request.method == "GET":
        return reviews_page(context, request)
    form = await read_form(request)
    flags = [str(flag)[:65] for flag in form.getlist("flag")][:20]
    values = {"flag": flags, "reviewed_on": short_text(form, "reviewed_on")}
    session_id = short_text(form, "session", limit=64)
    errors = {}
    if not flags:
        errors["flag"] = "Choose the advice that was reviewed."
    try:
        reviewed_on = date.fromisoformat(values["reviewed_on"])
    except ValueError:
        errors["reviewed_on"] = "Give the day of the review as a date, for example 2026-11-30."
    else:
        if reviewed_on > context.clock().date():
            errors["reviewed_on"] = "The day of the review is in the future: give the day " \
                "it took place."  # fmt: skip
    if not errors:
        try:
            context.services.safety.record_review(flags, reviewed_on)
        except ServiceError as error:
            errors["flag"] = str(error).capitalize()
    if errors:
        return reviews_page(context, request, errors, values, 400)
    if valid_id(session_id) and known_session(context, session_id):
        return RedirectResponse(f"/sessions/{session_id}?reviewed=1", status_code=303)
    return RedirectResponse("/safety/reviews?saved=added", status_code=303)


async def withdraw_review(request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    try:
        context.services.safety.withdraw_review(short_text(form, "flag"))
    except ServiceError:
        errors = {"withdraw": "That review is not recorded (any more); the list shows "
                  "those that are."}  # fmt: skip
        return reviews_page(context, request, errors, None, 400)
    return RedirectResponse("/safety/reviews?saved=withdrawn", status_code=303)


ROUTES = [
    Route("/safety/reviews", reviews, methods=["GET", "POST"]),
    Route("/safety/reviews/withdraw", withdraw_review, methods=["POST"]),
    Route("/safety/precautions", precautions, methods=["GET", "POST"]),
    Route("/safety/clearances", clearances, methods=["GET", "POST"]),
    Route("/safety/clearances/withdraw", withdraw, methods=["POST"]),
]
