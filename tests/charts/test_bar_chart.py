"""The bar chart: values and target line, emphasis, sideways bars for long labels, and
the narrow drawing."""

import pytest

from sirelief.web.charts import bar_chart
from sirelief.web.charts.inputs import Bar, Reference
from tests.charts.chart_support import (
    WEEKS,
    assert_no_text_overlaps,
    assert_well_formed,
    classes,
    having,
    parse,
    plot_lines,
    x_of,
    y_of,
)


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
