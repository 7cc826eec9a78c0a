"""The planner's dose from history: progress a little, repeat, or regress, each with a reason."""

import pytest

from sirelief.domain.monitoring import PastSession
from tests.domain.planner_support import (
    PROGRESS,
    REGRESS,
    REPEAT,
    ROUTINES,
    STRETCHES,
    checkin,
    first_set_durations,
    plan,
    sets_done,
)


@pytest.mark.parametrize("routine_id", sorted(ROUTINES))
def test_progress_holds_longer_and_regress_shorter_than_repeat(routine_id: str) -> None:
    base = plan(routine_id, checkin(4, 2), history=REPEAT)
    up = plan(routine_id, checkin(4, 2), history=PROGRESS)
    down = plan(routine_id, checkin(4, 2), history=REGRESS)
    assert base.fits
    assert up.fits
    assert down.fits
    durations = first_set_durations(base)
    assert first_set_durations(up).keys() == durations.keys()
    assert first_set_durations(down).keys() == durations.keys()
    for key, seconds in durations.items():
        assert first_set_durations(up)[key] >= seconds, key
        assert first_set_durations(down)[key] <= seconds, key
        assert sets_done(up)[key] >= sets_done(base)[key], key
        assert sets_done(down)[key] <= sets_done(base)[key], key
    # Holds already at 30 s cannot shrink (SPEC 5.7), so a regression may change nothing.
    assert up.total_s > base.total_s >= down.total_s


@pytest.mark.parametrize(
    ("history", "decision", "words_"),
    [
        (PROGRESS, "progress", "progresses"),
        (REPEAT, "repeat", "repeats"),
        (REGRESS, "regress", "low end"),
        ((PastSession(8, True),), "regress", "lighter"),
    ],
)
def test_dose_decision_is_recorded_with_a_reason(
    history: tuple[PastSession, ...], decision: str, words_: str
) -> None:
    p = plan(STRETCHES, checkin(), history=history)
    assert p.dose_decision == decision
    assert p.to_json()["dose_decision"] == decision
    assert any(words_ in r for r in p.reasons)


def test_no_history_means_no_dose_decision() -> None:
    p = plan(STRETCHES, checkin())
    assert p.dose_decision is None
    assert plan(STRETCHES, checkin(), history=(PastSession(9, None),)).dose_decision is None


def test_no_history_is_the_routine_dose_as_written() -> None:
    """Without history the dose is the routine's, the same as a 'repeat' decision."""
    assert plan(STRETCHES, checkin()).steps == plan(STRETCHES, checkin(), history=REPEAT).steps


def test_a_plan_shrunk_to_fit_does_not_claim_to_progress() -> None:
    written = first_set_durations(plan(STRETCHES, checkin()))
    p = plan(STRETCHES, checkin(minutes=15), history=PROGRESS)
    assert p.fits
    assert any(v < written[k] for k, v in first_set_durations(p).items())  # it shrank
    assert not any("progresses a little" in r for r in p.reasons), p.reasons


@pytest.mark.parametrize("routine_id", ["morning-loosen-up", "before-activity"])
def test_progress_is_a_little(routine_id: str) -> None:
    base = plan(routine_id, checkin(), history=REPEAT)
    up = plan(routine_id, checkin(), history=PROGRESS)
    assert up.total_s <= 1.5 * base.total_s, (base.total_s, up.total_s)
