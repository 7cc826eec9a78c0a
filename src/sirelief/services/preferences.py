"""Use cases of a person's own settings (issue 19 item 4) and their reminder calendar
(item 3a): read and change them, write the calendar, make and revoke its secret address.

The calendar holds one weekly event on the chosen days at the chosen time, in the
person's time zone with its VTIMEZONE, so the hour stays put across clock changes. Its
words are the same for everyone and say nothing about anyone's health.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sirelief.auth.tokens import new_token, token_hash
from sirelief.domain.coaching import Schedule
from sirelief.domain.local_time import zone_named
from sirelief.domain.preferences import PreferenceError, Preferences, with_setting
from sirelief.services.errors import ServiceError
from sirelief.storage.database import Database
from sirelief.storage.preferences_store import PreferencesStore, feed_owner

SUMMARY = "Time for your sirelief session"
DESCRIPTION = "A reminder you set in sirelief. Open sirelief to check in and start."
SESSION_MINUTES = 20
"""How long the reminder's event lasts in the calendar."""
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UID_SPACE = uuid.UUID("8c5e4f3a-5b1e-4d0c-9a47-2f6d1c0b7e11")
"""Names each person's reminder uid without showing their profile id."""
MAX_FEED_TOKEN = 100
"""A feed token is 43 characters; anything much longer is not one."""


@dataclass
class PersonalSettings:
    """The settings of the person's profile, and their reminder calendar."""

    store: PreferencesStore
    installation_zone: tzinfo
    """The installation's zone (``Settings.zone()``), for a person who chose none."""
    clock: Callable[[], datetime]
    coach_schedule: Callable[[], Schedule | None] = lambda: None
    """The schedule of the routine the person's coach assigned (clinic mode): their
    reminders follow it until they choose days of their own."""

    def current(self) -> Preferences:
        """The saved settings, or the defaults before the first save."""
        return self.store.preferences() or Preferences()

    def save(self, preferences: Preferences) -> None:
        self.store.save(preferences, self.clock())

    def set(self, key: str, value: str) -> Preferences:
        """Change one setting from its text (the command line); ``ServiceError`` says why not."""
        try:
            changed = with_setting(self.current(), key, value)
        except PreferenceError as error:
            raise ServiceError(str(error)) from None
        self.save(changed)
        return changed

    def zone_name(self, preferences: Preferences | None = None) -> str:
        """The person's IANA zone; else the installation's when it has a name; else UTC."""
        chosen = (preferences or self.current()).time_zone
        return chosen or getattr(self.installation_zone, "key", None) or "UTC"

    def zone(self) -> tzinfo:
        """The zone this person's days are counted in: theirs, else the installation's
        (also for an account with no data of its own, a coach or an admin)."""
        if not self.store.has_profile:
            return self.installation_zone
        return zone_named(self.current().time_zone, self.installation_zone)

    # --- the reminder calendar -----------------------------------------------------------
    def reminders_from_coach(self, preferences: Preferences | None = None) -> Schedule | None:
        """The coach's schedule, when it sets the reminders: the person chose no days."""
        if (preferences or self.current()).reminds:
            return None
        return self.coach_schedule()

    def reminding(self) -> Preferences:
        """The settings with the reminders that apply: the person's own days and time, or
        else their coach's schedule."""
        current = self.current()
        schedule = self.reminders_from_coach(current)
        if schedule is None:
            return current
        return replace(current, reminder_days=schedule.days, reminder_time=schedule.reminder_time())

    def calendar(self) -> bytes:
        """The reminder calendar (text/calendar); no event when no day is chosen (by the
        person or their coach)."""
        return reminder_calendar(
            self.reminding(), self.zone_name(), self.clock(), self.store.profile_id
        )

    def make_feed(self) -> str:
        """A new secret calendar address token (shown once); the old one stops working."""
        token = new_token()
        self.store.add_feed(token_hash(token), self.clock())
        return token

    def revoke_feed(self) -> bool:
        """Stop the calendar address; whether one was working."""
        return self.store.revoke_feeds(self.clock()) > 0

    def feed_made_at(self) -> datetime | None:
        return self.store.feed_made_at()


@dataclass
class CalendarFeeds:
    """The installation's calendar addresses: a token finds its person's calendar."""

    database: Database
    settings_of: Callable[[str], PersonalSettings]
    """The settings use case of a profile, by its id."""

    def calendar(self, token: str) -> bytes | None:
        """The calendar the token opens; None for an unknown or revoked token."""
        if not token or len(token) > MAX_FEED_TOKEN:
            return None
        owner = feed_owner(self.database, token_hash(token))
        return None if owner is None else self.settings_of(owner).calendar()


def reminder_calendar(
    preferences: Preferences, zone_name: str, now: datetime, profile_id: str
) -> bytes:
    """A VCALENDAR with one weekly event (RRULE) at the reminder time in ``zone_name``."""
    import icalendar  # only the calendar feed needs it: not loaded by every command

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//sirelief//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "sirelief reminders")
    if preferences.reminds:
        zone = ZoneInfo(zone_name)
        start = datetime.combine(
            first_day(now.astimezone(zone).date(), preferences.reminder_days),
            preferences.reminder_time, tzinfo=zone,
        )  # fmt: skip
        event = icalendar.Event()
        event.add("uid", f"{uuid.uuid5(UID_SPACE, profile_id)}@sirelief")
        event.add("dtstamp", now)
        event.add("dtstart", start)
        event.add("duration", timedelta(minutes=SESSION_MINUTES))
        event.add(
            "rrule",
            {"freq": "weekly", "byday": [RRULE_DAYS[day] for day in preferences.reminder_days]},
        )
        event.add("summary", SUMMARY)
        event.add("description", DESCRIPTION)
        event.add("transp", "TRANSPARENT")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", SUMMARY)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
        calendar.add_missing_timezones(first_date=start.date() - timedelta(days=366))
    return calendar.to_ical()


def first_day(today: date, days: tuple[int, ...]) -> date:
    """The first reminder day on or after the Monday of ``today``'s week (steady for a
    week, so a calendar fetched daily does not see its start move every day)."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=min(days))
