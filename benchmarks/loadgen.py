"""Posts Observations at a fixed rate from its own process (so it never shares the console's GIL).

    python benchmarks/loadgen.py BASE_URL PATIENT_IDS_FILE RATE SECONDS [CONNECTIONS] [CLIENT]

Each Observation's effectiveDateTime is the moment it is sent (UTC, microseconds), which the
console-side benchmark uses to measure the lag until the value is painted.

CLIENT is `raw` (default: server_load.RawConnection, a few µs of CPU per POST, so the
generator leaves the server the CPU they share) or `httpx` (~1 ms per POST: at 200/s a fifth
of a core, which made an earlier run reach only 186/s).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from datetime import UTC, datetime

import httpx
from server_load import RawConnection


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


#: Share of background values in the yellow band (90-93 %); the rest are ordinary (94-99 %).
#: Home measurements are mostly unremarkable: a background of half deviating values (as the
#: earlier 88-99 % range gave) is an alert storm, not a background.
DEVIATING = 0.02


def observation(pid: str, value: float | None = None) -> dict:
    """An SpO2 Observation stamped with the moment it is built (the lag's start)."""
    if value is None:
        value = random.randint(90, 93) if random.random() < DEVIATING else random.randint(94, 99)
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
        "code": {
            "coding": [
                {"system": "http://loinc.org", "code": "2708-6"},
                {"system": "http://loinc.org", "code": "59408-5"},
            ]
        },
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": datetime.now(UTC)
        .isoformat(timespec="microseconds")
        .replace("+00:00", "Z"),
        "valueQuantity": {
            "value": value,
            "unit": "%",
            "system": "http://unitsofmeasure.org",
            "code": "%",
        },
    }


async def run(
    base: str, ids: list[str], rate: float, seconds: float, connections: int, client: str = "raw"
) -> None:
    sent = failed = 0
    latencies: list[float] = []
    async with httpx.AsyncClient(
        base_url=base, timeout=10, limits=httpx.Limits(max_connections=connections)
    ) as http:
        queue: asyncio.Queue[dict | None] = asyncio.Queue()

        async def worker() -> None:
            nonlocal sent, failed
            raw = RawConnection(base, "") if client == "raw" else None
            while (item := await queue.get()) is not None:
                t = time.perf_counter()
                try:
                    if raw is not None:
                        item["effectiveDateTime"] = now_text()  # stamped as it is sent
                        status, _ = await raw.request(
                            "POST", "/Observation", json.dumps(item).encode()
                        )
                    else:
                        r = await http.post(
                            "/Observation",
                            json=item,
                            headers={"Content-Type": "application/fhir+json"},
                        )
                        status = r.status_code
                    if status == 201:
                        sent += 1
                        latencies.append(time.perf_counter() - t)
                    else:
                        failed += 1
                except (httpx.HTTPError, OSError, ValueError, asyncio.IncompleteReadError):
                    failed += 1
                    if raw is not None:
                        raw.close()
                        raw = RawConnection(base, "")
            if raw is not None:
                raw.close()

        workers = [asyncio.create_task(worker()) for _ in range(connections)]
        start = time.perf_counter()
        n = 0
        while (elapsed := time.perf_counter() - start) < seconds:
            due = int(elapsed * rate)
            while n < due:
                queue.put_nowait(observation(random.choice(ids)))
                n += 1
            await asyncio.sleep(0.002)
        offered = time.perf_counter() - start
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        took = time.perf_counter() - start
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else float("nan")
    print(
        json.dumps(
            {
                "sent": sent,
                "failed": failed,
                "seconds": took,
                "rate": sent / took,
                "offered": n,
                "offered_rate": n / offered,
                "drain_s": took - offered,
                "post_p50_ms": p50,
            }
        ),
        flush=True,
    )


def main() -> None:
    base, ids_file, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    connections = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    client = sys.argv[6] if len(sys.argv) > 6 else "raw"
    ids = json.loads(open(ids_file).read())
    asyncio.run(run(base, ids, rate, seconds, connections, client))


if __name__ == "__main__":
    main()
