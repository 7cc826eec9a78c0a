"""The safety screen (SPEC 5.1): red flags are read first, in four levels.

The questions live in a data file; this module holds their shape and the rules:
- emergency, same_day and soon flags answered yes stop the session, at the most urgent
  level among them, with the reasons and what to do, and no exercise plan;
- review flags allow a gentle session with advice to book a review; the inflammatory
  pattern counts only from two of its features, because a single one is common and
  exercise is first-line care for that pattern.
A level's badge, heading and advice are checked to name the same time frame, so a "same
day" screen can never say "within a few days". It informs and directs; it never diagnoses.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sirelief.domain.model_base import Record, ShortText, Slug, Text

Level = Literal["emergency", "same_day", "soon", "review"]
LEVELS: tuple[Level, ...] = ("emergency", "same_day", "soon", "review")
STOPPING: tuple[Level, ...] = ("emergency", "same_day", "soon")
Urgency = Level
"""The older name: the JSON key ``urgency`` carries the level."""
INFLAMMATORY_FEATURES_NEEDED = 2
"""ASAS 2009 asks for 4 of 5 features; SPEC 5.1 asks a review from two of the four here."""

TIME_WORDS: dict[Level, tuple[str, ...]] = {
    "emergency": ("emergency", "now"),
    "same_day": ("today", "same day"),
    "soon": ("1 to 2 weeks",),
    "review": ("review",),
}
"""Words that name a level's time frame: its badge, heading and advice use its own."""
VAGUE_WORDS = ("few days", "urgent", "coming weeks", "when you can", "soon")
"""Time words that belong to no level (or, for "soon", only to its own badge)."""

NOT_A_DIAGNOSIS = (
    "sirelief gives coaching information only. It cannot examine you, does not diagnose, "
    "and does not replace a clinician."
)


def _says(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE) is not None


def contradictions(level: Level, text: str) -> list[str]:
    """The time words in ``text`` that belong to another level (or to none)."""
    found = [w for other in LEVELS if other != level for w in TIME_WORDS[other] if _says(text, w)]
    vague = [w for w in VAGUE_WORDS if _says(text, w) and not (level == "soon" and w == "soon")]
    return found + vague


class RedFlag(Record):
    """One yes/no question; its level says what a "yes" means."""

    id: Slug
    level: Level
    question: Text
    """Asked as written, answered yes or no."""
    why: Text
    """Why this matters, in plain and calm words."""
    pattern: Literal["inflammatory"] | None = None
    """Part of a pattern that counts only from two features (review level only)."""

    @property
    def urgency(self) -> Level:
        return self.level

    @model_validator(mode="after")
    def _agrees(self) -> "RedFlag":
        if self.pattern is not None and self.level != "review":
            raise ValueError(f"flag {self.id}: only review flags can belong to a pattern")
        if words := contradictions(self.level, self.why):
            raise ValueError(f"flag {self.id}: why says {words[0]!r}, not the {self.level} level")
        return self


class LevelAdvice(Record):
    """What to do at one level: badge, heading and advice, all naming the same time."""

    level: Level
    badge: ShortText
    title: ShortText
    what_to_do: Text

    @property
    def urgency(self) -> Level:
        return self.level

    @model_validator(mode="after")
    def _agrees(self) -> "LevelAdvice":
        for name in ("badge", "title", "what_to_do"):
            text = getattr(self, name)
            if not any(_says(text, word) for word in TIME_WORDS[self.level]):
                raise ValueError(f"advice {self.level}: {name} does not name its time frame")
            if words := contradictions(self.level, text):
                raise ValueError(f"advice {self.level}: {name} says {words[0]!r}")
        return self


class SafetyRules(Record):
    """The whole red-flag file."""

    flags: Annotated[list[RedFlag], Field(min_length=1)]
    advice: Annotated[list[LevelAdvice], Field(min_length=4, max_length=4)]

    @model_validator(mode="after")
    def _complete(self) -> "SafetyRules":
        ids = [flag.id for flag in self.flags]
        if len(set(ids)) != len(ids):
            raise ValueError("flags lists the same id twice")
        if sorted(a.level for a in self.advice) != sorted(LEVELS):
            raise ValueError("advice needs exactly one entry per level")
        return self

    def flag(self, flag_id: str) -> RedFlag | None:
        return next((flag for flag in self.flags if flag.id == flag_id), None)

    def advice_for(self, level: Level) -> LevelAdvice:
        return next(a for a in self.advice if a.level == level)

    def at(self, level: Level) -> list[RedFlag]:
        return [flag for flag in self.flags if flag.level == level]


