"""The web application factory: routes, templates, static files and security, no globals."""

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from sirelief import __version__
from sirelief.domain.insights import CLINICIAN
from sirelief.domain.vocabulary import label
from sirelief.personal_data import PersonalData
from sirelief.services import Library
from sirelief.sessions import Sessions
from sirelief.settings import Settings
from sirelief.web import figure_pages, insight_pages, library_pages, pages, session_pages
from sirelief.web.security import SecurityMiddleware, csrf_token
from sirelief.web.text import mmss

HERE = Path(__file__).parent
GENERIC_DETAILS = {"Not Found", "Method Not Allowed"}


class WebContext:
    """What every handler needs, built once per application."""

    def __init__(self, settings: Settings, clock=None) -> None:
        self.library = Library(settings)
        self.sessions = Sessions(self.library)
        self.data = PersonalData(self.library)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(version=__version__, label=label, clinician_advice=CLINICIAN)
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


def _local_time(moment: datetime, fmt: str = "%a %d %b, %H:%M") -> str:
    return moment.astimezone().strftime(fmt)


def create_app(settings: Settings | None = None, clock=None) -> Starlette:
    context = WebContext(settings or Settings(), clock)

    async def not_found(request: Request, exc: HTTPException) -> Response:
        return context.page(
            request, "error.html", status_code=exc.status_code,
            title="Not found" if exc.status_code == 404 else "Something is not right",
            message=exc.detail if exc.detail not in GENERIC_DETAILS else (
                "There is nothing at this address. Start from Today, the exercises or "
                "the routines above."
            ),
        )  # fmt: skip

    async def server_error(request: Request, exc: Exception) -> Response:
        return context.page(
            request, "error.html", status_code=500, title="Something went wrong",
            message="sirelief could not finish that. Nothing you recorded earlier is lost; "
            "go back and try again.",
        )  # fmt: skip

    routes = [
        *pages.routes(context),
        *session_pages.routes(context),
        *insight_pages.routes(context),
        *figure_pages.routes(context),
        *library_pages.routes(context),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        context.library.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityMiddleware)],
        exception_handlers={HTTPException: not_found, 500: server_error},
        lifespan=lifespan,
    )
    app.state.context = context
    return app
