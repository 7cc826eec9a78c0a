"""Clinician clearance of a "soon" red flag (SPEC 5.2).

Facts that stay true (a cancer history, an age) must not lock a person out for good, nor
teach them to answer falsely. After a clinician has checked, the person records the date
(and optionally who); the question is then asked as "new or worse since your clearance?",
and a yes stops again. Emergency and same-day flags describe today and are never cleared.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sirelief.domain.safety import RedFlag, SafetyRules

MAX_BY = 120


class ClearanceError(ValueError):
    """A clearance that cannot be recorded; the message names the fix."""


@dataclass(frozen=True)
class Clearance:
    id: str
    flag_id: str
    cleared_on: date
    by: str | None
    recorded_at: datetime
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "flag": self.flag_id,
            "cleared_on": self.cleared_on.isoformat(),
            "by": self.by,
            "recorded_at": self.recorded_at.isoformat(),
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
        }

    def says(self) -> str:
        who = f" ({self.by})" if self.by else ""
        return (
            f"a clinician{who} checked this on {self.cleared_on:%d %b %Y} and said exercise is fine"
        )


def check(rules: SafetyRules, flag_id: str, cleared_on: date, by: str | None, today: date) -> None:
    """Raise ``ClearanceError`` unless this clearance may be recorded."""
    flag = rules.flag(flag_id)
    if flag is None:
        soon = ", ".join(f.id for f in rules.at("soon"))
        raise ClearanceError(f"unknown red flag '{flag_id}'; flags that can be cleared: {soon}")
    if flag.level != "soon":
        raise ClearanceError(
            f"'{flag_id}' is a {flag.level.replace('_', '-')} flag: it describes today and "
            "cannot be cleared; only 'soon' flags can"
        )
    if cleared_on > today:
        raise ClearanceError(
            f"the date {cleared_on.isoformat()} is in the future; give the day of the check"
        )
    if by is not None and len(by) > MAX_BY:
        raise ClearanceError(f"who checked: at most {MAX_BY} characters")


def active(clearances: list[Clearance]) -> dict[str, Clearance]:
    """The latest standing clearance per flag."""
    found: dict[str, Clearance] = {}
    for clearance in sorted(clearances, key=lambda c: c.recorded_at):
        if clearance.active:
            found[clearance.flag_id] = clearance
    return found


def question(flag: RedFlag, clearance: Clearance | None) -> str:
    """The question as asked: reworded once a clinician has cleared the flag."""
    if clearance is None:
        return flag.question
    return (
        f"Since your clearance on {clearance.cleared_on:%d %b %Y}, is this new or worse? "
        f"{flag.question}"
    )


def plan_reasons(cleared: dict[str, Clearance], rules: SafetyRules) -> tuple[str, ...]:
    """What the plan says about each standing clearance."""
    return tuple(
        f"Clearance: for '{rules.flag(flag_id).id}', {c.says()}; the question is asked as "
        "new or worse since then."
        for flag_id, c in sorted(cleared.items())
        if rules.flag(flag_id) is not None
    )
