"""A person's own account: password change (ASVS 6.2.3), TOTP enrolment and replay (6.5.1),
recovery codes (6.5.1-2), listing and ending their logins (7.4.1, 7.4.3, 7.5.2), and TOTP
required for admins and coaches (6.3.3)."""

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from sirelief.domain.access import Actor
from sirelief.services import ServiceError, Services
from sirelief.services.accounts import Accounts, SignInRefusedError
from sirelief.services.my_account import LoginNotFoundError, MyAccount
from sirelief.storage.schema import RecoveryCodeRow
from tests.clock import MovableClock
from tests.services.clinic_support import PASSWORD, make_clinic


@pytest.fixture
def accounts(services: Services) -> Accounts:
    return make_clinic(services)


@pytest.fixture
def mine(services: Services, accounts: Accounts) -> MyAccount:
    return services.my_account


def later(clock: MovableClock, seconds: float = 30) -> None:
    clock.set(clock.now + timedelta(seconds=seconds))


def signed_in(accounts: Accounts, user_name: str, **options) -> tuple[str, Actor]:
    token = accounts.sign_in(user_name, PASSWORD, **options)
    return token, accounts.actor_for(token)


def enrol(mine: MyAccount, actor: Actor, clock: MovableClock, **options) -> tuple[str, list[str]]:
    """Two-step sign-in turned on through the use case; the secret and recovery codes."""
    start = mine.start_totp(actor)
    code = pyotp.TOTP(start.secret).at(clock.now)
    options = {"password": PASSWORD, **options}
    return start.secret, mine.confirm_totp(actor, start.secret, code, **options)


def wrong_code(secret: str, clock: MovableClock) -> str:
    """A code no step around now has."""
    totp = pyotp.TOTP(secret)
    near = {totp.at(clock.now + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(10)) if c not in near)


