"""Which PostgreSQL the tests use: ``DHO_TEST_POSTGRES_URL``, else a local one that answers.

`make test` runs the PostgreSQL tests on any machine where PostgreSQL listens on
127.0.0.1:5432 and lets the ``postgres`` role in without a password (Debian's package with the
``trust`` line `.ci/run` adds), without anyone setting a variable. ``DHO_TEST_POSTGRES_URL=off``
skips them on purpose; ``DHO_REQUIRE_POSTGRES=1`` (CI) turns a skip into a failure.
"""

from __future__ import annotations

import functools
import os

import pytest

LOCAL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REQUIRE_PG = os.environ.get("DHO_REQUIRE_POSTGRES") == "1"


@functools.cache
def postgres_url() -> str | None:
    """The admin URL to make test databases with, or None when there is no PostgreSQL."""
    configured = os.environ.get("DHO_TEST_POSTGRES_URL", "").strip()
    if configured.lower() in ("off", "no", "0", "false"):
        return None
    if configured:
        return configured
    return LOCAL_URL if _answers(LOCAL_URL) else None


def _answers(url: str) -> bool:
    """A real login (not only an open port), given a second: a wrong password means skip."""
    import psycopg
    from sqlalchemy.engine import make_url

    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(libpq, connect_timeout=1) as conn:
            conn.execute("select 1")
    except psycopg.Error:
        return False
    return True


def require_postgres() -> str:
    """The URL, or skip the test (fail it under ``DHO_REQUIRE_POSTGRES=1``)."""
    url = postgres_url()
    if url is None:
        if REQUIRE_PG:
            pytest.fail("DHO_REQUIRE_POSTGRES=1 but no PostgreSQL answers on 127.0.0.1:5432")
        pytest.skip("no PostgreSQL on 127.0.0.1:5432 (or DHO_TEST_POSTGRES_URL=off)")
    return url
