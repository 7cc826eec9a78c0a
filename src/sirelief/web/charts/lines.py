"""The line chart: values over days, a line a series, with a band and reference lines."""

import math
from collections.abc import Sequence
from datetime import date, timedelta

from sirelief.web.charts import axes, svg
from sirelief.web.charts.axes import Frame, Key, Scale
from sirelief.web.charts.inputs import Band, Reference, Series, reference_keys


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
    *,
    width: float = axes.WIDTH,
) -> str:
    """Values over days, one line per series, on a fixed y range [y_min, y_max] so a
    0-10 scale always reads as 0-10. Values outside it are drawn at its edge. ``width``
    (300 to 1000) is the view box's width: fewer date ticks and larger type when narrow.

    >>> svg = line_chart("pain", "Pain", "Pain by week", [Series("Pain",
    ...     [(date(2025, 11, 3), 4), (date(2025, 11, 10), None), (date(2025, 11, 17), 3)])],
    ...     0, 10, "Pain (0-10)")
    >>> svg.startswith("<svg") and 'aria-labelledby="pain-title pain-desc"' in svg
    True
    """
    svg.check_chart_id(chart_id)
    f = Frame.of(width)
    svg.check_range(y_min, y_max, "y range")
    keys = [Key("series", s.name, i, s.marker) for i, s in enumerate(series)]
    keys += [Key("band", band.label)] if band is not None else []
    refs = [r for r in reference_lines if math.isfinite(r.value) and y_min <= r.value <= y_max]
    keys += reference_keys(refs) if len(refs) < 2 else []  # several: named on the lines
    lines = [sorted(((d, svg.finite(v)) for d, v in s.points), key=lambda p: p[0]) for s in series]
    if not any(v is not None for run in lines for _, v in run):
        return axes.empty(chart_id, title, description, keys, f)

    body, used = axes.legend(keys, f)
    label_y = used + 28 * f.unit
    top, plot_h = label_y + 24 * f.unit, 190.0
    bottom = top + plot_h
    integer = y_min == int(y_min) and y_max == int(y_max) and 4 <= y_max - y_min <= 20
    ticks = axes.value_ticks(y_min, y_max, int(plot_h / 34) + 1, integer)
    left, right = axes.PAD + axes.label_room(ticks, f.tick), f.width - axes.PAD
    y = Scale(y_min, y_max, bottom, top)
    days = [d for run in lines for d, _ in run]
    first, last = min(days), max(days)
    one_day = first == last
    if one_day:
        first, last = first - timedelta(days=3), last + timedelta(days=3)
    x_days = Scale(0, (last - first).days, left + 14, right - 14)

    def x(day: date) -> float:
        return x_days((day - first).days)

    marks_at = axes.date_ticks(first, last, x, f.tick, f.width)
    if one_day:
        marks_at = [(days[0], axes.day_label(days[0]))]

    grid = []
    if band is not None:
        high, low = y(max(band.low, band.high)), y(min(band.low, band.high))
        if low - high >= 0.5:
            grid.append(svg.rect(left, high, right - left, low - high, "chart-band"))
    grid += axes.y_axis(y, ticks, left, right, f)
    grid.append(svg.line(left, bottom, right, bottom, "chart-axis", stroke_width=1.5))
    tick_y = bottom + 14 * f.unit + f.tick
    for day, label in marks_at:
        grid.append(svg.line(x(day), bottom, x(day), bottom + 6, "chart-axis", stroke_width=1.5))
        at = axes.centred(x(day), label, f.width, f.tick)
        grid.append(svg.text(at, tick_y, label, "chart-tick", f.tick, "middle"))
    grid += [svg.dashed(left, y(r.value), right, y(r.value)) for r in refs]
    grid.append(axes.y_title(y_label, label_y, f))

    count = max(len(run) for run in lines)
    every = math.ceil(count / 16)  # dense lines: a marker on every nth point, not beads
    r = svg.clamp((right - left) / math.ceil(count / every) * 0.3, 4.0, 7.0)
    drawn, marks, taken = [], [], []
    for i, (s, run) in enumerate(zip(series, lines, strict=True)):
        n = i % len(axes.SERIES_CLASSES)
        polylines = [
            svg.tag(
                "polyline",
                points=svg.points([(x(d), y(v)) for d, v in stretch]),
                class_="chart-line",
                fill="none",
                stroke_width=3,
                stroke_dasharray=axes.SERIES_DASHES[n],
            )
            for stretch in axes.stretches(run)
            if len(stretch) > 1
        ]
        drawn.append(svg.tag("g", "".join(polylines), class_=axes.SERIES_CLASSES[n]))
        mine, parts = [], []
        for k, (d, v) in enumerate(run):
            if v is not None and (k % every == 0 or axes.alone(run, k)):
                at = (x(d), y(v))
                size = r * 0.6 if any(_near(at, other, r) for other in taken) else r
                parts.append(
                    axes.marker(*at, s.marker, size, f"{s.name}, {axes.day_label(d)}: {svg.num(v)}")
                )
                mine.append(at)
        taken += mine
        marks.append(svg.tag("g", "".join(parts), class_=axes.SERIES_CLASSES[n]))
    height = tick_y + axes.PAD + 6
    named = _reference_labels(refs, y, left, right, f) if len(refs) > 1 else []
    return svg.document(
        chart_id, title, description, f.width, height, grid + body + drawn + marks + named
    )


def _reference_labels(
    refs: Sequence[Reference], y: Scale, left: float, right: float, f: Frame
) -> list[str]:
    """With several reference lines a key cannot say which is which: name each at its
    right end, above the line, or below it when the label above would touch another."""
    out, last = [], -math.inf
    for ref in sorted(refs, key=lambda r: y(r.value)):
        at = y(ref.value) - 7 * f.unit
        if at - last < f.note + 2:
            at = y(ref.value) + f.note + 3
        label = svg.fit(ref.label, (right - left) / 2, f.note)
        out.append(svg.text(right - 4, at, label, "chart-note", f.note, "end"))
        last = at
    return out


def _near(a: tuple[float, float], b: tuple[float, float], r: float) -> bool:
    """Markers this close would hide each other: the later one is drawn small, inside."""
    return abs(a[0] - b[0]) < r and abs(a[1] - b[1]) < r
