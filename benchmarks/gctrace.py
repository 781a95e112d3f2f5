"""A diagnosis aid for the benchmarks: every garbage collection and the resident set over time.

`BENCH_GC_TRACE=1 python benchmarks/live_load.py` prints, per phase, how many collections of each
generation ran, how long they took (the longest with what its young generations held, counted
by type before the collection) and what they found; and the resident set's peak with the phase
it was reached in. Counting the young generations costs time in the collector's callback, so
the stall figures of a traced run are not the benchmark's.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class GcTrace:
    def __init__(self, *, count_types_from_gen: int = 1, rss_period: float = 0.02) -> None:
        self.phase = "start"
        self.phases: list[tuple[float, str, int]] = []  # (time, phase, RSS KiB when it began)
        self.collections: list[dict[str, Any]] = []
        self._start = 0.0
        self._start_cpu = 0.0
        self._young: Counter[str] | None = None
        self._young_total = 0
        self._count_from = count_types_from_gen
        self.rss: list[tuple[float, int, str]] = []
        self.old: Counter[str] = Counter()
        self.old_total = 0
        #: Filled by live_load's hooks: notifications received and model updates, by phase.
        self.received: dict[str, Counter[str]] = {}
        self.updated: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._rss_period = rss_period
        self._thread = threading.Thread(target=self._sample, daemon=True, name="rss-sampler")
        gc.callbacks.append(self._on_gc)
        self._thread.start()
        self.mark("start")

    def mark(self, phase: str) -> None:
        self.phase = phase
        self.phases.append((time.perf_counter(), phase, _rss_kib()))

    def _sample(self) -> None:
        while not self._stop.wait(self._rss_period):
            self.rss.append((time.perf_counter(), _rss_kib(), self.phase))

    def _on_gc(self, what: str, info: dict[str, int]) -> None:
        gen = info["generation"]
        if what == "start":
            self._young = None
            if gen >= self._count_from and self.phase.startswith("live"):
                objs = [o for g in range(gen + 1) for o in gc.get_objects(g)]
                self._young_total = len(objs)
                self._young = Counter(type(o).__qualname__ for o in objs)
                del objs
            self._start = time.perf_counter()
            self._start_cpu = time.thread_time()
            return
        took = (time.perf_counter() - self._start) * 1000
        cpu = (time.thread_time() - self._start_cpu) * 1000
        self.collections.append(
            {
                "phase": self.phase,
                "gen": gen,
                "ms": took,
                "cpu_ms": cpu,
                "collected": info["collected"],
                "uncollectable": info["uncollectable"],
                "young": self._young,
                "young_total": self._young_total if self._young is not None else None,
            }
        )

    def stop(self) -> None:
        """Stop, noting what the oldest generation holds (a full collection walks it all)."""
        old = gc.get_objects(2)
        self.old_total = len(old)
        self.old = Counter(type(o).__qualname__ for o in old)
        del old
        self._stop.set()
        self._thread.join()
        gc.callbacks.remove(self._on_gc)

    def report(self) -> None:
        print(
            "garbage collections by phase and generation (count, total wall ms, longest wall "
            "ms with its CPU ms, collected):"
        )
        by: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for c in self.collections:
            by.setdefault((c["phase"], c["gen"]), []).append(c)
        for (phase, gen), cs in by.items():
            ms = [c["ms"] for c in cs]
            longest = max(cs, key=lambda c: c["ms"])
            print(
                f"  {phase:>20} gen{gen}: {len(cs):4d}  {sum(ms):8.1f} ms  max {max(ms):6.1f} ms"
                f" ({longest['cpu_ms']:.1f} ms CPU)"
                f"  collected {sum(c['collected'] for c in cs)}"
                f"  uncollectable {sum(c['uncollectable'] for c in cs)}"
            )
        traced = [c for c in self.collections if c["young"] is not None]
        for c in sorted(traced, key=lambda c: -c["ms"])[:3]:
            print(
                f"  a {c['ms']:.1f} ms ({c['cpu_ms']:.1f} ms CPU) gen{c['gen']} collection "
                f"({c['phase']}) found "
                f"{c['young_total']} objects in generations 0-{c['gen']}, collected "
                f"{c['collected']}; by type:"
            )
            for name, n in c["young"].most_common(15):
                print(f"      {n:8d}  {name}")
        print(
            f"  at the end, generation 2 (what a full collection walks; frozen objects aside) "
            f"held {self.old_total} objects ({gc.get_freeze_count()} frozen); by type:"
        )
        for name, n in self.old.most_common(12):
            print(f"      {n:8d}  {name}")
        if self.rss:
            t, kib, phase = max(self.rss, key=lambda s: s[1])
            print(f"resident set: peak {kib / 1024 * 1.048576:.0f} MB in phase {phase!r}")
        t0 = self.phases[0][0] if self.phases else 0.0
        for i, (t, phase, kib) in enumerate(self.phases):
            end = self.phases[i + 1][0] if i + 1 < len(self.phases) else float("inf")
            inside = [k for s, k, _p in self.rss if t <= s < end]
            peak = max(inside, default=kib)
            print(
                f"  {t - t0:7.2f} s  {phase:>24}: {kib / 1024 * 1.048576:5.0f} MB at its start, "
                f"peak {peak / 1024 * 1.048576:5.0f} MB"
            )
