"""The rules engine's per-patient history read, on a seeded file: the old path and the new one.

    python benchmarks/history_load.py FILE.sqlite [--patients 40] [--drop-caches]

A patient's first POST after the server starts makes the rules engine read her last 14 days
(server.rules.runtime ``_load_history``). It used to be an Observation search (the patient's
index rows, then one ``resource`` row and its JSON per Observation, scattered over the file);
now it is one range of ``observation_sample`` (server.store.samples). This copies FILE, upgrades
the copy (a file seeded before revision 0009 is filled by the migration: its time is printed),
then for `--patients` random patients reads the history both ways, checks that both give the
same values, and prints each path's time per patient. With `--drop-caches` (root) the
operating system's page cache is emptied before each read, as for the first POSTs after a
server starts on a file that is not in memory; without it the file is warm.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, machine, percentile

sys.path.insert(0, str(ROOT))

from server.rules.engine import observation_values
from server.rules.runtime import KEEP
from server.sim.schedule import parse_instant
from server.store import Store
from server.store import search as s
from server.store.fhirtime import format_instant
from server.store.registry import RESOURCE_TYPES


def by_search(store: Store, patient: str, since: float) -> list[tuple[float, str, float, str]]:
    """The read as it was before revision 0009 (an Observation search, JSON per row)."""
    plan = s.plan_search(
        RESOURCE_TYPES["Observation"],
        [
            ("patient", patient),
            ("date", f"ge{format_instant(int(since * 1e6))}"),
            ("_count", "1000"),
        ],
    )
    out = []
    for st in store.search(plan).matches:
        res = st.resource()
        if res.get("status") in ("entered-in-error", "cancelled"):
            continue
        when = res.get("effectiveDateTime")
        if isinstance(when, str):
            t = parse_instant(when)
            out.extend((t, var, value, st.res_id) for var, value in observation_values(res))
    return out


def drop_caches() -> None:
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", type=Path)
    p.add_argument("--patients", type=int, default=40)
    p.add_argument("--drop-caches", action="store_true")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dho-history-"))
    try:
        copy = tmp / "db.sqlite"
        shutil.copyfile(args.file, copy)
        print(f"{machine()}; {args.file.name}, {copy.stat().st_size / 2**20:.0f} MiB")
        store = Store(f"sqlite:///{copy}")
        t0 = time.perf_counter()
        store.migrate()
        print(
            f"upgrade (fills observation_sample if the file predates it): "
            f"{time.perf_counter() - t0:.1f} s"
        )
        with store.engine.connect() as conn:
            patients = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT res_id FROM resource WHERE res_type = 'Patient'"
                )
            ]
            newest = conn.exec_driver_sql(
                "SELECT max(date_start) FROM resource WHERE res_type = 'Observation'"
            ).scalar()
        since = newest / 1e6 - KEEP
        chosen = random.Random(1).sample(patients, min(args.patients, len(patients)))
        old_ms, new_ms, values = [], [], 0
        for pid in chosen:
            if args.drop_caches:
                drop_caches()
            t = time.perf_counter()
            old = by_search(store, pid, since)
            old_ms.append((time.perf_counter() - t) * 1000)
            if args.drop_caches:
                drop_caches()
            t = time.perf_counter()
            new = store.samples_since(pid, since)
            new_ms.append((time.perf_counter() - t) * 1000)
            assert sorted(old) == sorted(new), pid
            values += len(new)
        print(
            f"{len(chosen)} patients, {values / len(chosen):.0f} values each in the last "
            f"{KEEP / 86400:.0f} days, the same both ways; "
            f"{'page cache dropped before each read' if args.drop_caches else 'warm file'}"
        )
        for name, ms in (
            ("Observation search (before)", old_ms),
            ("observation_sample (now)", new_ms),
        ):
            print(
                f"  {name:30} p50 {percentile(ms, 50):7.2f} ms   p90 {percentile(ms, 90):7.2f} ms"
            )
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
