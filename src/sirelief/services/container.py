"""The one door: opens the database, store and catalogue once, and hands each use case the
parts it needs. The web app and the CLI each build one ``Services`` and call only its use
cases; nothing in ``web/`` or ``cli/`` reaches the storage behind it.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property

from sirelief.catalogue.isolated import IsolatedChecker
from sirelief.catalogue.loader import (
    builtin_catalogue,
    builtin_files,
    builtin_safety_rules,
    load_routines,
)
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.routine import Routine
from sirelief.domain.safety import SafetyRules
from sirelief.services.accounts import Accounts
from sirelief.services.exercises import Exercises
from sirelief.services.personal_data import PersonalData
from sirelief.services.planning import Planning
from sirelief.services.routines import Routines
from sirelief.services.safety_care import SafetyCare
from sirelief.services.sessions import Sessions
from sirelief.settings import Settings
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.checkin_store import CheckInStore
from sirelief.storage.database import Database
from sirelief.storage.routine_store import RoutineStore
from sirelief.storage.safety_store import SafetyStore
from sirelief.storage.session_log import SessionLog
from sirelief.storage.store import Store

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Services:
    """Every use case of one installation, built on first use and kept.

    The database is opened (created, migrated) only when a use case that needs it is
    first asked for, so ``sirelief exercises list`` never touches it. A
    ``DatabaseError`` passes through as it is: adapters show it as a fault of the data
    (CLI exit 2, a 503 page), not as a mistake in the request.
    """

    def __init__(self, settings: Settings, clock: Clock = system_clock) -> None:
        self.settings = settings
        self.clock = clock

    # --- what the use cases share ---------------------------------------------------
    @cached_property
    def database(self) -> Database:
        return Database(self.settings.database_location).ensure_current()

    @cached_property
    def store(self) -> Store:
        """The profile every part of the store works for (the parts share it)."""
        return Store(self.database)

    @cached_property
    def session_log(self) -> SessionLog:
        return SessionLog(self.store)

    @cached_property
    def checkin_store(self) -> CheckInStore:
        return CheckInStore(self.store)

    @cached_property
    def routine_store(self) -> RoutineStore:
        return RoutineStore(self.store)

    @cached_property
    def catalogue(self) -> Catalogue:
        return builtin_catalogue()

    @cached_property
    def safety_rules(self) -> SafetyRules:
        """The red-flag questions, read once (not on every check-in page: 20-60 ms each)."""
        return builtin_safety_rules()

    @cached_property
    def builtin_routines(self) -> list[Routine]:
        return load_routines(builtin_files("routines"), self.catalogue)

    @cached_property
    def checker(self) -> IsolatedChecker:
        """Upload checks in a killable child process, made on first upload."""
        return IsolatedChecker(
            seconds=self.settings.routine_check_seconds,
            burn_s=self.settings.routine_check_burn_s,
            preload=("sirelief.cli.app",),  # what `sirelief serve`'s script imports
        )

    def close(self) -> None:
        """Release database connections, if any were opened."""
        if "database" in self.__dict__:
            self.database.close()

    # --- the use cases --------------------------------------------------------------
    @cached_property
    def exercises(self) -> Exercises:
        return Exercises(self.catalogue)

    @cached_property
    def routines(self) -> Routines:
        return Routines(
            self.catalogue,
            self.builtin_routines,
            self.routine_store,
            lambda: self.checker,
            self.clock,
        )

    @cached_property
    def safety(self) -> SafetyCare:
        return SafetyCare(self.safety_rules, SafetyStore(self.store), self.clock)

    @cached_property
    def planning(self) -> Planning:
        return Planning(self.catalogue, self.safety_rules, self.routines, self.safety)

    @cached_property
    def sessions(self) -> Sessions:
        return Sessions(self.session_log, self.checkin_store, self.planning, self.clock)

    @cached_property
    def data(self) -> PersonalData:
        return PersonalData(
            self.store, self.session_log, self.database, self.catalogue, self.builtin_routines,
            self.settings.zone, self.clock,
        )  # fmt: skip

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(AccountsStore(self.database), self.clock)
