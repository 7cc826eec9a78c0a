"""review advice kept as a fact: which flags a session's plan advised a review for (SPEC 5.1)

Until now "when was review advice last given" was found by matching the advice's wording
in every stored plan, so rewording the advice in the red-flag file would have made it come
back every day. From here the plan's advice is written beside the session.

Old databases are backfilled here, once, with that same wording match against the red-flag
file shipped today (frozen below, not imported, so later changes to the domain cannot change
what this revision did). No fallback read is kept: the store reads only the new table. A plan
whose wording no longer matches is not counted, so at worst its advice comes once sooner
than a week after it, never later. Downgrading drops the facts (the plans keep their words).

Revision ID: 0005
Revises: 0004
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sirelief.catalogue.loader import builtin_safety_rules

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SESSIONS = sa.table(
    "sessions",
    sa.column("id", sa.String(32)),
    sa.column("profile_id", sa.String(32)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("plan", sa.JSON),
)
ADVICE = sa.table(
    "review_advice",
    sa.column("id", sa.String(32)),
    sa.column("profile_id", sa.String(32)),
    sa.column("session_id", sa.String(32)),
    sa.column("flag_id", sa.String(64)),
    sa.column("advised_at", sa.DateTime(timezone=True)),
)
BATCH = 500


def advised_in(reasons: list[str], badge: str, whys: list[tuple[str, str]]) -> list[str]:
    """The review flags a plan's reasons advised (as ``flag_records.advised_in`` did at
    revision 0004): the advice line starts with the badge, each flag adds its "why"."""
    if not any(isinstance(r, str) and r.startswith(f"{badge}. ") for r in reasons):
        return []
    said = set(reasons)
    return [flag_id for flag_id, why in whys if why in said]


def backfill() -> None:
    rules = builtin_safety_rules()
    badge = rules.advice_for("review").badge
    whys = [(flag.id, flag.why) for flag in rules.at("review")]
    connection = op.get_bind()
    rows: list[dict] = []
    query = sa.select(SESSIONS).order_by(SESSIONS.c.created_at, SESSIONS.c.id)
    for session in connection.execute(query):
        reasons = list((session.plan or {}).get("reasons", ()))
        for flag_id in advised_in(reasons, badge, whys):
            rows.append({"id": uuid.uuid4().hex, "profile_id": session.profile_id,
                         "session_id": session.id, "flag_id": flag_id,
                         "advised_at": session.created_at})  # fmt: skip
    for start in range(0, len(rows), BATCH):
        connection.execute(ADVICE.insert(), rows[start : start + BATCH])


def upgrade() -> None:
    op.create_table(
        "review_advice",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("profile_id", sa.String(length=32), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("flag_id", sa.String(length=64), nullable=False),
        sa.Column("advised_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["profiles.id"],
            name=op.f("fk_review_advice_profile_id_profiles"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"],
            name=op.f("fk_review_advice_session_id_sessions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_advice")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_review_advice_profile_id"), "review_advice", ["profile_id"], unique=False
    )
    op.create_index(
        op.f("ix_review_advice_session_id"), "review_advice", ["session_id"], unique=False
    )
    backfill()


def downgrade() -> None:
    op.drop_index(op.f("ix_review_advice_session_id"), table_name="review_advice")
    op.drop_index(op.f("ix_review_advice_profile_id"), table_name="review_advice")
    op.drop_table("review_advice")
