"""A clinician's findings, recorded as given and never read into (SPEC 4, issue 20 item 3).

The SI provocation tests need an examiner; the Fortin finger sign (the person points to
the spot within about a centimetre of the PSIS) is one a person can report themselves.
sirelief keeps what was found, who typed it in and when, and shows it back word for word.
Nothing here counts positives or names a condition: a cluster rule read by software
would be a diagnosis, and this app does not make one.

Thigh thrust and Gaenslen are done on each side, so each side has its own result; the
other three tests load the pelvis as a whole and have one.

>>> from datetime import date
>>> check_findings(date(2026, 12, 1), date(2026, 12, 7), "", {"gaenslen-left": "positive"},
...                "not-checked", None)
[]
>>> check_findings(date(2026, 12, 1), date(2026, 12, 7), "", {}, "yes", None)
[('fortin_side', 'Say which side the person pointed to: left, right or both.')]
>>> slot_words("gaenslen-left")
'Gaenslen test, left side'
"""

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

RESULTS = ("positive", "negative", "not-done")
"""The three answers a clinician's letter gives for each test."""
RESULT_WORDS = {"positive": "positive", "negative": "negative", "not-done": "not done"}
FORTIN_ANSWERS = ("yes", "no", "not-checked")
FORTIN_WORDS = {
    "yes": "points within about 1 cm of the PSIS",
    "no": "does not point to that spot",
    "not-checked": "not checked",
}
FORTIN_SIDES = ("left", "right", "both")
SIDES = ("left", "right")
MAX_EXAMINER = 200
"""Who examined, or where the findings were copied from ("Dr Rossi's letter of 2 Dec")."""
OLDEST_YEARS = 100
"""An examination older than this is a typing mistake in the year."""


@dataclass(frozen=True)
class ProvocationTest:
    id: str
    name: str
    sided: bool
    """Done on the left and on the right, each with its own result."""


TESTS = (
    ProvocationTest("distraction", "Distraction test", sided=False),
    ProvocationTest("thigh-thrust", "Thigh thrust test", sided=True),
    ProvocationTest("compression", "Compression test", sided=False),
    ProvocationTest("sacral-thrust", "Sacral thrust test", sided=False),
    ProvocationTest("gaenslen", "Gaenslen test", sided=True),
)


@dataclass(frozen=True)
class Slot:
    """One result to record: a test, on one side when it has sides."""

    test: ProvocationTest
    side: str | None

    @property
    def id(self) -> str:
        return f"{self.test.id}-{self.side}" if self.side else self.test.id

    @property
    def words(self) -> str:
        return f"{self.test.name}, {self.side} side" if self.side else self.test.name


SLOTS = tuple(Slot(test, side) for test in TESTS for side in (SIDES if test.sided else (None,)))
SLOT_IDS = tuple(slot.id for slot in SLOTS)
_BY_ID = {slot.id: slot for slot in SLOTS}


def slot_words(slot_id: str) -> str:
    return _BY_ID[slot_id].words


class FindingsError(ValueError):
    """Findings that cannot be kept; ``problems`` names each field with its fix."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _field, message in problems))


def clean_examiner(text: str | None) -> str | None:
    """The examiner text as kept: outer space removed, empty means none."""
    cleaned = (text or "").strip()
    return cleaned or None


def check_findings(
    examined_on: date,
    today: date,
    examiner: str | None,
    results: dict[str, str],
    fortin: str,
    fortin_side: str | None,
) -> list[tuple[str, str]]:
    """Every problem at once, as (field, message); empty when the record may be kept.

    ``results`` may leave slots out (they are "not done"); ``today`` is the person's own
    calendar day, so an examination cannot be dated after it."""
    problems: list[tuple[str, str]] = []
    if examined_on > today:
        problems.append(("examined_on", "The examination date is in the future: give the day "
                         "the clinician examined the person."))  # fmt: skip
    elif examined_on < today - timedelta(days=365 * OLDEST_YEARS):
        problems.append(("examined_on", f"The examination date is over {OLDEST_YEARS} years "
                         "ago: check the year."))  # fmt: skip
    cleaned = clean_examiner(examiner)
    if cleaned is not None:
        if len(cleaned) > MAX_EXAMINER:
            problems.append(("examiner", f"Examiner or source: at most {MAX_EXAMINER} "
                             f"characters (this has {len(cleaned)})."))  # fmt: skip
        elif any(unicodedata.category(c)[0] == "C" for c in cleaned):
            problems.append(("examiner", "Examiner or source holds an invisible character: "
                             "type it again rather than pasting it."))  # fmt: skip
    for slot_id, result in results.items():
        if slot_id not in _BY_ID:
            problems.append((slot_id[:40], f"'{slot_id[:40]}' is not one of the tests: "
                             f"{', '.join(SLOT_IDS)}."))  # fmt: skip
        elif result not in RESULTS:
            problems.append((slot_id, f"{slot_words(slot_id)}: choose positive, negative or "
                             "not done."))  # fmt: skip
    if fortin not in FORTIN_ANSWERS:
        problems.append(("fortin", "Fortin finger sign: choose yes, no or not checked."))
    elif fortin == "yes" and fortin_side not in FORTIN_SIDES:
        problems.append(("fortin_side", "Say which side the person pointed to: left, right "
                         "or both."))  # fmt: skip
    elif fortin != "yes" and fortin_side is not None:
        problems.append(("fortin_side", "A side goes with a Fortin finger sign answered yes: "
                         "leave the side empty, or answer yes."))  # fmt: skip
    nothing = all(results.get(s, "not-done") == "not-done" for s in SLOT_IDS)
    if not problems and nothing and fortin == "not-checked":
        problems.append(("results", "Nothing to record: give at least one test result or "
                         "the Fortin finger sign."))  # fmt: skip
    return problems


@dataclass(frozen=True)
class Recorder:
    """Who typed the findings in: an account (clinic mode) or the person (personal mode)."""

    account_id: str | None = None
    name: str | None = None
    """The account's name when it recorded, kept: the record outlives the account."""
    role: str | None = None
    """"coach" or "client" (clinic mode); None in personal mode."""


