"""How an exercise is drawn: a human figure posed by joint angles, keyframe by keyframe.

A figure is data, not a picture: the renderer (``sirelief.illustration``) turns it into
SVG. Angles are in degrees and follow the words a coach uses (hip flexion, knee bend);
each is checked against a human range so a typo cannot bend a knee backwards. The side
being worked is called ``near``: it faces the viewer in the side view. Its partner is
``far``. Left and right versions come from the same data by mirroring.

Every keyframe after the first only lists what changes; the rest carries over:

>>> figure = Figure.model_validate({
...     "caption": "The knee bends and straightens.",
...     "keyframes": [
...         {"name": "start", "near": {"knee": 10}},
...         {"name": "end", "near": {"knee": 90}, "neck": 20},
...     ],
... })
>>> [(pose.name, pose.near.knee, pose.near.hip, pose.neck) for pose in resolve(figure)]
[('start', 10.0, 0.0, 0.0), ('end', 90.0, 0.0, 20.0)]
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from sirelief.domain.model_base import Record, Text
from sirelief.domain.problems import Problem
from sirelief.domain.vocabulary import BodyRegion, EquipmentId, label


@dataclass(frozen=True)
class JointRange:
    """The allowed range of one angle and what its numbers mean."""

    low: float
    high: float
    meaning: str

    def check(self, name: str, value: float) -> float:
        if not self.low <= value <= self.high:
            raise ValueError(
                f"{name} must be between {self.low:g} and {self.high:g} degrees "
                f"({self.meaning}), got {value:g}"
            )
        return float(value)


BODY_RANGES: dict[str, JointRange] = {
    "trunk": JointRange(
        -180, 180, "lower trunk from upright: 0 standing tall, 90 face down, -90 on the back"
    ),
    "roll": JointRange(
        -180, 180, "turn about the body's long axis: 90 lies on the far side, near side up"
    ),
    "spine": JointRange(-30, 70, "back rounding: positive rounds forward, negative arches"),
    "side_bend": JointRange(-45, 45, "positive leans the chest toward the near side"),
    "twist": JointRange(-70, 70, "positive turns the chest toward the near side"),
    "neck": JointRange(-60, 70, "positive tips the chin toward the chest"),
}
"""Whole-body angles of a keyframe."""

LIMB_RANGES: dict[str, JointRange] = {
    "shoulder": JointRange(-60, 180, "arm raise: 0 hanging, 90 forward, 180 overhead"),
    "shoulder_out": JointRange(
        -45, 180, "arm out to the side: 90 level with the shoulder; negative across the body"
    ),
    "elbow": JointRange(0, 150, "elbow bend: 0 straight"),
    "hip": JointRange(-35, 150, "hip bend: 0 thigh in line with the trunk, 90 sitting"),
    "hip_out": JointRange(-30, 90, "thigh out to the side; negative crosses the midline"),
    "hip_turn": JointRange(-45, 70, "thigh rotation: positive turns the knee outward"),
    "knee": JointRange(0, 160, "knee bend: 0 straight"),
    "ankle": JointRange(-60, 45, "positive pulls the toes up toward the shin, negative points"),
}
"""Angles of one arm and leg."""


def _angle(name: str, ranges: Mapping[str, JointRange]) -> object:
    limit = ranges[name]
    return Annotated[
        float,
        AfterValidator(lambda value: limit.check(name, value)),
        Field(description=f"degrees, {limit.low:g} to {limit.high:g}: {limit.meaning}"),
    ]


View = Literal["side", "front", "top"]
"""Where the camera stands: beside the body, in front of it, or above it."""

BodyPoint = Literal[
    "pelvis", "belly", "chest", "back", "head",
    "near.shoulder", "near.elbow", "near.hand", "near.hip", "near.thigh", "near.knee",
    "near.calf", "near.ankle", "near.heel", "near.toe",
    "far.shoulder", "far.elbow", "far.hand", "far.hip", "far.thigh", "far.knee",
    "far.calf", "far.ankle", "far.heel", "far.toe",
    "hands", "thighs", "knees", "ankles", "feet",
]  # fmt: skip
"""Named places on the body: ``thigh`` and ``calf`` are the middle of the segment; a
plural names the middle between the near and the far one."""

KeyframeName = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length=32,
        description="kebab-case name; the first keyframe is 'start', the last 'end'",
    ),
]


class LimbAngles(Record):
    """One arm and one leg. A missing angle keeps its value from the keyframe before."""

    shoulder: _angle("shoulder", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    shoulder_out: _angle("shoulder_out", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    elbow: _angle("elbow", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    hip: _angle("hip", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    hip_out: _angle("hip_out", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    hip_turn: _angle("hip_turn", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    knee: _angle("knee", LIMB_RANGES) | None = None  # type: ignore[valid-type]
    ankle: _angle("ankle", LIMB_RANGES) | None = None  # type: ignore[valid-type]


class Keyframe(Record):
    """One position of the movement; the figure moves through them in order and back."""

    name: KeyframeName
    trunk: _angle("trunk", BODY_RANGES) | None = None  # type: ignore[valid-type]
    roll: _angle("roll", BODY_RANGES) | None = None  # type: ignore[valid-type]
    spine: _angle("spine", BODY_RANGES) | None = None  # type: ignore[valid-type]
    side_bend: _angle("side_bend", BODY_RANGES) | None = None  # type: ignore[valid-type]
    twist: _angle("twist", BODY_RANGES) | None = None  # type: ignore[valid-type]
    neck: _angle("neck", BODY_RANGES) | None = None  # type: ignore[valid-type]
    near: LimbAngles = LimbAngles()
    """The working side: the side treated or stretched, nearest the viewer."""
    far: LimbAngles = LimbAngles()
    """The other side."""
    move_s: Annotated[float, Field(ge=0.3, le=10)] = 2.0
    """Seconds to move here from the keyframe before (unused on the first)."""
    hold_s: Annotated[float, Field(ge=0, le=10)] = 1.0
    """Seconds the animation rests in this position."""


class Prop(Record):
    """A piece of equipment drawn with the figure, placed against a point of the body.

    ``kettlebell``, ``foam_roller`` and ``towel`` lie on the floor under ``at`` and the body
    rests on them; ``wall`` and ``chair`` stand in front of ``at``; ``strap`` loops around
    ``at`` and runs to ``to`` (the hands unless told), or, with ``at`` thighs, knees or
    ankles, is buckled into a loop around both legs; a ``towel`` with ``to`` is held like a
    strap; ``band`` circles both legs at ``at``;
    ``suspension_trainer`` hangs from above to ``at``; ``mat`` lies under the whole body.
    """

    item: EquipmentId
    at: BodyPoint | None = None
    """Where the prop touches the body; every prop but the mat needs it."""
    to: BodyPoint | None = None
    """For a strap (default ``hands``) or a towel held by its ends: what holds it."""
    keyframe: KeyframeName | None = None
    """Keyframe whose position places a fixed prop (default: the first)."""
    on_side: bool = False
    """For a kettlebell: lying on its side rather than standing on its base."""

    @model_validator(mode="after")
    def _placement(self) -> "Prop":
        if self.item == "mat":
            if self.at is not None:
                raise ValueError("a mat lies under the whole body: remove 'at'")
        elif self.at is None:
            raise ValueError(f"{self.item} needs 'at': the point of the body it touches")
        if self.to is not None and self.item not in ("strap", "towel"):
            raise ValueError(f"'to' is only for a strap or a held towel, not for {self.item}")
        if self.on_side and self.item != "kettlebell":
            raise ValueError(f"'on_side' is only for a kettlebell, not for {self.item}")
        if self.item == "band" and self.at not in ("thighs", "knees", "ankles"):
            raise ValueError("a band goes around both legs: set 'at' to thighs, knees or ankles")
        if self.item == "suspension_trainer" and self.at not in ("hands", "near.hand", "far.hand"):
            raise ValueError("suspension trainer straps are held: set 'at' to hands")
        return self


class Figure(Record):
    """The drawing of an exercise: view, keyframes, props and what to highlight."""

    caption: Text
    """One sentence saying what the figure shows moving, read aloud to people who
    cannot see it."""
    view: View = "side"
    view_tilt: Annotated[float, Field(ge=-90, le=90)] = 0
    """Raise the camera this many degrees (look down on the figure)."""
    view_turn: Annotated[float, Field(ge=-180, le=180)] = 0
    """Walk the camera this many degrees around the figure."""
    keyframes: Annotated[list[Keyframe], Field(min_length=2, max_length=8)]
    """At least ``start`` and ``end``; in-between keyframes go in the middle."""
    props: list[Prop] = []
    highlight: list[BodyRegion] | None = None
    """Regions to highlight; default: every region the exercise works."""
    highlight_side: Literal["near", "far"] = "near"
    """Which side's region glows: ``far`` when a lean toward the near side stretches the far
    side (a side bend)."""
    anchor: BodyPoint = "pelvis"
    """The point that stays in place while the figure moves (feet for a squat)."""
    arrow: BodyPoint | Literal["none"] | None = None
    """The point whose path the arrow follows; default: the one that moves most."""

    @model_validator(mode="after")
    def _keyframe_names(self) -> "Figure":
        names = [keyframe.name for keyframe in self.keyframes]
        if names[0] != "start" or names[-1] != "end":
            raise ValueError(
                f"keyframes must begin with one named 'start' and finish with one named "
                f"'end', got {', '.join(names)}"
            )
        if len(set(names)) != len(names):
            raise ValueError("keyframes use the same name twice: give each its own name")
        items = [prop.item for prop in self.props]
        if len(set(items)) != len(items):
            raise ValueError("props lists the same item twice")
        for prop in self.props:
            if prop.keyframe is not None and prop.keyframe not in names:
                raise ValueError(
                    f"prop {prop.item} is placed at keyframe '{prop.keyframe}', which is not "
                    f"one of {', '.join(names)}"
                )
        return self


@dataclass(frozen=True)
class Limb:
    """One side's angles with every value filled in."""

    shoulder: float = 0.0
    shoulder_out: float = 0.0
    elbow: float = 0.0
    hip: float = 0.0
    hip_out: float = 0.0
    hip_turn: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0


