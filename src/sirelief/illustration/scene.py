"""From an exercise's figure to placed, projected frames: the whole movement in 2D.

Steps, for every sampled moment of the animation: pose the body, keep the anchor point
in place, rest the body on the floor or on the props under it, place the props, then
project everything through the figure's camera. Units are centimetres, y up.
"""

import itertools
import math
from dataclasses import dataclass, field

from sirelief.domain.exercise import Exercise
from sirelief.domain.figure import Figure, Pose, resolve
from sirelief.illustration.body import Body, Capsule, Solid, ellipsoid, pose_body
from sirelief.illustration.geometry import Camera, Point, Vec
from sirelief.illustration.paths import (
    Outline,
    capsule,
    convex_hull,
    ellipse_from_shape,
    polygon,
    polyline,
)
from sirelief.illustration.props import (
    MAT_THICKNESS,
    Extent,
    Piece,
    Support,
    fixed_pieces,
    held_pieces,
    is_held,
    level_toward,
    rests_on,
    support,
    trx_anchor_point,
)

VIEWS = {"side": (0.0, 0.0), "front": (90.0, 0.0), "top": (0.0, 90.0)}

GLOWS: dict[str, tuple[str, str, Vec, Vec]] = {
    "hip_flexors": ("{s}.thigh", "{s}.hip", (7.0, -4.0, 0.0), (4.5, 11.0, 6.0)),
    "quadriceps": ("{s}.thigh", "{s}.hip", (6.0, -22.0, 0.0), (4.5, 15.0, 6.0)),
    "adductors": ("{s}.thigh", "{s}.hip", (0.0, -17.0, -5.5), (6.0, 14.0, 3.5)),
    "hamstrings": ("{s}.thigh", "{s}.hip", (-5.5, -22.0, 0.0), (4.5, 16.0, 6.0)),
    "glutes_piriformis": ("pelvis", "pelvis", (-10.0, -1.0, 8.0), (5.0, 9.5, 7.5)),
    "calf_ankle": ("{s}.shank", "{s}.knee", (-3.5, -19.0, 0.0), (3.8, 17.0, 4.8)),
    "trunk_lateral_chain": ("chest", "waist", (0.0, 8.0, 13.5), (7.0, 17.0, 3.0)),
    "lower_back": ("pelvis", "pelvis", (-10.0, 14.0, 0.0), (4.0, 9.0, 11.0)),
    "upper_back_shoulders": ("chest", "waist", (-9.0, 24.0, 0.0), (4.5, 11.0, 14.0)),
}
"""Where each region glows: segment frame, origin point, centre and radii in that frame
(third axis toward the near side; mirrored for the far side)."""
GLOW_LAYERS = ((1.5, "target"),)

ARROW_CANDIDATES = (
    "near.hand", "far.hand", "near.knee", "far.knee", "near.toe", "far.toe", "head",
    "near.heel", "pelvis", "near.elbow",
)  # fmt: skip


@dataclass(frozen=True)
class Drawn:
    """One projected shape: what it is, how it is coloured, how near the camera."""

    key: str
    role: str
    outline: Outline
    depth: float = 0.0
    stroke_only: bool = False


@dataclass
class Frame:
    time: float
    pose: Pose
    keyframe: str | None
    body: Body
    shapes: list[Drawn] = field(default_factory=list)
    glows: list[Drawn] = field(default_factory=list)
    held: list[Drawn] = field(default_factory=list)
    joints: dict[str, Point] = field(default_factory=dict)


@dataclass
class Scene:
    figure: Figure
    camera: Camera
    frames: list[Frame]
    duration: float
    fixed: list[Drawn]
    floor: float | None
    """Screen height of the floor in side and front views (None from above)."""
    arrow_path: list[Point]

    def frame(self, keyframe: str) -> Frame:
        return next(f for f in self.frames if f.keyframe == keyframe)


def _smooth(share: float) -> float:
    return share * share * (3 - 2 * share)


