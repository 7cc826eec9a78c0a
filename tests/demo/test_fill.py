"""``fill_demo`` through the real use cases: deterministic, plausible, marked, and careful."""

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from sirelief.domain.checkin import CheckIn
from sirelief.domain.insights import build_insights
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.domain.trends import week_start
from sirelief.services import ServiceError
from sirelief.services.demo import demo_session_ids, fill_demo
from sirelief.services.demo_person import (
    MORNING,
    NOTE_PREFIX,
    PSFS_ACTIVITIES,
    SMASH,
    STRETCHES,
)
from sirelief.storage.transfer import export_document
from tests.clock import at
from tests.demo.conftest import END, new_library
from tests.storage.scripted import CHECKIN

ID = re.compile(r"^[0-9a-f]{32}$")


def content(library) -> dict:
    """The export with every id replaced by its order of first appearance."""
    document = export_document(library.store)
    document.pop("profile")
    document["morning_answers"].sort(key=lambda answer: answer["answered_at"])
    seen: dict[str, str] = {}

    def strip(value):
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items()}
        if isinstance(value, list):
            return [strip(item) for item in value]
        if isinstance(value, str) and ID.match(value):
            return seen.setdefault(value, f"#{len(seen)}")
        return value

    return strip(document)


def real_session(library) -> str:
    running = at(library.sessions, END - timedelta(days=3)).start(CHECKIN, SMASH, PlanOptions())
    running.record(Event(id="real-start", at=END.timestamp() - 3 * 86400 + 10, kind="start"))
    return running.session_id


def test_the_same_seed_writes_the_same_content(filled, tmp_path) -> None:
    library, summary = filled
    again = new_library(tmp_path)
    assert fill_demo(again, end=END) == summary
    assert content(again) == content(library)
    assert {r.id for r in again.session_log.sessions()}.isdisjoint(
        r.id for r in library.session_log.sessions()
    )
    again.close()


def test_another_seed_writes_other_content(tmp_path) -> None:
    one, other = new_library(tmp_path / "one"), new_library(tmp_path / "other")
    fill_demo(one, weeks=3, seed=1, end=END)
    fill_demo(other, weeks=3, seed=2, end=END)
    assert content(one) != content(other)


def test_twelve_weeks_of_two_to_five_sessions_most_weeks(filled) -> None:
    library, summary = filled
    records = library.session_log.sessions()
    assert summary.sessions == len(records)
    assert 30 <= summary.sessions <= 50
    days = sorted(r.created_at.date() for r in records)
    assert days[-1] == date(2026, 11, 17)
    assert week_start(days[0]) == week_start(date(2026, 11, 17)) - timedelta(weeks=11)
    per_week = Counter(week_start(day) for day in days)
    full_weeks = [week_start(days[0]) + timedelta(weeks=k) for k in range(11)]
    assert sum(2 <= per_week[w] <= 5 for w in full_weeks) >= 9
    assert min(per_week[w] for w in full_weeks) <= 1  # the missed week
    routines = Counter(r.plan.routine_id for r in records)
    assert routines[SMASH] > routines[STRETCHES] > 0
    assert routines[MORNING] > 0


def test_smash_sessions_have_three_checks_except_the_one_stopped_early(filled) -> None:
    library, summary = filled
    smash = [r for r in library.session_log.sessions() if r.plan.routine_id == SMASH]
    stopped = [r for r in smash if r.state.ended == "stopped"]
    assert summary.stopped_early == len(stopped) == 1
    assert [a.point for a in stopped[0].state.assessments] == ["baseline"]
    assert stopped[0].state.max_pain >= 6
    assert stopped[0].events[-1].choice == "end"
    for record in smash:
        if record is not stopped[0]:
            assert record.state.ended == "completed"
            assert [a.point for a in record.state.assessments] == ["baseline", "mid", "final"]


def test_every_session_ends_and_every_event_is_in_its_session_time(filled) -> None:
    library, _ = filled
    for record in library.session_log.sessions():
        assert record.state.ended is not None
        times = [event.at for event in record.events]
        assert times == sorted(times)
        start = record.created_at.timestamp()
        assert start < times[0] < times[-1] < start + 2 * 3600


def test_the_right_side_goes_first_unless_randomised(filled) -> None:
    library, summary = filled
    sessions = export_document(library.store)["sessions"]
    smash = [s for s in sessions if s["routine_id"] == SMASH]
    randomised = [s for s in smash if s["randomise_first_side"]]
    assert summary.randomised == len(randomised)
    assert 0.1 <= len(randomised) / len(smash) <= 0.4
    chosen = [s for s in smash if not s["randomise_first_side"]]
    assert Counter(s["plan"]["first_side"] for s in chosen).most_common(1)[0][0] == "right"
    assert "left" in {s["plan"]["first_side"] for s in randomised}


def test_most_sessions_have_a_morning_answer_mostly_settled(filled) -> None:
    library, summary = filled
    records = library.session_log.sessions()
    answered = [r for r in records if r.morning is not None]
    assert summary.morning_answers == len(answered)
    assert len(answered) >= 0.8 * len(records)
    assert records[0].morning is None  # the newest waits on the Today page
    settled = sum(r.morning.settled for r in answered)
    assert 0.7 * len(answered) <= settled < len(answered)
    for record in answered:
        assert record.morning.answered_at.date() == record.created_at.date() + timedelta(days=1)