@dataclass(frozen=True)
class Pose:
    """A keyframe with every value filled in, ready to draw."""

    name: str = "start"
    trunk: float = 0.0
    roll: float = 0.0
    spine: float = 0.0
    side_bend: float = 0.0
    twist: float = 0.0
    neck: float = 0.0
    near: Limb = Limb()
    far: Limb = Limb()
    move_s: float = 2.0
    hold_s: float = 1.0

    def blend(self, other: "Pose", share: float) -> "Pose":
        """The pose ``share`` of the way (0 to 1) from this one to ``other``.

        >>> Pose(neck=0).blend(Pose(neck=40), 0.25).neck
        10.0
        """

        def mix(a: float, b: float) -> float:
            return a + (b - a) * share

        def limb(a: Limb, b: Limb) -> Limb:
            return Limb(**{f.name: mix(getattr(a, f.name), getattr(b, f.name)) for f in fields(a)})

        angles = {name: mix(getattr(self, name), getattr(other, name)) for name in BODY_RANGES}
        return replace(
            self, **angles, near=limb(self.near, other.near), far=limb(self.far, other.far)
        )


def _merged(limb: Limb, given: LimbAngles) -> Limb:
    changes = {name: value for name, value in given if value is not None}
    return replace(limb, **changes)


def resolve(figure: Figure) -> list[Pose]:
    """Each keyframe with the values it carries over from the ones before it."""
    poses: list[Pose] = []
    current = Pose()
    for keyframe in figure.keyframes:
        angles = {name: getattr(keyframe, name) for name in BODY_RANGES}
        current = replace(
            current,
            name=keyframe.name,
            **{name: value for name, value in angles.items() if value is not None},
            near=_merged(current.near, keyframe.near),
            far=_merged(current.far, keyframe.far),
            move_s=keyframe.move_s,
            hold_s=keyframe.hold_s,
        )
        poses.append(current)
    return poses


