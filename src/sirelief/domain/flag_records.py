"""A dated record about a red flag: a clinician clearance (SPEC 5.2) or a review done (5.1).

Both answer the same worry: facts that stay true must not lock a person out for good, nor
teach them to answer falsely, and advice must not nag for ever. After a clinician has seen
the person, they record the day; the question is then asked as "new or worse since your
clearance (review)?", and a yes stops (advises) again. What differs between the two kinds
is data: which level of flag qualifies, the words, and whether "who checked" is kept.
Emergency and same-day flags describe today and are never recorded this way.

>>> from datetime import date, datetime, UTC
>>> done = FlagRecord(REVIEW, "r1", "no-better-6-weeks", date(2026, 11, 30),
...                   datetime(2026, 12, 1, tzinfo=UTC))
>>> done.says()
'you recorded a clinician review on 30 Nov 2026'
>>> standing([done])["no-better-6-weeks"].on
datetime.date(2026, 11, 30)
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sirelief.domain.safety import Level, RedFlag, SafetyRules, StopDecision

MAX_BY = 120
"""The longest "who checked" (a name or a clinic)."""
ADVICE_EVERY = timedelta(days=7)
"""Review advice repeats weekly until a review is recorded (SPEC 5.1), not at every
check-in: advice heard every day soon goes unheard."""


@dataclass(frozen=True)
class RecordKind:
    """What makes a clearance a clearance and a review a review."""

    noun: str
    """"clearance" or "review": in "since your ...", "... id", "the ... was recorded"."""
    level: Level
    """Only flags of this level can be recorded."""
    date_field: str
    """The name of the day in JSON, exports and forms."""
    day_words: str
    """How the day is named when it is wrong: "the day of the check"."""
    known_words: str
    """Introduces the flags that qualify, after an unknown id."""
    wrong_level: str
    """Why a flag of another level cannot be recorded (after "'id' is a LEVEL flag: ")."""
    not_recordable: str
    """The same for an import, after "'id' ", ending with what to do."""
    says: str
    """What a record says, with ``{who}`` and ``{day}``."""
    keeps_by: bool
    """Whether "who checked" is part of the record."""


_WORDS: dict[str, tuple[object, object]] = {  # field: (a clearance, a review)
    "noun": ("clearance", "review"),
    "level": ("soon", "review"),
    "date_field": ("cleared_on", "reviewed_on"),
    "day_words": ("the day of the check", "the day of the review"),
    "known_words": ("flags that can be cleared", "flags with review advice"),
    "wrong_level": (
        "it describes today and cannot be cleared; only 'soon' flags can",
        "only review-level advice is recorded as reviewed (a 'soon' flag is cleared instead)",
    ),
    "not_recordable": (
        "describes today and cannot be cleared; only 'soon' flags can: remove this clearance",
        "is not a review-level flag, so it has no review to record: remove this review",
    ),
    "says": (
        "a clinician{who} checked this on {day} and said exercise is fine",
        "you recorded a clinician review on {day}",
    ),
    "keeps_by": (True, False),
}
CLEARANCE = RecordKind(**{field: pair[0] for field, pair in _WORDS.items()})
REVIEW = RecordKind(**{field: pair[1] for field, pair in _WORDS.items()})
KINDS = {kind.noun: kind for kind in (CLEARANCE, REVIEW)}


class FlagRecordError(ValueError):
    """A record that cannot be kept; the message names the fix."""


@dataclass(frozen=True)
class FlagRecord:
    """A clearance or a review as kept; a withdrawn one stays, for the record."""

    kind: RecordKind
    id: str
    flag_id: str
    """The red flag it is about (of the kind's level)."""
    on: date
    """The day the clinician saw the person (their own calendar day)."""
    recorded_at: datetime
    withdrawn_at: datetime | None = None
    by: str | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "flag": self.flag_id,
            self.kind.date_field: self.on.isoformat(),
            **({"by": self.by} if self.kind.keeps_by else {}),
            "recorded_at": self.recorded_at.isoformat(),
            "withdrawn_at": self.withdrawn_at.isoformat() if self.withdrawn_at else None,
        }

    def says(self) -> str:
        who = f" ({self.by})" if self.by else ""
        return self.kind.says.format(who=who, day=f"{self.on:%d %b %Y}")