@dataclass(frozen=True)
class StopDecision:
    """Self-management stops here (or, at review level, goes on gently): why and what to do."""

    urgency: Level
    title: str
    flags: tuple[RedFlag, ...]
    reasons: tuple[str, ...]
    what_to_do: str
    disclaimer: str = NOT_A_DIAGNOSIS
    badge: str = ""

    @property
    def level(self) -> Level:
        return self.urgency

    @property
    def stops(self) -> bool:
        return self.urgency in STOPPING

    def to_json(self) -> dict:
        return {
            "status": "stop" if self.stops else "review",
            "urgency": self.urgency,
            "level": self.urgency,
            "badge": self.badge,
            "title": self.title,
            "flags": [flag.id for flag in self.flags],
            "reasons": list(self.reasons),
            "what_to_do": self.what_to_do,
            "disclaimer": self.disclaimer,
        }


def screen(checkin, rules: SafetyRules) -> StopDecision | None:
    """A stop decision when a stopping flag in the check-in is answered yes, else None."""
    return screen_flags(checkin.red_flags, rules)


def _decision(level: Level, flags: list[RedFlag], rules: SafetyRules, extra=()) -> StopDecision:
    advice = rules.advice_for(level)
    ordered = tuple(sorted(flags, key=lambda flag: LEVELS.index(flag.level)))
    reasons = (*extra, *(flag.why for flag in ordered))
    return StopDecision(
        level, advice.title, ordered, reasons, advice.what_to_do, badge=advice.badge
    )


def screen_flags(flag_ids: list[str], rules: SafetyRules) -> StopDecision | None:
    """A stop decision when any stopping flag is answered yes, else None.

    Unknown flag ids are rejected earlier (when the check-in is read); here they still
    stop, at the emergency level, because guessing "safe" is never acceptable.
    """
    flags = [rules.flag(flag_id) for flag_id in flag_ids]
    known = [flag for flag in flags if flag is not None]
    stopping = [flag for flag in known if flag.level in STOPPING]
    if len(known) < len(flags):
        extra = (
            "An answer sirelief does not recognise was given, so it takes the most "
            "cautious course.",
        )
        return _decision("emergency", known, rules, extra)
    if not stopping:
        return None
    level = min((flag.level for flag in stopping), key=LEVELS.index)
    return _decision(level, known, rules)


def review(
    flag_ids: list[str], rules: SafetyRules, reviewed: Mapping[str, date] | None = None
) -> StopDecision | None:
    """The review advice for a session that may go on, or None when none is due.

    One inflammatory feature alone is no reason for advice; two or more are, and so is
    any review flag outside that pattern. ``reviewed`` holds the day of each recorded
    review: such a flag is then asked as "new or worse since your review?", so a yes
    gives the advice again (and a reviewed feature of the pattern still counts toward
    its two, because the review found it present).
    """
    reviewed = reviewed or {}
    known = [flag for flag in map(rules.flag, flag_ids) if flag is not None]
    if any(flag.level in STOPPING for flag in known):
        return None
    pattern = [flag for flag in known if flag.pattern == "inflammatory"]
    seen = {flag.id for flag in pattern} | {
        flag.id for flag in rules.flags if flag.pattern == "inflammatory" and flag.id in reviewed
    }
    other = [flag for flag in known if flag.level == "review" and flag.pattern is None]
    enough = pattern and len(seen) >= INFLAMMATORY_FEATURES_NEEDED
    counted = other + (pattern if enough else [])
    if not counted:
        return None
    again = tuple(
        f"New or worse since your review on {reviewed[flag.id]:%d %b %Y}: {flag.question}"
        for flag in counted
        if flag.id in reviewed
    )
    return _decision("review", counted, rules, again)
