"""``latest_observation`` (what ``$lastn`` reads) holds exactly the newest ``LASTN_DEPTH``
Observations of every (patient, code), however the creates come: one at a time, several in
one transaction, out of time order, at equal times (the pk breaks the tie), or as a
conditional create. On PostgreSQL the fold is one statement in the insert's pipeline, on
SQLite a read and a rewrite; both must give what a rebuild from every Observation gives."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from server.store import Store
from server.store.schema import latest_observation
from server.store.store import LASTN_DEPTH

CODES = (("http://loinc.org", "8867-4"), ("http://loinc.org", "59408-5"))


def observation(patient: str, code: tuple[str, str], when: str, n: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "identifier": [{"system": "urn:test:obs", "value": str(n)}],
        "code": {"coding": [{"system": code[0], "code": code[1]}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": 70 + n % 20},
    }


def rebuilt(store: Store) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    """The newest ``LASTN_DEPTH`` (effective, pk) per pair, from every stored Observation."""
    pairs: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    with store.reading() as conn:
        for patient, system, code, effective, pk in conn.execute(store._observation_pairs()):
            pairs[(patient, system, code)].append((effective, pk))
    return {k: sorted(v, reverse=True)[:LASTN_DEPTH] for k, v in pairs.items()}


def kept(store: Store) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    t = latest_observation.c
    out: dict[tuple[str, str, str], list[tuple[int, int, int]]] = defaultdict(list)
    with store.reading() as conn:
        for patient, system, code, rank, effective, pk in conn.execute(
            select(t.patient_id, t.system, t.code, t.rank, t.effective, t.res_pk)
        ):
            out[(patient, system, code)].append((rank, effective, pk))
    for rows in out.values():
        assert [r for r, _, _ in sorted(rows)] == list(range(1, len(rows) + 1)), rows
    return {k: [(e, pk) for _, e, pk in sorted(v)] for k, v in out.items()}


def test_latest_observation_keeps_the_newest_of_each_patient_and_code(store: Store) -> None:
    rng = random.Random(11)
    n = 0
    for _ in range(60):
        batch = []
        for _ in range(rng.choice((1, 1, 2, 4))):
            n += 1
            # Few distinct moments, so equal times (tie broken by pk) and late values are common.
            when = f"2026-11-{rng.randint(1, 6):02d}T{rng.choice((8, 20)):02d}:00:00Z"
            patient, code = rng.choice(("a", "b")), rng.choice(CODES)
            batch.append(("Observation", observation(patient, code, when, n)))
        if len(batch) == 1 and rng.random() < 0.3:
            value = batch[0][1]["identifier"][0]["value"]
            store.conditional_create(
                "Observation", batch[0][1], [("identifier", f"urn:test:obs|{value}")], "http://x"
            )
        else:
            store.create_many(batch)
        assert kept(store) == rebuilt(store)
    assert len(rebuilt(store)) == 4 and all(len(v) == LASTN_DEPTH for v in rebuilt(store).values())
