"""a clinician's findings: provocation tests and the Fortin finger sign (issue 20 item 3)

One new table; nothing existing changes (no batch mode).

Revision ID: 0015
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinical_findings",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("examined_on", sa.String(length=10), nullable=False),
        sa.Column("examiner", sa.String(length=200), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("fortin", sa.String(length=16), nullable=False),
        sa.Column("fortin_side", sa.String(length=8), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=True),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=True),
        sa.Column("recorded_by_role", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_clinical_findings_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinical_findings")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_clinical_findings_profile_id"), "clinical_findings", ["profile_id"],
        unique=False,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index(op.f("ix_clinical_findings_profile_id"), table_name="clinical_findings")
    op.drop_table("clinical_findings")
