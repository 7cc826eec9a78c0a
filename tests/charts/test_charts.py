"""The server-drawn SVG charts: parseable, named, escaped, inside their view box, drawn
where the numbers say, and coloured only through classes the stylesheet defines."""

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.web.chart_markup import CHAR_EM, MINUS
from sirelief.web.charts import (
    NO_DATA,
    Band,
    Bar,
    IntervalRow,
    Reference,
    Series,
    bar_chart,
    interval_chart,
    line_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).parents[2] / "src/sirelief/web/static/charts.css"
MONDAY = date(2025, 11, 3)
WEEKS = [MONDAY + timedelta(weeks=i) for i in range(12)]


# --- helpers -------------------------------------------------------------------------------
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


# --- generated data ------------------------------------------------------------------------
values = st.one_of(
    st.none(),
    st.floats(-5, 15, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf, 0.0, 10.0]),
)
days = st.dates(date(2024, 1, 1), date(2026, 12, 31))
series_points = st.lists(st.tuples(days, values), max_size=60)
labels = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60
) | st.sampled_from(["Hip", "Hamstrings and adductors", '<script>&"', "a" * 80])
bounds = st.tuples(st.floats(-50, 50), st.floats(0.5, 100)).map(lambda p: (p[0], p[0] + p[1]))
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WIDTHS = pytest.mark.parametrize("width", [600, 340, None], ids=["wide", "narrow", "any-width"])
"""The default drawing, the phone's, and one of any allowed width (None: drawn by hypothesis)."""
any_width = st.floats(300, 1000)


@WIDTHS
@SLOW
@given(st.lists(series_points, min_size=1, max_size=3), bounds, st.booleans(), labels, any_width)
def test_any_line_chart_stays_inside_its_view_box(
    width, lines, y_range, with_band, name, drawn_width
) -> None:
    markers = ["circle", "square", "circle"]
    series = [Series(name, points, markers[i]) for i, points in enumerate(lines)]
    low, high = y_range
    band = Band(low - 5, (low + high) / 2, name) if with_band else None
    refs = [Reference(high + 1, "off the scale"), Reference((low + high) / 2, name)]
    width = width or drawn_width
    svg = line_chart("trend-1", name, name, series, low, high, name, band, refs, width=width)
    root = assert_well_formed(svg, "trend-1")  # date labels never overlap, and more
    assert_no_text_overlaps(root)
    assert view_box(root)[0] == pytest.approx(width, abs=0.05)


@WIDTHS
@SLOW
@given(
    st.lists(st.builds(Bar, labels, st.floats(-1e4, 1e4), st.booleans()), max_size=14),
    st.sampled_from(["auto", "vertical", "horizontal"]),
    st.none() | st.builds(Reference, st.floats(-100, 100), labels),
    any_width,
)
def test_any_bar_chart_stays_inside_its_view_box(
    width, bars, orientation, target, drawn_width
) -> None:
    width = width or drawn_width
    svg = bar_chart("bars", "Bars", "Generated", bars, "Minutes", target, orientation, width=width)
    root = assert_well_formed(svg, "bars")
    if orientation != "vertical":  # forced upright, wide values may touch their neighbours
        assert_no_text_overlaps(root)
    assert view_box(root)[0] == pytest.approx(width, abs=0.05)


rows = st.builds(
    IntervalRow,
    labels,
    st.floats(-20, 20),
    st.none() | st.floats(-30, 30),
    st.none() | st.floats(-30, 30),
    st.sampled_from(["", "too few sessions"]) | labels,
)


@WIDTHS
@SLOW
@given(st.lists(rows, max_size=10), bounds, st.none() | st.floats(0, 10), labels, any_width)
def test_any_forest_plot_stays_inside_its_view_box(
    width, rows, x_range, threshold, x_label, drawn_width
) -> None:
    width = width or drawn_width
    svg = interval_chart(
        "effects", "Effects", "Generated", rows, x_label, *x_range, threshold, width=width
    )
    root = assert_well_formed(svg, "effects")
    assert_no_text_overlaps(root)
    assert view_box(root)[0] == pytest.approx(width, abs=0.05)


