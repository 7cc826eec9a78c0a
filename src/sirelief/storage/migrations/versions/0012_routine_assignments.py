"""coaches' routine templates, their versions, and the routines assigned to clients
(issue 18 item 2)

Three new tables; nothing existing changes (no batch mode). A template belongs to a
clinic and its author; an assignment keeps a copy of the version it was made from.

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "routine_templates",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("routine_id", sa.String(length=64), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"],
            name=op.f("fk_routine_templates_clinic_id_clinics"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["accounts.id"],
            name=op.f("fk_routine_templates_author_id_accounts"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine_templates")),
        sa.UniqueConstraint(
            "author_id", "routine_id", name=op.f("uq_routine_templates_author_id_routine_id")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_routine_templates_clinic_id"), "routine_templates", ["clinic_id"], unique=False
    )
    op.create_index(
        op.f("ix_routine_templates_author_id"), "routine_templates", ["author_id"], unique=False
    )
    op.create_table(
        "routine_template_versions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("template_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"], ["routine_templates.id"],
            name=op.f("fk_routine_template_versions_template_id_routine_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine_template_versions")),
        sa.UniqueConstraint(
            "template_id", "version",
            name=op.f("uq_routine_template_versions_template_id_version"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_routine_template_versions_template_id"), "routine_template_versions",
        ["template_id"], unique=False,
    )  # fmt: skip
    op.create_table(
        "routine_assignments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("coach_id", sa.String(length=32), nullable=True),
        sa.Column("coach_name", sa.String(length=120), nullable=False),
        sa.Column("version_id", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("routine_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["accounts.id"],
            name=op.f("fk_routine_assignments_client_id_accounts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["accounts.id"],
            name=op.f("fk_routine_assignments_coach_id_accounts"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"], ["routine_template_versions.id"],
            name=op.f("fk_routine_assignments_version_id_routine_template_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine_assignments")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_routine_assignments_client_id"), "routine_assignments", ["client_id"],
        unique=False,
    )  # fmt: skip
    op.create_index(
        "ix_routine_assignments_client_ended", "routine_assignments", ["client_id", "ended_at"],
        unique=False,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_routine_assignments_client_ended", table_name="routine_assignments")
    op.drop_index(op.f("ix_routine_assignments_client_id"), table_name="routine_assignments")
    op.drop_table("routine_assignments")
    op.drop_index(
        op.f("ix_routine_template_versions_template_id"), table_name="routine_template_versions"
    )
    op.drop_table("routine_template_versions")
    op.drop_index(op.f("ix_routine_templates_author_id"), table_name="routine_templates")
    op.drop_index(op.f("ix_routine_templates_clinic_id"), table_name="routine_templates")
    op.drop_table("routine_templates")
