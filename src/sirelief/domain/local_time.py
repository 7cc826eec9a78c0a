"""The person's own calendar: which day a moment falls on, and when their day began.

Every page and question that says "today", "this morning" or a date works in the person's
time zone (their setting, else the installation's), never in the server's: a server in
UTC would otherwise file a 23:30 session in Chicago under the next day. Pure: the moment
and the zone come in as parameters.

>>> from datetime import UTC, datetime
>>> from zoneinfo import ZoneInfo
>>> chicago = ZoneInfo("America/Chicago")
>>> late = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)  # 22:30 on the 6th in Chicago
>>> local_day(late, chicago).isoformat()
'2026-12-06'
>>> day_start(late, chicago).isoformat()
'2026-12-06T00:00:00-06:00'
>>> zone_named("Mars/Base", chicago) is chicago
True
"""

import zoneinfo
from datetime import UTC, date, datetime, time, tzinfo


def zone_named(name: str | None, fallback: tzinfo) -> tzinfo:
    """The IANA zone ``name``; ``fallback`` when it is unset or this machine lacks it."""
    if not name:
        return fallback
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return fallback


def local(moment: datetime, zone: tzinfo) -> datetime:
    """``moment`` on the wall clock of ``zone`` (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The date ``moment`` falls on in ``zone``."""
    return local(moment, zone).date()


def day_start(moment: datetime, zone: tzinfo) -> datetime:
    """Midnight that began ``moment``'s day in ``zone`` (aware, so it compares with UTC)."""
    return datetime.combine(local_day(moment, zone), time(0), tzinfo=zone)
