"""The access decision (domain/access.py) over every actor, rule and target hypothesis
draws from a small world of two clinics: tenants never leak, coaches reach only their
clients, and a role check never reveals that an object exists."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sirelief.domain.access import (
    AccessRule,
    Actor,
    Decision,
    Role,
    Scope,
    Target,
    decide,
    may_know_of,
)

CLINICS = ("clinic-a", "clinic-b")
USERS = ("u-1", "u-2", "u-3", "u-4")

roles = st.sampled_from(Role)
scopes = st.sampled_from(Scope)
rules = st.builds(AccessRule, st.frozensets(roles), scopes)
targets = st.builds(Target, st.sampled_from((*CLINICS, None)), st.sampled_from((*USERS, None)))


@st.composite
def actors(draw, role: st.SearchStrategy[Role] = roles) -> Actor:
    chosen = draw(role)
    clinic = None if chosen is Role.ADMIN else draw(st.sampled_from(CLINICS))
    assigned = draw(st.frozensets(st.sampled_from(USERS))) if chosen is Role.COACH else frozenset()
    return Actor(draw(st.sampled_from(USERS)), chosen, clinic, assigned)


non_admins = actors(st.sampled_from((Role.COACH, Role.CLIENT)))


@given(non_admins, rules, targets)
def test_another_clinics_object_is_not_found_for_everyone_but_an_admin(
    actor: Actor, rule: AccessRule, target: Target
) -> None:
    if target.clinic_id is not None and target.clinic_id != actor.clinic_id:
        assert decide(actor, rule, target) is Decision.NOT_FOUND


@given(actors(), rules, targets)
def test_forbidden_never_tells_of_an_object_out_of_reach(
    actor: Actor, rule: AccessRule, target: Target
) -> None:
    """A 403 is only ever about the route: the object is one the actor may know of."""
    if decide(actor, rule, target) is Decision.FORBIDDEN:
        assert may_know_of(actor, rule.scope, target)
        assert actor.role not in rule.roles
        assert target.clinic_id in (None, actor.clinic_id) or actor.role is Role.ADMIN


@given(actors(), rules, targets)
def test_a_role_the_rule_does_not_name_is_never_allowed(
    actor: Actor, rule: AccessRule, target: Target
) -> None:
    if actor.role not in rule.roles:
        assert decide(actor, rule, target) is not Decision.ALLOWED


@given(actors(st.just(Role.COACH)), targets)
def test_a_coach_reaches_only_their_assigned_clients(actor: Actor, target: Target) -> None:
    rule = AccessRule(frozenset({Role.COACH}), Scope.ASSIGNED_CLIENT)
    allowed = decide(actor, rule, target) is Decision.ALLOWED
    assert allowed == (
        target.clinic_id in (None, actor.clinic_id)
        and (target.owner_id in actor.assigned_client_ids or target.owner_id == actor.user_id)
    )


@given(actors(st.just(Role.CLIENT)), st.sampled_from((Scope.OWN, Scope.ASSIGNED_CLIENT)), targets)
def test_a_client_reaches_only_their_own_data(actor: Actor, scope: Scope, target: Target) -> None:
    rule = AccessRule(frozenset(Role), scope)
    allowed = decide(actor, rule, target) is Decision.ALLOWED
    assert allowed == (
        target.owner_id == actor.user_id and target.clinic_id in (None, actor.clinic_id)
    )
    if target.owner_id != actor.user_id:
        assert decide(actor, rule, target) is Decision.NOT_FOUND


@given(actors(st.just(Role.ADMIN)), rules, targets)
def test_an_admin_reaches_every_clinic_and_is_limited_by_role_only(
    actor: Actor, rule: AccessRule, target: Target
) -> None:
    expected = Decision.ALLOWED if Role.ADMIN in rule.roles else Decision.FORBIDDEN
    if rule.scope is Scope.SELF and (target.owner_id, target.clinic_id) != (actor.user_id, None):
        expected = Decision.NOT_FOUND  # another's own account: not even an admin's to touch
    assert decide(actor, rule, target) is expected


@given(actors(), rules, roles, targets)
def test_naming_one_more_role_never_takes_access_away(
    actor: Actor, rule: AccessRule, extra: Role, target: Target
) -> None:
    wider = AccessRule(rule.roles | {extra}, rule.scope)
    if decide(actor, rule, target) is Decision.ALLOWED:
        assert decide(actor, wider, target) is Decision.ALLOWED


def test_a_clinic_object_is_shared_within_the_clinic_only() -> None:
    rule = AccessRule(frozenset({Role.CLIENT, Role.COACH}), Scope.CLINIC)
    client = Actor("u-1", Role.CLIENT, "clinic-a")
    assert decide(client, rule, Target("clinic-a")) is Decision.ALLOWED
    assert decide(client, rule, Target("clinic-b")) is Decision.NOT_FOUND


@given(actors(), targets)
def test_anothers_own_account_is_out_of_everyones_reach_even_an_admins(
    actor: Actor, target: Target
) -> None:
    """A login of another account is not found, whoever asks; one's own always is."""
    rule = AccessRule(frozenset(Role), Scope.SELF)
    own = target.owner_id == actor.user_id and target.clinic_id in (None, actor.clinic_id)
    want = Decision.ALLOWED if own else Decision.NOT_FOUND
    assert decide(actor, rule, target) is want
    admin = Actor("u-admin", Role.ADMIN, None)
    assert decide(admin, rule, Target("clinic-a", "u-1")) is Decision.NOT_FOUND


def test_an_installation_route_is_a_403_for_a_coach_not_a_404() -> None:
    """The list of clinics exists for everyone to know; only its use is refused."""
    rule = AccessRule(frozenset({Role.ADMIN}), Scope.INSTALLATION)
    coach = Actor("u-1", Role.COACH, "clinic-a")
    assert decide(coach, rule, Target(None)) is Decision.FORBIDDEN


@pytest.mark.parametrize(
    ("role", "clinic", "assigned"),
    [(Role.COACH, None, frozenset()), (Role.CLIENT, None, frozenset()),
     (Role.CLIENT, "clinic-a", frozenset({"u-2"}))],
)  # fmt: skip
def test_an_actor_that_cannot_exist_is_refused(
    role: Role, clinic: str | None, assigned: frozenset[str]
) -> None:
    with pytest.raises(ValueError, match=r"clinic|assigned"):
        Actor("u-1", role, clinic, assigned)


def test_an_account_value_carries_no_secret() -> None:
    """What pages and commands are given about an account: never a hash or a secret."""
    import dataclasses

    from sirelief.domain.accounts import Account, Credentials

    fields = {field.name for field in dataclasses.fields(Account)}
    assert not {name for name in fields if "hash" in name or "secret" in name or "code" in name}
    assert {"password_hash", "totp_secret"} <= {f.name for f in dataclasses.fields(Credentials)}
