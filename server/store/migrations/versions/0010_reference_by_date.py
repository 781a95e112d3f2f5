"""A target's index rows carry the referring resource's date (issue 16, search at scale).

``idx_reference.res_date`` is the resource's ``date_start`` (MIN_US when it has none), and
``ix_idx_reference_target`` (type, parameter, target, target type, date, pk descending) replaces
``ix_idx_reference_lookup``: "this patient's newest 100 Observations" is one backward walk of it
instead of a page read per match. The upgrade fills the column from ``resource`` in one
statement and leaves one row per (resource, parameter, target): the search now joins these rows,
and a resource that named the same target twice would otherwise match twice.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

from server.store.fhirtime import MIN_US

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_KEY = "res_pk, res_type, param, target_type, target_id"


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    rows = conn.exec_driver_sql("SELECT count(*) FROM idx_reference").scalar() or 0
    if rows > 100_000:
        logging.getLogger("dho.migrate").warning(
            "dating %d reference index rows (once; about 2 minutes per 5 million on PostgreSQL)",
            rows,
        )
    op.drop_index("ix_idx_reference_lookup", table_name="idx_reference")
    op.add_column("idx_reference", sa.Column("res_date", sa.BigInteger(), nullable=True))
    if sqlite:
        conn.exec_driver_sql(
            "UPDATE idx_reference SET res_date = coalesce((SELECT date_start FROM resource "
            f"WHERE resource.pk = idx_reference.res_pk), {MIN_US})"
        )
    else:
        conn.exec_driver_sql(
            f"UPDATE idx_reference AS i SET res_date = coalesce(r.date_start, {MIN_US}) "
            "FROM resource AS r WHERE r.pk = i.res_pk"
        )
        conn.exec_driver_sql(f"UPDATE idx_reference SET res_date = {MIN_US} WHERE res_date IS NULL")
    twice = conn.exec_driver_sql(
        f"SELECT {_KEY}, min(res_date) FROM idx_reference GROUP BY {_KEY} HAVING count(*) > 1"
    ).all()
    ph = "?" if sqlite else "%s"
    for row in twice:
        conn.exec_driver_sql(
            f"DELETE FROM idx_reference WHERE res_pk = {ph} AND res_type = {ph} AND param = {ph} "
            f"AND target_type = {ph} AND target_id = {ph}",
            tuple(row[:5]),
        )
        conn.exec_driver_sql(
            f"INSERT INTO idx_reference ({_KEY}, res_date) VALUES ({', '.join([ph] * 6)})",
            tuple(row),
        )
    op.create_index(
        "ix_idx_reference_target",
        "idx_reference",
        [
            "res_type",
            "param",
            "target_id",
            "target_type",
            "res_date",
            sa.text("res_pk DESC"),
        ],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_idx_reference_target", table_name="idx_reference")
    with op.batch_alter_table("idx_reference") as batch:
        batch.drop_column("res_date")
    op.create_index(
        "ix_idx_reference_lookup",
        "idx_reference",
        ["res_type", "param", "target_id", "res_pk"],
        unique=False,
    )
