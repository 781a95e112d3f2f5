"""A third-party FHIR client (fhirpy) against the real backend process: what a hospital
integration would do — create, read, version-aware update with If-Match, search, and a stale
update refused with 412."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import MultipleResourcesFound, OperationOutcome, ResourceNotFound

from tests.backend import RunningBackend, start_backend

LOINC = "http://loinc.org"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    folder: Path = tmp_path_factory.mktemp("external")
    backend = start_backend(folder, seed_patients=5, history_days=1)
    try:
        yield backend
    finally:
        backend.stop()


def with_if_match(base_url: str, version: str) -> SyncFHIRClient:
    """fhirpy has no If-Match of its own; its extra headers carry the version we read."""
    return SyncFHIRClient(base_url, extra_headers={"If-Match": f'W/"{version}"'})


def test_fhirpy_create_read_update_search(running: RunningBackend) -> None:
    client = SyncFHIRClient(running.base_url)
    patient = client.resource(
        "Patient",
        identifier=[{"system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": "01815099999"}],
        name=[{"family": "Ekstern", "given": ["Kari"]}],
        gender="female",
        birthDate="1950-01-01",
    )
    patient.save()
    assert patient.id and patient["meta"]["versionId"] == "1"

    read = client.reference("Patient", patient.id).to_resource()
    assert read["name"][0]["family"] == "Ekstern"

    # Version-aware update through a client carrying If-Match.
    read["gender"] = "other"
    updated = with_if_match(running.base_url, read["meta"]["versionId"]).resource("Patient", **read)
    updated.save()
    assert updated["meta"]["versionId"] == "2" and updated["gender"] == "other"

    # Searches with parameters, as fhirpy builds them.
    found = client.resources("Patient").search(family="ekstern").fetch_all()
    assert [p.id for p in found] == [patient.id]
    for i, when in enumerate(("2026-11-20T08:00:00Z", "2026-11-21T08:00:00Z")):
        client.resource(
            "Observation",
            status="final",
            code={"coding": [{"system": LOINC, "code": "8867-4"}]},
            subject={"reference": f"Patient/{patient.id}"},
            effectiveDateTime=when,
            valueQuantity={"value": 70 + i, "unit": "/min"},
        ).save()
    pulses = (
        client.resources("Observation")
        .search(subject=f"Patient/{patient.id}", code=f"{LOINC}|8867-4")
        .sort("-date")
        .fetch()
    )
    assert [o["valueQuantity"]["value"] for o in pulses] == [71, 70]
    # (fhirpy's .count() adds an Aidbox-only _totalMethod, which this server refuses as unknown.)
    everything = client.resources("Observation").search(subject=f"Patient/{patient.id}")
    assert len(everything.fetch_all()) == 2
    with pytest.raises(ResourceNotFound):
        client.reference("Patient", "does-not-exist").to_resource()


def test_fhirpy_sees_412_on_a_stale_update_and_428_without_if_match(
    running: RunningBackend,
) -> None:
    client = SyncFHIRClient(running.base_url)
    task = client.resource(
        "Task",
        status="requested",
        intent="order",
        priority="urgent",
        description="Puls over 120",
    )
    task.save()
    first_read = dict(client.reference("Task", task.id).to_resource())

    # Operator A claims it.
    claim_a = with_if_match(running.base_url, "1").resource(
        "Task", **{**first_read, "status": "in-progress", "owner": {"display": "A"}}
    )
    claim_a.save()
    # Operator B still has version 1: refused, nothing overwritten.
    claim_b = with_if_match(running.base_url, "1").resource(
        "Task", **{**first_read, "status": "in-progress", "owner": {"display": "B"}}
    )
    with pytest.raises(MultipleResourcesFound) as stale:  # fhirpy's name for any 412
        claim_b.save()
    assert "current version is 2" in str(stale.value)
    # Without If-Match at all: 428 (an OperationOutcome to fhirpy).
    blind = client.resource("Task", **{**first_read, "status": "cancelled"})
    with pytest.raises(OperationOutcome) as missing:
        blind.save()
    assert "If-Match" in str(missing.value)
    current = client.reference("Task", task.id).to_resource()
    assert current["owner"]["display"] == "A" and current["meta"]["versionId"] == "2"
