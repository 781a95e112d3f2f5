"""Rows of ``observation_sample``: the vital-sign values the rules engine reads per patient.

The rules judge a new value against the patient's own last 14 days (suspect jumps, trends).
Read through ``resource`` that history is one page per Observation, scattered over the file; this
table holds the same values keyed by patient and time, so the read is one range. The values
are exactly what the rules take from an Observation (:func:`server.rules.engine.observation_values`
at the time :func:`server.sim.schedule.parse_instant` gives), and an Observation the rules would
skip (entered-in-error, cancelled, no ``effectiveDateTime``) has no rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from server.rules.engine import observation_values
from server.sim.schedule import parse_instant

#: Statuses whose values the rules leave out (a corrected error, a cancelled measurement).
UNUSABLE = frozenset({"entered-in-error", "cancelled"})

Row = tuple[str, float, str, int, str, float]


def sample_rows(res: Mapping[str, Any], patient_id: str | None) -> list[Row]:
    """``(patient_id, t, res_id, n, var, value)`` rows of one Observation (may be none)."""
    if patient_id is None or res.get("status") in UNUSABLE:
        return []
    when = res.get("effectiveDateTime")
    if not isinstance(when, str):
        return []
    try:
        t = parse_instant(when)
    except ValueError:
        return []
    rid = str(res.get("id"))
    return [
        (patient_id, t, rid, n, var, value)
        for n, (var, value) in enumerate(observation_values(res))
    ]


COLUMNS = "patient_id, t, res_id, n, var, value"


def stage_samples(conn: Connection, stage: str) -> None:
    """A temporary table that takes rows in any order (appends), for a bulk fill."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {stage}")
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {stage} (patient_id VARCHAR(64) NOT NULL, t FLOAT NOT NULL, "
        "res_id VARCHAR(64) NOT NULL, n INTEGER NOT NULL, var VARCHAR(16) NOT NULL, "
        "value FLOAT NOT NULL)"
    )


def unstage_samples(conn: Connection, stage: str) -> None:
    """Move the staged rows into ``observation_sample`` in key order (one sort, then pages
    filled one after another, instead of a random page per row) and drop the stage."""
    conn.exec_driver_sql(
        f"INSERT INTO observation_sample ({COLUMNS}) SELECT {COLUMNS} FROM {stage} "
        "ORDER BY patient_id, t, res_id, n"
    )
    conn.exec_driver_sql(f"DROP TABLE {stage}")
