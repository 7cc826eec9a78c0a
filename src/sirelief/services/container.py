"""The one door: opens the database, store and catalogue once, and hands each use case the
parts it needs. The web app and the CLI each build one ``Services`` and call only its use
cases; nothing in ``web/`` or ``cli/`` reaches the storage behind it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from sirelief.settings import Settings

if TYPE_CHECKING:
    from sirelief.catalogue.isolated import IsolatedChecker
    from sirelief.domain.catalogue import Catalogue
    from sirelief.domain.coaching import Schedule
    from sirelief.domain.routine import Routine
    from sirelief.domain.safety import SafetyRules
    from sirelief.services.accounts import Accounts
    from sirelief.services.alerts import Alerts
    from sirelief.services.audit import Audit
    from sirelief.services.clinic_effects import ClinicEffects
    from sirelief.services.coaching import Coaching, FromCoach
    from sirelief.services.data_rights import DataRights
    from sirelief.services.exercises import Exercises
    from sirelief.services.findings import ClinicalFindings
    from sirelief.services.follow_up import ClientDashboard, ClientList
    from sirelief.services.invitations import Invitations
    from sirelief.services.my_account import MyAccount
    from sirelief.services.password_resets import PasswordResets
    from sirelief.services.personal_data import PersonalData
    from sirelief.services.planning import Planning
    from sirelief.services.preferences import CalendarFeeds, PersonalSettings
    from sirelief.services.printing import PdfPrinter
    from sirelief.services.psfs import Psfs
    from sirelief.services.push_reminders import PushKeys, PushReminders, ReminderSender
    from sirelief.services.routines import Routines
    from sirelief.services.safety_care import SafetyCare
    from sirelief.services.session_notes import SessionNotes
    from sirelief.services.sessions import Sessions
    from sirelief.services.sharing import RoutineSharing, SharedRoutines, TemplateSharing
    from sirelief.services.sheets import Sheets
    from sirelief.services.tour import FirstRunTour
    from sirelief.storage.accounts_store import AccountsStore
    from sirelief.storage.checkin_store import CheckInStore
    from sirelief.storage.coaching_store import CoachingStore
    from sirelief.storage.database import Database
    from sirelief.storage.follow_store import FollowStore
    from sirelief.storage.routine_store import RoutineStore
    from sirelief.storage.session_log import SessionLog
    from sirelief.storage.store import Store

Clock = Callable[[], datetime]
PEOPLE_KEPT = 256
"""People whose use cases one process keeps (each holds its recently read sessions)."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class Services:
    """Every use case of one installation, built on first use and kept.

    The database is opened (created, migrated) only when a use case that needs it is
    first asked for, so ``sirelief exercises list`` never touches it. A
    ``DatabaseError`` passes through as it is: adapters show it as a fault of the data
    (CLI exit 2, a 503 page), not as a mistake in the request.
    """

    def __init__(
        self,
        settings: Settings,
        clock: Clock = system_clock,
        *,
        installation: Services | None = None,
        profile_id: str | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._installation = installation
        """Set on a person's view (``for_profile``): the one whose database and files it shares."""
        self._profile_id = profile_id
        self._people: OrderedDict[str | None, Services] = OrderedDict()
        self._people_lock = threading.Lock()
        """The web app reads some pages in worker threads (``web/pages/clients.py``)."""

    def for_profile(self, profile_id: str | None) -> Services:
        """The use cases of one person of a clinic (``None``: an account with no data of
        its own, an admin or a coach), sharing this installation's database, catalogue and
        checker. Kept for the most recent people, so a session's reads stay incremental."""
        if self._installation is not None:
            return self._installation.for_profile(profile_id)
        with self._people_lock:
            person = self._people.pop(profile_id, None)
            if person is None:
                person = Services(
                    self.settings, self.clock, installation=self, profile_id=profile_id
                )
            self._people[profile_id] = person
            while len(self._people) > PEOPLE_KEPT:
                self._people.popitem(last=False)
            return person

    # --- what the use cases share ---------------------------------------------------
    @cached_property
    def database(self) -> Database:
        from sirelief.storage.database import Database

        if self._installation is not None:
            return self._installation.database
        return Database(self.settings.database_location).ensure_current()

    @cached_property
    def store(self) -> Store:
        """The profile every part of the store works for (the parts share it): the one
        given, or in personal mode the owner's."""
        from sirelief.storage.store import Store

        if self._installation is None:
            return Store(self.database, clock=self.clock)
        return Store(self.database, self._profile_id, has_default=False, clock=self.clock)

    @cached_property
    def session_log(self) -> SessionLog:
        from sirelief.storage.session_log import SessionLog

        return SessionLog(self.store)

    @cached_property
    def checkin_store(self) -> CheckInStore:
        from sirelief.storage.checkin_store import CheckInStore

        return CheckInStore(self.store)

    @cached_property
    def routine_store(self) -> RoutineStore:
        from sirelief.storage.routine_store import RoutineStore

        return RoutineStore(self.store)

    @cached_property
    def catalogue(self) -> Catalogue:
        from sirelief.catalogue.loader import builtin_catalogue

        if self._installation is not None:
            return self._installation.catalogue
        return builtin_catalogue()

    @cached_property
    def safety_rules(self) -> SafetyRules:
        """The red-flag questions, read once (not on every check-in page: 20-60 ms each)."""
        from sirelief.catalogue.loader import builtin_safety_rules

        if self._installation is not None:
            return self._installation.safety_rules
        return builtin_safety_rules()

    @cached_property
    def builtin_routines(self) -> list[Routine]:
        from sirelief.catalogue.loader import builtin_files, load_routines

        if self._installation is not None:
            return self._installation.builtin_routines
        return load_routines(builtin_files("routines"), self.catalogue)

    @cached_property
    def checker(self) -> IsolatedChecker:
        """Upload checks in a killable child process, made on first upload."""
        from sirelief.catalogue.isolated import IsolatedChecker

        if self._installation is not None:
            return self._installation.checker
        return IsolatedChecker(
            seconds=self.settings.routine_check_seconds,
            burn_s=self.settings.routine_check_burn_s,
            preload=("sirelief.cli.app",),  # what `sirelief serve`'s script imports
        )

    @cached_property
    def accounts_store(self) -> AccountsStore:
        """Every account of the installation (a person's view shares its installation's)."""
        from sirelief.storage.accounts_store import AccountsStore

        if self._installation is not None:
            return self._installation.accounts_store
        return AccountsStore(self.database)

    @cached_property
    def coaching_store(self) -> CoachingStore:
        from sirelief.storage.coaching_store import CoachingStore

        if self._installation is not None:
            return self._installation.coaching_store
        return CoachingStore(self.database)

    def zone(self) -> tzinfo:
        """The time zone of this person's dates and days (their setting, else the
        installation's): every "today", "this morning" and shown time uses it."""
        return self.preferences.zone()

    def close(self) -> None:
        """Release database connections, if any were opened."""
        if self._installation is None and "database" in self.__dict__:
            self.database.close()

    # --- the use cases --------------------------------------------------------------
    @cached_property
    def exercises(self) -> Exercises:
        from sirelief.services.exercises import Exercises

        return Exercises(self.catalogue)

    @cached_property
    def routines(self) -> Routines:
        from sirelief.services.routines import Routines

        return Routines(
            self.catalogue,
            self.builtin_routines,
            self.routine_store,
            lambda: self.checker,
            self.clock,
            self.from_coach.current,
        )

    @cached_property
    def coaching(self) -> Coaching:
        """Coaches' templates and the routines they assign (issue 18 item 2)."""
        from sirelief.services.coaching import Coaching

        if self._installation is not None:
            return self._installation.coaching
        return Coaching(
            self.coaching_store, self.accounts_store,
            lambda: {r.id for r in self.builtin_routines}, self.clock,
        )  # fmt: skip

    @cached_property
    def from_coach(self) -> FromCoach:
        """The routine this person's coach assigned them (none in personal mode)."""
        from sirelief.services.coaching import FromCoach

        return FromCoach(
            self.coaching_store,
            lambda: self._profile_id if self._installation is not None else None,
        )

    @cached_property
    def sheets(self) -> Sheets:
        """Printable routine sheets (issue 18 item 7)."""
        from sirelief.services.sheets import Sheets

        return Sheets(self.catalogue, self.routines, self.coaching, self.from_coach)

    @cached_property
    def printer(self) -> PdfPrinter:
        """Headless Chromium printing sheets to PDF, one at a time per installation."""
        from sirelief.services.printing import PdfPrinter

        if self._installation is not None:
            return self._installation.printer
        return PdfPrinter(self.settings.chromium_path, self.settings.print_seconds)

    @cached_property
    def safety(self) -> SafetyCare:
        from sirelief.services.safety_care import SafetyCare
        from sirelief.storage.safety_store import SafetyStore

        return SafetyCare(self.safety_rules, SafetyStore(self.store), self.clock, self.zone)

    @cached_property
    def planning(self) -> Planning:
        from sirelief.services.planning import Planning

        return Planning(
            self.catalogue, self.safety_rules, self.routines, self.safety,
            lambda: self.preferences.current(),
        )  # fmt: skip

    @cached_property
    def sessions(self) -> Sessions:
        from sirelief.services.sessions import Sessions

        return Sessions(
            self.session_log, self.checkin_store, self.planning, self.clock,
            self._raise_alerts, self.zone,
        )  # fmt: skip

    def _raise_alerts(self) -> None:
        """After a client's write: their coaches' alerts (a person's view in clinic mode)."""
        if self._installation is not None and self._profile_id is not None:
            self.alerts.after_write(self._profile_id)

    @cached_property
    def alerts(self) -> Alerts:
        """Coaches' alerts (issue 18 item 4), one per installation."""
        from sirelief.services.alert_mail import Mailer
        from sirelief.services.alerts import Alerts
        from sirelief.storage.alert_store import AlertStore

        if self._installation is not None:
            return self._installation.alerts
        return Alerts(AlertStore(self.database), Mailer(self.settings), self.clock)

    @cached_property
    def follow_store(self) -> FollowStore:
        from sirelief.storage.follow_store import FollowStore

        if self._installation is not None:
            return self._installation.follow_store
        return FollowStore(self.database)

    @cached_property
    def client_list(self) -> ClientList:
        """A coach's clients, who needs a look first (issue 18 item 3)."""
        from sirelief.services.follow_up import ClientList

        if self._installation is not None:
            return self._installation.client_list
        return ClientList(self.accounts, self.alerts, self.follow_store, self.clock,
                          self.settings.zone)  # fmt: skip

    @cached_property
    def client_dashboard(self) -> ClientDashboard:
        """This person's dashboard as their coach (or an admin) reads it."""
        from sirelief.services.follow_up import ClientDashboard

        return ClientDashboard(
            self.session_log, self.follow_store, self.catalogue, self.coaching, self.safety,
            self.alerts, lambda: self._profile_id if self._installation is not None else None,
            self.zone, self.clock, lambda: self.psfs.ratings(),
        )  # fmt: skip

    @cached_property
    def tour(self) -> FirstRunTour:
        from sirelief.services.tour import FirstRunTour

        offered = self.settings.first_run_tour and not self.settings.demo
        return FirstRunTour(
            self.store, self.clock, offered=offered,
            has_sessions=lambda: bool(self.session_log.session_ids()),
        )  # fmt: skip

    @cached_property
    def findings(self) -> ClinicalFindings:
        """A clinician's findings about this person, recorded as given (issue 20 item 3)."""
        from sirelief.services.findings import ClinicalFindings
        from sirelief.storage.findings_store import FindingsStore

        return ClinicalFindings(
            FindingsStore(self.store), self.accounts_store, self.clock, self.zone
        )

    @cached_property
    def session_notes(self) -> SessionNotes:
        from sirelief.services.session_notes import SessionNotes

        return SessionNotes(self.session_log, self.accounts_store, self.clock)

    @cached_property
    def data(self) -> PersonalData:
        from sirelief.services.personal_data import PersonalData

        return PersonalData(
            self.store, self.session_log, self.database, self.catalogue,
            lambda: self.builtin_routines, self.zone, self.clock, lambda: self.psfs.ratings(),
        )  # fmt: skip

    @cached_property
    def psfs(self) -> Psfs:
        """The weekly PSFS: the person's activities and ratings (issue 20 item 2)."""
        from sirelief.services.psfs import Psfs

        return Psfs(self.store, self.clock, self.zone)

    @cached_property
    def clinic_effects(self) -> ClinicEffects:
        from sirelief.domain.effects import work_index
        from sirelief.services.clinic_effects import ClinicEffects

        return ClinicEffects(
            self.accounts.clients_of,
            lambda profile_id: self.for_profile(profile_id).data,
            lambda: work_index(self.catalogue.exercises.values()).items(),
        )

    @cached_property
    def accounts(self) -> Accounts:
        from sirelief.services.accounts import Accounts

        if self._installation is not None:
            return self._installation.accounts
        return Accounts(self.accounts_store, self.clock)

    @cached_property
    def my_account(self) -> MyAccount:
        """A signed-in person's own account: password, TOTP, recovery codes, logins."""
        from sirelief.services.my_account import MyAccount
        from sirelief.storage.my_account_store import MyAccountStore

        if self._installation is not None:
            return self._installation.my_account
        return MyAccount(MyAccountStore(self.database), self.clock)

    @cached_property
    def invitations(self) -> Invitations:
        from sirelief.services.invitations import Invitations

        if self._installation is not None:
            return self._installation.invitations
        return Invitations(self.accounts_store, self.clock)

    @cached_property
    def password_resets(self) -> PasswordResets:
        """Password-reset links an admin makes for a person."""
        from sirelief.services.password_resets import PasswordResets

        if self._installation is not None:
            return self._installation.password_resets
        return PasswordResets(self.accounts_store, self.clock)

    @cached_property
    def audit(self) -> Audit:
        """One per installation: every person's view shares its memory of recent reads."""
        from sirelief.services.audit import Audit
        from sirelief.storage.audit_store import AuditStore

        if self._installation is not None:
            return self._installation.audit
        return Audit(
            self.accounts_store, AuditStore(self.database), self.clock,
            self.settings.zone,
        )  # fmt: skip

    @cached_property
    def data_rights(self) -> DataRights:
        from sirelief.services.data_rights import DataRights

        return DataRights(self.data, self.database, self.accounts_store, self.clock,
                          self._assigned_routine)  # fmt: skip

    def _assigned_routine(self, profile_id: str | None) -> Routine | None:
        """The routine a person's coach assigned them, for the FHIR export's CarePlan."""
        person = self if profile_id == self._profile_id else self.for_profile(profile_id)
        entries = person.routines.all()
        return next((e.routine for e in entries if e.origin == "coach"), None)

    @cached_property
    def preferences(self) -> PersonalSettings:
        """The person's own settings and reminder calendar (issue 19 items 3a, 4)."""
        from sirelief.services.preferences import PersonalSettings
        from sirelief.storage.preferences_store import PreferencesStore

        return PersonalSettings(
            PreferencesStore(self.store), self.settings.zone(), self.clock,
            lambda: (assigned.schedule if (assigned := self.from_coach.current()) else None),
        )  # fmt: skip

    @cached_property
    def calendar_feeds(self) -> CalendarFeeds:
        """Calendar addresses of every person: a token opens its owner's calendar."""
        from sirelief.services.preferences import CalendarFeeds

        if self._installation is not None:
            return self._installation.calendar_feeds
        return CalendarFeeds(
            self.database, lambda profile_id: self.for_profile(profile_id).preferences
        )

    @cached_property
    def routine_sharing(self) -> RoutineSharing:
        """Share links of this person's own routines (issue 18 item 6)."""
        from sirelief.services.sharing import RoutineSharing
        from sirelief.storage.share_store import RoutineShareStore

        return RoutineSharing(self.routines, RoutineShareStore(self.store), self.clock)

    @cached_property
    def template_sharing(self) -> TemplateSharing:
        """Share links of coaches' template versions."""
        from sirelief.services.sharing import TemplateSharing
        from sirelief.storage.share_store import TemplateShareStore

        return TemplateSharing(
            self.coaching, TemplateShareStore(self.database), self.accounts_store, self.clock
        )

    @cached_property
    def shared_routines(self) -> SharedRoutines:
        """Every working share link: a token opens its routine, for anyone."""
        from sirelief.services.sharing import SharedRoutines

        return SharedRoutines(self.database, self.catalogue)

    @cached_property
    def push_keys(self) -> PushKeys:
        """The installation's VAPID key pair (issue 19 item 3b), made on first need."""
        from sirelief.services.push_reminders import PushKeys

        if self._installation is not None:
            return self._installation.push_keys
        return PushKeys(self.database, self.clock)

    @cached_property
    def push_reminders(self) -> PushReminders:
        """The person's browsers that get Web Push reminders."""
        from sirelief.services.push_reminders import PushReminders
        from sirelief.storage.push_store import PushStore

        return PushReminders(
            PushStore(self.store), self.push_keys, self.clock,
            self.settings.push_allow_http_loopback, note=self._note_about_self,
        )  # fmt: skip

    @cached_property
    def reminder_sender(self) -> ReminderSender:
        """Sends the reminders that are due (``sirelief reminders send``), once each."""
        from sirelief.services.push_reminders import ReminderSender

        if self._installation is not None:
            return self._installation.reminder_sender
        record = self.accounts_store.record if self.accounts.clinic_mode() else None
        return ReminderSender(
            self.database, self.push_keys, self.clock, self._reminder_zone,
            self.settings.push_contact, record=record,
            coach_schedule=self._coach_schedule,
        )  # fmt: skip

    def _coach_schedule(self, profile_id: str) -> Schedule | None:
        """The schedule of the routine a person's coach assigned them, if any."""
        return self.for_profile(profile_id).preferences.coach_schedule()

    def _reminder_zone(self, chosen: str | None) -> str:
        return chosen or getattr(self.settings.zone(), "key", None) or "UTC"

    def _note_about_self(self, action: str, object_: str | None) -> None:
        """An audit line by the person about their own account, in clinic mode only."""
        from sirelief.domain.accounts import AuditEntry
        from sirelief.storage.push_store import account_of_profile

        if not self.accounts.clinic_mode():
            return
        account_id = account_of_profile(self.database, self.store.profile_id)
        if account_id is not None:
            self.accounts_store.record(
                AuditEntry(self.clock(), action, account_id, account_id, object_)
            )
