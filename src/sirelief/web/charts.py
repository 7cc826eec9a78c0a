"""Charts drawn on the server as inline SVG: trends, weekly bars and a forest plot.

No chart JavaScript, and nothing the Content-Security-Policy (``style-src 'self'``) would
block: no ``style`` attribute, no ``<style>`` element. Geometry (sizes, dashes, font
sizes) lives in the markup so a chart keeps its shape; every colour comes from a class
that ``static/charts.css`` maps onto the site's light/dark variables. Each chart is a
``role="img"`` named by its ``<title>`` and ``<desc>``; the page beside it carries the
text summary and the data table.

Series are told apart by more than colour: line dash and marker shape differ, and a key
names them. The view box is 600 units wide and text 18-21 units, so labels stay about
11 px on a phone where the chart is 320-340 px wide; on wide screens the stylesheet
draws the chart larger and the text smaller, which only adds room.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from sirelief.web.chart_axes import (
    PAD,
    SERIES_CLASSES,
    SERIES_DASHES,
    TEXT_SIZE,
    TICK_SIZE,
    WIDTH,
    X_AXIS_HEIGHT,
    Key,
    Marker,
    Scale,
    alone,
    centred,
    check_chart_id,
    check_range,
    clamp,
    dashed,
    date_ticks,
    day_label,
    document,
    finite,
    fit,
    is_cut,
    label_room,
    legend,
    line,
    marker,
    nice_domain,
    num,
    points,
    rect,
    spaced_ticks,
    stretches,
    tag,
    text,
    text_width,
    value_ticks,
    wrap,
    x_axis,
    y_axis,
)

Orientation = Literal["auto", "vertical", "horizontal"]
NOTE_SIZE = 18
LINE = 24.0
"""Line height of two-line labels."""
NOTE_LINE = 21.0
NO_DATA = "No data yet"


@dataclass(frozen=True)
class Series:
    """One line: ``points`` are (day, value) in the chart's y unit; None leaves a gap."""

    name: str
    points: Sequence[tuple[date, float | None]]
    marker: Marker = "circle"

    def __post_init__(self) -> None:
        if self.marker not in ("circle", "square"):
            raise ValueError(f"marker must be 'circle' or 'square', got {self.marker!r}")


@dataclass(frozen=True)
class Band:
    """A shaded horizontal band from ``low`` to ``high`` (y units), e.g. the first week's
    value +-2 points: changes inside it are within measurement error."""

    low: float
    high: float
    label: str


@dataclass(frozen=True)
class Reference:
    """A dashed line at ``value`` (the value axis's unit), named in the chart's key."""

    value: float
    label: str


@dataclass(frozen=True)
class Bar:
    """One bar: ``value`` in the chart's unit; ``emphasis`` picks it out (say this week)."""

    label: str
    value: float
    emphasis: bool = False


@dataclass(frozen=True)
class IntervalRow:
    """One estimate with its interval (None when there are too few data to give one)."""

    label: str
    estimate: float
    low: float | None
    high: float | None
    note: str = ""


def _reference_keys(references: Sequence[Reference]) -> list[Key]:
    return [Key("reference", r.label) for r in references if math.isfinite(r.value)]


def _empty(chart_id: str, title: str, description: str, keys: Sequence[Key]) -> str:
    """The chart's frame saying there is nothing to draw yet."""
    body, top = legend(keys)
    top += 8
    frame = rect(
        PAD, top, WIDTH - 2 * PAD, 150, "chart-empty", rx=10, fill="none", stroke_dasharray="6 6"
    )
    body += [frame, text(WIDTH / 2, top + 82, NO_DATA, "chart-note", 20, "middle")]
    return document(chart_id, title, description, WIDTH, top + 150 + PAD, body)


