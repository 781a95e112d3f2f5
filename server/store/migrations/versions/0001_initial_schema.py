"""Initial schema: the store's tables as they were before Alembic took over.

Databases created by ``metadata.create_all`` before migrations existed are stamped with this
revision (see ``server.store.migrate``) and upgraded from here.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.CreateSequence(sa.Sequence("resource_pk_seq")))
        op.execute(sa.schema.CreateSequence(sa.Sequence("change_seq")))
    op.create_table(
        "idx_date",
        sa.Column("res_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("param", sa.String(length=64), nullable=False),
        sa.Column("start_us", sa.BigInteger(), nullable=False),
        sa.Column("end_us", sa.BigInteger(), nullable=False),
    )
    op.create_index(
        "ix_idx_date_lookup", "idx_date", ["res_type", "param", "start_us"], unique=False
    )
    op.create_index("ix_idx_date_res", "idx_date", ["res_pk", "res_type", "param"], unique=False)

    op.create_table(
        "idx_reference",
        sa.Column("res_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("param", sa.String(length=64), nullable=False),
        sa.Column("target_type", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=1024), nullable=False),
    )
    op.create_index(
        "ix_idx_reference_lookup",
        "idx_reference",
        ["res_type", "param", "target_id", "res_pk"],
        unique=False,
    )
    op.create_index(
        "ix_idx_reference_res", "idx_reference", ["res_pk", "res_type", "param"], unique=False
    )

    op.create_table(
        "idx_string",
        sa.Column("res_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("param", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("exact", sa.String(length=255), nullable=False),
    )
    op.create_index(
        "ix_idx_string_lookup", "idx_string", ["res_type", "param", "value"], unique=False
    )
    op.create_index(
        "ix_idx_string_res", "idx_string", ["res_pk", "res_type", "param"], unique=False
    )

    op.create_table(
        "idx_token",
        sa.Column("res_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("param", sa.String(length=64), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=False),
    )
    op.create_index(
        "ix_idx_token_lookup",
        "idx_token",
        ["res_type", "param", "code", "system", "res_pk"],
        unique=False,
    )
    op.create_index("ix_idx_token_res", "idx_token", ["res_pk", "res_type", "param"], unique=False)

    op.create_table(
        "latest_observation",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=255), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("effective", sa.BigInteger(), nullable=False),
        sa.Column("res_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
    )
    op.create_index(
        "ix_latest_pair",
        "latest_observation",
        ["patient_id", "system", "code", "rank"],
        unique=False,
    )
    op.create_index("ix_latest_rank", "latest_observation", ["rank"], unique=False)

    op.create_table(
        "resource",
        sa.Column(
            "pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("res_id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("last_updated", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("date_start", sa.BigInteger(), nullable=True),
        sa.Column("date_end", sa.BigInteger(), nullable=True),
        sa.Column("sort_name", sa.String(length=255), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("res_type", "res_id", name="uq_resource_type_id"),
    )
    op.create_index("ix_resource_seq", "resource", ["seq"], unique=False)
    op.create_index(
        "ix_resource_type_date", "resource", ["res_type", "date_start", "pk"], unique=False
    )
    op.create_index(
        "ix_resource_type_lastupdated", "resource", ["res_type", "last_updated", "pk"], unique=False
    )

    op.create_table(
        "resource_history",
        sa.Column("pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("res_type", sa.String(length=64), nullable=False),
        sa.Column("res_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("last_updated", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("pk", "version_id", name="pk_resource_history"),
    )
    op.create_index("ix_resource_history_seq", "resource_history", ["seq"], unique=False)


def downgrade() -> None:
    for table in (
        "resource_history",
        "resource",
        "latest_observation",
        "idx_token",
        "idx_string",
        "idx_reference",
        "idx_date",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.schema.DropSequence(sa.Sequence("change_seq")))
        op.execute(sa.schema.DropSequence(sa.Sequence("resource_pk_seq")))
