"""Signing in: growing delays not lockouts (ASVS 6.1.1, 6.3.1), TOTP once enrolled (6.3.3,
6.5.1), rotation (7.2.4), idle and absolute timeouts (7.3.1, 7.3.2), sign-out (7.4.1)."""

from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import pyotp
import pytest

from sirelief.domain.access import Role
from sirelief.domain.accounts import LOGIN_LIMITS, SEEN_EVERY
from sirelief.services import ServiceError, Services
from sirelief.services.accounts import Accounts, CodeNeededError, SignInRefusedError
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.services.clinic_support import PASSWORD, make_clinic
from tests.storage.postgres_support import fresh_postgres_url, postgres_admin_engine


@pytest.fixture
def accounts(services: Services) -> Accounts:
    return make_clinic(services)


def later(clock: MovableClock, **delta) -> None:
    clock.set(clock.now + timedelta(**delta))


def test_each_failure_doubles_the_wait_and_the_right_password_still_works_after(
    accounts: Accounts, clock: MovableClock
) -> None:
    waits = []
    for _ in range(8):
        with pytest.raises(SignInRefusedError, match="wrong"):
            accounts.sign_in("cleo", "not the password", address="10.0.0.9")
        with pytest.raises(SignInRefusedError, match="try again in") as refused:
            accounts.sign_in("cleo", PASSWORD, address="10.0.0.9")
        waits.append(refused.value.retry_after_s)
        later(clock, seconds=refused.value.retry_after_s)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
    assert accounts.actor_for(accounts.sign_in("cleo", PASSWORD, address="10.0.0.9"))


def test_an_hour_of_guessing_gets_well_under_a_hundred_tries(
    accounts: Accounts, clock: MovableClock
) -> None:
    end, heard = clock.now + timedelta(hours=1), 0
    while clock.now < end:
        try:
            accounts.sign_in("cleo", f"guess {heard}", address="10.0.0.9")
        except SignInRefusedError as refused:
            if refused.retry_after_s is None:
                heard += 1
            else:
                later(clock, seconds=refused.retry_after_s)
    assert 50 < heard < 70


def test_failures_from_one_address_slow_other_names_but_not_other_addresses(
    accounts: Accounts, clock: MovableClock
) -> None:
    with pytest.raises(SignInRefusedError, match="wrong"):
        accounts.sign_in("nobody", "guess", address="10.0.0.9")
    with pytest.raises(SignInRefusedError, match="try again in 1 s"):
        accounts.sign_in("cleo", PASSWORD, address="10.0.0.9")
    assert accounts.sign_in("cleo", PASSWORD, address="10.0.0.10")
    failed = [e for e in accounts.audit_log() if e.action.startswith("sign-in failed")]
    assert [(e.object, e.address) for e in failed] == [("user:nobody", "10.0.0.9")]


def test_a_coach_with_totp_needs_a_fresh_code(accounts: Accounts, clock: MovableClock) -> None:
    secret = pyotp.random_base32()
    accounts.enrol_totp("cora", secret, pyotp.TOTP(secret).at(clock.now))
    later(clock, seconds=30)
    with pytest.raises(CodeNeededError):
        accounts.sign_in("cora", PASSWORD)
    code = pyotp.TOTP(secret).at(clock.now)
    token = accounts.sign_in("cora", PASSWORD, code)
    assert accounts.actor_for(token).role is Role.COACH
    later(clock, seconds=2)
    with pytest.raises(SignInRefusedError, match="used already"):
        accounts.sign_in("cora", PASSWORD, code)

    accounts.reset_mfa("cora")
    later(clock, seconds=30)
    assert accounts.sign_in("cora", PASSWORD)
    assert "mfa reset" in [e.action for e in accounts.audit_log()]


def test_signing_in_again_ends_the_login_it_replaces(accounts: Accounts) -> None:
    first = accounts.sign_in("cleo", PASSWORD)
    second = accounts.sign_in("cleo", PASSWORD, replacing=first)
    assert first != second
    assert accounts.actor_for(first) is None
    assert accounts.actor_for(second) is not None
    assert accounts.sign_out(second)
    assert accounts.actor_for(second) is None
    assert not accounts.sign_out(second)


@pytest.mark.parametrize("role", [Role.CLIENT, Role.COACH])
def test_a_login_ends_when_idle_too_long(
    accounts: Accounts, clock: MovableClock, role: Role
) -> None:
    limits = LOGIN_LIMITS[role]
    token = accounts.sign_in("cleo" if role is Role.CLIENT else "cora", PASSWORD)
    later(clock, seconds=limits.idle.total_seconds() - 1)
    assert accounts.actor_for(token) is not None  # use keeps it alive
    later(clock, seconds=limits.idle.total_seconds() - 1)
    assert accounts.actor_for(token) is not None
    later(clock, seconds=limits.idle.total_seconds())
    assert accounts.actor_for(token) is None
    assert accounts.actor_for(token) is None  # and it stays ended


def test_a_client_keeps_their_login_through_a_long_session_but_not_past_two_weeks(
    accounts: Accounts, clock: MovableClock
) -> None:
    start, limits = clock.now, LOGIN_LIMITS[Role.CLIENT]
    token = accounts.sign_in("cleo", PASSWORD)
    later(clock, minutes=45)
    assert accounts.actor_for(token) is not None
    step = limits.idle - SEEN_EVERY
    while clock.now + step < start + limits.absolute:
        clock.set(clock.now + step)
        assert accounts.actor_for(token) is not None
    clock.set(clock.now + step)
    assert accounts.actor_for(token) is None


def test_an_unknown_token_is_nobody(accounts: Accounts) -> None:
    assert accounts.actor_for("made-up") is None
    with pytest.raises(ServiceError):
        accounts.sign_in("cleo", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def accounts_anywhere(request, tmp_path, clock: MovableClock) -> Iterator[Accounts]:
    """``accounts`` on SQLite and on PostgreSQL, which keeps no NUL and checks lengths."""
    with ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            admin = postgres_admin_engine()
            stack.callback(admin.dispose)
            urls = fresh_postgres_url(admin, "sirelief_sign_in")
            url = next(urls)
            stack.callback(urls.close)
        services = Services(Settings(data_dir=tmp_path, database_url=url), clock)
        stack.callback(services.close)
        services.accounts.setup("Admin", PASSWORD)
        services.accounts.add_clinic("North")
        services.accounts.add_user("client", "cleo", PASSWORD, "North")
        yield services.accounts


def test_a_name_no_account_can_have_is_refused_and_slowed_on_every_database(
    accounts_anywhere: Accounts, clock: MovableClock
) -> None:
    """A NUL, or a name past the failure key's column once folded ("\ufb03" is "ffi"),
    was a 500 on PostgreSQL (found by tests/fuzz/test_clinic_fuzz.py)."""
    for user_name in ("cl\x00eo", "\ufb03" * 64, "\u0390" * 64):
        later(clock, minutes=5)
        with pytest.raises(SignInRefusedError, match="wrong"):
            accounts_anywhere.sign_in(user_name, PASSWORD, address="10.0.0.9")
        with pytest.raises(SignInRefusedError, match="try again in"):
            accounts_anywhere.sign_in(user_name, PASSWORD)  # slowed by the name itself
    later(clock, minutes=5)
    token = accounts_anywhere.sign_in("cleo", PASSWORD, user_agent="Firefox\x00")
    assert accounts_anywhere.actor_for(token) is not None
