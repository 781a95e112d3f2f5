"""The resource store: versioned FHIR resources in SQLite or PostgreSQL through SQLAlchemy Core.

All methods are synchronous and thread-safe; the API runs them in a worker thread so the event
loop stays responsive. SQLite writes are serialised by one lock (one writer process); PostgreSQL
allocates pks and change numbers from sequences so several workers can write.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Index,
    and_,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from server.store import search as s
from server.store.errors import (
    BadRequest,
    FhirError,
    Gone,
    NotFound,
    PreconditionFailed,
)
from server.store.fhirtime import MIN_US, format_instant, parse_instant_us
from server.store.indexing import Extracted, extract
from server.store.registry import RESOURCE_TYPES, ResourceType, SearchParam
from server.store.samples import sample_rows, stage_samples, unstage_samples
from server.store.schema import (
    INDEX_TABLES,
    conditional_key,
    idx_date,
    idx_reference,
    idx_string,
    idx_token,
    latest_observation,
    metadata,
    observation_sample,
    resource,
    resource_history,
    sim_truth,
)
from server.store.validate import validate_resource

LASTN_DEPTH = 5  # newest Observations kept per (patient, code) in latest_observation
BATCH = 5000
MAX_REVINCLUDE = 5000  # resources one page may pull in through _revinclude
CONDITIONAL_ATTEMPTS = 5
#: A background checkpoint runs once the WAL holds this much (SQLite's own default: 1,000 pages).
WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024
#: Work done inside a writing transaction just before it commits (see :meth:`Store.create_groups`).
InsideWrite = Callable[[Connection, "list[Stored]"], Any]


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored resource version; ``data`` is the JSON text exactly as served."""

    res_type: str
    res_id: str
    version_id: int
    last_updated: int  # microseconds since epoch, UTC
    seq: int
    data: str
    deleted: bool = False

    @property
    def last_updated_text(self) -> str:
        return format_instant(self.last_updated)

    @property
    def reference(self) -> str:
        return f"{self.res_type}/{self.res_id}"

    def resource(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.data)
        return value


@dataclass(frozen=True, slots=True)
class SearchResult:
    matches: list[Stored]
    included: list[Stored]
    total: int | None  # None with _total=none
    next_cursor: str | None
    # Set when _revinclude hit MAX_REVINCLUDE and more resources refer to this page.
    truncated_includes: bool = False


@dataclass
class LastnPage:
    """Where a ``$lastn`` answer cut by the byte budget ended (for its next link)."""

    found: list[Stored] = field(default_factory=list)
    more: bool = False
    last_patient: str | None = None  # continue after this patient
    cut_within: bool = False  # one patient's values alone were over the budget


@dataclass(frozen=True, slots=True)
class HistoryResult:
    """One page of versions in change order (``seq``), the total and the next cursor."""

    entries: list[Stored]
    total: int | None
    next_cursor: str | None


@dataclass(slots=True)
class Draft:
    """A resource made ready before the write lock is taken.

    Everything but its version and time: those are decided under the lock (they follow the
    commit order), and are spliced into the text there. The JSON of the body and its index
    rows used to be built while the lock was held, and every other write waited for them
    (an AuditEvent: ~45 of ~85 µs).
    """

    rt: ResourceType
    id: str
    meta: dict[str, Any]  # as given: only ``keep_meta`` writes read its version and time
    tail: str  # the JSON text after ``"meta":{...}``: ``,"status":...}`` or ``}``
    ex: Extracted
    samples: list[tuple[Any, ...]]


def draft(rt: ResourceType, res: dict[str, Any]) -> Draft:
    """The :class:`Draft` of ``res`` (which has its id); pure Python, any thread."""
    rid = str(res["id"])
    meta = res.get("meta")
    rest = {k: v for k, v in res.items() if k not in _HEAD}
    text = _dumps(rest)
    ex = extract(rt, res)
    samples = sample_rows(res, Store._latest_keys(ex)[0]) if rt.name == "Observation" else []
    return Draft(
        rt,
        rid,
        dict(meta) if isinstance(meta, dict) else {},
        "}" if text == "{}" else "," + text[1:],
        ex,
        samples,
    )


#: Keys a stored resource's text begins with, in this order (as FHIR's examples have them).
_HEAD = frozenset({"resourceType", "id", "meta"})


@dataclass(slots=True)
class _Batch:
    rows: list[tuple[Any, ...]]
    tokens: list[tuple[Any, ...]]
    refs: list[tuple[Any, ...]]
    dates: list[tuple[Any, ...]]
    strings: list[tuple[Any, ...]]
    stored: list[Stored]
    samples: list[tuple[Any, ...]] = field(default_factory=list)


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


#: Bytes a searchset entry adds around its resource (fullUrl, search mode, commas).
ENTRY_OVERHEAD = 160


def entry_size(data: str) -> int:
    """Bytes ``data`` takes in a response (UTF-8), plus the entry around it."""
    return (len(data) if data.isascii() else len(data.encode())) + ENTRY_OVERHEAD


def take_page(
    rows: Iterable[Any],
    count: int,
    budget: int | None,
    *,
    extra: int = 0,
    size_of: Callable[[Any], int] | None = None,
) -> tuple[list[Any], int, bool]:
    """Up to ``count`` rows (with ``data``, or sized by ``size_of``) and at most ``budget``
    bytes of them (at least one), read lazily: (rows, bytes, whether more were left)."""
    taken: list[Any] = []
    used = 0
    for row in rows:
        size = (entry_size(row.data) if size_of is None else size_of(row)) + extra
        if len(taken) == count or (taken and budget is not None and used + size > budget):
            return taken, used, True
        taken.append(row)
        used += size
    return taken, used, False


def within_budget(found: list[Stored], budget: int) -> list[Stored]:
    """The leading part of ``found`` that fits in ``budget`` bytes."""
    used = 0
    for i, st in enumerate(found):
        used += entry_size(st.data)
        if used > budget:
            return found[:i]
    return found


def new_id() -> str:
    return uuid.uuid4().hex


#: Namespace of the opaque versionIds (``--profile plain-r4``): uuid5 of "Type/id/n".
VERSION_NAMESPACE = uuid.UUID("6f1c7d0e-3b7a-5d1e-9a51-0d4f2c9b8e21")


def opaque_version(res_type: str, res_id: str, version: int) -> str:
    """The UUID a plain-R4 server shows for version ``version`` (deterministic, so every
    worker and every restart names a version the same way)."""
    return str(uuid.uuid5(VERSION_NAMESPACE, f"{res_type}/{res_id}/{version}"))


def _cols(table: Any) -> list[str]:
    return [c.name for c in table.columns]


