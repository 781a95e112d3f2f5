"""``observation_sample``: the per-patient values the rules read, kept with every write and
filled by the migration from what was stored before it (issue 16, scale)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text

from server.rules.engine import observation_values
from server.sim.schedule import parse_instant
from server.store import Store
from server.store.migrations import head_revision, upgrade

PULSE = {"system": "http://loinc.org", "code": "8867-4"}
BP = {"system": "http://loinc.org", "code": "85354-9"}
SYS = {"system": "http://loinc.org", "code": "8480-6"}
DIA = {"system": "http://loinc.org", "code": "8462-4"}


def pulse(patient: str, when: str, value: float, status: str = "final") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": status,
        "code": {"coding": [PULSE]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": "/min"},
    }


def pressure(patient: str, when: str, systolic: float, diastolic: float) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [BP]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when,
        "component": [
            {"code": {"coding": [SYS]}, "valueQuantity": {"value": systolic}},
            {"code": {"coding": [DIA]}, "valueQuantity": {"value": diastolic}},
        ],
    }


def test_every_write_keeps_the_patients_values(store: Store) -> None:
    a = store.create("Observation", pulse("p1", "2026-11-20T08:00:00+01:00", 72))
    b = store.create("Observation", pressure("p1", "2026-11-21T08:00:00+01:00", 150, 90))
    c = store.create("Observation", pulse("p2", "2026-11-21T09:00:00+01:00", 80))
    store.create("Observation", pulse("p1", "2026-11-21T10:00:00+01:00", 60, "entered-in-error"))
    t_a = parse_instant("2026-11-20T08:00:00+01:00")
    t_b = parse_instant("2026-11-21T08:00:00+01:00")
    assert store.samples_since("p1", 0) == [
        (t_a, "pulse", 72.0, a.res_id),
        (t_b, "sys", 150.0, b.res_id),
        (t_b, "dia", 90.0, b.res_id),
    ]
    assert store.samples_since("p1", t_a + 1) == store.samples_since("p1", t_b)

    # A correction replaces the value; entered-in-error removes it; a new subject moves it.
    body = pulse("p1", "2026-11-20T08:00:00+01:00", 74)
    body["id"] = a.res_id
    store.update("Observation", a.res_id, body, 1)
    assert store.samples_since("p1", 0)[0] == (t_a, "pulse", 74.0, a.res_id)
    body = {**body, "status": "entered-in-error"}
    store.update("Observation", a.res_id, body, 2)
    assert [r[3] for r in store.samples_since("p1", 0)] == [b.res_id, b.res_id]
    moved = pressure("p2", "2026-11-21T08:00:00+01:00", 150, 90)
    moved["id"] = b.res_id
    store.update("Observation", b.res_id, moved, 1)
    assert store.samples_since("p1", 0) == []
    assert [(r[1], r[3]) for r in store.samples_since("p2", 0)] == [
        ("sys", b.res_id),
        ("dia", b.res_id),
        ("pulse", c.res_id),
    ]
    store.delete("Observation", b.res_id)
    assert [r[3] for r in store.samples_since("p2", 0)] == [c.res_id]


def test_the_rows_are_what_the_rules_read_from_the_observations(store: Store) -> None:
    """Seeding (bulk load) writes the same rows; each equals observation_values of its body."""
    bodies = [
        {**pulse(f"p{i % 3}", f"2026-11-2{i % 9}T0{i % 10}:00:00Z", 60 + i), "id": f"o{i}"}
        for i in range(30)
    ]
    store.bulk_load(bodies)
    for patient in ("p0", "p1", "p2"):
        expected = sorted(
            (parse_instant(b["effectiveDateTime"]), var, value, b["id"])
            for b in bodies
            if b["subject"]["reference"] == f"Patient/{patient}"
            for var, value in observation_values(b)
        )
        assert sorted(store.samples_since(patient, 0)) == expected


def test_the_upgrade_fills_the_table_from_the_observations_already_stored(store_url: str) -> None:
    """A database of revision 0008 (everything but this table) gets the rows its writes would
    have made: the rules' history does not start empty after the upgrade."""
    engine = create_engine(store_url)
    try:
        upgrade(engine)
        with Store(store_url) as st:
            for i in range(12):
                st.create("Observation", pulse(f"p{i % 2}", f"2026-11-2{i % 9}T08:00:00Z", 70 + i))
            st.create("Observation", pressure("p0", "2026-11-22T09:00:00Z", 181, 95))
            gone = st.create("Observation", pulse("p1", "2026-11-23T08:00:00Z", 99))
            st.delete("Observation", gone.res_id)
            before = {p: st.samples_since(p, 0) for p in ("p0", "p1")}
        assert len(before["p0"]) == 8 and len(before["p1"]) == 6
        from alembic import command
        from alembic.config import Config

        from server.store.migrations import HERE

        config = Config()
        config.set_main_option("script_location", str(HERE))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0009")  # the later revisions' own downgrades
            conn.execute(text("DROP TABLE observation_sample"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0008'"))
        assert upgrade(engine) == head_revision()
        with Store(store_url) as st:
            assert {p: st.samples_since(p, 0) for p in ("p0", "p1")} == before
    finally:
        engine.dispose()
