"""A person's own settings (issue 19 item 4): voice and sound in the session, the kit the
check-in starts with, their time zone, whether the first side is drawn at random, and the
days and time of their reminders.

Pure: every value comes in as text (a form field, a command-line word) and is read here,
with a message that names the setting and the fix when it cannot be; the adapters only
show the message. The time zone is checked against the IANA names the machine knows.
"""

import functools
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import time

from sirelief.domain.checkin_reader import EQUIPMENT

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Reminder days, Monday first (``date.weekday()`` order)."""
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_REMINDER_TIME = time(18, 0)
MAX_VOICE_NAME = 200
"""Browsers name voices in a few dozen characters ("Google UK English Female")."""
MAX_ZONE_NAME = 64
TIME_PATTERN = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
WELL_KNOWN = ("America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney",
              "Africa/Nairobi", "Pacific/Auckland")  # fmt: skip
"""Examples a refused region name is answered with, when they are in it."""
TRUE_WORDS = ("on", "yes", "true", "1")
FALSE_WORDS = ("off", "no", "false", "0")


class PreferenceError(ValueError):
    """A setting that cannot be read: ``field`` names it, the message says the fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Preferences:
    """One person's settings; the defaults are what a new person gets."""

    voice: bool = True
    voice_name: str | None = None
    """The browser's ``speechSynthesis`` voice by its name; ``None``: the browser's own."""
    sound: bool = True
    equipment: tuple[str, ...] = ("mat",)
    time_zone: str | None = None
    """An IANA name; ``None``: the installation's zone."""
    randomise_first_side: bool = False
    reminder_days: tuple[int, ...] = field(default=())
    """0 is Monday; empty: no reminders."""
    reminder_time: time = DEFAULT_REMINDER_TIME

    @property
    def reminds(self) -> bool:
        return bool(self.reminder_days)

    def day_words(self) -> tuple[str, ...]:
        return tuple(DAYS[day] for day in self.reminder_days)

    def to_json(self) -> dict:
        return {
            "voice": self.voice, "voice_name": self.voice_name, "sound": self.sound,
            "equipment": list(self.equipment), "time_zone": self.time_zone,
            "randomise_first_side": self.randomise_first_side,
            "reminder_days": list(self.day_words()),
            "reminder_time": self.reminder_time.strftime("%H:%M"),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict) -> "Preferences":
        """Read back what ``to_json`` wrote (an export, a stored row); ``PreferenceError``
        names the first setting that is not right."""
        return cls(
            voice=_strict_bool("voice", data.get("voice", True)),
            voice_name=read_voice_name(_text("voice_name", data.get("voice_name") or "")),
            sound=_strict_bool("sound", data.get("sound", True)),
            equipment=read_equipment(_texts("equipment", data.get("equipment", ["mat"]))),
            time_zone=read_time_zone(_text("time_zone", data.get("time_zone") or "")),
            randomise_first_side=_strict_bool(
                "randomise_first_side", data.get("randomise_first_side", False)
            ),
            reminder_days=read_days(_texts("reminder_days", data.get("reminder_days", []))),
            reminder_time=read_time(_text("reminder_time", data.get("reminder_time", "18:00"))),
        )


