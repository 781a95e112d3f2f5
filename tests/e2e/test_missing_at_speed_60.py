"""At speed 60 a measurement that is not sent earns the patient a reminder, then becomes an
adherence item, at the simulated times the plan says, and closes itself when it arrives."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.domain.clock import parse_clock_header
from tests.backend import RunningBackend, start_backend
from tests.fhir_builders import spo2

pytestmark = pytest.mark.slow
GRACE = "http://dho.example/fhir/StructureDefinition/missing-measurement-grace"
CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"
START = datetime(2026, 11, 23, 13, 25, tzinfo=UTC)  # Monday 14:25 in Oslo


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[RunningBackend]:
    running = start_backend(
        tmp_path,
        seed_patients=8,
        history_days=1,
        speed=60,
        extra_args=["--clock-start", START.isoformat()],
    )
    try:
        yield running
    finally:
        running.stop()


def server_now(base: str) -> datetime:
    parsed = parse_clock_header(httpx.get(f"{base}/metadata", timeout=10).headers["x-dho-clock"])
    assert parsed is not None and parsed[1] == 60
    return datetime.fromtimestamp(parsed[0], UTC)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def grace(stage: str, minutes: int) -> dict[str, Any]:
    return {
        "url": GRACE,
        "extension": [
            {"url": "level", "valueCode": stage},
            {"url": "after", "valueDuration": {"value": minutes / 60, "unit": "h", "code": "h"}},
        ],
    }


def test_reminder_then_adherence_item_then_closed(backend: RunningBackend) -> None:
    base = backend.base_url
    # The seeded world is the simulator's: a patient may have missed another measurement the day
    # before, and one adherence item per patient holds every missed one. Take a patient whose
    # start-up pass (done within the first simulated minute) left nothing open, so the item seen
    # here is this plan's alone.
    while server_now(base) < START + timedelta(minutes=1):
        time.sleep(0.1)
    open_items = httpx.get(
        f"{base}/Task",
        params={
            "code": "http://dho.example/fhir/CodeSystem/alert-rule|missing-measurement",
            "status": "requested,in-progress,on-hold",
            "_count": "100",
        },
        timeout=10,
    ).json()
    busy = {e["resource"]["for"]["reference"] for e in open_items.get("entry", ())}
    plans = httpx.get(
        f"{base}/ServiceRequest", params={"code": "2708-6", "_count": "100"}, timeout=10
    ).json()["entry"]
    sr = next(e["resource"] for e in plans if e["resource"]["subject"]["reference"] not in busy)
    pid = sr["subject"]["reference"].split("/")[1]
    post = {"headers": {"Content-Type": "application/fhir+json"}, "timeout": 10}
    # The seeded morning measurements are more than 3 h before 14:30: that one is due next.
    plan = {
        **sr,
        "extension": [
            *(e for e in sr["extension"] if e["url"] != GRACE),
            grace("reminder", 10),
            grace("adherence", 20),
        ],
        "occurrenceTiming": {
            "repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "timeOfDay": ["14:30:00"]}
        },
    }
    r = httpx.put(
        f"{base}/ServiceRequest/{sr['id']}",
        json=plan,
        headers={
            "Content-Type": "application/fhir+json",
            "If-Match": f'W/"{sr["meta"]["versionId"]}"',
        },
        timeout=10,
    )
    assert r.status_code == 200, r.text
    due = START + timedelta(minutes=5)  # 14:30 Oslo

    def reminders() -> list[dict[str, Any]]:
        found = httpx.get(
            f"{base}/Communication",
            params={"subject": f"Patient/{pid}", "category": f"{CATEGORY}|measurement-reminder"},
            timeout=10,
        ).json()
        mine = f"ServiceRequest/{sr['id']}"
        return [
            e["resource"]
            for e in found.get("entry", ())
            if mine in {a["reference"] for a in e["resource"].get("about", ())}
        ]

    def items() -> list[dict[str, Any]]:
        found = httpx.get(
            f"{base}/Task",
            params={
                "patient": pid,
                "code": "http://dho.example/fhir/CodeSystem/alert-rule|missing-measurement",
            },
            timeout=10,
        ).json()
        return [
            e["resource"]
            for e in found.get("entry", ())
            if e["resource"]["focus"]["reference"] == f"ServiceRequest/{sr['id']}"
            or any(
                i.get("valueReference", {}).get("reference") == f"ServiceRequest/{sr['id']}"
                for i in e["resource"].get("input", ())
            )
        ]

    deadline = time.monotonic() + 60
    while not reminders() and time.monotonic() < deadline:
        assert not items()
        time.sleep(0.3)
    (reminder,) = reminders()
    assert "14:30" in reminder["payload"][0]["contentString"]
    sent = instant(reminder["sent"])
    assert due + timedelta(minutes=10) <= sent <= due + timedelta(minutes=13)
    assert not [t for t in items() if t["status"] != "cancelled"]
    while not items() and time.monotonic() < deadline:
        time.sleep(0.3)
    (task,) = items()
    assert task["priority"] == "routine" and task["status"] == "requested"
    assert instant(task["authoredOn"]) == due + timedelta(minutes=20)
    assert (
        due + timedelta(minutes=20)
        <= instant(task["meta"]["lastUpdated"])
        <= due + timedelta(minutes=23)
    )
    # The measurement arrives: the item closes itself.
    arrived = httpx.post(f"{base}/Observation", json=spo2(pid, 94, server_now(base)), **post)
    assert arrived.status_code == 201
    while time.monotonic() < deadline:
        (task,) = items()
        if task["status"] == "cancelled":
            break
        time.sleep(0.3)
    assert task["status"] == "cancelled"
    assert task["businessStatus"]["coding"][0]["code"] == "measurement-arrived"
