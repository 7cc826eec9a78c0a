"""Pain before the session decides how much work it holds (SPEC 5.4).

One rule per band of the 0-10 pain rating. The planner applies it and names it in the
plan's reasons, so a person can see why a painful day gives a lighter session.
"""

from dataclasses import dataclass

from sirelief.domain.monitoring import GREEN_LIMIT, PAIN_LIMIT

GENTLE_DAY_ROUTINE = "gentle-day"


@dataclass(frozen=True)
class PainRule:
    """What a pain rating allows today."""

    band: str
    reason: str
    lowest_intensity: float = 0.0
    """0 keeps the routine's dose; 1 takes the bottom of every range."""
    may_progress: bool = True
    left_out_categories: frozenset[str] = frozenset()
    routine_id: str | None = None
    """A routine that replaces the one asked for, or None to keep it."""


def pain_rule(pain: int) -> PainRule:
    """The rule for a pain rating before the session.

    >>> pain_rule(2).band, pain_rule(5).may_progress, pain_rule(7).lowest_intensity
    ('0-3', False, 1.0)
    >>> pain_rule(9).routine_id
    'gentle-day'
    """
    if pain <= GREEN_LIMIT:
        return PainRule(
            f"0-{GREEN_LIMIT}", f"Pain {pain}/10 before you start: the session runs as planned."
        )
    if pain <= PAIN_LIMIT:
        return PainRule(
            f"{GREEN_LIMIT + 1}-{PAIN_LIMIT}",
            f"Pain {pain}/10 before you start is acceptable but not low, so the dose "
            "is not increased today.",
            may_progress=False,
        )
    if pain <= 7:
        return PainRule(
            f"{PAIN_LIMIT + 1}-7",
            f"Pain {pain}/10 before you start is high, so every exercise is at the short "
            "end of its range, nothing presses into the tissue (no smashing) and the dose "
            "is not increased.",
            lowest_intensity=1.0,
            may_progress=False,
            left_out_categories=frozenset({"smash"}),
        )
    return PainRule(
        "8-10",
        f"Pain {pain}/10 before you start is too high for a work session. Instead, a few "
        "minutes of slow breathing and the easiest movements, or simply rest. If the pain "
        "stays at 8 or more for several days, please see a clinician; if it came on "
        "suddenly or is the worst you have had, see one today.",
        lowest_intensity=1.0,
        may_progress=False,
        left_out_categories=frozenset({"smash", "foam_rolling"}),
        routine_id=GENTLE_DAY_ROUTINE,
    )
