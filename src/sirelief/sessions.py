"""Use cases for running a session: start one from a check-in, record, resume, finish.

Shared by the terminal now and the web app next. Sessions are kept as journals in the
user's data folder until the database arrives.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cached_property

from sirelief.domain.checkin import CheckIn
from sirelief.domain.plan import Plan
from sirelief.domain.planner import PlanOptions, plan_session
from sirelief.domain.routine import Routine
from sirelief.domain.safety import StopDecision
from sirelief.domain.session import Event, SessionState, apply, replay
from sirelief.journal import Journal, UnreadableJournalError, journals
from sirelief.planning import Planning
from sirelief.services import Library, ServiceError


@dataclass
class RunningSession:
    """A session being run: its plan, its journal and its live state."""

    journal: Journal
    plan: Plan
    checkin: CheckIn
    state: SessionState

    @property
    def session_id(self) -> str:
        return self.journal.session_id

    def record(self, event: Event) -> SessionState:
        """Persist first, then fold: the state never shows what is not on disk."""
        self.journal.append(event)
        self.state = apply(self.state, event)
        return self.state


def new_event_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Sessions:
    library: Library

    @cached_property
    def planning(self) -> Planning:
        return Planning(self.library)

    @property
    def folder(self):
        return self.library.settings.data_dir / "sessions"

    def start(
        self, checkin: CheckIn, routine_id: str | None, options: PlanOptions, now: datetime
    ) -> RunningSession | StopDecision:
        result, routine = self.planning.plan_routine(checkin, routine_id, options)
        if isinstance(result, StopDecision) or routine is None:
            return result
        header = {
            "created_at": now.astimezone(UTC).isoformat(),
            "routine": routine.model_dump(mode="json"),
            "checkin": checkin.model_dump(mode="json"),
            "seed": options.seed,
            "randomise_first_side": options.randomise_first_side,
            "reasons": list(result.reasons),
        }
        session_id = now.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        journal = Journal.create(self.folder, session_id, header)
        return RunningSession(journal, result, checkin, replay(result, []))

    def load(self, journal: Journal) -> RunningSession:
        """Rebuild a session from its journal: the same plan, the same state."""
        header, events = journal.read()
        try:
            routine = Routine.model_validate(header["routine"])
            checkin = CheckIn.model_validate(header["checkin"])
            options = PlanOptions(header["seed"], header["randomise_first_side"])
        except (KeyError, ValueError) as error:
            raise UnreadableJournalError(journal.path, 1, f"damaged header: {error}") from None
        plan = plan_session(routine, self.library.catalogue, checkin, options)
        plan = replace(plan, reasons=tuple(header.get("reasons", plan.reasons)))
        return RunningSession(journal, plan, checkin, replay(plan, events))

    def latest_unfinished(self) -> RunningSession:
        """The newest session not yet ended. A damaged journal is passed over, not fatal."""
        damaged = []
        for journal in journals(self.folder):
            try:
                running = self.load(journal)
            except UnreadableJournalError as error:
                damaged.append(str(error))
                continue
            if running.state.ended is None:
                return running
        note = f" (could not read: {'; '.join(damaged)})" if damaged else ""
        raise ServiceError(
            f"no unfinished session to resume{note}; start one with: sirelief session"
        )