class Store:
    """Versioned FHIR resources with SQL search indexes; see ``schema`` for the tables."""

    def __init__(self, url: str, *, opaque_versions: bool = False) -> None:
        self.url = make_url(url)
        #: Write ``meta.versionId`` as a UUID (plain-R4 profile, like third-party servers); the
        #: ``version_id`` column stays the version's number either way.
        self.opaque_versions = opaque_versions
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_size"] = 10
            kwargs["max_overflow"] = 20
        self.engine: Engine = create_engine(self.url, **kwargs)
        #: Connections for reads alone (:meth:`reading`).
        self._reader: Engine = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        #: SQLite: WAL checkpoints run off the commit path (:meth:`checkpoint`), not in it.
        self.background_checkpoints = False
        if self.is_sqlite:
            event.listen(self.engine, "connect", self._on_connect)
        self._write_lock = threading.Lock()
        #: Search statements built once per shape (``_search``), the target a bound parameter.
        self._statements: dict[tuple[Any, ...], Any] = {}
        self._counters_ready = False
        self._next_pk = 1
        self._next_seq = 1
        self._last_us = 0
        #: Microseconds on the server's clock (server.clock); the wall clock by default.
        self.clock_us: Callable[[], int] = lambda: time.time_ns() // 1000
        ph = "?" if self.is_sqlite else "%s"
        self._insert_sql = {
            t.name: f"INSERT INTO {t.name} ({', '.join(_cols(t))}) "
            f"VALUES ({', '.join([ph] * len(t.columns))})"
            for t in (resource, *INDEX_TABLES, observation_sample)
        }
        history = "pk, version_id, res_type, res_id, seq, last_updated, deleted, data"
        self._replace_sql = {
            "lock": "SELECT pk, version_id, deleted FROM resource "
            f"WHERE res_type = {ph} AND res_id = {ph} FOR UPDATE",
            "archive": f"INSERT INTO resource_history ({history}) SELECT {history} FROM resource "
            f"WHERE res_type = {ph} AND res_id = {ph} AND version_id = {ph} RETURNING version_id",
            "current": "SELECT pk, version_id, deleted FROM resource "
            f"WHERE res_type = {ph} AND res_id = {ph}",
            "overwrite": f"UPDATE resource SET version_id = {ph}, seq = {ph}, last_updated = {ph}, "
            f"deleted = {ph}, date_start = {ph}, date_end = {ph}, sort_name = {ph}, data = {ph} "
            f"WHERE pk = {ph} AND version_id = {ph}",
            **{
                f"unindex_{t.name}": f"DELETE FROM {t.name} WHERE res_pk = {ph}"
                for t in INDEX_TABLES
            },
            # PostgreSQL: every index table's rows in one statement (one round trip, not four).
            "unindex": "WITH "
            + ", ".join(
                f"d{i} AS (DELETE FROM {t.name} WHERE res_pk = %(pk)s)"
                for i, t in enumerate(INDEX_TABLES)
            )
            + " SELECT 1",
            # A range of the patient's rows (the key starts with the patient), then the id.
            "unsample": f"DELETE FROM observation_sample WHERE patient_id = {ph} AND res_id = {ph}",
            "samples": "SELECT t, var, value, res_id FROM observation_sample "
            f"WHERE patient_id = {ph} AND t >= {ph} ORDER BY t, res_id, n",
        }

    # ----- lifecycle -------------------------------------------------------------------------

    def create_schema(self) -> None:
        """Create missing tables straight from ``metadata`` (tests; no Alembic bookkeeping)."""
        metadata.create_all(self.engine)

    def migrate(self) -> str:
        """Upgrade the database to the newest Alembic revision; cheap when already current."""
        from server.store.migrations import upgrade

        return upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # ----- SQLite WAL checkpoints --------------------------------------------------------------

    def _on_connect(self, dbapi_conn: Any, record: Any) -> None:
        _sqlite_pragmas(dbapi_conn, record)
        if self.background_checkpoints:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("PRAGMA wal_autocheckpoint=0")
            finally:
                cur.close()

    def _wal_path(self) -> str | None:
        db = self.url.database
        if not self.is_sqlite or not db or db == ":memory:" or db.startswith("file:"):
            return None
        return f"{db}-wal"

    def use_background_checkpoints(self) -> bool:
        """Stop committing connections from checkpointing the WAL themselves; the caller then
        calls :meth:`checkpoint` now and then (the server: every 0.25 s, from a thread of its own).

        SQLite's automatic checkpoint runs inside the commit that pushes the WAL past 1,000
        pages: that write (and every write queued behind it, and the notifications of both)
        waits while pages are copied back and the file synced, tens of ms on a busy disk. A
        passive checkpoint from another connection runs beside writers and readers instead.
        Returns whether it applies (a file-backed SQLite database)."""
        if self._wal_path() is None:
            return False
        self.background_checkpoints = True
        self.engine.dispose()  # pooled connections reconnect with the setting
        return True

    def checkpoint(self, min_bytes: int = WAL_CHECKPOINT_BYTES) -> bool:
        """A passive WAL checkpoint when the WAL holds at least `min_bytes`; whether one ran."""
        wal = self._wal_path()
        if wal is None:
            return False
        try:
            if os.path.getsize(wal) < min_bytes:
                return False
        except OSError:
            return False
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        return True

    def reading(self) -> Connection:
        """A pooled connection for reads only, used as a context manager.

        On PostgreSQL it is in autocommit: a read costs its own statements and not the BEGIN
        and ROLLBACK round trips a transaction adds (3 of a search's 5 before). Under READ
        COMMITTED every statement sees its own snapshot inside a transaction as well, so
        nothing a read returns changes. No server-side cursor can live in it (they need a
        transaction): :meth:`_search` bounds a page's bytes in its one query there instead."""
        return self._reader.connect()

    def notify(self, channel: str, payloads: Iterable[str], conn: Connection | None = None) -> None:
        """PostgreSQL ``NOTIFY``: inside ``conn``'s transaction (sent when it commits), or
        without one (a transaction of its own added a BEGIN and a COMMIT); one round trip
        however many payloads (a commit's events travel in them, several KB each)."""
        if conn is None:
            with self._reader.connect() as own:
                self.notify(channel, payloads, own)
            return
        texts = list(payloads)
        if len(texts) == 1:
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": channel, "payload": texts[0]},
            )
        elif texts:  # one round trip for all of them, in their order
            conn.execute(
                text(
                    "SELECT pg_notify(:channel, p) FROM (SELECT p FROM unnest(CAST(:payloads "
                    "AS text[])) WITH ORDINALITY AS t(p, i) ORDER BY i) AS ordered"
                ),
                {"channel": channel, "payloads": texts},
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- allocation ------------------------------------------------------------------------

    def _allocate(
        self, conn: Connection, n: int, *, pks: bool = True
    ) -> tuple[list[int], list[int]]:
        """``n`` resource pks (unless ``pks`` is false) and ``n`` change numbers.

        Call with the write lock held.
        """
        if not self.is_sqlite:
            if not pks:
                pg_seqs = conn.execute(
                    text("SELECT nextval('change_seq') FROM generate_series(1, :n)"), {"n": n}
                ).scalars()
                return [], sorted(pg_seqs)
            # Both sequences in one round trip.
            rows = conn.execute(
                text(
                    "SELECT nextval('resource_pk_seq'), nextval('change_seq') "
                    "FROM generate_series(1, :n)"
                ),
                {"n": n},
            ).all()
            return sorted(r[0] for r in rows), sorted(r[1] for r in rows)
        if not self._counters_ready:
            max_pk = conn.execute(select(func.max(resource.c.pk))).scalar() or 0
            max_seq = max(
                conn.execute(select(func.max(resource.c.seq))).scalar() or 0,
                conn.execute(select(func.max(resource_history.c.seq))).scalar() or 0,
            )
            self._last_us = conn.execute(select(func.max(resource.c.last_updated))).scalar() or 0
            self._next_pk, self._next_seq = max_pk + 1, max_seq + 1
            self._counters_ready = True
        new_pks: list[int] = []
        if pks:
            new_pks = list(range(self._next_pk, self._next_pk + n))
            self._next_pk += n
        seqs = list(range(self._next_seq, self._next_seq + n))
        self._next_seq += n
        return new_pks, seqs

    def _timestamp(self) -> int:
        """Strictly increasing microsecond timestamps within this process."""
        now = self.clock_us()
        self._last_us = max(now, self._last_us + 1)
        return self._last_us

    def _rollback_counters(self) -> None:
        # A failed SQLite transaction leaves the counters ahead; re-read them next time.
        self._counters_ready = False

    # ----- writes ----------------------------------------------------------------------------

    def create(self, res_type: str, body: Any) -> Stored:
        """Validate and store a new resource with a server-assigned id (version 1)."""
        return self.create_many([(res_type, body)])[0]

    def create_many(
        self, items: Sequence[tuple[str, Any]], *, validate: bool = True
    ) -> list[Stored]:
        """Create several resources in one transaction (all or nothing).

        ``validate=False`` is for resources the server builds itself (AuditEvents): only the
        type is looked up, the structural validation is skipped.
        """
        prepared = self._prepare_creates(items, validate=validate)
        return self._write(prepared, keep_meta=False, update_latest=True)

    def create_groups(
        self,
        groups: Sequence[Sequence[tuple[str, Any]]],
        inside: InsideWrite | None = None,
        sink: list[Any] | None = None,
    ) -> list[list[Stored] | Exception]:
        """Several independent :meth:`create_many` calls committed in one transaction.

        Write combining for concurrent requests: each group is validated on its own (a group
        that fails validation gets its exception and the others are still written), and all
        valid groups share one transaction. Should that transaction fail, each group is retried
        in its own, so one group can never make another fail. Results are in group order; the
        change numbers (``seq``) follow it too.

        ``inside(conn, stored)`` runs in each writing transaction just before it commits
        (Subscription numbering, server.api.subscriptions); what it returns is appended to
        ``sink`` once that transaction has committed, never for one rolled back.
        """
        prepared: list[list[Draft] | Exception] = []
        for items in groups:
            try:
                prepared.append(self._prepare_creates(items))
            except Exception as exc:
                prepared.append(exc)
        valid = [g for g in prepared if not isinstance(g, Exception)]
        flat = [p for g in valid for p in g]
        stored: list[Stored] = []
        if flat:
            try:
                stored = self._write(
                    flat, keep_meta=False, update_latest=True, inside=inside, sink=sink
                )
            except Exception:
                if len(valid) == 1:
                    raise
                return [
                    g if isinstance(g, Exception) else self._write_isolated(g, inside, sink)
                    for g in prepared
                ]
        out: list[list[Stored] | Exception] = []
        start = 0
        for g in prepared:
            if isinstance(g, Exception):
                out.append(g)
            else:
                out.append(stored[start : start + len(g)])
                start += len(g)
        return out

    def _write_isolated(
        self, prepared: list[Draft], inside: InsideWrite | None, sink: list[Any] | None
    ) -> list[Stored] | Exception:
        try:
            return self._write(
                prepared, keep_meta=False, update_latest=True, inside=inside, sink=sink
            )
        except Exception as exc:
            return exc

    @staticmethod
    def _prepare_creates(items: Sequence[tuple[str, Any]], *, validate: bool = True) -> list[Draft]:
        prepared: list[Draft] = []
        for res_type, body in items:
            if validate:
                rt = validate_resource(res_type, body)
            else:
                rt = RESOURCE_TYPES[res_type]
            resource_dict = dict(body)
            resource_dict["id"] = new_id()
            prepared.append(draft(rt, resource_dict))
        return prepared

    def bulk_load(self, resources: Iterable[dict[str, Any]], *, batch: int = BATCH) -> int:
        """Seed resources keeping their ids, fast: batched executemany in one transaction.

        A resource may carry its earlier versions under the private key ``_history`` (a list
        of complete resources with ``meta.versionId`` and ``meta.lastUpdated``, oldest first);
        they go to ``resource_history``, so ``_history`` of a seeded alert shows how it was
        claimed and resolved. ``latest_observation`` is rebuilt once at the end instead of per
        row.
        """
        count = 0
        chunk: list[Draft] = []
        older: list[tuple[str, str, list[dict[str, Any]], list[int]]] = []
        with self._write_lock:
            try:
                with self.engine.begin() as conn:
                    # Into an empty database, building the indexes once at the end is several
                    # times cheaper than maintaining them row by row.
                    deferred = self._drop_indexes(conn) if self._empty(conn) else []
                    stage = bool(deferred)
                    if stage:
                        stage_samples(conn, self.STAGE)
                    for res in resources:
                        rt = RESOURCE_TYPES.get(res.get("resourceType", ""))
                        if rt is None:
                            raise BadRequest(f"unsupported resourceType {res.get('resourceType')}")
                        if not res.get("id"):
                            res = {**res, "id": new_id()}
                        if "_history" in res:
                            res = dict(res)
                            versions = res.pop("_history")
                            if versions:
                                # Change numbers before the current version's: _history lists
                                # the versions in the order they were written.
                                _, seqs = self._allocate(conn, len(versions), pks=False)
                                older.append((rt.name, str(res["id"]), versions, seqs))
                        chunk.append(draft(rt, res))
                        if len(chunk) >= batch:
                            self._insert(conn, chunk, keep_meta=True, collect=False, stage=stage)
                            count += len(chunk)
                            chunk = []
                    if chunk:
                        self._insert(conn, chunk, keep_meta=True, collect=False, stage=stage)
                        count += len(chunk)
                    if stage:
                        unstage_samples(conn, self.STAGE)
                    if older:
                        self._insert_history(conn, older)
                    for index in deferred:
                        index.create(conn)
                    if self.is_sqlite:
                        # Fresh statistics so the planner picks the res_pk indexes for joins.
                        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                        conn.exec_driver_sql("ANALYZE")
                    else:
                        conn.exec_driver_sql("ANALYZE")
                    self._rebuild_latest(conn)
            except BaseException:
                self._rollback_counters()
                raise
        if not self.is_sqlite and count:
            # Marks the loaded pages all-visible, so a search's total is counted from the
            # reference index alone instead of a heap page per match (autovacuum would do it
            # later, where it is on; it may be off).
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql("VACUUM (ANALYZE) idx_reference")
        return count

    def _insert_history(
        self, conn: Connection, older: list[tuple[str, str, list[dict[str, Any]], list[int]]]
    ) -> None:
        """Earlier versions of bulk-loaded resources into ``resource_history``."""
        pks: dict[tuple[str, str], int] = {}
        types = sorted({t for t, _, _, _ in older})
        for res_type in types:
            rows = conn.execute(
                select(resource.c.res_type, resource.c.res_id, resource.c.pk).where(
                    resource.c.res_type == res_type
                )
            )
            for rtype, rid, pk in rows:
                pks[(rtype, rid)] = pk
        values = []
        for res_type, res_id, versions, seqs in older:
            pk = pks[(res_type, res_id)]
            for version, seq in zip(versions, seqs, strict=True):
                meta = dict(version.get("meta") or {})
                lu = parse_instant_us(str(meta.get("lastUpdated")))
                body = {"resourceType": res_type, "id": res_id, "meta": meta, **version}
                body["meta"] = meta
                values.append(
                    {
                        "pk": pk,
                        "version_id": int(meta.get("versionId", 1)),
                        "res_type": res_type,
                        "res_id": res_id,
                        "seq": seq,
                        "last_updated": lu,
                        "deleted": False,
                        "data": _dumps(body),
                    }
                )
        if values:
            conn.execute(insert(resource_history), values)

    def newest_update(self) -> float | None:
        """Epoch seconds of the newest ``meta.lastUpdated`` stored (None: empty database)."""
        with self.reading() as conn:
            us = conn.execute(select(func.max(resource.c.last_updated))).scalar()
        return us / 1_000_000 if us is not None else None

    def add_truth(self, rows: Iterable[tuple[str, str, int, int, str]]) -> int:
        """Ground-truth rows of the simulator: (patient id, kind, start µs, end µs, JSON)."""
        values = [
            {"patient_id": p, "kind": k, "start_us": a, "end_us": b, "data": d}
            for p, k, a, b, d in rows
        ]
        if not values:
            return 0
        with self._write_lock, self.engine.begin() as conn:
            conn.execute(insert(sim_truth), values)
        return len(values)

    def truth(
        self,
        patient_id: str | None = None,
        since_us: int | None = None,
        until_us: int | None = None,
    ) -> list[tuple[str, str, int, int, str]]:
        query = select(
            sim_truth.c.patient_id,
            sim_truth.c.kind,
            sim_truth.c.start_us,
            sim_truth.c.end_us,
            sim_truth.c.data,
        )
        if patient_id is not None:
            query = query.where(sim_truth.c.patient_id == patient_id)
        if since_us is not None:
            query = query.where(sim_truth.c.end_us >= since_us)
        if until_us is not None:
            query = query.where(sim_truth.c.start_us <= until_us)
        with self.reading() as conn:
            return [tuple(r) for r in conn.execute(query.order_by(sim_truth.c.start_us))]  # type: ignore[misc]

    @staticmethod
    def _empty(conn: Connection) -> bool:
        return conn.execute(select(resource.c.pk).limit(1)).first() is None

    @staticmethod
    def _drop_indexes(conn: Connection) -> list[Index]:
        """Drop the secondary indexes (not keys or unique constraints) and return them."""
        dropped: list[Index] = []
        for table in (resource, *INDEX_TABLES, latest_observation):
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                index.drop(conn)
                dropped.append(index)
        return dropped

    def _write(
        self,
        prepared: list[Draft],
        *,
        keep_meta: bool,
        update_latest: bool,
        inside: InsideWrite | None = None,
        sink: list[Any] | None = None,
    ) -> list[Stored]:
        with self._write_lock:
            try:
                with self.engine.begin() as conn:
                    stored, _pks = self._insert(
                        conn, prepared, keep_meta=keep_meta, latest=update_latest
                    )
                    extra = inside(conn, stored) if inside is not None else None
            except BaseException:
                self._rollback_counters()
                raise
        if inside is not None and sink is not None:
            sink.append(extra)  # committed
        return stored

    def _insert(
        self,
        conn: Connection,
        prepared: list[Draft],
        *,
        keep_meta: bool,
        collect: bool = True,
        stage: bool = False,
        latest: bool = False,
    ) -> tuple[list[Stored], list[int]]:
        """Insert rows and index rows; ``collect=False`` (bulk) skips building the results.

        ``latest``: fold the Observations into ``latest_observation`` (PostgreSQL: in the
        insert's pipeline, :meth:`_latest_fold`; SQLite: :meth:`_update_latest` after it)."""
        pks, seqs = self._allocate(conn, len(prepared))
        batch = self._prepare(prepared, pks, seqs, keep_meta=keep_meta, collect=collect)
        written = (
            [(d.ex, pk) for d, pk in zip(prepared, pks, strict=True) if d.rt.name == "Observation"]
            if latest
            else []
        )
        fold = self._latest_fold(written) if written and not self.is_sqlite else None
        self._execute(conn, batch, stage=stage, after=[fold] if fold is not None else [])
        if written and self.is_sqlite:
            self._update_latest(conn, written)
        return batch.stored, pks

    def _prepare(
        self,
        prepared: list[Draft],
        pks: list[int],
        seqs: list[int],
        *,
        keep_meta: bool,
        collect: bool,
        versions: list[int] | None = None,
    ) -> _Batch:
        """The rows of drafts given their pks and change numbers: under the write lock, so
        only what the lock decides (version, time) is worked out here.

        ``versions`` overrides the version numbers (updates); otherwise they are 1, or the
        given ``meta.versionId`` with ``keep_meta``.
        """
        rows: list[tuple[Any, ...]] = []
        tokens: list[tuple[Any, ...]] = []
        refs: list[tuple[Any, ...]] = []
        dates: list[tuple[Any, ...]] = []
        strings: list[tuple[Any, ...]] = []
        stored: list[Stored] = []
        samples: list[tuple[Any, ...]] = []
        for i, (d, pk, seq) in enumerate(zip(prepared, pks, seqs, strict=True)):
            meta = dict(d.meta)
            lu: int | None = None
            version = 1
            if keep_meta:
                if isinstance(meta.get("lastUpdated"), str):
                    lu = parse_instant_us(meta["lastUpdated"])
                    # Live writes after a load stay later than everything loaded.
                    if lu > self._last_us:
                        self._last_us = lu
                if str(meta.get("versionId", "1")).isdigit():
                    version = int(meta.get("versionId", 1))
            if versions is not None:
                version = versions[i]
            if lu is None:
                lu = self._timestamp()
            name, rid, ex = d.rt.name, d.id, d.ex
            meta["versionId"] = (
                opaque_version(name, rid, version) if self.opaque_versions else str(version)
            )
            meta["lastUpdated"] = format_instant(lu)
            head = f'{{"resourceType":{_dumps(name)},"id":{_dumps(rid)},"meta":'
            data = head + _dumps(meta) + d.tail
            start, end, sort_name = ex.date_start, ex.date_end, ex.sort_name
            rows.append((pk, name, rid, version, seq, lu, False, start, end, sort_name, data))
            if ex.tokens:
                tokens.extend([(pk, name, p, sy, co) for p, sy, co in ex.tokens])
            if ex.references:
                when = MIN_US if start is None else start
                refs.extend([(pk, name, p, ty, ti, when) for p, ty, ti in ex.references])
            if ex.dates:
                dates.extend([(pk, name, p, st, en) for p, st, en in ex.dates])
            if ex.strings:
                strings.extend([(pk, name, p, no, exact) for p, no, exact in ex.strings])
            samples.extend(d.samples)
            if collect:
                stored.append(Stored(name, rid, version, lu, seq, data))
        return _Batch(rows, tokens, refs, dates, strings, stored, samples)

    #: A bulk load into an empty database appends sample rows here and moves them into
    #: ``observation_sample`` in key order at the end: the replay writes in time order, i.e.
    #: patients interleaved, and inserting that straight into a table clustered by patient
    #: touches a random page per row.
    STAGE = "sample_stage"

    def _execute(
        self,
        conn: Connection,
        batch: _Batch,
        *,
        stage: bool = False,
        before: Sequence[tuple[str, Any]] = (),
        after: Sequence[tuple[str, Any]] = (),
    ) -> None:
        """Insert the batch's rows between the statements ``before`` and ``after`` (run
        together with them)."""
        inserts: list[tuple[str, Any]] = list(before)
        if batch.rows:  # empty for updates, which rewrite the row in place
            inserts.append((self._insert_sql["resource"], batch.rows))
        for table, values in (
            (idx_token, batch.tokens),
            (idx_reference, batch.refs),
            (idx_date, batch.dates),
            (idx_string, batch.strings),
        ):
            if values:
                inserts.append((self._insert_sql[table.name], values))
        if batch.samples:
            sql = self._insert_sql["observation_sample"]
            if stage:
                sql = sql.replace("INTO observation_sample", f"INTO {self.STAGE}", 1)
            inserts.append((sql, batch.samples))
        inserts.extend(after)
        self.pipelined(conn, inserts)

    def pipelined(self, conn: Connection, statements: list[tuple[str, Any]]) -> None:
        """Driver SQL whose results nobody reads, each with its rows of parameters, in order.

        PostgreSQL: all of them in one pipeline, so they cost one round trip together instead
        of one each (a measurement's resource, index and sample rows were four). A constraint
        they break is raised as SQLAlchemy's IntegrityError, as SQLAlchemy's own statements
        raise it (the retries of conditional create catch that)."""
        if self.is_sqlite:
            for sql, values in statements:
                conn.exec_driver_sql(sql, values)
            return
        if not statements:
            return
        import psycopg

        dbapi: Any = conn.connection.dbapi_connection  # a psycopg Connection
        sql = ""
        try:
            with dbapi.pipeline(), dbapi.cursor() as cursor:
                for sql, values in statements:
                    cursor.executemany(sql, values)
        except psycopg.IntegrityError as exc:
            raise IntegrityError(sql, None, exc) from exc

    # ----- version-aware updates and deletes ------------------------------------------------

    def update(self, res_type: str, res_id: str, body: Any, if_match: int) -> Stored:
        """Replace ``res_type/res_id`` if its current version is ``if_match``; a new version.

        404 if it does not exist, 412 (naming the current version) if ``if_match`` is stale;
        nothing is written in either case. Safe against concurrent writers on SQLite and
        PostgreSQL: the superseded version is archived and the row replaced with conditional
        statements (``WHERE version_id = :expected``) whose row counts are checked.
        """
        rt = validate_resource(res_type, body, url_id=res_id)
        return self._replace(rt, res_id, if_match, dict(body))

    def delete(self, res_type: str, res_id: str, if_match: int | None = None) -> Stored | None:
        """Delete (a tombstone version); None if it was already deleted (nothing written)."""
        from server.store.validate import resource_type

        rt = resource_type(res_type)
        current = self.read(res_type, res_id)
        if current is None:
            raise NotFound(f"{res_type}/{res_id} is not known")
        if current.deleted and if_match is None:
            return None
        expected = current.version_id if if_match is None else if_match
        try:
            return self._replace(rt, res_id, expected, None)
        except Gone:
            return None

    def _replace(
        self, rt: ResourceType, res_id: str, expected: int, new: dict[str, Any] | None
    ) -> Stored:
        """Archive version ``expected`` and write ``new`` (None: a deletion) as the next one."""
        body = new if new is not None else {"resourceType": rt.name}
        ready = draft(rt, {**body, "id": res_id})
        with self._write_lock:
            try:
                with self.engine.begin() as conn:
                    sql = self._replace_sql
                    row = None
                    if not self.is_sqlite:
                        # Row lock: a concurrent writer waits here, then sees our version,
                        # which no one can change before we commit.
                        row = conn.exec_driver_sql(sql["lock"], (rt.name, res_id)).first()
                    # First statement a write, so SQLite takes its write lock before reading.
                    # RETURNING, not rowcount: psycopg reports -1 for INSERT ... SELECT.
                    # Prebuilt driver SQL: a PUT is a handful of statements, and building them
                    # as Core expressions cost more than running them.
                    archived = len(
                        conn.exec_driver_sql(sql["archive"], (rt.name, res_id, expected)).all()
                    )
                    if self.is_sqlite:
                        row = conn.exec_driver_sql(sql["current"], (rt.name, res_id)).first()
                    if row is None:
                        raise NotFound(f"{rt.name}/{res_id} is not known")
                    if archived != 1 or row.version_id != expected:
                        raise self._stale(rt.name, res_id, row.version_id, expected)
                    if new is None and row.deleted:
                        raise Gone(f"{rt.name}/{res_id} is already deleted")
                    old_pairs = self._pairs_of(conn, row.pk) if rt.name == "Observation" else []
                    if rt.name == "Observation":
                        for patient in sorted(self._subjects(conn, row.pk)):
                            conn.exec_driver_sql(sql["unsample"], (patient, res_id))
                    stored = self._overwrite(conn, ready, row.pk, expected, new is None)
                    if rt.name == "Observation":
                        pairs = set(old_pairs) | set(self._pairs_of(conn, row.pk))
                        for patient, system, code in sorted(pairs):
                            self._recompute_pair(conn, patient, system, code)
            except IntegrityError as exc:
                # Two writers archived the same version (PostgreSQL): the loser is stale.
                self._rollback_counters()
                current = self.read(rt.name, res_id)
                raise self._stale(
                    rt.name, res_id, current.version_id if current else expected + 1, expected
                ) from exc
            except BaseException:
                self._rollback_counters()
                raise
        return stored

    def _stale(self, res_type: str, res_id: str, current: int, expected: int) -> PreconditionFailed:
        if self.opaque_versions:
            now = opaque_version(res_type, res_id, current)
            return PreconditionFailed(
                f"{res_type}/{res_id}: If-Match is not the current version; the current "
                f"version is {now} (read it again and reapply your change)",
                headers={"ETag": f'W/"{now}"'},
            )
        return PreconditionFailed(
            f"{res_type}/{res_id}: If-Match version {expected} is not the current version; "
            f"the current version is {current} (read it again and reapply your change)",
            headers={"ETag": f'W/"{current}"'},
        )

    def _overwrite(
        self, conn: Connection, ready: Draft, pk: int, expected: int, deleted: bool
    ) -> Stored:
        version = expected + 1
        _, seqs = self._allocate(conn, 1, pks=False)
        batch = self._prepare(
            [ready], [pk], seqs, keep_meta=False, collect=True, versions=[version]
        )
        row = batch.rows[0]
        sql = self._replace_sql
        done = conn.exec_driver_sql(
            sql["overwrite"],
            (
                version,
                row[4],
                row[5],
                deleted,
                None if deleted else row[7],
                None if deleted else row[8],
                None if deleted else row[9],
                row[10],
                pk,
                expected,
            ),
        ).rowcount
        if done != 1:
            raise self._stale(ready.rt.name, ready.id, version, expected)
        # The old index rows out, the new ones in (PostgreSQL: one round trip for all of it).
        unindex: list[tuple[str, Any]]
        if self.is_sqlite:
            unindex = [(sql[f"unindex_{t.name}"], [(pk,)]) for t in INDEX_TABLES]
        else:
            unindex = [(sql["unindex"], [{"pk": pk}])]
        if deleted:
            self.pipelined(conn, unindex)
        else:
            batch.rows = []
            self._execute(conn, batch, before=unindex)
        st = batch.stored[0]
        return Stored(
            st.res_type, st.res_id, st.version_id, st.last_updated, st.seq, st.data, deleted
        )

    @staticmethod
    def _subjects(conn: Connection, pk: int) -> set[str]:
        """The Patients an Observation's current version is about (its sample rows' keys)."""
        ref = idx_reference.c
        return set(
            conn.execute(
                select(ref.target_id).where(
                    ref.res_pk == pk, ref.param == "subject", ref.target_type == "Patient"
                )
            ).scalars()
        )

    def samples_since(self, patient_id: str, since: float) -> list[tuple[float, str, float, str]]:
        """``(t, var, value, res_id)`` of the patient's usable vital-sign values from `since`
        (epoch seconds) on, in time order: one range of ``observation_sample``."""
        with self.reading() as conn:
            # The driver's own cursor: a few hundred plain rows, read once, need none of the
            # result machinery (it cost more than the query itself).
            dbapi = conn.connection.dbapi_connection
            assert dbapi is not None  # a checked-out connection always has one
            cursor = dbapi.cursor()
            try:
                cursor.execute(self._replace_sql["samples"], (patient_id, since))
                rows = cursor.fetchall()
            finally:
                cursor.close()
        return [(float(t), str(var), float(v), str(rid)) for t, var, v, rid in rows]

    @staticmethod
    def _pairs_of(conn: Connection, pk: int) -> list[tuple[str, str, str]]:
        """The (patient, system, code) pairs an Observation contributes to latest_observation."""
        ref, tok = idx_reference.c, idx_token.c
        patients = (
            conn.execute(
                select(ref.target_id).where(
                    ref.res_pk == pk, ref.param == "subject", ref.target_type == "Patient"
                )
            )
            .scalars()
            .all()
        )
        codes = conn.execute(
            select(tok.system, tok.code).where(tok.res_pk == pk, tok.param == "code")
        ).all()
        return [(p, sy, co) for p in patients for sy, co in codes]

    # ----- conditional create ----------------------------------------------------------------

    @staticmethod
    def conditional_key(res_type: str, query: Sequence[tuple[str, str]], scope: str = "") -> str:
        """Hash of the normalised If-None-Exist query (parameter order does not matter) and
        of the scope it was matched in (a department's match is not another's)."""
        canonical = "&".join(f"{k}={v}" for k, v in sorted(query))
        scoped = f"#{scope}" if scope else ""
        return hashlib.sha256(f"{res_type}?{canonical}{scoped}".encode()).hexdigest()

    def conditional_create(
        self,
        res_type: str,
        body: Any,
        query: Sequence[tuple[str, str]],
        base_url: str | None = None,
        *,
        extra: Sequence[Any] = (),
        scope_key: str = "",
    ) -> tuple[Stored, bool]:
        """Create unless ``query`` matches: (stored, True) when created, (existing, False).

        ``extra`` conditions (on ``resource``) limit what counts as a match: the caller's scope,
        so a resource she may not see is as good as none; ``scope_key`` keeps the race-safety
        rows of different scopes apart.

        More than one match → 412. Race-safe: the new resource's row in ``conditional_key``
        (unique per type and query) makes a concurrent second create fail and retry, and the
        retry then finds the first one.
        """
        rt = validate_resource(res_type, body)
        query = [(k, v) for k, v in query if k not in s.CONTROL]
        if not query:
            raise BadRequest("If-None-Exist needs at least one search parameter")
        plan = s.plan_search(rt, list(query), base_url)
        plan.conditions.extend(extra)
        plan.count = 2
        plan.sort = []
        key = self.conditional_key(rt.name, query, scope_key)
        resource_dict = dict(body)
        for attempt in range(CONDITIONAL_ATTEMPTS):
            resource_dict["id"] = new_id()
            ready = draft(rt, resource_dict)
            with self._write_lock:
                try:
                    with self.engine.begin() as conn:
                        if self.is_sqlite:
                            # Take SQLite's write lock before searching (a no-op write).
                            conn.execute(
                                delete(conditional_key).where(conditional_key.c.res_pk < 0)
                            )
                        found = self._search(conn, plan, count_total=False).matches
                        if len(found) > 1:
                            raise PreconditionFailed(
                                f"If-None-Exist matches more than one {rt.name}; "
                                "make the criteria more selective"
                            )
                        if found:
                            return found[0], False
                        # An old key row may point at a resource that no longer matches: drop
                        # it, deciding in the same statement (snapshot) that it is stale, so a
                        # key just committed by a concurrent create is never dropped.
                        still_matching = select(resource.c.pk).where(
                            resource.c.res_type == rt.name, s.no_deleted(), *plan.conditions
                        )
                        conn.execute(
                            delete(conditional_key).where(
                                conditional_key.c.res_type == rt.name,
                                conditional_key.c.query_hash == key,
                                conditional_key.c.res_pk.not_in(still_matching),
                            )
                        )
                        stored, pks = self._insert(conn, [ready], keep_meta=False, latest=True)
                        conn.execute(
                            insert(conditional_key).values(
                                res_type=rt.name, query_hash=key, res_pk=pks[0]
                            )
                        )
                    return stored[0], True
                except IntegrityError:
                    # A concurrent create with the same criteria won; look again.
                    self._rollback_counters()
                    time.sleep(0.005 * (attempt + 1))
                except BaseException:
                    self._rollback_counters()
                    raise
        raise FhirError(
            f"conditional create of {rt.name} kept conflicting; retry", status=409, code="conflict"
        )

    # ----- latest observation per (patient, code) --------------------------------------------

    @staticmethod
    def _latest_keys(ex: Extracted) -> tuple[str | None, list[tuple[str, str]]]:
        patient = next((i for p, t, i in ex.references if p == "subject" and t == "Patient"), None)
        codes = [(sy, co) for p, sy, co in ex.tokens if p == "code"]
        return patient, codes

    def _latest_new(
        self, written: Sequence[tuple[Extracted, int]]
    ) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
        """``(patient, system, code)`` → the ``(effective, pk)`` of the Observations written."""
        new: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for ex, pk in written:
            patient, codes = self._latest_keys(ex)
            if patient is None or ex.date_start is None:
                continue
            for system, code in dict.fromkeys(codes):
                new.setdefault((patient, system, code), []).append((ex.date_start, pk))
        return new

    def _latest_fold(self, written: Sequence[tuple[Extracted, int]]) -> tuple[str, Any] | None:
        """PostgreSQL: :meth:`_update_latest` as one statement whose result nobody reads, so it
        can share the insert's pipeline (the read and the rewrite were two round trips more,
        0.7 ms of a POST's 4.7 ms to its commit with two workers).

        The touched pairs' rows are deleted and returned, merged with the new ones (``UNION``
        drops a row seen twice, as the set in Python does), ranked by effective time then pk,
        and the newest :data:`LASTN_DEPTH` inserted. The data-modifying CTE and the insert see
        the same snapshot; ``latest_observation`` has no unique key, so the rows going and the
        rows coming do not collide.
        """
        new = self._latest_new(written)
        if not new:
            return None
        values = [(*key, effective, pk) for key, added in new.items() for effective, pk in added]
        rows = ", ".join(["(%s, %s, %s, %s::bigint, %s::bigint)"] * len(values))
        sql = (
            f"WITH new (patient_id, system, code, effective, res_pk) AS (VALUES {rows}), "
            "old AS (DELETE FROM latest_observation AS l USING "
            "(SELECT DISTINCT patient_id, system, code FROM new) AS k "
            "WHERE l.patient_id = k.patient_id AND l.system = k.system AND l.code = k.code "
            "RETURNING l.patient_id, l.system, l.code, l.effective, l.res_pk), "
            "merged AS (SELECT * FROM old UNION SELECT * FROM new), "
            "ranked AS (SELECT *, row_number() OVER (PARTITION BY patient_id, system, code "
            "ORDER BY effective DESC, res_pk DESC) AS rank FROM merged) "
            "INSERT INTO latest_observation (patient_id, system, code, rank, effective, res_pk) "
            "SELECT patient_id, system, code, rank, effective, res_pk FROM ranked "
            f"WHERE rank <= {LASTN_DEPTH}"
        )
        return sql, [tuple(v for row in values for v in row)]

    def _update_latest(self, conn: Connection, written: Sequence[tuple[Extracted, int]]) -> None:
        """SQLite: fold newly written Observations (``(extracted, pk)``) into
        ``latest_observation``.

        Three statements per call however many Observations it carries: read the current rows
        of the touched patients, merge in Python (the table holds the true newest
        ``LASTN_DEPTH`` per pair, ordered by effective time then pk, so a merge is exact even
        for a late, out-of-order measurement), then rewrite only the pairs that changed.
        """
        new = self._latest_new(written)
        if not new:
            return
        ph = "?"
        current: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        keys = list(new)
        pair = f"(patient_id = {ph} AND system = {ph} AND code = {ph})"
        for start in range(0, len(keys), 200):  # each pair an index search (multi-index OR)
            chunk = keys[start : start + 200]
            rows = conn.exec_driver_sql(
                "SELECT patient_id, system, code, effective, res_pk FROM latest_observation "
                f"WHERE {' OR '.join([pair] * len(chunk))}",
                tuple(v for key in chunk for v in key),
            )
            for patient, system, code, effective, res_pk in rows:
                current.setdefault((patient, system, code), []).append((effective, res_pk))
        stale: list[tuple[str, str, str]] = []
        rows_out: list[tuple[str, str, str, int, int, int]] = []
        for key, added in new.items():
            before = sorted(current.get(key, []), reverse=True)
            after = sorted({*before, *added}, reverse=True)[:LASTN_DEPTH]
            if after == before:
                continue  # older than everything kept
            if before:
                stale.append(key)
            rows_out.extend(
                (*key, rank, effective, res_pk) for rank, (effective, res_pk) in enumerate(after, 1)
            )
        rewrite: list[tuple[str, Any]] = []
        if stale:
            rewrite.append(
                (
                    f"DELETE FROM latest_observation WHERE patient_id = {ph} AND system = {ph} "
                    f"AND code = {ph}",
                    stale,
                )
            )
        if rows_out:
            rewrite.append(
                (
                    "INSERT INTO latest_observation (patient_id, system, code, rank, effective, "
                    f"res_pk) VALUES ({ph}, {ph}, {ph}, {ph}, {ph}, {ph})",
                    rows_out,
                )
            )
        self.pipelined(conn, rewrite)

    @staticmethod
    def _observation_pairs() -> Any:
        """Observations joined to their (patient, code) keys, for latest_observation."""
        r, ref, tok = resource.c, idx_reference.c, idx_token.c
        return (
            select(
                ref.target_id.label("patient_id"),
                tok.system,
                tok.code,
                r.date_start.label("effective"),
                r.pk.label("res_pk"),
            )
            .select_from(
                resource.join(
                    idx_reference,
                    and_(
                        ref.res_pk == r.pk,
                        ref.res_type == "Observation",
                        ref.param == "subject",
                        ref.target_type == "Patient",
                    ),
                ).join(
                    idx_token,
                    and_(tok.res_pk == r.pk, tok.res_type == "Observation", tok.param == "code"),
                )
            )
            .where(r.res_type == "Observation", s.no_deleted(), r.date_start.is_not(None))
        )

    def _recompute_pair(self, conn: Connection, patient: str, system: str, code: str) -> None:
        lo = latest_observation.c
        conn.execute(
            delete(latest_observation).where(
                lo.patient_id == patient, lo.system == system, lo.code == code
            )
        )
        q = self._observation_pairs().where(
            idx_reference.c.target_id == patient,
            idx_token.c.system == system,
            idx_token.c.code == code,
        )
        q = q.order_by(resource.c.date_start.desc(), resource.c.pk.desc()).limit(LASTN_DEPTH)
        rows = conn.execute(q).all()
        if rows:
            conn.execute(
                latest_observation.insert(),
                [
                    {
                        "patient_id": row.patient_id,
                        "system": row.system,
                        "code": row.code,
                        "rank": i + 1,
                        "effective": row.effective,
                        "res_pk": row.res_pk,
                    }
                    for i, row in enumerate(rows)
                ],
            )

    def _rebuild_latest(self, conn: Connection) -> None:
        """Recompute the whole table with one window query (after bulk loads)."""
        pairs = self._observation_pairs().add_columns(
            func.row_number()
            .over(
                partition_by=(idx_reference.c.target_id, idx_token.c.system, idx_token.c.code),
                order_by=(resource.c.date_start.desc(), resource.c.pk.desc()),
            )
            .label("rn")
        )
        sub = pairs.subquery()
        conn.execute(delete(latest_observation))
        conn.execute(
            latest_observation.insert().from_select(
                ["patient_id", "system", "code", "rank", "effective", "res_pk"],
                select(
                    sub.c.patient_id,
                    sub.c.system,
                    sub.c.code,
                    sub.c.rn,
                    sub.c.effective,
                    sub.c.res_pk,
                ).where(sub.c.rn <= LASTN_DEPTH),
            )
        )

    # ----- reads -----------------------------------------------------------------------------

    _COLUMNS = (
        resource.c.res_type,
        resource.c.res_id,
        resource.c.version_id,
        resource.c.last_updated,
        resource.c.seq,
        resource.c.data,
        resource.c.deleted,
    )

    @staticmethod
    def _stored(row: Any) -> Stored:
        return Stored(
            row.res_type,
            row.res_id,
            row.version_id,
            row.last_updated,
            row.seq,
            row.data,
            bool(row.deleted),
        )

    def read(self, res_type: str, res_id: str) -> Stored | None:
        """The current version (``deleted`` set if the resource was deleted), or None."""
        with self.reading() as conn:
            row = conn.execute(
                select(*self._COLUMNS).where(
                    resource.c.res_type == res_type, resource.c.res_id == res_id
                )
            ).first()
        return None if row is None else self._stored(row)

    def version_text(self, st: Stored) -> str:
        """``meta.versionId`` as served (the ETag's content)."""
        if self.opaque_versions:
            return opaque_version(st.res_type, st.res_id, st.version_id)
        return str(st.version_id)

    def version_number(self, res_type: str, res_id: str, text: str) -> int | None:
        """The version number a served versionId names, or None if it names none."""
        if not self.opaque_versions:
            return int(text) if text.isdigit() and len(text) <= 9 else None
        current = self.read(res_type, res_id)
        if current is None:
            return None
        for n in range(current.version_id, 0, -1):
            if opaque_version(res_type, res_id, n) == text:
                return n
        return None

    def vread(self, res_type: str, res_id: str, version_id: int) -> Stored | None:
        with self.reading() as conn:
            row = conn.execute(
                select(*self._COLUMNS, resource.c.pk).where(
                    resource.c.res_type == res_type, resource.c.res_id == res_id
                )
            ).first()
            if row is None:
                return None
            if row.version_id == version_id:
                return self._stored(row)
            h = resource_history.c
            old = conn.execute(
                select(
                    h.res_type, h.res_id, h.version_id, h.last_updated, h.seq, h.data, h.deleted
                ).where(h.pk == row.pk, h.version_id == version_id)
            ).first()
        return None if old is None else self._stored(old)

    def count(self, res_type: str) -> int:
        with self.reading() as conn:
            n: int = conn.execute(
                select(func.count())
                .select_from(resource)
                .where(resource.c.res_type == res_type, s.no_deleted())
            ).scalar_one()
        return n

    def is_empty(self) -> bool:
        with self.reading() as conn:
            return conn.execute(select(resource.c.pk).limit(1)).first() is None

    def all_of_type(self, res_type: str) -> list[dict[str, Any]]:
        """Every current resource of a type, parsed (for rebuilding the simulator)."""
        with self.reading() as conn:
            rows = conn.execute(
                select(resource.c.data)
                .where(resource.c.res_type == res_type, s.no_deleted())
                .order_by(resource.c.pk)
            ).scalars()
            return [json.loads(d) for d in rows]

    def texts_of_type(self, res_type: str) -> list[str]:
        """Every current resource of a type as its stored JSON text, in ``all_of_type``'s order
        (a caller that keeps only some can parse one at a time)."""
        with self.reading() as conn:
            return list(
                conn.execute(
                    select(resource.c.data)
                    .where(resource.c.res_type == res_type, s.no_deleted())
                    .order_by(resource.c.pk)
                ).scalars()
            )

    def max_seq(self) -> int:
        with self.reading() as conn:
            return int(conn.execute(select(func.max(resource.c.seq))).scalar() or 0)

    # ----- search ----------------------------------------------------------------------------

    def search(self, plan: s.SearchPlan) -> SearchResult:
        """Run a planned search: one page of matches, includes, the total and the next cursor."""
        with self.reading() as conn:
            return self._search(conn, plan, count_total=plan.total_mode != "none")

    def _search(self, conn: Connection, plan: s.SearchPlan, *, count_total: bool) -> SearchResult:
        rt = plan.rt
        budget = plan.max_bytes
        # The first page of one target's newest matches, with nothing else asked, is one
        # statement whatever the target: built once (the target a bound parameter), since
        # building it took ~2 ms of Python per search, more than the database's part.
        params: dict[str, Any] = {}
        reuse = None
        drive = plan.driven()
        if (
            drive is not None
            and len(plan.conditions) == 1
            and plan.cursor is None
            and not plan.offset
            and not plan.summary_count
            and plan.count > 0
        ):
            params = {"drv_target": drive[3]}
            reuse = (rt.name, drive[1], drive[2], plan.count, count_total, budget)
            found = self._statements.get(reuse)
            if found is not None:  # its total rides in the page exactly when count_total
                return self._search_rows(conn, plan, found, params, count_total, None)
        where = [resource.c.res_type == rt.name, s.no_deleted(), *plan.conditions]
        total: int | None = None
        counting = select(func.count()).select_from(resource).where(*where)
        driver = None
        if drive is not None:
            # Newest-first of one target: the page walks the target's index rows backward by
            # date and reads only the rows it keeps; the total counts index rows (a deleted
            # resource has none), from the index alone when nothing else is asked.
            place, key, target_type, target_id = drive
            target: Any = bindparam("drv_target") if reuse is not None else target_id

            def on_target(ref: Any) -> list[Any]:
                return [
                    ref.c.res_type == rt.name,
                    ref.c.param == key,
                    ref.c.target_id == target,
                    ref.c.target_type == target_type,
                ]

            driver = idx_reference.alias("drv")
            others = [c for i, c in enumerate(plan.conditions) if i != place]
            joined = driver.join(resource, resource.c.pk == driver.c.res_pk)
            where = [*on_target(driver), s.no_deleted(), *others]
            if not others:
                counted = idx_reference.alias("drv_n")
                counting = select(func.count()).select_from(counted).where(*on_target(counted))
            else:
                counting = select(func.count()).select_from(joined).where(*where)
        # A first page carries the total in its own query (a subquery run once): one
        # statement, not two (on PostgreSQL a round trip less).
        with_page = (
            count_total
            and plan.cursor is None
            and not plan.offset
            and not plan.summary_count
            and plan.count > 0
        )
        if (count_total and not with_page) or plan.summary_count or plan.count == 0:
            total = conn.execute(counting).scalar_one()
        if plan.summary_count or plan.count == 0:
            return SearchResult([], [], total, None)
        sort = plan.sort
        page_pk: Any = resource.c.pk
        if driver is not None:
            sort = [s.SortKey(sort[0].name, driver.c.res_date, True)]
            page_pk = driver.c.res_pk
        keys = [k.expr.label(f"k{i}") for i, k in enumerate(sort)]
        extra = []
        if with_page:  # selected beside the sort keys, not a sort key (the cursor skips it)
            extra.append(counting.correlate(None).scalar_subquery().label("total_"))

        def page_of(*columns: Any) -> Any:
            q = select(resource.c.pk, *keys).where(*where)
            if driver is not None:
                q = q.select_from(joined)
            if plan.cursor is not None:
                q = q.where(s.keyset_clause(sort, plan.cursor, page_pk))
            order = [k.expr.desc() if k.descending else k.expr.asc() for k in sort]
            q = q.order_by(*order, page_pk.asc()).limit(plan.count + 1)
            if plan.offset:
                q = q.offset(plan.offset)
            if not plan.sort:  # in pk order: the rows stream from the index, nothing is sorted
                return q.add_columns(*columns, *extra)
            # Sorted: the page's keys first, then the bodies of its rows only. Sorting the
            # bodies of every match (a patient's 450 Observations for her last 100) copied
            # them all through the sorter: 1.5 ms of a 2 ms query, 0.8 ms this way.
            page = q.subquery("page")
            pc = page.c
            return (
                select(*columns, resource.c.pk, *(pc[f"k{i}"] for i in range(len(keys))), *extra)
                .select_from(page.join(resource, resource.c.pk == pc.pk))
                .order_by(
                    *(
                        pc[f"k{i}"].desc() if k.descending else pc[f"k{i}"].asc()
                        for i, k in enumerate(plan.sort)
                    ),
                    pc.pk.asc(),
                )
            )

        stmt: Any
        if self.is_sqlite:
            # Streamed, so a page of large resources stops at the byte budget without the
            # rest of it ever being held in memory.
            stmt = page_of(*self._COLUMNS).execution_options(yield_per=8)
        elif budget is None:
            stmt = page_of(*self._COLUMNS)
        else:
            # PostgreSQL: a server-side cursor costs a round trip per batch and needs a
            # transaction. One query instead: each row's size and the running total in the
            # page's order, and a body only while the total fits (always the first's), so no
            # more than the budget of bodies is ever sent or held.
            size = (func.octet_length(resource.c.data) + ENTRY_OVERHEAD).label("size")
            inner = page_of(*self._COLUMNS, size).subquery()
            ic = inner.c
            order = [
                ic[f"k{i}"].desc() if k.descending else ic[f"k{i}"].asc()
                for i, k in enumerate(plan.sort)
            ]
            order.append(ic.pk.asc())
            running = func.sum(ic.size).over(order_by=order)
            fits = or_(running <= budget, running == ic.size)
            stmt = select(
                *(ic[c.name] for c in self._COLUMNS if c.name != "data"),
                ic.pk,
                *(ic[k.name] for k in (*keys, *extra)),
                ic.size,
                case((fits, ic.data), else_=None).label("data"),
            ).order_by(*order)
        if reuse is not None:
            if len(self._statements) >= 256:
                self._statements.clear()
            self._statements[reuse] = stmt
        return self._search_rows(conn, plan, stmt, params, with_page, total)

    def _search_rows(
        self,
        conn: Connection,
        plan: s.SearchPlan,
        stmt: Any,
        params: dict[str, Any],
        with_page: bool,
        total: int | None,
    ) -> SearchResult:
        """Run a search's page statement; the cursor, includes and total of its page."""
        rt, budget = plan.rt, plan.max_bytes
        if self.is_sqlite:
            result = conn.execute(stmt, params)
            try:
                rows, used, more = take_page(result, plan.count, budget)
            finally:
                result.close()
        elif budget is None:
            rows, used, more = take_page(conn.execute(stmt, params), plan.count, None)
        else:
            rows, used, more = take_page(
                conn.execute(stmt, params), plan.count, budget, size_of=lambda row: row.size
            )
        if with_page:
            total = int(rows[0].total_) if rows else 0
        next_cursor = None
        if more:
            last = rows[-1]
            if plan.offset is not None:  # offset paging: the next page's offset
                next_cursor = str(plan.offset + len(rows))
            else:
                next_cursor = s.encode_cursor(
                    [getattr(last, f"k{i}") for i in range(len(plan.sort))] + [last.pk]
                )
        matches = [self._stored(r) for r in rows]
        included: list[Stored] = []
        truncated = False
        if plan.includes and rows:
            included = self._includes(conn, [r.pk for r in rows], plan.includes, matches)
        if plan.revincludes and rows:
            seen = {(m.res_type, m.res_id) for m in (*matches, *included)}
            pointing, truncated = self._revincludes(conn, rt.name, matches, plan.revincludes)
            included += [m for m in pointing if (m.res_type, m.res_id) not in seen]
        if budget is not None and included:
            kept = within_budget(included, budget - used)
            truncated = truncated or len(kept) < len(included)
            included = kept
        return SearchResult(matches, included, total, next_cursor, truncated)

    def _revincludes(
        self,
        conn: Connection,
        target_type: str,
        matches: list[Stored],
        revincludes: list[tuple[ResourceType, SearchParam]],
    ) -> tuple[list[Stored], bool]:
        """Resources whose reference parameter points at one of ``matches``."""
        ref = idx_reference.c
        ids = [m.res_id for m in matches]
        clauses = [
            and_(
                ref.res_type == src.name,
                ref.param == param.key,
                ref.target_type.in_((target_type, "")),
                ref.target_id.in_(ids),
            )
            for src, param in revincludes
        ]
        pks = select(ref.res_pk).where(or_(*clauses))
        rows = conn.execute(
            select(*self._COLUMNS)
            .where(resource.c.pk.in_(pks), s.no_deleted())
            .order_by(resource.c.pk)
            .limit(MAX_REVINCLUDE + 1)
        ).all()
        truncated = len(rows) > MAX_REVINCLUDE
        return [self._stored(r) for r in rows[:MAX_REVINCLUDE]], truncated

    def _includes(
        self,
        conn: Connection,
        pks: list[int],
        includes: list[tuple[SearchParam, str | None]],
        matches: list[Stored],
    ) -> list[Stored]:
        ref = idx_reference.c
        wanted: set[tuple[str, str]] = set()
        for param, target in includes:
            q = select(ref.target_type, ref.target_id).where(
                ref.res_pk.in_(pks), ref.param == param.key
            )
            types = (target,) if target else param.targets
            if types:
                q = q.where(ref.target_type.in_(types))
            wanted.update((t, i) for t, i in conn.execute(q).all() if t)
        wanted -= {(m.res_type, m.res_id) for m in matches}
        if not wanted:
            return []
        # One query per type with `res_id IN (...)`: a row value `(type, id) IN (...)` made
        # SQLite scan the whole (type, id) index (431 ms for a page's 1,000 Patients among
        # 10,000 patients' resources, against 1.4 ms by type).
        by_type: dict[str, list[str]] = defaultdict(list)
        for res_type, res_id in wanted:
            by_type[res_type].append(res_id)
        rows = [
            row
            for res_type, ids in by_type.items()
            for row in conn.execute(
                select(resource.c.pk, *self._COLUMNS)
                .where(resource.c.res_type == res_type, resource.c.res_id.in_(ids))
                .where(s.no_deleted())
            ).all()
        ]
        rows.sort(key=lambda r: r.pk)
        return [self._stored(r) for r in rows]

    # ----- $lastn ----------------------------------------------------------------------------

    def lastn(
        self,
        max_per_code: int,
        *,
        patients: list[str] | None = None,
        codes: list[str] | None = None,
        categories: list[str] | None = None,
        after_patient: str | None = None,
        max_bytes: int | None = None,
        page: LastnPage | None = None,
    ) -> list[Stored]:
        """The newest ``max_per_code`` Observations per (patient, code), newest first per pair,
        patient by patient (by id).

        Served from ``latest_observation`` when ``max_per_code`` <= LASTN_DEPTH, else computed
        with a window query over the index tables. ``after_patient`` continues after that
        patient; ``max_bytes`` ends the answer at the last patient that fits (``page`` says
        where, for the next link).
        """
        page = page if page is not None else LastnPage()
        if max_per_code < 1:
            raise BadRequest("max must be at least 1")
        if max_per_code <= LASTN_DEPTH:
            lo = latest_observation.c
            base = select(lo.patient_id, lo.system, lo.code, lo.rank, lo.res_pk).where(
                lo.rank <= max_per_code
            )
            pid, sy, co, rank, rpk = lo.patient_id, lo.system, lo.code, lo.rank, lo.res_pk
        else:
            pairs = self._observation_pairs().add_columns(
                func.row_number()
                .over(
                    partition_by=(
                        idx_reference.c.target_id,
                        idx_token.c.system,
                        idx_token.c.code,
                    ),
                    order_by=(resource.c.date_start.desc(), resource.c.pk.desc()),
                )
                .label("rank")
            )
            if patients:
                pairs = pairs.where(idx_reference.c.target_id.in_(patients))
            sub = pairs.subquery()
            base = select(sub.c.patient_id, sub.c.system, sub.c.code, sub.c.rank, sub.c.res_pk)
            base = base.where(sub.c.rank <= max_per_code)
            pid, sy, co, rank, rpk = (
                sub.c.patient_id,
                sub.c.system,
                sub.c.code,
                sub.c.rank,
                sub.c.res_pk,
            )
        if patients:
            base = base.where(pid.in_(patients))
        if after_patient is not None:
            base = base.where(pid > after_patient)
        if codes:
            clauses = []
            for value in codes:
                system, code = s.parse_token(value)
                part = [co == code] if code is not None else []
                if system is not None:
                    part.append(sy == system)
                if not part:
                    raise BadRequest(f"empty code {value!r}")
                clauses.append(and_(*part))
            base = base.where(or_(*clauses))
        if categories:
            cat_clauses = []
            for value in categories:
                system, code = s.parse_token(value)
                part = [idx_token.c.code == code] if code is not None else []
                if system is not None:
                    part.append(idx_token.c.system == system)
                cat_clauses.append(and_(*part))
            base = base.where(
                rpk.in_(
                    select(idx_token.c.res_pk).where(
                        idx_token.c.res_type == "Observation",
                        idx_token.c.param == "category",
                        or_(*cat_clauses),
                    )
                )
            )
        base = base.order_by(pid, sy, co, rank)
        pairs_sub = base.subquery()
        q = (
            select(*self._COLUMNS, resource.c.pk, pairs_sub.c.patient_id)
            .select_from(pairs_sub.join(resource, resource.c.pk == pairs_sub.c.res_pk))
            .order_by(
                pairs_sub.c.patient_id, pairs_sub.c.system, pairs_sub.c.code, pairs_sub.c.rank
            )
        )
        seen: set[int] = set()
        out: list[Stored] = []
        used = 0
        boundary = 0  # len(out) when the last complete patient ended
        current: str | None = None
        with self.engine.connect() as conn:
            result = conn.execute(q.execution_options(yield_per=32))
            try:
                for row in result:
                    if row.patient_id != current:
                        if current is not None:
                            boundary = len(out)
                            page.last_patient = current
                        current = row.patient_id
                    if row.pk in seen:
                        continue
                    size = entry_size(row.data)
                    if max_bytes is not None and out and used + size > max_bytes:
                        if boundary == 0:  # one patient alone is too much: cut within her
                            page.last_patient, page.cut_within = current, True
                        else:
                            del out[boundary:]
                        page.more = True
                        break
                    seen.add(row.pk)
                    out.append(self._stored(row))
                    used += size
            finally:
                result.close()
        if not page.more:
            page.last_patient = None
        page.found = out
        return out

    def iter_changes(
        self, since_seq: int, limit: int = 1000, res_type: str | None = None
    ) -> Iterator[Stored]:
        """Current versions changed after ``since_seq``, in change order (for catch-up); of
        one type only when ``res_type`` is given."""
        q = select(*self._COLUMNS).where(resource.c.seq > since_seq)
        if res_type is not None:
            q = q.where(resource.c.res_type == res_type)
        with self.reading() as conn:
            rows = conn.execute(q.order_by(resource.c.seq).limit(limit)).all()
        for row in rows:
            yield self._stored(row)

    # ----- _history ----------------------------------------------------------------------------

    def history(
        self,
        res_type: str | None = None,
        res_id: str | None = None,
        *,
        since_us: int | None = None,
        count: int = s.DEFAULT_COUNT,
        after_seq: int | None = None,
        descending: bool = False,
        with_total: bool = True,
        max_bytes: int | None = None,
    ) -> HistoryResult:
        """Versions (current and superseded, deletions included) in change order.

        Instance history when ``res_id`` is given, type history with only ``res_type``, system
        history with neither. ``since_us`` keeps versions whose lastUpdated is at or after it;
        ``after_seq`` is the paging cursor (the last ``seq`` sent).
        """
        r, h = resource.c, resource_history.c
        cur_where: list[Any] = []
        old_where: list[Any] = []
        with self.engine.connect() as conn:
            if res_id is not None:
                pk = conn.execute(
                    select(r.pk).where(r.res_type == res_type, r.res_id == res_id)
                ).scalar()
                if pk is None:
                    raise NotFound(f"{res_type}/{res_id} is not known")
                cur_where.append(r.pk == pk)
                old_where.append(h.pk == pk)
            elif res_type is not None:
                cur_where.append(r.res_type == res_type)
                old_where.append(h.res_type == res_type)
            if since_us is not None:
                cur_where.append(r.last_updated >= since_us)
                old_where.append(h.last_updated >= since_us)
            total: int | None = None
            if with_total:
                total = int(
                    conn.execute(
                        select(func.count()).select_from(resource).where(*cur_where)
                    ).scalar_one()
                    + conn.execute(
                        select(func.count()).select_from(resource_history).where(*old_where)
                    ).scalar_one()
                )
            if count == 0:
                return HistoryResult([], total, None)
            if after_seq is not None:
                cur_where.append(r.seq < after_seq if descending else r.seq > after_seq)
                old_where.append(h.seq < after_seq if descending else h.seq > after_seq)
            cur = select(
                r.res_type, r.res_id, r.version_id, r.last_updated, r.seq, r.data, r.deleted
            ).where(*cur_where)
            old = select(
                h.res_type, h.res_id, h.version_id, h.last_updated, h.seq, h.data, h.deleted
            ).where(*old_where)
            # Each side limited first, so both use their seq index; then merged as they stream
            # (a page of large versions stops at the byte budget, the rest never loaded).
            cur = cur.order_by(r.seq.desc() if descending else r.seq).limit(count + 1)
            old = old.order_by(h.seq.desc() if descending else h.seq).limit(count + 1)
            first = conn.execute(cur.execution_options(yield_per=8))
            second = conn.execute(old.execution_options(yield_per=8))
            try:
                merged = heapq.merge(
                    first, second, key=lambda row: -row.seq if descending else row.seq
                )
                # (a history entry wraps its resource in ~200 more bytes than a search's)
                rows, _used, more = take_page(merged, count, max_bytes, extra=200)
            finally:
                first.close()
                second.close()
        next_cursor = str(rows[-1].seq) if more and rows else None
        return HistoryResult([self._stored(row) for row in rows], total, next_cursor)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # 16 MiB of page cache per connection (up to 15 pooled): bounded memory; reads of the
        # hot pages go through the shared mmap below anyway.
        cur.execute("PRAGMA cache_size=-16384")
        cur.execute("PRAGMA temp_store=FILE")
        cur.execute("PRAGMA mmap_size=268435456")
    finally:
        cur.close()
