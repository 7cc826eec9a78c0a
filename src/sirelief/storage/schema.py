"""The tables. Every row a person owns carries their ``profile_id``.

Ids are text (UUID hex) chosen by the writer, never database sequences, so an export can be
imported anywhere without renumbering and a replayed write is recognised by its id.
Times are stored as UTC; session events keep the float seconds of the session clock.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ID = String(32)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, on SQLite (no time zones) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


def part_of(table: str, key_type: String = ID, primary_key: bool = False) -> Mapped[Any]:
    """A reference to ``table``'s row, deleted with it; indexed unless it is the key."""
    reference = ForeignKey(f"{table}.id", ondelete="CASCADE")
    return mapped_column(key_type, reference, primary_key=primary_key, index=not primary_key)


def owner() -> Mapped[str]:
    return part_of("profiles")


class ProfileRow(Base):
    __tablename__ = "profiles"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class CheckInRow(Base):
    __tablename__ = "checkins"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    taken_at: Mapped[datetime]
    pain: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]]
    """The check-in exactly as given (the JSON contract)."""


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    checkin_id: Mapped[str | None] = part_of("checkins")
    created_at: Mapped[datetime]
    routine_id: Mapped[str] = mapped_column(String(64))
    routine_version: Mapped[int] = mapped_column(Integer)
    routine: Mapped[dict[str, Any]]
    """The routine as it was when planned, so later edits never rewrite history."""
    plan: Mapped[dict[str, Any]]
    """The plan as it was planned (``Plan.to_json``)."""
    seed: Mapped[int] = mapped_column(Integer)
    randomise_first_side: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    """planned, running, completed or stopped."""
    ended_at: Mapped[float | None] = mapped_column(Double)
    max_pain: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_sessions_profile_created", "profile_id", "created_at"),
        # The coach's list reads when each client's started sessions were made: with the
        # status in no index, PostgreSQL read each of those (wide) rows (issue 21).
        Index(
            "ix_sessions_profile_started",
            "profile_id",
            "created_at",
            postgresql_where=text("status <> 'planned'"),
            sqlite_where=text("status <> 'planned'"),
        ),
    )


def session_started() -> ColumnElement[bool]:
    """A session that began (not only planned), written as ``ix_sessions_profile_started``
    is: the word inline, since a bound value keeps PostgreSQL's generic plans off it."""
    return SessionRow.status != literal_column("'planned'")


class EventRow(Base):
    """The append-only event log of a session. The event's own id is the key."""

    __tablename__ = "session_events"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = part_of("sessions")
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[float] = mapped_column(Double)
    kind: Mapped[str] = mapped_column(String(32))
    event: Mapped[dict[str, Any]]

    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        # The coach's list counts recent "too much" events: without this (small, partial)
        # index that count read every event of the installation (issue 21 item 1).
        Index(
            "ix_session_events_too_much", "session_id",
            postgresql_where=text("kind = 'too_much'"), sqlite_where=text("kind = 'too_much'"),
        ),
    )  # fmt: skip


class AssessmentRow(Base):
    """One 0-10 value (or a knee-to-wall distance) at one assessment point."""

    __tablename__ = "assessment_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = part_of("sessions")
    event_id: Mapped[str] = part_of("session_events", String(64))
    point: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Double)
    at: Mapped[float] = mapped_column(Double)

    __table_args__ = (UniqueConstraint("event_id", "region", "side"),)


class PainReportRow(Base):
    __tablename__ = "pain_reports"

    event_id: Mapped[str] = part_of("session_events", String(64), primary_key=True)
    session_id: Mapped[str] = part_of("sessions")
    at: Mapped[float] = mapped_column(Double)
    pain: Mapped[int] = mapped_column(Integer)
    step: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    """assessment or too_much."""


class MorningAnswerRow(Base):
    """Did the pain settle by the next morning (SPEC 5)? One answer per session."""

    __tablename__ = "morning_answers"

    session_id: Mapped[str] = part_of("sessions", primary_key=True)
    profile_id: Mapped[str] = owner()
    answered_at: Mapped[datetime]
    settled: Mapped[bool] = mapped_column(Boolean)
    pain: Mapped[int | None] = mapped_column(Integer)


