"""The audit use case: access lines (never for the owner, reads collapsed within ten
minutes), who looked at a client's data, and the admin's paged log (issue 17 item 5)."""

from datetime import timedelta

import pytest

from sirelief.domain.audit import CHANGED, READ
from sirelief.services import ServiceError, Services
from sirelief.services.audit import PAGE_SIZE
from tests.clock import MovableClock
from tests.services.clinic_world import World, bound_to, clinic_world
from tests.storage.scripted import start


@pytest.fixture
def world(services: Services) -> World:
    return clinic_world(services)


def reads_by(services: Services, world: World, actor_id: str) -> list:
    return [
        line.entry
        for line in services.audit.log(world.admin, world.client.user_id).lines
        if line.entry.actor_id == actor_id and line.entry.action in (READ, CHANGED)
    ]


def test_the_owner_and_personal_mode_never_write(services: Services, world: World) -> None:
    audit = services.audit
    assert not audit.record_access(world.client, world.client.user_id, READ, "history")
    assert not audit.record_access(world.client, world.client.user_id, CHANGED, "notes/1")
    assert not audit.record_access(None, world.client.user_id, READ, "history")
    assert reads_by(services, world, world.client.user_id) == []


def test_reads_within_ten_minutes_collapse_into_one_line(
    services: Services, world: World, clock: MovableClock
) -> None:
    audit, coach, client = services.audit, world.coach, world.client.user_id
    start_at = clock.now
    assert audit.record_access(coach, client, READ, "sessions/s1")
    clock.set(start_at + timedelta(minutes=9, seconds=55))
    assert not audit.record_access(coach, client, READ, "sessions/s1")
    assert audit.record_access(coach, client, READ, "sessions/s2")  # another object
    assert audit.record_access(world.admin, client, READ, "sessions/s1")  # another actor
    for second in (56, 57):
        clock.set(start_at + timedelta(minutes=9, seconds=second))
        assert audit.record_access(coach, client, CHANGED, "sessions/s1")  # changes always
    clock.set(start_at + timedelta(minutes=10))
    assert audit.record_access(coach, client, READ, "sessions/s1")  # the window is past
    lines = reads_by(services, world, coach.user_id)
    assert [(e.action, e.object) for e in reversed(lines)] == [
        (READ, "sessions/s1"), (READ, "sessions/s2"), (CHANGED, "sessions/s1"),
        (CHANGED, "sessions/s1"), (READ, "sessions/s1"),
    ]  # fmt: skip


def test_collapsing_holds_across_processes(
    services: Services, world: World, clock: MovableClock
) -> None:
    """A second worker has nothing in memory: it asks the database and writes no line."""
    assert services.audit.record_access(world.coach, world.client.user_id, READ, "history")
    other_worker = Services(services.settings, clock)
    try:
        clock.set(clock.now + timedelta(minutes=3))
        assert not other_worker.audit.record_access(
            world.coach, world.client.user_id, READ, "history"
        )
    finally:
        other_worker.close()
    assert len(reads_by(services, world, world.coach.user_id)) == 1


def test_who_looked_shows_others_in_plain_words_and_not_own_reads(
    services: Services, world: World, clock: MovableClock
) -> None:
    bound = bound_to(services, world.client_account)
    try:
        session_id = start(bound.sessions).session_id  # made on Mon 2 Nov 2026
    finally:
        bound.close()
    audit, client = services.audit, world.client.user_id
    clock.set(clock.now + timedelta(days=1))
    audit.record_access(world.client, client, READ, f"sessions/{session_id}")
    audit.record_access(world.coach, client, READ, f"sessions/{session_id}")
    clock.set(clock.now + timedelta(hours=1))
    audit.record_access(world.admin, client, CHANGED, "precautions")
    audit.record_access(world.coach, world.other.user_id, READ, "history")  # someone else's
    looks = audit.who_looked(world.client)
    assert [look.sentence() for look in looks] == [
        "Admin ada changed your precautions",
        "Coach sam read your session of 2 Nov",
    ]
    assert looks[0].at > looks[1].at
    assert audit.who_looked(world.other)[0].sentence() == "Coach sam read your history"


def test_who_looked_survives_a_deleted_session(services: Services, world: World) -> None:
    services.audit.record_access(world.coach, world.client.user_id, READ, "sessions/gone")
    (look,) = services.audit.who_looked(world.client)
    assert look.sentence() == "Coach sam read your session"


def test_the_log_is_for_admins_paged_newest_first_and_filtered(
    services: Services, world: World, clock: MovableClock
) -> None:
    with pytest.raises(ServiceError, match="only an admin"):
        services.audit.log(world.coach)
    for minute in range(PAGE_SIZE + 5):
        clock.set(clock.now + timedelta(minutes=11))
        services.audit.record_access(world.coach, world.client.user_id, READ, f"n/{minute}")
    clock.set(clock.now + timedelta(seconds=1))
    services.audit.record_access(world.coach, world.other.user_id, READ, "history")
    first = services.audit.log(world.admin, world.client.user_id)
    assert (first.page, first.pages, first.total) == (1, 2, PAGE_SIZE + 5 + 1)
    times = [line.entry.at for line in first.lines]
    assert times == sorted(times, reverse=True)
    assert first.lines[0].entry.object == f"n/{PAGE_SIZE + 4}"
    assert {line.actor.name for line in first.lines} == {"sam"}
    assert {line.subject.name for line in first.lines} == {"cleo"}
    second = services.audit.log(world.admin, world.client.user_id, page=2)
    assert len(second.lines) == 6  # 5 reads and the account's creation
    everyone = services.audit.log(world.admin)
    assert everyone.lines[0].entry.subject_account_id == world.other.user_id