def test_one_red_flag_check_in_stops_with_no_session(filled) -> None:
    library, summary = filled
    assert summary.stops == len(library.checkin_store.stops()) == 1
    assert summary.checkins == summary.sessions + 1


def test_pain_and_knee_to_wall_improve(filled) -> None:
    library, _ = filled
    records = sorted(library.session_log.sessions(), key=lambda r: r.created_at)
    first, last = records[: len(records) // 4], records[-len(records) // 4 :]

    def mean(values) -> float:
        values = [v for v in values if v is not None]
        return sum(values) / len(values)

    assert 4.5 <= mean(r.checkin.pain for r in first) <= 6
    assert 1.5 <= mean(r.checkin.pain for r in last) <= 3
    knee = [r.checkin.knee_to_wall_cm for r in records]
    assert all(k is None or k.right <= 25 for k in knee)
    right_first = mean(k.right for k in knee[: len(knee) // 4] if k)
    right_last = mean(k.right for k in knee[-len(knee) // 4 :] if k)
    assert 6.5 <= right_first <= 8.0
    assert 9.5 <= right_last <= 11.5


def test_the_weekly_activity_rating_rises_as_pain_falls(filled) -> None:
    """One PSFS rating in each week with a session, in the demo's own words, through the
    real use case: Today would not ask again the same week, and the trend goes up."""
    library, summary = filled
    ratings = library.psfs.ratings()
    weeks_with_sessions = {week_start(r.created_at.date()) for r in library.session_log.sessions()}
    assert summary.psfs_ratings == len(ratings) == len(weeks_with_sessions)
    assert {week_start(r.rated_at.date()) for r in ratings} == weeks_with_sessions
    assert [a.text for a in library.psfs.activities()] == list(PSFS_ACTIVITIES)
    assert all([s.activity for s in r.scores] == list(PSFS_ACTIVITIES) for r in ratings)
    assert ratings[-1].mean - ratings[0].mean >= 2  # a change that matters (SPEC: 2 points)


def test_every_demo_session_is_marked_by_a_note(filled) -> None:
    library, _ = filled
    ids = {r.id for r in library.session_log.sessions()}
    assert demo_session_ids(library) == ids
    notes = export_document(library.store)["notes"]
    assert {n["text"] for n in notes} == {f"{NOTE_PREFIX} (seed 0)"}


def test_insights_find_what_the_person_model_put_in(filled) -> None:
    library, _ = filled
    today = END.date()
    insights = build_insights(
        library.session_log.sessions(), library.catalogue.exercises.values(), today, END.tzinfo, 12
    )
    effects = {e["region"]: e for e in insights.to_json()["effects"] if e["block"] == "smash"}
    assert effects["hip"]["reduction"] > effects["ankle"]["reduction"] > 0.5
    assert effects["ankle"]["low"] > 0
    assert effects["hamstrings_adductors"]["low"] < 0 < effects["hamstrings_adductors"]["high"]
    assert insights.climbs == ()


def test_the_worsening_scenario_trips_the_two_week_rule(tmp_path) -> None:
    library = new_library(tmp_path)
    fill_demo(library, weeks=4, seed=3, end=END, scenario="worsening")
    insights = build_insights(
        library.session_log.sessions(),
        library.catalogue.exercises.values(),
        END.date(),
        END.tzinfo,
        4,
    )
    assert {climb.measure for climb in insights.climbs} == {"pain", "tightness"}


def test_refuses_beside_real_sessions_unless_forced(tmp_path) -> None:
    library = new_library(tmp_path)
    real = real_session(library)
    with pytest.raises(ServiceError, match="--force") as refused:
        fill_demo(library, weeks=1, end=END)
    assert "1 session of your own" in str(refused.value)
    assert [r.id for r in library.session_log.sessions()] == [real]
    summary = fill_demo(library, weeks=1, end=END, force=True)
    assert len(library.session_log.sessions()) == summary.sessions + 1
    assert real not in demo_session_ids(library)


def test_refuses_to_double_demo_data_unless_forced(tmp_path) -> None:
    library = new_library(tmp_path)
    first = fill_demo(library, weeks=1, end=END)
    with pytest.raises(ServiceError, match=r"already holds demo data.*--force"):
        fill_demo(library, weeks=1, end=END)
    fill_demo(library, weeks=1, end=END, force=True)
    assert len(library.session_log.sessions()) == 2 * first.sessions


def test_a_database_with_check_ins_only_is_not_refused(tmp_path) -> None:
    library = new_library(tmp_path)
    library.checkin_store.save_checkin(CheckIn.model_validate(CHECKIN.model_dump()), END)
    assert fill_demo(library, weeks=1, end=END).sessions >= 1


@pytest.mark.parametrize(("weeks", "seed"), [(0, 0), (105, 0), (1, -1)])
def test_bad_weeks_or_seed_are_refused(tmp_path, weeks, seed) -> None:
    with pytest.raises(ServiceError, match=r"--weeks|--seed"):
        fill_demo(new_library(tmp_path), weeks=weeks, seed=seed, end=END)
