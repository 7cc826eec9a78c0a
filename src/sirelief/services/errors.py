"""What a use case says when it cannot do what was asked, in words fit to show a person."""

from sirelief.storage.event_store import EventIdTakenError
from sirelief.storage.faults import DatabaseError

__all__ = ["BusyError", "DatabaseError", "EventIdTakenError", "RoutineIdTakenError", "ServiceError"]


class ServiceError(Exception):
    """A request that cannot be done, with a one-line reason naming the fix."""


class BusyError(ServiceError):
    """Every routine check slot is taken: the request may be repeated shortly."""


class RoutineIdTakenError(ServiceError):
    """The person already has a routine with this id; each adapter names its own way to
    replace it (a flag in the terminal, a tick box on the page)."""

    def __init__(self, routine_id: str) -> None:
        super().__init__(f"you already have a routine '{routine_id}'")
        self.routine_id = routine_id
