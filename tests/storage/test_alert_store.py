"""The alerts table on SQLite and PostgreSQL: insert-if-absent keeps one row per cause,
even from several processes at once, and an email is claimed by one sender only."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sirelief.domain.alerts import DueAlert
from sirelief.services import Services
from sirelief.services.data_rights import CONFIRM_WORD
from sirelief.settings import Settings
from sirelief.storage.alert_store import AlertStore
from sirelief.storage.database import Database
from sirelief.storage.schema import AlertRow
from tests.clock import MovableClock
from tests.services.clinic_support import run_together
from tests.services.clinic_world import World, clinic_world

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    services = Services(Settings(data_dir=tmp_path, database_url=database_url), MovableClock(NOW))
    yield services
    services.close()


@pytest.fixture
def world(services: Services) -> World:
    world = clinic_world(services)
    services.accounts.assign("sam", "cleo")
    return world


def alert(world: World, cause: str = "checkin:k1") -> DueAlert:
    return DueAlert(world.client.user_id, "high_pain", cause, NOW, "They gave their pain as 9.")


def rows(services: Services) -> int:
    with services.database.read() as tx:
        return tx.scalar(select(func.count()).select_from(AlertRow))


def test_the_same_cause_is_stored_once(services: Services, world: World) -> None:
    store = AlertStore(services.database)
    coach = world.coach.user_id
    [made] = store.add_if_absent(coach, [alert(world)], NOW)
    assert store.add_if_absent(coach, [alert(world), alert(world, "checkin:k2")], NOW)
    assert store.add_if_absent(coach, [alert(world), alert(world, "checkin:k2")], NOW) == []
    assert rows(services) == 2
    [shown] = store.alerts_with_ids([made])
    assert (shown.client_name, shown.happened_at, shown.sent_at) == ("cleo", NOW, None)


def test_several_processes_raising_the_same_cause_keep_one_row(
    services: Services, world: World
) -> None:
    databases = [Database(services.settings.database_location) for _ in range(4)]
    made: list[str] = []
    try:
        run_together([
            lambda db=db: made.extend(
                AlertStore(db).add_if_absent(world.coach.user_id, [alert(world)], NOW)
            )
            for db in databases
        ])  # fmt: skip
    finally:
        for database in databases:
            database.close()
    assert len(made) == 1
    assert rows(services) == 1


def test_an_email_is_claimed_by_one_sender_until_the_claim_goes_stale(
    services: Services, world: World
) -> None:
    store = AlertStore(services.database)
    [made] = store.add_if_absent(world.coach.user_id, [alert(world)], NOW)
    stale = timedelta(minutes=10)
    assert store.claim(made, NOW, stale)
    assert not store.claim(made, NOW + timedelta(minutes=5), stale)
    assert store.claim(made, NOW + timedelta(minutes=11), stale)  # its sender died
    store.release(made)
    assert store.claim(made, NOW + timedelta(minutes=12), stale)
    store.mark_sent(made, NOW + timedelta(minutes=12))
    assert not store.claim(made, NOW + timedelta(hours=1), stale)
    assert store.unsent(NOW - timedelta(days=1)) == []


def test_deleting_a_client_takes_their_alerts(services: Services, world: World) -> None:
    store = AlertStore(services.database)
    store.add_if_absent(world.coach.user_id, [alert(world)], NOW)
    services.data_rights.delete_for_client(world.admin, world.client.user_id, CONFIRM_WORD)
    assert rows(services) == 0