class SafetyStopRow(Base):
    __tablename__ = "safety_stops"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    checkin_id: Mapped[str | None] = part_of("checkins")
    at: Mapped[datetime]
    urgency: Mapped[str] = mapped_column(String(16))
    decision: Mapped[dict[str, Any]]


class NoteRow(Base):
    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    session_id: Mapped[str | None] = part_of("sessions")
    at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    author_account_id: Mapped[str | None] = mapped_column(ID)
    """The account that wrote it (the client or a coach); None for the person's own notes
    in personal mode. No foreign key: a note outlives a coach's account."""


class UserRoutineRow(Base):
    """A routine the person added: the file's text exactly as written."""

    __tablename__ = "user_routines"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    routine_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("profile_id", "routine_id"),)


class PrecautionsRow(Base):
    """The precautions that apply to a person (SPEC 5.3), and when they last confirmed them."""

    __tablename__ = "precautions"

    profile_id: Mapped[str] = part_of("profiles", primary_key=True)
    ids: Mapped[list[str]] = mapped_column(JSON)
    confirmed_at: Mapped[datetime]


class ClearanceRow(Base):
    """A clinician's clearance of one "soon" red flag (SPEC 5.2); withdrawn, never deleted."""

    __tablename__ = "clearances"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    flag_id: Mapped[str] = mapped_column(String(64))
    cleared_on: Mapped[str] = mapped_column(String(10))
    by: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


class ReviewRow(Base):
    """A review the person recorded for one review-level red flag (SPEC 5.1); withdrawn, never
    deleted."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    flag_id: Mapped[str] = mapped_column(String(64))
    reviewed_on: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]


class ReviewAdviceRow(Base):
    """Review advice given for one review-level red flag, in the plan of a session (SPEC
    5.1): the advice comes again only a week after it was last given. Not exported: an
    imported plan's advice is not counted, so advice may come once sooner after an import."""

    __tablename__ = "review_advice"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    session_id: Mapped[str] = part_of("sessions")
    flag_id: Mapped[str] = mapped_column(String(64))
    advised_at: Mapped[datetime]


class TourSeenRow(Base):
    """The first-run tour, finished or skipped: once a profile has a row it is never shown
    again. Its own small table (not a column of ``profiles``), keyed by the profile. Not
    exported: an imported copy starts with the tour once more, which costs a tap."""

    __tablename__ = "tour_seen"

    profile_id: Mapped[str] = part_of("profiles", primary_key=True)
    ended: Mapped[str] = mapped_column(String(16))
    """``done`` (read to the end) or ``skipped``."""
    seen_at: Mapped[datetime]


class PreferencesRow(Base):
    """A person's own settings (issue 19 item 4): one row, written whole."""

    __tablename__ = "preferences"

    profile_id: Mapped[str] = part_of("profiles", primary_key=True)
    voice: Mapped[bool] = mapped_column(Boolean)
    voice_name: Mapped[str | None] = mapped_column(String(200))
    sound: Mapped[bool] = mapped_column(Boolean)
    equipment: Mapped[list[Any]] = mapped_column(JSON)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    randomise_first_side: Mapped[bool] = mapped_column(Boolean)
    reminder_days: Mapped[list[Any]] = mapped_column(JSON)
    """Day words, Monday first ("mon", "wed")."""
    reminder_time: Mapped[str] = mapped_column(String(5))
    """HH:MM, in the person's time zone."""
    updated_at: Mapped[datetime]


class CalendarFeedRow(Base):
    """A secret address of a person's reminder calendar: only the token's SHA-256 is kept.
    Revoked, never deleted (an unknown or revoked token finds nothing)."""

    __tablename__ = "calendar_feeds"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    profile_id: Mapped[str] = owner()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


# --- clinic mode (issue 17): accounts, logins, audit -------------------------------------


class InstallationRow(Base):
    """One row once ``sirelief setup`` ran: clinic mode is on."""

    __tablename__ = "installation"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime]


class ClinicRow(Base):
    """A tenant: its coaches and clients see nothing of another clinic."""

    __tablename__ = "clinics"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime]


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64), unique=True)
    """Case-folded (``domain.accounts.fold_user_name``)."""
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    clinic_id: Mapped[str | None] = part_of("clinics")
    """None for an admin, who stands above the clinics."""
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The last TOTP step accepted, so a code is never accepted twice."""
    disabled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    profile_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("profiles.id", ondelete="SET NULL"), index=True
    )
    """A client's profile, the row their exercise data hangs on."""


