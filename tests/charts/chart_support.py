"""Reading the server-drawn SVG charts back for tests/charts: parse, measure, sample."""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

from sirelief.web.charts import bar_chart, interval_chart, line_chart
from sirelief.web.charts.inputs import Band, Bar, IntervalRow, Reference, Series
from sirelief.web.charts.svg import CHAR_EM, MINUS

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).parents[2] / "src/sirelief/web/static/charts.css"
MONDAY = date(2025, 11, 3)
WEEKS = [MONDAY + timedelta(weeks=i) for i in range(12)]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def view_box(root: ET.Element) -> tuple[float, float]:
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0)
    return width, height


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def having(root: ET.Element, name: str, cls: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{SVG}{name}")
    return [e for e in found if cls is None or cls in classes(e)]


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def drawn(root: ET.Element) -> list[tuple[str, float, float]]:
    """Every (element, x, y) a chart draws at, extents included."""
    out = []
    for e in root.iter():
        name, f = local(e), lambda key, e=e: float(e.get(key))
        if name == "circle":
            r = f("r")
            out += [(name, f("cx") - r, f("cy") - r), (name, f("cx") + r, f("cy") + r)]
        elif name == "rect":
            x, y = f("x"), f("y")
            out += [(name, x, y), (name, x + f("width"), y + f("height"))]
            assert f("width") >= 0
            assert f("height") >= 0
        elif name == "line":
            out += [(name, f("x1"), f("y1")), (name, f("x2"), f("y2"))]
        elif name in ("polyline", "polygon"):
            values = numbers(e.get("points"))
            out += [(name, x, y) for x, y in zip(values[::2], values[1::2], strict=True)]
        elif name == "path":
            values = numbers(e.get("d"))
            out += [(name, x, y) for x, y in zip(values[::2], values[1::2], strict=True)]
        elif name == "text":
            out.append((name, f("x"), f("y")))
    return out


def text_extent(e: ET.Element) -> tuple[float, float]:
    """Left and right end of a text, by the same width estimate the layout uses."""
    width = len(e.text or "") * float(e.get("font-size")) * CHAR_EM
    x = float(e.get("x"))
    anchor = e.get("text-anchor", "start")
    start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return start, start + width


def assert_well_formed(svg: str, chart_id: str) -> ET.Element:
    """Everything every chart must be: named image, inside its box, no inline CSS."""
    root = parse(svg)
    assert root.get("role") == "img"
    assert "chart" in classes(root)
    assert root.get("width") is None, "no fixed pixel size"
    assert root.get("height") is None
    ids = root.get("aria-labelledby").split()
    assert ids == [f"{chart_id}-title", f"{chart_id}-desc"]
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert local(by_id[ids[0]]) == "title"
    assert local(by_id[ids[1]]) == "desc"
    assert all(i.startswith(f"{chart_id}-") for i in by_id)
    width, height = view_box(root)
    for name, x, y in drawn(root):
        assert -0.05 <= x <= width + 0.05, (name, x, width)
        assert -0.05 <= y <= height + 0.05, (name, y, height)
    for e in root.iter():
        assert e.get("style") is None
        assert local(e) != "style"
        assert not any(k.startswith("on") for k in e.attrib)
    for e in having(root, "text"):
        assert float(e.get("font-size")) >= 12
        start, end = text_extent(e)
        assert start >= -1, (e.text, start)
        assert end <= width + 1, (e.text, end, width)
    assert not re.search(r'="-?\d+\.\d{2,}"', svg), "coordinates rounded to 0.1"
    rows: dict[str, list[tuple[float, float]]] = {}
    for e in having(root, "text", "chart-tick"):
        rows.setdefault(e.get("y"), []).append(text_extent(e))
    for extents in rows.values():
        for (_, end), (start, _) in itertools.pairwise(sorted(extents)):
            assert end <= start + 0.5, "tick labels in a row never overlap"
    return root


def text_box(e: ET.Element) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of a text: the width estimate, ascent and descent."""
    start, end = text_extent(e)
    size, y = float(e.get("font-size")), float(e.get("y"))
    return start, y - 0.72 * size, end, y + 0.2 * size


def assert_no_text_overlaps(root: ET.Element) -> None:
    """No two texts touch, and no vertical line (grid, zero, reference, axis) runs
    through a label, a note or the key."""
    boxes = [(e.text, text_box(e)) for e in having(root, "text")]
    for (a, (l1, t1, r1, b1)), (b, (l2, t2, r2, b2)) in itertools.combinations(boxes, 2):
        assert r1 <= l2 + 0.5 or r2 <= l1 + 0.5 or b1 <= t2 + 0.5 or b2 <= t1 + 0.5, (a, b)
    words = ("chart-key", "chart-note", "chart-label")
    texts = [e for cls in words for e in having(root, "text", cls)]
    for e in having(root, "line"):
        x1, y1, x2, y2 = (float(e.get(k)) for k in ("x1", "y1", "x2", "y2"))
        if x1 != x2 or classes(e) & {"chart-interval"}:
            continue
        for t in texts:
            left, top, right, bottom = text_box(t)
            crosses = left + 1 < x1 < right - 1 and min(y1, y2) < bottom and max(y1, y2) > top
            assert not crosses, (t.text, classes(e))


def y_of(root: ET.Element) -> dict[float, float]:
    """Value -> y of each labelled horizontal gridline (a vertical value axis)."""
    ticks = [t for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "end"]
    grid = having(root, "line", "chart-grid")
    values = [float(t.text.replace(MINUS, "-")) for t in ticks]
    return {v: float(g.get("y1")) for v, g in zip(values, grid, strict=True)}


def x_of(root: ET.Element) -> dict[float, float]:
    """Value -> x of each labelled vertical gridline (a horizontal value axis)."""
    ticks = [t for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "middle"]
    grid = having(root, "line", "chart-grid")
    grid = [g for g in grid if g.get("x1") == g.get("x2")]
    values = [float(t.text.replace(MINUS, "-")) for t in ticks]
    return {v: float(g.get("x1")) for v, g in zip(values, grid, strict=True)}


def plot_lines(root: ET.Element, cls: str) -> list[ET.Element]:
    """Lines of a class longer than a key's sample (40 units): the ones in the plot."""
    return [
        e
        for e in having(root, "line", cls)
        if math.dist(*((float(e.get(f"x{i}")), float(e.get(f"y{i}"))) for i in (1, 2))) > 41
    ]


def sides(left, right, **kw) -> str:
    return line_chart(
        "hip",
        "Hip tightness",
        "Left and right",
        [Series("Left", left, "circle"), Series("Right", right, "square")],
        0,
        10,
        "Tightness 0-10",
        **kw,
    )


def samples(width: float = 600) -> dict[str, str]:
    left = [(w, 6 - i * 0.4) for i, w in enumerate(WEEKS)]
    right = [(w, None if i == 4 else 7 - i * 0.3) for i, w in enumerate(WEEKS)]
    week = [Bar("3 Nov", 2, True), Bar("10 Nov", 3)]
    regions = [Bar("Hamstrings and adductors", 6), Bar("Hip flexors", 12.5, True)]
    rows = [
        IntervalRow("Hip flexor smash", 2.1, 1.2, 3.0),
        IntervalRow("Calf smash", 0.5, None, None, "too few sessions"),
        IntervalRow("Adductor rock", 3.8, 1.0, 9.0, "interval runs off the scale"),
    ]
    goal, plateau = Reference(2, "2 a week"), Reference(10, "plateau")
    w = {"width": width}
    return {
        "line": sides(left, right, band=Band(4, 8, "error"), reference_lines=[goal], **w),
        "empty-line": sides([], [(MONDAY, None)], **w),
        "bars": bar_chart("bars", "Sessions", "Per week", week, "Sessions", goal, **w),
        "bars-horizontal": bar_chart("regions", "Minutes", "Region", regions, "Min", plateau, **w),
        "empty-bars": bar_chart("none", "Minutes", "Per region", [], "Minutes", **w),
        "forest": interval_chart(
            "effects", "Effects", "d", rows, "Points", -4, 5, 2, "matters", **w
        ),
        "empty-forest": interval_chart("nothing", "Effects", "None", [], "Points", -4, 4, 2, **w),
    }
