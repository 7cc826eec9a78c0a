"""A "review done" record for review-level red flags (SPEC 5.1, mirroring 5.2).

A review flag (the inflammatory pattern, no better after 6 weeks) allows a gentle session
with advice to have it reviewed by a clinician. That advice is given at each check-in
until the person records that the review took place (and on which day). After that the
question is asked as "new or worse since your review?": a yes gives the advice again, so
a flag that is new or worse is never hidden. Only review flags can be recorded this way;
the stopping levels have their own rules (clearance for "soon", none for the others).

>>> from datetime import date, datetime, UTC
>>> done = ReviewDone("r1", "no-better-6-weeks", date(2026, 11, 30),
...                   datetime(2026, 12, 1, tzinfo=UTC))
>>> done.says()
'you recorded a clinician review on 30 Nov 2026'
>>> standing([done])["no-better-6-weeks"].reviewed_on
datetime.date(2026, 11, 30)
"""

from dataclasses import dataclass
from datetime import date, datetime

from sirelief.domain.safety import RedFlag, SafetyRules


class ReviewError(ValueError):
    """A review that cannot be recorded; the message names the fix."""


@dataclass(frozen=True)
class ReviewDone:
    id: str
    flag_id: str
    reviewed_on: date
    recorded_at: datetime
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "flag": self.flag_id,
            "reviewed_on": self.reviewed_on.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
        }

    def says(self) -> str:
        return f"you recorded a clinician review on {self.reviewed_on:%d %b %Y}"


def check(rules: SafetyRules, flag_id: str, reviewed_on: date, today: date) -> None:
    """Raise ``ReviewError`` unless this review may be recorded."""
    flag = rules.flag(flag_id)
    if flag is None:
        known = ", ".join(f.id for f in rules.at("review"))
        raise ReviewError(f"unknown red flag '{flag_id[:40]}'; flags with review advice: {known}")
    if flag.level != "review":
        raise ReviewError(
            f"'{flag_id}' is a{'n' if flag.level == 'emergency' else ''} "
            f"{flag.level.replace('_', '-')} flag: only review-level advice is recorded as "
            "reviewed (a 'soon' flag is cleared instead)"
        )
    if reviewed_on > today:
        raise ReviewError(
            f"the date {reviewed_on.isoformat()} is in the future; give the day of the review"
        )


def standing(reviews: list[ReviewDone]) -> dict[str, ReviewDone]:
    """The latest review per flag that has not been withdrawn."""
    found: dict[str, ReviewDone] = {}
    for review in sorted(reviews, key=lambda r: r.recorded_at):
        if review.active:
            found[review.flag_id] = review
    return found


def question(flag: RedFlag, review: ReviewDone | None) -> str:
    """The question as asked: reworded once the person recorded a review."""
    if review is None:
        return flag.question
    return (
        f"Since your review on {review.reviewed_on:%d %b %Y}, is this new or worse? {flag.question}"
    )


def pending(flag_ids: list[str], reviews: dict[str, ReviewDone], since: datetime) -> list[str]:
    """Flags of advice given at ``since`` with no review recorded after it (a review
    recorded before, or at that moment, is the one the advice came back after)."""
    return [f for f in flag_ids if f not in reviews or reviews[f].recorded_at <= since]
