"""Security middleware: strict headers on every response, CSRF checks on every change.

CSRF uses a per-browser random token in a ``SameSite=Strict`` cookie that every form
repeats in a hidden field (and ``fetch`` in the ``X-CSRF-Token`` header); a state-changing
request whose token does not match, or whose Origin is another site, is refused with 403.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "sirelief_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MAX_BODY_BYTES = 1024 * 1024
"""Larger than any form, routine file or event batch sirelief sends."""

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])  # fmt: skip
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def csrf_token(request: Request) -> str:
    """The browser's token (set on its first page view by the middleware)."""
    return request.scope["sirelief.csrf"]


class SecurityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        cookie = request.cookies.get(CSRF_COOKIE, "")
        fresh = not (cookie and len(cookie) == 43)
        token = secrets.token_urlsafe(32) if fresh else cookie
        scope["sirelief.csrf"] = token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["cache-control"] = "no-store"
                if fresh:
                    headers.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict",
                    )
            await send(message)

        if request.method not in SAFE_METHODS:
            length = request.headers.get("content-length", "0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                response = PlainTextResponse(
                    "Refused: the request is larger than sirelief accepts (1 MB).",
                    status_code=413,
                )
                await response(scope, receive, send_with_headers)
                return
            problem = await _csrf_problem(request, scope, receive, cookie)
            if problem is not None:
                response = PlainTextResponse(problem, status_code=403)
                await response(scope, receive, send_with_headers)
                return
            receive = scope.pop("sirelief.receive", receive)
        await self.app(scope, receive, send_with_headers)


async def _csrf_problem(request: Request, scope: Scope, receive: Receive, cookie: str):
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            return "Refused: this request came from another site."
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        sent = await _form_token(request, scope, receive)
    if not cookie or not sent or not hmac.compare_digest(sent, cookie):
        return (
            "Refused: the form's security token is missing or out of date. "
            "Go back, reload the page and send it again."
        )
    return None


async def _form_token(request: Request, scope: Scope, receive: Receive) -> str | None:
    """Read the token from a form body, then hand the same body on to the app."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    body = await request.body()
    async with request.form() as form:
        value = form.get(CSRF_FIELD)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope["sirelief.receive"] = replay
    return value if isinstance(value, str) else None
