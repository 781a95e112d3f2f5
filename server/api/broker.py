"""In-process fan-out of resource changes to WebSocket subscribers.

Writers call :meth:`Broker.publish` on the event loop right after their transaction commits;
each subscriber has a bounded buffer, and one that falls behind is marked overflowed (its socket
is then closed with 1013) instead of slowing everyone else down.

Extension points for later issues: topic Subscriptions are another ``matches`` predicate on
:class:`Subscriber`; ``$events`` replay reads the store by ``seq`` (every event carries it); and a
PostgreSQL LISTEN/NOTIFY bridge in each worker calls :meth:`Broker.publish_threadsafe` (or
``publish``) for changes made by other workers, so fan-out stays local to each process.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_BUFFER = 2000


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One committed create/update/delete; ``data`` is the resource JSON as stored."""

    seq: int
    action: str  # "create" | "update" | "delete"
    res_type: str
    res_id: str
    version_id: int
    last_updated: str
    data: str

    def frame(self, event_number: int) -> str:
        """The ``event-notification`` text frame, built without re-serialising the resource."""
        return (
            f'{{"type":"event-notification","eventNumber":{event_number},'
            f'"action":"{self.action}","focus":{{"reference":"{self.res_type}/{self.res_id}"}},'
            f'"versionId":"{self.version_id}","lastUpdated":"{self.last_updated}",'
            f'"resource":{self.data}}}'
        )


class Overflow(Exception):
    """The subscriber fell more than its buffer behind."""


class Subscriber:
    """One listener's bounded buffer; consumed by exactly one task."""

    def __init__(self, types: frozenset[str] | None, maxsize: int) -> None:
        self.types = types
        self.maxsize = maxsize
        self.overflowed = False
        self.closed = False
        self._buffer: deque[ChangeEvent] = deque()
        self._wakeup = asyncio.Event()

    def matches(self, event: ChangeEvent) -> bool:
        return self.types is None or event.res_type in self.types

    def offer(self, event: ChangeEvent) -> None:
        if self.overflowed or self.closed:
            return
        if len(self._buffer) >= self.maxsize:
            self.overflowed = True
            self._buffer.clear()
        else:
            self._buffer.append(event)
        self._wakeup.set()

    def close(self) -> None:
        """Wake the consumer so it can notice the other side went away."""
        self.closed = True
        self._wakeup.set()

    async def next_batch(self, wait: float) -> list[ChangeEvent]:
        """Everything buffered, waiting up to ``wait`` s; [] on timeout or close."""
        if not self._buffer and not self.overflowed and not self.closed:
            try:
                await asyncio.wait_for(self._wakeup.wait(), wait)
            except TimeoutError:
                pass
        self._wakeup.clear()
        if self.overflowed:
            raise Overflow
        batch = list(self._buffer)
        self._buffer.clear()
        return batch


class Broker:
    """Registry of subscribers; ``publish`` must run on the loop that owns them."""

    def __init__(self, buffer: int = DEFAULT_BUFFER) -> None:
        self.buffer = buffer
        self._subscribers: set[Subscriber] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def subscribe(self, types: Iterable[str] | None = None) -> Subscriber:
        self._loop = asyncio.get_running_loop()
        sub = Subscriber(frozenset(types) if types is not None else None, self.buffer)
        self._subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        self._subscribers.discard(sub)
        sub.close()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def publish(self, events: Iterable[ChangeEvent]) -> None:
        subs = self._subscribers
        if not subs:
            return
        for event in events:
            for sub in subs:
                if sub.matches(event):
                    sub.offer(event)

    def publish_threadsafe(self, events: list[ChangeEvent]) -> None:
        """For writers outside the loop (e.g. a LISTEN/NOTIFY thread)."""
        if self._loop is not None and self._subscribers:
            self._loop.call_soon_threadsafe(self.publish, events)
