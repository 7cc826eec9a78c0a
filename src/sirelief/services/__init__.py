"""The use cases: the one door the web app and the CLI go through.

``Services`` (container.py) opens the database, store and catalogue once and builds each
use case with the parts it needs; every use case reads the time from its injected clock.
Each adapter names a use case by its attribute: ``services.sessions.start(...)``.
"""

from sirelief.services.container import Clock, Services, system_clock
from sirelief.services.errors import (
    BusyError,
    DatabaseError,
    EventIdTakenError,
    RoutineIdTakenError,
    ServiceError,
)

__all__ = [
    "BusyError",
    "Clock",
    "DatabaseError",
    "EventIdTakenError",
    "RoutineIdTakenError",
    "ServiceError",
    "Services",
    "system_clock",
]
