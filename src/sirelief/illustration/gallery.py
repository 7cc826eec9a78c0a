"""A standalone HTML page with every figure, for reviewing them side by side."""

import base64
from html import escape

from sirelief.domain.catalogue import Catalogue
from sirelief.illustration.svg import render_figure

PAGE_CSS = """\
body{font-family:system-ui,sans-serif;margin:16px;background:#f4f6f8;color:#1f2933}
h1{font-size:20px;margin:0 0 12px}
.card{background:#fff;border-radius:10px;padding:10px 12px;margin:0 0 14px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
.card h2{font-size:16px;margin:0 0 2px}.card p{margin:0 0 6px;font-size:13px;color:#52606d}
.row{display:flex;flex-wrap:wrap;gap:8px}
figure{margin:0;flex:1 1 200px;max-width:330px}
figure img{width:100%;height:auto;border-radius:6px;background:#fff;border:1px solid #e4e7eb}
figure.dark img{background:#111827;border-color:#111827}
figcaption{font-size:12px;color:#616e7c;text-align:center}
"""

VARIANTS = (
    ("start", "left", "start, left", ""),
    ("end", "left", "end, left", ""),
    ("animated", "left", "animated, left", ""),
    ("animated", "right", "animated, right (dark)", "dark"),
)


def _img(svg: str, alt: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(alt)}">'


def render_gallery_html(catalogue: Catalogue) -> str:
    """Every exercise's figure: start, end and animated, left and right, light and dark."""
    cards = []
    for exercise in catalogue.exercises.values():
        figures = []
        for pose, side, caption, tone in VARIANTS:
            svg = render_figure(exercise, side=side, pose=pose)
            alt = f"{exercise.name}, {caption}"
            figures.append(
                f'<figure class="{tone}">{_img(svg, alt)}'
                f"<figcaption>{escape(caption)}</figcaption></figure>"
            )
        cards.append(
            f'<section class="card" id="{escape(exercise.id)}">'
            f"<h2>{escape(exercise.name)}</h2>"
            f"<p>{escape(exercise.id)} · {escape(exercise.figure.caption)}</p>"
            f'<div class="row">{"".join(figures)}</div></section>'
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>sirelief figures</title><style>{PAGE_CSS}</style></head><body>"
        f"<h1>sirelief exercise figures ({len(cards)})</h1>{''.join(cards)}</body></html>"
    )
