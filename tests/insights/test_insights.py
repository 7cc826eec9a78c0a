"""Trends, effort, the next-morning settle rate and the week-over-week rule, by hand."""

import json
from datetime import UTC, date, timedelta, timezone

import pytest

from sirelief.domain.insights import CLINICIAN, Settling, build_insights, weekly_climb
from sirelief.domain.trends import WeekValue, week_start, weeks_ending, work_minutes_by_region
from tests.insights.support import CATALOGUE, DAY_ONE, session

BASE = ((3, 7), (2, 5), (4, 6))
POINTS = {"baseline": BASE, "mid": ((3, 4), (2, 4), (4, 5)), "final": ((2, 3), (1, 3), (3, 4))}
MONDAY = DAY_ONE.date()


def insights(records, today: date, weeks: int = 4, tz=UTC):
    return build_insights(records, CATALOGUE.exercises.values(), today, tz, weeks)


def test_weeks_start_on_monday_and_end_with_this_week() -> None:
    assert week_start(date(2026, 9, 13)) == date(2026, 9, 7)
    assert weeks_ending(date(2026, 9, 16), 3) == (
        date(2026, 8, 31), date(2026, 9, 7), date(2026, 9, 14))  # fmt: skip


def test_pain_trend_weekly_means_and_the_two_point_threshold() -> None:
    # week 1: pains 6 and 4 (mean 5); week 2: nothing; week 3: 3 and 2 (mean 2.5)
    records = [session(d, POINTS, pain=p) for d, p in ((0, 6), (2, 4), (14, 3), (16, 2))]
    result = insights(records, MONDAY + timedelta(days=16), weeks=3)
    pain = result.pain
    assert [(w.mean, w.n) for w in pain.weeks] == [(5.0, 2), (None, 0), (2.5, 2)]
    assert pain.days[0] == (MONDAY, 6.0)
    assert pain.change == -2.5
    assert pain.meaningful
    assert any("from 5.0 (week of 07 Sep) to 2.5" in line and "more than 2 points" in line
               and "does not show what caused it" in line
               for line in result.headlines())  # fmt: skip


def test_a_small_change_is_within_measurement_error() -> None:
    records = [session(0, POINTS, pain=4), session(8, POINTS, pain=3)]
    result = insights(records, MONDAY + timedelta(days=8), weeks=2)
    assert result.pain.change == -1
    assert not result.pain.meaningful
    assert any("within measurement error" in line for line in result.headlines())


def test_tightness_trend_per_region_and_side_comes_from_the_checkin() -> None:
    records = [session(0, POINTS, tight=((3, 8), (2, 5), (4, 6))),
               session(8, POINTS, tight=((3, 5), (2, 5), (4, 6)))]  # fmt: skip
    result = insights(records, MONDAY + timedelta(days=8), weeks=2)
    right_hip = result.tightness["hip"]["right"]
    assert [w.mean for w in right_hip.weeks] == [8, 5]
    assert right_hip.meaningful
    assert result.tightness["hip"]["left"].change == 0


def test_knee_to_wall_trend_uses_its_minimal_detectable_change() -> None:
    records = [
        session(0, POINTS, knee_to_wall={"left": 9.5, "right": 7.0}),
        session(8, POINTS, knee_to_wall={"left": 10.0, "right": 9.5}),
        session(9, POINTS),  # not measured: no value
    ]
    result = insights(records, MONDAY + timedelta(days=9), weeks=2)
    right, left = result.knee_to_wall["right"], result.knee_to_wall["left"]
    assert result.has_knee_to_wall
    assert (right.unit, right.threshold) == ("cm", 2.0)
    assert (right.change, right.meaningful) == (2.5, True)
    assert (left.change, left.meaningful) == (0.5, False)
    assert len(right.days) == 2


def test_no_knee_to_wall_readings_is_said() -> None:
    result = insights([session(0, POINTS)], MONDAY, weeks=1)
    assert not result.has_knee_to_wall


def test_adherence_counts_sessions_days_and_streaks() -> None:
    # Mon, Tue, Wed of week 1; Sat, Sun of week 2; Mon of week 3 (today)
    days = (0, 1, 2, 12, 13, 14)
    records = [session(d, POINTS, session_id=f"s{d}") for d in days]
    result = insights(records, MONDAY + timedelta(days=14), weeks=3)
    effort = result.adherence
    assert [w.sessions for w in effort.weeks] == [3, 2, 1]
    assert effort.sessions_per_week == 2
    assert effort.active_weeks == 3
    assert effort.day_streak == 3  # Sat, Sun, Mon
    assert effort.longest_day_streak == 3
    assert effort.week_streak == 2  # this week has one day so far: it does not break it


