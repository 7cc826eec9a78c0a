"""Equipment drawn to scale (centimetres) and placed against the body.

Fixed props (mat, wall, chair, kettlebell, foam roller, towel, the suspension trainer's
anchor) are placed once, from one keyframe; held props (strap, band, the suspension
trainer's straps) follow the body frame by frame.
"""

import math
from dataclasses import dataclass

from sirelief.domain.figure import Prop
from sirelief.illustration.body import Body, Capsule, Ellipsoid, Solid
from sirelief.illustration.geometry import Mat, Vec, add, column, cross, dot, mid, scale, sub

MAT_THICKNESS = 1.5
KETTLEBELL_RADIUS = 10.5
ROLLER_RADIUS = 7.5
TOWEL_SIZE = (30.0, 5.0, 40.0)
ANCHOR_HEIGHT = 215.0

SUPPORTS = {"kettlebell", "foam_roller", "towel"}
HELD = {"strap", "band", "suspension_trainer"}
LOOPED = ("thighs", "knees", "ankles")
"""Where a strap buckled into a loop goes around both legs, like a band."""


def is_held(prop: Prop) -> bool:
    """Held or worn, so drawn per frame: a towel held by its ends (``to`` set) is too."""
    return prop.item in HELD or (prop.item == "towel" and prop.to is not None)


def rests_on(prop: Prop) -> bool:
    """The body rests on it (a kettlebell, a roller, a folded towel)."""
    return prop.item in SUPPORTS and not is_held(prop)


POINT_RADIUS = {
    "hand": 2.6, "hands": 2.6, "knee": 5.3, "knees": 5.3, "toe": 2.5, "heel": 3.4,
    "feet": 3.4, "ankle": 3.3, "ankles": 3.3, "calf": 4.6, "thigh": 7.0, "thighs": 7.0,
    "elbow": 3.7, "shoulder": 5.0, "hip": 8.0, "head": 11.0, "chest": 0.5, "belly": 0.5,
    "pelvis": 12.0, "back": 0.5,
}  # fmt: skip
"""How far the body's surface lies from each named point."""


def point_radius(name: str) -> float:
    return POINT_RADIUS.get(name.split(".")[-1], 3.0)


@dataclass(frozen=True)
class Piece:
    """One drawn part of a prop: a rounded solid, a box, a strap line or a band loop."""

    key: str
    role: str
    solid: Solid | None = None
    box: tuple[Vec, Vec] | None = None
    line: tuple[Vec, ...] = ()
    loop: tuple[Vec, Vec, float] | None = None


@dataclass(frozen=True)
class Extent:
    """Where the body goes over the whole movement: x range, z range near the floor, top."""

    x0: float
    x1: float
    z0: float
    z1: float
    top: float


@dataclass(frozen=True)
class Support:
    """Where a prop holds the body up: its top height over a patch of floor."""

    x: float
    z: float
    top: float
    half_x: float
    half_z: float


def support(prop: Prop, where: Vec, floor: float, toward: Vec) -> Support | None:
    """``toward`` points from the prop at the person (where a lying bell's handle points)."""
    if prop.item == "kettlebell":
        top = _kettlebell_top(toward if prop.on_side else None)
        return Support(where[0], where[2], floor + top, 3.5, 7.0)
    if prop.item == "foam_roller":
        return Support(where[0], where[2], floor + 2 * ROLLER_RADIUS, 2.5, 10.0)
    if prop.item == "towel":
        return Support(where[0], where[2], floor + TOWEL_SIZE[1], TOWEL_SIZE[0] / 2, 20.0)
    return None


def _kettlebell_handle(toward: Vec | None) -> list[tuple[Vec, Vec]]:
    """Handle segments relative to the bell's centre; a bell on its side has its handle
    pointing ``toward`` (a level unit vector: at the person)."""
    posts = [((-5.5, 6.5, 0.0), (-6.0, 14.0, 0.0)), ((5.5, 6.5, 0.0), (6.0, 14.0, 0.0))]
    segments = [*posts, ((-6.0, 15.5, 0.0), (6.0, 15.5, 0.0))]
    if toward is None:
        return segments
    axis = cross((0.0, 1.0, 0.0), toward)

    def tip(v: Vec) -> Vec:
        return add(cross(axis, v), scale(axis, dot(axis, v)))

    return [(tip(a), tip(b)) for a, b in segments]


