"""Templates, their versions and assignments on SQLite and PostgreSQL (issue 18 item 2)."""

from datetime import timedelta

import pytest

from sirelief.domain.access import Role
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.coaching_store import CoachingStore
from sirelief.storage.database import Database
from sirelief.storage.schema import AccountRow
from tests.storage.test_accounts_store import NOW, account, entry

SCHEDULE = {"days": ["mon"], "moment": "morning", "at": None}


@pytest.fixture
def people(database: Database) -> dict:
    accounts = AccountsStore(database)
    accounts.install(account("ann"), "hash", entry("set up"))
    north = accounts.add_clinic("North", NOW, entry("clinic added"))
    south = accounts.add_clinic("South", NOW, entry("clinic added"))
    found = {"north": north, "south": south}
    people = (("sam", Role.COACH, north), ("kim", Role.COACH, north),
              ("ben", Role.COACH, south), ("cleo", Role.CLIENT, north))  # fmt: skip
    for name, role, clinic in people:
        found[name] = account(name, role, clinic)
        assert accounts.add_account(found[name], "hash", entry("added", found[name]))
    return found


def test_versions_number_up_per_author_and_routine(database: Database, people) -> None:
    store = CoachingStore(database)
    north, sam, kim = people["north"].id, people["sam"].id, people["kim"].id
    first = store.add_version(north, sam, "hips", "Hips", "hips.yaml", "id: hips\n", NOW)
    second = store.add_version(north, sam, "hips", "Hips 2", "hips.yaml", "id: hips #2\n", NOW)
    theirs = store.add_version(north, kim, "hips", "Kim's hips", "k.yaml", "id: hips\n", NOW)
    assert (first.version, second.version, theirs.version) == (1, 2, 1)
    assert first.template_id == second.template_id != theirs.template_id
    assert [v.source for v in store.versions(first.template_id)] == ["id: hips #2\n", "id: hips\n"]
    template = store.template(first.template_id)
    assert (template.latest.name, template.author_name, template.shared) == ("Hips 2", "Sam", False)
    assert store.owner_of_template(first.template_id) == (north, sam)
    assert store.owner_of_template("0" * 32) is None


def test_a_coach_lists_their_own_and_the_shared_ones_of_their_clinic(
    database: Database, people
) -> None:
    store = CoachingStore(database)
    north, south = people["north"].id, people["south"].id
    mine = store.add_version(north, people["sam"].id, "a", "A", "a.yaml", "id: a", NOW)
    kims = store.add_version(north, people["kim"].id, "b", "B", "b.yaml", "id: b", NOW)
    store.add_version(south, people["ben"].id, "c", "C", "c.yaml", "id: c", NOW)
    assert [t.id for t in store.templates(north, people["sam"].id)] == [mine.template_id]
    store.set_shared(kims.template_id, True)
    assert [t.routine_id for t in store.templates(north, people["sam"].id)] == ["a", "b"]
    assert [t.routine_id for t in store.templates(south, people["ben"].id)] == ["c"]
    assert len(store.templates(None, None)) == 3


def test_an_assignment_is_a_copy_and_a_new_one_ends_the_old(database: Database, people) -> None:
    store = CoachingStore(database)
    north, sam, cleo = people["north"].id, people["sam"].id, people["cleo"].id
    version = store.add_version(north, sam, "hips", "Hips", "hips.yaml", "id: hips\n", NOW)
    first = store.assign(cleo, sam, "Sam", version, "hips", SCHEDULE, "slowly", NOW)
    store.add_version(north, sam, "hips", "Hips 2", "hips.yaml", "changed\n", NOW)
    later = NOW + timedelta(days=1)
    second = store.assign(cleo, sam, "Sam", version, "hips", SCHEDULE, None, later)
    history = store.assignments(cleo)
    assert [(a.id, a.ended_at) for a in history] == [(second.id, None), (first.id, later)]
    assert history[1].source == "id: hips\n"
    with database.read() as tx:
        profile = tx.get(AccountRow, cleo).profile_id
    assert store.active_for_profile(profile).id == second.id
    assert store.end_assignment(cleo, later)
    assert store.active_for_profile(profile) is None
    assert not store.end_assignment(cleo, later)


def test_deleting_the_client_deletes_their_assignments(database: Database, people) -> None:
    store = CoachingStore(database)
    north, sam, cleo = people["north"].id, people["sam"].id, people["cleo"].id
    version = store.add_version(north, sam, "hips", "Hips", "hips.yaml", "id: hips\n", NOW)
    store.assign(cleo, sam, "Sam", version, "hips", SCHEDULE, "a note", NOW)
    assert AccountsStore(database).delete_client(cleo, entry("deleted")) is not None
    assert store.assignments(cleo) == []
    assert store.template(version.template_id) is not None  # the coach's template stays
