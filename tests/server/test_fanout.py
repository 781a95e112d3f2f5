"""``dho-server --workers N``: fan-out between API worker processes through PostgreSQL
LISTEN/NOTIFY (a POST served by one worker reaches WebSocket clients of the other), and the
refusal of several workers on SQLite.

The worker that serves a connection names itself in an ``X-DHO-Worker`` header ($status,
$get-ws-binding-token, WebSocket handshakes), so the test can pick one of each.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url
from websockets.asyncio.client import ClientConnection, connect

from server.api.subscriptions import EXT_FILTER, TOPIC_URL
from server.store import Store
from tests.backend import ROOT, RunningBackend, start_backend
from tests.postgres import require_postgres

WORKER = "x-dho-worker"
ROUNDS = 40


@pytest.fixture
def throwaway_db() -> Iterator[str]:
    """A fresh PostgreSQL database (public schema, so the channel is dho_events), dropped after."""
    import psycopg

    admin = make_url(require_postgres())
    libpq = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"dho_fanout_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def observation(pid: str, value: float) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": "2026-11-22T10:00:00Z",
        "valueQuantity": {"value": value, "unit": "/min"},
    }


def _param(body: dict[str, Any], name: str) -> Any:
    return next(
        v for p in body["parameter"] if p["name"] == name for k, v in p.items() if k != "name"
    )


def _numbers(bundle: dict[str, Any]) -> list[int]:
    status = bundle["entry"][0]["resource"]
    return [
        int(part["valueString"])
        for p in status["parameter"]
        if p["name"] == "notification-event"
        for part in p["part"]
        if part["name"] == "event-number"
    ]


async def _per_worker_clients(base: str, sub_id: str) -> dict[str, httpx.AsyncClient]:
    """One keep-alive HTTP connection to each worker (connect in bursts until both answered)."""
    clients: dict[str, httpx.AsyncClient] = {}

    async def one() -> tuple[str, httpx.AsyncClient]:
        client = httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=10)
        r = await client.get(f"{base}/Subscription/{sub_id}/$status")
        assert r.status_code == 200, r.text
        return r.headers[WORKER], client

    for _ in range(40):
        for worker, client in await asyncio.gather(*(one() for _ in range(6))):
            if worker in clients:
                await client.aclose()
            else:
                clients[worker] = client
        if len(clients) == 2:
            break
        await asyncio.sleep(0.05)
    return clients


async def _per_worker_sockets(
    ws_root: str, path: str, first_frame: Any
) -> dict[str, ClientConnection]:
    """One WebSocket on each worker (connect in bursts until both answered)."""
    sockets: dict[str, ClientConnection] = {}

    async def one() -> tuple[str, ClientConnection]:
        ws = await connect(ws_root + path, max_size=2**24)
        assert ws.response is not None
        return ws.response.headers[WORKER], ws

    for _ in range(40):
        for worker, ws in await asyncio.gather(*(one() for _ in range(6))):
            if worker in sockets:
                await ws.close()
            else:
                await first_frame(ws)
                sockets[worker] = ws
        if len(sockets) == 2:
            break
        await asyncio.sleep(0.05)
    return sockets


async def _scenario(backend: RunningBackend) -> dict[str, Any]:
    base = backend.base_url
    ws_root = base.replace("http://", "ws://", 1).rsplit("/fhir", 1)[0]
    async with httpx.AsyncClient(timeout=10) as setup:
        patients = (await setup.get(f"{base}/Patient?_count=1")).json()
        pid = patients["entry"][0]["resource"]["id"]
        sub = {
            "resourceType": "Subscription",
            "status": "requested",
            "reason": "fan-out test",
            "criteria": TOPIC_URL,
            "_criteria": {
                "extension": [{"url": EXT_FILTER, "valueString": "Observation?patient=" + pid}]
            },
            "channel": {"type": "websocket"},
        }
        r = await setup.post(f"{base}/Subscription", json=sub)
        assert r.status_code == 201, r.text
        sub_id = r.json()["id"]

        async def bind(ws: ClientConnection) -> None:
            tok = (await setup.post(f"{base}/Subscription/{sub_id}/$get-ws-binding-token")).json()
            await ws.send(f"bind-with-token {_param(tok, 'token')}")
            hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert _param(hello["entry"][0]["resource"], "type") == "handshake"

        async def legacy_hello(ws: ClientConnection) -> None:
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "handshake"

        clients = await _per_worker_clients(base, sub_id)
        subscribers = await _per_worker_sockets(ws_root, "/ws/subscriptions", bind)
        legacy = await _per_worker_sockets(
            ws_root, "/ws/notifications?types=Observation", legacy_hello
        )
    workers = sorted(clients)
    assert len(workers) == 2, "two worker processes serve the port"
    assert sorted(subscribers) == workers and sorted(legacy) == workers

    arrivals: dict[tuple[str, str], dict[int, float]] = {}

    async def collect(kind: str, worker: str, ws: ClientConnection) -> None:
        seen = arrivals.setdefault((kind, worker), {})
        while len(seen) < ROUNDS:
            frame = json.loads(await ws.recv())
            now = time.perf_counter()
            if kind == "legacy":
                if frame["type"] == "event-notification":
                    seen[frame["eventNumber"]] = now
            elif _param(frame["entry"][0]["resource"], "type") == "event-notification":
                for n in _numbers(frame):
                    seen[n] = now

    readers = [asyncio.create_task(collect("sub", w, ws)) for w, ws in subscribers.items()]
    readers += [asyncio.create_task(collect("legacy", w, ws)) for w, ws in legacy.items()]
    sent: list[tuple[str, float]] = []
    for i in range(ROUNDS):
        writer = workers[i % 2]
        t0 = time.perf_counter()
        r = await clients[writer].post(f"{base}/Observation", json=observation(pid, 60 + i))
        assert r.status_code == 201, r.text
        sent.append((writer, t0))
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*readers), 20)
    for c in clients.values():
        await c.aclose()
    for ws in [*subscribers.values(), *legacy.values()]:
        await ws.close()
    cross: list[float] = []
    local: list[float] = []
    for (kind, worker), seen in arrivals.items():
        assert sorted(seen) == list(range(1, ROUNDS + 1)), (kind, worker)
        if kind != "sub":
            continue
        for number, at in seen.items():
            writer, t0 = sent[number - 1]  # one writer at a time: number i is the i-th POST
            (cross if writer != worker else local).append(at - t0)
    return {"cross": sorted(cross), "local": sorted(local), "workers": workers}


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


@pytest.mark.postgres
def test_post_to_one_worker_reaches_websockets_on_the_other(
    tmp_path: Path, throwaway_db: str
) -> None:
    backend = start_backend(
        tmp_path,
        db_url=throwaway_db,
        seed_patients=4,
        history_days=1,
        heartbeat=1.0,
        extra_args=["--workers", "2"],
    )
    try:
        result = asyncio.run(_scenario(backend))
    finally:
        assert backend.stop() == 0, backend.stderr_text()[-2000:]
    cross, local = result["cross"], result["local"]
    assert len(cross) == len(local) == ROUNDS
    print(
        f"\nPOST → /ws/subscriptions latency over {ROUNDS} POSTs: other worker "
        f"p50 {_pct(cross, 0.5):.1f} ms p99 {_pct(cross, 0.99):.1f} ms; same worker "
        f"p50 {_pct(local, 0.5):.1f} ms p99 {_pct(local, 0.99):.1f} ms "
        f"(mean cross {statistics.mean(cross) * 1000:.1f} ms)"
    )
    assert _pct(cross, 0.99) < 2000


def test_several_workers_are_refused_on_sqlite(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "server.cli", "--workers", "2", "--port", "0"]
    args += ["--db", f"sqlite:///{tmp_path / 'x.sqlite'}", "--no-simulate"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--workers needs PostgreSQL" in done.stderr


def _count_read_backs(fanout: Any) -> list[int]:
    """The number of messages of each read-back (thread hop) ``fanout`` makes from now on."""
    hops: list[int] = []
    real = fanout._fetch_all

    def counted(messages: Any, *rest: Any) -> Any:
        hops.append(len(messages))
        return real(messages, *rest)

    fanout._fetch_all = counted
    return hops


def test_notifications_that_queue_up_are_read_back_together_in_commit_order(store: Store) -> None:
    """Several notifications from another worker: one read-back (one thread hop, one query for
    the versions), published in the order they were committed; its own and malformed ones
    skipped."""
    from types import SimpleNamespace

    from server.api.broker import Broker
    from server.api.fanout import PgFanout

    if store.is_sqlite:
        pytest.skip("the fan-out is PostgreSQL's")
    broker = Broker()
    seen: list[tuple[str, bool]] = []
    broker.add_listener(lambda batch, local: seen.extend((e.res_id, local) for e in batch))
    hub = SimpleNamespace(
        origin="me",
        has_bindings=lambda sub: False,
        resync_all=lambda: None,
        deliver=lambda sub, items: None,
    )
    fanout = PgFanout(store, broker, hub)  # type: ignore[arg-type]
    stored = [
        store.create_many([("Observation", observation("p1", 70.0 + i))])[0] for i in range(3)
    ]
    payloads = [
        json.dumps({"o": "other", "q": [[stored[0].seq, stored[0].seq]]}),
        json.dumps({"o": "me", "q": [[stored[1].seq, stored[1].seq]]}),  # our own: skipped
        "not json",
        json.dumps({"o": "other", "q": [[stored[1].seq, stored[2].seq]]}),
    ]
    hops = _count_read_backs(fanout)
    asyncio.run(fanout._handle(payloads))
    assert hops == [2]
    assert seen == [(st.res_id, False) for st in stored]
    assert fanout.received == 2


def test_changes_that_travel_in_the_payload_are_published_without_a_read_back(store: Store) -> None:
    """A commit's small changes go whole in the NOTIFY and its Subscription numbers name their
    seqs: the listening worker publishes and delivers them with no thread hop and no query,
    the same events a read-back gives. A change too large for a payload still goes by seq
    and is read back; the order stays the commit order."""
    from types import SimpleNamespace

    from server.api.broker import Broker, ChangeEvent
    from server.api.fanout import PgFanout
    from server.api.subscriptions import INLINE_LIMIT, notify_payloads

    if store.is_sqlite:
        pytest.skip("the fan-out is PostgreSQL's")
    broker = Broker()
    seen: list[ChangeEvent] = []
    broker.add_listener(lambda batch, local: seen.extend(batch))
    delivered: list[tuple[str, list[tuple[int, ChangeEvent]]]] = []
    hub = SimpleNamespace(
        origin="me",
        has_bindings=lambda sub: sub == "sub-1",
        resync_all=lambda: None,
        deliver=lambda sub, items: delivered.append((sub, items)),
        spec=lambda sub: None,
    )
    fanout = PgFanout(store, broker, hub)  # type: ignore[arg-type]
    hops = _count_read_backs(fanout)

    def event(i: int, note: str = "") -> ChangeEvent:
        body = observation("p1", 70.0 + i)
        if note:
            body["note"] = [{"text": note}]
        st = store.create_many([("Observation", body)])[0]
        return ChangeEvent(
            st.seq, "create", "Observation", st.res_id, 1, st.last_updated_text, st.data
        )

    small = [event(i, "Målt etter hvile «ro». " * 20) for i in range(12)]
    numbered = {"sub-1": [(40 + k, ev) for k, ev in enumerate(small)]}
    payloads = notify_payloads("other", small, numbered)
    assert len(payloads) > 1 and all(len(p.encode()) < 8000 for p in payloads)
    assert all("e" in json.loads(p) for p in payloads[:-1])
    asyncio.run(fanout._handle(payloads))
    assert hops == [] and fanout.inline_only == 1
    assert seen == small  # the stored text, byte for byte, in seq order
    assert [(n, ev) for _sub, items in delivered for n, ev in items] == numbered["sub-1"]

    seen.clear()
    delivered.clear()
    big = event(99, "x" * (INLINE_LIMIT + 100))
    after = event(100)
    mixed = notify_payloads("other", [big, after], {"sub-1": [(52, big), (53, after)]})
    assert json.loads(mixed[0])["q"] == [[big.seq, big.seq]]
    asyncio.run(fanout._handle(mixed))
    assert hops == [1]
    assert seen == [big, after]
    assert [(n, ev.res_id) for _sub, items in delivered for n, ev in items] == [
        (52, big.res_id),
        (53, after.res_id),
    ]


def test_several_payloads_are_sent_in_one_statement_and_arrive_in_their_order(store: Store) -> None:
    """A commit's events can fill several payloads; they go in one round trip and the
    listener hears them in the order given (each whole, up to PostgreSQL's 8000 bytes)."""
    import psycopg

    from server.api.fanout import libpq_url

    if store.is_sqlite:
        pytest.skip("NOTIFY is PostgreSQL's")
    channel = f"dho_test_{uuid.uuid4().hex[:8]}"
    payloads = [json.dumps({"i": i, "pad": "ø" * 3000}, ensure_ascii=False) for i in range(5)]
    statements: list[str] = []
    from sqlalchemy import event

    event.listen(
        store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]), named=False
    )
    with psycopg.connect(libpq_url(store), autocommit=True) as listener:
        listener.execute(f'LISTEN "{channel}"')
        with store.engine.begin() as conn:
            store.notify(channel, payloads, conn)
        heard = [n.payload for n in listener.notifies(timeout=5, stop_after=5)]
    assert heard == payloads
    assert sum("pg_notify" in sql for sql in statements) == 1