@pytest.mark.parametrize("width", [299.9, 1000.1, 0, -340, math.nan, math.inf, "340", True])
def test_a_width_outside_300_to_1000_is_refused(width) -> None:
    with pytest.raises(ValueError, match="width"):
        line_chart("a", "t", "d", [Series("s", [(MONDAY, 1)])], 0, 10, "y", width=width)
    with pytest.raises(ValueError, match="width"):
        bar_chart("a", "t", "d", [Bar("a", 1)], "y", width=width)
    with pytest.raises(ValueError, match="width"):
        interval_chart("a", "t", "d", [IntervalRow("a", 1, 0, 2)], "x", 0, 3, width=width)
    with pytest.raises(ValueError, match="width"):
        line_chart("a", "t", "d", [], 0, 10, "y", width=width)  # refused with no data too


def test_the_width_is_the_view_box_and_the_ends_are_allowed() -> None:
    for width in (300, 340, 600, 1000, 477.3):
        svg = bar_chart("a", "t", "d", [Bar("a", 1)], "y", width=width)
        assert view_box(assert_well_formed(svg, "a"))[0] == pytest.approx(width, abs=0.05)


# --- names, ids, escaping ------------------------------------------------------------------
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


@pytest.mark.parametrize("width", [600, 340])
@pytest.mark.parametrize("name", list(samples()))
def test_every_sample_is_a_named_image_with_no_inline_css(name, width) -> None:
    svg = samples(width)[name]
    assert "<style" not in svg
    assert "style=" not in svg
    chart_id = parse(svg).get("aria-labelledby").split()[0].removesuffix("-title")
    assert_no_text_overlaps(assert_well_formed(svg, chart_id))


def test_ids_follow_the_chart_id_so_charts_share_a_page() -> None:
    one, two = sides([(MONDAY, 3)], []), bar_chart("week-2", "W", "D", [Bar("a", 1)], "n")
    ids = [e.get("id") for svg in (one, two) for e in parse(svg).iter() if e.get("id")]
    assert ids == ["hip-title", "hip-desc", "week-2-title", "week-2-desc"]


@pytest.mark.parametrize("bad", ["", "Hip", "hip trend", "hip_trend", '"><script>', "é"])
def test_a_chart_id_outside_a_z_0_9_dash_is_refused(bad) -> None:
    with pytest.raises(ValueError, match="chart_id"):
        line_chart(bad, "t", "d", [], 0, 10, "y")
    with pytest.raises(ValueError, match="chart_id"):
        bar_chart(bad, "t", "d", [], "y")
    with pytest.raises(ValueError, match="chart_id"):
        interval_chart(bad, "t", "d", [], "x", 0, 1)


def test_text_is_escaped_and_the_document_still_parses() -> None:
    nasty = '<script>&"'
    svg = line_chart(
        "x",
        nasty,
        nasty,
        [Series(nasty, [(MONDAY, 1)])],
        0,
        10,
        nasty,
        Band(0, 2, nasty),
        [Reference(5, nasty)],
    )
    assert "<script>" not in svg
    root = assert_well_formed(svg, "x")
    assert root.find(f"{SVG}title").text == nasty
    assert root.find(f"{SVG}desc").text == nasty
    assert nasty in [t.text for t in having(root, "text")]
    bars = bar_chart("b", nasty, nasty, [Bar(nasty, 1)], nasty, Reference(1, nasty))
    forest = interval_chart("f", nasty, nasty, [IntervalRow(nasty, 1, 0, 2, nasty)], nasty, 0, 3)
    for svg, chart_id in ((bars, "b"), (forest, "f")):
        assert "<script>" not in svg
        assert nasty in [t.text for t in having(assert_well_formed(svg, chart_id), "text")]


