"""First load and POST-to-list latency against the plain-R4 profile and the normal profile.

Issue 14's targets, against a server like third-party ones (`--profile plain-r4`: no
`$lastn`, `_offset` paging capped at 10,000, R4 websocket Subscriptions, no rules):
- first load of the centre (organisations, enrolments with patients, latest values) in
  <= 3 s for 300 patients and <= 20 s for 5,000;
- a red value POSTed by a patient's app in the patient list within 1 s (p50).

What is timed:
- **first load**: `CentreService.load()` from its call to the list model holding every row
  with its latest values (the same call the console makes at start; the latest values come
  from `console.fhir.latest.LatestValues`: `$lastn` on the normal profile, time-sliced
  windows and per-patient searches on plain-r4). The median of `BENCH_RUNS` (default 3) runs,
  each with a new client; the server is warm after the first.
- **POST → list**: the time from sending a red SpO2 Observation (a second process-local
  httpx client, like a patient's app) to the list model holding it, after the live feed
  (our websocket on normal, an R4 websocket Subscription on plain-r4) delivered it and the
  centre's 100 ms batch clock applied it; the window paints it on its next frame. 30 probes,
  0.3 s apart.

Both profiles are seeded by the same code (`--seed 1`, 30 days of history); the backend runs
with `--no-simulate` and auth off, so nothing else writes while the latency is measured.
Usage: `python benchmarks/compat.py` (`BENCH_PATIENTS=300,5000`, `BENCH_PROFILES=plain-r4,normal`).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Backend, machine, percentile

sys.path.insert(0, str(ROOT))

PATIENTS = [int(p) for p in os.environ.get("BENCH_PATIENTS", "300,5000").split(",")]
PROFILES = os.environ.get("BENCH_PROFILES", "plain-r4,normal").split(",")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PROBES = int(os.environ.get("BENCH_PROBES", "30"))
DAYS = int(os.environ.get("BENCH_DAYS", "30"))
TARGET_LOAD = {300: 3.0, 5000: 20.0}


def seed(profile: str, patients: int, folder: Path) -> str:
    """A copy of a database seeded for `profile` (seeded once, then kept in the temp dir:
    5,000 patients take ~4 minutes; `BENCH_FRESH_SEED=1` seeds again). The backend runs with
    `--no-simulate`, so an older seed only moves the 'last day' back in time for both
    profiles alike."""
    import shutil

    cache = (
        Path(tempfile.gettempdir()) / "dho-bench-cache" / f"compat-{profile}-p{patients}-d{DAYS}"
    )
    if os.environ.get("BENCH_FRESH_SEED") == "1" or not (cache / "dho.sqlite").exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        t = time.perf_counter()
        backend = Backend(
            "--db",
            f"sqlite:///{cache / 'dho.sqlite'}",
            "--profile",
            profile,
            "--seed-patients",
            str(patients),
            "--history-days",
            str(DAYS),
            "--no-simulate",
            log_path=folder / "seed.log",
        )
        backend.stop()
        print(
            f"  seeded {patients} patients x {DAYS} days ({profile}) in "
            f"{time.perf_counter() - t:.0f} s"
        )
    for suffix in ("", "-wal"):
        if (cache / f"dho.sqlite{suffix}").exists():
            shutil.copyfile(cache / f"dho.sqlite{suffix}", folder / f"dho.sqlite{suffix}")
    return f"sqlite:///{folder / 'dho.sqlite'}"


async def first_load(base: str) -> tuple[float, int, int, str]:
    from console.fhir.client import FhirClient
    from console.services.centre import CentreService
    from console.state.patient_list import PatientListModel

    client = FhirClient(base, timeout=60)
    model = PatientListModel()
    service = CentreService(client, model)
    try:
        started = time.perf_counter()
        report = await service.load()
        return (
            time.perf_counter() - started,
            report.patients,
            report.observations,
            report.latest_strategy,
        )
    finally:
        await service.stop()
        await client.aclose()


async def latency(base: str) -> tuple[list[float], str]:
    import httpx

    from console.domain.model import ConnectionMode, MeasurementKind
    from console.fhir.client import FhirClient
    from console.fhir.live import LiveFeed
    from console.services.centre import LIVE_TYPES, CentreService
    from console.services.live import make_feed_factory
    from console.state.patient_list import PatientListModel
    from tests.fhir_builders import spo2

    client = FhirClient(base, timeout=60)
    model = PatientListModel()
    feeds: list[LiveFeed] = []
    factory = make_feed_factory(client, resource_types=LIVE_TYPES)

    def tracked(*args):  # type: ignore[no-untyped-def]
        feed = factory(*args)
        feeds.append(feed)
        return feed

    service = CentreService(client, model, feed_factory=tracked)
    await service.load()
    service.start_live()
    end = time.monotonic() + 30
    while service.connection.mode is not ConnectionMode.LIVE:
        if time.monotonic() > end:
            raise RuntimeError(f"never live: {service.connection}")
        await asyncio.sleep(0.05)
    patients = list(model.patient_ids())
    out: list[float] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as app:
        for n in range(PROBES):
            pid = patients[n * 7 % len(patients)]
            sent = time.perf_counter()
            answer = await app.post(
                "/Observation",
                json=spo2(pid, 82),
                headers={"Content-Type": "application/fhir+json"},
            )
            oid = answer.json()["id"]
            while True:
                summary = model.summary(pid)
                latest = summary.latest.get(MeasurementKind.SPO2) if summary else None
                if latest is not None and latest.observation_id == oid:
                    out.append((time.perf_counter() - sent) * 1000)
                    break
                if time.perf_counter() - sent > 20:
                    out.append(float("inf"))
                    break
                await asyncio.sleep(0.002)
            await asyncio.sleep(0.3)
    transport = feeds[0].transport if feeds else "?"
    await service.stop()
    await client.aclose()
    return out, transport


def run(coro):  # type: ignore[no-untyped-def]
    """In a Qt event loop (qasync), as the console runs: the list's batch clock is a QTimer."""
    import qasync

    loop = qasync.QEventLoop(APP)
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


