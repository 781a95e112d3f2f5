"""Fan-out between API workers through PostgreSQL ``LISTEN``/``NOTIFY``.

Every worker (process) numbers and delivers the changes it commits itself; in the same
transaction it sends ``NOTIFY dho_events`` with a small JSON payload::

    {"o": "<origin process id>", "q": [[first_seq, last_seq], ...],
     "n": [["<Subscription id>", first_number, last_number], ...]}

Each worker listens on one async psycopg connection. For a message from another worker it reads
the changed resource versions by ``seq`` (payloads never carry resources: NOTIFY allows 8000
bytes) and publishes them on its broker with ``local=False`` (``/ws/notifications`` clients and
the Subscription registry see them), then hands the new Subscription event numbers to its own
bindings. PostgreSQL delivers notifications in commit order, and the numbering transactions
serialise per Subscription, so numbers arrive in order; a binding that still sees a gap refills
from ``subscription_event``.

The channel is ``dho_events`` in the ``public`` schema and ``dho_events_<schema>`` otherwise, so
databases that share a server but not a schema (tests) do not hear each other.

If the listening connection drops, it reconnects with backoff; whatever was missed meanwhile is
recovered: ``/ws/notifications`` clients are closed with 1013 (they catch up over REST) and every
Subscription binding refills from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
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
        messages: list[tuple[list[Any], list[tuple[str, int, int]]]] = []
        for payload in payloads:
            try:
                message = json.loads(payload)
            except ValueError:
                log.warning("fan-out: ignoring a payload that is not JSON: %.80s", payload)
                continue
            if not isinstance(message, dict) or message.get("o") == self.hub.origin:
                continue
            self.received += 1
            wanted = [
                (str(sub), int(first), int(last))
                for sub, first, last in message.get("n") or []
                if self.hub.has_bindings(str(sub))
            ]
            messages.append((list(message.get("q") or []), wanted))
        if not messages:
            return
        try:
            results = await to_thread.run_sync(self._fetch_all, messages)
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
        self, messages: list[tuple[list[Any], list[tuple[str, int, int]]]]
    ) -> list[tuple[list[ChangeEvent], dict[str, list[Numbered]]]]:
        """Each message's changes and Subscription events, on one connection; the resource
        versions of all messages in one query."""
        with self.store.reading() as conn:
            every = [r for ranges, _ in messages for r in ranges]
            found = {e.seq: e for e in events_in_ranges(conn, every)} if every else {}
            out = []
            for ranges, wanted in messages:
                seqs = {q for a, b in ranges for q in range(int(a), int(b) + 1)}
                events = [found[q] for q in sorted(seqs) if q in found]
                out.append((events, self._numbered(conn, wanted)))
        return out

    def _numbered(self, conn: Any, wanted: list[tuple[str, int, int]]) -> dict[str, list[Numbered]]:
        numbered: dict[str, list[Numbered]] = {}
        for sub_id, first, last in wanted:
            spec = self.hub.spec(sub_id)
            with_data = spec is None or spec.content == "full-resource"
            numbered[sub_id] = replay(
                conn, sub_id, first, last, with_data=with_data, limit=last - first + 1
            )
        return numbered
