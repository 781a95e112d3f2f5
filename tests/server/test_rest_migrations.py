"""Alembic migrations: head creates exactly ``metadata``, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from server.auth.schema import auth_metadata
from server.cli import main
from server.store import Store
from server.store.migrations import HERE, current_revision, head_revision, upgrade
from server.store.schema import metadata


def test_head_is_read_without_alembic_correctly() -> None:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    assert ScriptDirectory.from_config(config).get_heads() == [head_revision()]


def _diff(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"target_metadata": [metadata, auth_metadata]}
            )
            return list(compare_metadata(context, [metadata, auth_metadata]))
    finally:
        engine.dispose()


def test_upgrade_empty_database_matches_metadata(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        assert upgrade(engine) == head_revision()
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            tables = set(inspect(conn).get_table_names())
        assert tables == set(metadata.tables) | set(auth_metadata.tables) | {"alembic_version"}
        assert _diff(store_url) == []
        # Current already: a no-op that changes nothing.
        assert upgrade(engine) == head_revision()
        assert _diff(store_url) == []
    finally:
        engine.dispose()
    # The store works on the migrated database (sequences exist on PostgreSQL).
    with Store(store_url) as st:
        created = st.create("Patient", {"resourceType": "Patient", "gender": "female"})
        assert st.read("Patient", created.res_id) is not None


def test_pre_alembic_database_is_stamped_and_upgraded(store_url: str) -> None:
    """A database made by create_all before migrations (the 0001 schema, no version table)."""
    engine = create_engine(store_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
        with Store(store_url) as st:
            st.create("Patient", {"resourceType": "Patient", "gender": "male"})
        assert upgrade(engine) == head_revision()
        assert _diff(store_url) == []
        with Store(store_url) as st:
            assert st.count("Patient") == 1
    finally:
        engine.dispose()


def test_migrate_command(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/m.sqlite"
    assert main(["migrate", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == f"database at revision {head_revision()}"
    assert _diff(url) == []


def test_0010_dates_the_reference_rows_and_leaves_one_per_target(store_url: str) -> None:
    """A database at 0009 with Observations, one undated and one whose index named its
    patient twice: after the upgrade every row carries its resource's date and the newest-first
    search walks them."""
    from server.store import search as s
    from server.store.fhirtime import MIN_US
    from server.store.registry import RESOURCE_TYPES

    engine = create_engine(store_url)
    try:
        upgrade(engine, "0009")
        dated = 1_772_359_200_000_000  # 2026-03-01T10:00:00Z
        rows = [(1001, "o1", dated), (1002, "o2", dated + 60_000_000), (1003, "o3", None)]
        with engine.begin() as conn:
            for pk, rid, when in rows:
                body = {"resourceType": "Observation", "id": rid, "status": "final"}
                conn.execute(
                    text(
                        "INSERT INTO resource (pk, res_type, res_id, version_id, seq, "
                        "last_updated, deleted, date_start, date_end, sort_name, data) VALUES "
                        "(:pk, 'Observation', :rid, 1, :pk, 1, false, :d, :d, NULL, :data)"
                    ),
                    {"pk": pk, "rid": rid, "d": when, "data": json.dumps(body)},
                )
                conn.execute(
                    text(
                        "INSERT INTO idx_reference (res_pk, res_type, param, target_type, "
                        "target_id) VALUES (:pk, 'Observation', 'subject', 'Patient', 'p1')"
                    ),
                    {"pk": pk},
                )
            conn.execute(  # o2 named its patient twice
                text(
                    "INSERT INTO idx_reference (res_pk, res_type, param, target_type, target_id) "
                    "VALUES (1002, 'Observation', 'subject', 'Patient', 'p1')"
                )
            )
        assert upgrade(engine) == head_revision()
        assert _diff(store_url) == []
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT res_pk, res_date FROM idx_reference ORDER BY res_pk")
            ).all()
        assert [tuple(r) for r in found] == [
            (1001, dated),
            (1002, dated + 60_000_000),
            (1003, MIN_US),
        ]
    finally:
        engine.dispose()
    with Store(store_url) as st:
        plan = s.plan_search(RESOURCE_TYPES["Observation"], [("patient", "p1"), ("_sort", "-date")])
        assert plan.driven()
        result = st.search(plan)
        assert [m.res_id for m in result.matches] == ["o2", "o1", "o3"]
        assert result.total == 3
