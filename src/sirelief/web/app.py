"""The web application factory: routes, templates, static files and security, no globals."""

import contextlib
import functools
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from sirelief import __version__
from sirelief.domain.insights import CLINICIAN
from sirelief.domain.monitoring import GREEN_LIMIT, PAIN_LIMIT
from sirelief.domain.vocabulary import label
from sirelief.personal_data import PersonalData
from sirelief.services import DatabaseError, Library
from sirelief.sessions import Sessions
from sirelief.settings import Settings
from sirelief.web import (
    figure_pages,
    insight_pages,
    library_pages,
    pages,
    safety_pages,
    session_pages,
)
from sirelief.web.hosts import TrustedHostMiddleware
from sirelief.web.secret import SecretError, server_secret
from sirelief.web.security import SecurityMiddleware, csrf_token
from sirelief.web.text import mmss

HERE = Path(__file__).parent
STATIC = HERE / "static"
GENERIC_DETAILS = {"Not Found", "Method Not Allowed"}
TITLES = {400: "Something is not right", 403: "Refused", 404: "Not found",
          405: "Not found", 413: "Too large"}  # fmt: skip
LONG_CACHE = "public, max-age=31536000, immutable"
GZIP_MIN_BYTES = 1000
"""Smaller bodies (the event API's answers) gain nothing from compression."""
GZIP_LEVEL = 3
"""On the 55 KB session page: 8.5 KB in 0.13 ms, where 6 (zlib's default) gives 7.7 KB in
0.6 ms and 9 gives 7.6 KB in 1 ms; every page view pays this CPU (bench/server.py)."""


@functools.lru_cache(maxsize=64)
def _digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def static_digest(name: str) -> str | None:
    """A short hash of a static file's content (recomputed when the file changes)."""
    path = STATIC / name
    try:
        return _digest(path, path.stat().st_mtime_ns)
    except OSError:
        return None


def static_url(name: str) -> str:
    """``/static/<name>?v=<content hash>``: a new URL whenever the file changes."""
    return f"/static/{name}?v={static_digest(name)}"


class Assets(StaticFiles):
    """A URL with the file's current hash is cached for a year (it names that content
    only); any other (the timer's module imports) is revalidated on each use."""

    def file_response(self, full_path, stat_result, scope, status_code=200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        version = Request(scope).query_params.get("v")
        fresh = version is not None and version == _digest(Path(full_path), stat_result.st_mtime_ns)
        response.headers["cache-control"] = LONG_CACHE if fresh else "no-cache"
        return response


class WebContext:
    """What every handler needs, built once per application."""

    def __init__(self, settings: Settings, clock=None) -> None:
        self.library = Library(settings)
        self.sessions = Sessions(self.library)
        self.data = PersonalData(self.library)
        self.clock = clock or (lambda: datetime.now(UTC))
        self._secret: bytes | None = None
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(
            version=__version__,
            label=label,
            clinician_advice=CLINICIAN,
            static=static_url,
            pain_limit=PAIN_LIMIT,
            green_limit=GREEN_LIMIT,
        )
        self.templates.filters["mmss"] = mmss
        self.templates.filters["label"] = label
        self.templates.filters["local"] = _local_time

    def page(
        self, request: Request, template: str, status_code: int = 200, **context
    ) -> HTMLResponse:
        html = self.templates.get_template(template).render(
            request=request, csrf=csrf_token(request), path=request.url.path, **context
        )
        return HTMLResponse(html, status_code=status_code)

    def refusal(self, request: Request, status_code: int, message: str) -> Response:
        """A calm error page, or ``{"error": ...}`` for the event API and JSON callers."""
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status_code)
        return self.page(
            request, "error.html", status_code=status_code,
            title=TITLES.get(status_code, "Something is not right"), message=message,
        )  # fmt: skip

    def secret(self) -> bytes:
        """The key that signs CSRF tokens, read (or created) on first use."""
        if self._secret is None:
            self._secret = server_secret(self.library.settings)
        return self._secret


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.endswith("/events")
        or request.headers.get("content-type", "").startswith("application/json")
        or "application/json" in request.headers.get("accept", "")
    )


def _local_time(moment: datetime, fmt: str = "%a %d %b, %H:%M") -> str:
    return moment.astimezone().strftime(fmt)


def create_app(settings: Settings | None = None, clock=None) -> Starlette:
    context = WebContext(settings or Settings(), clock)

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
        if _wants_json(request):
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
        *pages.routes(context),
        *session_pages.routes(context),
        *insight_pages.routes(context),
        *figure_pages.routes(context),
        *library_pages.routes(context),
        *safety_pages.routes(context),
        Mount("/static", Assets(directory=STATIC), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        context.library.checker.warm()  # the first upload should not pay for its start
        yield
        context.library.close()

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed=context.library.settings.host_names()),
            Middleware(GZipMiddleware, minimum_size=GZIP_MIN_BYTES, compresslevel=GZIP_LEVEL),
            Middleware(SecurityMiddleware, secret=context.secret, refuse=context.refusal),
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
