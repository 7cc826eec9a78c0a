"""Controlled vocabularies shared by exercise files, routine files and check-ins.

Each is a ``Literal`` so that the JSON Schema lists the allowed words and a typo is
reported with the full list. Ids are stable once published: add words, never rename.
"""

import re
from typing import Literal, get_args

EquipmentId = Literal[
    "kettlebell",
    "mat",
    "strap",
    "towel",
    "foam_roller",
    "band",
    "wall",
    "suspension_trainer",
    "chair",
]
"""Equipment a person may have at hand (SPEC 2.3)."""

EquipmentOrHands = EquipmentId | Literal["hands"]
"""An equipment alternative; ``hands`` means no equipment is needed at all."""

ITEM_WORDS: dict[str, tuple[str, ...]] = {
    "kettlebell": ("kettlebell", "bell"),
    "mat": ("mat",),
    "strap": ("strap", "belt"),
    "towel": ("towel",),
    "foam_roller": ("foam roller", "roller"),
    "band": ("band", "mini-band"),
    "wall": ("wall",),
    "suspension_trainer": ("suspension trainer", "suspension strap", "trx"),
    "chair": ("chair",),
}
"""Words that name a piece of equipment in exercise texts (whole words, any case, plural
too): a text shown to a person without the item must use none of them (SPEC 5.8)."""

_NOT_THIS_ITEM = {"strap": r"(?<!suspension )(?<!suspension-)"}
"""A suspension trainer's straps are not a strap."""

_ITEM_PATTERNS = {
    item: re.compile(
        "|".join(rf"{_NOT_THIS_ITEM.get(item, '')}\b{re.escape(w)}s?\b" for w in found),
        re.IGNORECASE,
    )
    for item, found in ITEM_WORDS.items()
}


def names_item(text: str, item: str) -> bool:
    """True when ``text`` names the equipment ``item`` (as a whole word, any case).

    >>> names_item("Loop a towel around the foot.", "towel"), names_item("Towels", "towel")
    (True, True)
    >>> names_item("Press the roller in.", "foam_roller"), names_item("Bend.", "band")
    (True, False)
    >>> names_item("Hold the suspension straps.", "strap"), names_item("A strap.", "strap")
    (False, True)
    """
    return _ITEM_PATTERNS[item].search(text) is not None


RatingRegion = Literal["hip", "hamstrings_adductors", "ankle"]
"""Regions the person rates 0-10 per side at check-in and assessment points."""
RATED_REGIONS: tuple[RatingRegion, ...] = get_args(RatingRegion)
"""The rated regions in the order every check-in and assessment asks them."""

Side = Literal["left", "right"]
SIDES: tuple[Side, ...] = get_args(Side)

BodyRegion = Literal[
    "hip_flexors",
    "quadriceps",
    "adductors",
    "hamstrings",
    "glutes_piriformis",
    "calf_ankle",
    "trunk_lateral_chain",
    "lower_back",
    "upper_back_shoulders",
]
"""Where an exercise works; finer than the three rating regions."""

RATED_BY_REGION: dict[str, RatingRegion] = {
    "hip_flexors": "hip",
    "quadriceps": "hip",
    "adductors": "hamstrings_adductors",
    "hamstrings": "hamstrings_adductors",
    "calf_ankle": "ankle",
}
"""Which 0-10 rating reflects work on a body region (regions absent here are not rated)."""

Position = Literal[
    "standing",
    "supine",
    "prone",
    "side_lying",
    "seated",
    "kneeling",
    "half_kneeling",
    "quadruped",
]

Laterality = Literal["one_side", "both_directions", "bilateral"]
"""``one_side``: done per side; ``both_directions``: done to the left and to the right;
``bilateral``: both sides work at once, done once."""

Category = Literal[
    "assessment", "warm_up", "smash", "foam_rolling", "stretch", "mobility", "activation"
]

SourceProtocol = Literal["kettlebell-smash-reset", "si-joint-stretches", "sirelief"]
"""Where an exercise comes from; ``sirelief`` marks our own additions (measurement tests)."""

EvidenceLevel = Literal["moderate", "low", "coach_practice", "measurement"]
"""How well the kind of work is supported (SPEC 3). ``coach_practice``: no controlled
study; ``measurement``: a test, graded by its reliability rather than by an effect."""

SessionContext = Literal["morning", "after_sitting", "before_activity", "after_activity", "repair"]
"""The moments in SPEC 1 when a person reaches for the app."""

NextActivity = Literal["none", "walk_run_sport", "lifting", "deep_knee_bends"]
"""What the person does after the session: an activation block is picked for it."""

SidePolicy = Literal["tighter_first", "left", "right", "both", "alternate"]
"""How a routine block treats one-sided exercises:

* ``tighter_first``: the whole block on the tighter side, then (after any ``between_sides``
  steps) the whole block on the other side;
* ``both``: each exercise on the left, then on the right, before the next exercise;
* ``alternate``: sets alternate sides (left, right, left, right);
* ``left`` / ``right``: that side only.
"""

AssessmentPoint = Literal["baseline", "mid", "final"]


LABELS: dict[str, str] = {
    "calf_ankle": "calf & ankle",
    "glutes_piriformis": "glutes & piriformis",
    "trunk_lateral_chain": "side of trunk",
    "upper_back_shoulders": "upper back & shoulders",
    "hamstrings_adductors": "hamstrings & inner thighs",
    "hip": "front of hip",
    "kettlebell-smash-reset": "smash reset",
    "si-joint-stretches": "SI stretches",
    "sirelief": "measurement",
    "none": "nothing active",
    "walk_run_sport": "walking, running or field sports",
    "lifting": "lifting or squatting",
    "deep_knee_bends": "anything with deep knee bends",
}
"""Short display labels where the id with spaces for underscores would read badly."""


def label(word: str) -> str:
    """A vocabulary word as people read it.

    >>> label("glutes_piriformis"), label("half_kneeling")
    ('glutes & piriformis', 'half kneeling')
    """
    return LABELS.get(word, word.replace("_", " "))


def words(literal: object) -> tuple[str, ...]:
    """The allowed words of a vocabulary, in declaration order.

    >>> words(Laterality)
    ('one_side', 'both_directions', 'bilateral')
    """
    found: list[str] = []
    for arg in get_args(literal):
        found.extend(words(arg) if get_args(arg) else [arg])
    return tuple(found)
