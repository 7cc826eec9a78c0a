"""Numbers, text and SVG markup for the charts: the pieces that know nothing of layout.

Standard library only; every piece of text goes through ``escape`` or ``quoteattr``.
Widths of text are estimates (about 0.56 em a character, a little generous for system
fonts), so layouts leave room.
"""

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape, quoteattr

CHAR_EM = 0.5625
"""Average character width in em: 9 units a character at font size 16."""
BOLD_CHAR_EM = 0.66
"""The same for the bold axis titles (``.chart-label``, weight 650): DejaVu Sans Bold, a
phone's usual fallback, runs about this wide; measured with 0.5625 a phone cut them."""
TEXT_SIZE = 21
"""Font size of legends, value labels and axis titles in a 600-unit chart (``Frame``
gives the size for other widths)."""
MINUS = "\u2212"
REFERENCE_DASH = "7 5"

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


def finite(value: float | None) -> float | None:
    """The value, or None for a missing, infinite or NaN one (drawn as a gap)."""
    return value if value is not None and math.isfinite(value) else None


def check_range(low: float, high: float, what: str) -> None:
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{what}: need finite bounds with min < max, got {low} and {high}")