class CoachAssignmentRow(Base):
    """A client may have several coaches; a coach sees only the clients assigned."""

    __tablename__ = "coach_assignments"

    coach_id: Mapped[str] = part_of("accounts", primary_key=True)
    client_id: Mapped[str] = part_of("accounts", primary_key=True)


class RecoveryCodeRow(Base):
    """An unused recovery code's SHA-256; deleted when used."""

    __tablename__ = "recovery_codes"

    account_id: Mapped[str] = part_of("accounts", primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class LoginRow(Base):
    """A signed-in browser ("logins": ``sessions`` are exercise sessions)."""

    __tablename__ = "logins"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = part_of("accounts")
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    """The absolute end, whatever the use."""
    user_agent: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(64))


class InvitationRow(Base):
    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    clinic_id: Mapped[str] = part_of("clinics")
    role: Mapped[str] = mapped_column(String(16))
    invited_by: Mapped[str | None] = mapped_column(
        ID, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    account_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("accounts.id", ondelete="SET NULL")
    )
    """The account made with it, once used."""


class PasswordResetRow(Base):
    """A password-reset link an admin made for one account (only its token's hash)."""

    __tablename__ = "password_resets"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = part_of("accounts")
    made_by: Mapped[str | None] = mapped_column(ID, ForeignKey("accounts.id", ondelete="SET NULL"))
    """The admin who made it; None for the server's terminal."""
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    """A voided link (a newer one was made) expired then."""
    used_at: Mapped[datetime | None]


class SignInFailureRow(Base):
    """One failed sign-in, under the user name and under the address it came from."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160))
    at: Mapped[datetime]

    __table_args__ = (Index("ix_sign_in_failures_key_at", "key", "at"),)


class AuditRow(Base):
    """Append-only: the store has no update or delete, and a trigger refuses both."""

    __tablename__ = "audit_log"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(ID)
    """No foreign key: the log outlives the accounts it names."""
    action: Mapped[str] = mapped_column(String(64))
    subject_account_id: Mapped[str | None] = mapped_column(ID, index=True)
    object: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_at", "at"),)


# Tables kept in their own modules (they use Base and the helpers above)
from sirelief.storage.alert_rows import AlertRow, AlertSettingsRow  # noqa: E402
from sirelief.storage.coaching_rows import COACHING_TABLES  # noqa: E402
from sirelief.storage.findings_rows import ExaminationRow  # noqa: E402
from sirelief.storage.psfs_rows import PsfsActivityRow, PsfsRatingRow  # noqa: E402
from sirelief.storage.push_rows import (  # noqa: E402
    PushKeyRow,
    PushSubscriptionRow,
    ReminderSentRow,
)
from sirelief.storage.share_rows import (  # noqa: E402
    SHARE_ACCOUNT_TABLES,
    RoutineShareRow,
)

PROFILE_TABLES = (
    # children first, so deleting in this order never breaks a foreign key
    AssessmentRow, PainReportRow, EventRow, MorningAnswerRow, NoteRow, ReviewAdviceRow,
    SessionRow, SafetyStopRow, CheckInRow, UserRoutineRow, ClearanceRow, ReviewRow,
    PrecautionsRow, TourSeenRow, PreferencesRow, CalendarFeedRow, PushSubscriptionRow,
    ReminderSentRow, RoutineShareRow, PsfsActivityRow, PsfsRatingRow, ExaminationRow,
)  # fmt: skip
"""Every table of a person's rows besides ``profiles`` itself."""
ACCOUNT_TABLES = (
    AlertRow, AlertSettingsRow, AuditRow, SignInFailureRow, InvitationRow, PasswordResetRow,
    LoginRow, RecoveryCodeRow, *SHARE_ACCOUNT_TABLES, *COACHING_TABLES,
    CoachAssignmentRow, AccountRow, ClinicRow, InstallationRow,
)  # fmt: skip
"""The tables of clinic mode (no person's exercise data)."""
INSTALLATION_TABLES = (PushKeyRow,)
"""The installation's own rows, in either mode (no person's data): the VAPID key pair."""
