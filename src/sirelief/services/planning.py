"""Use cases from check-in to plan: read a check-in, screen it, choose and plan a routine."""

import json
from dataclasses import dataclass, replace

from pydantic import ValidationError

from sirelief.domain.catalogue import Catalogue
from sirelief.domain.checkin import CheckIn
from sirelief.domain.flag_records import CLEARANCE, advice_lines
from sirelief.domain.flag_records import plan_reasons as clearance_reasons
from sirelief.domain.messages import field_names, problems_from_validation
from sirelief.domain.monitoring import PastSession
from sirelief.domain.pain_rules import pain_rule
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions, plan_session
from sirelief.domain.precautions import BY_ID as PRECAUTIONS_BY_ID
from sirelief.domain.precautions import apply as apply_precautions
from sirelief.domain.routine import Routine
from sirelief.domain.routine_choice import choose_routine
from sirelief.domain.safety import SafetyRules, StopDecision, screen, screen_flags
from sirelief.services.errors import ServiceError
from sirelief.services.routines import Routines
from sirelief.services.safety_care import SafetyCare

PRECAUTION_IDS = tuple(PRECAUTIONS_BY_ID)

MAX_CHECKIN_BYTES = 64 * 1024


def _dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "check-in"


def _without_name(problem) -> str:
    """Drop the field name a message starts with: the dotted path already names it."""
    name = next((part for part in reversed(problem.path) if isinstance(part, str)), "")
    return problem.message.removeprefix(f"{name} ")


@dataclass
class Planning:
    """Check-in, safety screen and planning."""

    catalogue: Catalogue
    safety: SafetyRules
    routines: Routines
    care: SafetyCare

    def prescreen(self, text: str) -> StopDecision | None:
        """Red flags read before anything else (SPEC 5.1): a known stopping flag stops even
        when the rest of the check-in is missing or invalid. None when nothing stops yet."""
        if len(text.encode("utf-8")) > MAX_CHECKIN_BYTES:
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        flags = data.get("red_flags") if isinstance(data, dict) else None
        if not isinstance(flags, list):
            return None
        known = [f for f in flags if isinstance(f, str) and self.safety.flag(f) is not None]
        return screen_flags(known, self.safety)

    def read_checkin(self, text: str) -> CheckIn:
        """Parse the check-in JSON contract; every problem is named by its field."""
        if len(text.encode("utf-8")) > MAX_CHECKIN_BYTES:
            raise ServiceError("check-in: too large; a check-in is a small JSON object")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ServiceError(
                f"check-in: not valid JSON at line {error.lineno}, column "
                f"{error.colno}: {error.msg}"
            ) from None
        try:
            checkin = CheckIn.model_validate(data)
        except ValidationError as error:
            problems = problems_from_validation(error, field_names([CheckIn]))
            raise ServiceError(
                "check-in: " + "; ".join(f"{_dotted(p.path)}: {_without_name(p)}" for p in problems)
            ) from None
        for index, precaution in enumerate(checkin.precautions or []):
            if precaution not in PRECAUTION_IDS:
                known = ", ".join(PRECAUTION_IDS)
                raise ServiceError(
                    f"check-in: precautions[{index}]: unknown precaution '{precaution}'; "
                    f"known ids: {known}"
                )
        unknown = [(i, f) for i, f in enumerate(checkin.red_flags) if self.safety.flag(f) is None]
        if unknown:
            index, flag = unknown[0]
            known = ", ".join(flag.id for flag in self.safety.flags)
            raise ServiceError(
                f"check-in: red_flags[{index}]: unknown red flag '{flag}'; known ids: {known}"
            )
        return checkin

    def plan(
        self,
        checkin: CheckIn,
        routine_id: str | None = None,
        options: PlanOptions | None = None,
        history: tuple[PastSession, ...] = (),
    ) -> Plan | StopDecision:
        """Screen first: any red flag gives a stop decision and no plan at all."""
        return self.plan_routine(checkin, routine_id, options, history)[0]

    def plan_routine(
        self,
        checkin: CheckIn,
        routine_id: str | None = None,
        options: PlanOptions | None = None,
        history: tuple[PastSession, ...] = (),
    ) -> tuple[Plan | StopDecision, Routine | None]:
        """Like ``plan``, also giving the routine planned (for keeping it with a session)."""
        decision = screen(checkin, self.safety)
        if decision is not None:
            return decision, None
        chosen_reason = None
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
        if advice is not None:
            plan = replace(plan, reasons=(*advice_lines(advice), *plan.reasons))
        return plan, routine
