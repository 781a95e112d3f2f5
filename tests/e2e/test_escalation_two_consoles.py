"""Two consoles open on one backend: an unclaimed red alert escalates exactly once, by the
server, counted in service hours, with one digest to the lead (docs/contract.md, "Escalation").

The backend's clock starts on a Monday at 09:00 in Oslo and runs 60 times faster, and the
escalation time is 5 minutes: it escalates after about five real seconds.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.clock import ServerClock, parse_clock_header
from console.fhir.client import FhirClient
from console.services.alerts import AlertService
from console.state.alert_queue import AlertQueueModel
from tests.backend import RunningBackend, start_backend
from tests.console.alert_tasks import KARI, ME
from tests.fhir_builders import spo2

pytestmark = pytest.mark.slow
ESCALATED = "http://dho.example/fhir/StructureDefinition/escalated-at"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[RunningBackend]:
    running = start_backend(
        tmp_path,
        seed_patients=8,
        history_days=1,
        speed=60,
        extra_args=["--clock-start", "2026-11-23T09:00:00+01:00", "--escalate-after", "5"],
    )
    try:
        yield running
    finally:
        running.stop()


def get(url: str, **params: str) -> dict[str, Any]:
    r = httpx.get(url, params=params, timeout=10)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_an_unclaimed_red_alert_escalates_exactly_once(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    base = backend.base_url
    pid = get(f"{base}/ServiceRequest", code="2708-6", _count="1")["entry"][0]["resource"][
        "subject"
    ]["reference"].split("/")[1]
    header = httpx.get(f"{base}/metadata", timeout=10).headers["x-dho-clock"]
    now, speed = parse_clock_header(header) or (0.0, 0.0)
    assert speed == 60
    from datetime import UTC, datetime

    posted = httpx.post(
        f"{base}/Observation",
        json=spo2(pid, 76, datetime.fromtimestamp(now, UTC)),  # red, past the critical limit
        headers={"Content-Type": "application/fhir+json"},
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    focus = f"Observation/{posted.json()['id']}"

    consoles = []
    for who in (ME, KARI):
        clock = ServerClock()
        client = FhirClient(base, clock=clock)
        model = AlertQueueModel(now=clock.now)
        service = AlertService(client, model, who, now=clock.now, tick_ms=200)
        consoles.append((client, model, service))

    def the_task() -> dict[str, Any]:
        found = get(
            f"{base}/Task",
            patient=pid,
            code="http://dho.example/fhir/CodeSystem/alert-rule|threshold-spo2",
        )
        return next(
            e["resource"] for e in found["entry"] if e["resource"]["focus"]["reference"] == focus
        )

    async def watch() -> dict[str, Any]:
        for _client, _model, service in consoles:
            await service.load(None)
            assert service.server_escalation  # announced: the consoles must not escalate
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            task = the_task()
            if any(e["url"] == ESCALATED for e in task.get("extension", ())):
                await asyncio.sleep(3)  # three more simulated minutes: nothing more happens
                return the_task()
            await asyncio.sleep(0.3)
        raise AssertionError("the alert was not escalated")

    task = qloop.run_until_complete(watch())
    assert sum(e["url"] == ESCALATED for e in task["extension"]) == 1
    notes = [n for n in task.get("note", ()) if n["text"].startswith("Eskalert")]
    assert len(notes) == 1
    assert any(r["reference"].startswith("Practitioner/") for r in task["restriction"]["recipient"])
    history = get(f"{base}/Task/{task['id']}/_history")["entry"]
    escalations = [
        e for e in history if any(x["url"] == ESCALATED for x in e["resource"].get("extension", ()))
    ]
    versions = sorted(int(e["resource"]["meta"]["versionId"]) for e in escalations)
    assert versions == list(range(versions[0], versions[0] + len(versions)))  # set once, kept
    digests = get(
        f"{base}/Communication",
        category="http://dho.example/fhir/CodeSystem/communication-category|alert-escalation",
    ).get("entry", [])
    about = [a["reference"] for d in digests for a in d["resource"].get("about", ())]
    assert about.count(f"Task/{task['id']}") == 1

    # Both consoles show it as escalated, from the server's mark.
    async def reload() -> None:
        for _client, model, service in consoles:
            await service.load(None)
            card = model.card_for(pid)
            assert card is not None and card.escalated

    qloop.run_until_complete(reload())
    for client, _model, service in consoles:
        qloop.run_until_complete(service.stop())
        qloop.run_until_complete(client.aclose())
    consoles.clear()  # Qt objects with timers go in this thread
    gc.collect()