def test_bad_ranges_and_orientation_are_refused() -> None:
    with pytest.raises(ValueError, match="y range"):
        line_chart("a", "t", "d", [], 5, 5, "y")
    with pytest.raises(ValueError, match="x range"):
        interval_chart("a", "t", "d", [], "x", 1, math.nan)
    with pytest.raises(ValueError, match="orientation"):
        bar_chart("a", "t", "d", [Bar("a", 1)], "y", orientation="diagonal")
    with pytest.raises(ValueError, match="marker"):
        Series("a", [], "triangle")


# --- line chart ----------------------------------------------------------------------------
def series_group(root: ET.Element, cls: str) -> list[ET.Element]:
    """The plot's groups of one series (its lines, then its markers), not the key's."""
    return [g for g in having(root, "g", cls) if not having(g, "line")]


def test_a_gap_breaks_the_line_in_two() -> None:
    points = [(WEEKS[0], 4), (WEEKS[1], 5), (WEEKS[2], None), (WEEKS[3], 3), (WEEKS[4], 2)]
    root = parse(sides(points, []))
    lines = [p for g in series_group(root, "chart-series-a") for p in having(g, "polyline")]
    assert [len(numbers(p.get("points"))) // 2 for p in lines] == [2, 2]
    assert len([m for g in series_group(root, "chart-series-a") for m in having(g, "circle")]) == 4


def test_a_lone_point_between_gaps_is_a_marker_without_a_line() -> None:
    root = parse(sides([(WEEKS[0], None), (WEEKS[1], 5), (WEEKS[2], None)], []))
    group = series_group(root, "chart-series-a")
    assert not [p for g in group for p in having(g, "polyline")]
    assert len([m for g in group for m in having(g, "circle")]) == 1


def test_the_key_names_both_sides_and_they_differ_in_dash_and_marker() -> None:
    root = parse(sides([(w, 3) for w in WEEKS], [(w, 5) for w in WEEKS]))
    assert {"Left", "Right"} <= {t.text for t in having(root, "text", "chart-key")}
    left, right = (having(root, "g", c)[0] for c in ("chart-series-a", "chart-series-b"))
    assert having(left, "circle")
    assert not having(left, "rect")
    assert having(right, "rect")
    assert not having(right, "circle")
    left_line, right_line = (having(root, "polyline", "chart-line")[i] for i in (0, 1))
    assert left_line.get("stroke-dasharray") != right_line.get("stroke-dasharray")
    assert right_line.get("stroke-dasharray")


def test_band_reference_and_points_are_at_their_values() -> None:
    svg = sides(
        [(WEEKS[0], 5), (WEEKS[1], 50), (WEEKS[2], -3)],
        [],
        band=Band(6, 2, "error"),
        reference_lines=[Reference(4, "goal")],
    )
    root = assert_well_formed(svg, "hip")
    y = y_of(root)
    assert sorted(y) == [0, 2, 4, 6, 8, 10]
    (band,) = [r for r in having(root, "rect", "chart-band") if "chart-band-key" not in classes(r)]
    assert float(band.get("y")) == y[6]
    assert float(band.get("y")) + float(band.get("height")) == pytest.approx(y[2], abs=0.1)
    (ref,) = plot_lines(root, "chart-reference")
    assert float(ref.get("y1")) == float(ref.get("y2")) == y[4]
    markers = [m for g in series_group(root, "chart-series-a") for m in having(g, "circle")]
    cys = [float(m.get("cy")) for m in markers]
    assert cys == [pytest.approx((y[4] + y[6]) / 2, abs=0.1), y[10], y[0]], "clamped to the range"


def test_a_reference_off_the_scale_is_neither_drawn_nor_named() -> None:
    root = parse(sides([(MONDAY, 5)], [], reference_lines=[Reference(12, "off")]))
    assert not plot_lines(root, "chart-reference")
    assert "off" not in [t.text for t in having(root, "text")]


def test_several_references_are_named_on_their_lines_not_in_the_key() -> None:
    refs = [Reference(8, "Upper"), Reference(2, "Lower")]
    root = parse(sides([(MONDAY, 5)], [], reference_lines=refs))
    y = y_of(root)
    notes = {t.text: float(t.get("y")) for t in having(root, "text", "chart-note")}
    assert notes == {"Upper": y[8] - 7, "Lower": y[2] - 7}
    assert not {"Upper", "Lower"} & {t.text for t in having(root, "text", "chart-key")}


@pytest.mark.parametrize(
    "points",
    [[], [(MONDAY, None)], [(MONDAY, math.nan)], [(MONDAY, 4)], [(w, 5) for w in WEEKS]],
    ids=["empty", "only-gaps", "nan", "one-point", "all-equal"],
)
def test_empty_single_and_flat_series(points) -> None:
    root = assert_well_formed(sides(points, points), "hip")
    texts = [t.text for t in having(root, "text")]
    has_values = any(v is not None and math.isfinite(v) for _, v in points)
    assert (NO_DATA in texts) is not has_values
    assert {"Left", "Right"} <= set(texts), "the key shows even without data"


def test_one_point_has_its_own_date_as_the_only_tick() -> None:
    root = parse(sides([(MONDAY, 4)], []))
    ticks = [t.text for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "middle"]
    assert ticks == ["3 Nov"]


def test_dates_are_week_starts_thinned_to_fit() -> None:
    year = [(MONDAY + timedelta(days=i), 5) for i in range(0, 365, 3)]
    root = assert_well_formed(sides(year, []), "hip")
    ticks = [t.text for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "middle"]
    assert ticks[0] == "3 Nov 2025"
    assert any(t.endswith(" 2026") for t in ticks), "the year where it changes"
    assert 4 <= len(ticks) <= 8
    autumn = [(date(2025, 9, 1) + timedelta(weeks=i), 5) for i in range(12)]
    assert date_labels(sides(autumn, [])) == [
        "1 Sep",
        "15 Sep",
        "29 Sep",
        "13 Oct",
        "27 Oct",
        "10 Nov",
    ]
    new_year = [(w, 5) for w in WEEKS]
    assert date_labels(sides(new_year, [])) == ["3 Nov 2025", "24 Nov", "15 Dec", "5 Jan 2026"]


def date_labels(svg: str) -> list[str]:
    ticks = having(parse(svg), "text", "chart-tick")
    return [t.text for t in ticks if t.get("text-anchor") == "middle"]


def test_tick_values_are_compact() -> None:
    root = parse(line_chart("a", "t", "d", [Series("s", [(MONDAY, 0.1 + 0.2)])], 0, 1, "y"))
    ticks = [t.text for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "0.2", "0.4", "0.6", "0.8", "1"]
    tip = having(root, "title")[-1].text
    assert tip == "s, 3 Nov: 0.3"


def sizes(root: ET.Element, cls: str) -> set[float]:
    return {float(t.get("font-size")) for t in having(root, "text", cls)}


def test_a_narrow_chart_sizes_its_type_for_a_phone_and_thins_its_dates() -> None:
    weeks = [(w, 5) for w in WEEKS]
    wide, narrow = (sides(weeks, weeks, width=w) for w in (600, 340))
    assert sizes(parse(wide), "chart-tick") == {20}
    assert sizes(parse(wide), "chart-key") == {21}
    assert sizes(parse(narrow), "chart-tick") == {16}, "15 px where a phone draws it 320 px wide"
    assert sizes(parse(narrow), "chart-key") == {17}
    assert view_box(parse(narrow))[0] == 340
    assert 2 <= len(date_labels(narrow)) < len(date_labels(wide))
    assert_no_text_overlaps(assert_well_formed(narrow, "hip"))


def test_a_long_key_entry_takes_two_lines_instead_of_being_cut() -> None:
    label = "±2 from week one: measurement error"
    svg = sides([(MONDAY, 4)], [], band=Band(2, 6, label), width=340)
    root = assert_well_formed(svg, "hip")
    keys = [t.text for t in having(root, "text", "chart-key")]
    assert keys[:2] == ["Left", "Right"]
    assert len(keys) == 4
    assert " ".join(keys[2:]) == label
    assert_no_text_overlaps(root)


# --- bar chart -----------------------------------------------------------------------------
def test_vertical_bars_carry_their_values_and_the_target_line() -> None:
    bars = [Bar("3 Nov", 2.0000001), Bar("10 Nov", 3, emphasis=True), Bar("17 Nov", 0)]
    root = assert_well_formed(bar_chart("s", "t", "d", bars, "Sessions", Reference(2, "2")), "s")
    values = [t.text for t in having(root, "text", "chart-value")]
    assert values == ["2", "3", "0"]
    rects = having(root, "rect", "chart-bar")
    assert ["chart-bar-emphasis" in classes(r) for r in rects] == [False, True, False]
    assert all("chart-bar-dim" in classes(r) for r in (rects[0], rects[2]))
    y = y_of(root)
    (target,) = plot_lines(root, "chart-reference")
    assert float(target.get("y1")) == y[2]
    assert float(rects[1].get("y")) == y[3]
    assert float(rects[1].get("y")) + float(rects[1].get("height")) == pytest.approx(y[0], abs=0.1)


def test_no_emphasis_means_every_bar_solid() -> None:
    root = parse(bar_chart("s", "t", "d", [Bar("a", 1), Bar("b", 2)], "n"))
    assert all(classes(r) == {"chart-bar"} for r in having(root, "rect", "chart-bar"))


def test_long_labels_turn_the_bars_sideways_and_keep_every_word() -> None:
    names = ["Hip flexors", "Hamstrings and adductors", "Calves and ankles", "Glutes", "Back"]
    bars = [Bar(n, v) for n, v in zip(names, (12.5, 6, 9.25, 0, 3), strict=True)]
    root = assert_well_formed(bar_chart("m", "t", "d", bars, "Minutes", Reference(10, "p")), "m")
    rects = having(root, "rect", "chart-bar")
    assert len({r.get("height") for r in rects}) == 1, "one thickness: the bars lie sideways"
    assert len({r.get("x") for r in rects}) == 1
    words = " ".join(t.text for t in having(root, "text", "chart-key"))
    assert all(n in words or all(w in words for w in n.split()) for n in names)
    assert "…" not in words
    assert [t.text for t in having(root, "text", "chart-value")] == ["12.5", "6", "9.3", "0", "3"]
    x = x_of(root)
    (target,) = plot_lines(root, "chart-reference")
    assert float(target.get("x1")) == x[10]
    assert float(rects[0].get("x")) == x[0]


def test_weeks_stand_upright_when_wide_and_lie_sideways_when_narrow() -> None:
    bars = [Bar(f"{w.day} {w:%b}", i % 4, i == 11) for i, w in enumerate(WEEKS)]
    wide, narrow = (
        assert_well_formed(bar_chart("s", "t", "d", bars, "Sessions", width=w), "s")
        for w in (600, 340)
    )
    assert len({r.get("x") for r in having(wide, "rect", "chart-bar")}) == 12
    assert len({r.get("x") for r in having(narrow, "rect", "chart-bar")}) == 1
    assert [t.text for t in having(narrow, "text", "chart-key")] == [b.label for b in bars]
    assert_no_text_overlaps(narrow)


def test_narrow_region_bars_carry_their_names_above_them_whole() -> None:
    names = ["Hip flexors", "Upper back & shoulders", "Hamstrings and adductors", "Glutes"]
    bars = [Bar(n, v, v > 10) for n, v in zip(names, (18, 9.2, 28.4, 0), strict=True)]
    svg = bar_chart("m", "t", "d", bars, "Minutes per side", Reference(10, "p"), width=340)
    root = assert_well_formed(svg, "m")
    labels = having(root, "text", "chart-key")[1:]  # after the key's "p"
    assert [t.text for t in labels] == names, "one line each, nothing cut"
    rects = having(root, "rect", "chart-bar")
    assert {float(t.get("x")) for t in labels} == {12}
    assert {r.get("x") for r in rects} == {"12"}, "the bars start at the left edge too"
    for label, bar in zip(labels, rects, strict=True):
        assert float(label.get("y")) < float(bar.get("y")), "each name above its bar"
    assert len(plot_lines(root, "chart-reference")) == 0, "the target is drawn per bar"
    assert len(having(root, "line", "chart-reference")) == 1 + len(bars)
    assert_no_text_overlaps(root)


def test_a_forced_vertical_chart_wraps_long_labels_to_two_lines() -> None:
    bars = [Bar("Hamstrings and adductors and more", 3)] * 8
    root = assert_well_formed(bar_chart("v", "t", "d", bars, "n", orientation="vertical"), "v")
    ticks = [t for t in having(root, "text", "chart-tick") if t.get("text-anchor") == "middle"]
    assert len(ticks) == 16
    assert any(t.text.endswith("…") for t in ticks)


# --- forest plot ---------------------------------------------------------------------------
def forest(rows, threshold=2.0) -> ET.Element:
    svg = interval_chart("fx", "Effects", "d", rows, "Points", -4, 4, threshold, "matters")
    return assert_well_formed(svg, "fx")


def test_forest_rows_sit_on_the_scale_with_zero_and_threshold_lines() -> None:
    root = forest([IntervalRow("Hip flexor smash", 2.1, 1.2, 3.0)])
    x = x_of(root)
    (dot,) = having(root, "circle", "chart-dot")
    assert float(dot.get("cx")) == pytest.approx(x[2] + (x[4] - x[2]) * 0.05, abs=0.1)
    (zero,) = having(root, "line", "chart-zero")
    assert float(zero.get("x1")) == x[0]
    dashed = sorted(float(e.get("x1")) for e in plot_lines(root, "chart-reference"))
    assert dashed == [x[-2], x[2]]
    interval, *caps = having(root, "line", "chart-interval")
    assert float(interval.get("x2")) - float(interval.get("x1")) == pytest.approx(
        (x[4] - x[0]) * 1.8 / 4, abs=0.2
    )
    assert len(caps) == 2
    assert [t.text for t in having(root, "text", "chart-value")] == ["2.1"]
    assert "matters" in [t.text for t in having(root, "text", "chart-key")]


def test_a_row_without_an_interval_shows_an_open_dot_and_its_note() -> None:
    root = forest([IntervalRow("Calf smash", 0.5, None, None, "too few sessions")])
    assert not having(root, "line", "chart-interval")
    (dot,) = having(root, "circle", "chart-dot")
    assert "chart-dot-open" in classes(dot)
    assert [t.text for t in having(root, "text", "chart-note")] == ["too few sessions"]


def test_an_interval_off_the_scale_ends_in_an_arrow() -> None:
    root = forest([IntervalRow("Adductor rock", 3.8, -9, 9)])
    assert len(having(root, "polygon", "chart-arrow")) == 2
    assert not [e for e in having(root, "line", "chart-interval") if e.get("x1") == e.get("x2")]


def test_long_forest_labels_wrap_to_two_lines() -> None:
    root = forest([IntervalRow("Hamstring floss with a kettlebell on the bench", 1, 0, 2)])
    keys = [t.text for t in having(root, "text", "chart-key") if t.text != "matters"]
    assert len(keys) == 2


def test_a_narrow_forest_plot_puts_long_labels_above_their_intervals() -> None:
    rows = [
        IntervalRow("Kettlebell adductor smash: hamstring and inner-thigh", 0.2, -0.4, 0.7),
        IntervalRow("Kettlebell calf smash: ankle", 1.5, None, None, "2 of 3 sessions needed"),
    ]
    title = "Points more loosening on the treated side"
    wide = forest(rows)
    assert any(t.text.endswith("…") for t in having(wide, "text", "chart-key")), "cut when wide"
    svg = interval_chart("fx", "E", "d", rows, title, -4, 4, 2.0, "matters", width=340)
    root = assert_well_formed(svg, "fx")
    keys = [t.text for t in having(root, "text", "chart-key") if t.text != "matters"]
    assert " ".join(keys) == " ".join(r.label for r in rows), "whole, in one or two lines"
    assert [t.text for t in having(root, "text", "chart-note")] == ["2 of 3 sessions needed"]
    assert " ".join(t.text for t in having(root, "text", "chart-label")) == title
    band = [r for r in having(root, "rect", "chart-band") if "chart-band-key" not in classes(r)]
    assert len(band) == 2, "the band is drawn in each row's strip"
    dots = having(root, "circle", "chart-dot")
    words = having(root, "text", "chart-key")[1:] + having(root, "text", "chart-note")
    assert max(float(t.get("y")) for t in words[:2]) < float(dots[0].get("cy"))
    assert_no_text_overlaps(root)


def test_short_labels_keep_their_column_even_when_narrow() -> None:
    rows = [IntervalRow("Hip", 2.1, 1.2, 3.0), IntervalRow("Calf", 0.5, -0.5, 1.5)]
    svg = interval_chart("fx", "E", "d", rows, "Points", -4, 4, 2.0, "matters", width=340)
    root = assert_well_formed(svg, "fx")
    (zero,) = having(root, "line", "chart-zero")
    labels = [t for t in having(root, "text", "chart-key") if t.text != "matters"]
    dots = having(root, "circle", "chart-dot")
    for label, dot in zip(labels, dots, strict=True):
        assert 0 < float(label.get("y")) - float(dot.get("cy")) < 8, "level with its interval"
    assert float(zero.get("x1")) > max(text_extent(t)[1] for t in labels)
    assert_no_text_overlaps(root)


def test_empty_inputs_say_no_data_yet() -> None:
    for svg, chart_id in (
        (bar_chart("b", "t", "d", [Bar("nan", math.nan)], "n"), "b"),
        (interval_chart("f", "t", "d", [], "x", -1, 1), "f"),
        (line_chart("l", "t", "d", [], 0, 10, "y"), "l"),
    ):
        root = assert_well_formed(svg, chart_id)
        assert NO_DATA in [t.text for t in having(root, "text")]


# --- the stylesheet ------------------------------------------------------------------------
def test_the_stylesheet_defines_every_class_the_charts_use() -> None:
    used = {c for svg in samples().values() for e in parse(svg).iter() for c in classes(e)}
    assert {"chart-series-a", "chart-series-b", "chart-band", "chart-reference"} <= used
    css = CSS.read_text(encoding="utf-8")
    defined = set(re.findall(r"\.([a-z][a-z0-9-]*)\s*[,{]", css))
    assert used - defined == set()


def test_the_stylesheet_colours_only_through_the_site_variables() -> None:
    css = CSS.read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb\(|hsl\(", css), "colours come from app.css"
    allowed = {
        "--text",
        "--muted",
        "--line",
        "--accent",
        "--danger",
        "--warn",
        "--good",
        "--surface",
    }
    assert set(re.findall(r"var\((--[a-z-]+)\)", css)) <= allowed


def test_the_stylesheet_shows_the_narrow_drawing_below_34rem_and_the_wide_one_from_there() -> None:
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    assert re.search(r"(^|\})\s*\.chart-wide\s*\{\s*display:\s*none;\s*\}", css)
    (query,) = re.findall(r"@media \(min-width: 34rem\) \{(.*?)\n\}", css, re.S)
    assert re.search(r"\.chart-wide\s*\{\s*display:\s*block;\s*\}", query)
    assert re.search(r"\.chart-narrow\s*\{\s*display:\s*none;\s*\}", query)
