"""Use cases for what stays true about a person's safety: precautions and clearances.

Web and CLI both go through here; the clock comes in as a parameter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sirelief.domain import clearance as clearances_rules
from sirelief.domain.clearance import Clearance, ClearanceError
from sirelief.domain.precautions import BY_ID, PRECAUTIONS, confirmation_due, unknown
from sirelief.domain.safety import SafetyRules
from sirelief.services.errors import ServiceError
from sirelief.storage.safety_store import PrecautionAnswers, SafetyStore


@dataclass
class SafetyCare:
    """Precautions and clearances of the person's profile."""

    rules: SafetyRules
    store: SafetyStore
    clock: Callable[[], datetime]

    # --- precautions ---------------------------------------------------------------------
    def precautions(self) -> PrecautionAnswers | None:
        return self.store.precautions()

    def precaution_ids(self) -> tuple[str, ...]:
        answers = self.precautions()
        return answers.ids if answers else ()

    def confirmation_due(self) -> bool:
        answers = self.precautions()
        return confirmation_due(answers.confirmed_at if answers else None, self.clock())

    def save_precautions(self, ids: list[str]) -> None:
        if bad := unknown(ids):
            known = ", ".join(p.id for p in PRECAUTIONS)
            raise ServiceError(f"unknown precaution '{bad[0]}'; known ids: {known}")
        self.store.save_precautions(list(dict.fromkeys(ids)), self.clock())

    def precautions_json(self) -> dict:
        answers = self.precautions()
        return {
            "format": "sirelief.precautions.v1",
            "answered": answers is not None,
            "confirmed_at": answers.confirmed_at.isoformat() if answers else None,
            "confirmation_due": self.confirmation_due(),
            "precautions": [
                {
                    "id": p.id,
                    "label": p.label,
                    "question": p.question,
                    "changes": p.changes,
                    "applies": bool(answers and p.id in answers.ids),
                }
                for p in PRECAUTIONS
            ],
        }

    # --- clearances ----------------------------------------------------------------------
    def clearances(self) -> list[Clearance]:
        return self.store.clearances()

    def standing(self) -> dict[str, Clearance]:
        return clearances_rules.active(self.clearances())

    def questions(self) -> dict[str, str]:
        """Flag questions as asked now: cleared flags as "new or worse since ...?"."""
        standing = self.standing()
        return {
            flag.id: clearances_rules.question(flag, standing.get(flag.id))
            for flag in self.rules.flags
        }

    def clear(self, flag_id: str, cleared_on: date, by: str | None) -> Clearance:
        now = self.clock()
        by = (by or "").strip() or None
        try:
            clearances_rules.check(self.rules, flag_id, cleared_on, by, now.date())
        except ClearanceError as error:
            raise ServiceError(str(error)) from None
        self.store.add_clearance(flag_id, cleared_on, by, now)
        return self.standing()[flag_id]

    def withdraw(self, flag_id: str) -> None:
        if self.store.withdraw(flag_id, self.clock()) == 0:
            raise ServiceError(
                f"no standing clearance for '{flag_id}'; see them with: sirelief safety clearances"
            )


__all__ = ["BY_ID", "SafetyCare"]
