"""A small world for the alert-engine tests: patients with plans, a service with the engine, a
fake clock, and helpers to post resources and read Tasks back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

from server.api.broker import Broker
from server.api.service import FhirService
from server.rules.codes import RED, YELLOW
from server.rules.plan import (
    Band,
    TrendBand,
    grace_extensions,
    occurrence_timing,
    thresholds_extensions,
    trend_extensions,
)
from server.rules.runtime import AlertEngine
from server.sim.observations import iso_utc_datetime, observation
from server.sim.programmes import LOINC, MEASUREMENTS
from server.store import Store, Stored
from server.store import search as s
from server.store.registry import RESOURCE_TYPES

T = TypeVar("T")
YELLOW_CONFIRMATION = "http://dho.example/fhir/StructureDefinition/yellow-confirmation"
DEPT = "dept-a"
# Monday 23 November 2026, 08:00 in Oslo (UTC+1).
T0 = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def _sr(
    pid: str, sr_id: str, kind: str, times: list[str], ext: list[dict[str, Any]]
) -> dict[str, Any]:
    m = MEASUREMENTS[kind]
    return {
        "resourceType": "ServiceRequest",
        "id": sr_id,
        # Yellow values raise at once here (the re-measure-first default is tested on its own).
        "extension": [
            *ext,
            *grace_extensions(),
            {"url": YELLOW_CONFIRMATION, "valueBoolean": False},
        ],
        "status": "active",
        "intent": "plan",
        "code": {"coding": [{"system": LOINC, "code": c} for c, _ in m.codings], "text": m.text},
        "subject": {"reference": f"Patient/{pid}"},
        "basedOn": [{"reference": f"CarePlan/cp-{pid}"}],
        "occurrenceTiming": occurrence_timing([time.fromisoformat(t) for t in times], 1),
        "authoredOn": iso_utc_datetime(T0 - timedelta(days=30)),
    }


def patient_resources(pid: str, programme: str) -> list[dict[str, Any]]:
    """Patient, EpisodeOfCare, CarePlan and ServiceRequests (COPD: SpO2, pulse, temperature;
    heart failure: weight with trend, blood pressure)."""
    srs: list[dict[str, Any]] = []
    if programme == "copd":
        srs.append(
            _sr(
                pid,
                f"{pid}-spo2",
                "spo2",
                ["08:00", "20:00"],
                thresholds_extensions("spo2", [Band(RED, 86), Band(YELLOW, 88)], component=False),
            )
        )
        srs.append(
            _sr(
                pid,
                f"{pid}-pulse",
                "pulse",
                ["08:00", "20:00"],
                thresholds_extensions(
                    "pulse", [Band(RED, 40, 130), Band(YELLOW, 50, 110)], component=False
                ),
            )
        )
    else:
        srs.append(
            _sr(
                pid,
                f"{pid}-weight",
                "weight",
                ["07:15"],
                trend_extensions(
                    "weight", [TrendBand(RED, 3.0, 3 * 86400), TrendBand(YELLOW, 2.0, 3 * 86400)]
                ),
            )
        )
        srs.append(
            _sr(
                pid,
                f"{pid}-bp",
                "bp",
                ["08:00"],
                thresholds_extensions(
                    "sys", [Band(RED, 90, 180), Band(YELLOW, 100, 160)], component=True
                )
                + thresholds_extensions(
                    "dia", [Band(RED, None, 110), Band(YELLOW, None, 100)], component=True
                ),
            )
        )
    return [
        {
            "resourceType": "Patient",
            "id": pid,
            "active": True,
            "gender": "female",
            "managingOrganization": {"reference": f"Organization/{DEPT}"},
        },
        {
            "resourceType": "EpisodeOfCare",
            "id": f"eoc-{pid}",
            "status": "active",
            "patient": {"reference": f"Patient/{pid}"},
            "managingOrganization": {"reference": f"Organization/{DEPT}", "display": "Avdeling A"},
            "period": {"start": iso_utc_datetime(T0 - timedelta(days=30))},
        },
        {
            "resourceType": "CarePlan",
            "id": f"cp-{pid}",
            "status": "active",
            "intent": "plan",
            "title": "Egenbehandlingsplan",
            "subject": {"reference": f"Patient/{pid}"},
            "supportingInfo": [{"reference": f"EpisodeOfCare/eoc-{pid}"}],
            "activity": [{"reference": {"reference": f"ServiceRequest/{sr['id']}"}} for sr in srs],
        },
        *srs,
    ]


def seed(store: Store, patients: dict[str, str]) -> None:
    """Bulk-load an organisation and the given {patient id: programme}."""
    resources: list[dict[str, Any]] = [
        {"resourceType": "Organization", "id": DEPT, "name": "Avdeling A", "active": True},
        {
            "resourceType": "Practitioner",
            "id": "lead1",
            "active": True,
            "name": [{"text": "Lene Leder"}],
        },
        {
            "resourceType": "PractitionerRole",
            "id": "lead1-role",
            "active": True,
            "practitioner": {"reference": "Practitioner/lead1", "display": "Lene Leder"},
            "organization": {"reference": f"Organization/{DEPT}"},
            "code": [
                {
                    "coding": [
                        {
                            "system": "http://dho.example/fhir/CodeSystem/practitioner-role",
                            "code": "lead",
                        }
                    ]
                }
            ],
        },
    ]
    for pid, programme in patients.items():
        resources += patient_resources(pid, programme)
    store.bulk_load(resources)


def obs(pid: str, kind: str, value: Any, when: datetime) -> dict[str, Any]:
    return observation(kind, f"Patient/{pid}", iso_utc_datetime(when), value)


class World:
    """The service with an attached engine whose clock the test sets."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.now = T0
        self.service = FhirService(store, Broker())
        self.engine = AlertEngine(store, clock=lambda: self.now.timestamp())
        self.engine.attach(self.service)

    def run(self, make: Callable[[], Awaitable[T]]) -> T:
        async def main() -> T:
            return await make()

        return asyncio.run(main())

    def post(self, *resources: dict[str, Any]) -> list[Stored]:
        items = [(r["resourceType"], r) for r in resources]
        return self.run(lambda: self.service.create_many(items))

    def put(self, resource: dict[str, Any], version: int) -> Stored:
        return self.run(
            lambda: self.service.update(resource["resourceType"], resource["id"], resource, version)
        )

    def missing(self, when: datetime) -> list[Any]:
        self.now = when
        return self.run(lambda: self.engine.evaluate_missing(when))

    def tick(self, when: datetime) -> None:
        """One pass of the rules clock at `when`."""
        self.now = when
        self.run(lambda: self.engine.tick(when.timestamp()))

    def tasks(self, pid: str, **params: str) -> list[dict[str, Any]]:
        query = [("patient", pid), ("_sort", "_lastUpdated"), *params.items()]
        plan = s.plan_search(RESOURCE_TYPES["Task"], query)
        return [st.resource() for st in self.store.search(plan).matches]


def messages(world: World, pid: str, category: str) -> list[dict[str, Any]]:
    """The patient's Communications of one category (communication-category code)."""
    plan = s.plan_search(
        RESOURCE_TYPES["Communication"],
        [
            ("subject", f"Patient/{pid}"),
            ("category", f"http://dho.example/fhir/CodeSystem/communication-category|{category}"),
        ],
    )
    return [st.resource() for st in world.store.search(plan).matches]
