"""LiveFeed against a fake notification WebSocket (websockets, 127.0.0.1, port 0) and a fake
FHIR search (httpx.MockTransport): events, gaps, heartbeats, reconnects, polling, clean stop.
Each test runs its own `asyncio.run` and fails if a task is left behind."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from console.fhir.client import FhirClient
from console.fhir.live import LiveFeed, LiveMode, LiveStatus

BASE = "http://127.0.0.1:9/fhir"  # never contacted: the MockTransport answers


class FakeFhir:
    """A tiny in-memory FHIR search with `_lastUpdated=gt`, `_sort=_lastUpdated` and paging."""

    def __init__(self, websocket_url: str | None = None) -> None:
        self.resources: dict[tuple[str, str], dict[str, Any]] = {}
        self.searches: list[str] = []
        self.websocket_url = websocket_url
        self.down = False

    def put(self, rtype: str, rid: str) -> dict[str, Any]:
        old = self.resources.get((rtype, rid))
        version = int(old["meta"]["versionId"]) + 1 if old else 1
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        resource = {
            "resourceType": rtype,
            "id": rid,
            "meta": {"versionId": str(version), "lastUpdated": stamp},
        }
        self.resources[(rtype, rid)] = resource
        return resource

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("down")
        path = request.url.path
        if path.endswith("/metadata"):
            rest: dict[str, Any] = {"mode": "server", "resource": [{"type": "Observation"}]}
            if self.websocket_url:
                rest["extension"] = [
                    {
                        "url": "http://dho.example/fhir/StructureDefinition/websocket-notifications",
                        "valueUrl": self.websocket_url,
                    }
                ]
            return httpx.Response(200, json={"resourceType": "CapabilityStatement", "rest": [rest]})
        rtype = path.rsplit("/", 1)[-1]
        self.searches.append(f"{rtype}?{request.url.query.decode()}")
        params = request.url.params
        assert params["_sort"] == "_lastUpdated"
        gt = datetime.fromisoformat(params["_lastUpdated"].removeprefix("gt"))
        matches = sorted(
            (
                r
                for (t, _), r in self.resources.items()
                if t == rtype and datetime.fromisoformat(r["meta"]["lastUpdated"]) > gt
            ),
            key=lambda r: r["meta"]["lastUpdated"],
        )
        count, offset = int(params["_count"]), int(params.get("_offset", "0"))
        links = []
        if offset + count < len(matches):
            nxt = request.url.copy_set_param("_offset", str(offset + count))
            links.append({"relation": "next", "url": str(nxt)})
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "link": links,
            "entry": [{"resource": r} for r in matches[offset : offset + count]],
        }
        return httpx.Response(200, json=bundle)


class FakeNotifications:
    """The server side of `/ws/notifications`: handshake, heartbeats, numbered events."""

    def __init__(self, heartbeat: float = 0.1) -> None:
        self.heartbeat = heartbeat
        self.silent = False
        self.refuse: int | None = None
        self.connections: list[ServerConnection] = []
        self.paths: list[str] = []
        self.authorizations: list[str | None] = []
        self.numbers: dict[ServerConnection, int] = {}
        self.server: Server | None = None

    async def __aenter__(self) -> FakeNotifications:
        self.server = await serve(
            self._handle, "127.0.0.1", 0, process_request=self._process_request
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}/ws/notifications"

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        self.paths.append(request.path)
        self.authorizations.append(request.headers.get("Authorization"))
        if self.refuse is not None:
            return connection.respond(HTTPStatus(self.refuse), "no\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections.append(ws)
        self.numbers[ws] = 0
        with contextlib.suppress(ConnectionClosed):
            await ws.send(
                json.dumps(
                    {"type": "handshake", "eventNumber": 0, "heartbeatPeriod": self.heartbeat}
                )
            )
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(ws.wait_closed(), self.heartbeat)
                    return
                if not self.silent:
                    frame = {"type": "heartbeat", "eventNumber": self.numbers[ws]}
                    await ws.send(json.dumps(frame))

    @property
    def current(self) -> ServerConnection:
        return self.connections[-1]

    async def notify(self, resource: dict[str, Any], *, send: bool = True) -> None:
        """Number an event; with send=False it is 'lost' (a gap the client must notice)."""
        ws = self.current
        self.numbers[ws] += 1
        if send:
            frame = {
                "type": "event-notification",
                "eventNumber": self.numbers[ws],
                "action": "create",
                "focus": {"reference": f"{resource['resourceType']}/{resource['id']}"},
                "versionId": resource["meta"]["versionId"],
                "lastUpdated": resource["meta"]["lastUpdated"],
                "resource": resource,
            }
            await ws.send(json.dumps(frame))

    async def heartbeat_now(self) -> None:
        await self.current.send(
            json.dumps({"type": "heartbeat", "eventNumber": self.numbers[self.current]})
        )


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []
        self.statuses: list[LiveStatus] = []

    def on_resources(self, batch: list[dict[str, Any]]) -> None:
        self.batches.append(batch)

    def on_status(self, status: LiveStatus) -> None:
        self.statuses.append(status)

    @property
    def keys(self) -> list[tuple[str, str, str]]:
        return [
            (r["resourceType"], r["id"], r["meta"]["versionId"]) for b in self.batches for r in b
        ]

    @property
    def modes(self) -> list[LiveMode]:
        """Distinct consecutive modes, in the order reported."""
        out: list[LiveMode] = []
        for s in self.statuses:
            if not out or out[-1] != s.mode:
                out.append(s.mode)
        return out

    @property
    def mode(self) -> LiveMode | None:
        return self.statuses[-1].mode if self.statuses else None


async def until(predicate: Callable[[], bool], within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


FAST = {
    "backoff_initial": 0.05,
    "backoff_max": 0.2,
    "offline_after": 10.0,
    "overlap": 5.0,
    "batch_window": 0.0,
    "open_timeout": 2.0,
}


def run_feed(
    body: Callable[[LiveFeed, Recorder, FakeFhir, FakeNotifications], Awaitable[None]],
    *,
    heartbeat: float = 0.1,
    advertise: bool = False,
    client_token: str | None = None,
    **kwargs: Any,
) -> Recorder:
    """Run `body` with a started feed; afterwards check that stop() left no tasks behind."""
    rec = Recorder()

    async def main() -> None:
        async with FakeNotifications(heartbeat) as ws_server:
            fhir = FakeFhir(ws_server.url if advertise else None)
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            client = FhirClient(BASE, http=http, retry_backoff=0.001, token=lambda: client_token)
            options = {**FAST, **kwargs}
            if not advertise and "ws_url" not in options:
                options["ws_url"] = ws_server.url
            feed = LiveFeed(
                client,
                on_resources=rec.on_resources,
                on_status=rec.on_status,
                resource_types=("Observation",),
                **options,
            )
            feed.start()
            try:
                await body(feed, rec, fhir, ws_server)
            finally:
                await feed.stop()
                assert not feed.running
                await http.aclose()
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert leftover == [], leftover

    asyncio.run(main())
    return rec


def test_events_arrive_and_status_goes_live() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        await ws.notify(fhir.put("Observation", "o1"))
        await ws.notify(fhir.put("Observation", "o2"))
        await until(lambda: len(rec.keys) == 2)
        assert ws.paths[0] == "/ws/notifications?types=Observation"
        assert ws.authorizations[0] == "Bearer secret-1"

    rec = run_feed(body, client_token="secret-1")
    assert rec.keys == [("Observation", "o1", "1"), ("Observation", "o2", "1")]
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.LIVE]
    live = [s for s in rec.statuses if s.mode is LiveMode.LIVE]
    assert live[-1].data_as_of is not None and live[-1].last_event_at is not None


def test_websocket_url_from_capabilities() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        assert feed.ws_url == ws.url

    run_feed(body, advertise=True)


def test_gap_in_event_numbers_triggers_catch_up() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        await ws.notify(fhir.put("Observation", "o1"))
        await ws.notify(fhir.put("Observation", "o2"), send=False)  # lost
        await ws.notify(fhir.put("Observation", "o3"))
        await until(lambda: len(rec.keys) == 3)
        await asyncio.sleep(0.2)  # no duplicates trickle in afterwards
        assert len(fhir.searches) == 1

    rec = run_feed(body)
    assert sorted(rec.keys) == [("Observation", f"o{i}", "1") for i in (1, 2, 3)]
    assert rec.modes == [
        LiveMode.CONNECTING,
        LiveMode.LIVE,
        LiveMode.CATCHING_UP,
        LiveMode.LIVE,
    ]


def test_heartbeat_ahead_of_us_triggers_catch_up() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        await ws.notify(fhir.put("Observation", "o1"), send=False)
        await ws.heartbeat_now()
        await until(lambda: len(rec.keys) == 1)

    rec = run_feed(body, heartbeat=10.0)
    assert rec.keys == [("Observation", "o1", "1")]
    assert LiveMode.CATCHING_UP in rec.modes


def test_missed_heartbeat_reconnects_and_catches_up() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        ws.silent = True
        fhir.put("Observation", "while-silent")
        await until(lambda: len(ws.connections) == 2)
        ws.silent = False
        await until(lambda: rec.mode is LiveMode.LIVE and len(rec.keys) == 1)

    rec = run_feed(body, heartbeat=0.05)
    assert rec.keys == [("Observation", "while-silent", "1")]
    assert rec.modes == [
        LiveMode.CONNECTING,
        LiveMode.LIVE,
        LiveMode.RECONNECTING,
        LiveMode.CATCHING_UP,
        LiveMode.LIVE,
    ]
    assert "no heartbeat" in next(s.detail for s in rec.statuses if s.mode is LiveMode.RECONNECTING)


def test_disconnect_goes_reconnecting_then_offline_then_live_without_duplicates() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        await ws.notify(fhir.put("Observation", "before"))
        await until(lambda: len(rec.keys) == 1)
        ws.refuse = 503
        await ws.current.close()
        fhir.put("Observation", "during")
        fhir.put("Observation", "before")  # a new version while we were away
        await until(lambda: rec.mode is LiveMode.OFFLINE)
        ws.refuse = None
        await until(lambda: rec.mode is LiveMode.LIVE)

    rec = run_feed(body, offline_after=0.3)
    assert sorted(rec.keys) == [
        ("Observation", "before", "1"),
        ("Observation", "before", "2"),
        ("Observation", "during", "1"),
    ]
    assert rec.modes == [
        LiveMode.CONNECTING,
        LiveMode.LIVE,
        LiveMode.RECONNECTING,
        LiveMode.OFFLINE,
        LiveMode.CATCHING_UP,
        LiveMode.LIVE,
    ]
    offline = next(s for s in rec.statuses if s.mode is LiveMode.OFFLINE)
    assert offline.data_as_of is not None
    assert "503" in offline.detail


def test_catch_up_follows_pages_and_drops_known_versions() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        await ws.notify(fhir.put("Observation", "seen"))
        await until(lambda: len(rec.keys) == 1)
        for i in range(25):
            await ws.notify(fhir.put("Observation", f"lost{i}"), send=False)
        await ws.notify(fhir.put("Observation", "last"))
        await until(lambda: len(rec.keys) == 27)
        await asyncio.sleep(0.1)

    rec = run_feed(body, page_size=10)
    assert len(rec.keys) == len(set(rec.keys)) == 27
    # the first event, then the three catch-up pages ("seen" and "last" dropped as known)
    assert [len(b) for b in rec.batches] == [1, 9, 10, 7]


def test_since_makes_the_first_connection_catch_up() -> None:
    since = datetime.now(UTC)

    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        assert rec.keys == [("Observation", "x", "1")]

    # The resource exists before the feed starts, so only a catch-up can deliver it.
    rec = Recorder()

    async def main() -> None:
        async with FakeNotifications() as ws_server:
            fhir = FakeFhir()
            fhir.put("Observation", "x")
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            feed = LiveFeed(
                FhirClient(BASE, http=http),
                on_resources=rec.on_resources,
                on_status=rec.on_status,
                resource_types=("Observation",),
                ws_url=ws_server.url,
                since=since,
                **FAST,
            )
            feed.start()
            try:
                await body(feed, rec, fhir, ws_server)
            finally:
                await feed.stop()
                await http.aclose()

    asyncio.run(main())
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.CATCHING_UP, LiveMode.LIVE]


def test_no_websocket_falls_back_to_polling() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.POLLING)
        fhir.put("Observation", "p1")
        await until(lambda: len(rec.keys) == 1)
        fhir.put("Observation", "p2")
        await until(lambda: len(rec.keys) == 2)
        assert feed.ws_url is None

    # Not advertised and not probed: straight to polling.
    rec = run_feed(body, ws_url=None, probe_websocket=False, poll_interval=0.05)
    assert rec.keys == [("Observation", "p1", "1"), ("Observation", "p2", "1")]
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.POLLING]


def test_websocket_404_falls_back_to_polling() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.POLLING)
        assert "404" in rec.statuses[-1].detail
        fhir.put("Observation", "p1")
        await until(lambda: len(rec.keys) == 1)

    rec = Recorder()

    async def main() -> None:
        async with FakeNotifications() as ws_server:
            ws_server.refuse = 404
            fhir = FakeFhir(ws_server.url)
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            feed = LiveFeed(
                FhirClient(BASE, http=http),
                on_resources=rec.on_resources,
                on_status=rec.on_status,
                resource_types=("Observation",),
                poll_interval=0.05,
                **FAST,
            )
            feed.start()
            try:
                await body(feed, rec, fhir, ws_server)
            finally:
                await feed.stop()
                await http.aclose()

    asyncio.run(main())
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.POLLING]


def test_polling_goes_offline_when_the_server_is_down() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(
            lambda: rec.mode is LiveMode.POLLING and rec.statuses[-1].data_as_of is not None
        )
        fhir.down = True
        await until(lambda: rec.mode is LiveMode.OFFLINE)
        fhir.down = False
        await until(lambda: rec.mode is LiveMode.POLLING)

    rec = run_feed(body, ws_url="", poll_interval=0.05, offline_after=0.2)
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.POLLING, LiveMode.OFFLINE, LiveMode.POLLING]


def test_stop_before_connecting_and_twice() -> None:
    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(500)))
        feed = LiveFeed(
            FhirClient(BASE, http=http),
            on_resources=lambda b: None,
            on_status=lambda s: None,
            ws_url="ws://127.0.0.1:9/ws/notifications",
            **FAST,
        )
        feed.start()
        await asyncio.sleep(0.05)
        await feed.stop()
        await feed.stop()
        await http.aclose()
        assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []

    asyncio.run(main())


@pytest.mark.parametrize("broken", ["on_resources", "on_status"])
def test_a_failing_callback_does_not_kill_the_feed(broken: str) -> None:
    def boom(*_: object) -> None:
        raise RuntimeError("consumer bug")

    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: len(ws.connections) == 1)
        await asyncio.sleep(0.05)
        await ws.notify(fhir.put("Observation", "o1"))
        await asyncio.sleep(0.1)
        assert feed.running

    async def main() -> None:
        async with FakeNotifications() as ws_server:
            fhir = FakeFhir()
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            callbacks: dict[str, Any] = {
                "on_resources": lambda b: None,
                "on_status": lambda s: None,
            }
            callbacks[broken] = boom
            feed = LiveFeed(
                FhirClient(BASE, http=http),
                resource_types=("Observation",),
                ws_url=ws_server.url,
                **callbacks,
                **FAST,
            )
            feed.start()
            try:
                await body(feed, Recorder(), fhir, ws_server)
            finally:
                await feed.stop()
                await http.aclose()

    asyncio.run(main())


def test_runs_inside_the_qasync_loop(qloop: asyncio.AbstractEventLoop) -> None:
    """The console runs the feed in qasync's loop: connect, receive, stop, nothing leaked."""
    rec = Recorder()

    async def main() -> None:
        async with FakeNotifications() as ws_server:
            fhir = FakeFhir(ws_server.url)
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            feed = LiveFeed(
                FhirClient(BASE, http=http),
                on_resources=rec.on_resources,
                on_status=rec.on_status,
                resource_types=("Observation",),
                **FAST,
            )
            feed.start()
            try:
                await until(lambda: rec.mode is LiveMode.LIVE)
                await ws_server.notify(fhir.put("Observation", "q1"))
                await until(lambda: len(rec.keys) == 1)
            finally:
                await feed.stop()
                await http.aclose()

    qloop.run_until_complete(main())
    assert rec.modes == [LiveMode.CONNECTING, LiveMode.LIVE]


