"""The forest plot: rows on the scale, open dots, arrows off the scale, wrapped labels,
and empty inputs."""

import math
import xml.etree.ElementTree as ET

import pytest

from sirelief.web.charts import NO_DATA, bar_chart, interval_chart, line_chart
from sirelief.web.charts.inputs import Bar, IntervalRow
from tests.charts.chart_support import (
    assert_no_text_overlaps,
    assert_well_formed,
    classes,
    having,
    plot_lines,
    text_extent,
    x_of,
)


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


@pytest.mark.parametrize("width", [340, 600])
def test_an_axis_title_is_wrapped_as_bold_type_measures(width) -> None:
    """The axis title is drawn bold: measured as regular type, "Points more loosening on
    the worked" was kept on one line and a phone cut both its ends (seen at 390 px)."""
    from sirelief.web.charts.svg import BOLD_CHAR_EM

    title = "Points more loosening on the worked side"
    svg = interval_chart("f", "t", "d", [IntervalRow("Hip", 1.0, 0.0, 2.0)], title, -4, 4,
                         width=width)  # fmt: skip
    root = ET.fromstring(svg)
    rows = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
            if "chart-label" in t.get("class", "") and t.text and t.text in title]  # fmt: skip
    assert " ".join(rows) == title
    size = float(next(t for t in root.iter("{http://www.w3.org/2000/svg}text")
                      if t.text == rows[0]).get("font-size"))  # fmt: skip
    assert all(len(row) * size * BOLD_CHAR_EM <= width - 4 for row in rows)
