"""A coach following their clients (issue 18 item 3): the list, sorted by who needs a
look, and one client's dashboard.

Both read in a fixed number of queries, whatever the number of clients or sessions: the
list asks for every client's activity at once (``FollowStore.activity``), and the
dashboard loads the window's sessions in one batch and hands them to the same pure code as
the person's own Insights page (``build_insights``), so the coach sees the same figures
and the same honest words. Access was decided before: the web guard (or ``Coaching``)
let only the client's coaches and an admin in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from sirelief.domain.access import Actor, Role
from sirelief.domain.accounts import Account
from sirelief.domain.catalogue import Catalogue
from sirelief.domain.coaching import Schedule, ScheduleError
from sirelief.domain.flag_records import CLEARANCE, REVIEW, FlagRecord
from sirelief.domain.follow_up import (
    ADHERENCE_DAYS,
    RECENT_DAYS,
    ScheduleAdherence,
    SchedulePeriod,
    Standing,
    adherence,
    attention_key,
    days_since,
    missed_since,
)
from sirelief.domain.insights import Insights, build_insights
from sirelief.domain.local_time import zone_named
from sirelief.domain.psfs import PsfsRating
from sirelief.domain.records import SessionRecord
from sirelief.domain.results import session_results
from sirelief.domain.too_much_reports import TooMuchReport, too_much_reports
from sirelief.services.accounts import Accounts
from sirelief.services.alerts import Alerts
from sirelief.services.coaching import Coaching
from sirelief.services.safety_care import SafetyCare
from sirelief.storage.alert_store import StoredAlert
from sirelief.storage.coaching_store import Assignment, Template
from sirelief.storage.follow_store import (
    Activity,
    FollowStore,
    NoteSeen,
    Period,
    StopSeen,
    VersionSeen,
)
from sirelief.storage.safety_store import PrecautionAnswers
from sirelief.storage.session_log import SessionLog

STOPS_SHOWN = 20
NOTES_SHOWN = 10


def _periods(schedules: list[tuple[dict, datetime, datetime | None]]) -> list[SchedulePeriod]:
    found = []
    for schedule, start, end in schedules:
        try:
            found.append(SchedulePeriod(Schedule.from_json(schedule).days, start, end))
        except ScheduleError:  # only a hand-edited row: it plans nothing
            continue
    return found


@dataclass(frozen=True)
class ClientLine:
    """One client of the list."""

    account: Account
    standing: Standing
    last_session: datetime | None
    days_since: int | None
    adherence: ScheduleAdherence
    zone: tzinfo
    """The client's time zone: the list dates their last session on their own day."""


ADHERENCE_KEPT = 4096
"""Clients whose adherence a process keeps worked out (a few hundred bytes each)."""


