"""End to end: the real backend in its own process, the console's main window against it.

Posts an Observation over HTTP and waits until the patient's row shows the new value, and
checks the status bar says the data is live. Also renders the window to a PNG.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from PySide6.QtGui import QImage

from console.app import parse_args
from console.domain.model import ConnectionMode, MeasurementKind
from console.state.patient_list import Column, Role
from console.ui.session import ConsoleSession
from tests.backend import start_backend
from tests.fhir_builders import spo2

pytestmark = pytest.mark.slow


async def wait_until(predicate, within: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Poll a condition on the UI state (the console offers no event for "row shows X")."""
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def test_posted_observation_appears_in_the_row(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(tmp_path / "backend", seed_patients=40, history_days=2)
    shot = tmp_path / "window.png"
    try:
        args = parse_args(["--server", backend.base_url])
        session = ConsoleSession(args)

        async def scenario() -> None:
            runner = asyncio.create_task(session.run())
            try:
                # Every patient in follow-up (a few were discharged during the seeded month).
                await wait_until(lambda: session.model.rowCount() >= 36)
                await wait_until(
                    lambda: (
                        session.service is not None
                        and session.service.connection.mode is ConnectionMode.LIVE
                    )
                )
                assert session.window.status.text() == "Live"
                # Escalations notify a lead; forwarding offers departments and leads.
                assert session.workbench is not None
                assert session.workbench.alerts.lead is not None
                view = session.workbench.alert_view
                assert view._departments and view._people
                # Plots for the next patient view are built ahead, in idle time.
                plots = session.workbench.plots
                await wait_until(lambda: len(plots) == len(MeasurementKind))
                # A patient and a value no one else would send: 81 % (red).
                row = 7
                pid = session.model.index(row, 0).data(Role.PATIENT_ID)
                async with httpx.AsyncClient() as http:
                    response = await http.post(
                        f"{backend.base_url}/Observation", json=spo2(pid, 81)
                    )
                    assert response.status_code == 201, response.text

                def shows_value() -> bool:
                    r = session.model.row_of(pid)
                    return r is not None and str(
                        session.model.index(r, Column.SPO2).data()
                    ).startswith("81")

                await wait_until(shows_value, within=10)
                r = session.model.row_of(pid)
                assert session.model.index(r or 0, Column.TRIAGE).data() == "Red"
                session.window.grab().save(str(shot))
            finally:
                session.request_quit()
                await runner

        qloop.run_until_complete(scenario())
    finally:
        backend.stop()
    image = QImage(str(shot))
    assert image.width() == 1920 and image.height() == 1080
