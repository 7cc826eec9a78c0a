"""Use cases of a coach's templates and the routines they assign (issue 18 item 2).

A coach keeps routine files as templates: their own, and the ones their clinic's coaches
share. Uploading a file for a routine id they have makes a new version; old versions stay
readable. Assigning copies one version to a client, with a schedule and a note: the client
keeps what was assigned, whatever happens to the template, until a coach assigns again.
Who may see what is decided here, after the access table let the request in: another
coach's unshared template is ``NotFoundError``, as an unknown id.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sirelief.catalogue.loader import RoutineCheck
from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import AuditEntry
from sirelief.domain.coaching import Schedule, ScheduleError, read_note, read_schedule
from sirelief.domain.routine import Routine
from sirelief.services.errors import ServiceError
from sirelief.storage.accounts_store import AccountsStore
from sirelief.storage.coaching_store import Assignment, CoachingStore, Template, TemplateVersion
from sirelief.storage.template_note_store import TemplateNote, TemplateNoteStore


class NotFoundError(ServiceError):
    """Unknown, or not for this person to know of: the web answers 404 either way."""


class FieldError(ServiceError):
    """A form value that cannot be used: ``field`` names it, the message says the fix."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class CoachRoutine:
    """A client's active assignment as the client sees it."""

    assignment: Assignment
    schedule: Schedule
    template_note: TemplateNote | None = None
    """The coach's note on the template it came from, as it reads now."""

    @property
    def routine_id(self) -> str:
        return self.assignment.routine_id


@dataclass(frozen=True)
class TemplateView:
    template: Template
    versions: list[TemplateVersion]
    shown: TemplateVersion
    """The version asked for (the latest unless another was named)."""
    may_change: bool
    """The author: may share it, unshare it, add versions."""


