"""initial tables

Revision ID: 0001
Revises:
Create Date: 2026-11-22 08:13:40.685627
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "profiles",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profiles")),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_checkins_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "user_routines",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("routine_id", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_user_routines_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_routines")),
        sa.UniqueConstraint(
            "profile_id", "routine_id", name=op.f("uq_user_routines_profile_id_routine_id")
        ),
    )
    with op.batch_alter_table("user_routines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_routines_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "safety_stops",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("checkin_id", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_safety_stops_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_safety_stops_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_stops")),
    )
    with op.batch_alter_table("safety_stops", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_stops_checkin_id"), ["checkin_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safety_stops_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("checkin_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("routine_id", sa.String(length=64), nullable=False),
        sa.Column("routine_version", sa.Integer(), nullable=False),
        sa.Column("routine", sa.JSON(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("randomise_first_side", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ended_at", sa.Double(), nullable=True),
        sa.Column("max_pain", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_sessions_checkin_id_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_sessions_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_checkin_id"), ["checkin_id"], unique=False)
        batch_op.create_index(
            "ix_sessions_profile_created", ["profile_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sessions_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "morning_answers",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_morning_answers_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_morning_answers_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_morning_answers")),
    )
    with op.batch_alter_table("morning_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_morning_answers_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "notes",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_notes_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_notes_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_profile_id"), ["profile_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_session_id"), ["session_id"], unique=False)

    op.create_table(
        "session_events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_events_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_events")),
        sa.UniqueConstraint("session_id", "seq", name=op.f("uq_session_events_session_id_seq")),
    )
    with op.batch_alter_table("session_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_events_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "assessment_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("point", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["session_events.id"],
            name=op.f("fk_assessment_values_event_id_session_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_assessment_values_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_values")),
        sa.UniqueConstraint(
            "event_id", "region", "side", name=op.f("uq_assessment_values_event_id_region_side")
        ),
    )
    with op.batch_alter_table("assessment_values", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_values_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_values_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "pain_reports",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.Double(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["session_events.id"],
            name=op.f("fk_pain_reports_event_id_session_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_pain_reports_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_pain_reports")),
    )
    with op.batch_alter_table("pain_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pain_reports_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("pain_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_reports_session_id"))

    op.drop_table("pain_reports")
    with op.batch_alter_table("assessment_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_values_session_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_values_event_id"))

    op.drop_table("assessment_values")
    with op.batch_alter_table("session_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_events_session_id"))

    op.drop_table("session_events")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_session_id"))
        batch_op.drop_index(batch_op.f("ix_notes_profile_id"))

    op.drop_table("notes")
    with op.batch_alter_table("morning_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_morning_answers_profile_id"))

    op.drop_table("morning_answers")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_profile_id"))
        batch_op.drop_index("ix_sessions_profile_created")
        batch_op.drop_index(batch_op.f("ix_sessions_checkin_id"))

    op.drop_table("sessions")
    with op.batch_alter_table("safety_stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_stops_profile_id"))
        batch_op.drop_index(batch_op.f("ix_safety_stops_checkin_id"))

    op.drop_table("safety_stops")
    with op.batch_alter_table("user_routines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_routines_profile_id"))

    op.drop_table("user_routines")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_profile_id"))

    op.drop_table("checkins")
    op.drop_table("profiles")
