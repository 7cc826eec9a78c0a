"""Any chart, on any data, stays inside its view box; the width keyword is checked."""

import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sirelief.web.charts import bar_chart, interval_chart, line_chart
from sirelief.web.charts.inputs import Band, Bar, IntervalRow, Reference, Series
from tests.charts.chart_support import (
    MONDAY,
    assert_no_text_overlaps,
    assert_well_formed,
    view_box,
)

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