# --- line chart ----------------------------------------------------------------------------
def line_chart(
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    y_label: str,
    band: Band | None = None,
    reference_lines: Sequence[Reference] = (),
) -> str:
    """Values over days, one line per series, on a fixed y range [y_min, y_max] so a
    0-10 scale always reads as 0-10. Values outside it are drawn at its edge.

    >>> svg = line_chart("pain", "Pain", "Pain by week", [Series("Pain",
    ...     [(date(2025, 11, 3), 4), (date(2025, 11, 10), None), (date(2025, 11, 17), 3)])],
    ...     0, 10, "Pain (0-10)")
    >>> svg.startswith("<svg") and 'aria-labelledby="pain-title pain-desc"' in svg
    True
    """
    check_chart_id(chart_id)
    check_range(y_min, y_max, "y range")
    keys = [Key("series", s.name, i, s.marker) for i, s in enumerate(series)]
    keys += [Key("band", band.label)] if band is not None else []
    refs = [r for r in reference_lines if math.isfinite(r.value) and y_min <= r.value <= y_max]
    keys += _reference_keys(refs) if len(refs) < 2 else []  # several: named on the lines
    lines = [sorted(((d, finite(v)) for d, v in s.points), key=lambda p: p[0]) for s in series]
    if not any(v is not None for run in lines for _, v in run):
        return _empty(chart_id, title, description, keys)

    body, used = legend(keys)
    label_y = used + 28
    top, plot_h = label_y + 24, 190.0
    bottom = top + plot_h
    integer = y_min == int(y_min) and y_max == int(y_max) and 4 <= y_max - y_min <= 20
    ticks = value_ticks(y_min, y_max, int(plot_h / 34) + 1, integer)
    left, right = PAD + label_room(ticks), WIDTH - PAD
    y = Scale(y_min, y_max, bottom, top)
    days = [d for run in lines for d, _ in run]
    first, last = min(days), max(days)
    one_day = first == last
    if one_day:
        first, last = first - timedelta(days=3), last + timedelta(days=3)
    x_days = Scale(0, (last - first).days, left + 14, right - 14)

    def x(day: date) -> float:
        return x_days((day - first).days)

    marks_at = date_ticks(first, last, x, TICK_SIZE, WIDTH)
    if one_day:
        marks_at = [(days[0], day_label(days[0]))]

    grid = []
    if band is not None:
        high, low = y(max(band.low, band.high)), y(min(band.low, band.high))
        if low - high >= 0.5:
            grid.append(rect(left, high, right - left, low - high, "chart-band"))
    grid += y_axis(y, ticks, left, right)
    grid.append(line(left, bottom, right, bottom, "chart-axis", stroke_width=1.5))
    for day, label in marks_at:
        grid.append(line(x(day), bottom, x(day), bottom + 6, "chart-axis", stroke_width=1.5))
        at = centred(x(day), label, WIDTH)
        grid.append(text(at, bottom + 14 + TICK_SIZE, label, "chart-tick", TICK_SIZE, "middle"))
    grid += [dashed(left, y(r.value), right, y(r.value)) for r in refs]
    grid.append(text(PAD, label_y, fit(y_label, WIDTH - 2 * PAD), "chart-label"))

    count = max(len(run) for run in lines)
    every = math.ceil(count / 16)  # dense lines: a marker on every nth point, not beads
    r = clamp((right - left) / math.ceil(count / every) * 0.3, 4.0, 7.0)
    drawn, marks, taken = [], [], []
    for i, (s, run) in enumerate(zip(series, lines, strict=True)):
        n = i % len(SERIES_CLASSES)
        polylines = [
            tag(
                "polyline",
                points=points([(x(d), y(v)) for d, v in stretch]),
                class_="chart-line",
                fill="none",
                stroke_width=3,
                stroke_dasharray=SERIES_DASHES[n],
            )
            for stretch in stretches(run)
            if len(stretch) > 1
        ]
        drawn.append(tag("g", "".join(polylines), class_=SERIES_CLASSES[n]))
        mine, parts = [], []
        for k, (d, v) in enumerate(run):
            if v is not None and (k % every == 0 or alone(run, k)):
                at = (x(d), y(v))
                size = r * 0.6 if any(_near(at, other, r) for other in taken) else r
                parts.append(marker(*at, s.marker, size, f"{s.name}, {day_label(d)}: {num(v)}"))
                mine.append(at)
        taken += mine
        marks.append(tag("g", "".join(parts), class_=SERIES_CLASSES[n]))
    height = bottom + 14 + TICK_SIZE + PAD + 6
    named = _reference_labels(refs, y, left, right) if len(refs) > 1 else []
    return document(
        chart_id, title, description, WIDTH, height, grid + body + drawn + marks + named
    )


