"""The clearances and reviews pages (SPEC 5.1, 5.2): one form for a dated record about a
red flag, its words given per kind."""

from dataclasses import dataclass
from datetime import date
from functools import partial

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.flag_records import CLEARANCE, MAX_BY, REVIEW, RecordKind
from sirelief.domain.local_time import local_day
from sirelief.services import ServiceError
from sirelief.web.context import WebContext, context_of
from sirelief.web.request_body import read_form, short_text, valid_id

MAX_FLAGS = 20


@dataclass(frozen=True)
class FlagRecordPage:
    """The words of one kind's page; the form is the same."""

    kind: RecordKind
    title: str
    lead: str
    added: str
    withdrawn: str
    standing_heading: str
    none_standing: str
    legend: str
    choice: str
    """"radio" (one flag per clearance) or "checkbox" (reviews of several at once)."""
    day_label: str
    submit: str
    disclaimer: str
    choose: str
    """The error when no flag is chosen."""
    not_standing: str
    """The error when withdrawing what does not stand."""
    notes: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"/safety/{self.kind.noun}s"


_WORDS: dict[str, tuple[object, object]] = {  # field: (clearances, reviews)
    "kind": (CLEARANCE, REVIEW),
    "title": ("Clinician clearances", "Reviews with a clinician"),
    "lead": (
        "Some answers stop sessions until a clinician has checked you. When they have, and "
        'said exercise is fine, record it here. The question is then asked as "new or worse '
        'since your clearance?", and a yes stops again.',
        "Some answers allow a gentle session but are worth raising with a doctor or "
        "physiotherapist. sirelief repeats that advice once a week until you record here that "
        'the review took place. After that, the question is asked as "new or worse since your '
        'review?", and a yes brings the advice back.',
    ),
    "added": ("Clearance recorded.", "Review recorded."),
    "withdrawn": ("Clearance withdrawn.", "Review withdrawn: the advice is given again."),
    "standing_heading": ("Standing now", "Recorded now"),
    "none_standing": ("No clearance is standing.", "No review is recorded."),
    "legend": ("What did the clinician check?", "What did you have reviewed?"),
    "choice": ("radio", "checkbox"),
    "day_label": ("Day of the check", "Day of the review"),
    "submit": ("Record the clearance", "I have had this reviewed"),
    "notes": (
        (
            "Answers that describe today (an emergency or a same-day doctor) cannot be "
            "cleared here: they are asked fresh at every check-in.",
        ),
        (),
    ),
    "disclaimer": (
        "Record a clearance only when a clinician has actually checked you. sirelief does "
        "not replace a clinician.",
        "Record a review only when a clinician has actually seen you about it. sirelief does "
        "not diagnose and does not replace a clinician.",
    ),
    "choose": ("Choose the answer the clinician checked.", "Choose the advice that was reviewed."),
    "not_standing": (
        "That clearance is not standing (any more); the list shows those that are.",
        "That review is not recorded (any more); the list shows those that are.",
    ),
}
CLEARANCES = FlagRecordPage(**{field: pair[0] for field, pair in _WORDS.items()})
REVIEWS = FlagRecordPage(**{field: pair[1] for field, pair in _WORDS.items()})


def show(
    context: WebContext,
    page: FlagRecordPage,
    request: Request,
    errors=None,
    values=None,
    status_code: int = 200,
) -> Response:
    safety = context.services.safety  # built on first use: opening the data may fail
    return context.page(
        request, "flag_records.html", status_code=status_code, page=page,
        flags=safety.rules.at(page.kind.level), rules=safety.rules,
        standing=safety.standing(page.kind), errors=errors or {}, values=values or {},
        today=local_day(context.clock(), context.services.zone()).isoformat(),
        saved=request.query_params.get("saved"),
    )  # fmt: skip


def known_session(context: WebContext, session_id: str) -> bool:
    try:
        context.services.sessions.record_of(session_id)
    except ServiceError:
        return False
    return True


async def record(page: FlagRecordPage, request: Request) -> Response:
    """Record a clearance or review (from this page, or a plan's review form)."""
    context = context_of(request)
    kind = page.kind
    if request.method == "GET":
        return show(context, page, request)
    form = await read_form(request)
    flags = [str(flag)[:65] for flag in form.getlist("flag") if flag][:MAX_FLAGS]
    day = short_text(form, kind.date_field)
    by = short_text(form, "by", limit=MAX_BY) if kind.keeps_by else None
    values = {"flag": flags, kind.date_field: day, "by": by or ""}
    errors = {}
    if not flags:
        errors["flag"] = page.choose
    day_words = kind.day_words
    try:
        on = date.fromisoformat(day)
    except ValueError:
        errors[kind.date_field] = f"Give {day_words} as a date, for example 2026-11-30."
    else:
        if on > local_day(context.clock(), context.services.zone()):
            errors[kind.date_field] = f"{day_words.capitalize()} is in the future: give " \
                "the day it took place."  # fmt: skip
    if not errors:
        try:
            context.services.safety.record(kind, flags, on, by)
        except ServiceError as error:
            errors["flag"] = str(error).capitalize()
    if errors:
        return show(context, page, request, errors, values, 400)
    session_id = short_text(form, "session", limit=64)
    if valid_id(session_id) and known_session(context, session_id):
        return RedirectResponse(f"/sessions/{session_id}?reviewed=1", status_code=303)
    return RedirectResponse(f"{page.path}?saved=added", status_code=303)


async def withdraw(page: FlagRecordPage, request: Request) -> Response:
    context = context_of(request)
    form = await read_form(request)
    try:
        context.services.safety.withdraw(page.kind, short_text(form, "flag"))
    except ServiceError:
        return show(context, page, request, {"withdraw": page.not_standing}, None, 400)
    return RedirectResponse(f"{page.path}?saved=withdrawn", status_code=303)


ROUTES = [
    route
    for page in (CLEARANCES, REVIEWS)
    for route in (
        Route(page.path, partial(record, page), methods=["GET", "POST"]),
        Route(f"{page.path}/withdraw", partial(withdraw, page), methods=["POST"]),
    )
]
