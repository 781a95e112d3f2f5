"""Async facade over the store: runs its blocking calls in worker threads and notifies.

Both the REST routes and the simulator create resources through :meth:`FhirService.create_many`,
so every write is announced on the broker the moment its transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from anyio import to_thread

from server.api.broker import Broker, ChangeEvent
from server.store import Store, Stored

T = TypeVar("T")


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

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking store call off the event loop."""
        return await to_thread.run_sync(fn, *args)

    async def create(self, res_type: str, body: Any) -> Stored:
        return (await self.create_many([(res_type, body)]))[0]

    async def create_many(self, items: Sequence[tuple[str, Any]]) -> list[Stored]:
        stored = await self.run(self.store.create_many, items)
        self.broker.publish(event_for(s, "create") for s in stored)
        return stored