# --- reading one setting from text ------------------------------------------------------
@functools.cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name this machine knows (folders such as "America" are not zones)."""
    return frozenset(zoneinfo.available_timezones())


def read_time_zone(text: str) -> str | None:
    """An IANA zone name; empty: ``None`` (the installation's zone)."""
    name = text.strip()
    if not name:
        return None
    shown = name[:MAX_ZONE_NAME]
    if len(name) <= MAX_ZONE_NAME and name in known_zones():
        return name
    if any(zone.startswith(f"{name}/") for zone in known_zones()):
        inside = sorted(zone for zone in known_zones() if zone.startswith(f"{name}/"))
        example = next((zone for zone in WELL_KNOWN if zone in inside), inside[0])
        raise PreferenceError(
            "time_zone",
            f"Time zone: '{shown}' is a region, not a time zone; add the city, like {example}.",
        )
    raise PreferenceError(
        "time_zone",
        f"Time zone: '{shown}' is not a time zone sirelief knows; write its IANA name, like "
        "Europe/London or America/New_York (capitals as shown).",
    )


def read_days(words: list[str] | tuple[str, ...]) -> tuple[int, ...]:
    """Day words ("mon" or "Monday", any case) to their numbers, Monday first, each once."""
    days: set[int] = set()
    for word in words:
        key = word.strip().lower()[:3]
        if not word.strip():
            continue
        if key not in DAYS or not DAY_NAMES[DAYS.index(key)].lower().startswith(
            word.strip().lower()
        ):
            raise PreferenceError(
                "reminder_days",
                f"Reminder days: '{word[:20]}' is not a day; use mon, tue, wed, thu, fri, sat "
                "or sun.",
            )
        days.add(DAYS.index(key))
    return tuple(sorted(days))


def read_time(text: str) -> time:
    """A 24-hour time, "HH:MM" (the form's time field sends this shape)."""
    match = TIME_PATTERN.fullmatch(text.strip())
    if not text.strip():
        raise PreferenceError("reminder_time", "Reminder time: choose a time, like 07:30 or 18:00.")
    if match is None:
        raise PreferenceError(
            "reminder_time",
            f"Reminder time: '{text.strip()[:20]}' is not a time; write it as HH:MM on a "
            "24-hour clock, like 07:30 or 18:00.",
        )
    return time(int(match.group(1)), int(match.group(2)))


def read_equipment(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Equipment words, each known, in the check-in's order."""
    chosen = {word.strip() for word in words if word.strip()}
    unknown = sorted(chosen - set(EQUIPMENT))
    if unknown:
        raise PreferenceError(
            "equipment",
            f"Equipment: '{unknown[0][:30]}' is not something sirelief plans with; choose from "
            f"{', '.join(EQUIPMENT)}.",
        )
    return tuple(item for item in EQUIPMENT if item in chosen)


def read_voice_name(text: str) -> str | None:
    """A voice's name as the browser gives it; empty: the browser's own voice."""
    name = text.strip()
    if not name:
        return None
    if len(name) > MAX_VOICE_NAME or any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise PreferenceError(
            "voice_name",
            f"Voice: a voice name is at most {MAX_VOICE_NAME} characters, without control "
            "characters; choose one from the list, or the browser's own.",
        )
    return name


def read_switch(field_name: str, text: str) -> bool:
    """on/off (yes/no, true/false, 1/0) for the command line."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise PreferenceError(
        field_name, f"{_title(field_name)}: '{text[:20]}' is not on or off; write on or off."
    )


# --- the command line: one setting by its name ------------------------------------------
KEYS = {
    "voice": "spoken cues in the session: on or off",
    "voice-name": "the browser voice to speak with, by name (empty: the browser's own)",
    "sound": "beeps in the session: on or off",
    "equipment": "the kit the check-in starts with, comma-separated (mat,wall,strap)",
    "time-zone": "your IANA time zone, like Europe/London (empty: this machine's)",
    "randomise-first-side": "draw the first side at random: on or off",
    "reminder-days": "reminder days, comma-separated (mon,wed,fri; empty: none)",
    "reminder-time": "reminder time, HH:MM on a 24-hour clock",
}
"""Each setting ``sirelief settings set KEY VALUE`` takes, and what its value is."""


def with_setting(preferences: Preferences, key: str, value: str) -> Preferences:
    """``preferences`` with one setting changed from its text, as the command line gives it."""
    items = value.split(",")
    match key:
        case "voice":
            return replace(preferences, voice=read_switch("voice", value))
        case "voice-name":
            return replace(preferences, voice_name=read_voice_name(value))
        case "sound":
            return replace(preferences, sound=read_switch("sound", value))
        case "equipment":
            return replace(preferences, equipment=read_equipment(items))
        case "time-zone":
            return replace(preferences, time_zone=read_time_zone(value))
        case "randomise-first-side":
            return replace(
                preferences, randomise_first_side=read_switch("randomise_first_side", value)
            )
        case "reminder-days":
            return replace(preferences, reminder_days=read_days(items))
        case "reminder-time":
            return replace(preferences, reminder_time=read_time(value))
    raise PreferenceError("key", f"'{key[:30]}' is not a setting; choose one of {', '.join(KEYS)}.")


# --- the settings form ------------------------------------------------------------------
def read_form(
    fields: dict[str, str], lists: dict[str, list[str]]
) -> tuple[Preferences | None, dict[str, str]]:
    """The settings form's fields (single values; ``lists`` for the tick boxes) read into
    preferences, or ``None`` and every problem by its field. An unticked box is off."""
    errors: dict[str, str] = {}

    def read(name: str, reader, *args):
        try:
            return reader(*args)
        except PreferenceError as error:
            errors[error.field] = str(error)
            return None

    preferences = Preferences(
        voice=fields.get("voice") == "on",
        voice_name=read("voice_name", read_voice_name, fields.get("voice_name", "")),
        sound=fields.get("sound") == "on",
        equipment=read("equipment", read_equipment, lists.get("equipment", [])) or (),
        time_zone=read("time_zone", read_time_zone, fields.get("time_zone", "")),
        randomise_first_side=fields.get("randomise_first_side") == "on",
        reminder_days=read("reminder_days", read_days, lists.get("reminder_days", [])) or (),
        reminder_time=read("reminder_time", read_time, fields.get("reminder_time", "18:00"))
        or DEFAULT_REMINDER_TIME,
    )
    return (None, errors) if errors else (preferences, {})


def _title(field_name: str) -> str:
    return field_name.replace("_", " ").capitalize()


def _strict_bool(field_name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise PreferenceError(field_name, f"{_title(field_name)}: must be true or false.")
    return value


def _text(field_name: str, value: object) -> str:
    if not isinstance(value, str):
        raise PreferenceError(field_name, f"{_title(field_name)}: must be text.")
    return value


def _texts(field_name: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PreferenceError(field_name, f"{_title(field_name)}: must be a list of words.")
    return value