def _reference_labels(refs: Sequence[Reference], y: Scale, left: float, right: float) -> list[str]:
    """With several reference lines a key cannot say which is which: name each at its
    right end, above the line, or below it when the label above would touch another."""
    out, last = [], -math.inf
    for ref in sorted(refs, key=lambda r: y(r.value)):
        at = y(ref.value) - 7
        if at - last < NOTE_SIZE + 2:
            at = y(ref.value) + NOTE_SIZE + 3
        label = fit(ref.label, (right - left) / 2, NOTE_SIZE)
        out.append(text(right - 4, at, label, "chart-note", NOTE_SIZE, "end"))
        last = at
    return out


def _near(a: tuple[float, float], b: tuple[float, float], r: float) -> bool:
    """Markers this close would hide each other: the later one is drawn small, inside."""
    return abs(a[0] - b[0]) < r and abs(a[1] - b[1]) < r


# --- bar chart -----------------------------------------------------------------------------
def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    y_label: str,
    target: Reference | None = None,
    orientation: Orientation = "auto",
) -> str:
    """Bars from zero with their value written on them and a dashed target line (say the
    10-minute weekly plateau). ``auto`` turns the bars sideways when a label would not
    fit under its bar in two lines (body-region names), so no label is ever cut short.

    >>> svg = bar_chart("sessions", "Sessions", "Per week", [Bar("3 Nov", 2), Bar("10 Nov", 3)],
    ...     "Sessions", target=Reference(2, "2 a week"))
    >>> svg.count('class="chart-bar"')
    2
    """
    check_chart_id(chart_id)
    keys = _reference_keys([target] if target is not None else [])
    shown = [b for b in bars if math.isfinite(b.value)]
    if orientation not in ("auto", "vertical", "horizontal"):
        raise ValueError(f"orientation must be auto, vertical or horizontal, got {orientation!r}")
    if not shown:
        return _empty(chart_id, title, description, keys)
    if orientation == "auto":
        orientation = "vertical" if _fits_vertical(shown) else "horizontal"
    draw = _vertical_bars if orientation == "vertical" else _horizontal_bars
    body, height = draw(shown, y_label, target, keys)
    return document(chart_id, title, description, WIDTH, height, body)


def _span(bars: Sequence[Bar], target: Reference | None) -> tuple[float, float]:
    values = [0.0, *(b.value for b in bars)]
    if target is not None and math.isfinite(target.value):
        values.append(target.value)
    return min(values), max(values)


def _fits_vertical(bars: Sequence[Bar]) -> bool:
    slot = (WIDTH - 2 * PAD - 50) / len(bars)
    return all(
        not is_cut(b.label, slot - 6, TICK_SIZE) and text_width(num(b.value), TEXT_SIZE) < slot
        for b in bars
    )


def _bar_class(bar: Bar, any_emphasis: bool) -> str:
    """Picked-out bars solid, the others lighter; all solid when none is picked out."""
    if bar.emphasis:
        return "chart-bar chart-bar-emphasis"
    return "chart-bar chart-bar-dim" if any_emphasis else "chart-bar"


def _target(target: Reference | None) -> float | None:
    return target.value if target is not None and math.isfinite(target.value) else None


