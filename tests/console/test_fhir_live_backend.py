"""LiveFeed and FhirClient against the REAL reference backend (child process on 127.0.0.1).

Uses `tests/backend.py` (`start_backend(tmp_path, seed_patients=..., simulate=False)`), written
alongside the backend; skipped with a reason until it exists. A small TCP gate in front of the
WebSocket lets the test hold the feed disconnected while it writes, so "created while
disconnected" is exact rather than a race with the reconnect backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from console.fhir.client import FhirClient
from console.fhir.live import LiveFeed, LiveMode, LiveStatus

pytestmark = pytest.mark.slow

try:
    backend_module: Any = importlib.import_module("tests.backend")
except ImportError:  # pragma: no cover - until the backend helper lands
    backend_module = None

needs_backend = pytest.mark.skipif(
    backend_module is None or not hasattr(backend_module, "start_backend"),
    reason="tests/backend.py (start_backend for the real reference backend) does not exist yet",
)


async def maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def start(tmp_path: Path, **kwargs: Any) -> Any:
    call = backend_module.start_backend
    if inspect.iscoroutinefunction(call):
        return await call(tmp_path, seed_patients=3, simulate=False, **kwargs)
    return await asyncio.to_thread(call, tmp_path, seed_patients=3, simulate=False, **kwargs)


async def stop(running: Any) -> None:
    result = running.stop()
    if inspect.isawaitable(result):
        await result


async def until(predicate: Callable[[], bool], within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + within
    while not predicate():
        if loop.time() > end:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


class Gate:
    """TCP forwarder 127.0.0.1:0 → target; while closed it hangs up on new connections."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.open = True
        self.server: asyncio.Server | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.writers: set[asyncio.StreamWriter] = set()

    async def __aenter__(self) -> Gate:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        self.cut()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.server.wait_closed()

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.sockets[0].getsockname()[1])

    def cut(self) -> None:
        for writer in list(self.writers):
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers.update({writer, up_writer})
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.get_running_loop().create_task(self._pipe(src, dst))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
        dst.close()
        self.writers.discard(dst)


def observation(patient_id: str, value: float) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "vital-signs",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": datetime.now(UTC).isoformat(),
        "valueQuantity": {
            "value": value,
            "unit": "/min",
            "system": "http://unitsofmeasure.org",
            "code": "/min",
        },
    }


def ws_url_of(running: Any) -> str:
    url = getattr(running, "ws_url", None)
    if url:
        return str(url)
    parts = urlsplit(running.base_url)
    return f"ws://{parts.netloc}/ws/notifications"


@needs_backend
@pytest.mark.parametrize("profile", ["normal", "plain-r4"])
def test_created_observation_arrives_through_the_feed(tmp_path: Path, profile: str) -> None:
    """Through our websocket (normal) and an R4 websocket Subscription (plain-r4)."""
    batches: list[list[dict[str, Any]]] = []
    statuses: list[LiveStatus] = []

    async def main() -> None:
        running = await start(tmp_path, extra_args=["--profile", profile])
        client = FhirClient(running.base_url)
        feed = LiveFeed(
            client,
            on_resources=batches.append,
            on_status=statuses.append,
            resource_types=("Observation",),
            batch_window=0.0,
        )
        try:
            feed.start()
            await until(lambda: bool(statuses) and statuses[-1].mode is LiveMode.LIVE)
            patient = (await client.search_all("Patient", {"_count": 1})).matches[0]
            stored = await client.create(observation(patient["id"], 71))
            await until(lambda: any(r["id"] == stored["id"] for b in batches for r in b))
            assert feed.transport == (
                "R4 websocket Subscription" if profile == "plain-r4" else "dho websocket"
            )
        finally:
            await feed.stop()
            await client.aclose()
            await stop(running)

    asyncio.run(main())


@needs_backend
def test_backend_restart_reconnects_and_catches_up_exactly(tmp_path: Path) -> None:
    call = backend_module.start_backend
    if "port" not in inspect.signature(call).parameters:
        pytest.skip("start_backend() cannot restart on the same port (no port parameter)")
    delivered: list[tuple[str, str]] = []
    statuses: list[LiveStatus] = []

    def modes() -> list[LiveMode]:
        out: list[LiveMode] = []
        for s in statuses:
            if not out or out[-1] != s.mode:
                out.append(s.mode)
        return out

    async def main() -> None:
        running = await start(tmp_path)
        port = urlsplit(running.base_url).port
        target = urlsplit(ws_url_of(running))
        client = FhirClient(running.base_url, retries=4)
        await asyncio.sleep(1.0)  # seed data older than the catch-up overlap
        async with Gate(target.hostname or "127.0.0.1", target.port or 80) as gate:
            feed = LiveFeed(
                client,
                on_resources=lambda b: delivered.extend(
                    (r["id"], r["meta"]["versionId"]) for r in b
                ),
                on_status=statuses.append,
                resource_types=("Observation",),
                ws_url=f"ws://127.0.0.1:{gate.port}{target.path}",
                overlap=0.5,
                backoff_initial=0.1,
                backoff_max=0.5,
                batch_window=0.0,
            )
            try:
                feed.start()
                await until(lambda: feed.status.mode is LiveMode.LIVE)
                patient = (await client.search_all("Patient", {"_count": 1})).matches[0]
                before = await client.create(observation(patient["id"], 60))
                await until(lambda: (before["id"], "1") in delivered)

                gate.open = False
                await stop(running)
                gate.cut()
                await until(lambda: feed.status.mode is LiveMode.RECONNECTING)
                running = await start(tmp_path, port=port)
                created = [
                    (await client.create(observation(patient["id"], 80 + i)))["id"]
                    for i in range(3)
                ]
                count_before = len(delivered)
                gate.open = True
                await until(lambda: feed.status.mode is LiveMode.LIVE and len(delivered) >= 4)
                await asyncio.sleep(1.0)
                after = delivered[count_before:]
                assert sorted(i for i, _ in after) == sorted(created)
                assert len(delivered) == len(set(delivered))
                seq = modes()
                assert seq[:2] == [LiveMode.CONNECTING, LiveMode.LIVE]
                assert LiveMode.RECONNECTING in seq
                assert seq[-2:] == [LiveMode.CATCHING_UP, LiveMode.LIVE]
            finally:
                await feed.stop()
                await client.aclose()
                await stop(running)

    asyncio.run(main())
