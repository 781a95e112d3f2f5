"""The lead's review keeps what it computed across restarts (issue 12 follow-up).

``review_day``: each Europe/Oslo day's Observation counts per patient and kind, with the
fingerprint (count, highest change number) they were counted under; ``review_row``: each alert
Task, Communication and video Encounter as a review row per resource version; the partial index
``ix_observation_day_seq`` gives the fingerprint from the index alone. All three are caches.

Revision ID: 0008
Revises: 0006 (0007 is issue 13's; chain after it if it reaches main first)
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_observation_day_seq",
        "resource",
        ["date_start", "seq"],
        unique=False,
        sqlite_where=sa.text("res_type = 'Observation'"),
        postgresql_where=sa.text("res_type = 'Observation'"),
    )
    op.create_table(
        "review_day",
        sa.Column("day", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("obs_count", sa.BigInteger(), nullable=False),
        sa.Column("top_seq", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "review_row",
        sa.Column("res_pk", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(length=64), nullable=True),
        sa.Column("t", sa.Float(), nullable=True),
        sa.Column("row", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("res_pk"),
    )
    op.create_index("ix_review_row_type", "review_row", ["res_type"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_review_row_type", table_name="review_row")
    op.drop_table("review_row")
    op.drop_table("review_day")
    op.drop_index("ix_observation_day_seq", table_name="resource")
