"""The routine file format: what a coach writes and the app runs.

A routine is a list of blocks; a block is a list of steps plus a side policy. A step is
one of three kinds, told apart by its first key:

* ``exercise: <id>`` - a catalogue exercise, optionally overriding its default dose;
* ``assess: baseline|mid|final`` - an assessment point (squat check and 0-10 ratings);
* ``choose: <n>`` - pick ``n`` of the listed ``options`` (a menu).

Blocks may be ``optional`` with a ``priority`` (1 is kept longest) so that a planner can
drop them when time is short.
"""

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from sirelief.domain.dose import (
    Cue,
    HoldSeconds,
    Minutes,
    RepCount,
    RestSeconds,
    SetCount,
    SquatReps,
    Tempo,
)
from sirelief.domain.model_base import Record, ShortText, Slug, Text, describe_fields
from sirelief.domain.vocabulary import (
    AssessmentPoint,
    EquipmentId,
    NextActivity,
    RatingRegion,
    SessionContext,
    SidePolicy,
    words,
)

ROUTINE_FORMAT = "sirelief.routine.v1"
DOSE_FIELDS = ("hold_s", "sets", "minutes", "reps", "tempo", "rest_s", "cues")
STEP_KINDS = ("exercise", "assess", "choose")


class ExerciseStep(Record):
    """Do a catalogue exercise; any dose field given here replaces the exercise default."""

    exercise: Slug
    hold_s: HoldSeconds | None = None
    sets: SetCount | None = None
    minutes: Minutes | None = None
    reps: RepCount | None = None
    tempo: Tempo | None = None
    rest_s: RestSeconds | None = None
    cues: list[Cue] | None = None
    """Timed sub-steps for this routine, replacing the exercise's own (timed work only)."""
    note: Text | None = None
    """A coach's word for this step, shown beside the exercise."""
    for_activity: list[NextActivity] = []
    """In a menu: the activities this option prepares for; the check-in's pick follows it."""
    repeat: bool = False
    """Plan this exercise even when the session already holds it (a deliberate repeat)."""

    def overrides(self) -> dict[str, Any]:
        """The dose fields this step sets, by name."""
        return {
            name: getattr(self, name) for name in DOSE_FIELDS if getattr(self, name) is not None
        }


class AssessmentStep(Record):
    """An assessment point: slow squats, then 0-10 ratings per region and side."""

    assess: AssessmentPoint
    squat_reps: SquatReps | None = 8
    """Slow body-weight squats before rating; null to rate without squatting."""
    ratings: Annotated[list[RatingRegion], Field(min_length=1)] = [
        "hip",
        "hamstrings_adductors",
        "ankle",
    ]
    pain: bool = True
    """Also ask for pain now (0-10)."""
    knee_to_wall: bool = False
    """Also ask for the knee-to-wall test per side: a distance in centimetres, or the shin
    angle in degrees measured with the phone, or both."""
    note: Text | None = None

    @model_validator(mode="after")
    def _unique_ratings(self) -> "AssessmentStep":
        if len(set(self.ratings)) != len(self.ratings):
            raise ValueError("ratings lists the same region twice")
        return self


class ChoiceStep(Record):
    """A menu: the person (or the planner) picks ``choose`` of the ``options``."""

    choose: Annotated[int, Field(ge=1, le=20)]
    title: ShortText
    options: Annotated[list[ExerciseStep], Field(min_length=2)]
    note: Text | None = None

    @model_validator(mode="after")
    def _enough_options(self) -> "ChoiceStep":
        if self.choose > len(self.options):
            raise ValueError(
                f"choose {self.choose} needs at least {self.choose} options, "
                f"only {len(self.options)} listed"
            )
        ids = [option.exercise for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("options lists the same exercise twice")
        return self


def step_kind(value: Any) -> str | None:
    """Which kind a step is, from the one kind key it holds (None if zero or several)."""
    if isinstance(value, Record):
        value = value.model_dump()
    if not isinstance(value, dict):
        return None
    present = [kind for kind in STEP_KINDS if kind in value]
    return present[0] if len(present) == 1 else None


Step = Annotated[
    Annotated[ExerciseStep, Tag("exercise")]
    | Annotated[AssessmentStep, Tag("assess")]
    | Annotated[ChoiceStep, Tag("choose")],
    Discriminator(
        step_kind,
        custom_error_type="step_kind",
        custom_error_message="each step needs exactly one of 'exercise:', 'assess:' or 'choose:'",
    ),
]


class Block(Record):
    """A named group of steps sharing a side policy."""

    id: Slug
    title: ShortText
    purpose: Text | None = None
    """Why this block is here, in a sentence the person will read."""
    sides: SidePolicy = "both"
    optional: bool = False
    priority: Annotated[int, Field(ge=1, le=9)] | None = None
    """For optional blocks: 1 is kept longest, 9 dropped first when time is short."""
    steps: Annotated[list[Step], Field(min_length=1)]
    between_sides: list[Step] = []
    """Steps run after the first side and before the second (``tighter_first`` only)."""


class Routine(Record):
    """A whole routine file."""

    format: Literal["sirelief.routine.v1"] = ROUTINE_FORMAT
    id: Slug
    version: Annotated[int, Field(ge=1)] = 1
    """Raise it whenever the routine changes, so results are tied to what was done."""
    name: ShortText
    summary: Text
    author: ShortText | None = None
    source: Text | None = None
    contexts: list[SessionContext] = []
    """Moments this routine suits (SPEC 1)."""
    default_for: list[SessionContext] = []
    """Moments for which a built-in routine is chosen when the person names none."""
    default_needs: list[EquipmentId] = []
    """Kit that must be at hand for this routine to be the default; without it, the moment's
    default that needs no kit is chosen."""
    blocks: Annotated[list[Block], Field(min_length=1)]


def schema() -> dict[str, Any]:
    """The JSON Schema of a routine file, for editors' completion and checking."""
    document = Routine.model_json_schema(mode="validation")
    describe_fields(document, Routine)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = f"urn:sirelief:schema:{ROUTINE_FORMAT}"
    document["title"] = "sirelief routine"
    document["description"] = (
        "A sirelief routine file (YAML). Side policies: "
        + ", ".join(words(SidePolicy))
        + ". Check one with: sirelief routines check FILE"
    )
    return document
