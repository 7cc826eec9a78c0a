"""Bar charts: upright bars with their labels under them, or bars lying sideways with
their labels in a column at the left, or above each bar when that column would leave
the bars too little room (a narrow chart with long names)."""

import itertools
import math
from collections.abc import Sequence
from typing import Literal

from sirelief.web.charts import axes, svg
from sirelief.web.charts.axes import Frame, Key, Scale
from sirelief.web.charts.inputs import Bar, Reference, reference_keys

Orientation = Literal["auto", "vertical", "horizontal"]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    y_label: str,
    target: Reference | None = None,
    orientation: Orientation = "auto",
    *,
    width: float = axes.WIDTH,
) -> str:
    """Bars from zero with their value written on them and a dashed target line (say the
    10-minute weekly plateau). ``auto`` turns the bars sideways when a label would not
    fit under its bar in two lines (body-region names, or many weeks in a narrow chart),
    so no label is ever cut short. ``width`` (300 to 1000) is the view box's width.

    >>> svg = bar_chart("sessions", "Sessions", "Per week", [Bar("3 Nov", 2), Bar("10 Nov", 3)],
    ...     "Sessions", target=Reference(2, "2 a week"))
    >>> svg.count('class="chart-bar"')
    2
    """
    svg.check_chart_id(chart_id)
    f = Frame.of(width)
    keys = reference_keys([target] if target is not None else [])
    shown = [b for b in bars if math.isfinite(b.value)]
    if orientation not in ("auto", "vertical", "horizontal"):
        raise ValueError(f"orientation must be auto, vertical or horizontal, got {orientation!r}")
    if not shown:
        return axes.empty(chart_id, title, description, keys, f)
    if orientation == "auto":
        orientation = "vertical" if _fits_vertical(shown, f) else "horizontal"
    draw = _vertical_bars if orientation == "vertical" else _horizontal_bars
    body, height = draw(shown, y_label, target, keys, f)
    return svg.document(chart_id, title, description, f.width, height, body)


def _span(bars: Sequence[Bar], target: Reference | None) -> tuple[float, float]:
    values = [0.0, *(b.value for b in bars)]
    if target is not None and math.isfinite(target.value):
        values.append(target.value)
    return min(values), max(values)


def _fits_vertical(bars: Sequence[Bar], f: Frame) -> bool:
    slot = (f.width - 2 * axes.PAD - 50) / len(bars)
    return all(
        not svg.is_cut(b.label, slot - 6, f.tick)
        and svg.text_width(svg.num(b.value), f.text) < slot
        for b in bars
    )


def _bar_class(bar: Bar, any_emphasis: bool) -> str:
    """Picked-out bars solid, the others lighter; all solid when none is picked out."""
    if bar.emphasis:
        return "chart-bar chart-bar-emphasis"
    return "chart-bar chart-bar-dim" if any_emphasis else "chart-bar"


def _target(target: Reference | None) -> float | None:
    return target.value if target is not None and math.isfinite(target.value) else None


def _vertical_bars(
    bars: Sequence[Bar], y_label: str, target: Reference | None, keys: Sequence[Key], f: Frame
) -> tuple[list[str], float]:
    body, used = axes.legend(keys, f)
    label_y = used + 28 * f.unit
    top, plot_h = label_y + 44 * f.unit, 180.0
    bottom = top + plot_h
    lo, hi, ticks = axes.nice_domain(*_span(bars, target), 5)
    left, right = axes.PAD + axes.label_room(ticks, f.tick), f.width - axes.PAD
    y = Scale(lo, hi, bottom, top)
    slot = (right - left) / len(bars)
    width = min(64.0, slot * 0.66)
    grid = [axes.y_title(y_label, label_y, f)]
    grid += axes.y_axis(y, ticks, left, right, f)
    emphasis = any(b.emphasis for b in bars)
    drawn, rows = [], 1
    tick_y = bottom + 14 * f.unit + f.tick
    # bars too thin for two characters (forced upright): a label under every nth only
    every = next(k for k in itertools.count(1) if k * slot - 6 >= svg.text_width("00", f.tick))
    for i, bar in enumerate(bars):
        mid = left + slot * (i + 0.5)
        end, zero = y(bar.value), y(0)
        box = _bar_class(bar, emphasis)
        drawn.append(svg.rect(mid - width / 2, min(end, zero), width, abs(zero - end), box, rx=3))
        below = min(end + 8 * f.unit + f.text, bottom - 4)
        at = end - 9 * f.unit if bar.value >= 0 else below
        weight = "700" if bar.emphasis else "600"
        value = svg.num(bar.value)
        shown = axes.centred(mid, value, f.width, f.text)
        drawn.append(svg.text(shown, at, value, "chart-value", f.text, "middle", weight))
        labels = svg.wrap(bar.label, every * slot - 6, f.tick) if i % every == 0 else []
        rows = max(rows, len(labels))
        for j, label in enumerate(labels):
            bold = "700" if bar.emphasis else None
            at = axes.centred(mid, label, f.width, f.tick)
            drawn.append(
                svg.text(at, tick_y + j * f.line, label, "chart-tick", f.tick, "middle", bold)
            )
    grid.append(svg.line(left, y(0), right, y(0), "chart-axis", stroke_width=1.5))
    if (goal := _target(target)) is not None:
        drawn.append(svg.dashed(left, y(goal), right, y(goal)))
    return grid + body + drawn, tick_y + (rows - 1) * f.line + axes.PAD + 6


