"""What `$review-stats` keeps between calls, so a lead's second look costs tenths, not seconds.

Counting a day's Observations per patient and kind touches every Observation row of the day
(about 7,000 for 2,000 patients); a quarter is half a million rows. Past days hardly change, so
each day's counts are kept with a fingerprint of that day's rows (their number and highest
`pk`, read from the `(res_type, date_start, pk)` index alone) and counted again only when the
fingerprint moves (a new Observation, from any writer) or an Observation of it is changed or
deleted (seen on the broker, which carries every worker's writes). Alert, message and video
rows are kept per resource version: a resource is parsed again only when its version moved.

Counts are kept for every patient; the caller's scope is applied when answering. One cache per
process (each API worker keeps its own).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select

from server.api.broker import ChangeEvent
from server.store import Store
from server.store import search as s
from server.store.schema import resource

OSLO = ZoneInfo("Europe/Oslo")
#: Rows of one kind of resource kept (beyond this the oldest half is dropped).
MAX_ROWS = 400_000

#: (patient, kind, count) of one day.
DayRows = list[tuple[str, str, int]]
Mapper = Callable[[dict[str, Any]], list[Any] | None]


def day_bounds(day: date) -> tuple[int, int]:
    """[start, end) of a Europe/Oslo day in microseconds."""
    start = datetime.combine(day, time(0), tzinfo=OSLO)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=OSLO)
    return int(start.timestamp()) * 1_000_000, int(end.timestamp()) * 1_000_000


@dataclass
class _Day:
    fingerprint: tuple[int, int]
    rows: DayRows


@dataclass
class ReviewCache:
    store: Store
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _days: dict[int, _Day] = field(default_factory=dict)
    #: resource type → res_id → (version, mapped row or None)
    _rows: dict[str, dict[str, tuple[int, list[Any] | None]]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    # ----- invalidation ----------------------------------------------------------------------

    def changed(self, events: list[ChangeEvent], _local: bool) -> None:
        """Broker listener (runs on the event loop for every batch: cheap on purpose)."""
        for event in events:
            if event.res_type == "Observation" and event.action != "create":
                with self._lock:
                    self._days.clear()  # rare: a corrected or deleted measurement
            elif event.res_type in self._rows and event.action == "delete":
                with self._lock:
                    self._rows[event.res_type].pop(event.res_id, None)

    # ----- measurement counts ----------------------------------------------------------------

    def fingerprints(self, days: Sequence[date]) -> dict[date, tuple[int, int]]:
        out = {}
        with self.store.engine.connect() as conn:
            for day in days:
                lo, hi = day_bounds(day)
                count, top = conn.execute(
                    select(func.count(), func.max(resource.c.pk)).where(
                        resource.c.res_type == "Observation",
                        resource.c.date_start >= lo,
                        resource.c.date_start < hi,
                    )
                ).one()
                out[day] = (int(count), int(top or 0))
        return out

    def day_counts(
        self, days: Sequence[date], count: Callable[[int, int], dict[date, DayRows]]
    ) -> dict[date, DayRows]:
        """Each day's rows, from the cache or counted (contiguous stale days in one query)."""
        prints = self.fingerprints(days)
        out: dict[date, DayRows] = {}
        stale: list[date] = []
        with self._lock:
            for day in days:
                cached = self._days.get(day.toordinal())
                if cached is not None and cached.fingerprint == prints[day]:
                    out[day] = cached.rows
                    self.hits += 1
                else:
                    stale.append(day)
                    self.misses += 1
        for run in _runs(stale):
            lo, _ = day_bounds(run[0])
            _, hi = day_bounds(run[-1])
            counted = count(lo, hi)
            with self._lock:
                for day in run:
                    rows = counted.get(day, [])
                    out[day] = rows
                    self._days[day.toordinal()] = _Day(prints[day], rows)
        return out

    # ----- rows per resource version ---------------------------------------------------------

    def rows(
        self,
        res_type: str,
        conditions: Sequence[ColumnElement[bool]],
        mapper: Mapper,
    ) -> list[list[Any]]:
        """Mapped rows of the resources matching `conditions`, parsing only new versions."""
        cache = self._rows.setdefault(res_type, {})
        where = [resource.c.res_type == res_type, s.no_deleted(), *conditions]
        with self.store.engine.connect() as conn:
            current = conn.execute(
                select(resource.c.pk, resource.c.res_id, resource.c.version_id)
                .where(*where)
                .order_by(resource.c.pk)
            ).all()
            with self._lock:
                wanted = [
                    pk
                    for pk, rid, version in current
                    if (cached := cache.get(rid)) is None or cached[0] != version
                ]
            fresh: dict[str, tuple[int, list[Any] | None]] = {}
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                for rid, version, data in conn.execute(
                    select(resource.c.res_id, resource.c.version_id, resource.c.data).where(
                        resource.c.pk.in_(chunk)
                    )
                ):
                    fresh[rid] = (version, mapper(json.loads(data)))
        with self._lock:
            cache.update(fresh)
            if len(cache) > MAX_ROWS:
                for rid in list(cache)[: len(cache) // 2]:
                    del cache[rid]
            self.hits += len(current) - len(fresh)
            self.misses += len(fresh)
            out = []
            for _pk, rid, _version in current:
                row = fresh.get(rid) or cache.get(rid)
                if row is not None and row[1] is not None:
                    out.append(row[1])
        return out


def _runs(days: Iterable[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


__all__ = ["ReviewCache", "day_bounds"]
