"""Alembic environment: online migrations on a connection the caller passes, or on a URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from server.auth.schema import auth_metadata
from server.store.schema import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=[metadata, auth_metadata],
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or os.environ["DHO_MIGRATE_URL"]
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
