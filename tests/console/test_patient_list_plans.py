"""The patient list colours each value on the patient's OWN plan limits (issue 12 follow-up).

Against the real reference backend (seeded centre, live feed on): a patient whose plan's
blood-pressure limits differ from the template (yellow above 173 instead of 160) shows 166/91
green, as the server's rules judge it; a patient whose plan states no limits is judged on the
template and the row says "standard limits"; editing the plan on the server moves the row's
colour through the live feed.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from console.domain.model import ConnectionMode, MeasurementKind, Triage
from console.fhir.client import FhirClient
from console.services.centre import LIVE_TYPES, CentreService
from console.services.live import make_feed_factory
from console.state.patient_list import Column, PatientListModel
from tests.backend import RunningBackend, start_backend

pytestmark = pytest.mark.slow

LOINC = "http://loinc.org"
THRESHOLDS = "http://dho.example/fhir/StructureDefinition/alert-thresholds"
UCUM = "http://unitsofmeasure.org"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    running = start_backend(tmp_path_factory.mktemp("plans"), seed_patients=20, history_days=2)
    try:
        yield running
    finally:
        running.stop()


def _band(level: str, high: float, component: str) -> dict[str, Any]:
    return {
        "url": THRESHOLDS,
        "extension": [
            {"url": "level", "valueCode": level},
            {"url": "high", "valueQuantity": {"value": high, "system": UCUM, "code": "mm[Hg]"}},
            {"url": "component", "valueCoding": {"system": LOINC, "code": component}},
        ],
    }


def _bp_plan(sr: dict[str, Any], yellow: float, red: float) -> dict[str, Any]:
    """The ServiceRequest with systolic yellow/red upper limits of its own (diastolic 100/110)."""
    out = copy.deepcopy(sr)
    out["extension"] = [e for e in out.get("extension", []) if e.get("url") != THRESHOLDS] + [
        _band("yellow", yellow, "8480-6"),
        _band("red", red, "8480-6"),
        _band("yellow", 100, "8462-4"),
        _band("red", 110, "8462-4"),
    ]
    return out


def _bp(pid: str, sys: float, dia: float) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    quantity = {"unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "vital-signs",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": LOINC, "code": "85354-9"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": now,
        "component": [
            {
                "code": {"coding": [{"system": LOINC, "code": "8480-6"}]},
                "valueQuantity": {"value": sys, **quantity},
            },
            {
                "code": {"coding": [{"system": LOINC, "code": "8462-4"}]},
                "valueQuantity": {"value": dia, **quantity},
            },
        ],
    }


def _version(resource: dict[str, Any]) -> str:
    return str(resource["meta"]["versionId"])


async def _until(check: Any, what: str, tries: int = 500) -> None:
    for _ in range(tries):  # up to 10 s on a busy machine
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(what)


def test_the_list_judges_values_on_each_patients_own_plan_and_follows_plan_edits(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    assert "ServiceRequest" in LIVE_TYPES

    async def scenario() -> None:
        client = FhirClient(backend.base_url)
        model = PatientListModel()
        factory = make_feed_factory(client, resource_types=LIVE_TYPES)
        service = CentreService(client, model, feed_factory=factory, batch_interval_ms=10)
        try:
            plans = await client.search_all(
                "ServiceRequest", [("status", "active"), ("code", f"{LOINC}|85354-9")]
            )
            by_patient: dict[str, dict[str, Any]] = {}
            for sr in plans.matches:
                by_patient.setdefault(sr["subject"]["reference"].split("/")[1], sr)
            own, bare = sorted(by_patient)[:2]
            # `own`: yellow above 173, red above 190 (the template says 160 and 180).
            sr = by_patient[own]
            await client.update(_bp_plan(sr, 173, 190), if_match=_version(sr))
            # `bare`: no limits of its own in any ServiceRequest.
            everything = await client.search_all(
                "ServiceRequest", [("subject", f"Patient/{bare}"), ("status", "active")]
            )
            for sr in everything.matches:
                stripped = {
                    **sr,
                    "extension": [e for e in sr.get("extension", []) if e["url"] != THRESHOLDS],
                }
                await client.update(stripped, if_match=_version(sr))
            for pid in (own, bare):
                await client.create(_bp(pid, 166, 91))

            report = await service.load()
            assert report.plans >= 1
            service.start_live()
            await _until(lambda: service.connection.mode is ConnectionMode.LIVE, "not live")

            def bp_level(pid: str) -> Triage:
                row = model.row_of(pid)
                assert row is not None
                index = model.index(row, Column.TRIAGE)
                return Triage(model.data(index, Qt.ItemDataRole.UserRole + 4))

            def tip(pid: str, column: Column) -> str:
                row = model.row_of(pid)
                assert row is not None
                return str(model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole))

            summary = model.summary(own)
            assert summary is not None
            assert summary.latest[MeasurementKind.BLOOD_PRESSURE].value == 166
            plan = model.plan_of(own)
            assert plan is not None and plan.own(MeasurementKind.BLOOD_PRESSURE)
            # 166/91 is inside this patient's own limits: green, as the server's rules see it.
            levels = {k: v for k, v in model._rows[own].levels.items()}
            assert levels[MeasurementKind.BLOOD_PRESSURE] is Triage.GREEN
            assert "own limits" in tip(own, Column.BLOOD_PRESSURE)
            assert "standard limits" not in tip(own, Column.TRIAGE)
            # The patient without limits of its own: the template (systolic > 160 is yellow),
            # and the row says so.
            assert model.plan_of(bare) is None
            assert model._rows[bare].levels[MeasurementKind.BLOOD_PRESSURE] is Triage.YELLOW
            assert bp_level(bare) >= Triage.YELLOW
            assert "standard limits" in tip(bare, Column.TRIAGE)
            assert "standard limits" in tip(bare, Column.BLOOD_PRESSURE)

            # A plan edit on the server (yellow above 160 again) reaches the row live.
            current = await client.read("ServiceRequest", by_patient[own]["id"])
            await client.update(_bp_plan(current, 160, 190), if_match=_version(current))
            await _until(
                lambda: model._rows[own].levels[MeasurementKind.BLOOD_PRESSURE] is Triage.YELLOW,
                "the plan edit never reached the list",
            )
            assert bp_level(own) >= Triage.YELLOW
            assert "own limits" in tip(own, Column.BLOOD_PRESSURE)
        finally:
            await service.stop()
            await client.aclose()

    qloop.run_until_complete(scenario())
