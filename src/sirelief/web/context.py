"""What every page handler needs, built once per application: the use cases, the clock,
the templates and the security key. Typed, in its own module, so page modules can name it
without importing the application factory; ``create_app`` keeps it on ``app.state`` and
a handler reads it back with ``context_of(request)``."""

import copy
import functools
import hashlib
import hmac
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

import anyio.to_thread
import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from sirelief import __version__
from sirelief.domain.access import Actor
from sirelief.domain.coaching import Schedule
from sirelief.domain.insights import CLINICIAN
from sirelief.domain.local_time import local
from sirelief.domain.monitoring import GREEN_LIMIT, PAIN_LIMIT
from sirelief.domain.vocabulary import label
from sirelief.services import Clock, Services, system_clock
from sirelief.settings import Settings
from sirelief.web.assets import static_url
from sirelief.web.secret import server_secret
from sirelief.web.security import csrf_token
from sirelief.web.text import mmss

TEMPLATES = Path(__file__).parent / "templates"
ACTOR_KEY = "sirelief.actor"
"""Where the sign-in middleware keeps the signed-in ``Actor`` (clinic mode only)."""
CLINIC_MODE_KEY = "sirelief.clinic_mode"
"""Where it notes whether this installation is a clinic one (read once per app)."""
PROFILE_KEY = "sirelief.profile"
"""Where the access guard puts the profile whose data this request is about (clinic mode)."""
TITLES = {400: "Something is not right", 403: "Refused", 404: "Not found",
          405: "Not found", 413: "Too large"}  # fmt: skip


class WebContext:
    """What every handler needs, built once per application."""

    def __init__(self, settings: Settings, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.services = Services(settings, clock)
        self.clock: Clock = clock
        self._secret: bytes | None = None
        self.figures: dict[tuple[str, str, str], bytes] = {}
        """Exercise figures drawn so far (gzip-compressed), by exercise id, side and pose."""
        self.drawn_sessions: dict[tuple, object] = {}
        """The parts of a session's page drawn once (web/pages/sessions.py DrawnSession)."""
        self.drawn_charts: dict[int, tuple[object, dict]] = {}
        """A client dashboard's charts drawn once per digest (web/pages/clients.py)."""
        self.drawn_client_lines: dict[tuple, object] = {}
        """The lines of coaches' client lists drawn once each (web/pages/clients.py)."""
        self._drawn_lock = threading.Lock()
        """Taken to add to what is kept drawn (``keep_drawn``): some is drawn aside."""
        self.one_heavy_read = anyio.CapacityLimiter(1)
        """Heavy pages are read in a worker thread, one at a time (``read_aside``)."""
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # the templates ship with the code: no stat of their files on every page
            auto_reload=False,
        )
        self.templates.globals.update(
            version=__version__,
            label=label,
            clinician_advice=CLINICIAN,
            static=static_url,
            pain_limit=PAIN_LIMIT,
            green_limit=GREEN_LIMIT,
            demo=settings.demo,
        )
        self.templates.globals["schedule_words"] = lambda data: Schedule.from_json(data).in_words()
        self.templates.filters["mmss"] = mmss
        self.templates.filters["label"] = label
        self.templates.filters["local"] = _local_time

    def page(
        self, request: Request, template: str, status_code: int = 200,
        zone: tzinfo | None = None, **context,
    ) -> HTMLResponse:  # fmt: skip
        """``template`` filled in; ``zone``: the time zone of the person the page is
        about, when the handler has read it already (else read if the page shows a time)."""
        zone_of = (lambda: zone) if zone is not None else functools.cache(self.services.zone)
        html = self.templates.get_template(template).render(
            request=request,
            csrf=csrf_token(request),
            path=request.url.path,
            signed_in=request.scope.get(ACTOR_KEY) is not None,
            actor=request.scope.get(ACTOR_KEY),
            device_owner=self.device_owner(request.scope.get(ACTOR_KEY)),
            zone_of=zone_of,  # looked up once a page, if at all
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def keep_drawn(self, kept: dict, key: object, drawn: object, most: int) -> None:
        """``drawn`` kept in ``kept`` (one of the ``drawn_*`` above) under ``key``, the
        oldest let go first once ``most`` are kept."""
        with self._drawn_lock:
            while len(kept) >= most:
                kept.pop(next(iter(kept)))
            kept[key] = drawn

    async def read_aside(self, page: Callable[[Request], Response], request: Request) -> Response:
        """``page(request)`` in a worker thread, so the event loop goes on serving session
        pages and events meanwhile; one such page at a time per process, since Python
        threads share one interpreter lock: several heavy pages at once took turns with it,
        each waiting again after every database round trip, and served fewer in all (a
        coach's dashboards: 104 a second one at a time, 61 eight at once, issue 21)."""
        return await anyio.to_thread.run_sync(page, request, limiter=self.one_heavy_read)

    def refusal(self, request: Request, status_code: int, message: str) -> Response:
        """A calm error page, or ``{"error": ...}`` for the event API and JSON callers."""
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status_code)
        return self.page(
            request, "error.html", status_code=status_code,
            title=TITLES.get(status_code, "Something is not right"), message=message,
        )  # fmt: skip

    def seen_by(self, profile_id: str | None) -> "WebContext":
        """This context with the use cases of one person of a clinic (``None``: an
        account with no exercise data, an admin or a coach)."""
        view = copy.copy(self)
        view.services = self.services.for_profile(profile_id)
        return view

    def device_owner(self, actor: Actor | None) -> str:
        """The tag the browser files a signed-in account's unsent events under, so a later
        account on the same device never sends (or counts) them; derived, not the account
        id, so storage names nobody. Empty in personal mode."""
        if actor is None:
            return ""
        digest = hmac.new(self.secret(), f"device-owner:{actor.user_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    def secret(self) -> bytes:
        """The key that signs CSRF tokens, read (or created) on first use."""
        if self._secret is None:
            self._secret = server_secret(self.settings)
        return self._secret


def context_of(request: Request) -> WebContext:
    """The context of the application serving ``request`` (``create_app`` stores it), as
    this request may see it: in clinic mode its use cases are those of the person the
    request is about, as the access guard found them, so no handler can reach another's."""
    context: WebContext = request.app.state.context
    if not request.scope.get(CLINIC_MODE_KEY):
        return context
    return context.seen_by(request.scope.get(PROFILE_KEY))


def actor_of(request: Request) -> Actor | None:
    """The signed-in account (clinic mode); ``None`` in personal mode."""
    return request.scope.get(ACTOR_KEY)


def wants_json(request: Request) -> bool:
    return (
        request.url.path.endswith("/events")
        or request.headers.get("content-type", "").startswith("application/json")
        or "application/json" in request.headers.get("accept", "")
    )


@jinja2.pass_context
def _local_time(
    template: jinja2.runtime.Context,
    moment: datetime,
    fmt: str = "%a %d %b, %H:%M",
    zone: tzinfo | None = None,
) -> str:
    """A moment on the wall clock of the person the page is about (read only when a
    page shows a time, so most pages never look the setting up); ``zone``: of another
    person, as a coach's list dates each client's sessions on that client's day."""
    if zone is not None:
        return local(moment, zone).strftime(fmt)
    zone_of = template.get("zone_of")
    return local(moment, zone_of()).strftime(fmt) if zone_of else moment.astimezone().strftime(fmt)
