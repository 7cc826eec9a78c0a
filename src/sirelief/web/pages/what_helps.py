"""What helps across a coach's clients (issue 18, item 8): each block's untreated-side
effect pooled over the clients who did it, drawn as a forest of pooled intervals, with
each client's own average listed under it for the coach who follows them."""

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.domain.access import Role
from sirelief.domain.checkin_reader import whole_number
from sirelief.domain.clinic_effects import MIN_CLIENTS, CrossClientEffect
from sirelief.domain.effects import TIGHTNESS_WORDS
from sirelief.domain.results import MEANINGFUL
from sirelief.services.clinic_effects import DEFAULT_WEEKS, WEEK_CHOICES, CoachEffects
from sirelief.web.charts import interval_chart
from sirelief.web.charts.inputs import IntervalRow
from sirelief.web.context import actor_of, context_of
from sirelief.web.pages.insights import Chart, Table, drawn


def _label(effect: CrossClientEffect) -> str:
    return f"{effect.work_name}, {TIGHTNESS_WORDS[effect.region]}"


def pooled_chart(effects: list[CrossClientEffect]) -> Chart:
    """One row per block and region: the pooled mean over clients and its interval."""
    rows, table = [], []
    for effect in effects:
        pooled = effect.pooled
        clients = len(effect.clients)
        note = f"{clients} client{'s' if clients != 1 else ''}"
        if pooled is None:
            note += f", {MIN_CLIENTS} needed"
            mean = sum(c.mean for c in effect.clients) / clients
            rows.append(IntervalRow(_label(effect), mean, None, None, note))
            table.append((_label(effect), str(clients), str(effect.sessions), "\u2013",
                          "\u2013", effect.verdict_words))  # fmt: skip
            continue
        rows.append(IntervalRow(_label(effect), pooled.mean, pooled.low, pooled.high, note))
        spread = (
            "\u2013"
            if pooled.predicted_low is None
            else f"{pooled.tau:.1f} ({pooled.predicted_low:.1f}\u00a0to\u00a0"
            f"{pooled.predicted_high:.1f})"
        )
        table.append((
            _label(effect), str(clients), str(effect.sessions),
            f"{pooled.mean:+.1f} ({pooled.low:.1f}\u00a0to\u00a0{pooled.high:.1f})",
            spread, effect.verdict_words,
        ))  # fmt: skip
    lows = [r.low for r in rows if r.low is not None] + [r.estimate for r in rows]
    highs = [r.high for r in rows if r.high is not None] + [r.estimate for r in rows]
    clear = [e for e in effects if e.verdict == "less_tight"]
    summary = (
        f"In {len(clear)} of {len(effects)} comparisons the clients who did the work felt "
        "their worked side loosen more than the side that waited, clearly enough to show "
        "across clients."
    )
    svg = drawn("across-clients", lambda chart_id, width: interval_chart(
        chart_id, "Worked side against the side that waited, across your clients",
        "For each block and region, the average over clients of how many points more the "
        "worked side loosened than the side that waited, with 95% intervals.",
        rows, "Points more loosening on the worked side", min([-4.0, *lows]),
        max([4.0, *highs]), threshold=MEANINGFUL,
        threshold_label="±2 points: the change a person can feel", width=width,
    ))  # fmt: skip
    head = ("Work and tightness", "Clients", "Sessions", "Difference (95% interval)",
            "Spread between clients (a further client)", "Verdict")  # fmt: skip
    return Chart("across-clients", "Across your clients", summary, svg, Table(head, table))


@dataclass(frozen=True)
class ClientRow:
    client_id: str
    name: str
    sessions: int
    mean: str


@dataclass(frozen=True)
class BlockView:
    title: str
    verdict: str
    sentence: str
    clients: list[ClientRow]


def block_views(found: CoachEffects) -> list[BlockView]:
    """Each pooled effect in words, with the clients it is made of (the coach follows
    each of them: nobody else sees this page)."""
    views = []
    for effect in found.effects:
        rows = [
            ClientRow(
                c.client_id, found.clients[c.client_id].display_name, c.sessions, f"{c.mean:+.1f}"
            )
            for c in sorted(effect.clients, key=lambda c: -c.mean)
        ]
        title = f"{effect.work_name}: {TIGHTNESS_WORDS[effect.region]} tightness"
        views.append(BlockView(title, effect.verdict_words, effect.sentence(), rows))
    return views


async def what_helps(request: Request) -> Response:
    context = context_of(request)
    actor = actor_of(request)
    if actor is None or actor.role is not Role.COACH:
        raise HTTPException(404)
    raw = request.query_params.get("weeks", str(DEFAULT_WEEKS))
    weeks = whole_number(raw, 1, max(WEEK_CHOICES))
    error = None
    if weeks not in WEEK_CHOICES:
        error = f"Choose one of {', '.join(map(str, WEEK_CHOICES))} weeks; showing {DEFAULT_WEEKS}."
        weeks = DEFAULT_WEEKS
    found = context.services.clinic_effects.for_coach(actor, weeks)
    return context.page(
        request, "what_helps.html", status_code=400 if error else 200, error=error,
        weeks=weeks, week_choices=WEEK_CHOICES, found=found, min_clients=MIN_CLIENTS,
        chart=pooled_chart(found.effects) if found.effects else None,
        blocks=block_views(found),
    )  # fmt: skip


ROUTES = [Route("/what-helps", what_helps)]
