"""PatientView against the real reference backend (a heart-failure patient, 90 days)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.domain.model import MeasurementKind
from console.fhir.client import FhirClient
from console.ui.patient_view import PatientView
from tests.backend import start_backend
from widgets.time_range import Preset

pytestmark = pytest.mark.slow


async def first_patient(client: FhirClient, programme: str) -> str:
    result = await client.search_all(
        "EpisodeOfCare", [("type", programme), ("status", "active"), ("_count", "5")]
    )
    return str(result.matches[0]["patient"]["reference"]).rsplit("/", 1)[1]


def test_heart_failure_patient_from_the_real_backend(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    with start_backend(tmp_path / "backend", seed_patients=30, history_days=90) as backend:
        client = FhirClient(backend.base_url)
        pid = qloop.run_until_complete(first_patient(client, "heart-failure"))
        view = PatientView(client, pid, can_edit=True)
        qtbot.addWidget(view)
        view.resize(1920, 1080)
        view.show()
        data = qloop.run_until_complete(view.load(days=90))
        view.range_selector.set_preset(Preset.QUARTER)
        assert view.name_label.text()
        assert data.header.care_manager
        # Heart failure measures weight, blood pressure and pulse, and SpO2.
        assert set(view.panels) >= {
            MeasurementKind.WEIGHT,
            MeasurementKind.BLOOD_PRESSURE,
            MeasurementKind.SPO2,
        }
        assert sum(len(s) for s in data.series.values()) > 100
        assert data.news2.partial
        task = view.start_history()
        if task is not None:
            qloop.run_until_complete(task)
        image = view.grab()
        assert image.save(str(tmp_path / "patient.png"))
        qloop.run_until_complete(view.aclose())
        qloop.run_until_complete(client.aclose())
        view.close()
