"""A personal database turned into a clinic's, signing an account out everywhere, and
assigning coaches (issue 17: the clinic set-up, items 3 and 8)."""

import json

import pytest
from sqlalchemy import func, select

from sirelief.domain.access import Role
from sirelief.services import ServiceError, Services
from sirelief.services.accounts import Accounts
from sirelief.services.demo import fill_demo
from sirelief.storage.schema import PROFILE_TABLES, CheckInRow, ProfileRow, SessionRow

PASSWORD = "correct horse battery"


def row_counts(services: Services) -> dict[str, int]:
    with services.database.read() as tx:
        return {
            table.__tablename__: tx.scalar(select(func.count()).select_from(table))
            for table in (*PROFILE_TABLES, ProfileRow)
        }


def owners(services: Services, table) -> set[str]:
    with services.database.read() as tx:
        return set(tx.scalars(select(table.profile_id).distinct()))


@pytest.fixture
def personal(services: Services) -> Services:
    """A personal database with three weeks of (made-up) history."""
    fill_demo(services, weeks=3, end=services.clock())
    return services


def test_from_personal_as_client_keeps_every_row_on_the_clients_profile(
    personal: Services,
) -> None:
    before = row_counts(personal)
    assert before["sessions"] > 0
    assert before["checkins"] > 0
    exported = personal.data.export("json")

    client = personal.accounts.setup_from_personal("client", "Sam", PASSWORD, " Home  Gym ")

    assert personal.accounts.clinic_mode()
    assert (client.user_name, client.role, client.clinic_name) == ("sam", Role.CLIENT, "Home Gym")
    assert row_counts(personal) == before  # nothing added, moved or lost
    assert owners(personal, SessionRow) == owners(personal, CheckInRow) == {client.profile_id}
    after = json.loads(personal.data.export("json"))
    assert [line["action"] for line in after.pop("audit")] == [
        "set up from personal data (client)"
    ]  # the one line the change adds is about the client, so it is theirs to see
    assert after == {key: value for key, value in json.loads(exported).items() if key != "audit"}
    token = personal.accounts.sign_in("sam", PASSWORD)
    assert personal.accounts.actor_for(token).role is Role.CLIENT
    [entry] = [e for e in personal.accounts.audit_log() if e.action.startswith("set up")]
    assert (entry.action, entry.subject_account_id) == (
        "set up from personal data (client)", client.id,
    )  # fmt: skip


def test_from_personal_as_admin_keeps_the_profile_on_the_admin(personal: Services) -> None:
    before = row_counts(personal)
    admin = personal.accounts.setup_from_personal("admin", "sam", PASSWORD, "North")
    assert (admin.role, admin.clinic_id) == (Role.ADMIN, None)
    assert owners(personal, SessionRow) == {admin.profile_id}
    assert row_counts(personal) == before
    assert [c.name for c in personal.accounts.clinics()] == ["North"]
    personal.accounts.add_user("coach", "cora", PASSWORD, "North")  # clinic mode works


@pytest.mark.parametrize(
    ("role", "clinic", "password", "reason"),
    [
        ("coach", "North", PASSWORD, "--as: choose client or admin"),
        ("client", None, PASSWORD, "a client belongs to a clinic"),
        ("client", "   ", PASSWORD, "clinic name: use 1 to 120"),
        ("client", "North", "password1", "common and breached"),
    ],
)
def test_from_personal_refusals_write_nothing(
    personal: Services, role: str, clinic: str | None, password: str, reason: str
) -> None:
    before = row_counts(personal)
    with pytest.raises(ServiceError, match=reason):
        personal.accounts.setup_from_personal(role, "sam", password, clinic)
    assert not personal.accounts.clinic_mode()
    assert row_counts(personal) == before
    assert personal.accounts.list_users() == []


def test_from_personal_needs_personal_data_and_runs_once(services: Services) -> None:
    with pytest.raises(ServiceError, match="no personal data here"):
        services.accounts.setup_from_personal("client", "sam", PASSWORD, "North")
    assert not services.accounts.clinic_mode()
    assert services.store.profile_id  # made on first use of personal mode
    services.accounts.setup_from_personal("client", "sam", PASSWORD, "North")
    with pytest.raises(ServiceError, match="already set up"):
        services.accounts.setup_from_personal("client", "kim", PASSWORD, "South")


def test_the_password_is_asked_only_once_role_and_clinic_are_right(services: Services) -> None:
    services.accounts.setup("admin", PASSWORD)
    asked = []

    def ask() -> str:
        asked.append(True)
        return PASSWORD

    with pytest.raises(ServiceError, match="no clinic named"):
        services.accounts.add_user("coach", "cora", ask, "Nowhere")
    assert asked == []
    services.accounts.add_clinic("North")
    assert services.accounts.add_user("coach", "cora", ask, "North").user_name == "cora"
    assert asked == [True]


