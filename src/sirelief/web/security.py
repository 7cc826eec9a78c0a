"""Security middleware: strict headers on every response, CSRF checks on every change.

CSRF uses a per-browser token signed with the server's secret (``web/secret.py``), kept in
a ``SameSite=Strict`` cookie that every form repeats in a hidden field (and ``fetch`` in
the ``X-CSRF-Token`` header). A state-changing request is refused with 403 when its token
is not one this server signed, does not match the cookie, or its Origin is another site or
``null``. ``Referrer-Policy: same-origin`` (not ``no-referrer``) keeps browsers sending a
real Origin on the app's own form posts: with ``no-referrer`` Chromium sends ``null``.

The body of a state-changing request is read here, counted as it streams (413 past
1 MB), and handed on to the app; a malformed form is a 400, never a server error.
"""

import hmac
from collections.abc import Callable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sirelief.web.request_body import BadRequest, read_body, read_form, replay
from sirelief.web.secret import new_token, token_valid

CSRF_COOKIE = "sirelief_csrf"
SECURE_CSRF_COOKIE = "__Host-sirelief_csrf"
"""Over HTTPS: Secure, and pinned to this host and path by the ``__Host-`` prefix."""
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])  # fmt: skip
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
RESOURCE_HEADERS = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
"""What a script, style sheet, image or JSON answer carries: the page policy, framing,
opener and feature rules act only on documents (and the worker), so a file loaded by a
page gets a policy that allows nothing, should it ever be opened as a document. Some
400 bytes less on each of the session page's 17 files (issue 19: its weight)."""
DOCUMENT_TYPES = ("text/html",)
WORKER_PATH = "/sw.js"
"""The service worker runs under its own response's policy, so it keeps the page's."""


def security_headers(path: str, content_type: str) -> dict[str, str]:
    """The headers a response of this path and type gets (unless it set them itself)."""
    if content_type.startswith(DOCUMENT_TYPES) or path == WORKER_PATH:
        return SECURITY_HEADERS
    return RESOURCE_HEADERS


OTHER_SITE = "Refused: this request came from another site."
BAD_TOKEN = (
    "Refused: the form's security token is missing or out of date. "
    "Go back, reload the page and send it again."
)

Refusal = Callable[[Request, int, str], Response]
"""Builds the calm page (or JSON error) for a refused request: request, status, message."""


def csrf_token(request: Request) -> str:
    """The browser's token (set on its first page view by the middleware)."""
    return request.scope["sirelief.csrf"]


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, secret: Callable[[], bytes], refuse: Refusal) -> None:
        self.app = app
        self.secret = secret
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        key = self.secret()
        https = request.url.scheme == "https"
        cookie_name = SECURE_CSRF_COOKIE if https else CSRF_COOKIE
        cookie = request.cookies.get(cookie_name, "")
        fresh = not token_valid(key, cookie)
        token = new_token(key) if fresh else cookie
        scope["sirelief.csrf"] = token

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                chosen = security_headers(scope["path"], headers.get("content-type", ""))
                for name, value in chosen.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["cache-control"] = "no-store"
                if fresh:
                    headers.append(
                        "set-cookie",
                        f"{cookie_name}={token}; Path=/; HttpOnly; SameSite=Strict"
                        + ("; Secure" if https else ""),
                    )
            await send(message)

        if request.method not in SAFE_METHODS:
            try:
                body = await read_body(receive)
                problem = _origin_problem(request)
                if problem is None:
                    sent = request.headers.get(CSRF_HEADER)
                    if sent is None:
                        sent = await _form_token(scope, replay(body, receive))
                    if not (cookie and sent and hmac.compare_digest(sent, cookie)):
                        problem = BAD_TOKEN
            except ClientDisconnect:
                return
            except BadRequest as error:
                response = self.refuse(request, error.status_code, error.detail)
                await response(scope, receive, send_with_headers)
                return
            if problem is not None or fresh:
                response = self.refuse(request, 403, problem or BAD_TOKEN)
                await response(scope, receive, send_with_headers)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send_with_headers)


def _origin_problem(request: Request) -> str | None:
    """Another site's Origin, an opaque ``null`` one, or a cross-site fetch is refused."""
    origin = request.headers.get("origin")
    if origin is not None:
        if origin == "null":
            return OTHER_SITE
        if urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
            return OTHER_SITE
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        return OTHER_SITE
    return None


async def _form_token(scope: Scope, receive: Receive) -> str | None:
    """The token in a form body (read from the buffered copy; the app reads it again)."""
    request = Request(scope, receive)
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return None
    form = await read_form(request, max_files=1)
    value = form.get(CSRF_FIELD)
    await form.close()
    return value if isinstance(value, str) else None
