"""Invitations: who may invite whom, 7 days and one use, the client's own password
(issue 17, ASVS 6.4.1)."""

import base64
import functools
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from sirelief.domain.access import Actor, Role
from sirelief.services import ServiceError, Services
from sirelief.services.invitations import (
    CANNOT_USE,
    InvitationNotFoundError,
    Invitations,
    NotAllowedError,
)
from sirelief.settings import Settings
from tests.clock import MovableClock
from tests.services.clinic_support import run_together

PASSWORD = "correct horse battery"
CLIENT_PASSWORD = "lantern over the quiet bay"


class World:
    """Two clinics: North with coach Cora (and the admin above), South with coach Sam."""

    def __init__(self, services: Services) -> None:
        accounts = services.accounts
        self.admin_account = accounts.setup("Admin", PASSWORD)
        self.north = accounts.add_clinic("North")
        self.south = accounts.add_clinic("South")
        cora = accounts.add_user("coach", "cora", PASSWORD, "North")
        sam = accounts.add_user("coach", "sam", PASSWORD, "South")
        self.admin = Actor(self.admin_account.id, Role.ADMIN, None)
        self.cora = Actor(cora.id, Role.COACH, self.north.id)
        self.sam = Actor(sam.id, Role.COACH, self.south.id)
        self.invitations: Invitations = services.invitations
        self.services = services


@pytest.fixture
def world(services: Services) -> World:
    return World(services)


def user_names(services: Services) -> list[str]:
    return sorted(a.user_name for a in services.accounts.list_users())


def test_a_client_invited_by_a_coach_joins_with_their_own_password_assigned_to_them(
    world: World,
) -> None:
    token, invitation = world.invitations.invite(world.cora, "client")
    assert (invitation.role, invitation.clinic_name) == (Role.CLIENT, "North")
    assert [i.id for i in world.invitations.pending(world.cora)] == [invitation.id]

    assert world.invitations.accept(token, "Cleo", CLIENT_PASSWORD, "Cleo Park") == "cleo"

    accounts = world.services.accounts
    cleo = next(a for a in accounts.list_users() if a.user_name == "cleo")
    assert (cleo.role, cleo.clinic_name, cleo.display_name) == (Role.CLIENT, "North", "Cleo Park")
    actor = accounts.actor_for(accounts.sign_in("cleo", CLIENT_PASSWORD))
    assert actor.user_id == cleo.id
    coach = accounts.actor_for(accounts.sign_in("cora", PASSWORD))
    assert coach.assigned_client_ids == {cleo.id}
    assert world.invitations.pending(world.cora) == []
    actions = [(e.action, e.actor_id) for e in accounts.audit_log()]
    assert ("invited (client)", world.cora.user_id) in actions
    assert ("joined (client)", cleo.id) in actions


def test_an_admin_invites_a_coach_to_any_clinic_and_nobody_is_assigned(world: World) -> None:
    token, invitation = world.invitations.invite(world.admin, Role.COACH, world.south.id)
    assert invitation.clinic_name == "South"
    world.invitations.accept(token, "sid", CLIENT_PASSWORD)
    sid = next(a for a in world.services.accounts.list_users() if a.user_name == "sid")
    assert (sid.role, sid.clinic_name) == (Role.COACH, "South")
    assert world.services.accounts_store.assigned_clients(world.admin.user_id) == frozenset()


def test_an_invitation_expires_after_seven_days(world: World, clock: MovableClock) -> None:
    start = clock.now
    token, _ = world.invitations.invite(world.cora, "client")
    clock.set(start + timedelta(days=7))
    with pytest.raises(ServiceError, match=r"cannot be used \(expired, used or unknown\)"):
        world.invitations.accept(token, "cleo", CLIENT_PASSWORD)
    assert world.invitations.pending(world.cora) == []
    clock.set(start + timedelta(days=7) - timedelta(seconds=1))
    world.invitations.accept(token, "cleo", CLIENT_PASSWORD)
    assert "cleo" in user_names(world.services)


def test_an_invitation_opens_once_and_every_bad_link_answers_the_same(world: World) -> None:
    token, _ = world.invitations.invite(world.cora, "client")
    world.invitations.accept(token, "cleo", CLIENT_PASSWORD)
    revoked, invitation = world.invitations.invite(world.cora, "client")
    world.invitations.revoke(world.cora, invitation.id)
    answers = set()
    for bad in (token, revoked, token[:-1] + "x", "", "x" * 10_000):
        with pytest.raises(ServiceError) as refused:
            world.invitations.accept(bad, "other", CLIENT_PASSWORD)
        answers.add(str(refused.value))
    assert answers == {CANNOT_USE}
    assert "other" not in user_names(world.services)


