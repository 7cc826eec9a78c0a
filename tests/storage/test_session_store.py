"""Sessions in the database: recorded once, rebuilt exactly, derived values kept."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sirelief.domain.planner import PlanOptions
from sirelief.domain.records import EventFacts, MorningAnswer
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event
from sirelief.services import ServiceError, Services
from sirelief.storage import database as database_module
from sirelief.storage.event_store import EventIdTakenError
from sirelief.storage.schema import (
    AssessmentRow,
    EventRow,
    PainReportRow,
    ProfileRow,
    SessionRow,
)
from sirelief.storage.store import Store
from tests.clock import MovableClock, at
from tests.statements import counted
from tests.storage import scripted


def count(library: Services, table) -> int:
    with library.database.read() as tx:
        return tx.scalar(select(func.count()).select_from(table))


def test_a_whole_session_is_rebuilt_exactly_from_the_database(library: Services) -> None:
    sessions = library.sessions
    running = scripted.start(sessions)
    events = scripted.run_to_end(running)
    record = library.session_log.session(running.session_id)
    assert record.events == tuple(events)
    assert record.plan == running.plan
    assert record.state == running.state
    assert record.state.ended == "completed"
    assert record.checkin == scripted.CHECKIN
    with library.database.read() as tx:
        row = tx.get(SessionRow, running.session_id)
        assert (row.status, row.max_pain, row.ended_at) == ("completed", 4, events[-1].at)


def test_assessment_values_and_pain_reports_are_stored_by_point(library: Services) -> None:
    running = scripted.start(library.sessions)
    scripted.run_to_end(running)
    with library.database.read() as tx:
        values = tx.execute(
            select(AssessmentRow.point, AssessmentRow.region, AssessmentRow.side,
                   AssessmentRow.value).order_by(AssessmentRow.at, AssessmentRow.region,
                                                 AssessmentRow.side)
        ).all()  # fmt: skip
        pains = tx.scalars(select(PainReportRow.pain).order_by(PainReportRow.at)).all()
    assert len(values) == 3 * 3 * 2
    assert ("baseline", "hip", "right", 7.0) in values
    assert ("mid", "hip", "right", 3.0) in values
    assert ("final", "ankle", "left", 2.0) in values
    assert pains == [4, 3, 2]


def test_replaying_an_event_id_changes_nothing(library: Services) -> None:
    running = scripted.start(library.sessions)
    events = scripted.run_to_end(running)
    rows = [count(library, table) for table in (EventRow, AssessmentRow, PainReportRow)]
    log = library.session_log
    for event in events:
        assert not log.append_event(running.session_id, event, _no_facts())
    # A retry with the same id but different content is still the same event: ignored.
    changed = events[3].model_copy(update={"at": 9e9})
    assert not log.append_event(running.session_id, changed, _no_facts())
    assert [count(library, t) for t in (EventRow, AssessmentRow, PainReportRow)] == rows
    assert log.session(running.session_id).events == tuple(events)


def _no_facts() -> EventFacts:
    return EventFacts()


def test_an_interrupted_session_resumes_at_its_step(library: Services) -> None:
    sessions = library.sessions
    running = scripted.start(sessions)
    for number in range(9):
        running.record(scripted.next_event(running, f"x{number}", 100.0 + number))
    another_process = Services(library.settings, MovableClock(scripted.START))  # same morning
    resumed = another_process.sessions.latest_unfinished()
    another_process.close()
    assert resumed.session_id == running.session_id
    assert resumed.state.index == running.state.index == 8
    assert resumed.state == running.state


def test_no_unfinished_session_is_a_clear_error(library: Services) -> None:
    sessions = library.sessions
    scripted.run_to_end(scripted.start(sessions))
    with pytest.raises(ServiceError, match="no unfinished session to resume; start one"):
        sessions.latest_unfinished()


def test_a_red_flag_is_kept_as_a_stop_and_no_session_exists(library: Services) -> None:
    sessions = library.sessions
    flagged = scripted.CHECKIN.model_copy(update={"red_flags": ["saddle-numbness"]})
    decision = at(sessions, scripted.START).start(flagged, None, PlanOptions())
    assert isinstance(decision, StopDecision)
    [stop] = library.checkin_store.stops()
    assert stop["urgency"] == decision.urgency == "emergency"
    assert count(library, SessionRow) == 0


def test_the_morning_answer_feeds_the_next_dose(library: Services) -> None:
    sessions = library.sessions
    first = scripted.start(sessions)
    scripted.run_to_end(first)
    answer = MorningAnswer(False, 6, scripted.START + timedelta(hours=20))
    at(sessions, answer.answered_at).answer_morning(first.session_id, answer.settled, answer.pain)
    assert library.session_log.session(first.session_id).morning == answer
    second = scripted.start(sessions, day=1)
    assert second.plan.dose_decision == "regress"
    assert any("not settled by the next morning" in reason for reason in second.plan.reasons)


def test_events_for_an_unknown_session_are_refused(library: Services) -> None:
    with pytest.raises(KeyError):
        library.session_log.append_event("nope", Event(id="a", at=1, kind="start"), _no_facts())


def test_session_ids_and_sessions_noted(library: Services) -> None:
    sessions = library.sessions
    first, second = scripted.start(sessions), scripted.start(sessions, day=1)
    log = library.session_log
    assert log.session_ids() == {first.session_id, second.session_id}
    log.add_note("sirelief demo data (seed 0)", scripted.START, first.session_id)
    log.add_note("sirelief demo data, but loose", scripted.START)  # no session
    log.add_note("my own words", scripted.START, second.session_id)
    log.add_note("sirelief demo%data", scripted.START, second.session_id)  # % is literal
    assert log.sessions_noted("sirelief demo data") == {first.session_id}
    assert log.sessions_noted("nothing like it") == set()


def test_sessions_since_loads_only_the_window_each_session_whole(
    library: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's query: sessions created at or after ``since``, newest first, each with
    its own events, check-in and morning answer (loaded together, in IN lists of 2 here)."""
    monkeypatch.setattr(database_module, "IN_LIST_SIZE", 2)
    sessions = library.sessions
    started = [scripted.start(sessions, day=day, seed=day) for day in range(5)]
    recorded = {running.session_id: () for running in started}
    for day, running in enumerate(started[:4]):
        events = scripted.run_to_end(running, prefix=f"d{day}-", shift=day % 2)
        recorded[running.session_id] = tuple(events)
    answer = MorningAnswer(True, 2, scripted.START + timedelta(days=2, hours=20))
    at(sessions, answer.answered_at).answer_morning(
        started[2].session_id, answer.settled, answer.pain
    )
    with library.database.write() as tx:
        tx.add(ProfileRow(id="someoneelse", name="Them", created_at=scripted.START))
    them = _Services(library.settings, Store(library.database, "someoneelse", clock=library.clock))
    theirs = scripted.start(them.sessions, day=3)
    scripted.run_to_end(theirs, prefix="them-")

    recent = library.session_log.sessions(since=scripted.START + timedelta(days=1))
    assert [r.id for r in recent] == [s.session_id for s in reversed(started[1:])]
    for record, running in zip(recent, reversed(started[1:]), strict=True):
        assert record.events == recorded[record.id]
        assert record.plan == running.plan
        assert record.state == running.state
        assert record.checkin == scripted.CHECKIN
    assert [r.morning for r in recent] == [None, None, answer, None]
    assert library.session_log.sessions(since=scripted.START + timedelta(days=9)) == []
    finished = library.session_log.sessions(limit=2, status="completed")
    assert [r.id for r in finished] == [started[3].session_id, started[2].session_id]
    assert [r.id for r in them.session_log.sessions()] == [theirs.session_id]


