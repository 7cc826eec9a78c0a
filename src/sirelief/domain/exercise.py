"""An exercise as the catalogue knows it: what, where, with what, how much, how safely."""

from typing import Annotated

from pydantic import Field, model_validator

from sirelief.domain.dose import Dose
from sirelief.domain.figure import Figure
from sirelief.domain.model_base import Record, ShortText, Slug, Text
from sirelief.domain.vocabulary import (
    RATED_BY_REGION,
    BodyRegion,
    Category,
    EquipmentId,
    EquipmentOrHands,
    EvidenceLevel,
    Laterality,
    Position,
    RatingRegion,
    SourceProtocol,
)


class EquipmentOption(Record):
    """A substitute for a piece of equipment, and how to use it instead."""

    item: EquipmentOrHands
    how: Text


class EquipmentNeed(Record):
    """One piece of equipment the exercise uses, with substitutes in order of preference."""

    item: EquipmentId
    optional: bool = False
    """Nice to have (a mat under the knee); the exercise works without it."""
    alternatives: list[EquipmentOption] = []


class Variation(Record):
    """An easier or harder way to do the exercise, or a pointer to another exercise."""

    name: ShortText
    how: Text
    exercise: Slug | None = None
    """Catalogue id when the variation is an exercise of its own."""


class Evidence(Record):
    """How well this kind of work is supported, in plain words, with its sources."""

    level: EvidenceLevel
    summary: Text
    sources: Annotated[list[ShortText], Field(min_length=1)]


NonEmptyTextList = Annotated[list[Text], Field(min_length=1)]


class Exercise(Record):
    """One exercise record, loaded from ``catalogue/exercises/<id>.yaml``."""

    id: Slug
    name: ShortText
    aliases: list[ShortText] = []
    protocol: SourceProtocol
    category: Category
    summary: Text
    """One or two sentences: what it is and why it is in the routine."""
    regions: Annotated[list[BodyRegion], Field(min_length=1)]
    position: Position
    """Starting body position."""
    equipment: list[EquipmentNeed] = []
    laterality: Laterality
    dose: Dose
    steps: Annotated[list[Text], Field(min_length=2)]
    """How to do it, in order."""
    cues: NonEmptyTextList
    """Alignment and form reminders while doing it."""
    cautions: NonEmptyTextList
    """What to watch for or avoid; when to pick an easier version."""
    stop_signs: NonEmptyTextList
    """Signs that mean stop this exercise now."""
    easier: list[Variation] = []
    harder: list[Variation] = []
    alternatives: list[Slug] = []
    """Catalogue ids that do the same job from another position or with other kit."""
    evidence: Evidence
    figure: Figure
    """How the exercise is drawn: keyframes of a posed figure and its props (docs/figures.md)."""

    @model_validator(mode="after")
    def _no_repeats(self) -> "Exercise":
        for name in ("regions", "alternatives", "aliases"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise ValueError(f"{name} lists the same entry twice")
        items = [need.item for need in self.equipment]
        if len(set(items)) != len(items):
            raise ValueError("equipment lists the same item twice")
        if self.id in self.alternatives:
            raise ValueError("an exercise cannot be its own alternative")
        return self

    @property
    def rated_regions(self) -> tuple[RatingRegion, ...]:
        """Which 0-10 ratings this exercise should move, for measuring its effect."""
        found: list[RatingRegion] = []
        for region in self.regions:
            rated = RATED_BY_REGION.get(region)
            if rated and rated not in found:
                found.append(rated)
        return tuple(found)

    @property
    def is_one_sided(self) -> bool:
        """Done separately per side (or direction), so a side policy applies."""
        return self.laterality != "bilateral"

    def uses(self, item: str) -> bool:
        """True when the item is used at all, as first choice or as a substitute."""
        return any(
            need.item == item or any(alt.item == item for alt in need.alternatives)
            for need in self.equipment
        )
