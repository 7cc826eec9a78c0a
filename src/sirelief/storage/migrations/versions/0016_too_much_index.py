"""a partial index on session events of kind "too_much" (issue 21 item 1)

A coach's client list counts each client's recent "too much" events. Without an index on
that kind, PostgreSQL answered by reading every event of the installation, so the list
slowed as the whole clinic's history grew. The index holds only those rare events.

Revision ID: 0016
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONLY_TOO_MUCH = sa.text("kind = 'too_much'")


def upgrade() -> None:
    op.create_index(
        "ix_session_events_too_much", "session_events", ["session_id"],
        postgresql_where=ONLY_TOO_MUCH, sqlite_where=ONLY_TOO_MUCH,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_session_events_too_much", table_name="session_events")