def test_a_streak_survives_until_the_day_is_over() -> None:
    records = [session(d, POINTS, session_id=f"s{d}") for d in (0, 1)]
    result = insights(records, MONDAY + timedelta(days=2), weeks=1)
    assert result.adherence.day_streak == 2
    result = insights(records, MONDAY + timedelta(days=3), weeks=1)
    assert result.adherence.day_streak == 0


def test_minutes_by_region_count_one_sided_work_as_half() -> None:
    record = session(0, POINTS)
    minutes = work_minutes_by_region(record, lambda i: CATALOGUE.exercise(i).regions)
    by_hand = sum(
        (0.5 if s.side in ("left", "right") else 1.0) * s.duration_s / 60
        for s in record.plan.steps
        if s.kind == "exercise" and "hip_flexors" in CATALOGUE.exercise(s.exercise_id).regions
    )
    assert minutes["hip_flexors"] == pytest.approx(by_hand)
    # the smash alone: 3 minutes a side, both sides done
    smash = [s for s in record.plan.steps if s.exercise_id == "kb-hip-flexor-smash"
             and s.kind == "exercise"]  # fmt: skip
    assert sum(s.duration_s for s in smash) == 360


def test_skipped_and_unreached_work_does_not_count() -> None:
    stopped = session(0, {"baseline": BASE}, stop_before="mid")
    minutes = work_minutes_by_region(stopped, lambda i: CATALOGUE.exercise(i).regions)
    assert "adductors" in minutes  # the first side's adductor smash was done
    full = work_minutes_by_region(session(0, POINTS), lambda i: CATALOGUE.exercise(i).regions)
    assert minutes["adductors"] < full["adductors"]


def stretch_regions(exercise_id: str):
    exercise = CATALOGUE.exercise(exercise_id)
    return exercise.regions if exercise.category == "stretch" else ()


def test_region_minutes_count_stretches_only_and_weeks_since_the_first_session() -> None:
    records = [session(0, {}, routine="si-joint-stretches"),
               session(7, {}, routine="si-joint-stretches")]  # fmt: skip
    result = insights(records, MONDAY + timedelta(days=7), weeks=12)
    one = work_minutes_by_region(records[0], stretch_regions)
    assert one, "the SI joint stretches hold stretches"
    for region in result.adherence.regions:
        assert region.weekly_mean == pytest.approx(one[region.region])  # 2 sessions, 2 weeks
        assert region.last_7_days == pytest.approx(one[region.region])  # Tuesday to Monday
    assert {r.region for r in result.adherence.regions} == set(one)
    assert result.adherence.sessions_per_week == 1


def test_smashes_and_rolling_are_not_counted_as_stretching() -> None:
    result = insights([session(0, POINTS)], MONDAY, weeks=1)
    smash_only = {"adductors"}  # only the adductor smash and the squats work it here
    assert not smash_only & {r.region for r in result.adherence.regions}


def test_a_short_span_still_sees_the_last_seven_days_and_the_climb() -> None:
    # Sun, Mon, Tue, ... : the week before today's week holds most of the last 7 days
    records = [session(d, POINTS, pain=p, session_id=f"s{d}")
               for d, p in ((0, 2), (1, 2), (7, 3), (8, 3), (14, 5), (15, 5))]  # fmt: skip
    one_week = insights(records, MONDAY + timedelta(days=15), weeks=1)
    assert [c.measure for c in one_week.climbs] == ["pain"]


def test_settling_rate_overall_and_recent() -> None:
    answers = ((0, False), (1, True), (30, True), (31, None), (32, False))
    records = [session(d, POINTS, settled=s, session_id=f"s{d}") for d, s in answers]
    result = insights(records, MONDAY + timedelta(days=33), weeks=6)
    settling = result.settling
    assert (settling.answered, settling.settled) == (4, 2)
    assert settling.rate == 0.5
    assert (settling.recent_answered, settling.recent_settled) == (2, 1)
    assert settling.sentence() == (
        "Pain settled by the next morning after 2 of 4 sessions (50%); in the last 4 weeks "
        "1 of 2 (50%)."
    )


def test_no_morning_answers_yet() -> None:
    assert "No next-morning answers yet" in Settling(0, 0, 0, 0).sentence()


def weekly(values, today=date(2026, 9, 21), readings=3):
    weeks = weeks_ending(today, len(values))
    return [WeekValue(w, v, 0 if v is None else readings)
            for w, v in zip(weeks, values, strict=True)]  # fmt: skip


