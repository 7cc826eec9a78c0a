"""a person's settings and their reminder calendar's secret addresses (issue 19 items 3a, 4)

Two new tables; nothing existing changes (``profiles`` is only referred to, never altered,
so no batch mode). A person without a row has the defaults.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("voice", sa.Boolean(), nullable=False),
        sa.Column("voice_name", sa.String(length=200), nullable=True),
        sa.Column("sound", sa.Boolean(), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("randomise_first_side", sa.Boolean(), nullable=False),
        sa.Column("reminder_days", sa.JSON(), nullable=False),
        sa.Column("reminder_time", sa.String(length=5), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_preferences_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_preferences")),
    )  # fmt: skip
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_calendar_feeds_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_calendar_feeds_profile_id"), "calendar_feeds", ["profile_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feeds_profile_id"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    op.drop_table("preferences")
