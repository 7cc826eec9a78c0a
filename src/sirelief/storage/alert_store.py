"""Coaches' alerts and their settings, and the client records the alert rules read.

Raising is insert-if-absent on the table's unique key (``ON CONFLICT DO NOTHING`` on
SQLite and PostgreSQL alike), so two server processes raising the same cause at once still
leave one row, and only the process whose insert made it learns that it is new. An email is
claimed with one conditional update before it is sent, so it goes out once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sirelief.domain.accounts import AuditEntry
from sirelief.domain.alerts import (
    HIGH_PAIN,
    ClientRecords,
    DueAlert,
    MorningRecord,
    PainRecord,
    StopRecord,
    TooMuchRecord,
)
from sirelief.storage.account_rows import audit
from sirelief.storage.database import Database, one_of
from sirelief.storage.follow_store import last_sessions
from sirelief.storage.schema import (
    AccountRow,
    AlertRow,
    AlertSettingsRow,
    CheckInRow,
    CoachAssignmentRow,
    EventRow,
    MorningAnswerRow,
    PainReportRow,
    SafetyStopRow,
    SessionRow,
    session_started,
)
from sirelief.storage.store import new_id

MORNINGS_READ = 10
"""Recent next-morning answers read: enough to find two unsettled in a row."""
SESSION_SPAN = timedelta(days=1)
"""A session's events may come up to this long after it was made."""


@dataclass(frozen=True)
class Client:
    """A client account as the alert rules need it."""

    id: str
    profile_id: str
    display_name: str
    joined_at: datetime


@dataclass(frozen=True)
class StoredAlert:
    id: str
    coach_id: str
    client_id: str
    client_name: str
    kind: str
    cause: str
    happened_at: datetime
    says: str
    dismissed_at: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True)
class AlertSettings:
    inactive_days: int | None
    email: str | None


def _client(row: AccountRow) -> Client:
    return Client(row.id, row.profile_id, row.display_name, row.created_at)


def _when(seconds: float, session_at: datetime) -> datetime:
    """An event's time from the browser's or terminal's clock, when it is plausible (within
    a day after its session was made on the server's clock); else the session's time."""
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return session_at
    return moment if session_at <= moment <= session_at + SESSION_SPAN else session_at


class AlertStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    # --- who ----------------------------------------------------------------------------
    def client_of_profile(self, profile_id: str) -> Client | None:
        query = select(AccountRow).where(AccountRow.profile_id == profile_id)
        with self.database.read() as tx:
            row = tx.scalars(query).first()
            return _client(row) if row is not None and row.role == "client" else None

    def client(self, client_id: str) -> Client | None:
        with self.database.read() as tx:
            row = tx.get(AccountRow, client_id)
            if row is None or row.role != "client" or row.profile_id is None:
                return None
            return _client(row)

    def coaches_of(self, client_id: str) -> list[str]:
        """The enabled coaches who follow the client."""
        query = (
            select(CoachAssignmentRow.coach_id)
            .join(AccountRow, AccountRow.id == CoachAssignmentRow.coach_id)
            .where(CoachAssignmentRow.client_id == client_id, AccountRow.disabled_at.is_(None))
        )
        with self.database.read() as tx:
            return sorted(tx.scalars(query))

    def followed_clients(self) -> list[Client]:
        """Every client some coach follows (what ``sirelief alerts check`` goes through)."""
        followed = select(CoachAssignmentRow.client_id)
        query = select(AccountRow).where(
            AccountRow.id.in_(followed), AccountRow.profile_id.is_not(None)
        )
        with self.database.read() as tx:
            return [_client(row) for row in tx.scalars(query)]

    def last_sessions(self, clients: list[Client]) -> dict[str, datetime]:
        """When each client last started a session (clients who never did are absent)."""
        by_profile = {client.profile_id: client.id for client in clients}
        with self.database.read() as tx:
            found = tx.execute(last_sessions([p for p in by_profile if p is not None]))
            return {by_profile[profile]: at for profile, at in found if at is not None}

    def clients(self, client_ids: frozenset[str] | list[str]) -> list[Client]:
        with self.database.read() as tx:
            connection = tx.connection()
            query = select(
                AccountRow.id, AccountRow.profile_id, AccountRow.display_name, AccountRow.created_at
            ).where(
                one_of(AccountRow.id, list(client_ids), connection.dialect.name),
                AccountRow.role == "client", AccountRow.profile_id.is_not(None),
            )  # fmt: skip
            return [Client(*row) for row in connection.execute(query)]

    # --- what the rules read ------------------------------------------------------------
    def records_of(self, client: Client, since: datetime) -> ClientRecords:
        profile = client.profile_id
        in_sessions = and_(
            SessionRow.profile_id == profile, SessionRow.created_at >= since - SESSION_SPAN
        )
        with self.database.read() as tx:
            stops = tx.execute(
                select(SafetyStopRow.id, SafetyStopRow.at, SafetyStopRow.urgency).where(
                    SafetyStopRow.profile_id == profile, SafetyStopRow.at >= since
                )
            ).all()
            checkins = tx.execute(
                select(CheckInRow.id, CheckInRow.taken_at, CheckInRow.pain).where(
                    CheckInRow.profile_id == profile,
                    CheckInRow.taken_at >= since,
                    CheckInRow.pain >= HIGH_PAIN,
                )
            ).all()
            pains = tx.execute(
                select(
                    PainReportRow.event_id,
                    PainReportRow.at,
                    PainReportRow.pain,
                    SessionRow.created_at,
                )
                .join(SessionRow, SessionRow.id == PainReportRow.session_id)
                .where(in_sessions, PainReportRow.pain >= HIGH_PAIN)
            ).all()
            too_much = tx.execute(
                select(EventRow.id, EventRow.at, EventRow.event, SessionRow.created_at)
                .join(SessionRow, SessionRow.id == EventRow.session_id)
                .where(in_sessions, EventRow.kind == "too_much")
            ).all()
            mornings = tx.execute(
                select(
                    MorningAnswerRow.session_id,
                    SessionRow.created_at,
                    MorningAnswerRow.answered_at,
                    MorningAnswerRow.settled,
                )
                .join(SessionRow, SessionRow.id == MorningAnswerRow.session_id)
                .where(MorningAnswerRow.profile_id == profile)
                .order_by(SessionRow.created_at.desc())
                .limit(MORNINGS_READ)
            ).all()
            last = tx.scalar(
                select(func.max(SessionRow.created_at)).where(
                    SessionRow.profile_id == profile, session_started()
                )
            )
        return ClientRecords(
            client.id, client.joined_at,
            stops=tuple(StopRecord(r.id, r.at, r.urgency) for r in stops),
            checkins=tuple(PainRecord(r.id, r.taken_at, r.pain) for r in checkins),
            session_pains=tuple(
                PainRecord(r.event_id, _when(r.at, r.created_at), r.pain) for r in pains
            ),
            too_much=tuple(
                TooMuchRecord(r.id, _when(r.at, r.created_at), (r.event or {}).get("symptom"))
                for r in too_much
            ),
            mornings=tuple(MorningRecord(*row) for row in mornings),
            last_session=last,
        )  # fmt: skip

    # --- alerts -------------------------------------------------------------------------
    def add_if_absent(self, coach_id: str, alerts: list[DueAlert], now: datetime) -> list[str]:
        """Store each alert unless its key is stored for this coach; the ids of the new."""
        made = []
        with self.database.write() as tx:
            dialect = tx.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            for alert in alerts:
                alert_id = new_id()
                statement = (
                    insert(AlertRow)
                    .values(
                        id=alert_id,
                        coach_id=coach_id,
                        client_id=alert.client_id,
                        kind=alert.kind,
                        cause=alert.cause,
                        happened_at=alert.at,
                        raised_at=now,
                        says=alert.says[:300],
                    )
                    .on_conflict_do_nothing(
                        index_elements=["coach_id", "client_id", "kind", "cause"]
                    )
                    .returning(AlertRow.id)
                )
                made.extend(tx.scalars(statement))  # a row only when this insert made it
        return made

    def _alerts(self, *conditions) -> list[StoredAlert]:
        query = (
            select(AlertRow, AccountRow.display_name)
            .join(AccountRow, AccountRow.id == AlertRow.client_id)
            .where(*conditions)
            .order_by(AlertRow.happened_at.desc(), AlertRow.id)
        )
        with self.database.read() as tx:
            return [
                StoredAlert(
                    row.id,
                    row.coach_id,
                    row.client_id,
                    name,
                    row.kind,
                    row.cause,
                    row.happened_at,
                    row.says,
                    row.dismissed_at,
                    row.sent_at,
                )
                for row, name in tx.execute(query)
            ]

    def open_for(self, coach_id: str) -> list[StoredAlert]:
        """The coach's alerts not yet dismissed, newest first."""
        return self._alerts(AlertRow.coach_id == coach_id, AlertRow.dismissed_at.is_(None))

    def alerts_with_ids(self, alert_ids: list[str]) -> list[StoredAlert]:
        return self._alerts(AlertRow.id.in_(alert_ids))

    def all_alerts(self) -> list[StoredAlert]:
        return self._alerts()

    def dismiss(self, alert_id: str, coach_id: str, client_id: str, entry: AuditEntry) -> bool:
        """Dismiss the coach's own open alert about this client; False when there is none."""
        statement = (
            update(AlertRow)
            .where(
                AlertRow.id == alert_id,
                AlertRow.coach_id == coach_id,
                AlertRow.client_id == client_id,
                AlertRow.dismissed_at.is_(None),
            )
            .values(dismissed_at=entry.at, dismissed_by=coach_id)
        )
        with self.database.write() as tx:
            if tx.execute(statement).rowcount != 1:
                return False
            audit(tx, entry)
            return True

    # --- email --------------------------------------------------------------------------
    def unsent(self, since: datetime) -> list[StoredAlert]:
        """Open alerts raised since ``since`` whose email has not gone."""
        return self._alerts(
            AlertRow.sent_at.is_(None), AlertRow.dismissed_at.is_(None),
            AlertRow.raised_at >= since,
        )  # fmt: skip

    def claim(self, alert_id: str, now: datetime, stale_after: timedelta) -> bool:
        """Take the alert's email to send; False when sent, or another process took it
        less than ``stale_after`` ago."""
        statement = (
            update(AlertRow)
            .where(
                AlertRow.id == alert_id,
                AlertRow.sent_at.is_(None),
                or_(
                    AlertRow.send_claimed_at.is_(None), AlertRow.send_claimed_at < now - stale_after
                ),
            )
            .values(send_claimed_at=now)
        )
        with self.database.write() as tx:
            return tx.execute(statement).rowcount == 1

    def mark_sent(self, alert_id: str, now: datetime) -> None:
        with self.database.write() as tx:
            tx.execute(update(AlertRow).where(AlertRow.id == alert_id).values(sent_at=now))

    def release(self, alert_id: str) -> None:
        """A failed send: the next check may try again at once."""
        statement = update(AlertRow).where(AlertRow.id == alert_id).values(send_claimed_at=None)
        with self.database.write() as tx:
            tx.execute(statement)

    # --- settings -----------------------------------------------------------------------
    def settings_of(self, account_id: str) -> AlertSettings | None:
        with self.database.read() as tx:
            row = tx.get(AlertSettingsRow, account_id)
            return AlertSettings(row.inactive_days, row.email) if row else None

    def save_settings(
        self, account_id: str, settings: AlertSettings, now: datetime, entry: AuditEntry
    ) -> None:
        with self.database.write() as tx:
            row = tx.get(AlertSettingsRow, account_id)
            if row is None:
                row = AlertSettingsRow(account_id=account_id, updated_at=now)
                tx.add(row)
            row.inactive_days, row.email, row.updated_at = (
                settings.inactive_days, settings.email, now,
            )  # fmt: skip
            audit(tx, entry)
