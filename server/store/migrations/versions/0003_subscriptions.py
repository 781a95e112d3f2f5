"""Topic-based Subscriptions: per-subscription event counters, numbered events, binding tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscription_state",
        sa.Column("sub_id", sa.String(length=64), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sub_id"),
    )
    op.create_table(
        "subscription_event",
        sa.Column("sub_id", sa.String(length=64), nullable=False),
        sa.Column("event_number", sa.BigInteger(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("res_id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("timestamp", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("sub_id", "event_number", name="pk_subscription_event"),
    )
    op.create_table(
        "subscription_token",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("sub_ids", sa.Text(), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token"),
    )


def downgrade() -> None:
    op.drop_table("subscription_token")
    op.drop_table("subscription_event")
    op.drop_table("subscription_state")
