"""The first-run tour (issue 19, item 6): three short screens a person sees once, before
their first Today, unless they have finished or skipped them before.

Only a newcomer is sent there: a person who already has sessions (an upgrade that brought
the tour) never meets it unasked; anyone can still open it from Settings.

Only a person with exercise data of their own takes it (personal mode, a clinic's
clients); never a coach or an admin, never the made-up demo, and never where the
installation turned it off (``SIRELIEF_FIRST_RUN_TOUR=0``).
"""

from collections.abc import Callable
from datetime import datetime

from sirelief.services.errors import ServiceError
from sirelief.storage.store import Store
from sirelief.storage.tour_store import TourStore

ENDINGS = ("done", "skipped")


class FirstRunTour:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        offered: bool = True,
        has_sessions: Callable[[], bool] = lambda: False,
    ) -> None:
        self.store = store
        self.seen_store = TourStore(store)
        self.clock = clock
        self.offered = offered
        """False in the demo and where the installation turned the tour off."""
        self.has_sessions = has_sessions
        """Whether the person has any session yet: then they are no newcomer."""

    def due(self) -> bool:
        """Whether the tour should come before Today for this person."""
        return (
            self.offered
            and self.store.has_profile
            and not self.seen_store.seen()
            and not self.has_sessions()
        )

    def end(self, how: str) -> None:
        """The tour is over (read to the end, or skipped): it never comes again."""
        if how not in ENDINGS:
            raise ServiceError(f"the tour ends as 'done' or 'skipped', not {how!r}")
        if self.store.has_profile:
            self.seen_store.mark_seen(how, self.clock())