class _Services(Services):
    """Use cases whose store is another profile's."""

    def __init__(self, settings, store: Store) -> None:
        super().__init__(settings, MovableClock())
        self.__dict__["store"] = store


def test_an_id_another_session_holds_is_refused_and_nothing_written(library: Services) -> None:
    first = scripted.start(library.sessions).session_id
    second = scripted.start(library.sessions).session_id
    log = library.session_log
    event = Event(id="taken", at=1000.0, kind="start")
    assert log.append_event(first, event, _no_facts())
    with pytest.raises(EventIdTakenError):
        log.append_event(second, event, _no_facts())
    assert log.event_ids(second) == []
    assert log.event_ids(first) == ["taken"]


def test_recording_an_event_sends_three_statements(library: Services) -> None:
    """A session read again (the events since), the session's lock, the insert: the event
    POST's whole conversation with the database (BEGIN and COMMIT aside). A retry adds the
    one look that tells it from an id of another session. More is a round trip per POST on
    PostgreSQL (bench/server.py)."""
    running = scripted.start(library.sessions)
    library.sessions.record_all(running.session_id, [Event(id="s0", at=1000.0, kind="start")])
    with counted() as statements:
        library.sessions.record_all(running.session_id, [Event(id="p1", at=1001.0, kind="pause")])
    assert len(sent(statements)) == 3, statements
    with counted() as statements:
        library.sessions.record_all(running.session_id, [Event(id="p1", at=1001.0, kind="pause")])
    assert len(sent(statements)) == 4, statements
    assert library.session_log.event_ids(running.session_id) == ["s0", "p1"]


def sent(statements: list[str]) -> list[str]:
    """The statements but BEGIN (a statement on SQLite, part of the driver on PostgreSQL)."""
    return [statement for statement in statements if not statement.startswith("BEGIN")]
