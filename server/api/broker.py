"""In-process fan-out of resource changes to WebSocket subscribers.

Writers call :meth:`Broker.publish` on the event loop right after their transaction commits;
each subscriber has a bounded buffer, and one that falls behind is marked overflowed (its socket
is then closed with 1013) instead of slowing everyone else down.

Listeners (:meth:`Broker.add_listener`) see every published batch too: the topic-based
Subscription hub numbers local changes per subscription, and the PostgreSQL LISTEN/NOTIFY bridge
(``fanout``) publishes changes made by other workers with ``local=False`` so fan-out to the
sockets of this process stays local to it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DEFAULT_BUFFER = 2000

#: Called with every published batch and whether it was written by this process.
Listener = Callable[[list["ChangeEvent"], bool], None]


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

    def force_overflow(self) -> None:
        self.overflowed = True
        self._buffer.clear()
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
        self._listeners: list[Listener] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

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

    def publish(self, events: Iterable[ChangeEvent], *, local: bool = True) -> None:
        """Offer committed changes to every subscriber and listener (on the owning loop).

        ``local`` is False for changes another worker wrote (delivered by the fan-out bridge).
        """
        batch = events if isinstance(events, list) else list(events)
        if not batch:
            return
        subs = self._subscribers
        if subs:
            for event in batch:
                for sub in subs:
                    if sub.matches(event):
                        sub.offer(event)
        for listener in self._listeners:
            listener(batch, local)

    def close_all(self) -> None:
        """Mark every subscriber overflowed, so each closes with 1013 and catches up over REST.

        Used when this process may have missed other workers' changes (the fan-out connection
        to the database was lost and re-established).
        """
        for sub in list(self._subscribers):
            sub.force_overflow()

    def publish_threadsafe(self, events: list[ChangeEvent]) -> None:
        """For writers outside the loop."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.publish, events)
