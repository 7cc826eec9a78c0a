"""a partial index on the sessions that started (issue 21)

A coach's client list reads, for each client, when they last started a session and when
each session of the last month was made, leaving out the ones only planned. With the
status outside the index, PostgreSQL fetched every one of those sessions' rows (wide:
they hold the plan) to read it: for 200 clients some 1,700 table pages a view. This
index holds only the started sessions, so both reads come from the index alone.

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STARTED = sa.text("status <> 'planned'")


def upgrade() -> None:
    op.create_index(
        "ix_sessions_profile_started", "sessions", ["profile_id", "created_at"],
        postgresql_where=STARTED, sqlite_where=STARTED,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_sessions_profile_started", table_name="sessions")
