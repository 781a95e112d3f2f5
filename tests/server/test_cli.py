"""The real ``dho-server`` subprocess: listening line, seeding, restart, simulator, signals."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.backend import ROOT, RunningBackend, start_backend

FHIR = "application/fhir+json"


def get(url: str) -> dict[str, Any]:
    r = httpx.get(url, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(FHIR)
    body: dict[str, Any] = r.json()
    return body


def total(backend: RunningBackend, query: str) -> int:
    count: int = get(f"{backend.base_url}/{query}&_summary=count")["total"]
    return count


def test_seeded_backend_serves_fhir(backend: RunningBackend) -> None:
    assert backend.base_url.startswith("http://127.0.0.1:") and backend.port > 0
    assert total(backend, "Patient?") == 30
    assert total(backend, "EpisodeOfCare?status=active") >= 25
    assert total(backend, "Organization?type=response-centre") == 2
    assert total(backend, "Observation?category=vital-signs") > 0
    assert get(f"{backend.base_url}/metadata")["resourceType"] == "CapabilityStatement"
    lastn = get(f"{backend.base_url}/Observation/$lastn?max=1")
    patients = {e["resource"]["subject"]["reference"] for e in lastn["entry"]}
    assert len(patients) >= 25
    page = get(f"{backend.base_url}/EpisodeOfCare?_include=EpisodeOfCare:patient&_count=5")
    assert [e["search"]["mode"] for e in page["entry"]].count("include") == 5
    nxt = next(link["url"] for link in page["link"] if link["relation"] == "next")
    assert nxt.startswith(backend.base_url)


def test_create_over_http_notifies_websocket(backend: RunningBackend) -> None:
    patient_id = get(f"{backend.base_url}/Patient?_count=1")["entry"][0]["resource"]["id"]
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": "2026-11-22T10:00:00Z",
        "valueQuantity": {"value": 71, "unit": "/min"},
    }

    async def main() -> list[dict[str, Any]]:
        async with connect(backend.ws_url + "?types=Observation") as ws:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "handshake" and hello["heartbeatPeriod"] == 0.5
            async with httpx.AsyncClient() as client:
                r = await client.post(f"{backend.base_url}/Observation", json=observation)
                assert r.status_code == 201
                frames = [json.loads(await asyncio.wait_for(ws.recv(), 5))]
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            return frames

    frames = asyncio.run(main())
    event, beat = frames
    assert event["type"] == "event-notification" and event["eventNumber"] == 1
    assert event["resource"]["subject"]["reference"] == f"Patient/{patient_id}"
    assert beat == {"type": "heartbeat", "eventNumber": 1}


def test_first_start_seeds_300_patients_and_restart_does_not_reseed(tmp_path: Path) -> None:
    with start_backend(tmp_path, seed_patients=300, history_days=1) as first:
        assert total(first, "Patient?") == 300
        observations = total(first, "Observation?")
        port = first.port
    assert "seed: replayed" in first.stderr_text()
    assert first.proc.returncode == 0
    with start_backend(tmp_path, seed_patients=300, history_days=1, port=port) as second:
        assert second.port == port
        assert total(second, "Patient?") == 300
        assert total(second, "Observation?") == observations
    assert "seed:" not in second.stderr_text()


def test_simulator_produces_observations(tmp_path: Path) -> None:
    with start_backend(
        tmp_path, seed_patients=30, history_days=1, simulate=True, speed=100000, heartbeat=0.5
    ) as running:

        async def watch() -> list[dict[str, Any]]:
            events: list[dict[str, Any]] = []
            # max_queue=None: a paused reader (full queue) would stall the close handshake 10 s.
            async with connect(running.ws_url + "?types=Observation", max_queue=None) as ws:
                await ws.recv()  # handshake
                deadline = time.monotonic() + 8
                while len(events) < 3 and time.monotonic() < deadline:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), 8))
                    if frame["type"] == "event-notification":
                        events.append(frame)
            return events

        before = total(running, "Observation?")
        events = asyncio.run(watch())
        assert len(events) >= 3
        assert [e["eventNumber"] for e in events] == list(range(1, len(events) + 1))
        assert all(e["resource"]["resourceType"] == "Observation" for e in events)
        assert total(running, "Observation?") > before
        last = events[-1]["resource"]
        assert get(f"{running.base_url}/Observation/{last['id']}") == last
    assert running.proc.returncode == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_stop_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    running = start_backend(tmp_path, seed_patients=2, history_days=1, simulate=True)
    try:
        running.proc.send_signal(sig)
        assert running.proc.wait(timeout=15) == 0
    finally:
        running.stop()


def test_module_help_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert "--seed-patients" in out.stdout and "--no-simulate" in out.stdout
