"""Use cases for what stays true about a person's safety: precautions, clearances, reviews.

Web and CLI both go through here; the clock comes in as a parameter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sirelief.domain import clearance as clearances_rules
from sirelief.domain import review_done as review_rules
from sirelief.domain.clearance import Clearance, ClearanceError
from sirelief.domain.precautions import BY_ID, PRECAUTIONS, confirmation_due, unknown
from sirelief.domain.review_done import ReviewDone, ReviewError
from sirelief.domain.safety import SafetyRules, StopDecision, review
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
        reviewed = self.reviewed()
        return {
            flag.id: review_rules.question(flag, reviewed[flag.id])
            if flag.id in reviewed
            else clearances_rules.question(flag, standing.get(flag.id))
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

    # --- reviews of review-level advice ----------------------------------------------------
    def reviews(self) -> list[ReviewDone]:
        return self.store.reviews()

    def reviewed(self) -> dict[str, ReviewDone]:
        """The latest standing review per flag."""
        return review_rules.standing(self.reviews())

    def review_advice(self, flag_ids: list[str]) -> StopDecision | None:
        """The review advice for these answers, knowing the reviews recorded so far."""
        reviewed = {flag_id: r.reviewed_on for flag_id, r in self.reviewed().items()}
        return review(flag_ids, self.rules, reviewed)

    def pending_reviews(self, flag_ids: list[str], since: datetime) -> list[str]:
        """Flags of the review advice given at ``since`` that have no review recorded since."""
        advice = self.review_advice(flag_ids)
        flags = [flag.id for flag in advice.flags] if advice else []
        return review_rules.pending(flags, self.reviewed(), since)

    def record_review(self, flag_ids: list[str], reviewed_on: date) -> None:
        """Record that the review advice for these flags was followed (one day for all)."""
        now = self.clock()
        flag_ids = list(dict.fromkeys(flag_ids))
        if not flag_ids:
            raise ServiceError("flag: name at least one red flag that had the review advice")
        try:
            for flag_id in flag_ids:
                review_rules.check(self.rules, flag_id, reviewed_on, now.date())
        except ReviewError as error:
            raise ServiceError(str(error)) from None
        self.store.add_reviews(flag_ids, reviewed_on, now)

    def withdraw_review(self, flag_id: str) -> None:
        if self.store.withdraw_review(flag_id, self.clock()) == 0:
            raise ServiceError(
                f"no standing review for '{flag_id[:40]}'; see them with: sirelief safety reviews"
            )


__all__ = ["BY_ID", "SafetyCare"]
