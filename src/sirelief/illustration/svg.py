"""SVG documents for an exercise's figure: a still of a keyframe, or the animated loop.

Every document is self-contained (no scripts, no event handlers, no external references,
no ids), so it works inline in HTML and through ``<img src>``. Colours are presentation
attributes, never ``style=`` attributes. The only CSS is in the animated version: SMIL
``<animate>`` moves the figure, and CSS decides whether the moving or the still copy shows.
Without that CSS (say a Content-Security-Policy blocks the inline ``<style>``) the still
shows: motion appears only when the CSS runs and the person has not asked for less.
"""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from sirelief.domain.exercise import Exercise
from sirelief.domain.vocabulary import label
from sirelief.illustration.geometry import Point
from sirelief.illustration.paths import Outline, bounds, polygon, polyline
from sirelief.illustration.scene import Drawn, Frame, Scene, build_scene

SIDES: tuple[str, ...] = ("left", "right")
POSES: tuple[str, ...] = ("start", "end", "animated")

WIDTH, HEIGHT, PAD = 480.0, 360.0, 14.0

FIGURE_CSS = """\
.sr-figure .sr-motion{visibility:hidden}
@media (prefers-reduced-motion: no-preference){
.sr-figure .sr-motion{visibility:visible}
.sr-figure .sr-still{visibility:hidden}}
@media (prefers-reduced-motion: reduce){
.sr-figure .sr-motion{display:none}
.sr-figure .sr-still{visibility:visible}}
"""
"""The animation switch. Serve it as a file where ``style-src 'self'`` forbids inline CSS."""

STROKE = 'stroke-linejoin="round" stroke-linecap="round"'
BODY_COLOURS = {
    "body": ("#a9b8c7", "#4d5d6e"),
    "hair": ("#6b4f3a", "#4a3628"),
    "near": ("#14a3b5", "#0b5f6b"),
    "near_far": ("#0f7f8e", "#0a4b54"),
    "far": ("#cbd3db", "#6b7682"),
}
"""Body fills and outlines: working side teal, resting side light grey, trunk and head slate."""
STYLES = {
    "prop": 'fill="#d9e0e7" stroke="#3f4c5c" stroke-width="1.1"',
    "iron": 'fill="#3d4856" stroke="#8b98a8" stroke-width="1"',
    "shine": 'fill="#8b98a8" fill-opacity="0.7"',
    "wall": 'fill="#e3e8ee" stroke="#8a97a6" stroke-width="1.1"',
    "mat": 'fill="#b4c6bf" stroke="#7f9a8f" stroke-width="1"',
    "strap": 'fill="none" stroke="#8b5cf6" stroke-width="3"',
    "band": 'fill="none" stroke="#8b5cf6" stroke-width="3.2"',
    "floor": 'fill="none" stroke="#8a97a6" stroke-width="1.6"',
    "arrow": 'fill="none" stroke="#64748b" stroke-width="3"',
    "arrowhead": 'fill="#64748b" stroke="#64748b" stroke-width="1"',
}
"""Colours work on light and dark pages: mid-tone fills, outlines a step darker."""
GHOST = "#7d93a8"

PROP_OF_KEY = {"roller": "foam_roller", "trx": "suspension_trainer"}


@dataclass
class Layout:
    """A scene fitted into the view box for one side; all coordinates are final."""

    scene: Scene
    side: str
    width: float
    height: float
    scale: float
    origin: Point
    mirror: bool

    def place(self, p: Point) -> Point:
        return self.flip(self.fit(p))

    def fit(self, p: Point) -> Point:
        """Scene centimetres to view box units, before mirroring."""
        x = WIDTH / 2 + (p[0] - self.origin[0]) * self.scale
        y = HEIGHT / 2 - (p[1] - self.origin[1]) * self.scale
        return (x, y)

    def flip(self, p: Point) -> Point:
        """The mirror image for the left side; unchanged for the right."""
        return (WIDTH - p[0], p[1]) if self.mirror else p

    def outline(self, outline: Outline) -> Outline:
        return outline.mapped(self.place)

    def joints(self, keyframe: str) -> dict[str, Point]:
        """Where each named point of the body is drawn at a keyframe (for tests)."""
        frame = self.scene.frame(keyframe)
        return {name: self.place(p) for name, p in frame.joints.items()}


