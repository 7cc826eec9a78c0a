"""Password-reset links: an admin makes one at the terminal, 24 hours, once, the earlier
one voided; using it ends every login and leaves two-step sign-in in place (issue 17,
ASVS 6.4.3, 7.4.5)."""

import base64
import functools
import hashlib
import threading
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from sirelief.domain.access import Actor, Role
from sirelief.services import ServiceError, Services
from sirelief.services.accounts import CodeNeededError, SignInRefusedError
from sirelief.services.password_resets import CANNOT_USE, PasswordResets, TooManyTriesError
from sirelief.settings import Settings
from sirelief.storage.schema import PasswordResetRow
from tests.clock import MovableClock
from tests.services.clinic_support import run_together

PASSWORD = "correct horse battery"
NEW_PASSWORD = "lantern over the quiet bay"


class World:
    """North: coach Cora (with a code app) and client Cleo; the admin above."""

    def __init__(self, services: Services, clock: MovableClock) -> None:
        accounts = services.accounts
        admin = accounts.setup("Admin", PASSWORD)
        accounts.add_clinic("North")
        self.cora = accounts.add_user("coach", "cora", PASSWORD, "North")
        self.cleo = accounts.add_user("client", "cleo", PASSWORD, "North")
        self.secret = pyotp.random_base32()
        accounts.enrol_totp("cora", self.secret, pyotp.TOTP(self.secret).at(clock.now))
        self.admin = Actor(admin.id, Role.ADMIN, None)
        self.resets: PasswordResets = services.password_resets
        self.services = services
        self.clock = clock

    def code(self) -> str:
        self.clock.set(self.clock.now + timedelta(seconds=30))  # a code is used once
        return pyotp.TOTP(self.secret).at(self.clock.now)


@pytest.fixture
def world(services: Services, clock: MovableClock) -> World:
    return World(services, clock)


def actions(services: Services) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.actor_id, e.subject_account_id) for e in services.accounts.audit_log()]


