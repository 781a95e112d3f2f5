"""Async facade over the store: runs its blocking calls in worker threads and notifies.

Both the REST routes and the simulator create resources through :meth:`FhirService.create_many`,
so every write is announced on the broker the moment its transaction has committed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from anyio import to_thread

from server.api.broker import Broker, ChangeEvent
from server.store import Store, Stored

T = TypeVar("T")
# Called after each commit with what was stored and, when known, the bodies as written (the
# alert engine, server.rules.runtime.AlertEngine).
AfterCommit = Callable[[Sequence[Stored], Sequence[tuple[str, Any]] | None], Awaitable[None]]


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


class FhirService:
    def __init__(self, store: Store, broker: Broker) -> None:
        self.store = store
        self.broker = broker
        self.rules: AfterCommit | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store call off the event loop."""
        return await to_thread.run_sync(fn, *args)

    async def create(self, res_type: str, body: Any) -> Stored:
        return (await self.create_many([(res_type, body)]))[0]

    async def create_many(self, items: Sequence[tuple[str, Any]]) -> list[Stored]:
        stored = await self.run(self.store.create_many, items)
        self.broker.publish(event_for(s, "create") for s in stored)
        if self.rules is not None:
            await self.rules(stored, items)
        return stored

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
        self, res_type: str, body: Any, query: Sequence[tuple[str, str]], base_url: str
    ) -> tuple[Stored, bool]:
        """Create unless ``query`` matches (If-None-Exist); (resource, created)."""
        stored, created = await self.run(
            self.store.conditional_create, res_type, body, query, base_url
        )
        if created:
            self.broker.publish([event_for(stored, "create")])
            if self.rules is not None:
                await self.rules([stored], [(res_type, body)])
        return stored, created
