"""Who may do what to whose data: roles, scopes and one pure decision (issue 17).

Every route declares an ``AccessRule``: the roles that may use it and how its object is
scoped. ``decide`` answers for one signed-in actor and one target object. The order of
its questions is the security property: first "may this actor know the object exists?"
(another clinic's object, or a client the actor has no business with, is ``NOT_FOUND``,
so the caller answers 404 and an id reveals nothing), and only then "may this role use
this route?" (``FORBIDDEN``, a 403 about the route, never about the object).

An anonymous request never reaches ``decide``: the session layer asks it to sign in.

>>> coach = Actor("u-coach", Role.COACH, "c-1", frozenset({"u-ann"}))
>>> read_sessions = AccessRule(frozenset({Role.CLIENT, Role.COACH}), Scope.ASSIGNED_CLIENT)
>>> decide(coach, read_sessions, Target("c-1", "u-ann")).value
'allowed'
>>> decide(coach, read_sessions, Target("c-1", "u-bob")).value
'not_found'
>>> decide(coach, read_sessions, Target("c-2", "u-ann")).value
'not_found'
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    """Runs the installation: creates clinics and coaches, sees every clinic."""
    COACH = "coach"
    """Writes routines for the clients assigned to them, in one clinic."""
    CLIENT = "client"
    """Does the exercises; owns their own data, in one clinic."""


class Scope(StrEnum):
    """How a route's object relates to the actor who may touch it."""

    OWN = "own data"
    """The actor's own records (a client's sessions, anyone's own account)."""
    ASSIGNED_CLIENT = "assigned client"
    """A client's records: the client themself, or a coach the client is assigned to."""
    CLINIC = "clinic"
    """Something every member of one clinic shares (its routines, its coach list)."""
    INSTALLATION = "installation"
    """Something above the clinics (the list of clinics, the accounts): no tenant."""
    SELF = "own account"
    """The actor's own account (its password, TOTP, logins): theirs alone, even an admin
    reaches another's only through the admin's own routes."""


class Decision(StrEnum):
    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    """The actor may see the object, but their role may not use this route: 403."""
    NOT_FOUND = "not_found"
    """The actor may not know the object exists: 404, exactly as for an unknown id."""


@dataclass(frozen=True)
class Actor:
    """A signed-in account, as the session layer read it from the database."""

    user_id: str
    role: Role
    clinic_id: str | None
    """The actor's tenant; ``None`` only for an admin (an admin stands above clinics)."""
    assigned_client_ids: frozenset[str] = field(default_factory=frozenset)
    """For a coach: the clients assigned to them. Empty for everyone else."""
    profile_id: str | None = None
    """A client's exercise data (their profile); ``None`` for accounts that keep none."""
    must_enrol_totp: bool = False
    """An admin or coach who has no TOTP yet: they reach only the enrolment page."""

    def __post_init__(self) -> None:
        if self.role is not Role.ADMIN and self.clinic_id is None:
            raise ValueError(f"a {self.role} belongs to a clinic: give its clinic_id")
        if self.role is not Role.COACH and self.assigned_client_ids:
            raise ValueError("only a coach has assigned clients")


@dataclass(frozen=True)
class Target:
    """The object a request is about, as stored: its tenant and whose data it is."""

    clinic_id: str | None
    """The clinic the object belongs to; ``None`` for an installation-wide object."""
    owner_id: str | None = None
    """The account whose data it is (a client's id for a client's records)."""


@dataclass(frozen=True)
class AccessRule:
    """What one route declares: who may use it, and how its object is scoped."""

    roles: frozenset[Role]
    scope: Scope


def decide(actor: Actor, rule: AccessRule, target: Target) -> Decision:
    """Allowed, forbidden (a 403 about the route) or not found (a 404 about the object)."""
    if not may_know_of(actor, rule.scope, target):
        return Decision.NOT_FOUND
    if actor.role not in rule.roles:
        return Decision.FORBIDDEN
    return Decision.ALLOWED


def may_know_of(actor: Actor, scope: Scope, target: Target) -> bool:
    """Whether the object is within the actor's reach at all, whatever the route.

    Another clinic's object is out of reach for everyone but an admin; inside the clinic
    the scope decides (a coach reaches only the clients assigned to them). Another
    account's own things (``SELF``: its logins) are out of everyone's reach.
    """
    if scope is Scope.SELF:
        return target.owner_id == actor.user_id and target.clinic_id in (None, actor.clinic_id)
    if actor.role is Role.ADMIN:
        return True
    if target.clinic_id is not None and target.clinic_id != actor.clinic_id:
        return False
    if scope is Scope.OWN:
        return target.owner_id == actor.user_id
    if scope is Scope.ASSIGNED_CLIENT:
        return target.owner_id == actor.user_id or target.owner_id in actor.assigned_client_ids
    return True