@pytest.fixture
def clinic(services: Services) -> Accounts:
    accounts = services.accounts
    accounts.setup("admin", PASSWORD)
    for name in ("North", "South"):
        accounts.add_clinic(name)
    for role, name, where in [("coach", "cora", "North"), ("client", "cleo", "North"),
                              ("client", "dan", "South"), ("coach", "sol", "South")]:  # fmt: skip
        accounts.add_user(role, name, PASSWORD, where)
    return accounts


def test_signing_out_everywhere_ends_every_login_of_that_account_only(clinic: Accounts) -> None:
    phone, laptop = clinic.sign_in("cleo", PASSWORD), clinic.sign_in("cleo", PASSWORD)
    other = clinic.sign_in("cora", PASSWORD)
    assert clinic.sign_out_everywhere("Cleo") == 2
    assert clinic.actor_for(phone) is clinic.actor_for(laptop) is None
    assert clinic.actor_for(other) is not None
    assert clinic.sign_out_everywhere("cleo") == 0
    cleo = clinic.store.credentials("cleo").account
    entries = [e for e in clinic.audit_log() if e.action == "signed out everywhere"]
    assert [e.subject_account_id for e in entries] == [cleo.id, cleo.id]
    clinic.sign_in("cleo", PASSWORD)  # signing out is not disabling
    with pytest.raises(ServiceError, match="no user named 'nobody'"):
        clinic.sign_out_everywhere("nobody")


def test_a_coach_sees_a_client_once_assigned_and_no_longer_once_unassigned(
    clinic: Accounts,
) -> None:
    token = clinic.sign_in("cora", PASSWORD)
    cleo = clinic.store.credentials("cleo").account
    assert clinic.actor_for(token).assigned_client_ids == frozenset()

    clinic.assign("Cora", "cleo")
    assert clinic.actor_for(token).assigned_client_ids == {cleo.id}
    with pytest.raises(ServiceError, match="'cora' already coaches 'cleo'"):
        clinic.assign("cora", "cleo")

    clinic.unassign("cora", "cleo")
    assert clinic.actor_for(token).assigned_client_ids == frozenset()
    with pytest.raises(ServiceError, match="'cora' does not coach 'cleo'"):
        clinic.unassign("cora", "cleo")
    entries = [e for e in clinic.audit_log() if e.action.startswith("coach")]
    cora = clinic.store.credentials("cora").account
    assert sorted((e.action, e.subject_account_id, e.object) for e in entries) == [
        ("coach assigned", cleo.id, f"accounts/{cora.id}"),
        ("coach unassigned", cleo.id, f"accounts/{cora.id}"),
    ]  # one clock time: the log orders them by id


@pytest.mark.parametrize(
    ("coach", "client", "reason"),
    [
        ("cora", "dan", r"'cora' \(North\) and 'dan' \(South\) are in different clinics"),
        ("cleo", "cora", "'cleo' is a client, not a coach"),
        ("cora", "admin", "'admin' is an admin, not a client"),
        ("cora", "nobody", "no user named 'nobody'"),
    ],
)
def test_assigning_needs_a_coach_and_a_client_of_one_clinic(
    clinic: Accounts, coach: str, client: str, reason: str
) -> None:
    entries = len(clinic.audit_log())
    with pytest.raises(ServiceError, match=reason):
        clinic.assign(coach, client)
    assert len(clinic.audit_log()) == entries
    assert clinic.store.assigned_clients(clinic.store.credentials("cora").account.id) == set()


def test_in_personal_mode_there_is_nobody_to_assign_or_sign_out(services: Services) -> None:
    for attempt in (
        lambda: services.accounts.assign("cora", "cleo"),
        lambda: services.accounts.sign_out_everywhere("cleo"),
    ):
        with pytest.raises(ServiceError, match="run 'sirelief setup' first"):
            attempt()


def test_clinic_names_are_one_in_any_case_beyond_ascii_too(services: Services) -> None:
    """Found by the CLI fuzz test: SQLite's lower() left 'Û' alone, the name passed as
    new and the unique index answered with a traceback."""
    services.accounts.setup("admin", PASSWORD)
    services.accounts.add_clinic("Ûlm Physio")
    with pytest.raises(ServiceError, match="a clinic named 'ûlm physio' already"):
        services.accounts.add_clinic("ûlm physio")
    coach = services.accounts.add_user("coach", "cora", PASSWORD, "ÛLM PHYSIO")
    assert coach.clinic_name == "Ûlm Physio"
