"""2D outlines as SVG path data built only from M, L, C and Z.

Keeping to these commands has two uses: a path's bounds are the bounds of its points
(a cubic stays inside its control points), and two poses of one shape have the same
commands, so SMIL can morph between them.
"""

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sirelief.illustration.geometry import Point, sym_sqrt

KAPPA = 0.5522847498
"""Control-point distance for a quarter circle drawn as one cubic."""


@dataclass(frozen=True)
class Outline:
    """Path commands: each is a letter and its points (C has three, M and L one)."""

    commands: tuple[tuple[str, tuple[Point, ...]], ...]

    def points(self) -> list[Point]:
        return [p for _, pts in self.commands for p in pts]

    def mapped(self, transform: Callable[[Point], Point]) -> "Outline":
        return Outline(tuple((c, tuple(transform(p) for p in pts)) for c, pts in self.commands))

    def data(self) -> str:
        """The ``d`` attribute, coordinates to one decimal.

        >>> Outline((("M", ((0, 0),)), ("L", ((1.25, 2),)), ("Z", ()))).data()
        'M0 0L1.2 2Z'
        """
        parts = []
        for letter, pts in self.commands:
            parts.append(letter + " ".join(f"{_num(x)} {_num(y)}" for x, y in pts))
        return "".join(parts)


def _num(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def bounds(points: Iterable[Point]) -> tuple[float, float, float, float]:
    """Smallest box holding the points: (min x, min y, max x, max y)."""
    xs, ys = zip(*points, strict=True)
    return (min(xs), min(ys), max(xs), max(ys))


def _arc(centre: Point, r: float, start: float, sweep: float, pieces: int) -> list[tuple]:
    """Cubic pieces of a circular arc (angles in radians, counter-clockwise positive)."""
    commands = []
    step = sweep / pieces
    k = 4 / 3 * math.tan(step / 4)
    cx, cy = centre
    for i in range(pieces):
        a0, a1 = start + i * step, start + (i + 1) * step
        p0 = (cx + r * math.cos(a0), cy + r * math.sin(a0))
        p3 = (cx + r * math.cos(a1), cy + r * math.sin(a1))
        c1 = (p0[0] - k * r * math.sin(a0), p0[1] + k * r * math.cos(a0))
        c2 = (p3[0] + k * r * math.sin(a1), p3[1] - k * r * math.cos(a1))
        commands.append(("C", (c1, c2, p3)))
    return commands


def capsule(a: Point, ra: float, b: Point, rb: float) -> Outline:
    """Two circles joined by their outer tangents; always M L C C L C C Z.

    >>> [c for c, _ in capsule((0, 0), 2, (10, 0), 1).commands]
    ['M', 'L', 'C', 'C', 'L', 'C', 'C', 'Z']
    """
    dx, dy = b[0] - a[0], b[1] - a[1]
    d = math.hypot(dx, dy)
    if d < 1e-6:
        dx, dy, d = 1.0, 0.0, 1e-6
        b = (a[0] + 1e-6, a[1])
    # Keep the tangents defined when the segment points at the camera.
    if abs(ra - rb) > 0.7 * d:
        if ra > rb:
            rb = ra - 0.7 * d
        else:
            ra = rb - 0.7 * d
    ux, uy = dx / d, dy / d
    theta = math.atan2(uy, ux)
    delta = math.asin((ra - rb) / d)
    side = math.pi / 2 - delta
    m1 = theta + side
    m2 = theta - side
    start = (a[0] + ra * math.cos(m1), a[1] + ra * math.sin(m1))
    commands: list[tuple] = [("M", (start,))]
    commands.append(("L", ((b[0] + rb * math.cos(m1), b[1] + rb * math.sin(m1)),)))
    commands.extend(_arc(b, rb, m1, -(math.pi - 2 * delta), 2))
    commands.append(("L", ((a[0] + ra * math.cos(m2), a[1] + ra * math.sin(m2)),)))
    commands.extend(_arc(a, ra, m2, -(math.pi + 2 * delta), 2))
    commands.append(("Z", ()))
    return Outline(tuple(commands))


def ellipse(centre: Point, matrix: tuple[float, float, float, float]) -> Outline:
    """The image of the unit circle under ``[[a, b], [c, d]]``, as four cubics, turning
    the same way as ``capsule`` so that overlapping parts of one shape fill as a union."""
    a, b, c, d = matrix
    cx, cy = centre

    def at(u: float, v: float) -> Point:
        return (cx + a * u + b * v, cy + c * u + d * v)

    ring = [(1, 0), (0, -1), (-1, 0), (0, 1), (1, 0)]
    commands: list[tuple] = [("M", (at(1, 0),))]
    for (u0, v0), (u1, v1) in itertools.pairwise(ring):
        c1 = at(u0 + KAPPA * v0, v0 - KAPPA * u0)
        c2 = at(u1 - KAPPA * v1, v1 + KAPPA * u1)
        commands.append(("C", (c1, c2, at(u1, v1))))
    commands.append(("Z", ()))
    return Outline(tuple(commands))


def ellipse_from_shape(centre: Point, s: tuple[float, float, float]) -> Outline:
    """An ellipse from its shape matrix ``[[s0, s1], [s1, s2]]`` (the sum of axis outer
    products), using the symmetric square root so that it changes smoothly with pose."""
    p, q, r = sym_sqrt(*s)
    return ellipse(centre, (p, q, q, r))


def polygon(points: Sequence[Point]) -> Outline:
    commands: list[tuple] = [("M", (points[0],))]
    commands.extend(("L", (p,)) for p in points[1:])
    commands.append(("Z", ()))
    return Outline(tuple(commands))


def polyline(points: Sequence[Point]) -> Outline:
    commands: list[tuple] = [("M", (points[0],))]
    commands.extend(("L", (p,)) for p in points[1:])
    return Outline(tuple(commands))


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """Andrew's monotone chain; counter-clockwise, no repeated first point."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]
