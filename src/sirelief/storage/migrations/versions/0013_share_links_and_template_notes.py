"""share links of routines and template versions, and coaches' notes on templates
(issue 18 items 5 and 6)

Three new tables; nothing existing changes (no batch mode). A share link keeps the hash of
its token and a copy of the file it shares.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "routine_share_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("routine_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_routine_share_links_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routine_share_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_routine_share_links_token_hash")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_routine_share_links_profile_id"), "routine_share_links", ["profile_id"],
        unique=False,
    )  # fmt: skip
    op.create_index(
        op.f("ix_routine_share_links_routine_id"), "routine_share_links", ["routine_id"],
        unique=False,
    )  # fmt: skip
    op.create_table(
        "template_share_links",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("template_id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("shown_name", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["template_id"], ["routine_templates.id"],
            name=op.f("fk_template_share_links_template_id_routine_templates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["accounts.id"],
            name=op.f("fk_template_share_links_created_by_accounts"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_share_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_template_share_links_token_hash")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_template_share_links_template_id"), "template_share_links", ["template_id"],
        unique=False,
    )  # fmt: skip
    op.create_table(
        "routine_template_notes",
        sa.Column("template_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=True),
        sa.Column("author_name", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"], ["routine_templates.id"],
            name=op.f("fk_routine_template_notes_template_id_routine_templates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["accounts.id"],
            name=op.f("fk_routine_template_notes_author_id_accounts"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("template_id", name=op.f("pk_routine_template_notes")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("routine_template_notes")
    op.drop_index(op.f("ix_template_share_links_template_id"), table_name="template_share_links")
    op.drop_table("template_share_links")
    op.drop_index(op.f("ix_routine_share_links_routine_id"), table_name="routine_share_links")
    op.drop_index(op.f("ix_routine_share_links_profile_id"), table_name="routine_share_links")
    op.drop_table("routine_share_links")