def test_the_link_carries_at_least_128_bits_and_only_its_hash_is_kept(world: World) -> None:
    tokens = {world.resets.make("cleo")[0] for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128  # 256 random bits
    with world.services.database.read() as tx:
        kept = set(tx.scalars(select(PasswordResetRow.token_hash)))
    assert kept.isdisjoint(tokens)
    assert {hashlib.sha256(t.encode()).hexdigest() for t in tokens} == kept
    link = PasswordResets.link("https://clinic.example/", next(iter(tokens)))
    assert link.startswith("https://clinic.example/password-reset/")
    assert "\u2588" in PasswordResets.qr_text(link)


def test_the_person_chooses_a_new_password_and_every_login_of_theirs_ends(
    world: World,
) -> None:
    accounts = world.services.accounts
    theirs = [accounts.sign_in("cleo", PASSWORD) for _ in range(2)]
    someone_elses = accounts.sign_in("cora", PASSWORD, world.code())
    token, reset = world.resets.make("cleo", world.admin)
    assert reset.expires_at - reset.created_at == timedelta(hours=24)

    assert world.resets.redeem(token, NEW_PASSWORD, address="10.0.0.7") == "cleo"

    assert [accounts.actor_for(t) for t in theirs] == [None, None]
    assert accounts.actor_for(someone_elses) is not None
    with pytest.raises(SignInRefusedError, match="wrong"):
        accounts.sign_in("cleo", PASSWORD)
    world.clock.set(world.clock.now + timedelta(seconds=1))  # that failure's delay
    assert accounts.actor_for(accounts.sign_in("cleo", NEW_PASSWORD)).user_id == world.cleo.id
    log = actions(world.services)
    assert ("password reset link made", world.admin.user_id, world.cleo.id) in log
    assert ("password reset by link", world.cleo.id, world.cleo.id) in log
    used = next(e for e in accounts.audit_log() if e.action == "password reset by link")
    assert (used.object, used.address) == (f"password-resets/{reset.id}", "10.0.0.7")


def test_two_step_sign_in_is_still_asked_after_a_reset(world: World) -> None:
    token, _ = world.resets.make("cora")
    world.resets.redeem(token, NEW_PASSWORD)
    accounts = world.services.accounts
    with pytest.raises(CodeNeededError):
        accounts.sign_in("cora", NEW_PASSWORD)
    with pytest.raises(SignInRefusedError, match="code is wrong"):
        accounts.sign_in("cora", NEW_PASSWORD, "000000")
    assert accounts.actor_for(accounts.sign_in("cora", NEW_PASSWORD, world.code())) is not None


def test_a_link_works_for_24_hours(world: World, clock: MovableClock) -> None:
    start = clock.now
    token, _ = world.resets.make("cleo")
    clock.set(start + timedelta(hours=24))
    with pytest.raises(ServiceError, match="cannot be used"):
        world.resets.redeem(token, NEW_PASSWORD)
    clock.set(start + timedelta(hours=24) - timedelta(seconds=1))
    world.resets.redeem(token, NEW_PASSWORD)


def test_a_link_opens_once_a_newer_one_voids_it_and_every_bad_link_answers_the_same(
    world: World, clock: MovableClock
) -> None:
    used, _ = world.resets.make("cleo")
    world.resets.redeem(used, NEW_PASSWORD)
    voided, _ = world.resets.make("cleo")
    newer, _ = world.resets.make("cleo")
    expired, _ = world.resets.make("cora")
    clock.set(clock.now + timedelta(days=2))
    fresh, _ = world.resets.make("cleo")
    answers = set()
    for address, bad in enumerate((used, voided, newer, expired, used[:-1] + "x", "", "x" * 9999)):
        with pytest.raises(ServiceError) as refused:
            world.resets.redeem(bad, "an entirely new phrase", address=f"10.0.0.{address}")
        answers.add(str(refused.value))
    assert answers == {CANNOT_USE}
    assert world.resets.open(fresh).account_id == world.cleo.id
    refused = [e for e in world.services.accounts.audit_log()
               if e.action == "password reset link refused"]  # fmt: skip
    assert len(refused) == 7


def test_a_refused_password_leaves_the_link_usable(world: World) -> None:
    token, _ = world.resets.make("cleo")
    for password, reason in [
        ("short", "new password: .*at least 8"),
        ("password1", "common and breached"),
        ("cleo-cleo-cleo", "easy to guess"),
    ]:
        with pytest.raises(ServiceError, match=reason):
            world.resets.redeem(token, password)
    world.resets.redeem(token, NEW_PASSWORD)


def test_two_racing_redeems_change_the_password_once(
    world: World, tmp_path: Path, clock: MovableClock
) -> None:
    """Two servers (two engines on one SQLite file) redeem the same link at once."""
    token, _ = world.resets.make("cleo")
    world.services.close()
    others = [Services(Settings(data_dir=tmp_path, database_url=None), clock) for _ in range(2)]
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def redeem(services: Services, password: str) -> None:
        services.password_resets.open(token)  # both see it usable before either writes
        start.wait()
        try:
            services.password_resets.redeem(token, password)
            results[password] = "changed"
        except ServiceError as refused:
            results[password] = str(refused)

    passwords = (NEW_PASSWORD, "another phrase entirely")
    run_together(functools.partial(redeem, *pair) for pair in zip(others, passwords, strict=True))
    try:
        assert sorted(results.values()) == sorted(["changed", CANNOT_USE])
        winner = next(p for p, result in results.items() if result == "changed")
        loser = next(p for p in passwords if p != winner)
        accounts = others[0].accounts
        assert accounts.actor_for(accounts.sign_in("cleo", winner)) is not None
        with pytest.raises(SignInRefusedError):
            accounts.sign_in("cleo", loser)
        assert [a for a, _, _ in actions(others[0])].count("password reset by link") == 1
    finally:
        for services in others:
            services.close()


def test_the_store_spends_the_link_in_the_password_changing_transaction(world: World) -> None:
    """The check before the transaction is not what guards: a second redeem past it
    writes nothing."""
    token, _ = world.resets.make("cleo")
    opened = world.resets.open(token)
    world.resets.redeem(token, NEW_PASSWORD)
    world.resets.open = lambda _token, _address=None: opened  # as if it lost a race
    with pytest.raises(ServiceError, match="cannot be used"):
        world.resets.redeem(token, "another phrase entirely")
    accounts = world.services.accounts
    assert accounts.actor_for(accounts.sign_in("cleo", NEW_PASSWORD)) is not None


def test_tries_with_bad_links_are_slowed_per_address_not_sign_ins(
    world: World, clock: MovableClock
) -> None:
    for delay in (1, 2, 0):
        with pytest.raises(ServiceError, match="cannot be used"):
            world.resets.open("not-a-link", address="10.0.0.9")
        clock.set(clock.now + timedelta(seconds=delay))
    token, _ = world.resets.make("cleo")
    with pytest.raises(TooManyTriesError) as waiting:
        world.resets.open(token, address="10.0.0.9")  # even a good link waits
    assert waiting.value.retry_after_s == 4
    assert world.resets.open(token, address="10.0.0.8").account_id == world.cleo.id
    assert world.services.accounts.sign_in("cleo", PASSWORD, address="10.0.0.9")
    clock.set(clock.now + timedelta(seconds=4))
    world.resets.redeem(token, NEW_PASSWORD, address="10.0.0.9")


@pytest.mark.parametrize(
    ("user_name", "message"),
    [("nobody", "no user named 'nobody'"), ("no\nbody", r"no user named 'no\\nbody'")],
)
def test_a_link_for_an_unknown_user_is_refused(world: World, user_name, message) -> None:
    with pytest.raises(ServiceError, match=message):
        world.resets.make(user_name)


def test_a_disabled_account_gets_no_link(world: World) -> None:
    world.services.accounts.disable("cleo")
    with pytest.raises(ServiceError, match="'cleo' is disabled: enable it first"):
        world.resets.make("cleo")


def test_a_personal_installation_has_no_passwords_to_reset(services: Services) -> None:
    with pytest.raises(ServiceError, match="personal installation"):
        services.password_resets.make("anyone")


def test_signing_everyone_out_ends_every_login_of_every_account(world: World) -> None:
    accounts = world.services.accounts
    tokens = [accounts.sign_in("cleo", PASSWORD), accounts.sign_in("cora", PASSWORD, world.code()),
              accounts.sign_in("admin", PASSWORD)]  # fmt: skip
    assert accounts.sign_out_all(world.admin) == 3
    assert [accounts.actor_for(t) for t in tokens] == [None, None, None]
    assert ("signed out everyone", world.admin.user_id, None) in actions(world.services)
    assert accounts.actor_for(accounts.sign_in("cleo", PASSWORD)) is not None


def test_a_deleted_clients_link_goes_with_the_account(world: World) -> None:
    token, _ = world.resets.make("cleo", world.admin)
    world.services.data_rights.delete_for_client(world.admin, world.cleo.id, "delete")
    with world.services.database.read() as tx:
        assert tx.scalars(select(PasswordResetRow)).all() == []
    with pytest.raises(ServiceError, match="cannot be used"):
        world.resets.redeem(token, NEW_PASSWORD)
