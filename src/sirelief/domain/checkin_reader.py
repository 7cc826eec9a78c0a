"""One reader for the check-in, however the answers arrive: a web form, JSON or the terminal.

Each entry point turns its answers into the same raw mapping (the check-in's JSON form) and
hands it here: red flags are screened first, then every other answer is checked, and each
problem names its field. The regions, sides and their order come from the vocabulary.
"""

from typing import Any

from pydantic import ValidationError

from sirelief.domain.checkin import CheckIn
from sirelief.domain.messages import field_names, problems_from_validation
from sirelief.domain.precautions import BY_ID as PRECAUTIONS_BY_ID
from sirelief.domain.problems import Problem
from sirelief.domain.safety import SafetyRules, StopDecision, screen_flags
from sirelief.domain.vocabulary import (
    EquipmentId,
    NextActivity,
    SessionContext,
    label,
    words,
)

EQUIPMENT = words(EquipmentId)
CONTEXTS = words(SessionContext)
NEXT_ACTIVITIES = words(NextActivity)
"""The check-in's choices, in the order every entry point offers them (with
``vocabulary.RATED_REGIONS`` and ``vocabulary.SIDES`` for the ratings)."""


class CheckinError(ValueError):
    """Every problem of a check-in, each with the path of its field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            "check-in: " + "; ".join(f"{_dotted(p.path)}: {_without_name(p)}" for p in problems)
        )


def rating_label(region: str, side: str) -> str:
    """How a form names one rating: "left front of hip"."""
    return f"{side} {label(region)}"


def whole_number(raw: Any, low: int, high: int) -> int | None:
    """A typed answer as an int in [low, high], ASCII digits only (``"²".isdigit()`` is
    True), or None.

    >>> whole_number("7", 0, 10), whole_number("11", 0, 10), whole_number("٣", 0, 10)
    (7, None, None)
    """
    if not isinstance(raw, str) or not (0 < len(raw) <= 6) or not raw.isascii():
        return None
    if not raw.isdigit():
        return None
    value = int(raw)
    return value if low <= value <= high else None


def known_flags(raw: Any, rules: SafetyRules) -> list[str]:
    """The red-flag ids among raw answers that the rules know, in the order given."""
    if not isinstance(raw, list):
        return []
    return [flag for flag in raw if isinstance(flag, str) and rules.flag(flag) is not None]


def screen_first(raw: Any, rules: SafetyRules) -> StopDecision | None:
    """Red flags read before anything else (SPEC 5.1): a known stopping flag stops even
    when the rest of the check-in is missing or invalid. None when nothing stops yet."""
    return screen_flags(known_flags(raw, rules), rules)


def read_checkin(data: Any, rules: SafetyRules) -> CheckIn:
    """The check-in from its raw mapping, or ``CheckinError`` naming each bad field."""
    try:
        checkin = CheckIn.model_validate(data)
    except ValidationError as error:
        raise CheckinError(problems_from_validation(error, field_names([CheckIn]))) from None
    for index, precaution in enumerate(checkin.precautions or []):
        if precaution not in PRECAUTIONS_BY_ID:
            known = ", ".join(PRECAUTIONS_BY_ID)
            message = f"unknown precaution '{precaution}'; known ids: {known}"
            raise CheckinError([Problem(message=message, path=("precautions", index))])
    for index, flag in enumerate(checkin.red_flags):
        if rules.flag(flag) is None:
            known = ", ".join(flag.id for flag in rules.flags)
            message = f"unknown red flag '{flag}'; known ids: {known}"
            raise CheckinError([Problem(message=message, path=("red_flags", index))])
    return checkin


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "check-in"


def _without_name(problem: Problem) -> str:
    """Drop the field name a message starts with: the dotted path already names it."""
    name = next((part for part in reversed(problem.path) if isinstance(part, str)), "")
    return problem.message.removeprefix(f"{name} ")