def _vertical_bars(bars, y_label, target, keys) -> tuple[list[str], float]:
    body, used = legend(keys)
    label_y = used + 28
    top, plot_h = label_y + 44, 180.0
    bottom = top + plot_h
    lo, hi, ticks = nice_domain(*_span(bars, target), 5)
    left, right = PAD + label_room(ticks), WIDTH - PAD
    y = Scale(lo, hi, bottom, top)
    slot = (right - left) / len(bars)
    width = min(64.0, slot * 0.66)
    grid = [text(PAD, label_y, fit(y_label, WIDTH - 2 * PAD), "chart-label")]
    grid += y_axis(y, ticks, left, right)
    emphasis = any(b.emphasis for b in bars)
    drawn, rows = [], 1
    for i, bar in enumerate(bars):
        mid = left + slot * (i + 0.5)
        end, zero = y(bar.value), y(0)
        box = _bar_class(bar, emphasis)
        drawn.append(rect(mid - width / 2, min(end, zero), width, abs(zero - end), box, rx=3))
        at = end - 9 if bar.value >= 0 else min(end + 8 + TEXT_SIZE, bottom - 4)
        weight = "700" if bar.emphasis else "600"
        value = num(bar.value)
        shown = centred(mid, value, WIDTH, TEXT_SIZE)
        drawn.append(text(shown, at, value, "chart-value", TEXT_SIZE, "middle", weight))
        labels = wrap(bar.label, slot - 6, TICK_SIZE)
        rows = max(rows, len(labels))
        for j, label in enumerate(labels):
            at = bottom + 14 + TICK_SIZE + j * LINE
            bold = "700" if bar.emphasis else None
            drawn.append(text(mid, at, label, "chart-tick", TICK_SIZE, "middle", bold))
    grid.append(line(left, y(0), right, y(0), "chart-axis", stroke_width=1.5))
    if (goal := _target(target)) is not None:
        drawn.append(dashed(left, y(goal), right, y(goal)))
    return grid + body + drawn, bottom + 14 + TICK_SIZE + (rows - 1) * LINE + PAD + 6


def _horizontal_bars(bars, y_label, target, keys) -> tuple[list[str], float]:
    body, top = legend(keys)
    top += 8
    label_w = min(max(text_width(b.label, TEXT_SIZE) for b in bars), WIDTH * 0.4)
    wrapped = [wrap(b.label, label_w, TEXT_SIZE) for b in bars]
    row = 64.0 if any(len(w) > 1 for w in wrapped) else 48.0
    value_w = max(text_width(num(b.value), TEXT_SIZE) for b in bars) + 10
    low, high = _span(bars, target)
    left = PAD + label_w + 14 + (value_w if low < 0 else 0)
    right = WIDTH - PAD - value_w
    lo, hi, ticks = spaced_ticks(low, high, right - left, widen=True)
    x = Scale(lo, hi, left, right)
    bottom = top + row * len(bars)
    grid = x_axis(x, ticks, top, bottom, y_label, WIDTH)
    emphasis = any(b.emphasis for b in bars)
    drawn = []
    for i, (bar, labels) in enumerate(zip(bars, wrapped, strict=True)):
        cy = top + row * (i + 0.5)
        weight = "700" if bar.emphasis else None
        for j, label in enumerate(labels):
            at = cy + 7 + (j - (len(labels) - 1) / 2) * LINE
            drawn.append(text(PAD, at, label, "chart-key", TEXT_SIZE, None, weight))
        end, zero = x(bar.value), x(0)
        box = _bar_class(bar, emphasis)
        drawn.append(rect(min(end, zero), cy - 13, abs(end - zero), 26, box, rx=3))
        anchor, at = (None, end + 8) if bar.value >= 0 else ("end", end - 8)
        value = num(bar.value)
        drawn.append(text(at, cy + 7, value, "chart-value", TEXT_SIZE, anchor, weight or "600"))
    grid.append(line(x(0), top, x(0), bottom, "chart-axis", stroke_width=1.5))
    if (goal := _target(target)) is not None:
        drawn.append(dashed(x(goal), top, x(goal), bottom))
    return grid + body + drawn, bottom + X_AXIS_HEIGHT + PAD


