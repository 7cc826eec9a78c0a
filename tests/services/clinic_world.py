"""A small clinic for the audit and data-rights tests: an admin, a coach and two clients,
and a ``Services`` bound to a client's profile (as the web layer's will be)."""

from dataclasses import dataclass

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Account
from sirelief.services import Services
from sirelief.storage.store import Store

PASSWORD = "quiet meadow lantern 42"


@dataclass
class World:
    admin: Actor
    coach: Actor
    client: Actor
    other: Actor
    client_account: Account


def actor(account: Account) -> Actor:
    return Actor(account.id, account.role, account.clinic_id)


def clinic_world(services: Services) -> World:
    accounts = services.accounts
    admin = accounts.setup("ada", "admin passphrase for tests 7")
    accounts.add_clinic("Riverside")
    coach = accounts.add_user(Role.COACH, "sam", PASSWORD, clinic="Riverside")
    client = accounts.add_user(Role.CLIENT, "cleo", PASSWORD, clinic="Riverside")
    other = accounts.add_user(Role.CLIENT, "otto", PASSWORD, clinic="Riverside")
    client = next(a for a in accounts.list_users() if a.id == client.id)  # with its profile
    return World(actor(admin), actor(coach), actor(client), actor(other), client)


def bound_to(services: Services, account: Account) -> Services:
    """A ``Services`` on the same database whose use cases work on ``account``'s profile."""
    bound = Services(services.settings, services.clock)
    bound.store = Store(bound.database, account.profile_id, has_default=False, clock=bound.clock)
    return bound
