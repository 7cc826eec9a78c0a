"""Days and weeks follow the person's time zone, clock changes included."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from sirelief.domain.insights import build_insights
from sirelief.settings import Settings
from tests.insights.support import CATALOGUE, DAY_ONE, session

POINTS = {"baseline": ((3, 7), (2, 5), (4, 6)), "mid": ((3, 4), (2, 4), (4, 5)),
          "final": ((2, 3), (1, 3), (3, 4))}  # fmt: skip


def test_a_session_after_midnight_summer_time_counts_on_its_local_day() -> None:
    # DAY_ONE + 8 d 15.5 h = Tue 15 Sep 2026 23:30 UTC = Wed 16 Sep 00:30 in London (BST)
    record = session(8 + 15.5 / 24, POINTS)
    assert record.created_at == datetime(2026, 9, 15, 23, 30, tzinfo=UTC)
    london = build_insights([record], CATALOGUE.exercises.values(), date(2026, 9, 16),
                            ZoneInfo("Europe/London"), 1)  # fmt: skip
    assert london.pain.days[0][0] == date(2026, 9, 16)
    # a fixed +0 offset (London's in winter, what now.astimezone() gives in January)
    # files the same session a day early
    fixed = build_insights([record], CATALOGUE.exercises.values(), date(2026, 9, 16), UTC, 1)
    assert fixed.pain.days[0][0] == date(2026, 9, 15)


def test_the_setting_names_the_zone(monkeypatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
    zone = Settings(timezone="America/New_York").zone()
    assert zone == ZoneInfo("America/New_York")
    assert DAY_ONE.astimezone(zone).utcoffset() == -timedelta(hours=4)


def test_tz_is_used_when_there_is_no_setting(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert Settings(timezone=None).zone() == ZoneInfo("Asia/Tokyo")


def test_an_unknown_zone_setting_is_refused_with_a_hint() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings(timezone="Mars/Olympus")


def test_without_any_name_a_zone_is_still_given(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "not a zone")
    assert Settings(timezone=None).zone().utcoffset(datetime.now()) is not None
