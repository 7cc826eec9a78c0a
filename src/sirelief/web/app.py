"""The web application factory: routes, templates, static files and security, no globals."""

import contextlib
import gc
import sys

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount

from sirelief.services import Clock, DatabaseError, system_clock
from sirelief.settings import Settings
from sirelief.web import reminder_loop
from sirelief.web.access_guard import guard_routes
from sirelief.web.assets import STATIC, Assets
from sirelief.web.context import WebContext, wants_json
from sirelief.web.hosts import TrustedHostMiddleware
from sirelief.web.pages import (
    account,
    alerts,
    app_shell,
    audit,
    builder,
    clients,
    figures,
    findings,
    flag_records,
    insights,
    invitations,
    library,
    my_account,
    my_data,
    password_reset,
    psfs,
    safety,
    session_notes,
    sessions,
    sharing,
    sheets,
    templates,
    today,
    tour,
    what_helps,
)
from sirelief.web.pages import push as push_pages
from sirelief.web.pages import settings as settings_pages
from sirelief.web.secret import SecretError
from sirelief.web.security import SecurityMiddleware
from sirelief.web.sign_in import SignInMiddleware

GENERIC_DETAILS = {"Not Found", "Method Not Allowed"}
GZIP_MIN_BYTES = 1000
"""Smaller bodies (the event API's answers) gain nothing from compression."""
GZIP_LEVEL = 3
"""On the 55 KB session page: 8.5 KB in 0.13 ms, where 6 (zlib's default) gives 7.7 KB in
0.6 ms and 9 gives 7.6 KB in 1 ms; every page view pays this CPU (bench/server.py)."""


SWITCH_INTERVAL_S = 0.0001
"""How long a thread may hold Python's interpreter lock while another waits for it, in a
server's process (``create_app``; Python's default: 5 ms)."""


def served_app(settings: Settings | None = None) -> Starlette:
    """The app of a ``sirelief serve`` process (each worker of ``--workers N`` calls this
    with no arguments, its settings passed on in its environment; a single process hands
    its own): ``create_app`` tuned for a process of its own."""
    return create_app(settings, own_process=True)


def create_app(
    settings: Settings | None = None, clock: Clock | None = None, *, own_process: bool = False
) -> Starlette:
    """The web app. ``own_process``: the app is the process's only work (a server's, not a
    test suite's, which makes hundreds of apps), and once started it tunes the process:
    - What it built so far (the libraries, the catalogue, the templates: some hundred
      thousand objects that live as long as it does) is moved out of the cycle collector's
      sight. Its full collections walked them every time, a pause of about 100 ms every
      few heavy requests (a coach's list of 200 clients, issue 21).
    - Python's interpreter lock switches threads every 0.1 ms instead of 5. Heavy pages
      are read in a worker thread (``WebContext.read_aside``); each database round trip
      lets the lock go, and taking it back could wait 5 ms behind the event loop's thread:
      a coach's dashboards were served at 61 a second instead of 104 (issue 21).
    """
    context = WebContext(settings or Settings(), clock or system_clock)

    async def not_found(request: Request, exc: HTTPException) -> Response:
        return context.refusal(
            request, exc.status_code,
            exc.detail if exc.detail not in GENERIC_DETAILS else (
                "There is nothing at this address. Start from Today, the exercises or "
                "the routines above."
            ),
        )  # fmt: skip

    async def server_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, SecretError):
            message = f"sirelief cannot keep its security key: {exc}."
        else:
            message = ("sirelief could not finish that. Nothing you recorded earlier is lost; "
                       "go back and try again.")  # fmt: skip
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=500)
        request.scope.setdefault("sirelief.csrf", "")
        return context.page(
            request, "error.html", status_code=500, title="Something went wrong",
            message=message,
        )  # fmt: skip

    async def database_fault(request: Request, exc: DatabaseError) -> Response:
        """The data cannot be opened or saved: say why and what to do (503: try later)."""
        if request.url.path.endswith("/events") or "json" in request.headers.get("accept", ""):
            return JSONResponse({"error": str(exc)}, status_code=503)
        return context.page(
            request, "error.html", status_code=503, title=exc.title, message=str(exc)
        )

    routes = [
        *today.ROUTES,
        *tour.ROUTES,
        *sessions.ROUTES,
        *session_notes.ROUTES,
        *insights.ROUTES,
        *psfs.ROUTES,
        *figures.ROUTES,
        *builder.ROUTES,  # before /routines/{routine_id} and /templates/{template_id}
        *sharing.ROUTES,
        *library.ROUTES,
        *safety.ROUTES,
        *flag_records.ROUTES,
        *findings.ROUTES,
        *account.ROUTES,
        *audit.ROUTES,
        *my_data.ROUTES,
        *clients.ROUTES,
        *templates.ROUTES,
        *sheets.ROUTES,
        *alerts.ROUTES,
        *what_helps.ROUTES,
        *my_account.ROUTES,
        *invitations.ROUTES,
        *password_reset.ROUTES,
        *settings_pages.ROUTES,
        *push_pages.ROUTES,
        *app_shell.ROUTES,
        Mount("/static", Assets(directory=STATIC), name="static"),
    ]

    routes = guard_routes(routes, lambda: context.services)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        context.services.checker.warm()  # the first upload should not pay for its start
        if own_process:
            gc.freeze()
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        async with contextlib.AsyncExitStack() as stack:
            if context.settings.send_reminders:
                sender = context.services.reminder_sender
                await stack.enter_async_context(reminder_loop.running(sender.send_due))
            yield
        context.services.close()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed=context.settings.host_names()),
            Middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL),
            Middleware(SecurityMiddleware, secret=context.secret, refuse=context.refusal),
            Middleware(
                SignInMiddleware,
                accounts=lambda: context.services.accounts,
                database_fault=database_fault,
            ),
        ],
        exception_handlers={
            HTTPException: not_found,
            DatabaseError: database_fault,
            500: server_error,
        },
        lifespan=lifespan,
    )
    app.state.context = context
    return app
