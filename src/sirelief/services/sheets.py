"""Use case: the printable sheet of a routine or of a coach's template version (issue 18
item 7). Who may see which routine is decided where the routine is read (``Routines``,
``Coaching``); this builds the sheet and says whether a coach's note goes with it."""

from dataclasses import dataclass

from sirelief.catalogue.loader import SourceFile, check_routine_file
from sirelief.domain.access import Actor
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.sheet import Sheet, build_sheet
from sirelief.services.coaching import Coaching, FromCoach, NotFoundError
from sirelief.services.errors import ServiceError
from sirelief.services.routines import Routines


@dataclass(frozen=True)
class SheetView:
    sheet: Sheet
    note: str | None = None
    """The coach's note, when this is the routine they assigned the person."""
    schedule: str | None = None
    """When the coach asked for it, in words (the assigned routine only)."""
    template_version: int | None = None
    """The template version shown (a coach's template only)."""


@dataclass
class Sheets:
    catalogue: Catalogue
    routines: Routines
    coaching: Coaching
    from_coach: FromCoach

    def for_routine(self, routine_id: str) -> SheetView:
        """A routine the person can run; ``ServiceError`` for one they cannot."""
        entry = self.routines.get(routine_id)
        sheet = build_sheet(entry.routine, self.catalogue)
        if entry.origin != "coach":
            return SheetView(sheet)
        assigned = self.from_coach.current()
        if assigned is None:
            return SheetView(sheet)
        return SheetView(sheet, assigned.assignment.note or None, assigned.schedule.in_words())

    def for_template(self, actor: Actor, template_id: str, version: int | None) -> SheetView:
        """A template version the coach may see; ``NotFoundError`` otherwise."""
        shown = self.coaching.template(actor, template_id, version).shown
        check = check_routine_file(SourceFile(shown.file_name, shown.source), self.catalogue)
        if check.routine is None:  # checked when it was kept: only a changed catalogue
            raise ServiceError("this version no longer passes the routine checks")
        return SheetView(build_sheet(check.routine, self.catalogue), template_version=shown.version)


__all__ = ["NotFoundError", "SheetView", "Sheets"]
