"""A coach's alerts (issue 18 item 4): dismissing one, and the coach's alert settings.

The alerts themselves are listed at the top of the coach's client list
(``web/pages/clients.py``). Dismissing names the client in the path, so the access guard
checks the coach follows them before the handler runs; the alert must then be this
coach's own about this client, else the answer is the same 404 as an unknown id.
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.domain.alerts import MAX_INACTIVE_DAYS, read_email, read_inactive_days
from sirelief.services import ServiceError
from sirelief.web.context import actor_of, context_of
from sirelief.web.request_body import read_form, short_text, valid_id

NO_ALERT_ID = (
    "The alert to dismiss is not named (the form's 'alert' field is empty or not an "
    "alert's id): reload your list of clients and press Dismiss again."
)
SAVED = "Saved. Alerts follow these settings from now on."


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


async def dismiss(request: Request) -> Response:
    """Dismiss one of the coach's alerts about this client; back to the list."""
    context = context_of(request)
    actor = actor_of(request)
    if actor is None or actor.role is not Role.COACH:
        raise HTTPException(404)
    form = await read_form(request)
    alert_id = short_text(form, "alert", limit=64)
    if not valid_id(alert_id):
        raise HTTPException(400, NO_ALERT_ID)
    client_id = request.path_params["client_id"]
    if not context.services.alerts.dismiss(actor, client_id, alert_id, _address(request)):
        raise HTTPException(404)
    return RedirectResponse("/?dismissed=1#alerts", status_code=303)


async def alert_settings(request: Request) -> Response:
    """How many quiet days make an alert, and where alert emails go."""
    context = context_of(request)
    actor = actor_of(request)
    if actor is None or actor.role is not Role.COACH:
        raise HTTPException(404)
    alerts = context.services.alerts
    current = alerts.settings_of(actor)
    typed = {
        "inactive_days": "" if current.inactive_days is None else str(current.inactive_days),
        "email": current.email or "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await read_form(request)
        typed = {name: short_text(form, name, limit=300) for name in typed}
        for name, reader in (("inactive_days", read_inactive_days), ("email", read_email)):
            try:
                reader(typed[name])
            except ValueError as error:
                errors[name] = str(error)
        if not errors:
            try:
                alerts.save_settings(actor, typed["inactive_days"], typed["email"],
                                     _address(request))  # fmt: skip
            except ServiceError as error:  # the same checks: only a race could get here
                errors["inactive_days"] = str(error)
            else:
                return RedirectResponse("/alerts/settings?saved=1", status_code=303)
    return context.page(
        request, "alert_settings.html", status_code=400 if errors else 200,
        typed=typed, errors=errors, max_days=MAX_INACTIVE_DAYS,
        saved=SAVED if request.query_params.get("saved") == "1" and not errors else None,
        email_possible=alerts.email_possible,
    )  # fmt: skip


ROUTES = [
    Route("/clients/{client_id}/alerts/dismiss", dismiss, methods=["POST"]),
    Route("/alerts/settings", alert_settings, methods=["GET", "POST"]),
]
