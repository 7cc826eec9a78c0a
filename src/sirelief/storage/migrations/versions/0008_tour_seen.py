"""the first-run tour: which profiles have finished or skipped it (issue 19, item 6)

A new small table keyed by the profile, rather than a column of ``profiles``: adding a
column there on SQLite would need batch mode, which copies the table and drops the rows
that refer to it. Existing profiles start without a row, so a person who used sirelief
before this revision sees the three screens once, and can skip them with one tap.
Downgrading drops the table: the tour then shows once more after an upgrade.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tour_seen",
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("ended", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_tour_seen_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", name=op.f("pk_tour_seen")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("tour_seen")
