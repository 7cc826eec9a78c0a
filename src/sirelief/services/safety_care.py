"""Use cases for what stays true about a person's safety: precautions, clearances, reviews.

Web and CLI both go through here; the clock comes in as a parameter.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sirelief.domain import flag_records
from sirelief.domain.flag_records import (
    ADVICE_EVERY,
    CLEARANCE,
    REVIEW,
    FlagRecord,
    FlagRecordError,
    RecordKind,
    advice_due,
)
from sirelief.domain.local_time import local_day
from sirelief.domain.precautions import BY_ID, PRECAUTIONS, confirmation_due, unknown
from sirelief.domain.safety import SafetyRules, StopDecision, review
from sirelief.services.errors import ServiceError
from sirelief.storage.safety_store import PrecautionAnswers, SafetyStore


@dataclass
class SafetyCare:
    """Precautions, clearances and reviews of the person's profile."""

    rules: SafetyRules
    store: SafetyStore
    clock: Callable[[], datetime]
    zone: Callable[[], tzinfo] = lambda: UTC
    """The person's zone: "today" for a clearance's date is their today."""

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

    # --- clearances and reviews: dated records about a red flag -----------------------------
    def records(self, kind: RecordKind) -> list[FlagRecord]:
        return self.store.records(kind)

    def standing(self, kind: RecordKind) -> dict[str, FlagRecord]:
        """The latest standing record per flag."""
        return flag_records.standing(self.records(kind))

    def reviewed(self) -> dict[str, FlagRecord]:
        return self.standing(REVIEW)

    def questions(self) -> dict[str, str]:
        """Flag questions as asked now: cleared (reviewed) flags as "new or worse since ...?"."""
        standing = {**self.standing(CLEARANCE), **self.reviewed()}
        return {
            flag.id: flag_records.question(flag, standing.get(flag.id)) for flag in self.rules.flags
        }

    def record(
        self, kind: RecordKind, flag_ids: list[str], on: date, by: str | None = None
    ) -> list[FlagRecord]:
        """Record that a clinician saw these flags on one day; the records now standing."""
        now = self.clock()
        flag_ids = list(dict.fromkeys(flag_ids))
        by = ((by or "").strip() or None) if kind.keeps_by else None
        if not flag_ids:
            raise ServiceError(f"flag: name at least one red flag for the {kind.noun}")
        try:
            for flag_id in flag_ids:
                flag_records.check(kind, self.rules, flag_id, on, local_day(now, self.zone()), by)
        except FlagRecordError as error:
            raise ServiceError(str(error)) from None
        self.store.add_records(kind, flag_ids, on, by, now)
        standing = self.standing(kind)
        return [standing[flag_id] for flag_id in flag_ids]

    def withdraw(self, kind: RecordKind, flag_id: str) -> None:
        if self.store.withdraw(kind, flag_id, self.clock()) == 0:
            raise ServiceError(
                f"no standing {kind.noun} for '{flag_id[:40]}'; see them with: "
                f"sirelief safety {kind.noun}s"
            )

    # --- review advice, weekly until a review is recorded (SPEC 5.1) -------------------------
    def review_advice(self, flag_ids: list[str]) -> StopDecision | None:
        """The review advice due for these answers now: none when the same advice was
        given within the week (``ADVICE_EVERY``), whatever the reviews recorded so far."""
        reviewed = self.reviewed()
        advice = review(flag_ids, self.rules, {f: r.on for f, r in reviewed.items()})
        if advice is None:
            return None
        now = self.clock()
        advised = self.store.advised_since(now - ADVICE_EVERY)
        flags = [flag.id for flag in advice.flags]
        return advice if advice_due(flags, advised, reviewed, now) else None

    def pending_reviews(self, plan_reasons: tuple[str, ...], since: datetime) -> list[str]:
        """Flags whose review advice a plan made at ``since`` gave, with no review since."""
        advised = flag_records.advised_in(plan_reasons, self.rules)
        return flag_records.pending(advised, self.reviewed(), since)


__all__ = ["BY_ID", "SafetyCare"]