def _horizontal_bars(
    bars: Sequence[Bar], y_label: str, target: Reference | None, keys: Sequence[Key], f: Frame
) -> tuple[list[str], float]:
    """Sideways bars, labelled in a column at the left; or, when that column would leave
    less than ``MIN_PLOT`` for the bars, labelled above each bar across the whole width."""
    body, top = axes.legend(keys, f)
    top += 8 * f.unit
    label_w = min(max(svg.text_width(b.label, f.text) for b in bars), f.width * 0.4)
    value_w = max(svg.text_width(svg.num(b.value), f.text) for b in bars) + 10
    low, high = _span(bars, target)
    before = value_w if low < 0 else 0  # values of bars below zero sit left of them
    right = f.width - axes.PAD - value_w
    above = right - (axes.PAD + label_w + 14 + before) < axes.MIN_PLOT
    if above:
        wrapped = [svg.wrap(b.label, f.width - 2 * axes.PAD, f.text) for b in bars]
        heights = [(18 + 26) * f.unit + len(w) * f.line for w in wrapped]
        left = axes.PAD + before
    else:
        wrapped = [svg.wrap(b.label, label_w, f.text) for b in bars]
        heights = [(64.0 if any(len(w) > 1 for w in wrapped) else 48.0) * f.unit] * len(bars)
        left = axes.PAD + label_w + 14 + before
    lo, hi, ticks = axes.spaced_ticks(low, high, right - left, widen=True, size=f.tick)
    x = Scale(lo, hi, left, right)
    bottom = top + sum(heights)
    emphasis = any(b.emphasis for b in bars)
    drawn, spans, row_top = [], [], top
    for bar, labels, h in zip(bars, wrapped, heights, strict=True):
        weight = "700" if bar.emphasis else None
        if above:
            cy = row_top + h - 21 * f.unit
            spans.append((cy - 17 * f.unit, cy + 17 * f.unit))
            at = [row_top + 6 * f.unit + 0.8 * f.text + j * f.line for j in range(len(labels))]
        else:
            cy = row_top + h / 2
            at = [
                cy + 7 * f.unit + (j - (len(labels) - 1) / 2) * f.line for j in range(len(labels))
            ]
        for label, y in zip(labels, at, strict=True):
            drawn.append(svg.text(axes.PAD, y, label, "chart-key", f.text, None, weight))
        end, zero = x(bar.value), x(0)
        box = _bar_class(bar, emphasis)
        drawn.append(
            svg.rect(min(end, zero), cy - 13 * f.unit, abs(end - zero), 26 * f.unit, box, rx=3)
        )
        anchor, at_x = (None, end + 8) if bar.value >= 0 else ("end", end - 8)
        value = svg.num(bar.value)
        value_y = cy + 7 * f.unit
        drawn.append(svg.text(at_x, value_y, value, "chart-value", f.text, anchor, weight or "600"))
        row_top += h
    grid, axis_h = axes.x_axis(x, ticks, top, bottom, y_label, f, spans)
    for a, b in spans or [(top, bottom)]:
        grid.append(svg.line(x(0), a, x(0), b, "chart-axis", stroke_width=1.5))
        if (goal := _target(target)) is not None:
            drawn.append(svg.dashed(x(goal), a, x(goal), b))
    return grid + body + drawn, bottom + axis_h + axes.PAD