class Coaching:
    """Templates and assignments, for the coaches and admins of every clinic."""

    def __init__(
        self,
        store: CoachingStore,
        accounts: AccountsStore,
        builtin_ids: Callable[[], set[str]],
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.accounts = accounts
        self.builtin_ids = builtin_ids
        self.clock = clock
        self.notes = TemplateNoteStore(store.database)

    # --- templates --------------------------------------------------------------------
    def templates(self, actor: Actor) -> list[Template]:
        """A coach's own templates and their clinic's shared ones; every one for an admin."""
        if actor.role is Role.ADMIN:
            return self.store.templates(None, None)
        if actor.role is Role.COACH:
            return self.store.templates(actor.clinic_id, actor.user_id)
        raise ServiceError("templates are for coaches")

    def template(self, actor: Actor, template_id: str, version: int | None = None) -> TemplateView:
        """One template the actor may see, with its versions; ``NotFoundError`` otherwise."""
        template = self._visible(actor, template_id)
        versions = self.store.versions(template.id)
        shown = template.latest
        if version is not None:
            shown = next((v for v in versions if v.version == version), None)
            if shown is None:
                raise NotFoundError(f"this template has no version {version}")
        mine = actor.role is Role.COACH and template.author_id == actor.user_id
        return TemplateView(template, versions, shown, mine)

    def upload(self, actor: Actor, check: RoutineCheck) -> TemplateVersion:
        """Keep a checked routine file as the coach's template: a new template, or a new
        version of theirs with the same routine id."""
        if actor.role is not Role.COACH or actor.clinic_id is None:
            raise ServiceError("only a coach keeps templates")
        if check.routine is None:
            errors = [p for p in check.problems if p.severity == "error"]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise ServiceError(f"{errors[0]}{more}")
        routine: Routine = check.routine
        if routine.id in self.builtin_ids():
            raise ServiceError(f"'{routine.id}' is a built-in routine's id; give yours another id")
        name = "".join(c if c.isprintable() else "?" for c in check.source.name)
        name = name.rsplit("/", 1)[-1][:255]  # PostgreSQL keeps no NUL in text
        version = self.store.add_version(
            actor.clinic_id, actor.user_id, routine.id, routine.name[:200], name,
            check.source.text, self.clock(),
        )  # fmt: skip
        self._audit(actor, f"template version {version.version} added", None,
                    f"templates/{version.template_id}")  # fmt: skip
        return version

    def set_shared(self, actor: Actor, template_id: str, shared: bool) -> Template:
        """Share a template with the clinic's coaches, or take it back (its author only)."""
        template = self._visible(actor, template_id)
        if actor.role is not Role.COACH or template.author_id != actor.user_id:
            raise ServiceError(f"only {template.author_name or 'its author'} can share it or not")
        self.store.set_shared(template.id, shared)
        action = "template shared" if shared else "template no longer shared"
        self._audit(actor, action, None, f"templates/{template.id}")
        return self.store.template(template.id) or template

    def template_note(self, actor: Actor, template_id: str) -> TemplateNote | None:
        """The note every client of the template sees (``NotFoundError`` as ``template``)."""
        return self.notes.note(self._visible(actor, template_id).id)

    def write_template_note(self, actor: Actor, template_id: str, text: str) -> None:
        """Write, change or (empty) remove the template's note: its author only; it shows
        to every client it was assigned to, with the author's name and the time."""
        template = self._visible(actor, template_id)
        if actor.role is not Role.COACH or template.author_id != actor.user_id:
            raise ServiceError(f"only {template.author_name or 'its author'} can write its note")
        try:
            kept = read_note(text)
        except ScheduleError as error:
            raise FieldError("note", str(error)) from None
        (coach,) = self.accounts.accounts_with_ids([actor.user_id])
        self.notes.save(template.id, kept, actor.user_id, coach.display_name, self.clock())
        self._audit(actor, "template note written" if kept else "template note removed", None,
                    f"templates/{template.id}")  # fmt: skip

    def _visible(self, actor: Actor, template_id: str) -> Template:
        template = self.store.template(template_id)
        if template is None or not _may_see(actor, template):
            raise NotFoundError("there is no template with that id")
        return template

    # --- assignments ------------------------------------------------------------------
    def assign(
        self,
        actor: Actor,
        client_id: str,
        template_id: str,
        version: int | None,
        days: list[str],
        moment: str,
        at: str = "",
        note: str = "",
    ) -> Assignment:
        """Copy a template version to one of the coach's clients, with a schedule and a
        note; the client's assignment before it ends (kept in their history)."""
        if actor.role is not Role.COACH:
            raise ServiceError("only a client's coach assigns them a routine")
        client = self._client(actor, client_id)
        try:
            template = self._visible(actor, template_id)
        except NotFoundError:
            raise FieldError("template", "Template: choose one of the templates listed.") from None
        try:
            chosen = self.template(actor, template.id, version).shown
            schedule = read_schedule(days, moment, at)
            kept_note = read_note(note)
        except NotFoundError:
            raise FieldError("version", "Version: choose one of the template's versions.") from None
        except ScheduleError as error:
            raise FieldError(error.field, str(error)) from None
        (coach,) = self.accounts.accounts_with_ids([actor.user_id])
        assignment = self.store.assign(
            client, actor.user_id, coach.display_name, chosen, template.routine_id,
            schedule.to_json(), kept_note, self.clock(),
        )  # fmt: skip
        self._audit(actor, "routine assigned", client, f"templates/{template.id}")
        return assignment

    def change_note(self, actor: Actor, client_id: str, note: str) -> None:
        """Change (or, empty, remove) the note of the client's active assignment in place:
        the routine and its schedule stay, so the client's history is not rewritten."""
        if actor.role is not Role.COACH:
            raise ServiceError("only a client's coach writes the note on their routine")
        client = self._client(actor, client_id)
        try:
            kept = read_note(note)
        except ScheduleError as error:
            raise FieldError(error.field, str(error)) from None
        if not self.store.set_note(client, kept):
            raise FieldError("note", "Note: assign a routine first; the note goes with it.")
        self._audit(actor, "assignment note changed", client, None)

    def end_assignment(self, actor: Actor, client_id: str) -> bool:
        """The client has no assigned routine from now (the history stays)."""
        if actor.role is not Role.COACH:
            raise ServiceError("only a client's coach changes their routine")
        client = self._client(actor, client_id)
        ended = self.store.end_assignment(client, self.clock())
        if ended:
            self._audit(actor, "routine assignment ended", client, None)
        return ended

    def assignments(self, actor: Actor, client_id: str) -> list[Assignment]:
        """A client's assignments, active first: for the client, their coaches, an admin."""
        if actor.role is Role.CLIENT and actor.user_id != client_id:
            raise NotFoundError("there is no client with that id")
        if actor.role is not Role.CLIENT:
            self._client(actor, client_id, admin_too=True)
        return self.store.assignments(client_id)

    def _client(self, actor: Actor, client_id: str, admin_too: bool = False) -> str:
        """The id of a client the actor coaches (or, with ``admin_too``, an admin sees)."""
        if actor.role is Role.ADMIN and admin_too:
            owner = self.accounts.owner_of_account(client_id)
            if owner is None:
                raise NotFoundError("there is no client with that id")
            return client_id
        if client_id not in actor.assigned_client_ids:
            raise NotFoundError("there is no client with that id")
        return client_id

    def _audit(self, actor: Actor, action: str, subject: str | None, what: str | None) -> None:
        self.accounts.record(AuditEntry(self.clock(), action, actor.user_id, subject, what))


def _may_see(actor: Actor, template: Template) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is not Role.COACH or actor.clinic_id != template.clinic_id:
        return False
    return template.shared or template.author_id == actor.user_id


@dataclass
class FromCoach:
    """The routine a person's coach assigned them, if any (a person of a clinic)."""

    store: CoachingStore
    profile_id: Callable[[], str | None]
    """The person's profile; None for an account without one (then nothing is assigned)."""

    def current(self) -> CoachRoutine | None:
        profile = self.profile_id()
        if profile is None:
            return None
        found = self.store.active_for_profile(profile)
        if found is None:
            return None
        try:
            schedule = Schedule.from_json(found.schedule)
        except ScheduleError:  # written by this code, so only a hand-edited row
            return None
        return CoachRoutine(found, schedule, TemplateNoteStore(self.store.database).note_of_version(
            found.version_id))  # fmt: skip
