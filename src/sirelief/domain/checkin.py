"""The check-in: how the person is right now, and what they have to work with.

Its JSON form is a public contract (scripts send it to ``sirelief plan``); fields may be
added, never renamed or removed.
"""

from typing import Annotated

from pydantic import Field, model_validator

from sirelief.domain.inclinometer import KneeToWallAngle
from sirelief.domain.model_base import Record, Slug
from sirelief.domain.vocabulary import (
    EquipmentId,
    NextActivity,
    RatingRegion,
    SessionContext,
    Side,
)

RATING_RANGE = (0, 10)
MINUTES_RANGE = (1, 180)
"""Minutes a whole session may be given."""

Rating = Annotated[
    int,
    Field(ge=RATING_RANGE[0], le=RATING_RANGE[1], description="0 = none ... 10 = worst imaginable"),
]


class SideRatings(Record):
    """One 0-10 rating per side."""

    left: Rating
    right: Rating

    def of(self, side: Side) -> int:
        return self.left if side == "left" else self.right


class Tightness(Record):
    """Tightness 0-10 per rated region and side (SPEC 4)."""

    hip: SideRatings
    hamstrings_adductors: SideRatings
    ankle: SideRatings

    def of(self, region: RatingRegion) -> SideRatings:
        return getattr(self, region)

    def total(self, side: Side) -> int:
        """Summed tightness of one side: how the tighter side is found."""
        return self.hip.of(side) + self.hamstrings_adductors.of(side) + self.ankle.of(side)


class KneeToWall(Record):
    """Knee-to-wall distance per side, in centimetres from big toe to wall (SPEC 4)."""

    left: Annotated[float, Field(ge=0, le=25)]
    right: Annotated[float, Field(ge=0, le=25)]


class CheckIn(Record):
    """What the person reports before a session."""

    pain: Rating
    """Pain now, NPRS 0-10."""
    tightness: Tightness
    red_flags: list[Slug] = []
    """Ids of red-flag questions answered yes (see ``sirelief safety flags``)."""
    minutes: Annotated[int, Field(ge=MINUTES_RANGE[0], le=MINUTES_RANGE[1])]
    """Time available for the whole session."""
    equipment: list[EquipmentId] = []
    context: SessionContext = "repair"
    pain_side: Side | None = None
    """Where the pain is, when it is one-sided: breaks a tightness tie."""
    knee_to_wall_cm: KneeToWall | None = None
    knee_to_wall_deg: KneeToWallAngle | None = None
    """The same test measured with the phone on the shin: degrees from vertical."""
    next_activity: NextActivity | None = None
    """What comes after the session ("none" for nothing active); None when not asked."""
    precautions: list[Slug] | None = None
    """Precaution ids (``sirelief safety precautions``); given, they replace the profile's
    for this plan, so plans can be tried without a profile."""

    @model_validator(mode="after")
    def _no_repeats(self) -> "CheckIn":
        for name in ("red_flags", "equipment", "precautions"):
            values = getattr(self, name) or []
            if len(set(values)) != len(values):
                raise ValueError(f"{name} lists the same id twice")
        return self

    def has(self, item: str) -> bool:
        """True when the item is at hand; ``hands`` always are."""
        return item == "hands" or item in self.equipment
