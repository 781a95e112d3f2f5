"""Sign-in tables (passwords, clients, codes, refresh tokens, installation settings).

They were created on demand by ``AuthStore`` before this revision; a database that already
has them keeps them as they are (same definitions), a new one gets them here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from server.auth.schema import auth_client, auth_code, auth_refresh, auth_setting, auth_user

# The tables of this revision (later ones add their own).
AUTH_TABLES = (auth_setting, auth_user, auth_client, auth_code, auth_refresh)

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in AUTH_TABLES:
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(AUTH_TABLES):
        table.drop(bind, checkfirst=True)
