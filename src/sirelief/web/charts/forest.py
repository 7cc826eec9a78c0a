"""The forest plot: one estimate and its interval a row, against zero and a threshold.

Labels sit in a column at the left; when that column would leave the plot narrower than
``MIN_PLOT`` (a narrow chart with long names) each row puts its label and note above its
interval instead, across the whole width, and the band, zero and threshold lines are
drawn in each row's strip so no line runs through the words.
"""

import math
from collections.abc import Sequence

from sirelief.web.charts import axes, svg
from sirelief.web.charts.axes import Frame, Key, Scale
from sirelief.web.charts.inputs import IntervalRow


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
    *,
    width: float = axes.WIDTH,
) -> str:
    """A forest plot: each estimate a dot on its interval, against a zero line and, with
    ``threshold``, dashed lines and a shaded band at +-threshold (the change that matters,
    named in the key by ``threshold_label``). A row without an interval shows an open dot
    and its note instead. Estimates and intervals beyond [x_min, x_max] stop at the edge
    with an arrow; the estimate is written at the right of its row. ``width`` (300 to
    1000) is the view box's width.

    >>> svg = interval_chart("effects", "Effects", "Per exercise",
    ...     [IntervalRow("Hip smash", 2.1, 1.2, 3.0), IntervalRow("Calf", 0.5, None, None,
    ...     "too few sessions")], "Points", -4, 4, threshold=2)
    >>> svg.count("chart-dot-open")
    1
    """
    svg.check_chart_id(chart_id)
    f = Frame.of(width)
    svg.check_range(x_min, x_max, "x range")
    t = abs(threshold) if threshold is not None and math.isfinite(threshold) else None
    keys = [Key("reference", threshold_label or f"\u00b1{svg.num(t)}")] if t else []
    if not rows:
        return axes.empty(chart_id, title, description, keys, f)
    body, top = axes.legend(keys, f)
    top += 8 * f.unit
    widest = max(max(svg.text_width(r.label, f.text), svg.text_width(r.note, f.note)) for r in rows)
    label_w = min(widest, f.width * 0.38)
    estimates = [svg.num(r.estimate) if math.isfinite(r.estimate) else "" for r in rows]
    value_w = max(svg.text_width(e, f.text) for e in estimates) + 6
    right = f.width - axes.PAD - value_w - 18
    above = right - (axes.PAD + label_w + 22) < axes.MIN_PLOT
    left = axes.PAD + 10 if above else axes.PAD + label_w + 22
    blocks = [_row_words(r, f.width - 2 * axes.PAD if above else label_w, f) for r in rows]
    x = Scale(x_min, x_max, left, right)
    layout = _stacked if above else _beside
    places, heights, spans = layout(blocks, top, f)
    bottom = top + sum(heights)
    grid = []
    band = t and x_min < t and -t < x_max
    for a, b in spans or [(top, bottom)]:
        if band:
            grid.append(svg.rect(x(-t), a, x(t) - x(-t), b - a, "chart-band"))
    _, _, ticks = axes.spaced_ticks(x_min, x_max, right - left, size=f.tick)
    axis, axis_h = axes.x_axis(x, ticks, top, bottom, x_label, f, spans)
    grid += axis
    for a, b in spans or [(top, bottom)]:
        if x_min <= 0 <= x_max:
            grid.append(svg.line(x(0), a, x(0), b, "chart-zero", stroke_width=2))
        for edge in (-t, t) if t else ():
            if x_min <= edge <= x_max:
                grid.append(svg.dashed(x(edge), a, x(edge), b))
    drawn, row_top = [], top
    rowed = zip(rows, blocks, places, heights, estimates, strict=True)
    for r, (labels, notes), (label_ys, note_ys, cy), h, estimate in rowed:
        if row_top > top:
            grid.append(svg.line(axes.PAD, row_top, f.width - axes.PAD, row_top, "chart-rule"))
        drawn += [
            svg.text(axes.PAD, y, s, "chart-key", f.text)
            for s, y in zip(labels, label_ys, strict=True)
        ]
        drawn += [
            svg.text(axes.PAD, y, s, "chart-note", f.note)
            for s, y in zip(notes, note_ys, strict=True)
        ]
        drawn += _interval(x, r, cy)
        if estimate:
            at = (f.width - axes.PAD, cy + 7 * f.unit)
            drawn.append(svg.text(*at, estimate, "chart-value", f.text, "end", "700"))
        row_top += h
    height = bottom + axis_h + axes.PAD
    return svg.document(chart_id, title, description, f.width, height, grid + body + drawn)