def _kettlebell_top(toward: Vec | None) -> float:
    highest = max(max(a[1], b[1]) for a, b in _kettlebell_handle(toward))
    return KETTLEBELL_RADIUS + highest + 1.7


def level_toward(a: Vec, b: Vec) -> Vec:
    """The level unit vector from a to b (along -x when b is straight above a)."""
    dx, dz = b[0] - a[0], b[2] - a[2]
    length = math.hypot(dx, dz)
    return (dx / length, 0.0, dz / length) if length > 1e-6 else (-1.0, 0.0, 0.0)


def fixed_pieces(
    prop: Prop, where: Vec, floor: float, span: Extent, toward: Vec = (-1.0, 0.0, 0.0)
) -> list[Piece]:
    """A fixed prop's parts; ``where`` is the body point it is placed by, ``span`` the
    x range the body covers over the whole movement and its greatest height."""
    item = prop.item
    x, y, z = where
    name = prop.at or ""
    if item == "mat":
        z0, z1 = max(min(span.z0 - 12, -32.0), -45.0), min(max(span.z1 + 12, 32.0), 45.0)
        return [Piece("mat", "mat", box=((span.x0 - 12, 0.0, z0), (span.x1 + 12, floor, z1)))]
    if item == "wall":
        face = x + point_radius(name)
        top = span.top + 30.0
        return [Piece("wall", "wall", box=((face, 0.0, -60.0), (face + 14.0, top, 60.0)))]
    if item == "towel":
        w, h, d = TOWEL_SIZE
        x0, x1, z0, z1 = x - w / 2, x + w / 2, z - d / 2, z + d / 2
        return [
            Piece("towel", "prop", box=((x0, floor, z0), (x1, floor + h, z1))),
            Piece("towel.fold", "prop",
                  box=((x0, floor + h * 0.45, z0), (x1 - 2, floor + h * 0.55, z1))),
        ]  # fmt: skip
    if item == "foam_roller":
        centre = (x, floor + ROLLER_RADIUS, z)
        return [
            Piece("roller", "prop", solid=Capsule("roller", "prop", add(centre, (0, 0, -22.0)),
                                                  ROLLER_RADIUS, add(centre, (0, 0, 22.0)),
                                                  ROLLER_RADIUS)),
            Piece("roller.core", "iron", solid=Ellipsoid("core", "iron", add(centre, (0, 0, 22.5)),
                  ((2.6, 0, 0), (0, 2.6, 0), (0, 0, 0.1)))),
        ]  # fmt: skip
    if item == "kettlebell":
        return _kettlebell(toward if prop.on_side else None, x, z, floor)
    if item == "chair":
        return _chair(x, y, z)
    if item == "suspension_trainer":
        anchor = trx_anchor_point(where)
        return [
            Piece("trx.mount", "prop", box=((anchor[0] - 6, ANCHOR_HEIGHT + 6, -6.0),
                                            (anchor[0] + 6, ANCHOR_HEIGHT + 10, 6.0))),
            Piece("trx.strap", "strap", line=(anchor, add(anchor, (0.0, 8.0, 0.0)))),
        ]  # fmt: skip
    return []


def trx_anchor_point(hands: Vec) -> Vec:
    """Where the suspension trainer hangs from: above and in front of the hands."""
    return (hands[0] + 45.0, ANCHOR_HEIGHT, 0.0)


def _kettlebell(toward: Vec | None, x: float, z: float, floor: float) -> list[Piece]:
    """Placed so the middle of the handle's top sits under (x, z)."""
    handle = _kettlebell_handle(toward)
    ends = [end for segment in (handle if toward else handle[2:]) for end in segment]
    mean = scale(tuple(map(sum, zip(*ends, strict=True))), 1 / len(ends))  # type: ignore[arg-type]
    centre = (x - mean[0], floor + KETTLEBELL_RADIUS, z - mean[2])
    pieces = [
        Piece(f"kettlebell.handle{i}", "iron", solid=Capsule("handle", "iron", add(centre, a), 1.7,
                                                               add(centre, b), 1.7))
        for i, (a, b) in enumerate(handle)
    ]  # fmt: skip
    r = KETTLEBELL_RADIUS
    bell = Ellipsoid("bell", "iron", centre, ((r, 0, 0), (0, r * 0.95, 0), (0, 0, r)))
    shine = Ellipsoid("shine", "shine", add(centre, (-3.5, 3.5, 3.5)),
                      ((2.6, -1.2, 0), (0.9, 1.9, 0), (0, 0, 0.3)))  # fmt: skip
    return [*pieces, Piece("kettlebell.bell", "iron", solid=bell),
            Piece("kettlebell.shine", "shine", solid=shine)]  # fmt: skip


