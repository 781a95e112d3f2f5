"""Retry-safe sending: every composed message is delivered exactly once, or says it was not.

Each message gets its idempotency key when it is composed (`OutgoingMessage.key`); every
attempt is a conditional create with `If-None-Exist: identifier=<message-key system>|<key>`, so a
retry after a dropped connection or a lost answer can never store a second copy. While the
server cannot be reached the message stays "sending" and is retried with backoff; a refusal
(4xx) or `give_up_after` seconds without success turn it "not sent", keeping the text so the
user can send it again (with the same key).

The outbox lives in memory only: no patient data is written to disk. `pending_count()` lets the
window warn before it closes with unsent messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.domain.messages import Delivery, OutgoingMessage, ThreadKind
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed, FhirUnavailable

log = logging.getLogger(__name__)

#: Server answers worth trying again: the request may not have been handled at all.
#: 409: a serialization conflict (Medplum answers it to concurrent conditional creates); the
#: create is conditional, so sending it again cannot make a second message.
RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class Creator(Protocol):
    """What the outbox needs of the server (`console.fhir.messages.MessageStore`)."""

    async def create_once(self, resource: Mapping[str, Any], key: str) -> dict[str, Any]: ...


def _retryable(exc: FhirError) -> bool:
    if isinstance(exc, FhirUnavailable):
        return True
    return isinstance(exc, FhirHttpError) and exc.status in RETRY_STATUS


class Outbox(QObject):
    """Messages on their way to the server, in the order they were composed."""

    #: An `OutgoingMessage` changed state (sending → sent / failed, or another attempt).
    changed = Signal(object)
    #: (OutgoingMessage, stored Communication dict) once the server has it.
    delivered = Signal(object, object)
    #: Number of unsent messages (sending or failed) changed.
    pending_changed = Signal(int)

    def __init__(
        self,
        store: Creator,
        *,
        backoff_initial: float = 0.5,
        backoff_max: float = 15.0,
        give_up_after: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._give_up_after = give_up_after
        self._clock = clock
        self._items: dict[str, OutgoingMessage] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._closed = False

    # ----- queries ---------------------------------------------------------------------------

    def items(
        self, patient_id: str | None = None, thread: ThreadKind | None = None
    ) -> list[OutgoingMessage]:
        return [
            m
            for m in self._items.values()
            if (patient_id is None or m.patient_id == patient_id)
            and (thread is None or m.thread is thread)
        ]

    def get(self, key: str) -> OutgoingMessage | None:
        return self._items.get(key)

    def pending_count(self) -> int:
        """Messages not (yet) on the server: still sending, or failed and kept for resending."""
        return sum(1 for m in self._items.values() if m.state is not Delivery.SENT)

    # ----- commands --------------------------------------------------------------------------

    def submit(self, message: OutgoingMessage) -> OutgoingMessage:
        """Start delivering `message` (its `resource` carries the identifier with its key)."""
        if self._closed:
            raise RuntimeError("the outbox is closed")
        existing = self._items.get(message.key)
        if existing is not None and existing.state is not Delivery.FAILED:
            return existing  # a double click on "send": the same key is already on its way
        self._items[message.key] = message
        message.state = Delivery.SENDING
        message.error = ""
        self._start(message)
        self.changed.emit(message)
        self.pending_changed.emit(self.pending_count())
        return message

    def retry(self, key: str, text: str | None = None) -> OutgoingMessage | None:
        """Send a failed message again, with the same key (and, if given, corrected text)."""
        message = self._items.get(key)
        if message is None or message.state is not Delivery.FAILED:
            return None
        if text is not None and text != message.text:
            message.text = text
            payload = message.resource.get("payload")
            if isinstance(payload, list):
                message.resource["payload"] = [{"contentString": text}]
        return self.submit(message)

    def discard(self, key: str) -> None:
        """Forget a failed message (the user chose not to send it)."""
        message = self._items.get(key)
        if message is None or message.state is Delivery.SENDING:
            return
        del self._items[key]
        self.pending_changed.emit(self.pending_count())

    def forget_sent(self, key: str) -> None:
        """Drop a delivered message once the thread shows the stored copy."""
        message = self._items.get(key)
        if message is not None and message.state is Delivery.SENT:
            del self._items[key]

    def nudge(self) -> None:
        """The connection is back (e.g. the live feed is live again): try now, not after the
        backoff."""
        self._wake.set()

    async def aclose(self) -> None:
        """Stop trying (on quit); unsent messages stay failed in memory and are lost after."""
        self._closed = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()

    # ----- delivery ----------------------------------------------------------------------------

    def _start(self, message: OutgoingMessage) -> None:
        task = asyncio.get_running_loop().create_task(
            self._deliver(message), name=f"outbox-{message.key[:6]}"
        )
        self._tasks[message.key] = task

        def done(t: asyncio.Task[None], key: str = message.key) -> None:
            if self._tasks.get(key) is t:
                del self._tasks[key]
            if not t.cancelled() and t.exception() is not None:
                log.error("outbox delivery crashed", exc_info=t.exception())

        task.add_done_callback(done)

    async def _deliver(self, message: OutgoingMessage) -> None:
        started = self._clock()
        delay = self._backoff_initial
        while True:
            message.attempts += 1
            try:
                stored = await self._store.create_once(message.resource, message.key)
            except FhirError as exc:
                message.error = str(exc)
                gave_up = self._clock() - started >= self._give_up_after
                if not _retryable(exc) or isinstance(exc, FhirMalformed) or gave_up:
                    log.warning("message not sent after %d attempt(s): %s", message.attempts, exc)
                    self._finish(message, Delivery.FAILED)
                    return
                log.info("message not delivered yet (%s); retrying in %.1f s", exc, delay)
                self.changed.emit(message)
                await self._sleep(
                    min(delay, max(0.0, self._give_up_after - (self._clock() - started)))
                )
                delay = min(delay * 2, self._backoff_max)
                continue
            message.stored_id = str(stored.get("id", ""))
            self._finish(message, Delivery.SENT)
            self.delivered.emit(message, stored)
            return

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    def _finish(self, message: OutgoingMessage, state: Delivery) -> None:
        message.state = state
        if state is Delivery.SENT:
            message.error = ""
        self.changed.emit(message)
        self.pending_changed.emit(self.pending_count())


def unsent_warning(count: int) -> str:
    """For the close dialog: messages only live in memory and are lost when the console quits."""
    return QCoreApplication.translate(
        "Outbox",
        "Messages not sent: %1. They are kept only in this window's memory and will be lost "
        "if you close the console.",
    ).replace("%1", str(count))
