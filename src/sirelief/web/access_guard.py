"""Applies the access table to every request of a clinic installation (issue 17, item 4).

``guard_routes`` wraps each route's endpoint at start-up, and fails when a route has no
entry in ``ACCESS_TABLE`` (closed by default). For each request the guard finds the
object the request is about (from the path parameter the entry names, or the actor's own
data), asks ``domain.access.decide``, and answers:

- 404, exactly as for an id that does not exist, when the actor may not know the object
  exists (another clinic's, or a client they do not follow);
- 403 when they may see it but their role may not use the route;
- otherwise it notes in the request whose data this is (the profile ``context_of`` binds
  the use cases to) and calls the page.

In personal mode it passes every request through untouched.
"""

import copy
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from sirelief.domain.access import Actor, Decision, Target, decide
from sirelief.domain.audit import CHANGED, READ
from sirelief.services import Services
from sirelief.services.accounts import Accounts
from sirelief.web.access_table import ACCESS_TABLE, RouteAccess
from sirelief.web.context import ACTOR_KEY, CLINIC_MODE_KEY, PROFILE_KEY
from sirelief.web.request_body import valid_id

OPEN_MOUNTS = ("/static",)
"""Mounted file trees anyone may read (the sign-in page is drawn with them)."""
REFUSED_ROLE = "Your account cannot use this page."
MAX_OBJECT = 200
"""The audit line names the object by its address, cut to fit its column."""

Owner = Callable[[Accounts, str], Target | None]
OWNERS: dict[str, Owner] = {
    "session_id": Accounts.owner_of_session,
    "client_id": Accounts.owner_of_client,
    "account_id": Accounts.owner_of_client,
    "login_id": Accounts.owner_of_login,
    "invitation_id": Accounts.owner_of_invitation,
    "template_id": Accounts.owner_of_template,
}
"""How each object-naming path parameter is traced to its clinic and client."""


class MissingAccessRuleError(RuntimeError):
    """A route nobody has decided access for: the app does not start."""


def guard_routes(routes: list[BaseRoute], services: Callable[[], Services]) -> list[BaseRoute]:
    """Each route behind its access entries, as a copy (the page modules' routes are
    shared by every app made); refuses a route without an entry."""
    missing = []
    guarded: list[BaseRoute] = []
    for route in routes:
        if isinstance(route, Mount):
            if route.path not in OPEN_MOUNTS:
                missing.append(f"{route.path} (mount)")
            guarded.append(route)
            continue
        if not isinstance(route, Route):
            missing.append(repr(route))
            continue
        route = copy.copy(route)
        methods = sorted((route.methods or {"GET"}) - {"HEAD"})
        entries = {}
        for method in methods:
            entry = ACCESS_TABLE.get((method, route.path))
            if entry is None:
                missing.append(f"{method} {route.path}")
            elif entry.names_object and entry.names_object not in OWNERS:
                missing.append(f"{method} {route.path} (no owner for {entry.names_object})")
            entries[method] = entry
        route.app = AccessGuard(route.app, entries, services)
        guarded.append(route)
    if missing:
        raise MissingAccessRuleError(
            "these routes have no entry in web/access_table.py: " + ", ".join(missing)
        )
    return guarded


class AccessGuard:
    """One route's endpoint behind its access entries."""

    def __init__(
        self, app: ASGIApp, entries: dict[str, RouteAccess], services: Callable[[], Services]
    ) -> None:
        self.app = app
        self.entries = entries
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get(CLINIC_MODE_KEY):
            method = "GET" if scope["method"] == "HEAD" else scope["method"]
            entry = self.entries.get(method)
            if entry is not None and entry.rule is not None:
                scope[PROFILE_KEY] = self._profile(scope, entry, method)
        await self.app(scope, receive, send)

    def _profile(self, scope: Scope, entry: RouteAccess, method: str) -> str | None:
        """Whose data the request is about, once the actor may touch it; else raises.
        A coach's or admin's look at a client's data goes in the audit log."""
        actor: Actor | None = scope.get(ACTOR_KEY)
        if actor is None:  # the sign-in middleware sends these away first
            raise HTTPException(401, "Sign in first.")
        target = self._target(scope, entry, actor)
        if target is None:
            raise HTTPException(404)
        decision = decide(actor, entry.rule, target)
        if decision is Decision.NOT_FOUND:
            raise HTTPException(404)
        if decision is Decision.FORBIDDEN:
            raise HTTPException(403, REFUSED_ROLE)
        if target.owner_id is None or target.owner_id == actor.user_id:
            return actor.profile_id
        services = self.services()
        client = scope.get("client")
        services.audit.record_access(
            actor, target.owner_id, READ if method == "GET" else CHANGED,
            scope["path"].lstrip("/")[:MAX_OBJECT], client[0] if client else None,
        )  # fmt: skip
        return services.accounts.profile_of(target.owner_id)

    def _target(self, scope: Scope, entry: RouteAccess, actor: Actor) -> Target | None:
        if entry.names_object is None:
            return Target(actor.clinic_id, actor.user_id)
        value = scope["path_params"].get(entry.names_object)
        if not valid_id(value):
            return None
        return OWNERS[entry.names_object](self.services().accounts, value)