@dataclass(frozen=True)
class Examination:
    """One examination's findings, as recorded."""

    id: str
    examined_on: date
    recorded_at: datetime
    results: dict[str, str]
    """A result for every slot, "not-done" where none was given."""
    fortin: str
    fortin_side: str | None = None
    examiner: str | None = None
    recorder: Recorder = field(default_factory=Recorder)

    @classmethod
    def build(cls, record_id: str, examined_on: date, recorded_at: datetime, today: date,
              examiner: str | None, results: dict[str, str], fortin: str,
              fortin_side: str | None, recorder: Recorder) -> "Examination":  # fmt: skip
        """A checked record, or ``FindingsError`` naming every field to fix."""
        problems = check_findings(examined_on, today, examiner, results, fortin, fortin_side)
        if problems:
            raise FindingsError(problems)
        full = {slot_id: results.get(slot_id, "not-done") for slot_id in SLOT_IDS}
        return cls(record_id, examined_on, recorded_at, full, fortin, fortin_side,
                   clean_examiner(examiner), recorder)  # fmt: skip

    def lines(self) -> list[str]:
        """What was recorded, one line a test, in the order the form asks."""
        said = [f"{slot_words(s)}: {RESULT_WORDS[self.results[s]]}" for s in SLOT_IDS]
        side = f" ({self.fortin_side})" if self.fortin == "yes" and self.fortin_side else ""
        return [*said, f"Fortin finger sign: {FORTIN_WORDS[self.fortin]}{side}"]

    def done_lines(self) -> list[str]:
        """The tests that were done and the Fortin sign when checked, one line each."""
        said = [f"{slot_words(s)}: {RESULT_WORDS[r]}" for s, r in self.results.items()
                if r != "not-done"]  # fmt: skip
        if self.fortin != "not-checked":
            side = f" ({self.fortin_side})" if self.fortin_side else ""
            said.append(f"Fortin finger sign: {FORTIN_WORDS[self.fortin]}{side}")
        return said

    def not_done(self) -> list[str]:
        """What the record says was not done (or not checked), by name."""
        names = [slot_words(s) for s, r in self.results.items() if r == "not-done"]
        return names + (["Fortin finger sign"] if self.fortin == "not-checked" else [])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "examined_on": self.examined_on.isoformat(),
            "examiner": self.examiner,
            "results": dict(self.results),
            "fortin": self.fortin,
            "fortin_side": self.fortin_side,
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorder.account_id,
            "recorded_by_name": self.recorder.name,
            "recorded_by_role": self.recorder.role,
        }


def newest_first(records: list[Examination]) -> list[Examination]:
    """By examination day, then by when it was typed in, newest first."""
    return sorted(records, key=lambda r: (r.examined_on, r.recorded_at, r.id), reverse=True)


NOT_INTERPRETED = (
    "These findings are kept exactly as they were recorded. sirelief does not interpret "
    "them or draw any conclusion from them, and it does not replace a clinician: what they "
    "mean is for the clinician who examined to explain."
)
"""The one line shown wherever the findings are."""