Words = tuple[list[str], list[str]]
Place = tuple[list[float], list[float], float]
"""Baselines of a row's label lines and note lines, and the y of its interval."""


def _row_words(row: IntervalRow, width: float, f: Frame) -> Words:
    """A row's label (two lines at most) and its note under it, in the label column (or
    across the chart), so the note never crosses the zero or threshold lines."""
    notes = svg.wrap(row.note, width, f.note) if row.note else []
    return svg.wrap(row.label, width, f.text), notes


def _beside(
    blocks: Sequence[Words], top: float, f: Frame
) -> tuple[list[Place], list[float], list[tuple[float, float]]]:
    """Words in the column at the left, centred on the row; the interval level with them."""
    places, heights, row_top = [], [], top
    for labels, notes in blocks:
        h = max(48.0 * f.unit, f.line * len(labels) + f.note_line * len(notes) + 18 * f.unit)
        block = row_top + (h - f.line * len(labels) - f.note_line * len(notes)) / 2
        label_ys = [block + 17 * f.unit + f.line * j for j in range(len(labels))]
        start = block + f.line * len(labels) + 15 * f.unit
        note_ys = [start + f.note_line * j for j in range(len(notes))]
        places.append((label_ys, note_ys, block + f.line * len(labels) / 2))
        heights.append(h)
        row_top += h
    return places, heights, []


def _stacked(
    blocks: Sequence[Words], top: float, f: Frame
) -> tuple[list[Place], list[float], list[tuple[float, float]]]:
    """Words across the chart, the interval in a strip of its own under them; returns
    the strips too (where the band and the vertical lines are drawn)."""
    places, heights, spans, row_top = [], [], [], top
    strip = 30 * f.unit
    for labels, notes in blocks:
        words = f.line * len(labels) + f.note_line * len(notes)
        label_ys = [row_top + 23 * f.unit + f.line * j for j in range(len(labels))]
        start = row_top + 6 * f.unit + f.line * len(labels) + 15 * f.unit
        note_ys = [start + f.note_line * j for j in range(len(notes))]
        strip_top = row_top + 10 * f.unit + words
        places.append((label_ys, note_ys, strip_top + strip / 2))
        spans.append((strip_top, strip_top + strip))
        heights.append(words + strip + 16 * f.unit)
        row_top += heights[-1]
    return places, heights, spans


def _interval(x: Scale, row: IntervalRow, cy: float) -> list[str]:
    """The interval line with end caps, or an arrow where it runs off the scale, and the
    dot: filled with an interval, open without one."""
    out = []
    low, high = svg.finite(row.low), svg.finite(row.high)
    whole = low is not None and high is not None
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
        out.append(svg.line(x(low), cy, x(high), cy, "chart-interval", stroke_width=3))
        for end, outward in ((low, -1), (high, 1)):
            at = x(end)
            if x.inside(end):
                out.append(svg.line(at, cy - 8, at, cy + 8, "chart-interval", stroke_width=3))
            else:
                tip = [(at, cy), (at - outward * 11, cy - 7), (at - outward * 11, cy + 7)]
                out.append(svg.tag("polygon", points=svg.points(tip), class_="chart-arrow"))
    if math.isfinite(row.estimate):
        dot = "chart-dot" if whole else "chart-dot chart-dot-open"
        out.append(svg.tag("circle", cx=x(row.estimate), cy=cy, r=7, class_=dot, stroke_width=3))
    return out