def level_words(level: Level) -> str:
    """'a soon', 'an emergency', 'a same-day'."""
    return f"{'an' if level == 'emergency' else 'a'} {level.replace('_', '-')}"


def check(
    kind: RecordKind,
    rules: SafetyRules,
    flag_id: str,
    on: date,
    today: date,
    by: str | None = None,
) -> None:
    """Raise ``FlagRecordError`` unless this record may be kept."""
    flag = rules.flag(flag_id)
    if flag is None:
        known = ", ".join(f.id for f in rules.at(kind.level))
        raise FlagRecordError(f"unknown red flag '{flag_id[:40]}'; {kind.known_words}: {known}")
    if flag.level != kind.level:
        raise FlagRecordError(f"'{flag_id}' is {level_words(flag.level)} flag: {kind.wrong_level}")
    if on > today:
        raise FlagRecordError(f"the date {on.isoformat()} is in the future; give {kind.day_words}")
    if by is not None and len(by) > MAX_BY:
        raise FlagRecordError(f"who checked: at most {MAX_BY} characters")


def standing(records: list[FlagRecord]) -> dict[str, FlagRecord]:
    """The latest record per flag that has not been withdrawn."""
    found: dict[str, FlagRecord] = {}
    for record in sorted(records, key=lambda r: r.recorded_at):
        if record.active:
            found[record.flag_id] = record
    return found


def question(flag: RedFlag, record: FlagRecord | None) -> str:
    """The question as asked: reworded once a record stands."""
    if record is None:
        return flag.question
    return (
        f"Since your {record.kind.noun} on {record.on:%d %b %Y}, is this new or worse? "
        f"{flag.question}"
    )


def plan_reasons(cleared: dict[str, FlagRecord], rules: SafetyRules) -> tuple[str, ...]:
    """What the plan says about each standing clearance."""
    return tuple(
        f"Clearance: for '{flag_id}', {record.says()}; the question is asked as "
        "new or worse since then."
        for flag_id, record in sorted(cleared.items())
        if rules.flag(flag_id) is not None
    )


def pending(flag_ids: list[str], records: dict[str, FlagRecord], since: datetime) -> list[str]:
    """Flags of advice given at ``since`` with no record kept after it (a record kept
    before, or at that moment, is the one the advice came back after)."""
    return [f for f in flag_ids if f not in records or records[f].recorded_at <= since]


def advice_lines(advice: StopDecision) -> tuple[str, ...]:
    """The lines a plan carries for review advice (``advised_in`` finds them again)."""
    return (f"{advice.badge}. {advice.what_to_do}", *advice.reasons)


def advised_in(reasons: Sequence[str], rules: SafetyRules) -> list[str]:
    """The review flags whose advice a plan's reasons carried, in the rules' order."""
    badge = f"{rules.advice_for('review').badge}. "
    if not any(reason.startswith(badge) for reason in reasons):
        return []
    said = set(reasons)
    return [flag.id for flag in rules.at("review") if flag.why in said]


def advice_due(
    flag_ids: list[str],
    advised: list[tuple[datetime, list[str]]],
    reviewed: dict[str, FlagRecord],
    at: datetime,
) -> bool:
    """Whether review advice for these flags is given at ``at``: when one of them had no
    advice in the last week. ``advised`` holds when earlier plans gave advice, and for
    which flags; advice given before a review was recorded does not count (a yes to "new
    or worse since your review?" is news)."""
    for flag_id in flag_ids:
        since = at - ADVICE_EVERY
        if flag_id in reviewed:
            since = max(since, reviewed[flag_id].recorded_at)
        if not any(when > since and flag_id in flags for when, flags in advised):
            return True
    return False
