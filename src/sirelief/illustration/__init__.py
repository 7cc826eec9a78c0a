"""Exercise figures as SVG, drawn from the keyframes in each exercise file.

Public API (pure: text in, text out):

* ``render_figure(exercise, side="left", pose="animated") -> str``: one SVG document.
* ``render_figure_parts(exercise, side, pose) -> (svg, css)``: the SVG without its
  ``<style>`` and the CSS it needs, for pages that serve CSS as a file.
* ``FIGURE_CSS``: that CSS (the same for every figure).
* ``render_gallery_html(catalogue) -> str``: every figure on one page, for review.
* ``figure_layout(exercise, side) -> Layout``: the fitted geometry, for tests.
"""

from sirelief.illustration.gallery import render_gallery_html
from sirelief.illustration.svg import (
    FIGURE_CSS,
    POSES,
    SIDES,
    Layout,
    figure_layout,
    render_figure,
    render_figure_parts,
)

__all__ = [
    "FIGURE_CSS",
    "POSES",
    "SIDES",
    "Layout",
    "figure_layout",
    "render_figure",
    "render_figure_parts",
    "render_gallery_html",
]
