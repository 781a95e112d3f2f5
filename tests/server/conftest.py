"""Fixtures for the backend tests: stores on SQLite and (optionally) PostgreSQL, an in-process
app client, and a session-wide real backend subprocess for read-only checks.

PostgreSQL runs when one answers on 127.0.0.1:5432 or ``DHO_TEST_POSTGRES_URL`` names one
(``tests/postgres.py``; a fresh database per session, a fresh schema per test, both dropped
afterwards); it is skipped otherwise unless ``DHO_REQUIRE_POSTGRES=1``, which turns the skip
into a failure (CI).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

from server.store import Store
from tests.backend import RunningBackend, start_backend
from tests.postgres import require_postgres
from tests.server.inprocess import AppClient, serve_in_thread


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[URL]:
    """A fresh, uniquely named PostgreSQL database for this session (dropped afterwards)."""
    import psycopg

    admin = make_url(require_postgres())
    name = f"dho_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name)
    finally:
        with psycopg.connect(_libpq(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    import psycopg

    base: URL = request.getfixturevalue("postgres_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(base), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    st = Store(store_url)
    st.create_schema()
    try:
        yield st
    finally:
        st.close()


@pytest.fixture
def client(store: Store) -> Iterator[AppClient]:
    """The app served in-process (uvicorn in a thread), heartbeat 0.3 s for WebSocket tests."""
    with serve_in_thread(store, heartbeat=0.3) as app_client:
        yield app_client


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    """One real backend subprocess (30 seeded patients, no simulator) for read-only tests."""
    running = start_backend(tmp_path_factory.mktemp("backend"), seed_patients=30, heartbeat=0.5)
    try:
        yield running
    finally:
        running.stop()
