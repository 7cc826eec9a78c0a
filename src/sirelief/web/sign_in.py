"""Who is asking: in clinic mode every request needs a login, in personal mode none.

Clinic mode is the database having been set up (``sirelief setup``); it is read once per
application, at the first request (an app starts even when its database is broken). The
login is a cookie holding a random token the server keeps only as a hash; ``__Host-``
prefixed and ``Secure`` when the request came over HTTPS (after ``--proxy-headers``).
An admin or coach without TOTP is sent to set it up before anything else (ASVS 6.3.3).

This middleware sits inside the security one, so its redirects, 401s and 503s carry the
security headers and the CSRF cookie (the sign-in form needs it on the first visit).
"""

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from sirelief.services import DatabaseError
from sirelief.services.accounts import Accounts
from sirelief.web.context import ACTOR_KEY, CLINIC_MODE_KEY, wants_json

LOGIN_COOKIE = "sirelief_login"
SECURE_LOGIN_COOKIE = "__Host-sirelief_login"
SIGN_IN_PATH = "/sign-in"
SHELL_PATHS = ("/static/", "/manifest.webmanifest", "/icons/", "/sw.js", "/offline")
"""The app's own files (``web/pages/app_shell.py``): nobody's data, reached by anyone, even
an account still setting up two-step sign-in, and without the database."""
OPEN_PATHS = (SIGN_IN_PATH, "/join/", "/password-reset/", "/calendar/", "/shared/", *SHELL_PATHS)
"""Reached without a login: the sign-in page, the app's own files, the pages an
invitation link and a password-reset link open (``web/pages/invitations.py``,
``web/pages/password_reset.py``), a reminder calendar's secret address
(``web/pages/settings.py``) and a routine's share link (``web/pages/sharing.py``): in
each, the link's token is the credential."""
NOT_SIGNED_IN = "Sign in first: this sirelief serves a clinic and needs your account."
TWO_STEP_PATH = "/account/two-step"
ENROLLING_PATHS = frozenset({TWO_STEP_PATH, SIGN_IN_PATH, "/sign-out"})
"""All an admin or coach without TOTP may reach (and the static files) until they have it."""
TWO_STEP_FIRST = "Set up two-step sign-in first: your role needs it."

DatabaseFault = Callable[[Request, DatabaseError], Awaitable[Response]]


def login_cookie_name(request: Request) -> str:
    return SECURE_LOGIN_COOKIE if request.url.scheme == "https" else LOGIN_COOKIE


def login_token(request: Request) -> str | None:
    return request.cookies.get(login_cookie_name(request)) or None


def set_login_cookie(response: Response, request: Request, token: str) -> None:
    """HttpOnly, SameSite=Lax (a link from a message opens the app signed in), Path=/;
    Secure with the ``__Host-`` prefix over HTTPS. No Max-Age: the server ends logins."""
    https = request.url.scheme == "https"
    response.set_cookie(
        login_cookie_name(request), token, path="/", secure=https, httponly=True, samesite="lax"
    )


def clear_login_cookie(response: Response, request: Request) -> None:
    https = request.url.scheme == "https"
    response.delete_cookie(
        login_cookie_name(request), path="/", secure=https, httponly=True, samesite="lax"
    )


def in_clinic_mode(request: Request) -> bool:
    """Whether this installation needs accounts, as the middleware found it."""
    return request.scope.get(CLINIC_MODE_KEY, False)


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` when it is a path on this site, else ``default``: never another site.

    >>> local_path("/history?x=1"), local_path("//evil.example"), local_path("https://e.x/")
    ('/history?x=1', '/', '/')
    >>> local_path("/\\\\evil.example"), local_path("/ok\\n"), local_path(None)
    ('/', '/', '/')
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


class SignInMiddleware:
    """In clinic mode: the ``Actor`` of the login cookie in ``scope["sirelief.actor"]``;
    without one, a redirect to the sign-in page (401 for JSON callers)."""

    def __init__(
        self, app: ASGIApp, accounts: Callable[[], Accounts], database_fault: DatabaseFault
    ) -> None:
        self.app = app
        self.accounts = accounts
        self.database_fault = database_fault
        self.clinic_mode: bool | None = None
        """Unknown until a request has read it from the database."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        open_path = request.url.path.startswith(OPEN_PATHS)
        try:
            if self.clinic_mode is None:
                self.clinic_mode = self.accounts().clinic_mode()
            scope[CLINIC_MODE_KEY] = self.clinic_mode
            if not self.clinic_mode:
                await self.app(scope, receive, send)
                return
            token = login_token(request)
            actor = self.accounts().actor_for(token) if token else None
        except DatabaseError as error:
            if request.url.path.startswith(SHELL_PATHS):
                await self.app(scope, receive, send)
                return
            response = await self.database_fault(request, error)
            await response(scope, receive, send)
            return
        if actor is not None:
            scope[ACTOR_KEY] = actor
            if actor.must_enrol_totp and not (
                request.url.path in ENROLLING_PATHS or request.url.path.startswith(SHELL_PATHS)
            ):
                await _enrol_first(request)(scope, receive, send)
                return
        elif not open_path:
            await _refused(request)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refused(request: Request) -> Response:
    if wants_json(request):
        return JSONResponse({"error": NOT_SIGNED_IN}, status_code=401)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(local_path(here), safe='/')}", 303)


def _enrol_first(request: Request) -> Response:
    """An admin or coach without TOTP goes to its enrolment page, whatever they asked."""
    if wants_json(request):
        return JSONResponse({"error": TWO_STEP_FIRST}, status_code=403)
    return RedirectResponse(TWO_STEP_PATH, 303)
