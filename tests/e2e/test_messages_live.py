"""End to end (issue 5): a simulated patient's message appears live in the console with an
unread count in the patient list and the window title.

The backend runs its messaging simulator fast (simulated patients answer a nurse's message
after 20 min to 6 h 40 min of *simulated* time: well under three seconds at speed 10,000).
The nurse writes to several patients, since a simulated patient answers a request to measure
again 85 % of the time; the test needs one answer.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from console.app import parse_args
from console.domain.model import ConnectionMode
from console.state.patient_list import Column
from console.ui.session import ConsoleSession
from tests.backend import start_backend
from tests.e2e.test_console_live import wait_until

pytestmark = pytest.mark.slow

CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"
THREAD = "http://dho.example/fhir/StructureDefinition/thread-id"


def nurse_message(patient_id: str) -> dict[str, object]:
    return {
        "resourceType": "Communication",
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY, "code": "patient-thread"}]}],
        "subject": {"reference": f"Patient/{patient_id}"},
        "recipient": [{"reference": f"Patient/{patient_id}"}],
        "sender": {"reference": "Organization/felles-responssenter-sor-rogaland"},
        "sent": datetime.now(UTC).isoformat(),
        "payload": [{"contentString": "Hei! Kan du måle blodtrykket igjen nå?"}],
        "extension": [{"url": THREAD, "valueString": f"{patient_id}/patient"}],
    }


def test_simulated_patient_reply_shows_live_as_unread(
    tmp_path: Path, qloop: asyncio.AbstractEventLoop
) -> None:
    backend = start_backend(
        tmp_path / "backend", seed_patients=30, history_days=1, simulate=True, speed=10_000
    )
    try:
        args = parse_args(["--server", backend.base_url])
        session = ConsoleSession(args)

        async def scenario() -> None:
            runner = asyncio.create_task(session.run())
            try:
                await wait_until(
                    lambda: (
                        session.workbench is not None
                        and session.service is not None
                        and session.service.connection.mode is ConnectionMode.LIVE
                    )
                )
                model = session.model
                targets = model.patient_ids()[:8]
                before = {pid: model.summary(pid) for pid in targets}
                assert all(before.values())
                async with httpx.AsyncClient() as http:
                    for pid in targets:
                        r = await http.post(
                            f"{backend.base_url}/Communication", json=nurse_message(pid)
                        )
                        assert r.status_code == 201, r.text

                def someone_answered() -> bool:
                    for pid in targets:
                        row = model.row_of(pid)
                        if row is not None and str(model.index(row, Column.MESSAGES).data()):
                            return True
                    return False

                await wait_until(someone_answered, within=30)
                assert session.window.windowTitle().startswith("(")  # "(n) DHO ..."
            finally:
                session.request_quit()
                await runner

        qloop.run_until_complete(scenario())
    finally:
        backend.stop()
