"""Web Push reminders on the settings page (issue 19 item 3b).

The browser asks ``/settings/push/key`` for the installation's public VAPID key (made on
first need), subscribes through its service worker, and posts the subscription as JSON
(``X-CSRF-Token`` header; checked strictly by ``domain/push.py``: every refusal is a 400
naming the field). ``/settings/push/remove`` forgets this browser (JSON ``endpoint``);
``/settings/push/remove-all`` is a plain form that forgets every browser of the person,
so turning reminders off never needs JavaScript.
"""

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.push import SubscriptionError
from sirelief.web.context import context_of
from sirelief.web.request_body import BadRequest, read_json

JSON_TYPE = "application/json"
NOT_JSON = "body: send the subscription as JSON (Content-Type: application/json)."
NO_STORE = {"cache-control": "no-store"}
PLACE = re.compile(r"[A-Za-z0-9_.\[\]-]{1,80}")


async def _json_body(request: Request) -> object:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != JSON_TYPE:
        raise BadRequest(NOT_JSON)
    return read_json(await request.body())


def _refused(field: str, message: str, status_code: int = 400) -> JSONResponse:
    return JSONResponse({"error": message, "field": field}, status_code=status_code)


def _unreadable(error: BadRequest) -> JSONResponse:
    """A body that is not JSON sirelief reads: the place it names (``keys.auth: ...``),
    else the body as a whole."""
    place, said, _ = error.detail.partition(": ")
    if said and PLACE.fullmatch(place):
        return _refused(place, error.detail, error.status_code)
    return _refused("body", f"body: {error.detail}", error.status_code)


async def public_key(request: Request) -> Response:
    """The key browsers subscribe with, and how many of the person's devices get reminders."""
    reminders = context_of(request).services.push_reminders
    return JSONResponse(
        {"public_key": reminders.public_key(), "devices": reminders.devices()}, headers=NO_STORE
    )


async def subscribe(request: Request) -> Response:
    reminders = context_of(request).services.push_reminders
    try:
        added = reminders.subscribe(await _json_body(request))
    except BadRequest as error:
        return _unreadable(error)
    except SubscriptionError as error:
        return _refused(error.field, str(error))
    return JSONResponse(
        {"subscribed": True, "devices": reminders.devices()}, status_code=201 if added else 200
    )


async def unsubscribe(request: Request) -> Response:
    reminders = context_of(request).services.push_reminders
    try:
        removed = reminders.unsubscribe(await _json_body(request))
    except BadRequest as error:
        return _unreadable(error)
    except SubscriptionError as error:
        return _refused(error.field, str(error))
    return JSONResponse({"removed": removed, "devices": reminders.devices()})


async def unsubscribe_all(request: Request) -> Response:
    context_of(request).services.push_reminders.unsubscribe_all()
    return RedirectResponse("/settings?saved=push-off#push-title", status_code=303)


ROUTES = [
    Route("/settings/push/key", public_key, methods=["GET"]),
    Route("/settings/push", subscribe, methods=["POST"]),
    Route("/settings/push/remove", unsubscribe, methods=["POST"]),
    Route("/settings/push/remove-all", unsubscribe_all, methods=["POST"]),
]