class FreezableProxy:
    """TCP between the feed and the fake server that can stop forwarding, as a stopped
    (SIGSTOP) server does: the connection stays open, nothing comes back, pings included."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.running = asyncio.Event()
        self.running.set()
        self.server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> FreezableProxy:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.server.wait_closed()

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target_port)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    await self.running.wait()
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        for coro in (pipe(reader, up_w), pipe(up_r, writer)):
            task = asyncio.get_running_loop().create_task(coro)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


def test_a_frozen_server_is_noticed_by_a_probe_within_a_period_and_a_bit() -> None:
    """No frame for a heartbeat period and a margin: a ping; no pong in time: stale, not
    "Live" (long before two periods, which a silent-but-alive server gets)."""
    period = 1.0

    async def main() -> tuple[float, list[LiveStatus]]:
        rec = Recorder()
        async with FakeNotifications(period) as ws_server:
            port = int(ws_server.url.split(":")[2].split("/")[0])
            async with FreezableProxy(port) as proxy:
                fhir = FakeFhir()
                http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
                client = FhirClient(BASE, http=http, retry_backoff=0.001)
                feed = LiveFeed(
                    client,
                    on_resources=rec.on_resources,
                    on_status=rec.on_status,
                    resource_types=("Observation",),
                    ws_url=f"ws://127.0.0.1:{proxy.port}/ws/notifications",
                    probe_timeout=0.5,
                    **{**FAST, "open_timeout": 0.5},
                )
                feed.start()
                try:
                    await until(lambda: rec.mode is LiveMode.LIVE)
                    await asyncio.sleep(1.5)  # heartbeats keep it live
                    assert rec.mode is LiveMode.LIVE
                    proxy.running.clear()
                    frozen_at = asyncio.get_running_loop().time()
                    await until(lambda: rec.mode is not LiveMode.LIVE, within=5)
                    noticed = asyncio.get_running_loop().time() - frozen_at
                    proxy.running.set()
                    await until(lambda: rec.mode is LiveMode.LIVE, within=5)
                finally:
                    await feed.stop()
                    await http.aclose()
        return noticed, rec.statuses

    noticed, statuses = asyncio.run(main())
    # Frozen right after a heartbeat at worst: one period + margin + probe timeout.
    assert noticed <= period + 0.2 * period + 0.5 + 0.5, (noticed, [s.detail for s in statuses])
    detail = next(s.detail for s in statuses if s.mode is LiveMode.RECONNECTING)
    assert "probe" in detail


def test_data_age_follows_notifications_not_only_heartbeats() -> None:
    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        first = rec.statuses[-1].data_as_of
        assert first is not None
        for i in range(4):  # events, and no heartbeat in between (the period is 30 s)
            await asyncio.sleep(0.4)
            await ws.notify(fhir.put("Observation", f"o{i}"))
        await until(lambda: len(rec.keys) == 4)
        await until(lambda: (rec.statuses[-1].data_as_of or first) > first, within=2)
        newest = rec.statuses[-1].data_as_of
        assert newest is not None and (newest - first).total_seconds() >= 1.0

    rec = run_feed(body, heartbeat=30.0)
    assert rec.mode is LiveMode.LIVE


def test_no_token_ever_goes_into_the_websocket_url() -> None:
    """Even when a server advertises a URL carrying one: tokens go in the header only."""

    async def body(feed: LiveFeed, rec: Recorder, fhir: FakeFhir, ws: FakeNotifications) -> None:
        await until(lambda: rec.mode is LiveMode.LIVE)
        assert "access_token" not in ws.paths[0] and "secret-2" not in ws.paths[0]
        assert ws.paths[0].endswith("types=Observation")
        assert ws.authorizations[0] == "Bearer secret-2"

    async def main() -> None:
        async with FakeNotifications(0.2) as server:
            rec = Recorder()
            fhir = FakeFhir()
            http = httpx.AsyncClient(transport=httpx.MockTransport(fhir.handler))
            client = FhirClient(BASE, http=http, retry_backoff=0.001, token=lambda: "secret-2")
            feed = LiveFeed(
                client,
                on_resources=rec.on_resources,
                on_status=rec.on_status,
                resource_types=("Observation",),
                ws_url=server.url + "?access_token=leaked",
                **FAST,
            )
            feed.start()
            try:
                await body(feed, rec, fhir, server)
            finally:
                await feed.stop()
                await http.aclose()

    asyncio.run(main())
