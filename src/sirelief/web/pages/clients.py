"""A coach's and an admin's view of the clients they follow (clinic mode, issue 18 item 3).

The first page a coach or admin sees is their list of clients, sorted by who needs a look
(``domain.follow_up.SORT_WORDS``) with the coach's open alerts on top. Each client's page
is their dashboard, read through the client's own use cases (the access guard bound them,
after checking the reader follows this client): the same charts and honest words as the
client's own Insights page, about them.

Both pages are read aside, in a worker thread (``WebContext.read_aside``): a list of 200
clients or a dashboard read afresh takes tens of milliseconds, and on the event loop it
would hold up every session page and event the same process is serving meanwhile.
"""

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.domain.alerts import LEVEL_WORDS
from sirelief.domain.checkin_reader import whole_number
from sirelief.domain.follow_up import ADHERENCE_DAYS, RECENT_DAYS, SORT_WORDS
from sirelief.domain.insights import Insights
from sirelief.domain.precautions import BY_ID
from sirelief.services.coaching import NotFoundError
from sirelief.services.follow_up import NOTES_SHOWN, ClientLine
from sirelief.web.context import WebContext, actor_of, context_of
from sirelief.web.pages.insights import (
    DEFAULT_WEEKS,
    WEEK_CHOICES,
    findings_section,
    pain_chart,
    psfs_chart,
    tightness_charts,
)
from sirelief.web.pages.templates import client_assignment

KEPT_CHARTS = 64
"""Dashboards whose charts a server process keeps drawn (some 40 KB each)."""
KEPT_LINES = 4096
"""Lines of clients' lists a server process keeps drawn (about 1 KB each)."""


async def client_list(request: Request) -> Response:
    """The clients the signed-in coach (or admin) follows, who needs a look first; a
    coach's open alerts on top."""
    return await context_of(request).read_aside(_client_list, request)


async def client(request: Request) -> Response:
    """One client's dashboard: how often, how it goes, what the work does, what to watch."""
    return await context_of(request).read_aside(_client, request)


def _client_list(request: Request) -> Response:
    context = context_of(request)
    actor = actor_of(request)
    if actor is None:  # personal mode has no clients; the guard keeps clients out
        raise HTTPException(404)
    lines, alerts = context.services.client_list.read(actor)
    return context.page(
        request, "clients.html", lines=lines, role=actor.role.value, alerts=alerts,
        drawn_lines=drawn_lines(context, lines, actor.role.value),
        sort_words=SORT_WORDS, recent_days=RECENT_DAYS, adherence_weeks=ADHERENCE_DAYS // 7,
        dismissed=request.query_params.get("dismissed") == "1",
    )  # fmt: skip


def _client(request: Request) -> Response:
    context = context_of(request)
    client_id = request.path_params["client_id"]
    (account,) = context.services.accounts.accounts_with_ids([client_id]) or (None,)
    actor = actor_of(request)
    if account is None or actor is None:
        raise HTTPException(404)
    weeks = whole_number(request.query_params.get("weeks", ""), 1, max(WEEK_CHOICES))
    weeks = weeks if weeks in WEEK_CHOICES else DEFAULT_WEEKS
    try:
        board = context.services.client_dashboard.read(actor, client_id, weeks)
    except NotFoundError:
        raise HTTPException(404) from None
    return context.page(
        request, "client.html", zone=board.zone, board=board, client=account,
        entries=board.recent, weeks=weeks,
        week_choices=WEEK_CHOICES, adherence_weeks=ADHERENCE_DAYS // 7, notes_shown=NOTES_SHOWN,
        **dashboard_charts(context, board.insights),
        precautions=[BY_ID[i] for i in (board.precautions.ids if board.precautions else ())
                     if i in BY_ID],
        level_words=LEVEL_WORDS, rules=context.services.safety_rules,
        assigned=request.query_params.get("assigned") is not None,
        noted=request.query_params.get("noted") is not None,
        **client_assignment(context, actor, client_id, board),
        **findings_section(
            context.services.findings.shown(actor), f"/clients/{client_id}/findings",
            "See them all, or record findings" if actor.role is Role.COACH else "See them all",
        ),
    )  # fmt: skip


def drawn_lines(context: WebContext, lines: list[ClientLine], role: str) -> Markup:
    """The list's lines, each drawn once while it is the same: a line is drawn from its
    ``ClientLine`` (a frozen value) and the reader's role alone, so a coach's list shown
    again draws only the clients whose line changed (200 lines took some 5 ms of CPU)."""
    kept = context.drawn_client_lines
    drawn = []
    for line in lines:
        key = (role, line)
        found = kept.get(key)
        if found is None:
            found = Markup(context.templates.get_template("client_line.html").render(
                line=line, role=role, adherence_weeks=ADHERENCE_DAYS // 7,
                recent_days=RECENT_DAYS,
            ))  # fmt: skip
            context.keep_drawn(kept, key, found, KEPT_LINES)
        drawn.append(found)
    return Markup("\n").join(drawn)


def dashboard_charts(context: WebContext, insights: Insights) -> dict:
    """The dashboard's charts (pain, tightness, PSFS), drawn once a digest: while a
    client's sessions are unchanged their dashboard hands back the same ``Insights``
    (``ClientDashboard``), and the charts are drawn from it alone. The insights are kept
    with their charts, so the id a chart set is filed under cannot be another's."""
    kept = context.drawn_charts
    found = kept.get(id(insights))
    if found is not None and found[0] is insights:
        return found[1]
    charts = {
        "pain": pain_chart(insights, whose="their"),
        "tightness": tightness_charts(insights, whose="their"),
        "psfs": psfs_chart(insights, whose="their") if insights.has_psfs else None,
    }
    context.keep_drawn(kept, id(insights), (insights, charts), KEPT_CHARTS)
    return charts


ROUTES = [Route("/clients/{client_id}", client)]
