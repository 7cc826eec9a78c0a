"""The body: proportions, forward kinematics, and the rounded solids it is drawn with.

Sizes are centimetres for a 175 cm adult about 7.5 heads tall (segment lengths after
Winter's anthropometric tables). The pelvis centre is the origin before the figure is
placed on the floor.
"""

from dataclasses import dataclass, field

from sirelief.domain.figure import Limb, Pose
from sirelief.illustration.geometry import (
    Mat,
    Vec,
    add,
    apply,
    chain,
    column,
    mid,
    rot_x,
    rot_y,
    rot_z,
    scale,
)

HIP_HALF_WIDTH = 8.5
SHOULDER_HALF_WIDTH = 17.0
WAIST_HEIGHT = 18.0
"""Where the chest pivots on the pelvis, above the hip joints."""
NECK_HEIGHT = 37.0
"""Neck base above the waist (so 55 above the hips: shoulders at about 143 cm)."""
SHOULDER_HEIGHT = 32.0
NECK_LENGTH = 7.0
UPPER_ARM, FOREARM, HAND = 30.0, 26.0, 8.5
THIGH, SHANK = 42.0, 42.0


@dataclass(frozen=True)
class Capsule:
    """A rounded limb segment: two balls joined by their tangent surface."""

    name: str
    role: str
    a: Vec
    ra: float
    b: Vec
    rb: float


@dataclass(frozen=True)
class Ellipsoid:
    """A rounded body part; ``axes`` are its three semi-axis vectors."""

    name: str
    role: str
    centre: Vec
    axes: tuple[Vec, Vec, Vec]


Solid = Capsule | Ellipsoid


@dataclass
class Body:
    """A posed body: named points and the solids to draw, in world coordinates."""

    points: dict[str, Vec] = field(default_factory=dict)
    solids: list[Solid] = field(default_factory=list)
    frames: dict[str, Mat] = field(default_factory=dict)
    """Orientation of each segment (columns: forward, up, side), for highlights."""

    def moved(self, offset: Vec) -> "Body":
        def shift(solid: Solid) -> Solid:
            if isinstance(solid, Capsule):
                return Capsule(
                    solid.name, solid.role, add(solid.a, offset), solid.ra,
                    add(solid.b, offset), solid.rb,
                )  # fmt: skip
            return Ellipsoid(solid.name, solid.role, add(solid.centre, offset), solid.axes)

        return Body(
            {name: add(p, offset) for name, p in self.points.items()},
            [shift(solid) for solid in self.solids],
            self.frames,
        )


def ellipsoid(name: str, role: str, frame: Mat, origin: Vec, centre: Vec, radii: Vec) -> Ellipsoid:
    """An ellipsoid given in a segment's frame (forward, up, side)."""
    axes = tuple(scale(column(frame, i), radii[i]) for i in range(3))
    return Ellipsoid(name, role, add(origin, apply(frame, centre)), axes)  # type: ignore[arg-type]


def _local(frame: Mat, origin: Vec, offset: Vec) -> Vec:
    return add(origin, apply(frame, offset))


