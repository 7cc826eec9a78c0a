"""A coach's schedule for a client (issue 18 item 2): the days of the week and the moment
of the day a routine is meant for, read from text and said back in words.

Pure: the web form and the command line hand their text here; a refusal names the field
and the fix.

>>> schedule = read_schedule(["mon", "wed", "fri"], "morning", "")
>>> schedule.in_words()
'Mondays, Wednesdays and Fridays, in the morning'
>>> read_schedule(["sat"], "at", "7:30").in_words()
'Saturdays, at 07:30'
>>> read_schedule(list(DAYS), "evening", "").in_words()
'Every day, in the evening'
"""

from dataclasses import dataclass
from datetime import time

from sirelief.domain.preferences import DAY_NAMES, DAYS, TIME_PATTERN

MOMENTS = ("morning", "midday", "evening", "at")
"""``at`` means at a set time (``Schedule.at``)."""
MOMENT_WORDS = {"morning": "in the morning", "midday": "at midday", "evening": "in the evening"}
MOMENT_TIMES = {"morning": time(8, 0), "midday": time(12, 30), "evening": time(18, 30)}
"""When a reminder for a moment of the day goes off, if the person set none of their own."""
MAX_NOTE = 1000
"""A coach's note is a few sentences."""


class ScheduleError(ValueError):
    """A schedule field that cannot be read: ``field`` names it, the message the fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Schedule:
    """When the coach means the routine to be done."""

    days: tuple[int, ...]
    """0 is Monday; at least one day."""
    moment: str
    """One of ``MOMENTS``."""
    at: time | None = None
    """The time, when ``moment`` is ``at``."""

    def in_words(self) -> str:
        return f"{days_in_words(self.days)}, {self.moment_in_words()}"

    def moment_in_words(self) -> str:
        if self.moment == "at" and self.at is not None:
            return f"at {self.at.strftime('%H:%M')}"
        return MOMENT_WORDS[self.moment]

    def reminder_time(self) -> time:
        """The time of day a reminder for this schedule goes off."""
        if self.moment == "at" and self.at is not None:
            return self.at
        return MOMENT_TIMES[self.moment]

    def day_words(self) -> tuple[str, ...]:
        return tuple(DAYS[day] for day in self.days)

    def to_json(self) -> dict:
        return {
            "days": list(self.day_words()),
            "moment": self.moment,
            "at": self.at.strftime("%H:%M") if self.at else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Schedule":
        return read_schedule(data.get("days") or [], data.get("moment") or "", data.get("at") or "")


def days_in_words(days: tuple[int, ...]) -> str:
    """ "Mondays, Wednesdays and Fridays"; "Every day"; "Weekdays".

    >>> days_in_words((1,))
    'Tuesdays'
    >>> days_in_words((0, 1, 2, 3, 4))
    'Weekdays'
    """
    if len(days) == 7:
        return "Every day"
    if days == (0, 1, 2, 3, 4):
        return "Weekdays"
    names = [f"{DAY_NAMES[day]}s" for day in days]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def read_schedule(day_words: list[str], moment: str, at_text: str) -> Schedule:
    """The schedule a coach chose, or a ``ScheduleError`` naming the field to fix."""
    days: set[int] = set()
    for word in day_words:
        key = word.strip().lower()
        if key not in DAYS:
            raise ScheduleError(
                "days", f"Days: '{_shown(word)}' is not a day; choose among Monday to Sunday."
            )
        days.add(DAYS.index(key))
    if not days:
        raise ScheduleError("days", "Days: choose at least one day of the week.")
    moment = moment.strip().lower()
    if moment not in MOMENTS:
        raise ScheduleError(
            "moment", "Moment of the day: choose morning, midday, evening or a set time."
        )
    at = None
    if moment == "at":
        match = TIME_PATTERN.fullmatch(at_text.strip())
        if match is None:
            raise ScheduleError(
                "time",
                "Time: write it as HH:MM on a 24-hour clock, like 07:30 or 18:00"
                + (f" ('{_shown(at_text)}' is not a time)." if at_text.strip() else "."),
            )
        at = time(int(match.group(1)), int(match.group(2)))
    return Schedule(tuple(sorted(days)), moment, at)


def read_note(text: str) -> str | None:
    """A coach's note, tidied; None when empty. Refuses one too long or with control
    characters other than line breaks."""
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTE:
        raise ScheduleError(
            "note", f"Note: keep it to {MAX_NOTE} characters (this one has {len(text)})."
        )
    if any(not (c.isprintable() or c in "\n\t") for c in text):
        raise ScheduleError("note", "Note: use letters, digits, punctuation and line breaks only.")
    return text or None


def _shown(text: str, limit: int = 20) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in text.strip()[:limit])
    return shown + ("..." if len(text.strip()) > limit else "")
