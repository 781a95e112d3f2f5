"""CentreService: first load from FHIR into the model, then live batches on the clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from console.domain.model import ConnectionMode, ConnectionState, OrganizationKind
from console.fhir.client import FhirClient
from console.services.centre import CentreService, centre_choices
from console.state.patient_list import Column, PatientListModel

WATCHED = "http://dho.example/fhir/StructureDefinition/watched-organization"
KIND = "http://dho.example/fhir/CodeSystem/organization-kind"
NOW = datetime.now(UTC).replace(microsecond=0)


def org(oid: str, name: str, kind: str, watches: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "id": oid,
        "name": name,
        "type": [{"coding": [{"system": KIND, "code": kind}]}],
        "extension": [
            {"url": WATCHED, "valueReference": {"reference": f"Organization/{d}"}} for d in watches
        ],
    }


def patient(pid: str, given: str, family: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"versionId": "1", "lastUpdated": NOW.isoformat()},
        "name": [{"given": [given], "family": family}],
        "birthDate": "1944-02-03",
    }


def episode(pid: str, dept: str) -> dict[str, Any]:
    return {
        "resourceType": "EpisodeOfCare",
        "id": f"eoc-{pid}",
        "status": "active",
        "patient": {"reference": f"Patient/{pid}"},
        "managingOrganization": {"reference": f"Organization/{dept}"},
        "type": [
            {
                "coding": [
                    {
                        "system": "http://dho.example/fhir/CodeSystem/programme",
                        "code": "copd",
                        "display": "KOLS",
                    }
                ]
            }
        ],
    }


def spo2(pid: str, value: float, when: datetime, oid: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": oid,
        "meta": {"versionId": "1", "lastUpdated": when.isoformat()},
        "status": "final",
        "code": {
            "coding": [
                {"system": "http://loinc.org", "code": "2708-6"},
                {"system": "http://loinc.org", "code": "59408-5"},
            ]
        },
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when.isoformat(),
        "valueQuantity": {
            "value": value,
            "unit": "%",
            "system": "http://unitsofmeasure.org",
            "code": "%",
        },
    }


def bundle(entries: list[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": sum(1 for _, mode in entries if mode == "match"),
        "entry": [{"resource": r, "search": {"mode": mode}} for r, mode in entries],
    }


def fake_server() -> Callable[[httpx.Request], httpx.Response]:
    orgs = [
        org("dep-a", "Hjemmesykepleien Sandnes", "department"),
        org("dep-b", "Frisklivssentralen Sandnes", "department"),
        org("rc", "Felles responssenter", "response-centre", ("dep-a", "dep-b")),
    ]
    capability = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "kind": "instance",
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "operation": [
                    {
                        "name": "lastn",
                        "definition": "http://hl7.org/fhir/OperationDefinition/Observation-lastn",
                    }
                ],
                "resource": [
                    {"type": "Observation", "operation": [{"name": "lastn", "definition": "x"}]}
                ],
            }
        ],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/metadata"):
            return httpx.Response(200, json=capability)
        if path.endswith("/Organization"):
            return httpx.Response(200, json=bundle([(o, "match") for o in orgs]))
        if path.endswith("/EpisodeOfCare"):
            assert request.url.params["_include"] == "EpisodeOfCare:patient"
            return httpx.Response(
                200,
                json=bundle(
                    [
                        (episode("p1", "dep-a"), "match"),
                        (episode("p2", "dep-b"), "match"),
                        (patient("p1", "Kari", "Nordmann"), "include"),
                        (patient("p2", "Ola", "Øvrebø"), "include"),
                        ({"resourceType": "Patient"}, "include"),  # malformed: no id
                    ]
                ),
            )
        if "lastn" in path:
            return httpx.Response(
                200, json=bundle([(spo2("p1", 95, NOW - timedelta(hours=1), "o1"), "match")])
            )
        return httpx.Response(
            404,
            json={
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "error", "code": "not-found", "diagnostics": path}],
            },
        )

    return handler


def test_centre_choices_list_shared_centre_then_departments() -> None:
    from console.fhir.mapping import organization_from_fhir

    orgs = [
        organization_from_fhir(o)
        for o in (
            org("a", "A-avd", "department"),
            org("b", "B-avd", "department"),
            org("rc", "Senter", "response-centre", ("a", "b")),
        )
    ]
    assert orgs[2].kind is OrganizationKind.RESPONSE_CENTRE
    choices = centre_choices(orgs)
    assert [c.departments for c in choices] == [("a", "b"), ("a",), ("b",)]
    assert choices[0].label == "Senter (all departments)"


def test_load_then_live_batch(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    model = PatientListModel()
    states: list[ConnectionState] = []
    feeds: list[Any] = []

    class FakeFeed:
        def __init__(self, on_resources: Any, on_state: Any, since: datetime | None) -> None:
            self.on_resources, self.on_state, self.since = on_resources, on_state, since
            feeds.append(self)

        def start(self) -> None:
            self.on_state(ConnectionState(ConnectionMode.LIVE, NOW))

        async def stop(self) -> None:
            return None

    async def scenario() -> None:
        client = FhirClient(
            "http://fhir.test/fhir",
            http=httpx.AsyncClient(transport=httpx.MockTransport(fake_server())),
        )
        service = CentreService(client, model, feed_factory=FakeFeed, batch_interval_ms=20)
        service.connection_changed.connect(states.append)
        try:
            report = await service.load()
            assert report.patients == 2
            assert report.skipped == 1  # the malformed Patient is reported, not fatal
            assert model.rowCount() == 2
            row = model.row_of("p1")
            assert row is not None
            assert model.index(row, Column.SPO2).data().startswith("95")
            service.start_live()
            assert feeds[0].since is not None  # catches up from the end of the load
            assert states[-1].mode is ConnectionMode.LIVE

            model_changes: list[int] = []
            model.dataChanged.connect(lambda *_: model_changes.append(1))
            service.receive([spo2("p1", 88, NOW, "o2"), spo2("p2", 97, NOW, "o3")])
            service.receive([{"resourceType": "Observation", "id": "bad"}])  # malformed
            await asyncio.sleep(0.15)
            assert len(model_changes) == 1  # both patients in one batch, one signal
            assert model.index(model.row_of("p1") or 0, Column.SPO2).data().startswith("88")

            service.select(2)  # second department only
            assert model.rowCount() == 1
            await service.stop()
        finally:
            await client.aclose()

    qloop.run_until_complete(scenario())


def test_live_copies_of_held_versions_leave_the_rows_alone(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """The feed's first catch-up re-reads what the first load has (its overlap): the same
    Patient or episode version builds no row anew; a new version still does."""
    model = PatientListModel()

    async def scenario() -> None:
        client = FhirClient(
            "http://fhir.test/fhir",
            http=httpx.AsyncClient(transport=httpx.MockTransport(fake_server())),
        )
        service = CentreService(client, model, batch_interval_ms=0)
        try:
            await service.load()
            held = model._rows["p1"]
            same_episode = episode("p1", "dep-a") | {"meta": {"versionId": ""}}
            service.receive([patient("p1", "Kari", "Nordmann"), same_episode])
            service.flush()
            assert model._rows["p1"] is not held  # no version on the episode: applied
            held = model._rows["p1"]
            service._episodes["p1"] = replace(service._episodes["p1"], version="4")
            same_episode["meta"] = {"versionId": "4"}
            service.receive([patient("p1", "Kari", "Nordmann"), same_episode])
            service.flush()
            assert model._rows["p1"] is held  # the versions the list holds: nothing to do
            renamed = patient("p1", "Kari", "Nordmann-Berg") | {"meta": {"versionId": "2"}}
            service.receive([renamed])
            service.flush()
            assert model._rows["p1"] is not held
            assert model.summary("p1").patient.family == "Nordmann-Berg"  # type: ignore[union-attr]
        finally:
            await client.aclose()

    qloop.run_until_complete(scenario())
