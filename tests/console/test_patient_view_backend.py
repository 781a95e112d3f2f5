"""PatientView against the real reference backend (a heart-failure patient, 90 days)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.domain.model import MeasurementKind
from console.fhir.client import FhirClient
from console.services.patient import PatientService
from console.ui.patient_view import PatientView
from tests.backend import start_backend
from widgets.time_range import Preset

pytestmark = pytest.mark.slow


async def first_patient(client: FhirClient, programme: str) -> str:
    result = await client.search_all(
        "EpisodeOfCare", [("type", programme), ("status", "active"), ("_count", "5")]
    )
    return str(result.matches[0]["patient"]["reference"]).rsplit("/", 1)[1]


@pytest.mark.parametrize("profile", ["normal", "plain-r4"])
def test_heart_failure_patient_from_the_real_backend(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, profile: str
) -> None:
    with start_backend(
        tmp_path / "backend",
        seed_patients=30,
        history_days=90,
        extra_args=["--profile", profile],
    ) as backend:
        client = FhirClient(backend.base_url)
        pid = qloop.run_until_complete(first_patient(client, "heart-failure"))
        view = PatientView(PatientService(client), pid, can_edit=True)
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
        # Every panel shows its plot once its data is in (a blank page until then).
        assert all(p.stack.currentWidget() is p.plot for p in view.panels.values())
        assert data.news2.partial
        task = view.start_history()
        if task is not None:
            qloop.run_until_complete(task)
        image = view.grab()
        assert image.save(str(tmp_path / "patient.png"))
        qloop.run_until_complete(view.aclose())
        qloop.run_until_complete(client.aclose())
        view.close()


def test_search_mapped_maps_every_page_off_the_ui_thread(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    import gc
    import threading

    with start_backend(tmp_path / "backend", seed_patients=3, history_days=3) as backend:
        client = FhirClient(backend.base_url)
        params = [("_sort", "-date"), ("_count", "10")]
        ui_thread = threading.get_ident()
        threads: set[int] = set()
        collector_on: list[bool] = []

        def ids(resources: list[dict[str, object]]) -> list[str]:
            threads.add(threading.get_ident())
            collector_on.append(gc.isenabled())
            return [str(r["id"]) for r in resources]

        async def both() -> tuple[list[list[str]], list[str]]:
            pages = [p async for p in client.search_mapped("Observation", params, ids)]
            everything = await client.search_all("Observation", [("_count", "1000")])
            return pages, [str(r["id"]) for r in everything.matches]

        pages, expected = qloop.run_until_complete(both())
        qloop.run_until_complete(client.aclose())
    assert len(pages) > 2 and all(len(p) <= 10 for p in pages)  # several pages followed
    assert sorted(i for p in pages for i in p) == sorted(expected)
    assert ui_thread not in threads  # decoded and mapped in a worker thread
    assert collector_on and not any(collector_on)  # with the collector paused
    # Afterwards automatic collection stays off: the GUI thread's timer collects
    # (console.gc_timer, running under qloop as in the console).
    assert not gc.isenabled()


def test_gc_pause_is_reentrant_and_restores_the_previous_state() -> None:
    import gc

    from console.gcpause import gc_paused

    gc.enable()  # as in a fresh interpreter (the suite switches automatic collection off)
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer user still pauses it
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.disable()
