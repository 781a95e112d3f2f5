"""History indexes (``_history`` by type and ``_since``) and the conditional-create key table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_index("ix_resource_lastupdated", "resource", ["last_updated"])
    op.create_index("ix_resource_history_type_seq", "resource_history", ["res_type", "seq"])
    op.create_index("ix_resource_history_lastupdated", "resource_history", ["last_updated"])
    op.create_table(
        "conditional_key",
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("query_hash", sa.String(length=64), nullable=False),
        sa.Column("res_pk", PK, nullable=False),
        sa.PrimaryKeyConstraint("res_type", "query_hash", name="pk_conditional_key"),
    )


def downgrade() -> None:
    op.drop_table("conditional_key")
    op.drop_index("ix_resource_history_lastupdated", "resource_history")
    op.drop_index("ix_resource_history_type_seq", "resource_history")
    op.drop_index("ix_resource_lastupdated", "resource")
