"""Adherence against a coach's schedule, and the order of a coach's list (issue 18 item 3)."""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.follow_up import (
    ADHERENCE_DAYS,
    ScheduleAdherence,
    SchedulePeriod,
    Standing,
    adherence,
    attention_key,
    by_attention,
    days_since,
    missed_since,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # a Sunday
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
MWF = SchedulePeriod((0, 2, 4), LONG_AGO, None)
EVERY_DAY = SchedulePeriod(tuple(range(7)), LONG_AGO, None)


def at(day: int, hour: int = 9, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_five_of_eight_planned() -> None:
    tue_thu = SchedulePeriod((1, 3), LONG_AGO, None)
    done = [at(10, month=11), at(12, month=11), at(17, month=11), at(26, month=11), at(3)]
    result = adherence([tue_thu], done, NOW, UTC)
    assert result == ScheduleAdherence(done=5, planned=8, on_planned_days=5)
    assert result.in_words() == "5 of 8 planned"


def test_two_sessions_on_one_day_count_once_and_an_off_day_counts_as_done() -> None:
    done = [at(1, 8), at(1, 18), at(5)]  # Tuesday twice, then Saturday
    result = adherence([MWF], done, NOW, UTC)
    assert (result.done, result.on_planned_days) == (2, 0)
    assert result.in_words() == "0 of 12 planned, and 2 other days"


def test_today_is_planned_only_once_done() -> None:
    monday_noon = datetime(2026, 12, 7, 12, tzinfo=UTC)
    before = adherence([EVERY_DAY], [], monday_noon, UTC)
    after = adherence([EVERY_DAY], [at(7, 10)], monday_noon, UTC)
    assert before.planned == ADHERENCE_DAYS - 1
    assert (after.planned, after.done) == (ADHERENCE_DAYS, 1)


def test_nothing_is_planned_before_the_assignment_or_after_it_ended() -> None:
    period = SchedulePeriod(tuple(range(7)), at(1), at(4))  # 1, 2, 3 December
    result = adherence([period], [at(2), at(5)], NOW, UTC)
    assert (result.planned, result.done) == (3, 1)  # the 5th was after it ended
    assert adherence([], [at(2)], NOW, UTC).in_words() == "no schedule"


def test_the_clients_own_day_decides() -> None:
    """23:30 on Monday in Chicago is Tuesday in UTC: it is Monday's session there."""
    chicago = ZoneInfo("America/Chicago")
    late_monday = datetime(2026, 11, 30, 23, 30, tzinfo=chicago)
    mondays = SchedulePeriod((0,), LONG_AGO, None)
    assert adherence([mondays], [late_monday], NOW, chicago).on_planned_days == 1
    assert adherence([mondays], [late_monday], NOW, UTC).on_planned_days == 0


def test_missed_planned_days_since_the_last_session() -> None:
    assert missed_since([MWF], at(2), NOW, UTC) == 1  # Friday the 4th
    assert missed_since([MWF], at(4), NOW, UTC) == 0
    assert missed_since([MWF], None, NOW, UTC, since=at(30, month=11)) == 3  # Mon, Wed, Fri
    assert missed_since([], at(1), NOW, UTC) == 0
    assert missed_since([MWF], None, NOW, UTC) == 0


def test_days_since_counts_calendar_days_in_the_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    evening = datetime(2026, 12, 5, 14, 0, tzinfo=UTC)  # 23:00 in Tokyo on the 5th
    assert days_since(evening, NOW, UTC) == 1
    assert days_since(evening, NOW, tokyo) == 1
    assert days_since(datetime(2026, 12, 5, 16, tzinfo=UTC), NOW, tokyo) == 0  # the 6th there
    assert days_since(None, NOW, UTC) is None


def test_the_list_puts_alerts_then_stops_then_missed_then_quiet_first() -> None:
    standings = [
        Standing("a", "Quiet", quiet_days=20),
        Standing("b", "Behind", missed=4, quiet_days=9),
        Standing("c", "Stopped", recent_stops=1, quiet_days=1),
        Standing("d", "Alerted", open_alerts=1, quiet_days=0),
        Standing("e", "Fine", quiet_days=1),
        Standing("f", "Too much", recent_too_much=2, quiet_days=0),
    ]
    order = [s.name for s in by_attention(standings)]
    assert order == ["Alerted", "Stopped", "Too much", "Behind", "Quiet", "Fine"]


# --- properties ------------------------------------------------------------------------
days = st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(
    lambda d: tuple(sorted(d))
)
offsets = st.lists(st.integers(0, 60 * 24 * 40), max_size=30)  # minutes back, up to 40 days
zones = st.sampled_from([UTC, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Tokyo")])


def sessions_from(minutes: list[int]) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


@given(days, offsets, zones, st.integers(0, 60))
def test_counts_stay_within_the_window(plan, minutes, zone, started_days_ago) -> None:
    period = SchedulePeriod(plan, NOW - timedelta(days=started_days_ago), None)
    result = adherence([period], sessions_from(minutes), NOW, zone)
    assert 0 <= result.on_planned_days <= result.done <= ADHERENCE_DAYS
    assert result.on_planned_days <= result.planned <= ADHERENCE_DAYS
    assert result.planned <= len(plan) * 4 + 1


@given(days, offsets, st.integers(0, 60 * 24 * 27), zones)
def test_one_more_session_never_lowers_adherence(plan, minutes, extra, zone) -> None:
    period = SchedulePeriod(plan, LONG_AGO, None)
    before = adherence([period], sessions_from(minutes), NOW, zone)
    after = adherence([period], sessions_from([*minutes, extra]), NOW, zone)
    assert after.done >= before.done
    assert after.on_planned_days >= before.on_planned_days
    assert after.planned - before.planned in (0, 1)  # only today can join the plan


@given(days, zones)
def test_a_schedule_followed_to_the_letter_is_all_done(plan, zone) -> None:
    period = SchedulePeriod(plan, LONG_AGO, None)
    today = NOW.astimezone(zone).date()
    followed = [
        datetime.combine(today - timedelta(days=k), datetime.min.time(), zone) + timedelta(hours=9)
        for k in range(ADHERENCE_DAYS)
        if (today - timedelta(days=k)).weekday() in plan
    ]
    result = adherence([period], followed, NOW, zone)
    assert result.done == result.planned == result.on_planned_days
    assert result.share == 1.0
    assert missed_since([period], max(followed), NOW, zone) == 0


@given(st.lists(st.builds(
    Standing, st.text(min_size=1, max_size=3), st.text(max_size=5), st.integers(0, 3),
    st.integers(0, 2), st.integers(0, 2), st.integers(0, 10),
    st.one_of(st.none(), st.integers(0, 400)),
), max_size=12))  # fmt: skip
def test_attention_order_is_a_permutation_with_alerts_on_top(standings) -> None:
    ordered = by_attention(standings)
    assert sorted(map(id, ordered)) == sorted(map(id, standings))
    tiers = [s.tier for s in ordered]
    assert tiers == sorted(tiers)
    reordered = by_attention(reversed(standings))
    assert list(map(attention_key, reordered)) == list(map(attention_key, ordered))
    for first, second in itertools.pairwise(ordered):
        if first.tier == second.tier:
            assert first.missed >= second.missed


def day_by_day(periods, sessions, zone) -> ScheduleAdherence:
    """The definition, one calendar day at a time (the list's fast path must agree)."""

    def local(moment):
        return moment.astimezone(zone).date()

    def active(period, day):
        return local(period.start) <= day and (period.end is None or day < local(period.end))

    today = local(NOW)
    done_days = {local(moment) for moment in sessions}
    done = on_planned = planned = 0
    for back in range(ADHERENCE_DAYS):
        day = today - timedelta(days=back)
        is_planned = any(active(p, day) and day.weekday() in p.days for p in periods)
        if day in done_days and any(active(p, day) for p in periods):
            done += 1
            on_planned += is_planned
        planned += is_planned and (day != today or day in done_days)
    return ScheduleAdherence(done, planned, on_planned)


spans = st.builds(
    lambda plan, start, length: SchedulePeriod(
        plan,
        NOW - timedelta(minutes=start),
        None if length is None else NOW - timedelta(minutes=start) + timedelta(minutes=length),
    ),
    days,
    st.integers(0, 60 * 24 * 40),
    st.none() | st.integers(0, 60 * 24 * 20),
)


@given(st.lists(spans, max_size=3), offsets, zones)
def test_adherence_agrees_with_the_day_by_day_definition(periods, minutes, zone) -> None:
    sessions = sessions_from(minutes)
    assert adherence(periods, sessions, NOW, zone) == day_by_day(periods, sessions, zone)