def timeline(poses: list[Pose]) -> list[tuple[float, Pose, str | None]]:
    """Moments of the loop: through the keyframes and back, holding at each.

    >>> from sirelief.domain.figure import Pose
    >>> moments = timeline([Pose("start", hold_s=1), Pose("end", move_s=2, hold_s=1)])
    >>> [round(t, 2) for t, _, _ in moments][:3], moments[-1][0], moments[0][2]
    ([0.0, 1.0, 1.5], 6.0, 'start')
    """
    moments: list[tuple[float, Pose, str | None]] = [(0.0, poses[0], "start")]
    t = 0.0

    def hold(pose: Pose) -> None:
        nonlocal t
        if pose.hold_s > 0:
            t += pose.hold_s
            moments.append((t, pose, None))

    def move(a: Pose, b: Pose, seconds: float, name: str | None) -> None:
        nonlocal t
        steps = max(3, round(seconds * 2))
        for k in range(1, steps + 1):
            moments.append((t + seconds * k / steps, a.blend(b, _smooth(k / steps)), None))
        t += seconds
        moments[-1] = (moments[-1][0], b, name)

    hold(poses[0])
    for a, b in itertools.pairwise(poses):
        move(a, b, b.move_s, b.name)
        hold(b)
    backwards = list(itertools.pairwise(poses))[::-1]
    for index, (a, b) in enumerate(backwards):
        move(b, a, b.move_s, None)
        if index < len(backwards) - 1:
            hold(a)
    return moments


def _lowest(solid: Solid) -> float:
    if isinstance(solid, Capsule):
        return min(solid.a[1] - solid.ra, solid.b[1] - solid.rb)
    return solid.centre[1] - math.sqrt(sum(axis[1] ** 2 for axis in solid.axes))


def _z_range(solid: Solid) -> tuple[float, float]:
    if isinstance(solid, Capsule):
        return (min(solid.a[2] - solid.ra, solid.b[2] - solid.rb),
                max(solid.a[2] + solid.ra, solid.b[2] + solid.rb))  # fmt: skip
    reach = math.sqrt(sum(axis[2] ** 2 for axis in solid.axes))
    return (solid.centre[2] - reach, solid.centre[2] + reach)


def _underside(solid: Solid, x0: float, x1: float) -> float | None:
    """Lowest surface height of a solid above the floor strip x0..x1 (None if none)."""
    if isinstance(solid, Capsule):
        circles = [
            (solid.a[0] + (solid.b[0] - solid.a[0]) * t, solid.a[1] + (solid.b[1] - solid.a[1]) * t,
             solid.ra + (solid.rb - solid.ra) * t)
            for t in (i / 12 for i in range(13))
        ]  # fmt: skip
    else:
        rx = math.sqrt(sum(axis[0] ** 2 for axis in solid.axes))
        ry = math.sqrt(sum(axis[1] ** 2 for axis in solid.axes))
        circles = [
            (solid.centre[0] + rx * math.cos(a), solid.centre[1] + ry * math.sin(a), 0.0)
            for a in (math.pi * (1 + i / 24) for i in range(25))
        ]
    best = None
    for cx, cy, r in circles:
        nearest = min(max(cx, x0), x1)
        dx = abs(nearest - cx)
        if dx > r + 1e-9 and not x0 <= cx <= x1:
            continue
        y = cy - math.sqrt(max(r * r - dx * dx, 0.0))
        best = y if best is None else min(best, y)
    return best


def _ground(body: Body, floor: float, supports: list[Support]) -> float:
    """How far to raise the body so it rests on the floor and on the props under it."""
    lift = floor - min(_lowest(solid) for solid in body.solids)
    for prop in supports:
        undersides = []
        for solid in body.solids:
            z0, z1 = _z_range(solid)
            if z1 < prop.z - prop.half_z or z0 > prop.z + prop.half_z:
                continue
            y = _underside(solid, prop.x - prop.half_x, prop.x + prop.half_x)
            if y is not None:
                undersides.append(y)
        if undersides:
            lift = max(lift, prop.top - min(undersides))
    return lift


def _project_solid(camera: Camera, solid: Solid) -> tuple[Outline, float]:
    if isinstance(solid, Capsule):
        ax, ay, ad = camera.project(solid.a)
        bx, by, bd = camera.project(solid.b)
        return capsule((ax, ay), solid.ra, (bx, by), solid.rb), (ad + bd) / 2
    cx, cy, depth = camera.project(solid.centre)
    s0 = s1 = s2 = 0.0
    for axis in solid.axes:
        u, v = camera.flatten(axis)
        s0, s1, s2 = s0 + u * u, s1 + u * v, s2 + v * v
    return ellipse_from_shape((cx, cy), (s0, s1, s2)), depth


