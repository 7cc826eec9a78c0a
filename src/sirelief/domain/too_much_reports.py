""" "Too much" reports read back after a session (SPEC 5.5): what was felt, and what then.

Each report is recorded as a ``too_much`` event and answered by a ``too_much_choice`` (or
by ending the session). The results page and history list them in plain words, so a
session that went wrong says where and how, not just that it ended early.

>>> from sirelief.domain.plan import PlanStep
>>> step = PlanStep(kind="exercise", block_id="b", title="Kettlebell adductor smash",
...                 duration_s=60, exercise_id="kb-adductor-smash", side="left")
>>> print(TooMuchReport(step, "numbness", 4, "skip").says())  # doctest: +NORMALIZE_WHITESPACE
You said it was too much during Kettlebell adductor smash, left side
(numbness, pain 4 of 10): you skipped it.
"""

from dataclasses import dataclass, replace

from sirelief.domain.plan import Plan, PlanStep
from sirelief.domain.session import Event, SessionState, apply
from sirelief.domain.too_much import SYMPTOM_WORDS

CHOSE = {
    "gentler": "you went on with a gentler version",
    "skip": "you skipped it",
    "end": "you ended the session",
}
"""What the person chose, as said afterwards."""
NO_CHOICE = "no choice was recorded after it"


@dataclass(frozen=True)
class TooMuchReport:
    step: PlanStep
    symptom: str | None
    pain: int | None
    choice: str | None
    """``gentler``, ``skip`` or ``end``; None while unanswered."""

    def says(self, who: str = "you") -> str:
        """What happened, to the person ("you") or about them to their coach ("they")."""
        where = self.step.title
        if self.step.side in ("left", "right"):
            where += f", {self.step.side} side"
        felt = [SYMPTOM_WORDS[self.symptom].lower()] if self.symptom in SYMPTOM_WORDS else []
        if self.pain is not None:
            felt.append(f"pain {self.pain} of 10")
        detail = f" ({', '.join(felt)})" if felt else ""
        then = CHOSE.get(self.choice or "", NO_CHOICE)
        if who != "you" and self.choice in CHOSE:
            then = then.replace("you ", f"{who} ", 1)
        return f"{who.capitalize()} said it was too much during {where}{detail}: {then}."


def too_much_reports(
    plan: Plan, events: tuple[Event, ...] | list[Event]
) -> tuple[TooMuchReport, ...]:
    """Every "too much" the session fold accepted, in order, with the choice that followed.

    Replays only sessions that hold a ``too_much`` event, so history stays cheap.
    """
    if not any(event.kind == "too_much" for event in events):
        return ()
    state = SessionState(plan)
    found: list[TooMuchReport] = []
    for event in events:
        before = state
        state = apply(state, event)
        if before.too_much is None and state.too_much is not None:
            asked = state.too_much
            step = plan.steps[before.index]
            found.append(TooMuchReport(step, asked.symptom, asked.pain, None))
        elif before.too_much is not None and state.too_much is None and found:
            choice = event.choice if event.kind == "too_much_choice" else None
            if event.kind in ("end", "skip"):
                choice = event.kind
            found[-1] = replace(found[-1], choice=choice)
    return tuple(found)
