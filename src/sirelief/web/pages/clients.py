"""A coach's and an admin's view of the clients they follow (clinic mode).

The first page a coach or admin sees is their list of clients; each client's page shows
their sessions as the client's own history does, read through the client's use cases
(the access guard bound them, after checking the coach follows this client).
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.web.context import actor_of, context_of
from sirelief.web.pages.templates import client_assignment


async def client_list(request: Request) -> Response:
    """The clients the signed-in coach (or admin) follows; a coach's open alerts on top,
    and the clients those alerts are about first."""
    context = context_of(request)
    actor = actor_of(request)
    if actor is None:  # personal mode has no clients; the guard keeps clients out
        raise HTTPException(404)
    alerts = context.services.alerts.open_for(actor)
    alerted = {alert.client_id: 0 for alert in alerts}
    for alert in alerts:
        alerted[alert.client_id] += 1
    clients = context.services.accounts.clients_of(actor)
    clients.sort(key=lambda client: client.id not in alerted)  # stable: names stay in order
    return context.page(
        request, "clients.html", clients=clients, role=actor.role.value, alerts=alerts,
        alerted=alerted,
        dismissed=request.query_params.get("dismissed") == "1",
    )  # fmt: skip


async def client(request: Request) -> Response:
    """One client's sessions, newest first, and the routine their coach assigned."""
    context = context_of(request)
    client_id = request.path_params["client_id"]
    (account,) = context.services.accounts.accounts_with_ids([client_id]) or (None,)
    actor = actor_of(request)
    if account is None or actor is None:
        raise HTTPException(404)
    entries = context.services.data.history(limit=200)
    return context.page(
        request, "history.html", entries=entries, client=account,
        assigned=request.query_params.get("assigned") is not None,
        noted=request.query_params.get("noted") is not None,
        **client_assignment(context, actor, client_id),
    )  # fmt: skip


ROUTES = [Route("/clients/{client_id}", client)]
