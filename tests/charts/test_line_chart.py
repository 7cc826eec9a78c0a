"""The line chart: gaps, markers, the key, band and references at their values, dates
and ticks, and the narrow drawing for a phone."""

import math
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from sirelief.web.charts import NO_DATA, line_chart
from sirelief.web.charts.inputs import Band, Reference, Series
from tests.charts.chart_support import (
    MONDAY,
    WEEKS,
    assert_no_text_overlaps,
    assert_well_formed,
    classes,
    having,
    numbers,
    parse,
    plot_lines,
    sides,
    view_box,
    y_of,
)


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