def _check(side: str, pose: str) -> None:
    if side not in SIDES:
        raise ValueError(f"side must be left or right, got {side!r}")
    if pose not in POSES:
        raise ValueError(f"pose must be start, end or animated, got {pose!r}")


def figure_layout(exercise: Exercise, side: str = "left") -> Layout:
    """The exercise's figure fitted into the view box, mirrored for the left side."""
    _check(side, "start")
    scene = build_scene(exercise)
    points: list[Point] = []
    for frame in scene.frames:
        for drawn in (*frame.shapes, *frame.glows, *frame.held):
            points.extend(drawn.outline.points())
    for drawn in scene.fixed:
        points.extend(drawn.outline.points())
    points.extend(scene.arrow_path)
    if scene.floor is not None:
        points.append((points[0][0], scene.floor))
    x0, y0, x1, y1 = bounds(points)
    margin = 6.0
    x0, y0, x1, y1 = x0 - margin, y0 - margin, x1 + margin, y1 + margin
    fit = min((WIDTH - 2 * PAD) / (x1 - x0), (HEIGHT - 2 * PAD) / (y1 - y0))
    origin = ((x0 + x1) / 2, (y0 + y1) / 2)
    return Layout(scene, side, WIDTH, HEIGHT, fit, origin, side == "left")


def _path(outline: Outline, role: str) -> str:
    style = STYLES[role]
    join = f" {STROKE}" if "stroke=" in style else ""
    return f'<path d="{outline.data()}" {style}{join}/>'


GROUP_OF = {
    "pelvis": "trunk", "belly": "trunk", "chest": "trunk", "neck": "trunk", "spine": "trunk",
    "head": "head", "nose": "head", "hair": "hair",
}  # fmt: skip
GROUP_BIAS = {"hair": -0.4, "head": 0.2}


def _group_of(key: str) -> str:
    if key in GROUP_OF:
        return GROUP_OF[key]
    side, part = key.split(".")
    return f"{side}.arm" if part in ("upper_arm", "forearm", "hand") else f"{side}.leg"


def _order(frames: list[Frame]) -> list[tuple[float, list[str]]]:
    """Body parts in groups (trunk, head, each arm and leg), back to front by their
    average depth over the movement."""
    depth: dict[str, float] = {}
    for frame in frames:
        for drawn in frame.shapes:
            depth[drawn.key] = depth.get(drawn.key, 0.0) + drawn.depth / len(frames)
    groups: dict[str, list[str]] = {}
    for key in depth:
        groups.setdefault(_group_of(key), []).append(key)

    def group_depth(name: str) -> float:
        members = groups[name]
        return sum(depth[k] for k in members) / len(members) + GROUP_BIAS.get(name, 0.0)

    return [(group_depth(name), groups[name]) for name in sorted(groups, key=group_depth)]


