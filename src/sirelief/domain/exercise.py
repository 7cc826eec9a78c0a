"""An exercise as the catalogue knows it: what, where, with what, how much, how safely."""

from collections.abc import Collection
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
    """What to do instead when the item is missing: another exercise, with its own kit.

    The substitute is a catalogue exercise of its own (own name, position, cues, figure and
    stop signs, SPEC 5.8), planned in place of this one when the person has ``item``.
    """

    item: EquipmentOrHands
    """What the substitute needs instead; ``hands`` means no equipment at all."""
    exercise: Slug
    """Catalogue id of the substitute exercise."""


class EquipmentNeed(Record):
    """One piece of equipment the exercise uses, with substitutes in order of preference."""

    item: EquipmentId
    optional: bool = False
    """Nice to have (a mat under the knee); the exercise works without it."""
    alternatives: list[EquipmentOption] = []
    """Substitute exercises for when the item is missing, first choice first. Only for
    items the exercise needs: an optional item is simply done without."""
    how: Text | None = None
    """For an optional item: how to use it, shown only to people who have it. The steps
    and cues never name optional kit, so they read right with or without it."""

    @model_validator(mode="after")
    def _substitutes_only_when_needed(self) -> "EquipmentNeed":
        if self.optional and self.alternatives:
            raise ValueError(
                f"{self.item} is optional, so it needs no substitute: the exercise is done "
                "without it; remove its alternatives or drop 'optional: true'"
            )
        if self.how and not self.optional:
            raise ValueError(
                f"'how' is for optional kit; the steps already say how to use the {self.item}"
            )
        items = [alt.item for alt in self.alternatives]
        if self.item in items:
            raise ValueError(f"{self.item} cannot be its own alternative")
        if len(set(items)) != len(items):
            raise ValueError("alternatives list the same item twice")
        return self


class Variation(Record):
    """An easier or harder way to do the exercise, or a pointer to another exercise."""

    name: ShortText
    how: Text
    exercise: Slug | None = None
    """Catalogue id when the variation is an exercise of its own."""
    needs: EquipmentId | None = None
    """Kit this version needs beyond the exercise's own (a foam roller instead of the
    kettlebell); it is shown only to people who have it, and never offered as the gentler
    version during a session."""


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
        if self.easier and self.easier[0].needs:
            raise ValueError(
                "the first easier version is offered as 'gentler' during a session, so it "
                f"must need no extra kit; move the one that needs a {self.easier[0].needs} later"
            )
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
        """True when the exercise itself uses the item (needed or optional).

        A substitute for missing kit is an exercise of its own and uses its own kit.
        """
        return any(need.item == item for need in self.equipment)

    def shown_texts(self, kit: Collection[str] | None = None) -> list[str]:
        """Everything a person reads or hears about the exercise, for wording checks;
        with ``kit``, leaving out the versions that need something not in it."""
        dose_cues = [cue.say for cue in getattr(self.dose, "cues", [])]
        variations = [
            f"{v.name}. {v.how}"
            for v in (*self.easier, *self.harder)
            if kit is None or v.needs is None or v.needs in kit
        ]
        return [
            self.name, self.summary, *self.steps, *self.cues, *dose_cues, *self.cautions,
            *self.stop_signs, *variations, self.evidence.summary, self.figure.caption,
        ]  # fmt: skip

    @property
    def needs(self) -> tuple[str, ...]:
        """The equipment the exercise cannot be done without."""
        return tuple(need.item for need in self.equipment if not need.optional)

    @property
    def substitutes(self) -> tuple[str, ...]:
        """Ids of the exercises that stand in for this one when its kit is missing."""
        return tuple(alt.exercise for need in self.equipment for alt in need.alternatives)
