"""What helps across a coach's clients (issue 18, item 8): each client's untreated-side
effects, read through that client's own data, pooled in the domain.

Only a coach asks, and only about the clients they follow: the pooled figures are made of
those clients' records, which nobody else may see.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Account
from sirelief.domain.clinic_effects import CrossClientEffect, across_clients
from sirelief.domain.effects import Work
from sirelief.services.errors import ServiceError
from sirelief.services.personal_data import PersonalData

WEEK_CHOICES = (12, 26, 52, 104)
DEFAULT_WEEKS = 26


@dataclass(frozen=True)
class CoachEffects:
    weeks: int
    clients: dict[str, Account]
    """The clients followed, by id (those without sessions too)."""
    effects: list[CrossClientEffect]


class ClinicEffects:
    def __init__(
        self,
        clients_of: Callable[[Actor], list[Account]],
        data_of: Callable[[str], PersonalData],
        work: Callable[[], Iterable[tuple[str, Work]]],
    ) -> None:
        self._clients_of = clients_of
        self._data_of = data_of
        self._work = work

    def for_coach(self, actor: Actor, weeks: int = DEFAULT_WEEKS) -> CoachEffects:
        """The coach's clients' effects over the last ``weeks`` weeks, pooled over clients."""
        if actor.role is not Role.COACH:
            raise ServiceError("only a coach sees what helps across their own clients")
        if weeks not in WEEK_CHOICES:
            raise ServiceError(f"weeks must be one of {', '.join(map(str, WEEK_CHOICES))}")
        clients = {c.id: c for c in self._clients_of(actor) if c.profile_id is not None}
        by_client = {
            client_id: self._data_of(client.profile_id).session_effects(weeks)
            for client_id, client in clients.items()
        }
        effects = across_clients(by_client, dict(self._work()))
        return CoachEffects(weeks, clients, effects)
