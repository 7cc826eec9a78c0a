"""The weekly PSFS rules (SPEC 4): the score is the mean of the rated activities, a change
of 2 points is the one that matters, and a rating is due a week after the last one."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.psfs import (
    LONGEST_ACTIVITY,
    MAX_ACTIVITIES,
    PSFS_CHANGE,
    Activity,
    ActivityScore,
    PsfsRating,
    change_matters,
    due,
    psfs_score,
    psfs_trend,
    read_activities,
    read_scores,
)
from sirelief.domain.trends import weeks_ending

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SYDNEY = ZoneInfo("Australia/Sydney")
scores = st.lists(st.integers(0, 10), min_size=1, max_size=MAX_ACTIVITIES)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)


def test_the_score_is_the_mean_of_the_rated_activities() -> None:
    assert psfs_score([2, 5]) == 3.5
    assert psfs_score([7]) == 7.0
    with pytest.raises(ValueError, match="at least one"):
        psfs_score([])


@given(scores)
def test_the_score_stays_within_the_scale_and_its_ratings(values: list[int]) -> None:
    score = psfs_score(values)
    assert 0 <= min(values) <= score <= max(values) <= 10


@given(st.floats(-10, 10, allow_nan=False))
def test_a_change_matters_exactly_from_two_points_either_way(change: float) -> None:
    assert change_matters(change) == (abs(change) >= PSFS_CHANGE)
    assert change_matters(change) == change_matters(-change)


def test_naming_comes_first_then_a_rating_is_due_until_done() -> None:
    assert due(0, None, MONDAY, UTC) == "name"
    assert due(0, MONDAY, MONDAY, UTC) == "name"  # every activity removed: name again
    assert due(1, None, MONDAY, UTC) == "rate"
    assert due(3, MONDAY, MONDAY, UTC) is None


def test_a_rating_is_due_on_the_seventh_local_day() -> None:
    late_sunday = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday morning in Sydney
    # counted in calendar days: from Sunday night, due from the next Sunday's first minute
    assert due(2, late_sunday, late_sunday + timedelta(days=6, minutes=29), UTC) is None
    assert due(2, late_sunday, late_sunday + timedelta(days=6, minutes=31), UTC) == "rate"
    # in Sydney the rating fell on Monday 30th: due on Monday 7th, local time
    assert due(2, late_sunday, datetime(2026, 12, 6, 12, 59, tzinfo=UTC), SYDNEY) is None
    assert due(2, late_sunday, datetime(2026, 12, 6, 13, 0, tzinfo=UTC), SYDNEY) == "rate"


@given(moments, st.integers(0, 30), st.integers(1, 3))
def test_due_only_from_seven_days_on(last: datetime, days: int, named: int) -> None:
    now = last + timedelta(days=days)
    assert (due(named, last, now, UTC) == "rate") == (days >= 7)


def test_activity_lines_are_tidied_and_checked_by_field() -> None:
    names, errors = read_activities(["  Getting   out of the car ", "", "Stairs"])
    assert (names, errors) == (("Getting out of the car", "Stairs"), {})
    names, errors = read_activities(["ok", "x" * (LONGEST_ACTIVITY + 1), "bad\x07"])
    assert set(errors) == {"activity_2", "activity_3"}
    assert errors["activity_2"].startswith("Activity 2:")
    _, errors = read_activities(["a", "b", "c", "d"])
    assert "at most 3" in errors["activities"]


@given(st.lists(st.text(max_size=200), max_size=5))
def test_any_lines_give_names_or_named_errors_never_a_crash(lines: list[str]) -> None:
    names, errors = read_activities(lines)
    assert len(names) <= MAX_ACTIVITIES
    assert all(key == "activities" or key.startswith("activity_") for key in errors)
    if not errors:
        assert all(0 < len(name) <= LONGEST_ACTIVITY for name in names)


def test_every_named_activity_must_be_rated_from_0_to_10() -> None:
    walking, lifting = Activity("a1", 1, "Walking"), Activity("a2", 2, "Lifting")
    found, errors = read_scores([walking, lifting], {"score_a1": "10", "score_a2": "0"})
    assert found == (ActivityScore("a1", "Walking", 10), ActivityScore("a2", "Lifting", 0))
    assert errors == {}
    _, errors = read_scores([walking, lifting], {"score_a1": "11", "score_a2": " "})
    assert '"Walking"' in errors["score_a1"]
    assert errors["score_a2"].startswith('Rate "Lifting"')
    _, errors = read_scores([], {})
    assert "Name at least one" in errors["activities"]


@given(st.text(max_size=6))
def test_any_answer_is_a_score_or_a_named_error(raw: str) -> None:
    found, errors = read_scores([Activity("a1", 1, "Walking")], {"score_a1": raw})
    assert bool(found) != bool(errors)
    if found:
        assert 0 <= found[0].score <= 10


def test_the_trend_is_the_weekly_mean_against_two_points() -> None:
    weeks = weeks_ending(date(2026, 12, 14), 3)

    def rating(day: int, *values: int) -> PsfsRating:
        when = datetime(2026, 11, 30, 10, tzinfo=UTC) + timedelta(days=day)
        items = tuple(ActivityScore(f"a{n}", f"thing {n}", v) for n, v in enumerate(values))
        return PsfsRating(f"r{day}", when, items)

    trend = psfs_trend([rating(0, 2, 4), rating(14, 5, 6), rating(-30, 0)], UTC, weeks)
    assert [w.mean for w in trend.weeks] == [3.0, None, 5.5]
    assert trend.change == 2.5
    assert trend.meaningful
    small = psfs_trend([rating(0, 3), rating(7, 4)], UTC, weeks)
    assert small.change == 1.0
    assert not small.meaningful
