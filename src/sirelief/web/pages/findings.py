"""A clinician's findings (issue 20 item 3): the person's own page, and a coach's page for
a client they follow. One form, one list, shown as recorded and never interpreted.

The person copies results from a clinician's letter on ``/findings`` (personal mode, or a
client); a coach records what a clinician found on ``/clients/{id}/findings``. The access
guard has bound the request to the person it is about, so a handler can reach no one
else's records.
"""

from dataclasses import dataclass
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.findings import (
    FORTIN_ANSWERS,
    FORTIN_SIDES,
    FORTIN_WORDS,
    MAX_EXAMINER,
    NOT_INTERPRETED,
    RESULT_WORDS,
    RESULTS,
    SLOTS,
    FindingsError,
    check_findings,
)
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.request_body import read_form, short_text

FIELDS = ("examined_on", "examiner", *(slot.id for slot in SLOTS), "fortin", "fortin_side")
"""Every field of the form, in its order: the error summary follows it."""


@dataclass(frozen=True)
class FindingsPage:
    """Whose findings the page is about, and the words that change with it."""

    path: str
    title: str
    lead: str
    about: str
    """The person as the list names them: "you" or the client's name."""
    back: tuple[str, str] | None = None
    """(address, words) of the page this one belongs to, if any."""


def own_page() -> FindingsPage:
    return FindingsPage(
        "/findings", "A clinician's findings",
        "When a physiotherapist or doctor has examined your SI joint, you can copy what they "
        "found here, for example from their letter, so it sits beside your sessions.",
        "you",
    )  # fmt: skip


def client_page(client_id: str, name: str) -> FindingsPage:
    return FindingsPage(
        f"/clients/{client_id}/findings", f"{name}: a clinician's findings",
        f"Record the SI joint tests a clinician did with {name}, as they were found. "
        f"{name} sees them too.",
        name, (f"/clients/{client_id}#findings", f"{name}'s dashboard"),
    )  # fmt: skip


def show(
    context: WebContext,
    request: Request,
    page: FindingsPage,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    findings = context.services.findings
    return context.page(
        request, "findings.html", status_code=status_code, page=page,
        records=findings.shown(actor_of(request)), slots=SLOTS, results=RESULTS,
        result_words=RESULT_WORDS, fortin_answers=FORTIN_ANSWERS, fortin_words=FORTIN_WORDS,
        fortin_sides=FORTIN_SIDES, max_examiner=MAX_EXAMINER, not_interpreted=NOT_INTERPRETED,
        errors=errors or {}, values=values or {}, today=findings.today().isoformat(),
        saved=request.query_params.get("saved") == "1",
    )  # fmt: skip


def _choice(form, name: str, default: str) -> str:
    """A choice as given (kept when unknown, so the domain names it), else the default."""
    return short_text(form, name, limit=40) or default


async def _record(request: Request, page: FindingsPage) -> Response:
    context = context_of(request)
    if request.method == "GET":
        return show(context, request, page)
    form = await read_form(request)
    day = short_text(form, "examined_on", limit=40)
    examiner = short_text(form, "examiner", limit=MAX_EXAMINER)
    results = {slot.id: _choice(form, slot.id, "not-done") for slot in SLOTS}
    fortin = _choice(form, "fortin", "not-checked")
    side = short_text(form, "fortin_side", limit=40) or None
    if fortin != "yes":
        side = None  # a side picked before the answer changed to no means nothing
    values = {"examined_on": day, "examiner": examiner, **results, "fortin": fortin,
              "fortin_side": side or ""}  # fmt: skip
    errors: dict[str, str] = {}
    findings = context.services.findings
    try:
        examined_on = date.fromisoformat(day)
    except ValueError:
        errors["examined_on"] = "Give the examination date as a date, for example 2026-11-30."
        today = findings.today()  # the rest is checked as well, and nothing is kept
        errors |= dict(reversed(check_findings(today, today, examiner, results, fortin, side)))
    else:
        try:
            findings.record(examined_on, examiner, results, fortin, side, actor_of(request))
        except FindingsError as error:
            errors |= dict(reversed(error.problems))  # the first message of a field wins
    if errors:
        ordered = {f: errors[f] for f in (*FIELDS, "results") if f in errors}
        return show(context, request, page, ordered or errors, values, 400)
    return RedirectResponse(f"{page.path}?saved=1#recorded", status_code=303)


async def own_findings(request: Request) -> Response:
    return await _record(request, own_page())


async def client_findings(request: Request) -> Response:
    """A coach's (or, to read, an admin's) page for one client's findings."""
    context = context_of(request)
    client_id = request.path_params["client_id"]
    (account,) = context.services.accounts.accounts_with_ids([client_id]) or (None,)
    if account is None or actor_of(request) is None:
        raise HTTPException(404)
    return await _record(request, client_page(client_id, account.display_name))


ROUTES = [
    Route("/findings", own_findings, methods=["GET", "POST"]),
    Route("/clients/{client_id}/findings", client_findings, methods=["GET", "POST"]),
]
