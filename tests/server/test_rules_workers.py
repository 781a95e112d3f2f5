"""Held (suspect) alerts across API workers: ``dho-server --workers 2`` on PostgreSQL.

A suspect value posted to one worker holds its alert (a draft Task in the database); the
re-measurement may reach the other worker, which must see the hold. Before the engine read
what waits for a re-measurement from the database in shared mode, the other worker's own
in-memory set did not know the hold, so a normal re-measurement there closed nothing and the
held alert later reached the queue as if unconfirmed.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.api.subscriptions import EXT_FILTER, TOPIC_URL
from server.sim.observations import iso_utc_datetime
from tests.backend import start_backend
from tests.server.rules_world import obs, patient_resources
from tests.server.test_fanout import _per_worker_clients, throwaway_db  # noqa: F401


async def _post_patient(
    client: httpx.AsyncClient, base: str, resources: list[dict[str, Any]]
) -> str:
    """POST the test world's patient (Patient, EpisodeOfCare, ServiceRequests; the CarePlan
    is left out: the rules do not need it) with server ids; her server id."""
    text = json.dumps([r for r in resources if r["resourceType"] != "CarePlan"])
    first = json.loads(text)[0]
    old = first.pop("id")
    r = await client.post(f"{base}/Patient", json=first)
    assert r.status_code == 201, r.text
    pid = str(r.json()["id"])
    text = text.replace(f'"Patient/{old}"', f'"Patient/{pid}"')
    for res in json.loads(text)[1:]:
        res.pop("id", None)
        res.pop("basedOn", None)
        r = await client.post(f"{base}/{res['resourceType']}", json=res)
        assert r.status_code == 201, r.text
    return pid


async def _tasks(client: httpx.AsyncClient, base: str, pid: str) -> list[dict[str, Any]]:
    r = await client.get(f"{base}/Task", params={"patient": pid, "_sort": "_lastUpdated"})
    assert r.status_code == 200, r.text
    return [
        e["resource"]
        for e in r.json().get("entry", ())
        if e["resource"]["code"]["coding"][0]["code"] == "threshold-spo2"
    ]


async def _scenario(base: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as setup:
        sub = {
            "resourceType": "Subscription",
            "status": "requested",
            "reason": "pick a worker",
            "criteria": TOPIC_URL,
            "_criteria": {
                "extension": [{"url": EXT_FILTER, "valueString": "Observation?patient=none"}]
            },
            "channel": {"type": "websocket"},
        }
        r = await setup.post(f"{base}/Subscription", json=sub)
        assert r.status_code == 201, r.text
        clients = await _per_worker_clients(base, r.json()["id"])
    assert len(clients) == 2, "two worker processes serve the port"
    a, b = (clients[w] for w in sorted(clients))
    out: dict[str, Any] = {}
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        ids = []
        for name in ("wk1", "wk2"):
            resources = patient_resources(name, "copd")
            for res in resources:
                if res["resourceType"] == "ServiceRequest":
                    res["authoredOn"] = iso_utc_datetime(now - timedelta(days=30))
            pid = await _post_patient(a, base, resources)
            ids.append(pid)
            for days, value in ((3, 93), (2, 94), (1, 93)):
                r = await a.post(
                    f"{base}/Observation", json=obs(pid, "spo2", value, now - timedelta(days=days))
                )
                assert r.status_code == 201, r.text
        # wk1: suspect on worker A (red, 9 below her usual: cold fingers?), normal on worker B.
        r = await a.post(f"{base}/Observation", json=obs(ids[0], "spo2", 84, now))
        assert r.status_code == 201, r.text
        out["held"] = [t["status"] for t in await _tasks(a, base, ids[0])]
        r = await b.post(
            f"{base}/Observation", json=obs(ids[0], "spo2", 92, now + timedelta(minutes=10))
        )
        assert r.status_code == 201, r.text  # b's one kept-alive connection is the other worker
        out["wk1"] = await _tasks(b, base, ids[0])
        # wk2: suspect on A, a confirming value on B raises it at once.
        await a.post(f"{base}/Observation", json=obs(ids[1], "spo2", 84, now))
        await b.post(
            f"{base}/Observation", json=obs(ids[1], "spo2", 85, now + timedelta(minutes=10))
        )
        out["wk2"] = await _tasks(a, base, ids[1])
    finally:
        for c in clients.values():
            await c.aclose()
    return out


@pytest.mark.postgres
@pytest.mark.slow
def test_a_hold_made_on_one_worker_is_closed_or_confirmed_on_the_other(
    tmp_path: Path,
    throwaway_db: str,  # noqa: F811
) -> None:
    backend = start_backend(
        tmp_path,
        db_url=throwaway_db,
        seed_patients=2,
        history_days=1,
        extra_args=["--workers", "2"],
    )
    try:
        result = asyncio.run(_scenario(backend.base_url))
    finally:
        assert backend.stop() == 0, backend.stderr_text()[-2000:]
    assert result["held"] == ["draft"]
    (closed,) = result["wk1"]
    assert closed["status"] == "cancelled", closed
    assert closed["businessStatus"]["coding"][0]["code"] == "measurement-error"
    (raised,) = result["wk2"]
    assert raised["status"] == "requested" and raised["priority"] == "asap"
