"""Trusted hosts: answer only requests addressed to a name this server is known by.

A web page whose DNS name is rebound to 127.0.0.1 reaches the server with its own name in
``Host``; refusing unknown names keeps that page from reading or changing health data.
"""

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
REFUSED = (
    "Refused: sirelief does not answer to this address name. Open it as "
    "http://127.0.0.1 (or add the name to SIRELIEF_ALLOWED_HOSTS)."
)


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without the port and IPv6 brackets, lower-cased.

    >>> host_name("[::1]:8000"), host_name("LocalHost:80"), host_name("example.org")
    ('::1', 'localhost', 'example.org')
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    return name if port.isdigit() or not port else ""


class TrustedHostMiddleware:
    """Refuse (400, plain text) any request whose ``Host`` is not an allowed name."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {host_name(name) or name.strip("[]").lower() for name in allowed}
        self.allowed.update(LOOPBACK_NAMES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers", ()))
            raw = headers.get(b"host", b"").decode("latin-1")
            if host_name(raw) not in self.allowed:
                response = PlainTextResponse(REFUSED, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
