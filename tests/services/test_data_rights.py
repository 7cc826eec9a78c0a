"""Data rights per account: a client's export carries their audit lines; deleting removes
the profile's rows, the account and its logins; an admin's deletion leaves a line in the
log that outlives the account (issue 17 item 7)."""

import io
import json
import zipfile
from datetime import timedelta

import pytest

from sirelief.domain.audit import DELETED, EXPORTED, READ
from sirelief.services import ServiceError, Services
from sirelief.services.data_rights import NoSuchClientError
from tests.clock import MovableClock
from tests.services.clinic_world import PASSWORD, World, bound_to, clinic_world
from tests.storage.scripted import start


@pytest.fixture
def world(services: Services) -> World:
    return clinic_world(services)


@pytest.fixture
def session_id(services: Services, world: World) -> str:
    """A session in the client's profile."""
    bound = bound_to(services, world.client_account)
    try:
        return start(bound.sessions).session_id
    finally:
        bound.close()


def test_the_export_holds_the_clients_data_and_audit_lines(
    services: Services, world: World, session_id: str, clock: MovableClock
) -> None:
    services.accounts.sign_in("cleo", PASSWORD, address="192.0.2.7")
    services.accounts.sign_in("sam", PASSWORD, address="192.0.2.99")
    services.audit.record_access(world.coach, world.client.user_id, READ, f"sessions/{session_id}")
    rights = services.data_rights
    document = json.loads(rights.export("json", world.client_account, by=world.client))
    assert [s["id"] for s in document["sessions"]] == [session_id]
    assert document["profile"]["id"] == world.client_account.profile_id
    lines = {line["action"]: line for line in document["audit"]}
    assert set(lines) == {"account added (client)", "signed in", READ}
    assert lines["signed in"]["address"] == "192.0.2.7"  # their own
    assert lines[READ]["actor_name"] == "sam"
    assert lines[READ]["actor_role"] == "coach"
    assert lines[READ]["object"] == f"sessions/{session_id}"
    assert "192.0.2.99" not in json.dumps(document)  # another person's address is not theirs
    archive = zipfile.ZipFile(io.BytesIO(rights.export("csv", world.client_account)))
    audit_csv = archive.read("sirelief-export/audit.csv").decode()
    assert audit_csv.splitlines()[0].startswith("at,action,actor_id,actor_name")
    assert "sam" in audit_csv


def test_the_owners_export_is_not_logged_but_an_admins_is(
    services: Services, world: World, clock: MovableClock
) -> None:
    rights = services.data_rights
    rights.export("json", world.client_account, by=world.client)
    assert services.audit.who_looked(world.client) == []
    clock.set(clock.now + timedelta(seconds=1))
    document = json.loads(rights.export("json", world.client_account, by=world.admin))
    assert document["audit"][-1]["action"] == EXPORTED  # the file shows it too
    (look,) = services.audit.who_looked(world.client)
    assert look.sentence() == "Admin ada exported all your data"


def test_personal_mode_exports_the_one_profile_with_no_audit_lines(services: Services) -> None:
    document = json.loads(services.data_rights.export("json"))
    assert document["audit"] == []
    assert document == json.loads(services.data.export("json"))
    with pytest.raises(ServiceError, match="format: choose json, csv or fhir"):
        services.data_rights.export("xml")


def test_deleting_needs_the_password_and_the_word(
    services: Services, world: World, session_id: str
) -> None:
    rights = services.data_rights
    with pytest.raises(ServiceError, match="confirmation: type DELETE"):
        rights.delete_own(world.client, PASSWORD, "yes")
    with pytest.raises(ServiceError, match="password: that is not your password"):
        rights.delete_own(world.client, "not my password", "DELETE")
    assert json.loads(rights.export("json", world.client_account))["sessions"]
    with pytest.raises(ServiceError, match="holds no exercise data"):
        rights.delete_own(world.coach, PASSWORD, "delete")


def test_wrong_passwords_are_slowed_like_sign_ins(
    services: Services, world: World, clock: MovableClock
) -> None:
    rights = services.data_rights
    for wait in (1, 2, 4):
        with pytest.raises(ServiceError, match="not your password"):
            rights.delete_own(world.client, "guess", "delete")
        with pytest.raises(ServiceError, match=f"try again in {wait} s"):
            rights.delete_own(world.client, PASSWORD, "delete")  # not even checked
        clock.set(clock.now + timedelta(seconds=wait))
    assert rights.delete_own(world.client, PASSWORD, " Delete ")["accounts"] == 1


def test_deleting_removes_the_data_the_account_and_its_logins(
    services: Services, world: World, session_id: str
) -> None:
    token = services.accounts.sign_in("cleo", PASSWORD)
    assert services.accounts.actor_for(token) is not None
    counts = services.data_rights.delete_own(world.client, PASSWORD, "DELETE", "192.0.2.7")
    assert counts["sessions"] == 1
    assert counts["profiles"] == 1
    assert counts["logins"] == 1
    assert services.accounts.actor_for(token) is None
    assert "cleo" not in {a.user_name for a in services.accounts.list_users()}
    with pytest.raises(ServiceError, match="user name or the password is wrong"):
        services.accounts.sign_in("cleo", PASSWORD)
    other = bound_to(services, world.client_account)  # nothing left under that profile
    try:
        assert other.session_log.session_ids() == set()
    finally:
        other.close()


def test_an_admins_deletion_leaves_a_line_that_outlives_the_account(
    services: Services, world: World, session_id: str
) -> None:
    rights = services.data_rights
    with pytest.raises(NoSuchClientError):
        rights.delete_for_client(world.coach, world.client.user_id, "delete")
    with pytest.raises(NoSuchClientError):
        rights.delete_for_client(world.admin, world.coach.user_id, "delete")
    rights.delete_for_client(world.admin, world.client.user_id, "delete")
    with pytest.raises(NoSuchClientError):
        rights.delete_for_client(world.admin, world.client.user_id, "delete")
    lines = services.audit.log(world.admin, world.client.user_id).lines
    deleted = [line for line in lines if line.entry.action == DELETED]
    assert len(deleted) == 1
    (line,) = deleted
    assert line.entry.actor_id == world.admin.user_id
    assert line.entry.object == f"accounts/{world.client.user_id}"
    assert line.actor.name == "ada"
    assert line.subject.name is None  # the name went with the account; the id stays


def test_personal_mode_deletion_is_the_clis(services: Services, clock: MovableClock) -> None:
    start(services.sessions)
    with pytest.raises(ServiceError, match="type DELETE"):
        services.data_rights.delete_personal("del")
    assert not services.data.is_empty()
    counts = services.data_rights.delete_personal("DELETE\n")
    assert counts["sessions"] == 1
    assert services.data.is_empty()
    start(services.sessions)  # the store looks its profile up again: life goes on
    assert not services.data.is_empty()
