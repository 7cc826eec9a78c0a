"""Use cases from check-in to plan: read a check-in, screen it, choose and plan a routine."""

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.checkin_reader import CheckinError, read_checkin, screen_first
from sirelief.domain.flag_records import CLEARANCE, advice_lines
from sirelief.domain.flag_records import plan_reasons as clearance_reasons
from sirelief.domain.monitoring import PastSession
from sirelief.domain.pain_rules import pain_rule
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions, plan_session
from sirelief.domain.precautions import apply as apply_precautions
from sirelief.domain.preferences import Preferences
from sirelief.domain.routine import Routine
from sirelief.domain.routine_choice import choose_routine
from sirelief.domain.safety import SafetyRules, StopDecision, screen
from sirelief.services.errors import ServiceError
from sirelief.services.routines import Routines
from sirelief.services.safety_care import SafetyCare

SAMPLE_CHECKIN = {
    "pain": 3, "minutes": 30, "context": "repair",
    "tightness": {"hip": {"left": 3, "right": 6}, "hamstrings_adductors": {"left": 2, "right": 4},
                  "ankle": {"left": 3, "right": 5}},
    "equipment": ["kettlebell", "mat", "strap", "towel", "foam_roller", "band", "wall",
                  "suspension_trainer", "chair"],
}  # fmt: skip
"""A typical check-in for a preview: moderate pain, the right side tighter, all the kit."""
MAX_CHECKIN_BYTES = 64 * 1024
"""A check-in is a small JSON object; anything larger is refused unread."""


def _parse_json(text: str) -> Any:
    """The raw check-in mapping of a JSON text (the reader checks its fields)."""
    if len(text.encode("utf-8")) > MAX_CHECKIN_BYTES:
        raise ServiceError("check-in: too large; a check-in is a small JSON object")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ServiceError(
            f"check-in: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None


@dataclass(frozen=True)
class Planned:
    """A plan (or a stop decision), the routine planned, and the review-level flags the
    plan advises a review for (kept with the session: advice repeats weekly, SPEC 5.1)."""

    result: Plan | StopDecision
    routine: Routine | None
    review_advised: tuple[str, ...] = ()


@dataclass
class Planning:
    """Check-in, safety screen and planning."""

    catalogue: Catalogue
    safety: SafetyRules
    routines: Routines
    care: SafetyCare
    preferences: Callable[[], Preferences] = field(default=Preferences)
    """The person's own settings: the kit a check-in starts with, the first-side choice."""
    fresh_seed: Callable[[], int] = field(default=lambda: secrets.randbelow(1_000_000))
    """A new seed for each randomised plan (tests pass their own to know the side)."""

    def options(self, seed: int | None = None, randomise: bool | None = None) -> PlanOptions:
        """The plan options, with the person's own first-side setting unless told (the
        web's check-in box starts from it too; the terminal's flag overrides it).

        A randomised first side without a given seed draws a fresh one: with one fixed
        seed "at random" would pick the same side every session. The seed is in the
        plan's reasons, so any plan can be made again with ``--seed``."""
        if randomise is None:
            randomise = self.preferences().randomise_first_side
        if seed is None:
            seed = self.fresh_seed() if randomise else 0
        return PlanOptions(seed=seed, randomise_first_side=randomise)

    def prescreen(self, text: str) -> StopDecision | None:
        """The check-in JSON's red flags, screened before anything else is read: a known
        stopping flag stops even when the rest is missing or invalid (SPEC 5.1)."""
        try:
            data = _parse_json(text)
        except ServiceError:
            return None
        return screen_first(data.get("red_flags") if isinstance(data, dict) else None, self.safety)

    def read_checkin(self, text: str) -> CheckIn:
        """Parse the check-in JSON contract; every problem is named by its field."""
        data = _parse_json(text)
        if isinstance(data, dict) and "equipment" not in data:  # the person's own kit
            data = {**data, "equipment": list(self.preferences().equipment)}
        try:
            return read_checkin(data, self.safety)
        except CheckinError as error:
            raise ServiceError(str(error)) from None

    def plan(
        self,
        checkin: CheckIn,
        routine_id: str | None = None,
        options: PlanOptions | None = None,
        history: tuple[PastSession, ...] = (),
    ) -> Plan | StopDecision:
        """Screen first: any red flag gives a stop decision and no plan at all."""
        return self.planned(checkin, routine_id, options, history).result

    def planned(
        self,
        checkin: CheckIn,
        routine_id: str | None = None,
        options: PlanOptions | None = None,
        history: tuple[PastSession, ...] = (),
    ) -> Planned:
        """Like ``plan``, with what a session keeps beside it: the routine, the advice."""
        decision = screen(checkin, self.safety)
        if decision is not None:
            return Planned(decision, None)
        chosen_reason = None
        if routine_id is None:
            routine_id = self.routines.assigned_id()
            if routine_id is not None:
                chosen_reason = "This is the routine your coach gave you."
        if routine_id is None:
            chosen, chosen_reason = choose_routine(checkin, self.routines.builtin)
            routine_id = chosen.id
        gentle_instead = pain_rule(checkin.pain).routine_id
        if gentle_instead and gentle_instead != routine_id:
            asked = self.routines.get(routine_id).routine.name
            chosen_reason = f"{asked} is set aside for today because of the pain."
            routine_id = gentle_instead
        care = self.care
        ids = care.precaution_ids() if checkin.precautions is None else checkin.precautions
        routine, changed = apply_precautions(
            self.routines.get(routine_id).routine, self.catalogue, ids
        )
        if not routine.blocks:
            raise ServiceError(
                f"with your precautions nothing in '{routine_id}' is left to do; "
                "try another routine, such as si-joint-stretches"
            )
        plan = plan_session(routine, self.catalogue, checkin, options or PlanOptions(), history)
        cleared = clearance_reasons(care.standing(CLEARANCE), self.safety)
        said = (*((chosen_reason,) if chosen_reason else ()), *changed, *cleared)
        plan = replace(plan, reasons=(*said, *plan.reasons))
        advice = care.review_advice(checkin.red_flags)
        if advice is None:
            return Planned(plan, routine)
        plan = replace(plan, reasons=(*advice_lines(advice), *plan.reasons))
        return Planned(plan, routine, tuple(flag.id for flag in advice.flags))

    def preview(self, routine: Routine, options: PlanOptions | None = None) -> Plan:
        """The plan a routine being written gives for the sample check-in, made by the
        planner a real check-in uses (no screen, no precautions: nothing is recorded)."""
        checkin = read_checkin(SAMPLE_CHECKIN, self.safety)
        return plan_session(routine, self.catalogue, checkin, options or PlanOptions())