def _chair(x: float, y: float, z: float) -> list[Piece]:
    """A chair beside the figure with the top of its back under the hand at (x, y)."""
    back_top = max(y - 3.0, 60.0)
    seat = 45.0
    zc = z - 22.0
    return [
        Piece("chair.back", "prop", box=((x - 2, seat, zc - 20), (x + 2, back_top, zc + 20))),
        Piece("chair.seat", "prop", box=((x - 2, seat - 3, zc - 20), (x + 40, seat, zc + 20))),
        Piece("chair.leg1", "prop", box=((x - 1, 0.0, zc - 19), (x + 2, seat, zc - 16))),
        Piece("chair.leg2", "prop", box=((x + 36, 0.0, zc - 19), (x + 39, seat, zc - 16))),
    ]


def _attach(body: Body, name: str) -> Vec:
    """Where a strap touches: under the sole, behind a thigh or calf, in the hand."""
    part = name.split(".")[-1]
    side = name.split(".")[0] if "." in name else "near"
    if part in ("heel", "toe", "ankle", "feet", "ankles"):
        return body.points[f"{side}.sole"]
    if part in ("thigh", "calf", "knee"):
        frame = body.frames[f"{side}.thigh" if part != "calf" else f"{side}.shank"]
        back = scale(column(frame, 0), -7.5 if part == "thigh" else -5.5)
        return add(body.points[f"{side}.{part}"], back)
    return body.points[name]


def _loop(near: Vec, far: Vec, frame: Mat, radius: float) -> tuple[Vec, ...]:
    """A band around both legs: a flat loop across the legs, at right angles to them."""
    across = sub(far, near)
    length = math.sqrt(dot(across, across)) or 1.0
    e1 = scale(across, 1 / length)
    forward = column(frame, 0)
    e2 = sub(forward, scale(e1, dot(forward, e1)))
    e2 = scale(e2, 1 / (math.sqrt(dot(e2, e2)) or 1.0))
    points = []
    for centre, sign in ((far, 1.0), (near, -1.0)):
        for i in range(9):
            t = math.pi * i / 8
            offset = add(scale(e2, math.cos(t) * sign), scale(e1, math.sin(t) * sign))
            points.append(add(centre, scale(offset, radius)))
    return (*points, points[0])


def held_pieces(prop: Prop, body: Body, anchor: Vec | None) -> list[Piece]:
    """A held prop's parts for one frame of the movement."""
    points = body.points
    if prop.item in ("strap", "towel") and prop.at not in LOOPED:
        loop = _attach(body, prop.at or "near.heel")
        holder = prop.to or "hands"
        if holder == "hands":
            line = (points["near.hand"], loop, points["far.hand"])
        else:
            hand = points[holder]
            line = (hand, loop, add(hand, (0.5, 0.5, 0.0)))
        return [Piece(prop.item, "strap", line=line)]
    if prop.item in ("band", "strap"):
        part = {"thighs": "thigh", "knees": "knee", "ankles": "ankle"}[prop.at or "knees"]
        share = {"thigh": 0.5, "knee": 0.82, "ankle": 0.92}[part]
        segment = ("hip", "knee") if part != "ankle" else ("knee", "ankle")
        frame = "thigh" if part != "ankle" else "shank"
        radius = {"thigh": 8.0, "knee": 6.6, "ankle": 4.4}[part]
        ends = [mid(points[f"{side}.{segment[0]}"], points[f"{side}.{segment[1]}"], share)
                for side in ("near", "far")]  # fmt: skip
        role = "band" if prop.item == "band" else "strap"
        return [Piece(prop.item, role, line=_loop(ends[0], ends[1], body.frames[f"near.{frame}"],
                                                  radius))]  # fmt: skip
    if prop.item == "suspension_trainer" and anchor is not None:
        pieces = []
        for side in ("far", "near"):
            hand = points[f"{side}.hand"]
            pieces.append(Piece(f"trx.{side}", "strap", line=(anchor, hand)))
            handle = Capsule("handle", "iron", add(hand, (0, 0, -5.0)), 1.8,
                             add(hand, (0, 0, 5.0)), 1.8)  # fmt: skip
            pieces.append(Piece(f"trx.{side}.handle", "iron", solid=handle))
        return pieces
    return []