class _Writer:
    """Writes paths for one document: still (one frame) or moving (every frame)."""

    def __init__(self, layout: Layout, frames: list[Frame], prefix: str) -> None:
        self.layout, self.frames, self.prefix = layout, frames, prefix
        self.count = 0
        scene = layout.scene
        times = (f"{f.time / scene.duration:.4f}".rstrip("0").rstrip(".") for f in frames)
        self.timing = (
            f'dur="{scene.duration:g}s" repeatCount="indefinite" '
            f'keyTimes="{";".join(t or "0" for t in times)}"'
        )

    def data(self, outlines: list[Outline]) -> str:
        return "".join(self.layout.outline(o).data() for o in outlines)

    def path(self, per_frame: list[list[Outline]], attrs: str, name: bool = False) -> str:
        """One path whose shape follows the frames; ``name`` gives it an id to reuse."""
        values = [self.data(outlines) for outlines in per_frame]
        ident = ""
        if name:
            self.count += 1
            ident = f' id="{self.prefix}{self.count}"'
        if len(set(values)) == 1:
            return f'<path{ident} d="{values[0]}"{attrs}/>'
        animate = f'<animate attributeName="d" {self.timing} values="{";".join(values)}"/>'
        return f'<path{ident} d="{values[0]}"{attrs}>{animate}</path>'

    def body(self, order: list[tuple[float, list[str]]], props: list[Drawn]) -> list[str]:
        """Each group (a limb, the trunk) as one shape: filled and outlined, then filled
        again over itself (``<use>``) so no line shows where its parts overlap. Props the
        body rests on are slotted in by depth."""
        shapes = [{d.key: d for d in frame.shapes} for frame in self.frames]
        pending = sorted(props, key=lambda d: d.depth)
        parts = []
        for depth, members in order:
            while pending and pending[0].depth <= depth:
                parts.extend(_by_prop([pending[0]], [_path(self.layout.outline(pending[0].outline),
                                                           pending[0].role)]))  # fmt: skip
                pending.pop(0)
            fill, stroke = BODY_COLOURS[shapes[0][members[0]].role]
            per_frame = [[frame[key].outline for key in members] for frame in shapes]
            paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2.4" {STROKE}'
            parts.append(f"<g {paint}>{self.path(per_frame, '', name=True)}</g>")
            parts.append(f'<use href="#{self.prefix}{self.count}" fill="{fill}"/>')
        for drawn in pending:
            parts.extend(_by_prop([drawn], [_path(self.layout.outline(drawn.outline), drawn.role)]))
        return parts

    def ghost(self, frame: Frame, order: list[tuple[float, list[str]]]) -> str:
        shapes = {d.key: d.outline for d in frame.shapes}
        data = "".join(self.data([shapes[key] for key in members]) for _, members in order)
        return f'<g class="sr-ghost" opacity="0.3"><path d="{data}" fill="{GHOST}"/></g>'

    def glows(self) -> str:
        """Each target region as a soft orange spot: a radial gradient fading outward."""
        gradient = f"{self.prefix}glow"
        parts = [
            f'<radialGradient id="{gradient}"><stop offset="0" stop-color="#ff7a1f" '
            'stop-opacity="0.9"/><stop offset="0.55" stop-color="#ff8a3d" stop-opacity="0.55"/>'
            '<stop offset="1" stop-color="#ff9d5c" stop-opacity="0"/></radialGradient>'
        ]
        for index in range(len(self.frames[0].glows)):
            per_frame = [[f.glows[index].outline] for f in self.frames]
            parts.append(self.path(per_frame, f' fill="url(#{gradient})"'))
        return _group("target", parts)

    def held(self) -> list[str]:
        groups: dict[str, list[str]] = {}
        for index, first in enumerate(self.frames[0].held):
            per_frame = [[f.held[index].outline] for f in self.frames]
            style = STYLES[first.role]
            path = self.path(per_frame, f" {style}" + (f" {STROKE}" if "stroke=" in style else ""))
            prefix = first.key.split(".")[0]
            groups.setdefault(PROP_OF_KEY.get(prefix, prefix), []).append(path)
        return [
            f'<g data-prop="{prop}">' + "".join(parts) + "</g>" for prop, parts in groups.items()
        ]


def _group(kind: str, parts: list[str], extra: str = "") -> str:
    return f'<g class="sr-{kind}"{extra}>' + "".join(parts) + "</g>"


def _by_prop(drawn: list[Drawn], paths: list[str]) -> list[str]:
    """Wrap each prop's paths in a group that says which prop it is."""
    groups: dict[str, list[str]] = {}
    for item, path in zip(drawn, paths, strict=True):
        prefix = item.key.split(".")[0]
        groups.setdefault(PROP_OF_KEY.get(prefix, prefix), []).append(path)
    return [f'<g data-prop="{prop}">' + "".join(parts) + "</g>" for prop, parts in groups.items()]


def _arrow(layout: Layout) -> str:
    path = [layout.fit(p) for p in layout.scene.arrow_path]
    if len(path) < 2:
        return ""
    tip = path[-1]
    back = next((p for p in reversed(path) if math.dist(p, tip) > 6), path[0])
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    size = 9.0
    base = (tip[0] - ux * size, tip[1] - uy * size)
    head = polygon([tip, (base[0] - uy * size * 0.6, base[1] + ux * size * 0.6),
                    (base[0] + uy * size * 0.6, base[1] - ux * size * 0.6)])  # fmt: skip
    shaft = polyline([p for p in path if math.dist(p, tip) > size * 0.8] + [base])
    shaft_path = _path(shaft.mapped(layout.flip), "arrow")
    return f'<g class="sr-arrow">{shaft_path}{_path(head.mapped(layout.flip), "arrowhead")}</g>'


