"""Chart names, ids and escaping: every chart is a named image, ids follow the chart id,
text is escaped and bad arguments are refused."""

import math

import pytest

from sirelief.web.charts import bar_chart, interval_chart, line_chart
from sirelief.web.charts.inputs import Band, Bar, IntervalRow, Reference, Series
from tests.charts.chart_support import (
    MONDAY,
    SVG,
    assert_no_text_overlaps,
    assert_well_formed,
    having,
    parse,
    samples,
    sides,
)


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
