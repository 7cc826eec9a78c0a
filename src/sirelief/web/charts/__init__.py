"""Charts drawn on the server as inline SVG: trends, weekly bars and a forest plot.

No chart JavaScript, and nothing the Content-Security-Policy (``style-src 'self'``) would
block: no ``style`` attribute, no ``<style>`` element. Geometry (sizes, dashes, font
sizes) lives in the markup so a chart keeps its shape; every colour comes from a class
that ``static/charts.css`` maps onto the site's light/dark variables. Each chart is a
``role="img"`` named by its ``<title>`` and ``<desc>``; the page beside it carries the
text summary and the data table.

Series are told apart by more than colour: line dash and marker shape differ, and a key
names them. The view box is ``width`` units wide (600 unless asked otherwise), with text
of 20-21 units: about 11 px on a phone, where a chart is 300-340 px wide, so pages give
phones a second, narrow drawing (``width=340``, text 16-17 units, so 15-16 px). The
layout follows the width: ticks thin out, labels wrap or are cut (the data table has
them whole), the key wraps, and where a label column would leave the plot too narrow
labels go above their bar or interval instead. On wide screens the stylesheet draws the
600-unit chart larger and its text smaller, which only adds room.

One module a chart, each drawing function importable from here: ``lines`` (values over
days), ``bars`` and ``forest`` (estimates with their intervals). ``inputs`` holds what
they are given (series, bands, bars, rows), ``axes`` the frame, scales, ticks and key
they share, and ``svg`` the markup.
"""

from sirelief.web.charts.axes import NO_DATA
from sirelief.web.charts.bars import Orientation, bar_chart
from sirelief.web.charts.forest import interval_chart
from sirelief.web.charts.lines import line_chart

__all__ = [
    "NO_DATA",
    "Orientation",
    "bar_chart",
    "interval_chart",
    "line_chart",
]
