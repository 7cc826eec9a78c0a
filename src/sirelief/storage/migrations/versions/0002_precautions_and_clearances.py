"""precautions and clearances (SPEC 5.2, 5.3)

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "precautions",
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("ids", sa.JSON(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_precautions_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_precautions")),
    )  # fmt: skip
    op.create_table(
        "clearances",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("flag_id", sa.String(length=64), nullable=False),
        sa.Column("cleared_on", sa.String(length=10), nullable=False),
        sa.Column("by", sa.String(length=120), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_clearances_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )  # fmt: skip
    op.create_index(op.f("ix_clearances_profile_id"), "clearances", ["profile_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_clearances_profile_id"), table_name="clearances")
    op.drop_table("clearances")
    op.drop_table("precautions")
