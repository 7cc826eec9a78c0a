"""The safety screen (SPEC 5): red flags stop self-management before any plan is made.

The questions live in a data file; this module holds their shape and the rule: any flag
answered yes gives a stop decision at the most urgent level among them, with the reasons
and what to do, and no exercise plan. It informs and directs; it never diagnoses.
"""

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sirelief.domain.checkin import CheckIn
from sirelief.domain.model_base import Record, ShortText, Slug, Text

Urgency = Literal["emergency", "urgent", "clinician"]
URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "urgent", "clinician")
NOT_A_DIAGNOSIS = (
    "sirelief gives coaching information only. It cannot examine you, does not diagnose, "
    "and does not replace a clinician."
)


class RedFlag(Record):
    """One yes/no question whose "yes" stops self-management."""

    id: Slug
    question: Text
    """Asked as written, answered yes or no."""
    urgency: Urgency
    why: Text
    """Why this matters, in plain and calm words."""


class UrgencyAdvice(Record):
    """What to do at one level of urgency."""

    urgency: Urgency
    title: ShortText
    what_to_do: Text


class SafetyRules(Record):
    """The whole red-flag file."""

    flags: Annotated[list[RedFlag], Field(min_length=1)]
    advice: Annotated[list[UrgencyAdvice], Field(min_length=3, max_length=3)]

    @model_validator(mode="after")
    def _complete(self) -> "SafetyRules":
        ids = [flag.id for flag in self.flags]
        if len(set(ids)) != len(ids):
            raise ValueError("flags lists the same id twice")
        if sorted(a.urgency for a in self.advice) != sorted(URGENCY_ORDER):
            raise ValueError("advice needs exactly one entry per urgency")
        return self

    def flag(self, flag_id: str) -> RedFlag | None:
        return next((flag for flag in self.flags if flag.id == flag_id), None)

    def advice_for(self, urgency: Urgency) -> UrgencyAdvice:
        return next(a for a in self.advice if a.urgency == urgency)


@dataclass(frozen=True)
class StopDecision:
    """Self-management stops here: how urgent, why, and what to do."""

    urgency: Urgency
    title: str
    flags: tuple[RedFlag, ...]
    reasons: tuple[str, ...]
    what_to_do: str
    disclaimer: str = NOT_A_DIAGNOSIS

    def to_json(self) -> dict:
        return {
            "status": "stop",
            "urgency": self.urgency,
            "title": self.title,
            "flags": [flag.id for flag in self.flags],
            "reasons": list(self.reasons),
            "what_to_do": self.what_to_do,
            "disclaimer": self.disclaimer,
        }


def screen(checkin: CheckIn, rules: SafetyRules) -> StopDecision | None:
    """A stop decision when any red flag in the check-in is answered yes, else None."""
    return screen_flags(checkin.red_flags, rules)


def screen_flags(flag_ids: list[str], rules: SafetyRules) -> StopDecision | None:
    """A stop decision when any red flag is answered yes, else None.

    Unknown flag ids are rejected earlier (when the check-in is read); here they would
    still stop, at the most urgent level, because guessing "safe" is never acceptable.
    """
    if not flag_ids:
        return None
    flags = [rules.flag(flag_id) for flag_id in flag_ids]
    known = tuple(flag for flag in flags if flag is not None)
    levels = [flag.urgency for flag in known] or ["emergency"]
    if len(known) < len(flags):
        levels.append("emergency")
    urgency = min(levels, key=URGENCY_ORDER.index)
    advice = rules.advice_for(urgency)
    ordered = sorted(known, key=lambda flag: URGENCY_ORDER.index(flag.urgency))
    reasons = tuple(flag.why for flag in ordered)
    if len(known) < len(flags):
        reasons = (
            "An answer sirelief does not recognise was given, so it takes the most "
            "cautious course.",
            *reasons,
        )
    return StopDecision(urgency, advice.title, tuple(ordered), reasons, advice.what_to_do)
