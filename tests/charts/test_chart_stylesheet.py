"""The charts' stylesheet: every class the charts use is defined, colours come only
through the site variables, and the narrow drawing shows on a phone."""

import re

from tests.charts.chart_support import (
    CSS,
    classes,
    parse,
    samples,
)


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
