"""Following a client (issue 18 item 3): sessions done against the coach's schedule, and
the order a coach's list puts clients in, so the one who needs a look comes first.

Pure: the moments, the schedules, the clock and the client's time zone come in as values.
A day is the client's own calendar day (``local_time``), never the server's.

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # a Sunday
>>> mwf = SchedulePeriod((0, 2, 4), datetime(2026, 11, 1, tzinfo=UTC), None)
>>> sessions = [datetime(2026, 12, d, 9, 0, tzinfo=UTC) for d in (2, 4, 5)]
>>> adherence([mwf], sessions, now, UTC).in_words()
'2 of 12 planned, and 1 other day'
>>> missed_since([mwf], sessions[1], now, UTC)
0
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sirelief.domain.local_time import local_day

ADHERENCE_DAYS = 28
"""Adherence reads the last four weeks, today included."""
RECENT_DAYS = 14
"""A safety stop or a "too much" this recent puts a client near the top of the list."""
SORT_WORDS = (
    "Sorted by who needs a look first: open alerts, then a safety stop or a “too much” "
    f"in the last {RECENT_DAYS} days, then the most planned days missed since the last "
    "session, then the longest without a session."
)
"""What the list says about its own order."""


@dataclass(frozen=True)
class SchedulePeriod:
    """The days a coach planned (0 is Monday) while one assignment was active."""

    days: tuple[int, ...]
    start: datetime
    end: datetime | None
    """When the assignment ended (None: still active). Its last day is not planned."""


@dataclass(frozen=True)
class _LocalPeriod:
    """A period on the client's calendar: its days converted once, not once a day asked
    (a coach's list of 200 clients asks about 28 days each)."""

    days: frozenset[int]
    first: date
    end: date | None

    @classmethod
    def of(cls, period: SchedulePeriod, zone: tzinfo) -> "_LocalPeriod":
        end = None if period.end is None else local_day(period.end, zone)
        return cls(frozenset(period.days), local_day(period.start, zone), end)

    def active(self, day: date) -> bool:
        return self.first <= day and (self.end is None or day < self.end)

    def plans(self, day: date) -> bool:
        return day.weekday() in self.days and self.active(day)


@dataclass(frozen=True)
class ScheduleAdherence:
    """Days with a session against the days the schedule planned, over a window."""

    done: int
    """Days with at least one session, on planned days or not, while a schedule was set."""
    planned: int
    on_planned_days: int
    """Of ``done``, the days that were planned ones."""

    @property
    def other_days(self) -> int:
        """Days with a session that the schedule did not plan."""
        return self.done - self.on_planned_days

    def in_words(self) -> str:
        """ "5 of 8 planned"; the days trained off the plan after it; "no schedule" when
        nothing was planned.

        >>> ScheduleAdherence(7, 8, 5).in_words()
        '5 of 8 planned, and 2 other days'
        >>> ScheduleAdherence(0, 0, 0).in_words()
        'no schedule'
        """
        if self.planned == 0:
            return "no schedule"
        extra = self.other_days
        more = f", and {extra} other day{'s' if extra != 1 else ''}" if extra else ""
        return f"{self.on_planned_days} of {self.planned} planned{more}"

    @property
    def share(self) -> float | None:
        """Planned days with a session over planned days (None without a plan)."""
        return self.on_planned_days / self.planned if self.planned else None


def _days(now: datetime, zone: tzinfo, length: int) -> tuple[date, ...]:
    return _days_to(local_day(now, zone), length)


@functools.lru_cache(maxsize=64)
def _days_to(today: date, length: int) -> tuple[date, ...]:
    """The ``length`` days up to ``today``, oldest first: made once for a whole list of
    clients who share a day (they mostly do), not once a client."""
    return tuple(today - timedelta(days=k) for k in range(length - 1, -1, -1))


def adherence(
    periods: Sequence[SchedulePeriod],
    sessions: Iterable[datetime],
    now: datetime,
    zone: tzinfo,
    window: int = ADHERENCE_DAYS,
) -> ScheduleAdherence:
    """Sessions done against the schedule over the last ``window`` days, in ``zone``.

    Today counts as planned only once it has a session: a client who trains in the
    evening is not behind at noon. Two sessions on one day count once.
    """
    done_days = {local_day(moment, zone) for moment in sessions}
    today = local_day(now, zone)
    scheduled: set[date] = set()
    planned_days: set[date] = set()
    window_days = _days(now, zone, window)
    for span in (_LocalPeriod.of(period, zone) for period in periods):
        for day in window_days:
            if span.active(day):
                scheduled.add(day)
                if day.weekday() in span.days:
                    planned_days.add(day)
    done_scheduled = done_days & scheduled
    done = len(done_scheduled)
    on_planned = len(done_scheduled & planned_days)
    planned = len(planned_days) - (today in planned_days and today not in done_days)
    return ScheduleAdherence(done, planned, on_planned)


def missed_since(
    periods: Sequence[SchedulePeriod],
    last_session: datetime | None,
    now: datetime,
    zone: tzinfo,
    since: datetime | None = None,
) -> int:
    """Planned days gone by (today not counted) since the last session, or since
    ``since`` (when the client joined) if they never had one. Reads at most a year."""
    today = local_day(now, zone)
    start = last_session if last_session is not None else since
    if start is None:
        return 0
    first = max(local_day(start, zone) + timedelta(days=1 if last_session else 0),
                today - timedelta(days=365))  # fmt: skip
    spans = [_LocalPeriod.of(period, zone) for period in periods]
    missed, day = 0, first
    while day < today:
        missed += any(span.plans(day) for span in spans)
        day += timedelta(days=1)
    return missed


def days_since(moment: datetime | None, now: datetime, zone: tzinfo) -> int | None:
    """Whole calendar days from ``moment`` to ``now`` in ``zone`` (0 the same day).

    >>> from datetime import UTC, datetime
    >>> days_since(datetime(2026, 12, 1, 23, tzinfo=UTC), datetime(2026, 12, 2, 1, tzinfo=UTC), UTC)
    1
    """
    if moment is None:
        return None
    return (local_day(now, zone) - local_day(moment, zone)).days


@dataclass(frozen=True)
class Standing:
    """What the list knows of one client, enough to put them in order."""

    client_id: str
    name: str
    open_alerts: int = 0
    recent_stops: int = 0
    recent_too_much: int = 0
    missed: int = 0
    """Planned days missed since the last session (``missed_since``)."""
    quiet_days: int | None = None
    """Days since the last session (or since joining, if none yet)."""

    @property
    def tier(self) -> int:
        """0: open alerts; 1: a recent safety stop or "too much"; 2: the rest."""
        if self.open_alerts:
            return 0
        return 1 if self.recent_stops or self.recent_too_much else 2


def attention_key(standing: Standing) -> tuple:
    """The sort key of ``SORT_WORDS``: tier, then most missed, then longest quiet, then
    the name (so equal clients keep a stable, readable order)."""
    quiet = standing.quiet_days if standing.quiet_days is not None else -1
    return (standing.tier, -standing.missed, -quiet, standing.name.casefold(), standing.client_id)


def by_attention(standings: Iterable[Standing]) -> list[Standing]:
    """Clients who need a look first (``SORT_WORDS``)."""
    return sorted(standings, key=attention_key)
