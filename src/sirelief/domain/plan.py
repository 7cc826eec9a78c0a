"""A plan: the concrete, timed steps of one session, and the reasons behind them."""

from dataclasses import dataclass, field
from typing import Any, Literal

from sirelief.domain.routine import AssessmentStep
from sirelief.domain.vocabulary import Side

StepKind = Literal["exercise", "assessment", "rest", "transition"]
PlanSide = Side | Literal["both"]
DoseDecision = Literal["progress", "repeat", "regress"]


@dataclass(frozen=True)
class PlannedCue:
    """A sub-step cue, in seconds from the start of its step."""

    at_s: int
    say: str


@dataclass(frozen=True)
class PlanStep:
    """One thing to do, in order: work, rest, a change of position, or an assessment."""

    kind: StepKind
    block_id: str
    title: str
    duration_s: int
    """How long it runs; for repetitions, the time they take at the given tempo."""
    exercise_id: str | None = None
    side: PlanSide | None = None
    set: int | None = None
    sets: int | None = None
    reps: int | None = None
    tempo: str | None = None
    cues: tuple[PlannedCue, ...] = ()
    assessment: AssessmentStep | None = None
    note: str | None = None
    """The routine's note for the step (a substitute for missing kit is planned as the
    exercise it is, with its own title and cues, not as a note)."""
    switches_side: bool = False
    """A transition that changes side mid-exercise (the timer's "switch side" phase)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "block": self.block_id,
            "title": self.title,
            "exercise_id": self.exercise_id,
            "side": self.side,
            "set": self.set,
            "sets": self.sets,
            "duration_s": self.duration_s,
            "reps": self.reps,
            "tempo": self.tempo,
            "cues": [{"at_s": cue.at_s, "say": cue.say} for cue in self.cues],
            "assessment": self.assessment.model_dump(mode="json") if self.assessment else None,
            "note": self.note,
            "switches_side": self.switches_side,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PlanStep":
        """The inverse of ``to_json``: a stored plan comes back exactly as planned.

        Every field is set here, so the attributes are filled in directly rather than
        through the frozen ``__init__`` (one ``object.__setattr__`` per field): a two-year
        report reads some 15,000 steps (issue 21 item 3)."""
        assessment = data.get("assessment")
        step = object.__new__(cls)
        step.__dict__.update(
            kind=data["kind"],
            block_id=data["block"],
            title=data["title"],
            duration_s=data["duration_s"],
            exercise_id=data.get("exercise_id"),
            side=data.get("side"),
            set=data.get("set"),
            sets=data.get("sets"),
            reps=data.get("reps"),
            tempo=data.get("tempo"),
            cues=tuple(PlannedCue(c["at_s"], c["say"]) for c in data.get("cues", ())),
            assessment=AssessmentStep.model_validate(assessment) if assessment else None,
            note=data.get("note"),
            switches_side=data.get("switches_side", False),
        )
        return step


class StepsRead:
    """Steps already read from stored plans, to share among the next ones.

    Plans repeat their steps: a two-year history holds some 15,700 steps but only 224
    different ones, so a report reads each once and shares it (steps are immutable).
    Assessment steps, rarer, are read each time. Stored plans are checked to hold exactly
    what ``to_json`` writes (the import refuses any other type), so steps whose values are
    equal are the same step.

    >>> steps = StepsRead()
    >>> one = {"kind": "rest", "block": "b", "title": "Rest", "duration_s": 20}
    >>> steps.step(one) is steps.step(dict(one))
    True
    """

    def __init__(self) -> None:
        self._read: dict[tuple, PlanStep] = {}

    def step(self, data: dict[str, Any]) -> PlanStep:
        if data.get("assessment"):
            return PlanStep.from_json(data)
        get = data.get
        key = (
            data["kind"], data["block"], data["title"], data["duration_s"], get("exercise_id"),
            get("side"), get("set"), get("sets"), get("reps"), get("tempo"), get("note"),
            get("switches_side", False), tuple([(c["at_s"], c["say"]) for c in get("cues", ())]),
        )  # fmt: skip
        step = self._read.get(key)
        if step is None:
            step = self._read[key] = PlanStep.from_json(data)
        return step


@dataclass(frozen=True)
class Plan:
    """The planner's answer when no red flag stopped the session."""

    routine_id: str
    routine_version: int
    routine_name: str
    steps: tuple[PlanStep, ...]
    minutes_available: int
    fits: bool
    first_side: Side | None
    dose_decision: DoseDecision | None
    seed: int
    reasons: tuple[str, ...] = field(default=())

    @property
    def total_s(self) -> int:
        return sum(step.duration_s for step in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "routine": self.routine_id,
            "routine_version": self.routine_version,
            "routine_name": self.routine_name,
            "first_side": self.first_side,
            "total_s": self.total_s,
            "minutes_available": self.minutes_available,
            "fits": self.fits,
            "dose_decision": self.dose_decision,
            "seed": self.seed,
            "reasons": list(self.reasons),
            "steps": [step.to_json() for step in self.steps],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], steps_read: StepsRead | None = None) -> "Plan":
        """The inverse of ``to_json``; ``steps_read`` shares steps between the plans read
        together (see ``StepsRead``)."""
        read = PlanStep.from_json if steps_read is None else steps_read.step
        return cls(
            routine_id=data["routine"],
            routine_version=data["routine_version"],
            routine_name=data["routine_name"],
            steps=tuple(read(step) for step in data["steps"]),
            minutes_available=data["minutes_available"],
            fits=data["fits"],
            first_side=data.get("first_side"),
            dose_decision=data.get("dose_decision"),
            seed=data["seed"],
            reasons=tuple(data.get("reasons", ())),
        )