def test_changing_the_password_needs_the_current_one(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    here, me = signed_in(accounts, "cleo")
    elsewhere = accounts.sign_in("cleo", PASSWORD)

    with pytest.raises(ServiceError, match="not your current password"):
        mine.change_password(me, "guessed wrongly", "a brand new phrase")
    later(clock, 1)  # a wrong password slows the next try
    with pytest.raises(ServiceError, match=r"new password: .*common"):
        mine.change_password(me, PASSWORD, "iloveyou1")
    accounts.sign_in("cleo", PASSWORD)  # nothing changed yet

    mine.change_password(me, PASSWORD, "a brand new phrase", keep_token=here)
    assert accounts.actor_for(here) is not None
    assert accounts.actor_for(elsewhere) is None
    with pytest.raises(ServiceError, match="password is wrong"):
        accounts.sign_in("cleo", PASSWORD)
    later(clock, 1)
    accounts.sign_in("cleo", "a brand new phrase")
    assert "password changed" in [e.action for e in accounts.audit_log()]


def test_start_shows_a_qr_code_of_the_link_and_stores_nothing(
    accounts: Accounts, mine: MyAccount
) -> None:
    _, me = signed_in(accounts, "cleo")
    start = mine.start_totp(me)
    assert start.link.startswith("otpauth://totp/sirelief:cleo?secret=" + start.secret)
    assert start.qr_svg.startswith("<svg")
    assert len(start.secret) == 32
    assert mine.start_totp(me).secret != start.secret
    assert mine.start_totp(me, again=start.secret).secret == start.secret
    assert not mine.overview(me).account.has_totp


def test_a_wrong_code_or_a_made_up_secret_turns_nothing_on(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    _, me = signed_in(accounts, "cleo")
    start = mine.start_totp(me)
    with pytest.raises(ServiceError, match="not the code your app shows"):
        mine.confirm_totp(me, start.secret, wrong_code(start.secret, clock), password=PASSWORD)
    with pytest.raises(ServiceError, match="secret: that is not one sirelief made"):
        mine.confirm_totp(me, "AAAA", pyotp.TOTP("A" * 32).at(clock.now), password=PASSWORD)
    with pytest.raises(ServiceError, match="not your current password"):
        mine.confirm_totp(me, start.secret, pyotp.TOTP(start.secret).at(clock.now))
    later(clock, 1)
    assert not mine.overview(me).account.has_totp
    assert accounts.sign_in("cleo", PASSWORD)  # still no code asked


def test_a_totp_code_is_accepted_once(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    _, me = signed_in(accounts, "cleo")
    secret, codes = enrol(mine, me, clock)
    assert len(codes) == 10
    confirming = pyotp.TOTP(secret).at(clock.now)
    with pytest.raises(SignInRefusedError, match="used already"):
        accounts.sign_in("cleo", PASSWORD, confirming)  # the enrolment spent its step

    later(clock)
    code = pyotp.TOTP(secret).at(clock.now)
    assert accounts.actor_for(accounts.sign_in("cleo", PASSWORD, code)) is not None
    later(clock, 2)
    with pytest.raises(SignInRefusedError, match="used already"):
        accounts.sign_in("cleo", PASSWORD, code)


def test_a_recovery_code_signs_in_once_and_only_its_hash_is_kept(
    services: Services, accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    _, me = signed_in(accounts, "cleo")
    _, codes = enrol(mine, me, clock)
    with services.database.read() as tx:
        stored = set(tx.scalars(select(RecoveryCodeRow.code_hash)))
    assert len(stored) == 10
    assert stored.isdisjoint(set(codes) | {c.replace("-", "") for c in codes})

    typed = codes[3].lower().replace("-", " ")
    token = accounts.sign_in("cleo", PASSWORD, typed)
    assert accounts.actor_for(token).user_id == me.user_id
    assert mine.overview(me).recovery_codes_left == 9
    with pytest.raises(SignInRefusedError, match="recovery code is wrong or was used"):
        accounts.sign_in("cleo", PASSWORD, codes[3])
    with pytest.raises(SignInRefusedError, match="try again in"):
        accounts.sign_in("cleo", PASSWORD, codes[4])  # the failure above slows the next try
    later(clock, 2)
    assert accounts.sign_in("cleo", PASSWORD, codes[4])
    actions = [e.action for e in accounts.audit_log()]
    assert actions.count("signed in with a recovery code") == 2
    assert "sign-in failed (wrong recovery code)" in actions


def test_new_recovery_codes_need_the_password_and_end_the_old_set(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    _, me = signed_in(accounts, "cleo")
    with pytest.raises(ServiceError, match="turn that on first"):
        mine.new_recovery_codes(me, PASSWORD)
    _, old = enrol(mine, me, clock)
    with pytest.raises(ServiceError, match="not your current password"):
        mine.new_recovery_codes(me, "not it")
    later(clock, 1)
    new = mine.new_recovery_codes(me, PASSWORD)
    assert len(new) == 10
    assert not set(new) & set(old)
    with pytest.raises(SignInRefusedError, match="recovery code is wrong"):
        accounts.sign_in("cleo", PASSWORD, old[0])
    later(clock, 2)
    assert accounts.sign_in("cleo", PASSWORD, new[0])


def test_replacing_the_app_needs_the_password_and_other_logins_end(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    here, me = signed_in(accounts, "cleo")
    elsewhere = accounts.sign_in("cleo", PASSWORD)
    enrol(mine, me, clock, keep_token=here)
    assert accounts.actor_for(elsewhere) is None  # made without the new factor
    assert accounts.actor_for(here) is not None
    later(clock)
    with pytest.raises(ServiceError, match="not your current password"):
        enrol(mine, me, clock, password="a guess", keep_token=here)
    later(clock, 1)
    secret, _ = enrol(mine, me, clock, keep_token=here)
    later(clock)
    assert accounts.sign_in("cleo", PASSWORD, pyotp.TOTP(secret).at(clock.now))


def test_logins_are_listed_with_this_one_marked(accounts: Accounts, mine: MyAccount) -> None:
    here, me = signed_in(accounts, "cleo", address="10.0.0.5", user_agent="Firefox on a phone")
    accounts.sign_in("cleo", PASSWORD, address="10.0.0.6", user_agent="Chromium")
    accounts.sign_in("cora", PASSWORD)
    listed = mine.logins_of(me, here)
    assert sorted((x.login.address, x.login.user_agent, x.current) for x in listed) == [
        ("10.0.0.5", "Firefox on a phone", True), ("10.0.0.6", "Chromium", False),
    ]  # fmt: skip
    assert not any(x.current for x in mine.logins_of(me))


def test_ending_a_login_revokes_it_at_once_and_another_accounts_is_not_found(
    accounts: Accounts, mine: MyAccount
) -> None:
    here, me = signed_in(accounts, "cleo")
    elsewhere = accounts.sign_in("cleo", PASSWORD)
    coach_token, coach = signed_in(accounts, "cora")
    (coach_login,) = [x.login.id for x in mine.logins_of(coach)]
    with pytest.raises(LoginNotFoundError):
        mine.end_login(me, coach_login)
    with pytest.raises(LoginNotFoundError):
        mine.end_login(me, "no-such-id")
    assert accounts.actor_for(coach_token) is not None

    (other,) = [x.login.id for x in mine.logins_of(me, here) if not x.current]
    mine.end_login(me, other)
    assert accounts.actor_for(elsewhere) is None
    assert accounts.actor_for(here) is not None
    with pytest.raises(LoginNotFoundError):
        mine.end_login(me, other)  # ended already


def test_ending_the_other_logins_keeps_this_one_only(accounts: Accounts, mine: MyAccount) -> None:
    here, me = signed_in(accounts, "cleo")
    others = [accounts.sign_in("cleo", PASSWORD) for _ in range(2)]
    coach_token = accounts.sign_in("cora", PASSWORD)
    assert mine.end_other_logins(me, here) == 2
    assert all(accounts.actor_for(token) is None for token in others)
    assert accounts.actor_for(here) is not None
    assert accounts.actor_for(coach_token) is not None
    assert "other logins ended" in [e.action for e in accounts.audit_log()]


def test_admins_and_coaches_must_enrol_until_they_confirm_a_code(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    token, coach = signed_in(accounts, "cora")
    assert coach.must_enrol_totp
    assert signed_in(accounts, "admin")[1].must_enrol_totp
    assert not signed_in(accounts, "cleo")[1].must_enrol_totp  # optional for clients
    enrol(mine, coach, clock, keep_token=token)
    assert not accounts.actor_for(token).must_enrol_totp


def test_wrong_current_passwords_slow_the_next_try_as_at_sign_in(
    accounts: Accounts, mine: MyAccount, clock: MovableClock
) -> None:
    _, me = signed_in(accounts, "cleo")
    with pytest.raises(ServiceError, match="not your current password"):
        mine.new_recovery_codes(me, "guess one")
    with pytest.raises(ServiceError, match="try again in 1 s"):
        mine.change_password(me, PASSWORD, "a brand new phrase")  # not even checked
    with pytest.raises(SignInRefusedError, match="try again in 1 s"):
        accounts.sign_in("cleo", PASSWORD)  # one counter for the user name
    later(clock, 1)
    mine.change_password(me, PASSWORD, "a brand new phrase")
    assert "password check failed" in [e.action for e in accounts.audit_log()]