def test_a_refused_password_or_user_name_leaves_the_invitation_usable(world: World) -> None:
    token, _ = world.invitations.invite(world.cora, "client")
    for name, password, reason in [
        ("cleo", "short", "at least 8"),
        ("cleo", "password1", "common and breached"),
        ("cleo", "cleo-cleo-cleo", "easy to guess"),
        ("cleo park", CLIENT_PASSWORD, "user name: use 2 to 64"),
        ("CORA", CLIENT_PASSWORD, "user name: 'cora' is taken"),
    ]:
        with pytest.raises(ServiceError, match=reason):
            world.invitations.accept(token, name, password)
    world.invitations.accept(token, "cleo", CLIENT_PASSWORD)


def test_roles_that_may_not_invite_are_refused(world: World) -> None:
    with pytest.raises(NotAllowedError, match="a coach invites clients only"):
        world.invitations.invite(world.cora, "coach")
    for role in ("admin", "owner"):
        with pytest.raises(ServiceError, match="role: choose coach or client"):
            world.invitations.invite(world.admin, role, world.north.id)
    client = Actor("u-client", Role.CLIENT, world.north.id)
    with pytest.raises(NotAllowedError, match="only an admin or a coach"):
        world.invitations.invite(client, "client")
    with pytest.raises(NotAllowedError):
        world.invitations.pending(client)
    with pytest.raises(ServiceError, match="clinic: choose"):
        world.invitations.invite(world.admin, "client")
    assert world.invitations.pending(world.admin) == []


def test_another_clinics_coach_meets_not_found(world: World) -> None:
    with pytest.raises(InvitationNotFoundError, match="no such clinic"):
        world.invitations.invite(world.sam, "client", world.north.id)
    with pytest.raises(InvitationNotFoundError, match="no such clinic"):
        world.invitations.invite(world.admin, "client", "not-a-clinic")
    _, invitation = world.invitations.invite(world.cora, "client")
    for action in (world.invitations.invitation, world.invitations.revoke):
        with pytest.raises(InvitationNotFoundError, match="no such invitation"):
            action(world.sam, invitation.id)
    assert world.invitations.pending(world.sam) == []
    assert [i.id for i in world.invitations.pending(world.admin)] == [invitation.id]


def test_a_revoked_invitation_stops_working_and_is_audited(world: World) -> None:
    token, invitation = world.invitations.invite(world.cora, "client")
    world.invitations.revoke(world.cora, invitation.id)
    with pytest.raises(ServiceError, match="used or had expired already"):
        world.invitations.revoke(world.admin, invitation.id)
    with pytest.raises(ServiceError, match="cannot be used"):
        world.invitations.open(token)
    audit = world.services.accounts.audit_log()
    assert ("invitation revoked", f"invitations/{invitation.id}") in [
        (e.action, e.object) for e in audit
    ]


def test_two_racing_accepts_make_one_account(
    world: World, tmp_path: Path, clock: MovableClock
) -> None:
    """Two servers (two engines on one SQLite file) accept the same link at once."""
    token, _ = world.invitations.invite(world.cora, "client")
    world.services.close()
    others = [Services(Settings(data_dir=tmp_path, database_url=None), clock) for _ in range(2)]
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def accept(services: Services, name: str) -> None:
        invitations = services.invitations
        invitations.open(token)  # both see it usable before either writes
        start.wait()
        try:
            invitations.accept(token, name, CLIENT_PASSWORD)
            results[name] = "joined"
        except ServiceError as refused:
            results[name] = str(refused)

    run_together(
        functools.partial(accept, *pair) for pair in zip(others, ("ann", "bob"), strict=True)
    )
    try:
        assert sorted(results.values()) == sorted(["joined", CANNOT_USE])
        names = user_names(others[0])
        assert len([n for n in names if n in ("ann", "bob")]) == 1
    finally:
        for services in others:
            services.close()


def test_the_store_spends_an_invitation_in_the_accepting_transaction(world: World) -> None:
    """The check before the transaction is not what guards: a second accept of the same
    invitation, past that check, writes nothing."""
    token, invitation = world.invitations.invite(world.cora, "client")
    opened = world.invitations.open(token)
    world.invitations.accept(token, "cleo", CLIENT_PASSWORD)
    world.invitations.open = lambda _token: opened  # as if the race was lost after the check
    with pytest.raises(ServiceError, match="cannot be used"):
        world.invitations.accept(token, "cleo2", CLIENT_PASSWORD)
    assert "cleo2" not in user_names(world.services)
    assert invitation.id == opened.id


def test_the_link_carries_at_least_128_bits_and_draws_as_a_qr_code(world: World) -> None:
    tokens = {world.invitations.invite(world.cora, "client")[0] for _ in range(20)}
    assert len(tokens) == 20
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128  # 256 random bits
    link = Invitations.link("https://clinic.example/", next(iter(tokens)))
    assert link.startswith("https://clinic.example/join/")
    assert Invitations.qr_svg(link).startswith("<svg")
