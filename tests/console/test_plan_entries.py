"""The console keeps what each ServiceRequest says about limits, not the resource: the same
limits as reading the resources, and a live edit or revocation replaces one entry."""

from __future__ import annotations

import asyncio
from typing import Any

from console.domain.model import MeasurementKind
from console.fhir.patient_record import (
    limits_from_entries,
    plan_entries_from_fhir,
    plan_entry,
    plan_limits_from_fhir,
)
from console.memtrim import trim, trim_forever

LOINC = "http://loinc.org"
THRESHOLDS = "http://dho.example/fhir/StructureDefinition/alert-thresholds"


def band(level: str, high: float, component: str | None = None) -> dict[str, Any]:
    ext: list[dict[str, Any]] = [
        {"url": "level", "valueCode": level},
        {"url": "high", "valueQuantity": {"value": high}},
    ]
    if component:
        ext.append({"url": "component", "valueCoding": {"system": LOINC, "code": component}})
    return {"url": THRESHOLDS, "extension": ext}


def sr(rid: str, code: str, *bands: dict[str, Any], status: str = "active") -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": status,
        "subject": {"reference": "Patient/p1"},
        "code": {"coding": [{"system": LOINC, "code": code}]},
        "extension": [{"url": "http://example.org/other", "valueString": "x" * 200}, *bands],
    }


def test_entries_give_the_same_limits_and_follow_an_edit() -> None:
    pulse = sr("sr-pulse", "8867-4", band("yellow", 110), band("red", 130))
    bp = sr(
        "sr-bp",
        "85354-9",
        band("yellow", 173, "8480-6"),
        band("red", 180, "8480-6"),
        band("yellow", 100, "8462-4"),
    )
    entries = plan_entries_from_fhir([pulse, bp])
    assert limits_from_entries(entries["p1"].values()) == plan_limits_from_fhir([pulse, bp])["p1"]
    # Nothing of the resource but the bands is kept.
    assert all(isinstance(e, tuple) for e in entries["p1"].values())
    limits = limits_from_entries(entries["p1"].values())
    assert limits is not None
    assert limits.limits[MeasurementKind.PULSE].yellow.high == 110
    assert limits.diastolic is not None and limits.diastolic.yellow.high == 100
    # The pulse ServiceRequest revoked: its entry goes, the blood pressure stays.
    found = plan_entry({**pulse, "status": "revoked"})
    assert found == ("p1", "sr-pulse", None)
    del entries["p1"]["sr-pulse"]
    after = limits_from_entries(entries["p1"].values())
    assert after is not None and MeasurementKind.PULSE not in after.limits
    assert limits_from_entries([]) is None


def test_the_trimmer_runs_in_a_thread_and_stops_when_cancelled() -> None:
    assert isinstance(trim(), bool)

    async def main() -> None:
        task = asyncio.create_task(trim_forever(0.01))
        await asyncio.sleep(0.05)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert task.done()

    asyncio.run(main())
