"""The parts under the charts: the frame (width, type sizes), scales, ticks, axes, the key.

Kept apart from the charts so the layout code reads as layout; the markup itself is in
``svg.py``. Standard library only.
"""

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal
from xml.sax.saxutils import escape

from sirelief.web.charts import svg

TICK_SIZE = 20
"""Font size of tick labels in a 600-unit chart: about 11 px where a phone draws it 320 px
wide (``charts.css`` sets smaller sizes on wide screens, where it is drawn larger)."""
NOTE_SIZE = 18
WIDTH = 600.0
"""The default width of the view box; heights follow the content."""
NARROW = 340.0
"""A chart for a phone: about as many units as it gets pixels, so text reads at 15-16 px."""
MIN_WIDTH, MAX_WIDTH = 300.0, 1000.0
PAD = 12.0
MIN_PLOT = 160.0
"""Narrowest a plot beside a label column may get; below it the labels go above."""
SERIES_CLASSES = ("chart-series-a", "chart-series-b", "chart-series-c", "chart-series-d")
"""Colour of the nth series (stylesheet); it comes with the dash below and a marker."""
SERIES_DASHES = (None, "10 6", "3 5", "14 5 3 5")
Marker = Literal["circle", "square"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Fixed English month names: the output must not depend on the server's locale."""
NO_DATA = "No data yet"


def check_width(width: float) -> float:
    """The view box width a caller asked for: 300 to 1000 units.

    >>> check_width(340)
    340.0
    >>> check_width(200)
    Traceback (most recent call last):
    ValueError: width must be a number from 300 to 1000 (view box units), got 200
    """
    number = isinstance(width, int | float) and not isinstance(width, bool)
    if not (number and MIN_WIDTH <= width <= MAX_WIDTH):  # NaN fails the range too
        raise ValueError(f"width must be a number from 300 to 1000 (view box units), got {width!r}")
    return float(width)


@dataclass(frozen=True)
class Frame:
    """A view box width with the type sizes and spacings that go with it.

    A 600-unit chart is drawn about 320 px wide on a phone, so its 20-unit text shows at
    11 px; a 340-unit chart shows its 16-17-unit text at 15-16 px there. Between the two
    the sizes step with the width (in half units); outside, they stay as at either end.

    >>> wide, narrow = Frame.of(600), Frame.of(340)
    >>> (wide.tick, wide.text, wide.unit), (narrow.tick, narrow.text, narrow.note)
    ((20.0, 21.0, 1.0), (16.0, 17.0, 16.0))
    """

    width: float
    tick: float
    """Tick labels."""
    text: float
    """The key, values, row labels and axis titles."""
    note: float
    """Notes (italic, muted) and names written on reference lines."""
    line: float
    """Line height of two-line labels."""
    note_line: float
    unit: float
    """Spacings that follow the type (gaps, baselines, row heights) are multiplied by
    this: 1 at 600 units and wider."""

    @classmethod
    def of(cls, width: float) -> "Frame":
        width = check_width(width)
        share = svg.clamp((width - NARROW) / (WIDTH - NARROW), 0.0, 1.0)

        def size(narrow: float, wide: float) -> float:
            return round((narrow + share * (wide - narrow)) * 2) / 2

        body = size(17, svg.TEXT_SIZE)
        return cls(
            width,
            tick=size(16, TICK_SIZE),
            text=body,
            note=size(16, NOTE_SIZE),
            line=size(20, 24),
            note_line=size(19, 21),
            unit=body / svg.TEXT_SIZE,
        )

    @property
    def x_axis(self) -> float:
        """Height a one-line ``x_axis`` takes under the plot."""
        return 72 * self.unit


# --- scales and ticks ----------------------------------------------------------------------
@dataclass(frozen=True)
class Scale:
    """Maps a value in [lo, hi] onto [start, end] in user units, clamping what falls
    outside so nothing is ever drawn beyond the plot."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        share = (svg.clamp(value, self.lo, self.hi) - self.lo) / (self.hi - self.lo)
        return self.start + share * (self.end - self.start)

    def inside(self, value: float) -> bool:
        return self.lo <= value <= self.hi


def nice_step(span: float, max_ticks: int, integer: bool = False) -> float:
    """The smallest 1-2-5 step that needs at most ``max_ticks`` ticks over ``span``
    (no 2.5: steps people count in without effort), and never under 0.01, the smallest
    difference tick labels show.

    >>> nice_step(10, 6, integer=True), nice_step(7, 8), nice_step(0.9, 5), nice_step(1e-9, 5)
    (2, 1, 0.5, 0.01)
    """
    max_ticks = max(2, max_ticks)
    raw = span / (max_ticks - 1)
    power = max(10 ** math.floor(math.log10(raw)), 0.01) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        step = factor * power
        if integer and step < 1:
            continue
        if integer and step != int(step):
            continue
        if span / step <= max_ticks - 1 + 1e-9:
            return int(step) if step == int(step) else step
    return 10 * power


def value_ticks(lo: float, hi: float, max_ticks: int, integer: bool = False) -> list[float]:
    """Round tick values inside [lo, hi], at most ``max_ticks`` of them.

    >>> value_ticks(0, 10, 6, integer=True)
    [0, 2, 4, 6, 8, 10]
    >>> value_ticks(3.3, 7.7, 6)
    [4, 5, 6, 7]
    """
    step = nice_step(hi - lo, max_ticks, integer)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    ticks = [round(k * step, 9) for k in range(first, last + 1)]
    return [int(t) if t == int(t) else t for t in ticks]


def nice_domain(lo: float, hi: float, max_ticks: int) -> tuple[float, float, list[float]]:
    """Widen [lo, hi] to whole steps, so bars end under a labelled gridline."""
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):
        hi = lo + 1
    step = nice_step(hi - lo, max_ticks)
    lo2 = math.floor(lo / step + 1e-9) * step
    hi2 = math.ceil(hi / step - 1e-9) * step
    return lo2, hi2, value_ticks(lo2, hi2, max_ticks + 1)


def spaced_ticks(
    lo: float, hi: float, length: float, widen: bool = False, size: float = TICK_SIZE
) -> tuple[float, float, list[float]]:
    """Up to six round ticks, as many as fit along ``length`` units without their
    labels (``size`` units high) touching; ``widen`` first stretches [lo, hi] to whole
    steps (bars)."""
    for count in range(min(6, max(2, int(length / 40))), 1, -1):
        low, high, ticks = nice_domain(lo, hi, count) if widen else (lo, hi, [])
        ticks = ticks or value_ticks(lo, hi, count)
        per = length / (high - low)
        widths = [svg.text_width(label, size) for label in tick_labels(ticks)]
        if all(
            (b - a) * per >= (wa + wb) / 2 + 0.6 * size
            for (a, wa), (b, wb) in itertools.pairwise(zip(ticks, widths, strict=True))
        ):
            return low, high, ticks
    return low, high, ticks[:: max(1, len(ticks) - 1)]


def day_label(day: date, with_year: bool = False) -> str:
    """``3 Nov``; ``5 Jan 2026`` where the year needs saying.

    >>> day_label(date(2025, 11, 3)), day_label(date(2026, 1, 5), with_year=True)
    ('3 Nov', '5 Jan 2026')
    """
    shown = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{shown} {day.year}" if with_year else shown


def date_ticks(
    first: date, last: date, x: Callable[[date], float], size: float, box: float
) -> list[tuple[date, str]]:
    """Week starts (Mondays) between two days, thinned until no two labels overlap where
    ``x`` puts them (kept inside a view box ``box`` wide); single days when the range is
    shorter than about ten days."""
    span = max(1, (last - first).days)
    if span <= 10:
        candidates = [first + timedelta(days=i) for i in range(span + 1)]
        strides = (1, 2, 3, 4, 5, 7)
    else:
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        candidates = [monday + timedelta(weeks=i) for i in range((last - monday).days // 7 + 1)]
        strides = (1, 2, 3, 4, 6, 8, 13, 26, 52, 104, 260)
    years = first.year != last.year
    for stride in strides:
        labels = _labelled(candidates[::stride], years)
        spots = [(centred(x(day), label, box, size), label) for day, label in labels]
        if all(_apart(a, b, size) for a, b in itertools.pairwise(spots)):
            return labels
    return labels[:1]


def _apart(a: tuple[float, str], b: tuple[float, str], size: float) -> bool:
    """Two centred labels leave at least 0.6 em between them."""
    return b[0] - a[0] >= (svg.text_width(a[1], size) + svg.text_width(b[1], size)) / 2 + 0.6 * size


def _labelled(days: Sequence[date], years: bool) -> list[tuple[date, str]]:
    out, year = [], None
    for day in days:
        out.append((day, day_label(day, with_year=years and day.year != year)))
        year = day.year
    return out


# --- axes ----------------------------------------------------------------------------------
def tick_labels(ticks: Sequence[float]) -> list[str]:
    return [svg.num(t, 2) for t in ticks]


def label_room(ticks: Sequence[float], size: float = TICK_SIZE) -> float:
    """Width the labels of a vertical axis take, plus their gap to the plot."""
    return max(svg.text_width(label, size) for label in tick_labels(ticks)) + 10


def y_axis(y: Scale, ticks: Sequence[float], left: float, right: float, f: Frame) -> list[str]:
    """Horizontal gridlines with their values right-aligned left of the plot."""
    out = []
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        out.append(svg.line(left, y(tick), right, y(tick), "chart-grid"))
        out.append(svg.text(left - 10, y(tick) + 7 * f.unit, label, "chart-tick", f.tick, "end"))
    return out


def x_axis(
    x: Scale,
    ticks: Sequence[float],
    top: float,
    bottom: float,
    title: str,
    f: Frame,
    spans: Sequence[tuple[float, float]] = (),
) -> tuple[list[str], float]:
    """Vertical gridlines (from ``top`` to ``bottom``, or over each of ``spans``), their
    values under the plot, and the axis title under those, in two lines when one would
    not hold it; returns the markup and the height it takes below ``bottom``."""
    out = []
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        at = centred(x(tick), label, f.width, f.tick)
        out += [svg.line(x(tick), a, x(tick), b, "chart-grid") for a, b in spans or [(top, bottom)]]
        out.append(svg.text(at, bottom + 30 * f.unit, label, "chart-tick", f.tick, "middle"))
    room = (f.width - 4) * svg.CHAR_EM / svg.BOLD_CHAR_EM  # measured as bold type
    titles = svg.wrap(title, room, f.text) if svg.is_cut(title, room, f.text, 1) else []
    for j, row in enumerate(titles or [svg.fit(title, room, f.text)]):
        at = centred((x.start + x.end) / 2, row, f.width, f.text)
        out.append(
            svg.text(at, bottom + 64 * f.unit + j * f.line, row, "chart-label", f.text, "middle")
        )
    return out, f.x_axis + max(0, len(titles) - 1) * f.line


def y_title(title: str, at: float, f: Frame) -> str:
    """The value axis's title, at the left above the plot, cut to the chart's width."""
    return svg.text(PAD, at, svg.fit(title, f.width - 2 * PAD, f.text), "chart-label", f.text)


def centred(at: float, label: str, width: float, size: float = TICK_SIZE) -> float:
    """Where to centre a label near ``at`` so it stays inside a view box ``width`` wide."""
    half = svg.text_width(label, size) / 2
    return svg.clamp(at, min(half + 2, width / 2), max(width - half - 2, width / 2))


# --- the key (legend) and markers --------------------------------------------------------
@dataclass(frozen=True)
class Key:
    """One entry of a chart's key: a series (its dash and marker), the band, or a line."""

    kind: Literal["series", "band", "reference"]
    label: str
    index: int = 0
    marker: Marker = "circle"


_SYMBOL = 40.0
_KEY_ROW = 32.0


def marker(x: float, y: float, shape: Marker, r: float, tip: str = "") -> str:
    """A data point; its ``<title>`` is the hover tip with the exact value. A square is a
    little smaller than a circle, so where two sides have the same value both show."""
    inner = svg.tag("title", escape(tip)) if tip else ""
    if shape == "square":
        s = r * 1.5
        return svg.tag(
            "rect", inner, x=x - s / 2, y=y - s / 2, width=s, height=s, class_="chart-marker"
        )
    return svg.tag("circle", inner, cx=x, cy=y, r=r * 1.1, class_="chart-marker")


def _symbol(key: Key, x: float, y: float, f: Frame) -> str:
    length = _SYMBOL * f.unit
    if key.kind == "series":
        n = key.index % len(SERIES_CLASSES)
        dash = SERIES_DASHES[n]
        sample = svg.line(x, y, x + length, y, "chart-line", stroke_width=3, stroke_dasharray=dash)
        dot = marker(x + length / 2, y, key.marker, 6.5)
        return svg.tag("g", sample + dot, class_=SERIES_CLASSES[n])
    if key.kind == "band":
        return svg.rect(x + 4, y - 9 * f.unit, length - 8, 18 * f.unit, "chart-band chart-band-key")
    return svg.dashed(x, y, x + length, y)


def legend(keys: Sequence[Key], f: Frame) -> tuple[list[str], float]:
    """The key along the top, in rows that wrap; an entry too long for one row takes two
    lines of its own. Returns the markup and where the key ends."""
    out, width = [], f.width - 2 * PAD
    symbol, row, gap = _SYMBOL * f.unit, _KEY_ROW * f.unit, 8 * f.unit
    x, top, bottom = PAD, PAD, PAD
    for key in keys:
        room = width - symbol - 10
        lines = svg.wrap(key.label, room, f.text) if svg.is_cut(key.label, room, f.text, 1) else []
        lines = lines or [svg.fit(key.label, room, f.text)]
        need = symbol + gap + max(svg.text_width(label, f.text) for label in lines)
        if x > PAD and (x + need > PAD + width or len(lines) > 1):
            x, top = PAD, bottom
        cy = top + row / 2
        out.append(_symbol(key, x, cy, f))
        for j, label in enumerate(lines):
            out.append(
                svg.text(x + symbol + gap, cy + 7 * f.unit + j * f.line, label, "chart-key", f.text)
            )
        bottom = max(bottom, top + row + (len(lines) - 1) * f.line)
        x = x + need + 24 * f.unit if len(lines) == 1 else PAD + width
    return out, bottom


def empty(chart_id: str, title: str, description: str, keys: Sequence[Key], f: Frame) -> str:
    """The chart's frame saying there is nothing to draw yet."""
    body, top = legend(keys, f)
    top += 8 * f.unit
    frame = svg.rect(
        PAD, top, f.width - 2 * PAD, 150, "chart-empty", rx=10, fill="none", stroke_dasharray="6 6"
    )
    at = top + 75 + 7 * f.unit
    body += [frame, svg.text(f.width / 2, at, NO_DATA, "chart-note", f.tick, "middle")]
    return svg.document(chart_id, title, description, f.width, top + 150 + PAD, body)


# --- series ------------------------------------------------------------------------------
def alone(run: Sequence[tuple[date, float | None]], k: int) -> bool:
    """A point with gaps on both sides: no line shows it, so it always gets its marker."""
    before = k == 0 or run[k - 1][1] is None
    after = k == len(run) - 1 or run[k + 1][1] is None
    return before and after


def stretches(run: Sequence[tuple[date, float | None]]) -> list[list[tuple[date, float]]]:
    """The stretches between gaps: a None ends one line and the next value starts another."""
    out: list[list[tuple[date, float]]] = [[]]
    for day, value in run:
        if value is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append((day, value))
    return [stretch for stretch in out if stretch]
