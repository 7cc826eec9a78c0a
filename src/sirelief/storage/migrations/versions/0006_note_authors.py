"""who wrote a note: the client or one of their coaches (issue 18 item 5)

Notes were written only by the person themself (the terminal and the demo); from here a
coach may write one on a client's session, so each note keeps its author's account id.
Old notes keep no author: they were the person's own. No foreign key, as in the audit log:
a note outlives the coach account that wrote it.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("notes", sa.Column("author_account_id", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("author_account_id")
