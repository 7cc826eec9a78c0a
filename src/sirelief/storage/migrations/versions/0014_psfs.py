"""the weekly PSFS: the person's activities and their ratings (issue 20 item 2)

Two new tables; nothing existing changes (no batch mode). A rating keeps each activity's
words with its score, so a later rename leaves old scores as they were meant.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "psfs_activities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_psfs_activities_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_psfs_activities")),
        sa.UniqueConstraint(
            "profile_id", "position", name=op.f("uq_psfs_activities_profile_id_position")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_psfs_activities_profile_id"), "psfs_activities", ["profile_id"], unique=False
    )
    op.create_table(
        "psfs_ratings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_psfs_ratings_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_psfs_ratings")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_psfs_ratings_profile_id"), "psfs_ratings", ["profile_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_psfs_ratings_profile_id"), table_name="psfs_ratings")
    op.drop_table("psfs_ratings")
    op.drop_index(op.f("ix_psfs_activities_profile_id"), table_name="psfs_activities")
    op.drop_table("psfs_activities")
