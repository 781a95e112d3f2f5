"""Alembic migrations of the store's schema (``server.store.schema.metadata``).

:func:`upgrade` brings a database to head; ``dho-server`` calls it on every start and
``dho-server migrate --db URL`` on demand. When the database is already current it costs one
``SELECT`` and never imports Alembic (start-up stays fast). A database created before migrations
existed (tables, no ``alembic_version``) is stamped with the baseline ``0001`` first.

Add a revision with ``DHO_MIGRATE_URL=<a database at head> alembic -c
server/store/migrations/alembic.ini revision --autogenerate -m "..."`` and review it by hand;
``tests/server/test_rest_migrations.py`` checks that head matches ``metadata``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)


def head_revision() -> str:
    """The single head, read from the revision files without importing Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (HERE / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = _REVISION.search(source)
        if rev is None:
            continue
        revisions.add(rev.group(1))
        down = _DOWN.search(source)
        if down is not None:
            parents.add(down.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def current_revision(conn: Connection) -> str | None:
    """The database's revision; None for an empty or pre-Alembic database."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Upgrade to ``revision`` (default head); returns the revision the database is at."""
    target = head_revision() if revision == "head" else revision
    with engine.connect() as conn:
        current = current_revision(conn)
        if current == target:
            return current
        legacy = current is None and inspect(conn).has_table("resource")
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        if legacy:
            command.stamp(config, BASELINE)
        command.upgrade(config, target)
    with engine.connect() as conn:
        return current_revision(conn) or ""