def _scene_parts(layout: Layout, pose: str, prefix: str) -> list[str]:
    scene = layout.scene
    order = _order(scene.frames)
    floor = []
    if scene.floor is not None:
        y = layout.place((0.0, scene.floor))[1]
        ends = [(PAD / 2, y), (WIDTH - PAD / 2, y)]
        floor.append(_path(polyline(ends[::-1] if layout.mirror else ends), "floor"))
    behind = [d for d in scene.fixed if d.depth < -1e5]
    under = [d for d in scene.fixed if d.depth >= -1e5]
    fixed = [_path(layout.outline(d.outline), d.role) for d in behind]
    parts = [_group("back", floor + _by_prop(behind, fixed))]
    start, end = scene.frame("start"), scene.frame("end")
    shown, ghost = (end, start) if pose == "end" else (start, end)
    still = _Writer(layout, [shown], f"{prefix}s")
    parts.append(
        _group(
            "still",
            [still.ghost(ghost, order), _group("body", still.body(order, under)), still.glows(),
             *still.held(), _arrow(layout)],
        )
    )  # fmt: skip
    if pose == "animated":
        motion = _Writer(layout, scene.frames, f"{prefix}m")
        parts.append(
            _group(
                "motion",
                [_group("body", motion.body(order, under)), motion.glows(), *motion.held()],
                ' visibility="hidden"',
            )
        )
    return parts


def _describe(exercise: Exercise, side: str, pose: str) -> tuple[str, str]:
    figure = exercise.figure
    if exercise.laterality == "one_side":
        which = f", {side} side"
    elif exercise.laterality == "both_directions":
        which = f", to the {side}"
    else:
        which = ""
    moment = {"start": "start position", "end": "end position", "animated": "movement"}[pose]
    title = f"{exercise.name}{which}: {moment}"
    regions = figure.highlight or exercise.regions
    props = [label(p.item) for p in figure.props]
    desc = f"{figure.caption} Highlighted: {', '.join(label(r) for r in regions)}."
    if props:
        desc += f" Shown with: {', '.join(props)}."
    return title, desc


def render_figure(
    exercise: Exercise, side: str = "left", pose: str = "animated", id_prefix: str | None = None
) -> str:
    """One self-contained SVG document: a still (``start``/``end``) or the ``animated`` loop.

    ``side`` is the side worked (or the direction moved); the right version is the mirror
    image of the left. The animated version carries its own ``<style>``.
    """
    svg, css = render_figure_parts(exercise, side, pose, id_prefix)
    if not css:
        return svg
    head, _, rest = svg.partition("<g ")
    return f"{head}<style>{css}</style><g {rest}"


def render_figure_parts(
    exercise: Exercise, side: str = "left", pose: str = "animated", id_prefix: str | None = None
) -> tuple[str, str]:
    """The SVG without any ``<style>`` element, and the CSS it needs (empty for stills).

    For pages whose Content-Security-Policy allows only ``style-src 'self'``: inline the
    SVG and serve the CSS (always ``FIGURE_CSS``) as a file. Ids inside the SVG start
    with ``id_prefix`` (default: from the exercise, side and pose); pass your own when one
    page shows the same figure twice.
    """
    _check(side, pose)
    layout = figure_layout(exercise, side)
    title, desc = _describe(exercise, side, pose)
    prefix = id_prefix or f"sr-{exercise.id}-{side[0]}{pose[0]}-"
    content = _scene_parts(layout, pose, prefix)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'width="{WIDTH:g}" height="{HEIGHT:g}" role="img" aria-label={quoteattr(title)} '
        f'class="sr-figure" data-exercise="{exercise.id}" data-side="{side}" '
        f'data-pose="{pose}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(content) + "</svg>"
    )
    return svg, FIGURE_CSS if pose == "animated" else ""