DRAWN_WHEN_OPTIONAL = frozenset({"mat"})
"""Optional kit a figure may still draw: the mat reads as the floor under the body."""


def equipment_problems(
    figure: Figure,
    equipment: Iterable[tuple[str, bool]],
    regions: Iterable[str],
) -> list[Problem]:
    """Props that do not match the exercise's equipment, and highlights it does not work.

    The rule: every piece of equipment the exercise needs (not optional) is drawn, and
    everything drawn is listed in its equipment. Optional kit is not drawn, since a person
    without it would see it, except the mat, drawn as the floor under the body. Substitutes
    for missing kit are exercises with figures of their own. ``equipment`` holds
    ``(item, optional)`` pairs.

    >>> figure = Figure.model_validate({"caption": "Lean in.", "props": [{"item": "mat"}],
    ...     "keyframes": [{"name": "start"}, {"name": "end"}]})
    >>> [p.message for p in equipment_problems(figure, [("wall", False)], ["calf_ankle"])]
    ... # doctest: +NORMALIZE_WHITESPACE
    ["mat is drawn but the exercise's equipment does not list it: add it to equipment
      (optional: true if it is not needed) or remove the prop",
     "wall is in the exercise's equipment but not drawn: add '- item: wall' with 'at: ...'
      under figure props"]
    """
    listed = dict(equipment)
    problems = []
    drawn = [prop.item for prop in figure.props]
    for index, prop in enumerate(figure.props):
        if listed.get(prop.item) and prop.item not in DRAWN_WHEN_OPTIONAL:
            problems.append(
                Problem(
                    message=f"{prop.item} is optional, so it is not drawn: a person without "
                    "it would see it; remove the prop (only the mat may be drawn as the floor)",
                    path=("figure", "props", index, "item"),
                )
            )
        if prop.item not in listed:
            problems.append(
                Problem(
                    message=f"{prop.item} is drawn but the exercise's equipment does not "
                    "list it: add it to equipment (optional: true if it is not needed) or "
                    "remove the prop",
                    path=("figure", "props", index, "item"),
                )
            )
    for item, optional in listed.items():
        if not optional and item not in drawn:
            problems.append(
                Problem(
                    message=f"{item} is in the exercise's equipment but not drawn: add "
                    f"'- item: {item}' with 'at: ...' under figure props",
                    path=("figure", "props") if figure.props else ("figure",),
                )
            )
    worked = set(regions)
    for index, region in enumerate(figure.highlight or []):
        if region not in worked:
            problems.append(
                Problem(
                    message=f"highlight {region} ({label(region)}) is not one of the regions "
                    f"this exercise works: {', '.join(sorted(worked))}",
                    path=("figure", "highlight", index),
                )
            )
    return problems
