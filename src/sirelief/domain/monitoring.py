"""The pain-monitoring model (SPEC 5): how the last session went decides the next dose.

During exercise 0-3 is green, 4-5 amber (acceptable), 6-10 red. Pain should settle by
the next morning. Settled and green: repeat or progress a little; amber that settled:
repeat; not settled or red: regress, and see a clinician if that keeps happening.
"""

from dataclasses import dataclass
from typing import Literal

from sirelief.domain.plan import DoseDecision

Zone = Literal["green", "amber", "red"]
PAIN_LIMIT = 5
"""The most pain or pressure the work may bring, out of 10 (SPEC 5.5). One number for the
smash and rolling pressure target, the "too much" threshold, the top of amber, and every
screen and exercise file that states it."""
GREEN_LIMIT = 3
"""Pain up to this is green; above it and up to ``PAIN_LIMIT`` is amber, above that red."""
PROGRESS_STEP = -1.0
"""Dose intensity that means "progress a little" (see ``dosing.progressed``)."""


def zone(pain: int) -> Zone:
    """Traffic-light zone of a pain score during exercise.

    >>> zone(3), zone(5), zone(6)
    ('green', 'amber', 'red')
    """
    return "green" if pain <= GREEN_LIMIT else "amber" if pain <= PAIN_LIMIT else "red"


@dataclass(frozen=True)
class PastSession:
    """What the planner needs to know about an earlier session."""

    max_pain: int | None
    """Highest pain reported during the session (0-10), if any was asked."""
    settled_by_morning: bool | None
    """The next-morning answer; None when it was never given."""


@dataclass(frozen=True)
class DoseAdvice:
    decision: DoseDecision
    intensity: float
    """0 = the routine's dose, negative = progress a little, 1 = the range bottom."""
    reasons: tuple[str, ...]


def advise(history: tuple[PastSession, ...]) -> DoseAdvice | None:
    """Progress, repeat or regress, from the most recent session with a morning answer.

    ``history`` is newest first. None when no session has a next-morning answer yet.
    """
    answered = [s for s in history if s.settled_by_morning is not None]
    if not answered:
        return None
    decision, reason = _decide(answered[0])
    reasons = [reason]
    if decision == "regress" and len(answered) > 1 and _decide(answered[1])[0] == "regress":
        reasons.append(
            "This is the second session in a row that did not settle well: if it "
            "keeps happening, please see a clinician."
        )
    intensity = {"progress": PROGRESS_STEP, "repeat": 0.0, "regress": 1.0}[decision]
    return DoseAdvice(decision, intensity, tuple(reasons))


def _decide(session: PastSession) -> tuple[DoseDecision, str]:
    pain = session.max_pain
    level = zone(pain) if pain is not None else "green"
    during = (
        f"pain during it peaked at {pain}/10 ({level})"
        if pain is not None
        else ("no pain was reported during it")
    )
    if not session.settled_by_morning:
        return "regress", (
            f"Last time {during} and it had not settled by the next morning, "
            "so today's work is at the low end of each range (a hold stays at least "
            "30 s). Use a smaller range."
        )
    if level == "red":
        return "regress", (
            f"Last time {during}: too much, even though it settled, so today's "
            "dose is lighter. Use a smaller range."
        )
    if level == "amber":
        return "repeat", (
            f"Last time {during} and settled by morning: acceptable, so today "
            "repeats the same dose."
        )
    return "progress", (
        f"Last time {during} and settled by morning, so today progresses a "
        "little: slightly longer holds or more repetitions."
    )
