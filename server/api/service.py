"""Async facade over the store: runs its blocking calls in worker threads and notifies.

Both the REST routes and the simulator create resources through :meth:`FhirService.create_many`,
so every write is announced on the broker the moment its transaction has committed.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from anyio import to_thread

from server.api.broker import Broker, ChangeEvent
from server.store import Store, Stored

T = TypeVar("T")
COMBINE = 256  # most resources committed in one combined transaction
# Called after each commit with what was stored and, when known, the bodies as written (the
# alert engine, server.rules.runtime.AlertEngine).
AfterCommit = Callable[[Sequence[Stored], Sequence[tuple[str, Any]] | None], Awaitable[None]]


class Numbering(Protocol):
    """Subscription numbering inside a create's own transaction (server.api.subscriptions)."""

    def inside_write(self) -> Callable[[Any, Sequence[ChangeEvent]], Any] | None: ...

    def publish_numbered(self, events: list[ChangeEvent], numbered: Sequence[Any]) -> None: ...


def event_for(stored: Stored, action: str) -> ChangeEvent:
    return ChangeEvent(
        stored.seq,
        action,
        stored.res_type,
        stored.res_id,
        stored.version_id,
        stored.last_updated_text,
        stored.data,
    )


def _as_creates(
    number: Callable[[Any, Sequence[ChangeEvent]], Any],
) -> Callable[[Any, list[Stored]], Any]:
    """The numbering hook as ``Store.create_groups`` calls it (with what it stored)."""

    def inside(conn: Any, stored: list[Stored]) -> Any:
        return number(conn, [event_for(st, "create") for st in stored])

    return inside


class FhirService:
    def __init__(self, store: Store, broker: Broker) -> None:
        self.store = store
        self.broker = broker
        self.rules: AfterCommit | None = None
        #: Set by the app when topic Subscriptions are served (SubscriptionHub).
        self.numbering: Numbering | None = None
        self._pending: deque[tuple[list[tuple[str, Any]], asyncio.Future[list[Stored]]]] = deque()
        self._flusher: asyncio.Task[None] | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store call off the event loop."""
        return await to_thread.run_sync(fn, *args)

    async def create(self, res_type: str, body: Any) -> Stored:
        return (await self.create_many([(res_type, body)]))[0]

    async def create_many(self, items: Sequence[tuple[str, Any]]) -> list[Stored]:
        """Create ``items`` in one transaction (all or nothing), announce them, run the rules.

        Write combining: creates that arrive while a commit is running wait and are committed
        together in the next transaction (each group still all or nothing, with its own ids,
        versions and errors). Notifications go out in commit order, right after each commit;
        the rules then run once per resource, in the caller's task.
        """
        stored = await self._combined(list(items))
        if self.rules is not None:
            await self.rules(stored, items)
        return stored

    async def _combined(self, items: list[tuple[str, Any]]) -> list[Stored]:
        future: asyncio.Future[list[Stored]] = asyncio.get_running_loop().create_future()
        self._pending.append((items, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush(), name="create-combiner")
        return await future

    async def _flush(self) -> None:
        """Commit what is pending, group after group, until nothing is left."""
        batch: list[tuple[list[tuple[str, Any]], asyncio.Future[list[Stored]]]] = []
        try:
            while self._pending:
                batch = []
                size = 0
                while self._pending and (not batch or size + len(self._pending[0][0]) <= COMBINE):
                    batch.append(self._pending.popleft())
                    size += len(batch[-1][0])
                numbering = self.numbering
                number = numbering.inside_write() if numbering is not None else None
                inside = _as_creates(number) if number is not None else None
                numbered: list[Any] = []
                try:
                    results = await self.run(
                        self.store.create_groups, [i for i, _ in batch], inside, numbered
                    )
                except Exception as exc:
                    _fail(batch, exc)
                    continue
                events = [
                    event_for(st, "create")
                    for result in results
                    if not isinstance(result, Exception)
                    for st in result
                ]
                if numbering is not None and number is not None:
                    numbering.publish_numbered(events, numbered)
                else:
                    self.broker.publish(events)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():
                        continue
                    if isinstance(result, Exception):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        except BaseException:  # cancelled (shutdown): nobody may wait forever
            stopping = RuntimeError("the server is stopping")
            _fail(batch, stopping)
            _fail(list(self._pending), stopping)
            self._pending.clear()
            raise

    async def update(self, res_type: str, res_id: str, body: Any, if_match: int) -> Stored:
        """Version-aware update (412 when ``if_match`` is stale); announced as "update"."""
        stored = await self.run(self.store.update, res_type, res_id, body, if_match)
        self.broker.publish([event_for(stored, "update")])
        if self.rules is not None:
            await self.rules([stored], [(res_type, body)])
        return stored

    async def delete(self, res_type: str, res_id: str, if_match: int | None) -> Stored | None:
        """Delete (a tombstone version); None when it was already deleted."""
        stored = await self.run(self.store.delete, res_type, res_id, if_match)
        if stored is not None:
            self.broker.publish([event_for(stored, "delete")])
            if self.rules is not None:
                await self.rules([stored], None)
        return stored

    async def conditional_create(
        self,
        res_type: str,
        body: Any,
        query: Sequence[tuple[str, str]],
        base_url: str,
        *,
        extra: Sequence[Any] = (),
        scope_key: str = "",
    ) -> tuple[Stored, bool]:
        """Create unless ``query`` matches (If-None-Exist); (resource, created). ``extra``
        conditions limit the match to what the caller may see (``scope_key`` names that)."""
        stored, created = await self.run(
            lambda: self.store.conditional_create(
                res_type, body, query, base_url, extra=extra, scope_key=scope_key
            )
        )
        if created:
            self.broker.publish([event_for(stored, "create")])
            if self.rules is not None:
                await self.rules([stored], [(res_type, body)])
        return stored, created


def _fail(batch: Sequence[tuple[Any, asyncio.Future[list[Stored]]]], exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
