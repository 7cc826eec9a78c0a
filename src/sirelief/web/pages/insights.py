"""The Insights page: what the stored sessions show, as accessible server-drawn charts.

Every chart comes with a sentence that says what it shows and a data table with the
same numbers, so nothing depends on seeing the picture. The numbers come from
``PersonalData.insights``; this module only lays them out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sirelief.domain.checkin_reader import whole_number
from sirelief.domain.effects import MIN_SESSIONS, TIGHTNESS_WORDS
from sirelief.domain.findings import NOT_INTERPRETED
from sirelief.domain.insights import Insights
from sirelief.domain.results import MEANINGFUL
from sirelief.domain.trends import PLATEAU_MIN_PER_WEEK, STREAK_WEEK_DAYS, Trend
from sirelief.domain.vocabulary import label
from sirelief.web.charts import bar_chart, interval_chart, line_chart
from sirelief.web.charts.inputs import Band, Bar, IntervalRow, Reference, Series
from sirelief.web.context import actor_of, context_of

WIDE, NARROW = 600, 340
"""View box widths of the two drawings of each chart (units)."""
WEEK_CHOICES = (4, 8, 12, 26, 52)
DEFAULT_WEEKS = 12
FINDINGS_SHOWN = 3
"""Records of a clinician's findings a summary page shows; their own page has them all."""
NONE = "\u2013"
"""An en dash: what a table shows for "no value"."""


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class Drawing:
    """One chart drawn twice: ``wide`` (600 units) and ``narrow`` for phones, where the
    wide one's text would be too small; the stylesheet shows one of them."""

    wide: str
    narrow: str


def drawn(chart_id: str, draw: Callable[[str, float], str]) -> Drawing:
    """Both drawings of a chart from one ``draw(chart_id, width)``; the narrow one's ids
    end in ``-narrow``, so the two can share the page."""
    return Drawing(draw(chart_id, WIDE), draw(f"{chart_id}-narrow", NARROW))


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str
    svg: Drawing
    table: Table
    notes: list[str] = field(default_factory=list)


def _week(day: date) -> str:
    return f"{day.day} {day:%b}"


def _cell_week(day: date) -> str:
    """A week in a table cell: a no-break space keeps "14 Sep" on one line."""
    return _week(day).replace(" ", "\u00a0")


def _num(value: float | None, digits: int = 1) -> str:
    return NONE if value is None else f"{value:.{digits}f}"


def _change_words(trend: Trend, lower_is_better: bool) -> str:
    """ "7.0 → 4.5 (-2.5: beyond measurement error, better)" for a summary sentence.

    A trend shows that something moved, not what moved it (SPEC 5.10); the page says so.
    """
    first, last, change = trend.first, trend.last, trend.change
    if first is None:
        return "no readings yet"
    if change is None:
        return f"{_num(first.mean)} (one week of readings so far)"
    verdict = "beyond measurement error" if trend.meaningful else "within measurement error"
    direction = ""
    if trend.meaningful:
        direction = ", better" if (change < 0) == lower_is_better else ", worse"
    return f"{_num(first.mean)} → {_num(last.mean)} ({change:+.1f}: {verdict}{direction})"


def effects_chart(insights: Insights) -> Chart:
    rows, table = [], []
    for effect in insights.effects:
        est = effect.estimate
        note = f"{TIGHTNESS_WORDS[effect.region]} tightness".capitalize()
        if effect.n < MIN_SESSIONS:
            note += f": {effect.n} of {MIN_SESSIONS} sessions so far"
        rows.append(IntervalRow(effect.work_name, est.mean, est.low, est.high, note))
        interval = "" if est.low is None else f" ({est.low:.1f}\u00a0to\u00a0{est.high:.1f})"
        table.append((
            effect.work_name, TIGHTNESS_WORDS[effect.region], str(est.n),
            f"{est.mean:+.1f}{interval}", effect.verdict_words,
            str(effect.randomised.n) if effect.randomised else "0",
        ))  # fmt: skip
    lows = [r.low for r in rows if r.low is not None] + [r.estimate for r in rows]
    highs = [r.high for r in rows if r.high is not None] + [r.estimate for r in rows]
    x_min = min([-4.0, *lows])
    x_max = max([4.0, *highs])
    helping = [e for e in insights.effects if e.verdict == "less_tight"]
    summary = (
        f"In {len(helping)} of {len(insights.effects)} comparisons the work shows a clear "
        "effect: the treated side loosened more than the side that waited."
        if insights.effects
        else "No session with a mid check yet: the kettlebell smash reset compares the "
        "treated side with the side still waiting."
    )
    svg = drawn("effects", lambda chart_id, width: interval_chart(
        chart_id, "Worked side against the side that waited",
        "Points more the treated side loosened than the untreated side, at the mid check, "
        "with 95% intervals. Right of zero means the work helped.",
        rows, "Points more loosening on the treated side", x_min, x_max, threshold=MEANINGFUL,
        threshold_label="±2 points: the change a person can feel", width=width,
    ))  # fmt: skip
    head = ("Work", "Tightness", "Sessions", "Difference (95% interval)", "Verdict",
            "Random first side")  # fmt: skip
    # clear effects are already said in "In short"; the rest are told here
    notes = [e.sentence() for e in insights.effects if not e.clear]
    return Chart("effects", "Treated side against the side that waited", summary, svg,
                 Table(head, table), notes)  # fmt: skip


