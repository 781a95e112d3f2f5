"""Sign-in abuse tables: failed attempts per key, and each user's known addresses.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.auth.schema import auth_known_address, auth_throttle

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = (auth_throttle, auth_known_address)


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in TABLES:
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind, checkfirst=True)