def project_piece(camera: Camera, piece: Piece) -> Drawn:
    if piece.solid is not None:
        outline, depth = _project_solid(camera, piece.solid)
        return Drawn(piece.key, piece.role, outline, depth)
    if piece.box is not None:
        (x0, y0, z0), (x1, y1, z1) = piece.box
        corners = [camera.project((x, y, z)) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
        hull = convex_hull([(round(x, 4), round(y, 4)) for x, y, _ in corners])
        depth = sum(c[2] for c in corners) / 8
        return Drawn(piece.key, piece.role, polygon(hull), depth)
    if piece.loop is not None:
        a, b, r = piece.loop
        (ax, ay, _), (bx, by, _) = camera.project(a), camera.project(b)
        return Drawn(piece.key, piece.role, capsule((ax, ay), r, (bx, by), r), 0, True)
    flat = [camera.project(p)[:2] for p in piece.line]
    return Drawn(piece.key, piece.role, polyline(flat), 0, True)


def _glows(figure: Figure, regions: list[str], body: Body, camera: Camera) -> list[Drawn]:
    drawn = []
    side = figure.highlight_side
    sign = 1.0 if side == "near" else -1.0
    for region in regions:
        frame_name, origin_name, centre, radii = GLOWS[region]
        frame = body.frames[frame_name.format(s=side)]
        origin = body.points[origin_name.format(s=side)]
        local = (centre[0], centre[1], centre[2] * sign)
        for factor, role in GLOW_LAYERS:
            grown = (radii[0] * factor, radii[1] * factor, radii[2] * factor)
            solid = ellipsoid(region, role, frame, origin, local, grown)
            outline, _ = _project_solid(camera, solid)
            drawn.append(Drawn(f"glow.{region}.{role}", role, outline))
    return drawn


def build_scene(exercise: Exercise) -> Scene:
    """Every moment of the exercise's figure, placed and projected (canonical side)."""
    figure = exercise.figure
    turn, tilt = VIEWS[figure.view]
    camera = Camera(turn + figure.view_turn, tilt + figure.view_tilt)
    both = exercise.laterality != "one_side"
    poses = resolve(figure)
    reference = pose_body(poses[0], both).points[figure.anchor]

    def anchored(pose: Pose) -> Body:
        body = pose_body(pose, both)
        here = body.points[figure.anchor]
        return body.moved((reference[0] - here[0], 0.0, reference[2] - here[2]))

    keyed = {pose.name: anchored(pose) for pose in poses}
    floor = MAT_THICKNESS if any(prop.item == "mat" for prop in figure.props) else 0.0
    supports = []
    for prop in figure.props:
        if rests_on(prop):
            body = keyed[prop.keyframe or "start"]
            where = body.points[prop.at or "pelvis"]
            found = support(prop, where, floor, level_toward(where, body.points["pelvis"]))
            if found:
                supports.append(found)

    def placed(pose: Pose) -> Body:
        body = anchored(pose)
        return body.moved((0.0, _ground(body, floor, supports), 0.0))

    moments = timeline(poses)
    grounded = [placed(pose) for _, pose, _ in moments]
    xs = [x for body in grounded for solid in body.solids for x in _x_extent(solid)]
    core = ("pelvis", "head", "near.knee", "far.knee", "near.heel", "far.heel")
    low = [body.points[name][2] for body in grounded for name in core]
    top = max(p[1] for body in grounded for p in body.points.values())
    span = Extent(min(xs), max(xs), min(low, default=0.0), max(low, default=0.0), top)
    fixed: list[Drawn] = []
    trx_anchor = None
    for prop in figure.props:
        if is_held(prop) and prop.item != "suspension_trainer":
            continue
        body = placed(_named(poses, prop.keyframe))
        where = body.points[prop.at] if prop.at else (0.0, 0.0, 0.0)
        toward = level_toward(where, body.points["pelvis"])
        # Props the body rests on go between the body's parts, just behind the point
        # they hold up; the others stand behind the whole body.
        depth = camera.project(where)[2] - 9.0 if rests_on(prop) else -1e6
        for piece in fixed_pieces(prop, where, floor, span, toward):
            drawn = project_piece(camera, piece)
            fixed.append(Drawn(drawn.key, drawn.role, drawn.outline, depth, drawn.stroke_only))
        if prop.item == "suspension_trainer":
            trx_anchor = trx_anchor_point(where)
    regions = list(figure.highlight or exercise.regions)
    frames = []
    for (time, pose, name), body in zip(moments, grounded, strict=True):
        frame = Frame(time, pose, name, body)
        for solid in body.solids:
            outline, depth = _project_solid(camera, solid)
            frame.shapes.append(Drawn(solid.name, solid.role, outline, depth))
        frame.glows = _glows(figure, regions, body, camera)
        for prop in figure.props:
            if is_held(prop):
                pieces = held_pieces(prop, body, trx_anchor)
                frame.held.extend(project_piece(camera, piece) for piece in pieces)
        frame.joints = {name: camera.project(p)[:2] for name, p in body.points.items()}
        frames.append(frame)
    # A floor line reads as the floor when the camera is level; from higher up the mat
    # (or a slightly raised camera with no mat) does that job.
    level = abs(camera.tilt) < 5 or (abs(camera.tilt) <= 15 and floor == 0.0)
    floor_height = camera.project((0.0, 0.0, 0.0))[1] if level else None
    dense = [
        placed(a.blend(b, i / 12))
        for a, b in itertools.pairwise(poses)
        for i in range(13 if b is poses[-1] else 12)
    ]
    tracks = [{n: camera.project(p)[:2] for n, p in b.points.items()} for b in dense]
    arrow = _arrow(figure, tracks, floor_height)
    return Scene(figure, camera, frames, moments[-1][0], fixed, floor_height, arrow)


def _named(poses: list[Pose], name: str | None) -> Pose:
    return next(pose for pose in poses if pose.name == (name or "start"))


def _x_extent(solid: Solid) -> tuple[float, float]:
    if isinstance(solid, Capsule):
        return (min(solid.a[0] - solid.ra, solid.b[0] - solid.rb),
                max(solid.a[0] + solid.ra, solid.b[0] + solid.rb))  # fmt: skip
    reach = math.sqrt(sum(axis[0] ** 2 for axis in solid.axes))
    return (solid.centre[0] - reach, solid.centre[0] + reach)


def _arrow(figure: Figure, path: list[dict[str, Point]], floor: float | None) -> list[Point]:
    """The projected path of the point the arrow follows, start to end (may be empty)."""
    if figure.arrow == "none":
        return []

    def track(name: str) -> list[Point]:
        return [joints[name] for joints in path]

    def length(points: list[Point]) -> float:
        return sum(math.dist(a, b) for a, b in itertools.pairwise(points))

    name = figure.arrow or max(ARROW_CANDIDATES, key=lambda n: length(track(n)))
    points = track(name)
    if length(points) < 8:
        return []
    names = ("pelvis", "chest", "head", "knees", "feet")
    centre = (sum(path[0][n][0] for n in names) / 5, sum(path[0][n][1] for n in names) / 5)
    offset = 9.0
    normals = []
    for i in range(len(points)):
        a, b = points[max(i - 1, 0)], points[min(i + 1, len(points) - 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        norm = math.hypot(dx, dy) or 1.0
        normals.append((-dy / norm, dx / norm))
    # One side for the whole arrow: away from the body at the middle of the path, unless
    # that side runs under the floor.
    middle = len(points) // 2
    away = (points[middle][0] - centre[0]) * normals[middle][0] + (
        points[middle][1] - centre[1]
    ) * normals[middle][1]
    sign = offset if away >= 0 else -offset

    def shifted(k: float) -> list[Point]:
        return [(p[0] + n[0] * k, p[1] + n[1] * k) for p, n in zip(points, normals, strict=True)]

    path = shifted(sign)
    if floor is not None and min(p[1] for p in path) < floor - 1:
        path = shifted(-sign)
    return path