# --- forest plot ---------------------------------------------------------------------------
def interval_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[IntervalRow],
    x_label: str,
    x_min: float,
    x_max: float,
    threshold: float | None = None,
    threshold_label: str = "",
) -> str:
    """A forest plot: each estimate a dot on its interval, against a zero line and, with
    ``threshold``, dashed lines and a shaded band at +-threshold (the change that matters,
    named in the key by ``threshold_label``). A row without an interval shows an open dot
    and its note instead. Estimates and intervals beyond [x_min, x_max] stop at the edge
    with an arrow; the estimate is written at the right of its row.

    >>> svg = interval_chart("effects", "Effects", "Per exercise",
    ...     [IntervalRow("Hip smash", 2.1, 1.2, 3.0), IntervalRow("Calf", 0.5, None, None,
    ...     "too few sessions")], "Points", -4, 4, threshold=2)
    >>> svg.count("chart-dot-open")
    1
    """
    check_chart_id(chart_id)
    check_range(x_min, x_max, "x range")
    t = abs(threshold) if threshold is not None and math.isfinite(threshold) else None
    keys = [Key("reference", threshold_label or f"\u00b1{num(t)}")] if t else []
    if not rows:
        return _empty(chart_id, title, description, keys)
    body, top = legend(keys)
    top += 8
    widest = max(max(text_width(r.label, TEXT_SIZE), text_width(r.note, NOTE_SIZE)) for r in rows)
    label_w = min(widest, WIDTH * 0.38)
    blocks = [_row_words(r, label_w) for r in rows]
    heights = [max(48.0, LINE * len(a) + NOTE_LINE * len(b) + 18) for a, b in blocks]
    estimates = [num(r.estimate) if math.isfinite(r.estimate) else "" for r in rows]
    value_w = max(text_width(e, TEXT_SIZE) for e in estimates) + 6
    left, right = PAD + label_w + 22, WIDTH - PAD - value_w - 18
    x = Scale(x_min, x_max, left, right)
    bottom = top + sum(heights)
    grid = []
    if t and x_min < t and -t < x_max:
        grid.append(rect(x(-t), top, x(t) - x(-t), bottom - top, "chart-band"))
    _, _, ticks = spaced_ticks(x_min, x_max, right - left)
    grid += x_axis(x, ticks, top, bottom, x_label, WIDTH)
    if x_min <= 0 <= x_max:
        grid.append(line(x(0), top, x(0), bottom, "chart-zero", stroke_width=2))
    for edge in (-t, t) if t else ():
        if x_min <= edge <= x_max:
            grid.append(dashed(x(edge), top, x(edge), bottom))
    drawn, row_top = [], top
    for r, (labels, notes), h, estimate in zip(rows, blocks, heights, estimates, strict=True):
        if row_top > top:
            grid.append(line(PAD, row_top, WIDTH - PAD, row_top, "chart-rule"))
        block = row_top + (h - LINE * len(labels) - NOTE_LINE * len(notes)) / 2
        cy = block + LINE * len(labels) / 2
        for j, label in enumerate(labels):
            drawn.append(text(PAD, block + 17 + LINE * j, label, "chart-key"))
        for j, note in enumerate(notes):
            at = block + LINE * len(labels) + 15 + NOTE_LINE * j
            drawn.append(text(PAD, at, note, "chart-note", NOTE_SIZE))
        drawn += _interval(x, r, cy)
        if estimate:
            value = text(WIDTH - PAD, cy + 7, estimate, "chart-value", TEXT_SIZE, "end", "700")
            drawn.append(value)
        row_top += h
    height = bottom + X_AXIS_HEIGHT + PAD
    return document(chart_id, title, description, WIDTH, height, grid + body + drawn)


def _row_words(row: IntervalRow, width: float) -> tuple[list[str], list[str]]:
    """A row's label (two lines at most) and its note under it, in the label column, so
    the note never crosses the zero or threshold lines."""
    return wrap(row.label, width, TEXT_SIZE), wrap(row.note, width, NOTE_SIZE) if row.note else []


def _interval(x: Scale, row: IntervalRow, cy: float) -> list[str]:
    """The interval line with end caps, or an arrow where it runs off the scale, and the
    dot: filled with an interval, open without one."""
    out = []
    low, high = finite(row.low), finite(row.high)
    whole = low is not None and high is not None
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
        out.append(line(x(low), cy, x(high), cy, "chart-interval", stroke_width=3))
        for end, outward in ((low, -1), (high, 1)):
            at = x(end)
            if x.inside(end):
                out.append(line(at, cy - 8, at, cy + 8, "chart-interval", stroke_width=3))
            else:
                tip = [(at, cy), (at - outward * 11, cy - 7), (at - outward * 11, cy + 7)]
                out.append(tag("polygon", points=points(tip), class_="chart-arrow"))
    if math.isfinite(row.estimate):
        dot = "chart-dot" if whole else "chart-dot chart-dot-open"
        out.append(tag("circle", cx=x(row.estimate), cy=cy, r=7, class_=dot, stroke_width=3))
    return out