@pytest.mark.parametrize(
    ("values", "climbing"),
    [
        ((3, 4, 5), True),
        ((2, 3, 4, 5), True),
        ((3, 4, 4), False),
        ((5, 4, 5), False),
        ((3, None, 5), False),
        ((3.0, 3.02, 3.04), False),  # rises too small to show at one decimal
        ((3, 3.5, 4.9), False),  # climbing, but by less than the 2 points that matter
        ((3, 3.5, 5.0), True),
        ((3, 4, 5, None), True),  # this week has no data yet: the three before it
        ((3, 4, None, None), False),
    ],
)
def test_pain_climbing_two_weeks_running(values, climbing: bool) -> None:
    found = weekly_climb("pain", weekly(values), date(2026, 9, 21))
    assert (found is not None) == climbing
    if found:
        assert "gone up two weeks running" in found.sentence()


def test_weeks_with_a_single_check_in_do_not_count() -> None:
    assert weekly_climb("pain", weekly((2, 4, 6), readings=1), date(2026, 9, 21)) is None
    assert weekly_climb("pain", weekly((2, 4, 6), readings=2), date(2026, 9, 21)) is not None


def test_this_week_counts_only_once_it_has_enough_check_ins() -> None:
    weeks = weekly((2, 4, 6, 1), readings=2)
    weeks[-1] = WeekValue(weeks[-1].week, 1.0, 1)  # one low reading so far this week
    found = weekly_climb("pain", weeks, date(2026, 9, 21))
    assert found is not None
    assert [w.mean for w in found.weeks] == [2, 4, 6]


def test_tightness_needs_a_rise_of_one_point() -> None:
    assert weekly_climb("tightness", weekly((3, 3.4, 3.9)), date(2026, 9, 21)) is None
    assert weekly_climb("tightness", weekly((3, 3.4, 4.0)), date(2026, 9, 21)) is not None


def test_climbing_pain_leads_the_headlines() -> None:
    records = [session(d, POINTS, pain=p, session_id=f"s{d}")
               for d, p in ((0, 2), (1, 2), (7, 4), (8, 4), (14, 6), (15, 6))]  # fmt: skip
    result = insights(records, MONDAY + timedelta(days=15), weeks=3)
    assert [c.measure for c in result.climbs] == ["pain"]
    assert result.headlines()[0].startswith("Your pain has gone up two weeks running (2.0 → 4.0")
    assert "physiotherapist or doctor" in result.headlines()[1]  # the advice, said once
    [climb] = result.to_json()["climbs"]
    assert climb["sentence"].startswith("Your pain has gone up two weeks running")
    assert climb["advice"] == CLINICIAN
    assert climb["weekly_means"] == [2, 4, 6]
    assert not any("two weeks running" in line for line in result.headlines(warnings=False))


def test_climbing_tightness_is_flagged_too() -> None:
    tights = [((2, 3), (2, 3), (2, 3)), ((3, 4), (3, 4), (3, 4)), ((4, 5), (4, 5), (4, 5))]
    records = [session(7 * i + k, POINTS, tight=t, session_id=f"s{i}{k}")
               for i, t in enumerate(tights) for k in (0, 1)]  # fmt: skip
    result = insights(records, MONDAY + timedelta(days=15), weeks=3)
    assert [c.measure for c in result.climbs] == ["tightness"]


def test_window_keeps_only_its_weeks_and_uses_the_local_day() -> None:
    late = session(6.7, POINTS, session_id="late")  # Monday 08:00 + 6.7 days: next Monday 00:48 UTC
    early = session(-10, POINTS, session_id="early")  # before the window
    today = MONDAY + timedelta(days=7)
    result = insights([late, early], today, weeks=2)
    assert result.sessions == 1
    assert result.pain.days[0][0] == today
    western = insights([late], today, weeks=2, tz=timezone(-timedelta(hours=5)))
    assert western.pain.days[0][0] == today - timedelta(days=1)  # still Sunday there
    assert [w.n for w in western.pain.weeks] == [1, 0]


def test_report_json_is_plain_data() -> None:
    records = [session(d, POINTS, knee_to_wall={"left": 9.0, "right": 7.5}) for d in range(4)]
    data = insights(records, MONDAY + timedelta(days=4), weeks=2).to_json()
    again = json.loads(json.dumps(data))
    assert again == data
    assert {e["region"] for e in data["effects"]} == {"hip", "hamstrings_adductors", "ankle"}
    hip = next(e for e in data["effects"] if e["region"] == "hip")
    assert (hip["sessions"], hip["reduction"], hip["verdict"]) == (4, 3.0, "less_tight")
    assert data["knee_to_wall"]["right"]["days"][0] == {"day": "2026-09-07", "value": 7.5}
    assert data["adherence"]["plateau_min_per_week"] == 10.0


def test_weeks_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        insights([], MONDAY, weeks=0)
