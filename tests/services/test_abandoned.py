"""Sessions left open for more than 12 hours are closed as abandoned, never deleted."""

from datetime import timedelta

from sirelief.domain.checkin import CheckIn
from sirelief.domain.planner import PlanOptions
from sirelief.domain.session import Event
from sirelief.services import Services
from tests.clock import MovableClock
from tests.services.conftest import MONDAY

CHECKIN = CheckIn.model_validate({
    "pain": 3,
    "tightness": {"hip": {"left": 3, "right": 6}, "hamstrings_adductors": {"left": 2, "right": 4},
                  "ankle": {"left": 3, "right": 5}},
    "minutes": 20, "equipment": ["mat"],
})  # fmt: skip


def start(services: Services):
    return services.sessions.start(CHECKIN, None, PlanOptions())


def test_a_session_untouched_for_over_12_hours_is_closed_as_abandoned(
    services: Services, clock: MovableClock
) -> None:
    running = start(services)
    running.record(Event(id="s1", at=MONDAY.timestamp() + 5, kind="start", step=0))
    clock.set(MONDAY + timedelta(hours=12, seconds=4))
    assert services.sessions.unfinished() is not None  # 12 hours since the start: not yet
    clock.set(MONDAY + timedelta(hours=12, seconds=6))
    assert services.sessions.unfinished() is None
    record = services.sessions.record_of(running.session_id)  # kept, with what was done
    assert record.state.ended == "abandoned"
    assert [event.kind for event in record.events] == ["start", "abandon"]
    assert [entry.status for entry in services.data.history(limit=5)] == ["abandoned"]


def test_the_last_thing_done_counts_not_when_it_was_planned(
    services: Services, clock: MovableClock
) -> None:
    running = start(services)
    later = MONDAY + timedelta(hours=11)
    running.record(Event(id="s1", at=later.timestamp(), kind="start", step=0))
    clock.set(MONDAY + timedelta(hours=20))
    assert services.sessions.unfinished().session_id == running.session_id


def test_a_planned_session_never_started_is_closed_too_and_finished_ones_are_left(
    services: Services, clock: MovableClock
) -> None:
    old = start(services)
    old.record(Event(id="s1", at=MONDAY.timestamp(), kind="start", step=0))
    old.record(Event(id="e1", at=MONDAY.timestamp() + 9, kind="end"))
    planned = start(services)
    clock.set(MONDAY + timedelta(days=2))
    assert services.sessions.close_abandoned() == [planned.session_id]
    assert services.sessions.record_of(old.session_id).state.ended == "stopped"
    assert services.sessions.close_abandoned() == []  # closed once
