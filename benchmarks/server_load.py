"""Load generator for benchmarks/server_bench.py: one phase per run, in its own process.

    python benchmarks/server_load.py PHASE BASE_URL TOKEN [--connections 8] [--count N]
        [--seconds S] [--subscribers 10]

Phases (each prints one JSON line with its figures on stdout):

- ``ingest``: POST vital-signs Observations for random patients from ``--connections``
  keep-alive connections, bounded by ``--count`` and ``--seconds``; about 1 in 12 values lies
  outside the default alert limits, so the rules engine opens and updates alert Tasks.
- ``search``: ``Observation?patient=X&_sort=-date&_count=100`` for random patients; first one
  request at a time (latency), then from every connection at once (throughput).
- ``put``: read a ServiceRequest, then PUT it back changed with ``If-Match`` (version-aware),
  likewise one at a time, then from every connection at once.
- ``ws``: ``--subscribers`` WebSockets (half ``/ws/notifications?types=Observation``, half
  topic Subscriptions bound with ``bind-with-token``); POST one Observation at a time and time
  each until it arrives on every socket.

Only ever talks to the BASE_URL it is given (the benchmark passes 127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from datetime import UTC, datetime
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "vital-signs",
            }
        ]
    }
]
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
TOPIC_URL = "http://dho.example/fhir/SubscriptionTopic/resource-changes"
EXT_FILTER = (
    "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria"
)
# (codes, unit, normal range, outside range)
MEASUREMENTS = [
    (["8867-4"], "/min", (60, 90), (125, 140)),
    (["2708-6", "59408-5"], "%", (92, 99), (80, 84)),
    (["8310-5"], "Cel", (36.2, 37.4), (39.3, 40.0)),
    (["29463-7"], "kg", (60.0, 95.0), None),
    (["15074-8"], "mmol/L", (5.0, 8.0), (22.0, 25.0)),
]
OUTSIDE_ONE_IN = int(os.environ.get("BENCH_OUTSIDE_ONE_IN", "12"))


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def observation(pid: str, rng: random.Random) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": CATEGORY,
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": now_text(),
    }
    outside = rng.randrange(OUTSIDE_ONE_IN) == 0
    if rng.random() < 0.2:  # blood pressure panel
        sys_v, dia_v = (rng.randint(185, 200), 95) if outside else (rng.randint(110, 140), 80)
        obs["code"] = {"coding": [{"system": LOINC, "code": "85354-9"}]}
        obs["component"] = [
            {
                "code": {"coding": [{"system": LOINC, "code": code}]},
                "valueQuantity": {"value": v, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]"},
            }
            for code, v in (("8480-6", sys_v), ("8462-4", dia_v))
        ]
        return obs
    codes, unit, normal, high = rng.choice(MEASUREMENTS)
    lo, hi = high if (outside and high) else normal
    value = round(rng.uniform(lo, hi), 1)
    obs["code"] = {"coding": [{"system": LOINC, "code": c} for c in codes]}
    obs["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
    return obs


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def summary(latencies: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in latencies]
    return {"p50_ms": pct(ms, 50), "p90_ms": pct(ms, 90), "p99_ms": pct(ms, 99), "n": len(ms)}


async def ids_of(http: httpx.AsyncClient, res_type: str, limit: int) -> list[str]:
    """Up to ``limit`` ids of ``res_type``, following the server's next links (servers cap
    ``_count``; the 10,000-patient runs must spread over every patient, not the first page)."""
    r = await http.get(f"/{res_type}", params={"_count": str(min(limit, 1000)), "_elements": "id"})
    ids: list[str] = []
    while True:
        r.raise_for_status()
        page = r.json()
        ids += [e["resource"]["id"] for e in page.get("entry", [])]
        nxt = next((ln["url"] for ln in page.get("link", []) if ln.get("relation") == "next"), None)
        if nxt is None or len(ids) >= limit:
            return ids[:limit]
        r = await http.get(nxt)


class RawConnection:
    """A minimal HTTP/1.1 keep-alive client (``--client raw``): a few µs of CPU per request
    instead of httpx's ~1 ms, so on a 2-core machine the load generator leaves the server its
    CPU. Only what the benchmark needs: Content-Length bodies, no chunking, no redirects."""

    def __init__(self, base: str, token: str) -> None:
        rest = base.split("://", 1)[1]
        hostport, _, path = rest.partition("/")
        self.host, _, port = hostport.partition(":")
        self.port = int(port or 80)
        self.prefix = "/" + path.rstrip("/")
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_headers: dict[str, str] = {}

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"{method} {self.prefix}{path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"{self.auth}Content-Type: application/fhir+json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        self.last_headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            key = name.decode().strip().lower()
            self.last_headers[key] = value.decode().strip()
            if key == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def request_with(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes, dict[str, str]]:
        """Like :meth:`request` with extra request headers; returns the response headers too."""
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        saved = self.auth
        self.auth = saved + extra
        try:
            status, data = await self.request(method, path, body)
        finally:
            self.auth = saved
        return status, data, self.last_headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def ingest(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    patients = await ids_of(http, "Patient", 20000)
    rng = random.Random(args.seed)
    bodies = [
        json.dumps(observation(rng.choice(patients), rng)).encode() for _ in range(args.count)
    ]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    next_index = 0
    deadline = time.perf_counter() + args.seconds
    headers = {"Content-Type": "application/fhir+json", "Prefer": "return=representation"}

    async def worker() -> None:
        nonlocal next_index
        raw = RawConnection(args.base, args.token) if args.client == "raw" else None
        while next_index < len(bodies) and time.perf_counter() < deadline:
            body = bodies[next_index]
            next_index += 1
            t = time.perf_counter()
            try:
                if raw is not None:
                    status, _ = await raw.request("POST", "/Observation", body)
                else:
                    status = (
                        await http.post("/Observation", content=body, headers=headers)
                    ).status_code
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    latencies.append(time.perf_counter() - t)
            except (httpx.HTTPError, OSError, ValueError, IndexError):
                statuses[0] = statuses.get(0, 0) + 1
        if raw is not None:
            raw.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.connections)))
    took = time.perf_counter() - start
    return {
        "phase": "ingest",
        "client": args.client,
        "created": len(latencies),
        "statuses": statuses,
        "seconds": took,
        "rate": len(latencies) / took,
        **summary(latencies),
    }


class Client:
    """One connection's way to send a request: httpx (shared pool) or a RawConnection."""

    def __init__(self, http: httpx.AsyncClient, args: argparse.Namespace) -> None:
        self.http = http
        self.raw = RawConnection(args.base, args.token) if args.client == "raw" else None

    async def call(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers); the body fully read, not parsed."""
        if self.raw is not None:
            if headers:  # only If-Match is needed: send it through a one-off path
                status, data, head = await self.raw.request_with(method, path, body, headers)
                return status, data, head
            status, data = await self.raw.request(method, path, body)
            return status, data, {}
        r = await self.http.request(
            method,
            path,
            content=body or None,
            headers={"Content-Type": "application/fhir+json", **(headers or {})},
        )
        return r.status_code, r.content, dict(r.headers)

    def close(self) -> None:
        if self.raw is not None:
            self.raw.close()


async def search(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    patients = await ids_of(http, "Patient", 20000)
    rng = random.Random(11)
    entries: list[int] = []

    async def one(client: Client, lat: list[float]) -> None:
        pid = rng.choice(patients)
        t = time.perf_counter()
        status, body, _ = await client.call(
            "GET", f"/Observation?patient={pid}&_sort=-date&_count=100"
        )
        lat.append(time.perf_counter() - t)
        if status != 200:
            raise RuntimeError(f"search answered {status}: {body[:300]!r}")
        entries.append(len(json.loads(body).get("entry", [])))

    first = Client(http, args)
    for _ in range(20):  # warm up
        await one(first, [])
    serial: list[float] = []
    deadline = time.perf_counter() + args.seconds / 2
    for _ in range(args.count):
        if time.perf_counter() > deadline:
            break
        await one(first, serial)
    first.close()
    concurrent: list[float] = []
    remaining = args.count
    deadline = time.perf_counter() + args.seconds / 2

    async def worker() -> None:
        nonlocal remaining
        client = Client(http, args)
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            await one(client, concurrent)
        client.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(args.connections)))
    took = time.perf_counter() - start
    return {
        "phase": "search",
        "client": args.client,
        "entries_p50": pct([float(e) for e in entries], 50),
        "serial": summary(serial),
        "concurrent": {**summary(concurrent), "rate": len(concurrent) / took},
    }


async def put(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    ids = await ids_of(http, "ServiceRequest", 400)
    rng = random.Random(13)
    stale = 0

    async def one(client: Client, rid: str, read_lat: list[float], put_lat: list[float]) -> None:
        nonlocal stale
        t = time.perf_counter()
        status, data, head = await client.call("GET", f"/ServiceRequest/{rid}")
        t1 = time.perf_counter()
        if status != 200:
            raise RuntimeError(f"read answered {status}: {data[:300]!r}")
        body = json.loads(data)
        body["note"] = [{"text": f"benchmark {rng.random():.6f}"}]
        etag = head.get("etag") or f'W/"{body["meta"]["versionId"]}"'
        status, data, _ = await client.call(
            "PUT", f"/ServiceRequest/{rid}", json.dumps(body).encode(), {"If-Match": etag}
        )
        t2 = time.perf_counter()
        if status == 412:
            stale += 1
            return
        if status != 200:
            raise RuntimeError(f"PUT answered {status}: {data[:300]!r}")
        read_lat.append(t1 - t)
        put_lat.append(t2 - t1)

    first = Client(http, args)
    for rid in ids[:10]:
        await one(first, rid, [], [])
    s_read: list[float] = []
    s_put: list[float] = []
    deadline = time.perf_counter() + args.seconds / 2
    for i in range(args.count):
        if time.perf_counter() > deadline:
            break
        await one(first, ids[i % len(ids)], s_read, s_put)
    first.close()
    c_read: list[float] = []
    c_put: list[float] = []
    remaining = args.count
    deadline = time.perf_counter() + args.seconds / 2

    async def worker(k: int) -> None:  # each connection owns its own resources: no 412s
        nonlocal remaining
        client = Client(http, args)
        mine = ids[k :: args.connections]
        i = 0
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            await one(client, mine[i % len(mine)], c_read, c_put)
            i += 1
        client.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(args.connections)))
    took = time.perf_counter() - start
    return {
        "phase": "put",
        "client": args.client,
        "stale_412": stale,
        "serial_read": summary(s_read),
        "serial_put": summary(s_put),
        "concurrent_put": {**summary(c_put), "rate": len(c_put) / took},
        "concurrent_read": summary(c_read),
    }


def _param(body: dict[str, Any], name: str) -> Any:
    for p in body.get("parameter", []):
        if p["name"] == name:
            return next(v for k, v in p.items() if k != "name")
    return None


async def ws(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    patients = await ids_of(http, "Patient", 50)
    pid = patients[0]
    ws_root = str(http.base_url).replace("http://", "ws://", 1).rstrip("/").rsplit("/fhir", 1)[0]
    token_q = f"access_token={args.token}"
    n_topic = args.subscribers // 2
    n_legacy = args.subscribers - n_topic
    sockets: list[tuple[str, Any]] = []
    for _ in range(n_legacy):
        sock = await connect(
            f"{ws_root}/ws/notifications?types=Observation&{token_q}", max_size=2**24
        )
        assert json.loads(await sock.recv())["type"] == "handshake"
        sockets.append(("notifications", sock))
    sub_ids = []
    for i in range(n_topic):
        sub = {
            "resourceType": "Subscription",
            "status": "requested",
            "reason": f"benchmark {i}",
            "criteria": TOPIC_URL,
            "_criteria": {
                "extension": [{"url": EXT_FILTER, "valueString": "resource-type=Observation"}]
            },
            "channel": {"type": "websocket", "payload": "application/fhir+json"},
        }
        r = await http.post("/Subscription", json=sub)
        r.raise_for_status()
        sub_ids.append(r.json()["id"])
    for sid in sub_ids:
        tok = (await http.post(f"/Subscription/{sid}/$get-ws-binding-token")).json()
        url = _param(tok, "websocket-url")
        sock = await connect(f"{url}?{token_q}", max_size=2**24)
        await sock.send(f"bind-with-token {_param(tok, 'token')}")
        hello = json.loads(await sock.recv())
        assert _param(hello["entry"][0]["resource"], "type") == "handshake", hello
        sockets.append(("subscription", sock))

    # Observation id -> (socket kind, arrival time); frames may beat the POST's response.
    arrivals: dict[str, list[tuple[str, float]]] = {}
    waiting: dict[str, asyncio.Future[None]] = {}

    def arrived(kind: str, rid: str, now: float) -> None:
        got = arrivals.setdefault(rid, [])
        got.append((kind, now))
        fut = waiting.get(rid)
        if fut is not None and len(got) >= len(sockets) and not fut.done():
            fut.set_result(None)

    async def reader(kind: str, sock: Any) -> None:
        async for raw in sock:
            now = time.perf_counter()
            frame = json.loads(raw)
            if kind == "notifications":
                if frame.get("type") == "event-notification":
                    arrived(kind, frame["focus"]["reference"].split("/")[-1], now)
            else:
                for entry in frame.get("entry", [])[1:]:
                    arrived(kind, entry["fullUrl"].rsplit("/", 1)[-1], now)

    readers = [asyncio.create_task(reader(k, s)) for k, s in sockets]
    rng = random.Random(17)
    sent_at: dict[str, float] = {}
    timeouts = 0
    # The timed POSTs go through the raw client (a few µs of CPU, not httpx's ~1 ms), so the
    # figure is the server's time to notify, not the load generator's.
    poster = RawConnection(args.base, args.token)
    for i in range(args.count):
        body = json.dumps(observation(pid, rng)).encode()
        t = time.perf_counter()
        status, data = await poster.request("POST", "/Observation", body)
        if status != 201:
            raise RuntimeError(f"POST Observation answered {status}: {data[:300]!r}")
        rid = json.loads(data)["id"]
        sent_at[rid] = t
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting[rid] = fut
        if len(arrivals.get(rid, [])) >= len(sockets):
            fut.set_result(None)
        try:
            await asyncio.wait_for(fut, 5)
        except TimeoutError:
            timeouts += 1
        await asyncio.sleep(0.02 if i % 2 else 0.005)
    poster.close()
    latencies: dict[str, list[float]] = {"notifications": [], "subscription": []}
    for rid, t in sent_at.items():
        for kind, now in arrivals.get(rid, []):
            latencies[kind].append(now - t)
    for task in readers:
        task.cancel()
    for _, sock in sockets:
        await sock.close()
    for sid in sub_ids:
        await http.delete(f"/Subscription/{sid}")
    both = latencies["notifications"] + latencies["subscription"]
    return {
        "phase": "ws",
        "sockets": len(sockets),
        "timeouts": timeouts,
        "all": summary(both),
        "notifications": summary(latencies["notifications"]),
        "subscription": summary(latencies["subscription"]),
    }


# ----- standard FHIR R4 only (server_bench.py --peer): seeding and R4 websocket Subscriptions --


async def seed_r4(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    """Create ``--patients`` Patients, ``--per-patient`` Observations each (spread over
    ``--days``) and one ServiceRequest per patient with plain R4 POSTs from ``--connections``
    raw connections: works on any server that can create these three types."""
    rng = random.Random(args.seed)
    statuses: dict[int, int] = {}
    t0 = time.perf_counter()

    async def posts(bodies: list[tuple[str, bytes]]) -> list[str]:
        ids: list[str] = [""] * len(bodies)
        next_index = 0

        async def worker() -> None:
            nonlocal next_index
            raw = RawConnection(args.base, args.token)
            while next_index < len(bodies):
                i = next_index
                next_index += 1
                res_type, body = bodies[i]
                status, data = await raw.request("POST", f"/{res_type}", body)
                statuses[status] = statuses.get(status, 0) + 1
                if status != 201:
                    raise RuntimeError(f"POST {res_type} answered {status}: {data[:300]!r}")
                if data:
                    ids[i] = json.loads(data)["id"]
                else:  # return=minimal servers: the id is in Location
                    ids[i] = raw.last_headers["location"].split(f"{res_type}/")[1].split("/")[0]
            raw.close()

        await asyncio.gather(*(worker() for _ in range(args.connections)))
        return ids

    patients = await posts(
        [
            (
                "Patient",
                json.dumps(
                    {
                        "resourceType": "Patient",
                        "active": True,
                        "name": [{"family": f"Bench{k:05d}", "given": ["Peer"]}],
                        "birthDate": f"19{40 + k % 50:02d}-0{1 + k % 9}-1{k % 9}",
                    }
                ).encode(),
            )
            for k in range(args.patients)
        ]
    )
    now = time.time()
    span = args.days * 86400.0
    bodies: list[tuple[str, bytes]] = []
    for pid in patients:
        bodies.append(
            (
                "ServiceRequest",
                json.dumps(
                    {
                        "resourceType": "ServiceRequest",
                        "status": "active",
                        "intent": "order",
                        "code": {"text": "Digital home follow-up"},
                        "subject": {"reference": f"Patient/{pid}"},
                    }
                ).encode(),
            )
        )
        for j in range(args.per_patient):
            obs = observation(pid, rng)
            at = now - span + span * (j + rng.random()) / args.per_patient
            obs["effectiveDateTime"] = (
                datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            )
            bodies.append(("Observation", json.dumps(obs).encode()))
    rng.shuffle(bodies)
    await posts(bodies)
    took = time.perf_counter() - t0
    return {
        "phase": "seed-r4",
        "patients": len(patients),
        "resources": len(patients) + len(bodies),
        "seconds": took,
        "statuses": statuses,
    }


async def ws_r4(http: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    """POST -> notification over R4 Subscriptions (``channel.type = websocket``) bound with
    ``$get-ws-binding-token`` and a JSON ``bind-with-token`` message (as Medplum does), one
    Subscription per socket, ``criteria = Observation?patient=Patient/X``."""
    patients = await ids_of(http, "Patient", 50)
    pid = patients[0]
    token_q = f"access_token={args.token}" if args.token else ""
    sockets: list[Any] = []
    sub_ids: list[str] = []
    for i in range(args.subscribers):
        sub = {
            "resourceType": "Subscription",
            "status": "active",
            "reason": f"benchmark {i}",
            "criteria": f"Observation?patient=Patient/{pid}",
            "channel": {"type": "websocket"},
        }
        r = await http.post("/Subscription", json=sub)
        r.raise_for_status()
        sid = r.json()["id"]
        sub_ids.append(sid)
        r = await http.get(f"/Subscription/{sid}/$get-ws-binding-token")
        r.raise_for_status()
        url = _param(r.json(), "websocket-url")
        # The binding token authenticates the socket (Medplum refuses a query string with 404);
        # a server that wants the access token on the upgrade too gets it on a second try.
        try:
            sock = await connect(url, max_size=2**24)
        except InvalidStatus:
            if not token_q:
                raise
            sock = await connect(f"{url}?{token_q}", max_size=2**24)
        await sock.send(
            json.dumps({"type": "bind-with-token", "payload": {"token": _param(r.json(), "token")}})
        )
        hello = json.loads(await sock.recv())
        status = hello["entry"][0]["resource"]
        assert status.get("type") == "handshake", hello
        sockets.append(sock)
    arrivals: dict[str, list[float]] = {}
    waiting: dict[str, asyncio.Future[None]] = {}

    async def reader(sock: Any) -> None:
        async for raw in sock:
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame.get("resourceType") != "Bundle":
                continue
            for entry in frame.get("entry", []):
                res = entry.get("resource", {})
                if res.get("resourceType") != "SubscriptionStatus":
                    continue
                if res.get("type") != "event-notification":
                    continue
                for ev in res.get("notificationEvent", []):
                    rid = ev.get("focus", {}).get("reference", "").rsplit("/", 1)[-1]
                    got = arrivals.setdefault(rid, [])
                    got.append(now)
                    fut = waiting.get(rid)
                    if fut is not None and len(got) >= len(sockets) and not fut.done():
                        fut.set_result(None)

    readers = [asyncio.create_task(reader(s)) for s in sockets]
    rng = random.Random(17)
    sent_at: dict[str, float] = {}
    timeouts = 0
    # The timed POSTs go through the raw client (a few µs of CPU, not httpx's ~1 ms), so the
    # figure is the server's time to notify, not the load generator's.
    poster = RawConnection(args.base, args.token)
    for i in range(args.count):
        body = json.dumps(observation(pid, rng)).encode()
        t = time.perf_counter()
        status, data = await poster.request("POST", "/Observation", body)
        if status != 201:
            raise RuntimeError(f"POST Observation answered {status}: {data[:300]!r}")
        if data:
            rid = json.loads(data)["id"]
        else:
            rid = poster.last_headers["location"].split("Observation/")[1]
        rid = rid.split("/")[0]
        sent_at[rid] = t
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiting[rid] = fut
        if len(arrivals.get(rid, [])) >= len(sockets):
            fut.set_result(None)
        try:
            await asyncio.wait_for(fut, 5)
        except TimeoutError:
            timeouts += 1
        await asyncio.sleep(0.02 if i % 2 else 0.005)
    poster.close()
    latencies = [
        now - sent_at[rid] for rid, got in arrivals.items() if rid in sent_at for now in got
    ]
    for task in readers:
        task.cancel()
    for sock in sockets:
        await sock.close()
    for sid in sub_ids:
        await http.delete(f"/Subscription/{sid}")
    return {
        "phase": "ws-r4",
        "sockets": len(sockets),
        "timeouts": timeouts,
        "all": summary(latencies),
        "notifications": summary([]),
        "subscription": summary(latencies),
    }


PHASES = {
    "ingest": ingest,
    "search": search,
    "put": put,
    "ws": ws,
    "seed-r4": seed_r4,
    "ws-r4": ws_r4,
}


async def main_async(args: argparse.Namespace) -> None:
    async with httpx.AsyncClient(
        base_url=args.base,
        timeout=30,
        headers={"Authorization": f"Bearer {args.token}"} if args.token else {},
        limits=httpx.Limits(max_connections=args.connections, max_keepalive_connections=32),
    ) as http:
        result = await PHASES[args.phase](http, args)
    print(json.dumps(result), flush=True)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("phase", choices=sorted(PHASES))
    p.add_argument("base")
    p.add_argument("token")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--subscribers", type=int, default=10)
    p.add_argument("--seed", type=int, default=7, help="ingest: random seed of the bodies")
    p.add_argument("--patients", type=int, default=200, help="seed-r4: Patients to create")
    p.add_argument("--per-patient", type=int, default=110, help="seed-r4: Observations each")
    p.add_argument("--days", type=int, default=30, help="seed-r4: days of history")
    p.add_argument(
        "--client", choices=["httpx", "raw"], default="httpx", help="the HTTP client (not for ws)"
    )
    args = p.parse_args()
    if not args.base.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise SystemExit("server_load.py only talks to a backend on this machine")
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
