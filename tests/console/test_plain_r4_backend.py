"""The console against the reference backend as a plain R4 server (`--profile plain-r4`).

The same seed on both profiles gives the same centre, so the patient list loaded without
`$lastn` (time-sliced windows, `_offset` paging under the cap, per-patient searches) must
equal the one loaded with it; live values arrive through an R4 websocket Subscription; the
topic-based backport channel works against the normal profile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.model import ConnectionMode
from console.fhir.client import FhirClient, UndeclaredParameter
from console.fhir.live import LiveFeed
from console.services.centre import CentreService
from console.services.live import make_feed_factory
from console.state.patient_list import PatientListModel
from tests.backend import RunningBackend, start_backend
from tests.fhir_builders import spo2

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def backends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningBackend]]:
    started: dict[str, RunningBackend] = {}
    try:
        for profile in ("normal", "plain-r4"):
            started[profile] = start_backend(
                tmp_path_factory.mktemp(profile),
                seed_patients=25,
                history_days=7,  # inside the 8-day window (console.fhir.latest)
                extra_args=["--profile", profile],
            )
        yield started
    finally:
        for running in started.values():
            running.stop()


def _enrolled(base: str) -> int:
    """How many patients the server has in active follow-up (the list's rows)."""
    answer = httpx.get(f"{base}/EpisodeOfCare", params={"status": "active", "_count": "1000"})
    answer.raise_for_status()
    return len({e["resource"]["patient"]["reference"] for e in answer.json().get("entry", [])})


async def _load(base: str) -> tuple[dict[str, tuple[Any, ...]], str]:
    client = FhirClient(base)
    model = PatientListModel()
    service = CentreService(client, model)
    try:
        report = await service.load()
        rows = {}
        for pid in model.patient_ids():
            summary = model.summary(pid)
            assert summary is not None
            rows[pid] = tuple(
                sorted((k.value, m.value, m.time.isoformat()) for k, m in summary.latest.items())
            )
        return rows, report.latest_strategy
    finally:
        await service.stop()
        await client.aclose()


def test_the_list_without_lastn_equals_the_list_with_it(
    backends: dict[str, RunningBackend],
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = backends["normal"].base_url
    with_lastn, strategy_n = qloop.run_until_complete(_load(base))
    monkeypatch.setenv("DHO_SERVER_FEATURES", "-lastn")
    without, strategy_w = qloop.run_until_complete(_load(base))
    assert strategy_n == "$lastn"
    assert strategy_w == "window+per-patient"
    # The seed discharges about 4 % of patients (finished episodes): the list holds the rest.
    enrolled = _enrolled(base)
    assert 20 <= enrolled <= 25
    assert len(without) == len(with_lastn) == enrolled
    differ = {
        p: (with_lastn.get(p), without.get(p))
        for p in with_lastn
        if with_lastn[p] != without.get(p)
    }
    assert not differ, f"($lastn, without) differ for {differ}"
    plain, strategy_p = qloop.run_until_complete(_load(backends["plain-r4"].base_url))
    assert strategy_p == "window+per-patient"
    assert len(plain) == _enrolled(backends["plain-r4"].base_url) and all(plain.values())


def test_a_plain_server_is_asked_only_what_it_declares(
    backends: dict[str, RunningBackend], qloop: asyncio.AbstractEventLoop
) -> None:
    async def scenario() -> None:
        async with FhirClient(backends["plain-r4"].base_url) as client:
            caps = await client.capabilities()
            assert caps.alert_side == "console"
            assert not caps.supports_search_param("Task", "organization")
            with pytest.raises(UndeclaredParameter):
                await client.search_all("Task", {"organization": "Organization/x"})
            # The server's own answer to an offset past its cap, had we asked.
            async with httpx.AsyncClient(timeout=10) as http:
                answer = await http.get(
                    f"{client.base_url}/Observation", params={"_offset": "10001"}
                )
            assert answer.status_code == 400

    qloop.run_until_complete(scenario())


@pytest.mark.parametrize(
    ("profile", "transport"),
    [("plain-r4", "R4 websocket Subscription"), ("normal", "topic-based Subscription")],
)
def test_a_red_value_reaches_the_list_over_a_standard_subscription(
    backends: dict[str, RunningBackend],
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    monkeypatch: pytest.MonkeyPatch,
    profile: str,
    transport: str,
) -> None:
    # The normal profile also has our own websocket; switch it off to use the standard one.
    monkeypatch.setenv("DHO_SERVER_FEATURES", "-dho-websocket")
    base = backends[profile].base_url

    async def scenario() -> None:
        client = FhirClient(base)
        model = PatientListModel()
        feeds: list[LiveFeed] = []
        factory = make_feed_factory(client, resource_types=("Observation",))

        def tracked(*args: Any) -> Any:
            feed = factory(*args)
            assert isinstance(feed, LiveFeed)
            feeds.append(feed)
            return feed

        service = CentreService(client, model, feed_factory=tracked, batch_interval_ms=10)
        try:
            await service.load()
            service.start_live()
            for _ in range(200):
                if service.connection.mode is ConnectionMode.LIVE:
                    break
                await asyncio.sleep(0.05)
            assert service.connection.mode is ConnectionMode.LIVE
            assert feeds[0].transport == transport
            pid = next(iter(model.patient_ids()))
            stored = await client.create(spo2(pid, 83))
            for _ in range(750):  # up to 15 s on a busy machine; typically 0.2 s
                summary = model.summary(pid)
                latest = [m for m in (summary.latest.values() if summary else ())]
                if any(m.observation_id == stored["id"] for m in latest):
                    break
                await asyncio.sleep(0.02)
            else:
                raise AssertionError("the red value never reached the list")
        finally:
            await service.stop()
            await client.aclose()

    qloop.run_until_complete(scenario())


def test_opaque_version_ids_and_offset_paging(backends: dict[str, RunningBackend]) -> None:
    base = backends["plain-r4"].base_url
    page = httpx.get(f"{base}/Observation", params={"_count": "3"}, timeout=10).json()
    version = page["entry"][0]["resource"]["meta"]["versionId"]
    assert not version.isdigit() and len(version) == 36
    nxt = next(link["url"] for link in page["link"] if link["relation"] == "next")
    assert "_offset=3" in nxt


@pytest.mark.parametrize("path", ["Observation/$lastn", "Patient/x/$news2"])
def test_no_extensions_on_a_plain_server(backends: dict[str, RunningBackend], path: str) -> None:
    answer = httpx.get(f"{backends['plain-r4'].base_url}/{path}", timeout=10)
    assert answer.status_code in (400, 404)
