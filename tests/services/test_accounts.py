"""Setting up clinic mode and administering accounts (issue 17, ASVS 6.2, 6.3.2, 7.4.2)."""

import pytest

from sirelief.domain.access import Role
from sirelief.services import ServiceError, Services
from sirelief.services.accounts import Accounts

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(services: Services) -> Accounts:
    services.accounts.setup("Admin", PASSWORD)
    services.accounts.add_clinic("North")
    return services.accounts


def test_personal_mode_until_set_up_and_setup_twice_is_refused(services: Services) -> None:
    assert not services.accounts.clinic_mode()
    with pytest.raises(ServiceError, match="run 'sirelief setup' first"):
        services.accounts.add_clinic("North")
    admin = services.accounts.setup("Admin", PASSWORD)
    assert services.accounts.clinic_mode()
    assert (admin.user_name, admin.display_name, admin.role) == ("admin", "Admin", Role.ADMIN)
    with pytest.raises(ServiceError, match="already set up"):
        services.accounts.setup("Other", PASSWORD)
    assert [a.user_name for a in services.accounts.list_users()] == ["admin"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [("password1", "common and breached"), ("short", "at least 8"),
     ("admin-admin-admin", "easy to guess here")],
)  # fmt: skip
def test_a_weak_password_is_refused(services: Services, password: str, reason: str) -> None:
    with pytest.raises(ServiceError, match=reason):
        services.accounts.setup("Admin", password)
    assert not services.accounts.clinic_mode()


def test_users_belong_to_an_existing_clinic_unless_admin(accounts: Accounts) -> None:
    coach = accounts.add_user("coach", "Cora", PASSWORD, "north")
    assert (coach.user_name, coach.clinic_name) == ("cora", "North")
    refusals = {
        ("coach", "dan", None): "belongs to a clinic",
        ("client", "dan", "South"): "no clinic named 'South'",
        ("admin", "dan", "North"): "leave out the clinic",
        ("owner", "dan", "North"): "role: choose admin, coach, client",
        ("coach", "CORA", "North"): "the user name 'cora' is taken",
        ("coach", "dan smith", "North"): "user name: use 2 to 64",
    }
    for (role, name, clinic), reason in refusals.items():
        with pytest.raises(ServiceError, match=reason):
            accounts.add_user(role, name, PASSWORD, clinic)
    assert [(a.user_name, a.role) for a in accounts.list_users()] == [
        ("admin", Role.ADMIN), ("cora", Role.COACH),
    ]  # fmt: skip
    with pytest.raises(ServiceError, match="a clinic named 'North' already"):
        accounts.add_clinic(" North ")


def test_a_disabled_users_login_ends_at_once_and_enabling_lets_them_back(
    accounts: Accounts,
) -> None:
    accounts.add_user("client", "cleo", PASSWORD, "North")
    token = accounts.sign_in("cleo", PASSWORD)
    assert accounts.actor_for(token).role is Role.CLIENT

    assert accounts.disable("Cleo") == 1
    assert accounts.actor_for(token) is None
    with pytest.raises(ServiceError, match="disabled"):
        accounts.sign_in("cleo", PASSWORD)
    with pytest.raises(ServiceError, match="disabled already"):
        accounts.disable("cleo")

    accounts.enable("cleo")
    assert accounts.actor_for(accounts.sign_in("cleo", PASSWORD)) is not None
    actions = [entry.action for entry in accounts.audit_log()]
    assert actions.count("account disabled") == actions.count("account enabled") == 1


def test_the_last_admin_cannot_be_disabled_and_unknown_users_are_named(
    accounts: Accounts,
) -> None:
    with pytest.raises(ServiceError, match="last admin"):
        accounts.disable("admin")
    with pytest.raises(ServiceError, match="no user named 'nobody'"):
        accounts.enable("nobody")