def _week_one_band(trend: Trend) -> Band | None:
    """The 0-10 scale's measurement error around week one (pain and PSFS alike)."""
    first = trend.first
    if first is None:
        return None
    return Band(max(0.0, first.mean - trend.threshold), min(10.0, first.mean + trend.threshold),
                "±2 from week one: measurement error")  # fmt: skip


def pain_chart(insights: Insights, whose: str = "your") -> Chart:
    pain = insights.pain
    band = _week_one_band(pain)
    points = [(w.week, w.mean) for w in pain.weeks]
    svg = drawn("pain", lambda chart_id, width: line_chart(
        chart_id, "Pain before sessions, weekly average",
        f"Weekly average of the pain {'you' if whose == 'your' else 'they'} reported at "
        "check-in, 0 to 10.",
        [Series("Pain (0-10)", points, "circle")], 0, 10, "Pain 0-10", band=band, width=width,
    ))  # fmt: skip
    rows = [(_cell_week(w.week), _num(w.mean), str(w.n)) for w in pain.weeks]
    summary = f"Pain before sessions: {_change_words(pain, lower_is_better=True)}."
    return Chart(
        "pain", "Pain", summary, svg, Table(("Week of", "Average pain", "Check-ins"), rows)
    )


def psfs_chart(insights: Insights, whose: str = "your") -> Chart:
    """The weekly activities score (PSFS): higher is better, with its 2-point band."""
    psfs = insights.psfs
    band = _week_one_band(psfs)
    points = [(w.week, w.mean) for w in psfs.weeks]
    svg = drawn("psfs", lambda chart_id, width: line_chart(
        chart_id, "Activities score (PSFS), weekly",
        f"The average of {whose} activity ratings each week: 0 unable, 10 as able as before.",
        [Series("PSFS (0-10)", points, "circle")], 0, 10, "Score 0-10", band=band, width=width,
    ))  # fmt: skip
    rows = [(_cell_week(w.week), _num(w.mean), str(w.n)) for w in psfs.weeks if w.n]
    summary = f"Activities score: {_change_words(psfs, lower_is_better=False)}."
    return Chart("psfs", "Activities score (PSFS)", summary, svg,
                 Table(("Week of", "Score", "Ratings"), rows))  # fmt: skip


def _side_chart(
    chart_id: str, title: str, sides: dict, unit: str, lower_is_better: bool, whose: str = "your"
) -> Chart:
    left, right = sides["left"], sides["right"]
    threshold = left.threshold
    series = [
        Series("Left", list(left.changes()), "circle"),
        Series("Right", list(right.changes()), "square"),
    ]
    spread = max([threshold * 2, *(abs(v) for t in (left, right) for _, v in t.changes()
                                     if v is not None)])  # fmt: skip
    limit = float(int(spread) + 1)
    words = f"{threshold:g} {unit}" if unit in ("cm", "degrees") else f"{threshold:g} points"
    svg = drawn(chart_id, lambda chart_id, width: line_chart(
        chart_id, f"{title}: change since {whose} first week",
        f"Weekly average minus {whose} first week's, left and right. Inside the band (±{words}) "
        "a change is within measurement error.",
        series, -limit, limit, f"Change ({unit})",
        band=Band(-threshold, threshold, f"±{words}: measurement error"), width=width,
    ))  # fmt: skip
    rows = [
        (_cell_week(a.week), _num(a.mean), _num(b.mean))
        for a, b in zip(left.weeks, right.weeks, strict=True)
        if a.mean is not None or b.mean is not None
    ]
    summary = (
        f"Left: {_change_words(left, lower_is_better)}. "
        f"Right: {_change_words(right, lower_is_better)}."
    )
    head = ("Week of", f"Left ({unit})", f"Right ({unit})")
    return Chart(chart_id, title, summary, svg, Table(head, rows))


def tightness_charts(insights: Insights, whose: str = "your") -> list[Chart]:
    return [
        _side_chart(
            f"tightness-{region.replace('_', '-')}", f"{label(region).capitalize()} tightness",
            sides, "points", lower_is_better=True, whose=whose,
        )
        for region, sides in insights.tightness.items()
    ]  # fmt: skip


def knee_to_wall_chart(insights: Insights) -> Chart:
    # a longer distance means a freer ankle: here a rise is the improvement
    return _side_chart("knee-to-wall", "Knee-to-wall distance", insights.knee_to_wall,
                       "cm", lower_is_better=False)  # fmt: skip


