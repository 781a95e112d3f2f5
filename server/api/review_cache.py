"""What `$review-stats` keeps between calls, so a lead's review costs tenths, not seconds.

Counting a day's Observations per patient and kind touches every Observation row of the day
(about 7,000 for 2,000 patients); a quarter is half a million rows. Past days hardly change, so
each day's counts are kept with a fingerprint of that day's rows (their number and highest
change number `seq`, read from the partial index `ix_observation_day_seq` alone) and counted
again only when the fingerprint moves: a new Observation, a changed one (a new `seq`) or a
deleted one (its date is cleared), from any writer. Alert, message and video rows are kept per
resource version: a resource is parsed again only when its version moved.

Both are kept in memory and in the database (`review_day`, `review_row`, migration 0008), so
the first review after the backend starts is as quick as a second look: only days whose
fingerprint moved are counted and only new resource versions parsed. Seeding fills them
(:func:`server.api.review_route.prime_review_cache`). They are caches: a row that cannot be
written is only counted or parsed again next time.

Counts are kept for every patient; the caller's scope is applied when answering. One memory
cache per process (each API worker keeps its own); the tables are shared.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.exc import SQLAlchemyError

from server.api.broker import ChangeEvent
from server.store import Store
from server.store import search as s
from server.store.schema import resource, review_day, review_row

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
#: Rows of one kind of resource kept (beyond this the oldest half is dropped).
MAX_ROWS = 400_000


#: One review row as the answer carries it: (JSON text, patient id, time in epoch seconds).
#: A plain tuple: a restarted backend makes 150,000 of them at once.
Fact = tuple[str, str, float]


#: "patient|kind" → count, of one day (kept as a JSON object: quick to read back).
DayRows = dict[str, int]
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
    #: resource type → pk → (version, its fact or None: not a review fact)
    _rows: dict[str, dict[int, tuple[int, Fact | None]]] = field(default_factory=dict)
    #: Types whose kept rows were read from `review_row` by this process.
    _loaded: set[str] = field(default_factory=set)
    _load_lock: threading.Lock = field(default_factory=threading.Lock)
    hits: int = 0
    misses: int = 0
    #: Of the hits, those read from the database tables (not this process's memory).
    stored_hits: int = 0

    # ----- invalidation ----------------------------------------------------------------------

    def changed(self, events: list[ChangeEvent], _local: bool) -> None:
        """Broker listener (runs on the event loop for every batch: cheap on purpose)."""
        for event in events:
            if event.res_type == "Observation" and event.action != "create":
                with self._lock:
                    self._days.clear()  # rare: a corrected or deleted measurement
            # (A deleted alert, message or call leaves the selection: `no_deleted()`.)

    # ----- measurement counts ----------------------------------------------------------------

    def fingerprints(self, days: Sequence[date]) -> dict[date, tuple[int, int]]:
        """(count, highest seq) of each day's Observations, from the partial index alone (the
        literal type lets the planner prove the index's condition)."""
        ph = "?" if self.store.is_sqlite else "%s"
        sql = (
            "SELECT count(*), max(seq) FROM resource WHERE res_type = 'Observation' "
            f"AND date_start >= {ph} AND date_start < {ph}"
        )
        out = {}
        with self.store.engine.connect() as conn:
            for day in days:
                count, top = conn.exec_driver_sql(sql, day_bounds(day)).one()
                out[day] = (int(count), int(top or 0))
        return out

    def _stored_days(self, days: Sequence[date]) -> dict[int, tuple[tuple[int, int], str]]:
        ordinals = [d.toordinal() for d in days]
        out: dict[int, tuple[tuple[int, int], str]] = {}
        c = review_day.c
        with self.store.engine.connect() as conn:
            for start in range(0, len(ordinals), 500):
                for day, count, top, counts in conn.execute(
                    select(c.day, c.obs_count, c.top_seq, c.counts).where(
                        c.day.in_(ordinals[start : start + 500])
                    )
                ):
                    out[int(day)] = ((int(count), int(top)), counts)
        return out

    def _store_days(self, days: dict[date, _Day]) -> None:
        if not days:
            return
        ordinals = [d.toordinal() for d in days]
        try:
            with self.store.engine.begin() as conn:
                conn.execute(delete(review_day).where(review_day.c.day.in_(ordinals)))
                conn.execute(
                    review_day.insert(),
                    [
                        {
                            "day": day.toordinal(),
                            "obs_count": kept.fingerprint[0],
                            "top_seq": kept.fingerprint[1],
                            "counts": json.dumps(kept.rows, separators=(",", ":")),
                        }
                        for day, kept in days.items()
                    ],
                )
        except SQLAlchemyError as exc:  # another writer stored them first, or a busy database
            log.info("review day counts not stored (counted again next time): %s", exc)

    def day_counts(
        self, days: Sequence[date], count: Callable[[int, int], dict[date, DayRows]]
    ) -> dict[date, DayRows]:
        """Each day's rows, from the cache or counted (contiguous stale days in one query)."""
        prints = self.fingerprints(days)
        out: dict[date, DayRows] = {}
        unknown: list[date] = []
        with self._lock:
            for day in days:
                cached = self._days.get(day.toordinal())
                if cached is not None and cached.fingerprint == prints[day]:
                    out[day] = cached.rows
                    self.hits += 1
                else:
                    unknown.append(day)
        stale: list[date] = []
        stored = self._stored_days(unknown) if unknown else {}
        for day in unknown:
            found = stored.get(day.toordinal())
            rows = json.loads(found[1]) if found is not None and found[0] == prints[day] else None
            if isinstance(rows, dict):
                out[day] = rows
                with self._lock:
                    self._days[day.toordinal()] = _Day(prints[day], rows)
                    self.hits += 1
                    self.stored_hits += 1
            else:
                stale.append(day)
        counted_days: dict[date, _Day] = {}
        for run in _runs(stale):
            lo, _ = day_bounds(run[0])
            _, hi = day_bounds(run[-1])
            counted = count(lo, hi)
            with self._lock:
                for day in run:
                    rows = counted.get(day, {})
                    out[day] = rows
                    kept = self._days[day.toordinal()] = _Day(prints[day], rows)
                    counted_days[day] = kept
                    self.misses += 1
        self._store_days(counted_days)
        return out

    # ----- rows per resource version ---------------------------------------------------------

    def rows(
        self,
        res_type: str,
        conditions: Sequence[ColumnElement[bool]],
        mapper: Mapper,
        key: Callable[[list[Any]], tuple[str, float]],
    ) -> list[Fact]:
        """The facts of the resources matching `conditions`, parsing only new versions.

        A fact is its row as JSON text (what the answer carries, so a kept row is never
        decoded or encoded again) with its patient and time (`key` of the row), for the
        caller's filters and audit. The first call of a process reads every kept row of the
        type from `review_row` in one query; after that only new versions are parsed.
        """
        self._load_kept(res_type)
        cache = self._rows.setdefault(res_type, {})
        where = [resource.c.res_type == res_type, s.no_deleted(), *conditions]
        parsed: dict[int, tuple[int, Fact | None]] = {}  # pk → newly parsed, to store
        with self.store.engine.connect() as conn:
            current = conn.execute(
                select(resource.c.pk, resource.c.version_id).where(*where).order_by(resource.c.pk)
            ).all()
            with self._lock:
                wanted = [
                    pk
                    for pk, version in current
                    if (cached := cache.get(pk)) is None or cached[0] != version
                ]
            for start in range(0, len(wanted), 900):
                chunk = wanted[start : start + 900]
                for pk, version, data in conn.execute(
                    select(resource.c.pk, resource.c.version_id, resource.c.data).where(
                        resource.c.pk.in_(chunk)
                    )
                ):
                    row = mapper(json.loads(data))
                    fact = None
                    if row is not None:
                        patient, t = key(row)
                        fact = (json.dumps(row, separators=(",", ":")), patient, t)
                    parsed[pk] = (version, fact)
        self._store_rows(res_type, parsed)
        with self._lock:
            cache.update(parsed)
            if len(cache) > MAX_ROWS:
                for pk in list(cache)[: len(cache) // 2]:
                    del cache[pk]
            self.hits += len(current) - len(parsed)
            self.misses += len(parsed)
            out = []
            for pk, _version in current:
                kept = parsed.get(pk) or cache.get(pk)
                if kept is not None and kept[1] is not None:
                    out.append(kept[1])
        return out

    def _load_kept(self, res_type: str) -> None:
        """Once per process and type: every row `review_row` keeps, into memory (one query;
        the rows of versions since replaced are simply parsed again)."""
        if res_type in self._loaded:
            return
        with self._load_lock:
            if res_type in self._loaded:
                return
            ph = "?" if self.store.is_sqlite else "%s"
            sql = (
                "SELECT res_pk, version_id, patient_id, t, row FROM review_row "
                f"WHERE res_type = {ph}"
            )
            with self.store.engine.connect() as conn:
                # The driver's own cursor: 150,000 rows without a wrapper object each.
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                try:
                    cursor.execute(sql, (res_type,))
                    found = cursor.fetchall()
                finally:
                    cursor.close()
            kept: dict[int, tuple[int, Fact | None]] = {
                pk: (version, None if patient is None else (text, patient, t))
                for pk, version, patient, t, text in found
            }
            with self._lock:
                cache = self._rows.setdefault(res_type, {})
                for pk, value in kept.items():
                    cache.setdefault(pk, value)
                self.stored_hits += len(kept)
                self._loaded.add(res_type)

    def _store_rows(self, res_type: str, parsed: dict[int, tuple[int, Fact | None]]) -> None:
        """Keep newly parsed facts in `review_row` (replacing older versions' rows)."""
        if not parsed:
            return
        pks = list(parsed)
        try:
            with self.store.engine.begin() as conn:
                for start in range(0, len(pks), 900):
                    chunk = pks[start : start + 900]
                    conn.execute(delete(review_row).where(review_row.c.res_pk.in_(chunk)))
                    rows = []
                    for pk in chunk:
                        version, fact = parsed[pk]
                        rows.append(
                            {
                                "res_pk": pk,
                                "res_type": res_type,
                                "version_id": version,
                                "patient_id": fact[1] if fact else None,
                                "t": fact[2] if fact else None,
                                "row": fact[0] if fact else "null",
                            }
                        )
                    conn.execute(review_row.insert(), rows)
        except SQLAlchemyError as exc:
            log.info("review rows not stored (parsed again next time): %s", exc)


def _runs(days: Iterable[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


__all__ = ["Fact", "ReviewCache", "day_bounds"]
