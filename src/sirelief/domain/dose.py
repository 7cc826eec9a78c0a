"""Doses: how long, how many, how fast - with the limits that validate them.

Each numeric dose field has *hard* limits (outside them the value is impossible or unsafe
and is rejected) and *usual* limits taken from SPEC section 3 (outside them the value is
legal but far from what the evidence supports, and earns a warning).
"""

from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import Field, model_validator

from sirelief.domain.model_base import Record, ShortText


@dataclass(frozen=True)
class Limit:
    """Bounds of one dose field."""

    low: float
    high: float
    unit: str
    usual_low: float
    usual_high: float
    why_usual: str

    def describe(self, value: object) -> str:
        """Plain message for a value outside the hard limits."""
        return f"must be between {_num(self.low)} and {_num(self.high)} {self.unit}, got {value}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


LIMITS: dict[str, Limit] = {
    "hold_s": Limit(
        5,
        300,
        "seconds",
        15,
        120,
        "static holds of 30-60 s work; longer adds little (Bandy & Irion 1994)",
    ),
    "sets": Limit(1, 30, "sets", 1, 6, "2-4 sets reach the ~60 s per stretch that ACSM advises"),
    "minutes": Limit(0.25, 60, "minutes", 0.5, 8, "the source protocol gives 2-4 minutes per area"),
    "reps": Limit(1, 100, "repetitions", 1, 30, "slow, controlled sets of up to ~20"),
    "rest_s": Limit(0, 600, "seconds", 0, 120, "short rests keep a session within its time"),
    "at_s": Limit(0, 3600, "seconds", 0, 3600, ""),
    "squat_reps": Limit(
        1, 20, "repetitions", 4, 10, "the protocol asks for one set of 6-8 slow squats"
    ),
}
"""Hard and usual limits by field name; the single source for models and messages."""


def _bounded(name: str, kind: type) -> Any:
    limit = LIMITS[name]
    low, high = (int(limit.low), int(limit.high)) if kind is int else (limit.low, limit.high)
    return Annotated[kind, Field(ge=low, le=high, description=f"{limit.unit}, {low}-{high}")]


HoldSeconds = _bounded("hold_s", int)
SetCount = _bounded("sets", int)
Minutes = _bounded("minutes", float)
RepCount = _bounded("reps", int)
RestSeconds = _bounded("rest_s", int)
CueSeconds = _bounded("at_s", int)
SquatReps = _bounded("squat_reps", int)

Tempo = Annotated[
    str,
    Field(
        pattern=r"^\d{1,2}-\d{1,2}-\d{1,2}$",
        description="seconds down-pause-up, e.g. 3-1-3",
    ),
]


def _check_range(name: str, default: float, bounds: list[float] | None) -> None:
    if bounds is None:
        return
    low, high = bounds
    if low > high:
        raise ValueError(f"{name}_range must go from low to high, got [{low}, {high}]")
    if not low <= default <= high:
        raise ValueError(f"{name} {default} must lie inside {name}_range [{low}, {high}]")


class Cue(Record):
    """A spoken sub-step inside timed work, e.g. "shift the handle toward the knee"."""

    at_s: CueSeconds
    """Seconds from the start of the work (for one side)."""
    say: ShortText


Value = TypeVar("Value", int, float)
Range = Annotated[list[Value], Field(min_length=2, max_length=2)]
"""The lowest and highest a dose field may be set to, as ``[low, high]``."""


class _RangedDose(Record):
    """A dose whose ``<field>_range`` fields, when given, must hold the field's default."""

    @model_validator(mode="after")
    def _defaults_inside_ranges(self) -> "_RangedDose":
        for name in type(self).model_fields:
            if name.endswith("_range"):
                field = name.removesuffix("_range")
                _check_range(field, getattr(self, field), getattr(self, name))
        return self


class HoldDose(_RangedDose):
    """Static holds: seconds per hold, a number of sets, rest between them."""

    kind: Literal["hold"]
    hold_s: HoldSeconds
    hold_s_range: Range[HoldSeconds] | None = None
    sets: SetCount = 2
    sets_range: Range[SetCount] | None = None
    rest_s: RestSeconds = 10


class TimedDose(_RangedDose):
    """Continuous work for some minutes, with timed sub-step cues (the smashes)."""

    kind: Literal["timed"]
    minutes: Minutes
    minutes_range: Range[Minutes] | None = None
    cues: list[Cue] = []
    """Sub-steps timed for the default minutes; other lengths stretch or squeeze them."""

    @model_validator(mode="after")
    def _cues_inside_the_work(self) -> "TimedDose":
        check_cues(self.cues, self.minutes)
        return self


class RepsDose(_RangedDose):
    """Repetitions at a tempo, in sets."""

    kind: Literal["reps"]
    reps: RepCount
    reps_range: Range[RepCount] | None = None
    sets: SetCount = 1
    sets_range: Range[SetCount] | None = None
    tempo: Tempo = "2-1-2"
    rest_s: RestSeconds = 20


Dose = Annotated[HoldDose | TimedDose | RepsDose, Field(discriminator="kind")]


def check_cues(cues: list[Cue], minutes: float) -> None:
    """Cues must run in time order and fall inside the work they belong to."""
    total = round(minutes * 60)
    previous = -1
    for cue in cues:
        if cue.at_s >= total:
            raise ValueError(
                f"cue at {cue.at_s} s falls after the end of the work ({total} s = "
                f"{_num(minutes)} min): move it earlier or lengthen minutes"
            )
        if cue.at_s <= previous:
            raise ValueError(f"cues must be in time order: {cue.at_s} s comes after {previous} s")
        previous = cue.at_s
