"""Seeding speed: a 300-patient month (target <= 15 s) and 5,000 patients (<= 2 minutes).

Seeding is a replay (server/sim/replay.py): the month simulated through the live rules with
simulated nurses, then one bulk load into an empty database, exactly what ``dho-server`` does
on first start (``server.cli.seed``). Each run is a fresh SQLite file in a temporary folder.

    python benchmarks/seed_speed.py [--patients 300 5000] [--days 30]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.cli import seed  # noqa: E402
from server.store import Store  # noqa: E402

TARGETS = {300: 15.0, 5000: 120.0}


def run(patients: int, days: int) -> tuple[float, dict[str, int], int]:
    with tempfile.TemporaryDirectory(prefix="i11-seed-") as folder:
        store = Store(f"sqlite:///{Path(folder) / 'seed.sqlite'}")
        store.migrate()
        t0 = time.perf_counter()
        stats = seed(store, patients, seed_value=1, history_days=days)
        elapsed = time.perf_counter() - t0
        rows = store.count("Observation")
        store.close()
    return elapsed, stats, rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--patients", type=int, nargs="+", default=[300, 5000])
    p.add_argument("--days", type=int, default=30)
    args = p.parse_args()
    failed = False
    for n in args.patients:
        elapsed, stats, observations = run(n, args.days)
        target = TARGETS.get(n)
        verdict = "" if target is None else (" (met)" if elapsed <= target else " (MISSED)")
        failed |= target is not None and elapsed > target
        print(
            f"{n} patients x {args.days} days: {elapsed:.1f} s{verdict}"
            + (f", target <= {target:.0f} s" if target else "")
            + f"; {observations} observations, {stats.get('tasks', 0)} alerts, "
            f"{stats.get('journal-notes', 0)} handled with a journal note, "
            f"{stats.get('questionnaires', 0)} questionnaires, "
            f"{stats.get('escalated', 0)} escalations",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
