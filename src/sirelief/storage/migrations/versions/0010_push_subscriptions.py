"""Web Push reminders (issue 19 item 3b): browsers' subscriptions, the reminders sent,
and the installation's VAPID key pair

Three new tables; nothing existing changes (``profiles`` is only referred to, never
altered, so no batch mode).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("endpoint_hash", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", sa.String(length=100), nullable=False),
        sa.Column("auth", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_push_subscriptions_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint_hash", name=op.f("uq_push_subscriptions_endpoint_hash")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_push_subscriptions_profile_id"), "push_subscriptions", ["profile_id"],
        unique=False,
    )  # fmt: skip
    op.create_table(
        "reminders_sent",
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_reminders_sent_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "due_at", name=op.f("pk_reminders_sent")),
    )  # fmt: skip
    op.create_table(
        "push_keys",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_keys")),
    )


def downgrade() -> None:
    op.drop_table("push_keys")
    op.drop_table("reminders_sent")
    op.drop_index(op.f("ix_push_subscriptions_profile_id"), table_name="push_subscriptions")
    op.drop_table("push_subscriptions")
