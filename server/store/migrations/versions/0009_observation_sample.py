"""Every usable vital-sign value by patient and time, for the rules engine (issue 16, scale).

``observation_sample`` holds what the rules read of a patient's last 14 days as one range of rows
(WITHOUT ROWID on SQLite: a patient's rows lie together), where reading it through ``resource``
touched one page per Observation. The upgrade fills it from the Observations already stored,
with the same function the store's writes use (server.store.samples), in ranges of 20,000 pks,
staged and moved in key order.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from alembic import op

from server.store.samples import COLUMNS, sample_rows, stage_samples, unstage_samples

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PAGE = 20_000  # pks per step


def upgrade() -> None:
    op.create_table(
        "observation_sample",
        sa.Column("patient_id", sa.String(length=64), nullable=False),
        sa.Column("t", sa.Float(), nullable=False),
        sa.Column("res_id", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("var", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", "t", "res_id", "n", name="pk_observation_sample"),
        sqlite_with_rowid=False,
    )
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    ph = "?" if sqlite else "%s"
    # Ranges of pk (the rowid on SQLite), not LIMIT pages: SQLite would otherwise walk the
    # type index and sort every Observation for each page. "+" keeps it off that index.
    typed = "+r.res_type" if sqlite else "r.res_type"
    select_range = (
        "SELECT r.pk, r.data, ref.target_id FROM resource r LEFT JOIN idx_reference ref "
        "ON ref.res_pk = r.pk AND ref.res_type = 'Observation' AND ref.param = 'subject' "
        f"AND ref.target_type = 'Patient' WHERE {typed} = 'Observation' AND r.pk > {ph} "
        f"AND r.pk <= {ph} AND r.deleted = {ph}"
    )
    top = conn.exec_driver_sql("SELECT max(pk) FROM resource").scalar() or 0
    if top:
        logging.getLogger("dho.migrate").warning(
            "filling observation_sample from the stored Observations (once; about a minute "
            "per million)"
        )
    stage = "sample_stage"
    stage_samples(conn, stage)
    insert = f"INSERT INTO {stage} ({COLUMNS}) VALUES ({', '.join([ph] * 6)})"
    for lo in range(0, int(top), PAGE):
        rows = []
        for _pk, data, patient in conn.exec_driver_sql(select_range, (lo, lo + PAGE, False)).all():
            rows.extend(sample_rows(json.loads(data), patient))
        if rows:
            conn.exec_driver_sql(insert, rows)
    unstage_samples(conn, stage)


def downgrade() -> None:
    op.drop_table("observation_sample")