def knee_to_wall_angle_chart(insights: Insights) -> Chart:
    # a larger shin angle means a freer ankle, as a longer distance does
    return _side_chart("knee-to-wall-angle", "Knee-to-wall shin angle",
                       insights.knee_to_wall_deg, "degrees", lower_is_better=False)  # fmt: skip


def effort_charts(insights: Insights) -> list[Chart]:
    effort = insights.adherence
    bars = [
        Bar(_week(w.week), float(w.sessions), emphasis=w.week == insights.weeks[-1])
        for w in effort.weeks
    ]
    sessions = drawn("sessions", lambda chart_id, width: bar_chart(
        chart_id, "Sessions per week",
        "How many sessions you started each week; the line marks two a week.",
        bars, "Sessions", target=Reference(STREAK_WEEK_DAYS, "2 a week"), width=width,
    ))  # fmt: skip
    streak = (
        f"{effort.sessions_per_week:.1f} sessions a week on average. Streak: "
        f"{effort.day_streak} day{'s' if effort.day_streak != 1 else ''} in a row "
        f"(longest {effort.longest_day_streak}); {effort.week_streak} "
        f"week{'s' if effort.week_streak != 1 else ''} in a row with sessions on "
        f"{STREAK_WEEK_DAYS} or more days."
    )
    rows = [(_cell_week(w.week), str(w.sessions), str(w.session_days), f"{w.minutes:.0f}")
            for w in effort.weeks]  # fmt: skip
    charts = [Chart("sessions", "Sessions per week", streak, sessions,
                    Table(("Week of", "Sessions", "Days", "Minutes"), rows))]  # fmt: skip
    if effort.regions:
        region_bars = [
            Bar(label(r.region).capitalize(), round(r.last_7_days, 1),
                emphasis=r.last_7_days >= PLATEAU_MIN_PER_WEEK)
            for r in effort.regions
        ]  # fmt: skip
        minutes = drawn("minutes", lambda chart_id, width: bar_chart(
            chart_id, "Stretching minutes per body region, last 7 days",
            "Minutes of stretching per side on each body region in the last seven days; the line "
            "marks 10 minutes, where stretching gains level off.",
            region_bars, "Minutes per side",
            target=Reference(PLATEAU_MIN_PER_WEEK, "10 min: gains level off"),
            orientation="horizontal", width=width,
        ))  # fmt: skip
        over = [label(r.region) for r in effort.regions if r.last_7_days >= PLATEAU_MIN_PER_WEEK]
        summary = (
            "Stretching gains level off near 10 minutes a week per muscle; more adds little. "
            + (
                f"Past that in the last 7 days: {', '.join(over)}."
                if over
                else "No region is past it."
            )
        )
        region_rows = [(label(r.region).capitalize(), f"{r.last_7_days:.1f}",
                        f"{r.weekly_mean:.1f}") for r in effort.regions]  # fmt: skip
        charts.append(Chart(
            "minutes", "Stretching minutes per body region", summary, minutes,
            Table(("Body region", "Last 7 days (min)", "Weekly average (min)"), region_rows),
        ))  # fmt: skip
    return charts


async def insights_page(request: Request) -> Response:
    context = context_of(request)
    raw = request.query_params.get("weeks", str(DEFAULT_WEEKS))
    error = None
    weeks = whole_number(raw, 1, max(WEEK_CHOICES))
    weeks = weeks if weeks in WEEK_CHOICES else None
    if weeks is None:
        error = f"Choose one of {', '.join(map(str, WEEK_CHOICES))} weeks; showing {DEFAULT_WEEKS}."
        weeks = DEFAULT_WEEKS
    insights = context.services.data.insights(weeks)
    return context.page(
        request, "insights.html", status_code=400 if error else 200,
        insights=insights, weeks=weeks, week_choices=WEEK_CHOICES, error=error,
        effects=effects_chart(insights), pain=pain_chart(insights),
        tightness=tightness_charts(insights),
        knee=knee_to_wall_chart(insights) if insights.has_knee_to_wall else None,
        knee_angle=(
            knee_to_wall_angle_chart(insights) if insights.has_knee_to_wall_deg else None
        ),
        effort=effort_charts(insights),
        psfs=psfs_chart(insights) if insights.has_psfs else None,
        **findings_section(context.services.findings.shown(actor_of(request)), "/findings",
                           "See them all, or record a clinician's findings"),
    )  # fmt: skip


def findings_section(findings: list, path: str, link: str) -> dict:
    """What the "Recorded findings" part of a page needs (issue 20 item 3)."""
    return {"findings": findings, "findings_path": path, "findings_link": link,
            "findings_shown": FINDINGS_SHOWN, "not_interpreted": NOT_INTERPRETED}  # fmt: skip


ROUTES = [Route("/insights", insights_page)]
