"""Fan-out between API workers through PostgreSQL ``LISTEN``/``NOTIFY``.

Every worker (process) numbers and delivers the changes it commits itself; with the same
commit it sends ``NOTIFY dho_events`` with JSON payloads (each under 8000 bytes, PostgreSQL's
limit)::

    {"o": "<origin process id>",
     "e": [[seq, action, type, id, version, lastUpdated, "<stored JSON>"], ...],
     "q": [[first_seq, last_seq], ...],
     "n": [["<Subscription id>", first_number, last_number, [seq, ...]], ...]}

Each worker listens on one async psycopg connection. A change small enough travels whole
(``e``); a larger one goes by its seq (``q``) and the worker that hears it reads it back. The
changes are published on the listening worker's broker with ``local=False``
(``/ws/notifications`` clients and the Subscription registry see them), and the new
Subscription event numbers go to its own bindings: built from the changes at hand when ``n``
names their seqs and they all travelled, read from ``subscription_event`` otherwise. When a
batch of payloads needs nothing from the database it is handled on the event loop, without a
thread hop or a query. PostgreSQL delivers notifications in commit order, and the numbering
transactions serialise per Subscription, so numbers arrive in order; a binding that still sees
a gap refills from ``subscription_event``.

The channel is ``dho_events`` in the ``public`` schema and ``dho_events_<schema>`` otherwise, so
databases that share a server but not a schema (tests) do not hear each other.

If the listening connection drops, it reconnects with backoff; whatever was missed meanwhile is
recovered: ``/ws/notifications`` clients are closed with 1013 (they catch up over REST) and every
Subscription binding refills from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from sqlalchemy import text

from server.api.broker import Broker, ChangeEvent
from server.api.subscriptions import Numbered, SubscriptionHub, events_in_ranges, replay
from server.store import Store

log = logging.getLogger("dho.fanout")

CHANNEL = "dho_events"


def libpq_url(store: Store) -> str:
    return store.url.set(drivername="postgresql").render_as_string(hide_password=False)


def channel_for(store: Store) -> str:
    with store.engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar() or "public"
    return CHANNEL if schema == "public" else f"{CHANNEL}_{schema}"[:63]


class PgFanout:
    """One LISTEN connection per worker; see the module documentation."""

    def __init__(self, store: Store, broker: Broker, hub: SubscriptionHub) -> None:
        self.store = store
        self.broker = broker
        self.hub = hub
        self.channel = CHANNEL
        self.received = 0
        self.inline_only = 0  # batches handled without reading the database
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self, wait: float = 10.0) -> None:
        """Start listening; returns once LISTEN is in effect (so nothing after it is missed)."""
        self.channel = await to_thread.run_sync(channel_for, self.store)
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._listen(), name="pg-fanout")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), wait)
        # Only now do numbering transactions announce themselves.
        self.hub.notify_channel = self.channel

    async def stop(self) -> None:
        self.hub.notify_channel = None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(self) -> None:
        import psycopg

        failures = 0
        first = True
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(libpq_url(self.store), autocommit=True)
            except Exception as exc:
                failures += 1
                log.warning("fan-out: cannot connect to PostgreSQL: %s", exc)
                await asyncio.sleep(min(10.0, 0.2 * 2**failures))
                continue
            try:
                async with conn:
                    ident = '"' + self.channel.replace('"', '""') + '"'
                    await conn.execute(f"LISTEN {ident}")
                    if not first:
                        # We may have missed notifications while disconnected.
                        self.broker.close_all()
                        self.hub.resync_all()
                    first = False
                    failures = 0
                    self._ready.set()
                    await self._pump(conn)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log.warning("fan-out connection lost (%s); reconnecting", exc)
                await asyncio.sleep(min(10.0, 0.2 * 2**failures))

    async def _pump(self, conn: Any) -> None:
        """Read notifications and handle them in batches.

        While one batch is read back from the database (a thread hop and a query), the next
        notifications queue up; they are then read back together, in one hop and one query,
        in the order they were committed. At a low rate a batch is one notification (no added
        latency); at a high one, the read-back costs per batch, not per commit of the other
        workers."""
        pending: list[str] = []
        arrived = asyncio.Event()

        async def read() -> None:
            async for notify in conn.notifies():
                pending.append(notify.payload)
                arrived.set()

        reader = asyncio.create_task(read(), name="pg-fanout-reader")
        try:
            while True:
                waiter = asyncio.ensure_future(arrived.wait())
                done, _ = await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
                if reader in done:
                    waiter.cancel()
                    reader.result()  # the connection's error, if any
                    return
                arrived.clear()
                batch, pending[:] = list(pending), []
                await self._handle(batch)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader

    async def _handle(self, payloads: list[str]) -> None:
        messages: list[_Message] = []
        for payload in payloads:
            try:
                message = json.loads(payload)
            except ValueError:
                log.warning("fan-out: ignoring a payload that is not JSON: %.80s", payload)
                continue
            if not isinstance(message, dict) or message.get("o") == self.hub.origin:
                continue
            self.received += 1
            try:
                messages.append(_parse(message, self.hub.has_bindings))
            except (TypeError, ValueError, IndexError):
                log.warning("fan-out: ignoring a malformed payload: %.80s", payload)
        if not messages:
            return
        try:
            # A commit's payloads usually arrive together: a subscription's numbers may name
            # changes that travelled in a sibling payload.
            pool = {q: ev for m in messages for q, ev in m.events.items()}
            if any(m.needs_database(pool) for m in messages):
                results = await to_thread.run_sync(self._fetch_all, messages, pool)
            else:  # everything travelled in the payloads: no thread hop, no query
                self.inline_only += 1
                results = [self._complete(m, None, pool) for m in messages]
        except Exception:
            log.exception("fan-out: reading changes failed; bindings will refill")
            self.hub.resync_all()
            self.broker.close_all()
            return
        for events, numbered in results:
            if events:
                self.broker.publish(events, local=False)
            for sub_id, items in numbered.items():
                self.hub.deliver(sub_id, items)

    def _fetch_all(
        self, messages: list[_Message], pool: dict[int, ChangeEvent]
    ) -> list[tuple[list[ChangeEvent], dict[str, list[Numbered]]]]:
        """Each message's changes and Subscription events, on one connection; the resource
        versions that did not travel in the payloads, of all messages, in one query."""
        with self.store.reading() as conn:
            every = [r for m in messages for r in m.ranges]
            found = {e.seq: e for e in events_in_ranges(conn, every)} if every else {}
            pool = {**pool, **found}
            out = []
            for m in messages:
                for a, b in m.ranges:
                    for q in range(a, b + 1):
                        if q in found:
                            m.events[q] = found[q]
                out.append(self._complete(m, conn, pool))
        return out

    def _complete(
        self, m: _Message, conn: Any, pool: dict[int, ChangeEvent]
    ) -> tuple[list[ChangeEvent], dict[str, list[Numbered]]]:
        """A message's events in seq order and its Subscription events: built from the events
        at hand (``pool``: this batch's) when the payload named their seqs, read from the
        database (``conn``) otherwise."""
        events = [m.events[q] for q in sorted(m.events)]
        numbered: dict[str, list[Numbered]] = {}
        for sub_id, first, last, seqs in m.wanted:
            spec = self.hub.spec(sub_id)
            with_data = spec is None or spec.content == "full-resource"
            if seqs is not None and all(q in pool for q in seqs):
                numbered[sub_id] = [
                    (n, pool[q] if with_data else dataclasses.replace(pool[q], data=""))
                    for n, q in zip(range(first, last + 1), seqs, strict=True)
                ]
            else:
                assert conn is not None  # needs_database() said so
                numbered[sub_id] = replay(
                    conn, sub_id, first, last, with_data=with_data, limit=last - first + 1
                )
        return events, numbered


@dataclass
class _Message:
    """One NOTIFY payload of another worker, parsed."""

    events: dict[int, ChangeEvent]  # by seq: those that travelled whole, then those read back
    ranges: list[tuple[int, int]]  # seqs to read back
    wanted: list[tuple[str, int, int, list[int] | None]]  # (sub, first, last, their seqs)

    def needs_database(self, pool: dict[int, ChangeEvent]) -> bool:
        return bool(self.ranges) or any(
            seqs is None or any(q not in pool for q in seqs)
            for _sub, _first, _last, seqs in self.wanted
        )


def _parse(message: dict[str, Any], has_bindings: Callable[[str], bool]) -> _Message:
    events: dict[int, ChangeEvent] = {}
    for seq, action, res_type, res_id, version, last_updated, data in message.get("e") or []:
        events[int(seq)] = ChangeEvent(
            int(seq),
            str(action),
            str(res_type),
            str(res_id),
            int(version),
            str(last_updated),
            str(data),
        )
    ranges = [(int(a), int(b)) for a, b in message.get("q") or []]
    wanted: list[tuple[str, int, int, list[int] | None]] = []
    for entry in message.get("n") or []:
        sub, first, last = str(entry[0]), int(entry[1]), int(entry[2])
        if not has_bindings(sub):
            continue
        seqs = [int(q) for q in entry[3]] if len(entry) > 3 else None
        if seqs is not None and len(seqs) != last - first + 1:
            seqs = None
        wanted.append((sub, first, last, seqs))
    return _Message(events, ranges, wanted)
