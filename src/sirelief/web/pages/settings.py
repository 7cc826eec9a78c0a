"""The settings page (issue 19 item 4) and the reminder calendar (item 3a).

``/settings`` is one server-rendered form (it works without JavaScript; a small module
lists the browser's voices). The calendar's secret address is made and revoked here by
POST; the token is shown once, in the answer that made it (only its hash is kept).
``/calendar/{token}.ics`` is open: its token is the key, and an unknown or revoked one
finds nothing (404). ``/settings/calendar.ics`` downloads the same file directly.
"""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from sirelief.domain.checkin_reader import EQUIPMENT
from sirelief.domain.preferences import DAY_NAMES, DAYS, Preferences, read_form
from sirelief.web.context import WebContext, context_of
from sirelief.web.request_body import read_form as read_body_form
from sirelief.web.request_body import short_text
from sirelief.web.sign_in import in_clinic_mode

SINGLE_FIELDS = {"voice": 8, "voice_name": 200, "sound": 8, "time_zone": 64,
                 "randomise_first_side": 8, "reminder_time": 8}  # fmt: skip
"""Each single-valued field and the longest value worth reading (longer stays invalid)."""
LIST_FIELDS = ("equipment", "reminder_days")
MAX_LIST_ITEMS = 20
CALENDAR_TYPE = "text/calendar; charset=utf-8"
NO_CALENDAR = "There is no calendar at this address. It may have been replaced or stopped."
SAVED = {
    "settings": "Saved. Your next check-in and session use these settings.",
    "revoked": "The calendar address is stopped: calendars that follow it get nothing now.",
    "push-off": "Reminders are off on every device. Turn them on again on any device here.",
}


def _page(
    request: Request,
    context: WebContext,
    preferences: Preferences,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    feed_url: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    settings = context.services.preferences
    return context.page(
        request, "settings.html", status_code=status_code,
        preferences=preferences, errors=errors or {}, equipment=EQUIPMENT,
        days=list(zip(DAYS, DAY_NAMES, strict=True)),
        installation_zone=settings.zone_name(Preferences()),
        feed_made_at=settings.feed_made_at(), feed_url=feed_url,
        saved=SAVED.get(request.query_params.get("saved", "")),
        clinic=in_clinic_mode(request), typed=typed or {},
        coach_schedule=settings.reminders_from_coach(preferences),
        push_devices=context.services.push_reminders.devices(),
    )  # fmt: skip


async def settings_page(request: Request) -> Response:
    context = context_of(request)
    if request.method == "GET":
        return _page(request, context, context.services.preferences.current())
    form = await read_body_form(request)
    fields = {name: short_text(form, name, limit=limit) for name, limit in SINGLE_FIELDS.items()}
    lists = {name: _texts(form.getlist(name)) for name in LIST_FIELDS}
    preferences, errors = read_form(fields, lists)
    if preferences is None:
        shown = _as_typed(fields, lists)
        return _page(request, context, shown, 400, errors, typed=fields)
    context.services.preferences.save(preferences)
    return RedirectResponse("/settings?saved=settings", status_code=303)


async def make_feed(request: Request) -> Response:
    """A new secret address (the old one stops); shown on this answer only."""
    context = context_of(request)
    token = context.services.preferences.make_feed()
    url = f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics"
    return _page(request, context, context.services.preferences.current(), feed_url=url)


async def revoke_feed(request: Request) -> Response:
    context_of(request).services.preferences.revoke_feed()
    return RedirectResponse("/settings?saved=revoked", status_code=303)


async def download_calendar(request: Request) -> Response:
    body = context_of(request).services.preferences.calendar()
    return Response(body, media_type=CALENDAR_TYPE, headers={
        "content-disposition": 'attachment; filename="sirelief-reminders.ics"',
        "cache-control": "no-store",
    })  # fmt: skip


async def feed(request: Request) -> Response:
    """The calendar a secret address opens; 404 for any other token."""
    context = context_of(request)
    body = context.services.calendar_feeds.calendar(request.path_params["feed_token"])
    if body is None:
        return context.refusal(request, 404, NO_CALENDAR)
    return Response(body, media_type=CALENDAR_TYPE, headers={
        "cache-control": "no-store", "referrer-policy": "no-referrer",
    })  # fmt: skip


def _texts(values: list) -> list[str]:
    """A list field's text values, each cut short (files and extra items dropped)."""
    return [value[:64] for value in values[:MAX_LIST_ITEMS] if isinstance(value, str)]


def _as_typed(fields: dict[str, str], lists: dict[str, list[str]]) -> Preferences:
    """What the person sent, shown back in the form beside its errors (known values only:
    a refused value is kept in the text fields by the template, not here)."""
    known_days = tuple(DAYS.index(d) for d in lists["reminder_days"] if d in DAYS)
    return Preferences(
        voice=fields["voice"] == "on", sound=fields["sound"] == "on",
        voice_name=fields["voice_name"].strip() or None,
        equipment=tuple(item for item in EQUIPMENT if item in lists["equipment"]),
        time_zone=fields["time_zone"].strip() or None,
        randomise_first_side=fields["randomise_first_side"] == "on",
        reminder_days=tuple(sorted(set(known_days))),
    )  # fmt: skip


ROUTES = [
    Route("/settings", settings_page, methods=["GET", "POST"]),
    Route("/settings/calendar", make_feed, methods=["POST"]),
    Route("/settings/calendar/revoke", revoke_feed, methods=["POST"]),
    Route("/settings/calendar.ics", download_calendar, methods=["GET"]),
    Route("/calendar/{feed_token}.ics", feed, methods=["GET"]),
]
