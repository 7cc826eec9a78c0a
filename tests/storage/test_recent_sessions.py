"""Reading a session again fetches only what was added, and never shows anything stale.

A second Services on the same database stands for another process (the terminal, a second
server): whatever it writes, the first one's next read must show.
"""

from datetime import timedelta

import pytest

from sirelief.domain.records import MorningAnswer
from sirelief.services import Services
from sirelief.settings import Settings
from sirelief.storage.recent_sessions import RecentSessions
from tests.clock import MovableClock, at
from tests.storage import scripted


@pytest.fixture
def other(library: Services) -> Services:
    """Another process's view of the same database."""
    second = Services(Settings(database_url=library.settings.database_url), MovableClock())
    yield second
    second.close()


def test_events_written_elsewhere_are_seen_on_the_next_read(library, other) -> None:
    running = scripted.start(library.sessions)
    first = scripted.next_event(running, "a0", 1000.0)
    running.record(first)
    assert library.session_log.session(running.session_id).events == (first,)

    elsewhere = other.sessions.load(running.session_id)
    rest = scripted.run_to_end(elsewhere, prefix="b", at=2000.0)
    again = library.session_log.session(running.session_id)
    assert again.events == (first, *rest)
    # the state folded from the kept record equals a full replay, to the last field
    assert again.state == other.session_log.session(running.session_id).state
    assert again.state.ended == "completed"
    fresh = Services(Settings(database_url=library.settings.database_url), MovableClock())
    try:
        assert fresh.session_log.session(running.session_id).state == again.state
    finally:
        fresh.close()


def test_a_session_deleted_elsewhere_is_gone(library, other) -> None:
    running = scripted.start(library.sessions)
    library.session_log.session(running.session_id)
    other.store.delete_profile()
    with pytest.raises(KeyError):
        library.session_log.session(running.session_id)


def test_a_morning_answer_given_elsewhere_is_seen(library, other) -> None:
    running = scripted.start(library.sessions)
    scripted.run_to_end(running)
    assert library.session_log.session(running.session_id).morning is None
    answer = MorningAnswer(True, 2, scripted.START + timedelta(days=1))
    at(other.sessions, answer.answered_at).answer_morning(
        running.session_id, answer.settled, answer.pain
    )
    assert library.session_log.session(running.session_id).morning == answer


def test_a_session_deleted_through_the_same_store_is_not_read_from_memory(library) -> None:
    running = scripted.start(library.sessions)
    library.session_log.session(running.session_id)
    library.store.delete_profile()
    with pytest.raises(KeyError):
        library.session_log.session(running.session_id)


def test_only_the_most_recent_sessions_are_kept(library) -> None:
    sessions = library.sessions
    log = library.session_log
    log._recent = RecentSessions(size=2)
    ids = [scripted.start(sessions, day=day).session_id for day in range(3)]
    for session_id in ids:
        log.session(session_id)
    assert log._recent.get(ids[0]) is None
    assert [log._recent.get(i).record.id for i in ids[1:]] == ids[1:]


def test_versions_change_with_every_event_and_morning_answer_written_anywhere(
    library, other
) -> None:
    """``SessionLog.versions`` is what the coach's dashboard trusts to keep its digest:
    equal versions must mean equal records, on SQLite and on PostgreSQL."""
    log = library.session_log
    running = scripted.start(library.sessions)
    since = library.clock() - timedelta(days=1)
    planned = log.versions(since)
    assert [row[:2] for row in planned] == [(running.session_id, None)]
    running.record(scripted.next_event(running, "a0", 1000.0))
    one_event = log.versions(since)
    assert one_event[0][1] == 1
    elsewhere = other.sessions.load(running.session_id)
    scripted.run_to_end(elsewhere, prefix="b", at=2000.0)
    ended = log.versions(since)
    assert ended[0][1] == len(other.session_log.session(running.session_id).events)
    other.session_log.save_morning_answer(
        running.session_id, MorningAnswer(settled=True, pain=2, answered_at=library.clock())
    )
    settled = log.versions(since)
    other.session_log.save_morning_answer(
        running.session_id, MorningAnswer(settled=False, pain=2, answered_at=library.clock())
    )
    changed_mind = log.versions(since)
    assert len({planned, one_event, ended, settled, changed_mind}) == 5
    assert log.versions(since) == changed_mind  # nothing written: the same
    assert log.versions(library.clock() + timedelta(days=1)) == ()