@dataclass
class ClientList:
    """A coach's (or an admin's) clients, who needs a look first."""

    accounts: Accounts
    alerts: Alerts
    store: FollowStore
    clock: Callable[[], datetime]
    installation_zone: Callable[[], tzinfo]
    _adherence: dict[str, tuple[tuple, ScheduleAdherence]] = field(
        default_factory=dict, init=False, repr=False
    )
    """Per client, their adherence and everything it was worked out from: a list shown
    again works out only the clients whose sessions, schedule, zone or day changed."""

    def read(self, actor: Actor) -> tuple[list[ClientLine], list[StoredAlert]]:
        """The lines, sorted (``follow_up.SORT_WORDS``), and the coach's open alerts."""
        clients = self.accounts.clients_of(actor)
        if not clients:
            return [], self.alerts.open_for(actor)
        now = self.clock()
        profiles = [c.profile_id for c in clients if c.profile_id]
        activity = self.store.activity(
            profiles, now - timedelta(days=ADHERENCE_DAYS + 1), now - timedelta(days=RECENT_DAYS)
        )
        last_sessions = {c.id: activity[c.profile_id].last_session for c in clients
                         if c.profile_id and activity[c.profile_id].last_session}  # fmt: skip
        open_alerts = self.alerts.open_for(actor, last_sessions)
        zones = self.store.zones(profiles)
        periods = self.store.periods([c.id for c in clients], now - timedelta(days=366))
        alerted: dict[str, int] = {}
        for alert in open_alerts:
            alerted[alert.client_id] = alerted.get(alert.client_id, 0) + 1
        fallback = self.installation_zone()
        lines = []
        for client in clients:
            seen = activity.get(client.profile_id or "", Activity())
            zone = zone_named(zones.get(client.profile_id or ""), fallback)
            planned = _periods([(p.schedule, p.assigned_at, p.ended_at)
                                for p in periods.get(client.id, [])])  # fmt: skip
            quiet_from = seen.last_session or client.created_at
            standing = Standing(
                client.id, client.display_name, alerted.get(client.id, 0), seen.recent_stops,
                seen.recent_too_much,
                missed_since(planned, seen.last_session, now, zone, since=client.created_at),
                days_since(quiet_from, now, zone),
            )  # fmt: skip
            lines.append(ClientLine(client, standing, seen.last_session,
                                    days_since(seen.last_session, now, zone),
                                    self._adherence_of(client.id, planned, seen, now, zone),
                                    zone))  # fmt: skip
        lines.sort(key=lambda line: attention_key(line.standing))
        return lines, open_alerts

    def _adherence_of(
        self, client_id: str, planned: list[SchedulePeriod], seen: Activity, now: datetime,
        zone: tzinfo,
    ) -> ScheduleAdherence:  # fmt: skip
        """``adherence`` over the list's window, kept while what it reads is unchanged."""
        key = (seen.started_seconds, tuple(planned), zone, now.astimezone(zone).date())
        kept = self._adherence.get(client_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        started = [datetime.fromtimestamp(moment, UTC) for moment in seen.started_seconds]
        found = adherence(planned, started, now, zone)
        if len(self._adherence) >= ADHERENCE_KEPT:
            self._adherence.clear()  # a clinic this size shows its lists again at the same cost
        self._adherence[client_id] = (key, found)
        return found


@dataclass(frozen=True)
class TooMuchSeen:
    session_id: str
    at: datetime
    report: TooMuchReport


@dataclass(frozen=True)
class VersionLink:
    version: VersionSeen
    visible: bool
    """The reader may open the template (their own, or shared in their clinic)."""


@dataclass(frozen=True)
class SessionLine:
    """One of the window's sessions as the dashboard lists it."""

    id: str
    created_at: datetime
    routine_name: str
    status: str
    """planned, running, completed, stopped or abandoned."""
    pain_before: int | None
    pain_after: int | None
    morning_settled: bool | None
    """The next morning's answer (None: not given)."""

    @classmethod
    def of(cls, record: SessionRecord) -> "SessionLine":
        results = session_results(record.state, record.checkin.pain)
        morning = record.morning.settled if record.morning else None
        return cls(record.id, record.created_at, record.plan.routine_name, record.status,
                   results.pain_before, results.pain_after, morning)  # fmt: skip


@dataclass(frozen=True)
class WindowDigest:
    """What the dashboard draws from the window's sessions: their figures, their lines,
    when each started one was made, their "too much" reports."""

    insights: Insights
    sessions: list[SessionLine]
    started: list[datetime]
    """Newest first."""
    too_much: list[TooMuchSeen]


@dataclass(frozen=True)
class Dashboard:
    """Everything a client's page shows their coach."""

    today: date
    zone: tzinfo
    last_session: datetime | None
    days_since: int | None
    adherence: ScheduleAdherence
    insights: Insights
    recent: list[SessionLine]
    """The window's sessions, newest first."""
    too_much: list[TooMuchSeen]
    stops: list[StopSeen]
    precautions: PrecautionAnswers | None
    clearances: dict[str, FlagRecord]
    reviews: dict[str, FlagRecord]
    assignments: list[Assignment]
    templates: list[Template]
    """The coach's templates (what the page offers to assign); none for an admin."""
    versions: list[VersionLink]
    notes: list[NoteSeen]
    open_alerts: list[StoredAlert]


@dataclass
class ClientDashboard:
    """One client's dashboard, read through that client's own view of the data."""

    log: SessionLog
    store: FollowStore
    catalogue: Catalogue
    coaching: Coaching
    safety: SafetyCare
    alerts: Alerts
    profile_id: Callable[[], str | None]
    zone: Callable[[], tzinfo]
    clock: Callable[[], datetime]
    psfs_ratings: Callable[[], list[PsfsRating]] = list
    """The client's weekly PSFS ratings (their activities score, read, never written)."""
    _digests: dict[int, tuple[tuple, WindowDigest]] = field(
        default_factory=dict, init=False, repr=False
    )
    """Per number of weeks, the last window digested and what it was read from."""

    def read(self, actor: Actor, client_id: str, weeks: int = 12) -> Dashboard:
        """The dashboard over the last ``weeks`` weeks (at least the adherence window)."""
        profile = self.profile_id()
        assignments = self.coaching.assignments(actor, client_id)  # NotFoundError if not theirs
        zone = self.zone()
        now = self.clock()
        local = now.astimezone(zone)
        since = local - timedelta(weeks=max(weeks, ADHERENCE_DAYS // 7), days=1)
        window = self._window(since, local.date(), zone, weeks)
        last = window.started[0] if window.started else None
        if last is None and profile is not None:
            last = self.store.activity([profile], now, now)[profile].last_session
        planned = _periods([(a.schedule, a.assigned_at, a.ended_at) for a in assignments])
        templates = self.coaching.templates(actor) if actor.role is Role.COACH else []
        return Dashboard(
            today=local.date(),
            zone=zone,
            last_session=last,
            days_since=days_since(last, now, zone),
            adherence=adherence(planned, window.started, now, zone),
            insights=window.insights,
            recent=window.sessions,
            too_much=window.too_much,
            stops=self.store.stops(profile, STOPS_SHOWN) if profile else [],
            precautions=self.safety.precautions(),
            clearances=self.safety.standing(CLEARANCE),
            reviews=self.safety.standing(REVIEW),
            assignments=assignments,
            templates=templates,
            versions=self._versions(actor, assignments, templates),
            notes=self.store.notes(profile, NOTES_SHOWN) if profile else [],
            open_alerts=self.alerts.open_about(actor, client_id),
        )

    def _window(self, since: datetime, today: date, zone: tzinfo, weeks: int) -> WindowDigest:
        """The window's sessions digested. Kept while they read back the same (one small
        query asks: ``SessionLog.versions``) and the day, zone and PSFS ratings are the
        same, so a coach reopening a dashboard does not reload and replay every session;
        whatever another process wrote shows at once, since the versions come from the
        database on every read."""
        key = (self.log.versions(since), tuple(self.psfs_ratings()), today, zone, weeks)
        kept = self._digests.get(weeks)
        if kept is not None and kept[0] == key:
            return kept[1]
        records = self.log.sessions(since=since)
        started = [r for r in records if r.state.started_at is not None]
        digest = WindowDigest(
            build_insights(records, self.catalogue.exercises.values(), today, zone, weeks,
                           list(key[1])),
            [SessionLine.of(r) for r in records],
            [r.created_at for r in started],
            [TooMuchSeen(r.id, r.created_at, report)
             for r in records for report in too_much_reports(r.plan, r.events)],
        )  # fmt: skip
        self._digests[weeks] = (key, digest)
        return digest

    def _versions(
        self, actor: Actor, assignments: list[Assignment], templates: list[Template]
    ) -> list[VersionLink]:
        """Every version of the templates the client was assigned, newest first; a coach
        may open those among ``templates``, an admin every one."""
        ids = [a.version_id for a in assignments if a.version_id]
        versions = self.store.versions(ids)
        if not versions:
            return []
        visible = (
            {v.template_id for v in versions}
            if actor.role is Role.ADMIN
            else {t.id for t in templates}
        )
        return [VersionLink(v, v.template_id in visible) for v in versions]


__all__ = ["ClientDashboard", "ClientLine", "ClientList", "Dashboard", "Period", "SessionLine"]
