"""The simulator's ground truth (device errors, skipped measurements) for training backends.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sim_truth",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_us", sa.BigInteger(), nullable=False),
        sa.Column("end_us", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_sim_truth_patient", "sim_truth", ["patient_id", "start_us"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sim_truth_patient", table_name="sim_truth")
    op.drop_table("sim_truth")
