"""The parts under the charts: numbers, scales, ticks, text size, the key, SVG markup.

Kept apart from ``charts.py`` so the layout code reads as layout. Standard library only;
every piece of text goes through ``escape`` or ``quoteattr``. Widths of text are estimates
(about 0.56 em a character, a little generous for system fonts), so layouts leave room.
"""

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

CHAR_EM = 0.5625
"""Average character width in em: 9 units a character at font size 16."""
TICK_SIZE = 20
"""Font size of tick labels, in user units: about 11 px on a 320-340 px wide phone chart
(``charts.css`` sets smaller sizes on wide screens, where the chart is drawn larger)."""
TEXT_SIZE = 21
"""Font size of legends, value labels and axis titles."""
MINUS = "\u2212"
REFERENCE_DASH = "7 5"
WIDTH = 600.0
"""Every chart is 600 units wide; heights follow the content."""
PAD = 12.0
SERIES_CLASSES = ("chart-series-a", "chart-series-b", "chart-series-c", "chart-series-d")
"""Colour of the nth series (stylesheet); it comes with the dash below and a marker."""
SERIES_DASHES = (None, "10 6", "3 5", "14 5 3 5")
Marker = Literal["circle", "square"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Fixed English month names: the output must not depend on the server's locale."""

_CHART_ID = re.compile(r"[a-z0-9-]+")


def check_chart_id(chart_id: str) -> str:
    """The prefix of every id in a chart: several charts share one HTML page.

    >>> check_chart_id("pain-trend")
    'pain-trend'
    >>> check_chart_id("Pain trend")
    Traceback (most recent call last):
    ValueError: chart_id must match [a-z0-9-]+, got 'Pain trend'
    """
    if not isinstance(chart_id, str) or not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must match [a-z0-9-]+, got {chart_id!r}")
    return chart_id


def num(value: float, decimals: int = 1) -> str:
    """A number for people: rounded half up (9.25 -> 9.3), no trailing zeros, a true
    minus sign, never ``-0``.

    >>> num(2.0000001), num(-0.01), num(12.5), num(0.25, 2), num(-1.26) == MINUS + "1.3"
    ('2', '0', '12.5', '0.25', True)
    """
    if not math.isfinite(value):
        return "?"
    step = Decimal(1).scaleb(-decimals)
    shown = f"{Decimal(repr(float(value))).quantize(step, ROUND_HALF_UP):f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    if shown in ("-0", ""):
        shown = "0"
    return shown.replace("-", MINUS)


def coord(value: float) -> str:
    """A coordinate rounded to 0.1 user unit, written as short as it goes.

    >>> coord(12.04), coord(3.0), coord(-0.04)
    ('12', '3', '0')
    """
    return num(value, 1).replace(MINUS, "-")


def text_width(label: str, size: float) -> float:
    """Estimated width of a line of text in user units."""
    return len(label) * size * CHAR_EM


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Scale:
    """Maps a value in [lo, hi] onto [start, end] in user units, clamping what falls
    outside so nothing is ever drawn beyond the plot."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        share = (clamp(value, self.lo, self.hi) - self.lo) / (self.hi - self.lo)
        return self.start + share * (self.end - self.start)

    def inside(self, value: float) -> bool:
        return self.lo <= value <= self.hi


def nice_step(span: float, max_ticks: int, integer: bool = False) -> float:
    """The smallest 1-2-5 step that needs at most ``max_ticks`` ticks over ``span``
    (no 2.5: steps people count in without effort).

    >>> nice_step(10, 6, integer=True), nice_step(7, 8), nice_step(0.9, 5)
    (2, 1, 0.5)
    """
    max_ticks = max(2, max_ticks)
    raw = span / (max_ticks - 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
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
    lo: float, hi: float, length: float, widen: bool = False
) -> tuple[float, float, list[float]]:
    """Up to six round ticks, as many as fit along ``length`` units without their
    labels touching; ``widen`` first stretches [lo, hi] to whole steps (bars)."""
    for count in range(min(6, max(2, int(length / 40))), 1, -1):
        low, high, ticks = nice_domain(lo, hi, count) if widen else (lo, hi, [])
        ticks = ticks or value_ticks(lo, hi, count)
        per = length / (high - low)
        widths = [text_width(label, TICK_SIZE) for label in tick_labels(ticks)]
        if all(
            (b - a) * per >= (wa + wb) / 2 + 0.6 * TICK_SIZE
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
    return b[0] - a[0] >= (text_width(a[1], size) + text_width(b[1], size)) / 2 + 0.6 * size


def _labelled(days: Sequence[date], years: bool) -> list[tuple[date, str]]:
    out, year = [], None
    for day in days:
        out.append((day, day_label(day, with_year=years and day.year != year)))
        year = day.year
    return out


def wrap(label: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """Split a label into at most ``max_lines`` lines that fit ``width``; what is left
    over is cut with an ellipsis (the page's table carries the full text).

    >>> wrap("Hamstrings and adductors", 150, 18)
    ['Hamstrings and', 'adductors']
    >>> wrap("Supercalifragilistic", 100, 18, max_lines=1)
    ['Supercal…']
    """
    fits = max(2, int(width / (size * CHAR_EM)))
    lines: list[str] = []
    current = ""
    for word in label.split():
        joined = f"{current} {word}" if current else word
        if current and len(joined) > fits:
            lines.append(current)
            current = word
        else:
            current = joined
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [row if len(row) <= fits else row[: fits - 1].rstrip() + "…" for row in lines]


def fit(label: str, width: float, size: float = TEXT_SIZE) -> str:
    """One line of at most ``width`` units, cut with an ellipsis when longer."""
    return wrap(label, width, size, 1)[0] if label.split() else ""


def is_cut(label: str, width: float, size: float, max_lines: int = 2) -> bool:
    """True when ``wrap`` would have to cut the label to fit."""
    return " ".join(wrap(label, width, size, max_lines)) != " ".join(label.split())


# --- markup ------------------------------------------------------------------------------
def attrs(**values: object) -> str:
    """Attributes from keywords: ``class_`` is ``class``, ``_`` in names becomes ``-``,
    numbers are coordinates, None leaves the attribute out."""
    parts = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, bool):
            value = str(value).lower()
        shown = coord(value) if isinstance(value, int | float) else str(value)
        parts.append(f" {name}={quoteattr(shown)}")
    return "".join(parts)


def tag(name: str, content: str = "", **values: object) -> str:
    """One element; ``content`` is markup already made safe."""
    if content:
        return f"<{name}{attrs(**values)}>{content}</{name}>"
    return f"<{name}{attrs(**values)}/>"


def text(
    x: float,
    y: float,
    content: str,
    class_: str,
    size: float = TEXT_SIZE,
    anchor: str | None = None,
    weight: str | None = None,
) -> str:
    """A text element with escaped content; ``anchor`` is ``middle`` or ``end``."""
    return tag(
        "text",
        escape(content),
        x=x,
        y=y,
        class_=class_,
        font_size=size,
        text_anchor=anchor,
        font_weight=weight,
    )


def line(x1: float, y1: float, x2: float, y2: float, class_: str, **more: object) -> str:
    return tag("line", x1=x1, y1=y1, x2=x2, y2=y2, class_=class_, **more)


def rect(x: float, y: float, width: float, height: float, class_: str, **more: object) -> str:
    return tag("rect", x=x, y=y, width=width, height=height, class_=class_, **more)


def dashed(x1: float, y1: float, x2: float, y2: float) -> str:
    """A reference line: dashed, so it never reads as a data line."""
    return line(x1, y1, x2, y2, "chart-reference", stroke_width=2, stroke_dasharray=REFERENCE_DASH)


def points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{coord(x)},{coord(y)}" for x, y in pairs)


def document(
    chart_id: str, title: str, description: str, width: float, height: float, body: Sequence[str]
) -> str:
    """The root element: an image named by its title and its description (both in
    ``aria-labelledby``, the pattern screen readers support best), scaled by the
    stylesheet (``.chart``) to the width of its container: no pixel size here."""
    box = f"0 0 {coord(width)} {coord(height)}"
    ids = f"{chart_id}-title {chart_id}-desc"
    root = attrs(xmlns="http://www.w3.org/2000/svg", class_="chart", viewBox=box, role="img")
    return (
        f"<svg{root}{attrs(aria_labelledby=ids)}>"
        f"<title{attrs(id=f'{chart_id}-title')}>{escape(title)}</title>"
        f"<desc{attrs(id=f'{chart_id}-desc')}>{escape(description)}</desc>"
        + "".join(body)
        + "</svg>"
    )


# --- axes ----------------------------------------------------------------------------------
def finite(value: float | None) -> float | None:
    """The value, or None for a missing, infinite or NaN one (drawn as a gap)."""
    return value if value is not None and math.isfinite(value) else None


def check_range(low: float, high: float, what: str) -> None:
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{what}: need finite bounds with min < max, got {low} and {high}")


def tick_labels(ticks: Sequence[float]) -> list[str]:
    return [num(t, 2) for t in ticks]


def label_room(ticks: Sequence[float]) -> float:
    """Width the labels of a vertical axis take, plus their gap to the plot."""
    return max(text_width(label, TICK_SIZE) for label in tick_labels(ticks)) + 10


def y_axis(y: Scale, ticks: Sequence[float], left: float, right: float) -> list[str]:
    """Horizontal gridlines with their values right-aligned left of the plot."""
    out = []
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        out.append(line(left, y(tick), right, y(tick), "chart-grid"))
        out.append(text(left - 10, y(tick) + 7, label, "chart-tick", TICK_SIZE, "end"))
    return out


def x_axis(
    x: Scale, ticks: Sequence[float], top: float, bottom: float, title: str, width: float
) -> list[str]:
    """Vertical gridlines, their values under the plot, and the axis title under those;
    it takes ``X_AXIS_HEIGHT`` units below ``bottom``."""
    out = []
    for tick, label in zip(ticks, tick_labels(ticks), strict=True):
        at = centred(x(tick), label, width)
        out.append(line(x(tick), top, x(tick), bottom, "chart-grid"))
        out.append(text(at, bottom + 30, label, "chart-tick", TICK_SIZE, "middle"))
    title = fit(title, width - 4)
    at = centred((x.start + x.end) / 2, title, width, TEXT_SIZE)
    out.append(text(at, bottom + 64, title, "chart-label", TEXT_SIZE, "middle"))
    return out


X_AXIS_HEIGHT = 72.0


def centred(at: float, label: str, width: float, size: float = TICK_SIZE) -> float:
    """Where to centre a label near ``at`` so it stays inside a view box ``width`` wide."""
    half = text_width(label, size) / 2
    return clamp(at, min(half + 2, width / 2), max(width - half - 2, width / 2))


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
    inner = tag("title", escape(tip)) if tip else ""
    if shape == "square":
        s = r * 1.5
        return tag(
            "rect", inner, x=x - s / 2, y=y - s / 2, width=s, height=s, class_="chart-marker"
        )
    return tag("circle", inner, cx=x, cy=y, r=r * 1.1, class_="chart-marker")


def _symbol(key: Key, x: float, y: float) -> str:
    if key.kind == "series":
        n = key.index % len(SERIES_CLASSES)
        dash = SERIES_DASHES[n]
        sample = line(x, y, x + _SYMBOL, y, "chart-line", stroke_width=3, stroke_dasharray=dash)
        dot = marker(x + _SYMBOL / 2, y, key.marker, 6.5)
        return tag("g", sample + dot, class_=SERIES_CLASSES[n])
    if key.kind == "band":
        return rect(x + 4, y - 9, _SYMBOL - 8, 18, "chart-band chart-band-key")
    return dashed(x, y, x + _SYMBOL, y)


def legend(keys: Sequence[Key]) -> tuple[list[str], float]:
    """The key along the top, in rows that wrap; returns the markup and where it ends."""
    out, x, row, width = [], PAD, 0, WIDTH - 2 * PAD
    for key in keys:
        label = fit(key.label, width - _SYMBOL - 10)
        need = _SYMBOL + 8 + text_width(label, TEXT_SIZE)
        if x > PAD and x + need > PAD + width:
            x, row = PAD, row + 1
        cy = PAD + row * _KEY_ROW + _KEY_ROW / 2
        out += [_symbol(key, x, cy), text(x + _SYMBOL + 8, cy + 7, label, "chart-key")]
        x += need + 24
    return out, PAD + ((row + 1) * _KEY_ROW if keys else 0)


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