APP = None


def main() -> int:
    global APP
    from PySide6.QtCore import QCoreApplication

    app = APP = QCoreApplication.instance() or QCoreApplication([])
    from console.gc_timer import MainThreadCollector

    _gc_timer = MainThreadCollector()  # as console/app.py: cycles freed in the GUI thread only
    print(machine())
    print("shared machine: other helpers' builds and tests ran at the same time")
    print(f"load average at the start: {os.getloadavg()}")
    for patients in PATIENTS:
        for profile in PROFILES:
            with tempfile.TemporaryDirectory(prefix="dho-compat-") as tmp:
                folder = Path(tmp)
                db = seed(profile, patients, folder)
                backend = Backend(
                    "--db", db, "--profile", profile, "--no-simulate", log_path=folder / "run.log"
                )
                try:
                    loads = []
                    for _ in range(RUNS):
                        seconds, rows, values, strategy = run(first_load(backend.base_url))
                        loads.append(seconds)
                    target = TARGET_LOAD.get(patients)
                    verdict = (
                        ""
                        if target is None
                        else (" met" if statistics.median(loads) <= target else " MISSED")
                    )
                    print(
                        f"load average {os.getloadavg()}; "
                        f"{profile:9s} {patients:5d} patients: first load median "
                        f"{statistics.median(loads):.2f} s (runs "
                        f"{', '.join(f'{s:.2f}' for s in loads)}; "
                        f"{rows} rows, {values} latest values, {strategy}); target "
                        f"{target} s{verdict}"
                    )
                    lat, transport = run(latency(backend.base_url))
                    finite = [x for x in lat if x != float("inf")] or [float("nan")]
                    print(
                        f"{profile:9s} {patients:5d} patients: POST -> list p50 "
                        f"{percentile(finite, 50):.0f} ms, p99 {percentile(finite, 99):.0f} ms, "
                        f"max {max(finite):.0f} ms, lost {len(lat) - len(finite)} of {len(lat)} "
                        f"({transport}); target p50 <= 1000 ms"
                        + (
                            " met"
                            if percentile(finite, 50) <= 1000 and len(finite) == len(lat)
                            else " MISSED"
                        )
                    )
                finally:
                    backend.stop()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