def pose_body(pose: Pose, both_working: bool) -> Body:
    """Forward kinematics: every joint from the pose's angles, and the solids around them."""
    body = Body()
    pelvis = chain(rot_z(-pose.trunk), rot_y(pose.roll))
    half = chain(
        pelvis,
        rot_z(-pose.spine / 2),
        rot_x(pose.side_bend / 2),
        rot_y(-pose.twist / 2),
    )
    chest = chain(pelvis, rot_z(-pose.spine), rot_x(pose.side_bend), rot_y(-pose.twist))
    head = chain(chest, rot_z(-pose.neck))
    origin: Vec = (0.0, 0.0, 0.0)
    waist = _local(pelvis, origin, (0.0, WAIST_HEIGHT, 0.0))
    neck = _local(chest, waist, (0.0, NECK_HEIGHT, 0.0))
    skull = _local(head, neck, (0.0, NECK_LENGTH, 0.0))
    body.frames.update(pelvis=pelvis, chest=chest, head=head)
    points = body.points
    points.update(
        pelvis=origin,
        waist=waist,
        neck=neck,
        belly=_local(pelvis, origin, (10.0, 12.0, 0.0)),
        back=_local(half, waist, (-10.0, 0.0, 0.0)),
        chest=_local(chest, waist, (11.0, 22.0, 0.0)),
        head=_local(head, skull, (1.5, 8.0, 0.0)),
    )
    solids = body.solids
    solids.append(ellipsoid("pelvis", "body", pelvis, origin, (-1.5, 3.0, 0.0), (12.0, 13.0, 16.5)))
    solids.append(ellipsoid("belly", "body", half, waist, (0.5, 0.0, 0.0), (11.0, 14.0, 15.0)))
    solids.append(ellipsoid("chest", "body", chest, waist, (0.5, 18.0, 0.0), (12.5, 19.0, 16.0)))
    solids.append(Capsule("spine", "body", _local(pelvis, origin, (-0.5, 6.0, 0.0)), 11.0,
                          _local(chest, waist, (0.0, 20.0, 0.0)), 11.5))  # fmt: skip
    solids.append(Capsule("neck", "body", neck, 5.2, skull, 4.8))
    solids.append(ellipsoid("hair", "hair", head, skull, (-1.8, 9.0, 0.0), (9.6, 11.2, 8.4)))
    solids.append(ellipsoid("head", "body", head, skull, (1.2, 8.0, 0.0), (9.8, 11.5, 8.0)))
    solids.append(Capsule("nose", "body", _local(head, skull, (9.5, 5.0, 0.0)), 1.7,
                          _local(head, skull, (10.5, 4.2, 0.0)), 1.5))  # fmt: skip
    for side, sign, limb in (("near", 1.0, pose.near), ("far", -1.0, pose.far)):
        role = side if side == "near" or not both_working else "near_far"
        _limbs(body, side, sign, limb, pelvis, chest, waist, role)
    for pair, part in (("hands", "hand"), ("thighs", "thigh"), ("knees", "knee"),
                       ("ankles", "ankle"), ("feet", "foot")):  # fmt: skip
        points[pair] = mid(points[f"near.{part}"], points[f"far.{part}"])
    return body


def _limbs(
    body: Body, side: str, sign: float, limb: Limb, pelvis: Mat, chest: Mat, waist: Vec, role: str
) -> None:
    points, solids, frames = body.points, body.solids, body.frames
    shoulder = _local(chest, waist, (-1.0, SHOULDER_HEIGHT, sign * SHOULDER_HALF_WIDTH))
    upper_arm = chain(chest, rot_z(limb.shoulder), rot_x(-sign * limb.shoulder_out))
    elbow = _local(upper_arm, shoulder, (0.0, -UPPER_ARM, 0.0))
    forearm = chain(upper_arm, rot_z(limb.elbow))
    wrist = _local(forearm, elbow, (0.0, -FOREARM, 0.0))
    hand = _local(forearm, wrist, (0.0, -HAND, 0.0))
    hip = _local(pelvis, (0.0, 0.0, 0.0), (0.0, 0.0, sign * HIP_HALF_WIDTH))
    thigh = chain(
        pelvis, rot_z(limb.hip), rot_x(-sign * limb.hip_out), rot_y(-sign * limb.hip_turn)
    )
    knee = _local(thigh, hip, (0.0, -THIGH, 0.0))
    shank = chain(thigh, rot_z(-limb.knee))
    ankle = _local(shank, knee, (0.0, -SHANK, 0.0))
    foot = chain(shank, rot_z(limb.ankle))
    heel = _local(foot, ankle, (-3.0, -4.6, 0.0))
    toe = _local(foot, ankle, (15.5, -5.6, 0.0))
    prefix = f"{side}."
    points.update({
        prefix + "shoulder": shoulder, prefix + "elbow": elbow, prefix + "wrist": wrist,
        prefix + "hand": mid(wrist, hand, 0.6), prefix + "hip": hip, prefix + "knee": knee,
        prefix + "thigh": mid(hip, knee), prefix + "calf": mid(knee, ankle, 0.45),
        prefix + "ankle": ankle, prefix + "heel": heel, prefix + "toe": toe,
        prefix + "foot": _local(foot, ankle, (5.0, -8.0, 0.0)),
        prefix + "sole": _local(foot, ankle, (7.0, -8.5, 0.0)),
    })  # fmt: skip
    frames.update({prefix + "thigh": thigh, prefix + "shank": shank, prefix + "foot": foot})
    frames[prefix + "upper_arm"] = upper_arm
    solids.extend([
        Capsule(prefix + "upper_arm", role, shoulder, 5.0, elbow, 3.7),
        Capsule(prefix + "forearm", role, elbow, 3.6, wrist, 2.6),
        Capsule(prefix + "hand", role, wrist, 2.8, hand, 2.3),
        Capsule(prefix + "thigh", role, hip, 8.8, knee, 5.5),
        Capsule(prefix + "shank", role, knee, 5.4, ankle, 3.3),
        Capsule(prefix + "foot", role, heel, 3.4, toe, 2.5),
    ])  # fmt: skip
