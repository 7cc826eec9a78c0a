"""alerts for a client's coaches, and each coach's alert settings (issue 18 item 4)

Two new tables; nothing existing changes (``accounts`` is only referred to, never altered,
so no batch mode). A coach without a settings row has the defaults.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("coach_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("cause", sa.String(length=120), nullable=False),
        sa.Column("happened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("says", sa.String(length=300), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_by", sa.String(length=32), nullable=True),
        sa.Column("send_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["accounts.id"],
            name=op.f("fk_alerts_coach_id_accounts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["accounts.id"],
            name=op.f("fk_alerts_client_id_accounts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint(
            "coach_id", "client_id", "kind", "cause",
            name=op.f("uq_alerts_coach_id_client_id_kind_cause"),
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_alerts_coach_id"), "alerts", ["coach_id"], unique=False)
    op.create_index(op.f("ix_alerts_client_id"), "alerts", ["client_id"], unique=False)
    op.create_table(
        "alert_settings",
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("inactive_days", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"],
            name=op.f("fk_alert_settings_account_id_accounts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_alert_settings")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("alert_settings")
    op.drop_index(op.f("ix_alerts_client_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_coach_id"), table_name="alerts")
    op.drop_table("alerts")
