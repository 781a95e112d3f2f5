"""Messaging with patients, relatives and colleague services (no widgets, no HTTP here).

`MessagingService` loads a patient's two threads, keeps them and the unread counts current from
live changes (batched on a clock, like `CentreService`), marks threads read with version-aware
updates, sends through the retry-safe `Outbox`, and keeps the departments' quick replies.

Wiring for the lead: feed live `Communication` resources into `receive()`; connect
`unread_changed(patient_id, count)` to the patient list and `total_unread_changed(int)` to the
window title / tray; call `load_unread()` once after the first load; `aclose()` on quit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from console.domain.messages import (
    Category,
    Message,
    MessagingUser,
    OutgoingMessage,
    Party,
    QuickReply,
    ThreadKind,
    count_unread,
    is_older,
    is_unread,
    merge,
    new_message_key,
)
from console.domain.training import marked_message
from console.fhir.errors import FhirError, FhirMalformed
from console.fhir.messages import (
    MessageStore,
    is_marked_read,
    message_from_fhir,
    message_resource,
    parties_by_reference,
    party_from_fhir,
    template_from_fhir,
    template_resource,
    with_read_marker,
)
from console.services.outbox import Outbox

log = logging.getLogger(__name__)


def default_quick_replies() -> list[QuickReply]:
    """Offered until a superuser stores the department's own list on the server."""
    return [
        QuickReply(
            QCoreApplication.translate(
                "MessagingService", "Thank you for the measurement, we will call you today."
            )
        ),
        QuickReply(
            QCoreApplication.translate("MessagingService", "Thank you, everything looks fine.")
        ),
        QuickReply(
            QCoreApplication.translate("MessagingService", "Please measure again in 15 minutes.")
        ),
        QuickReply(
            QCoreApplication.translate(
                "MessagingService", "We have received your message and will get back to you."
            )
        ),
    ]


class MarkReadError(FhirError):
    """Some messages could not be marked as read; `failures` says how many."""

    def __init__(self, failures: int, first: FhirError) -> None:
        super().__init__(f"{failures} message(s) could not be marked as read: {first}")
        self.failures = failures
        self.first = first


class MessagingService(QObject):
    """Threads, unread counts, read markers, sending and quick replies for one signed-in user."""

    #: (patient id, unread count) whenever a patient's count changes.
    unread_changed = Signal(str, int)
    #: Total unread over all patients (window title "(3) DHO responssenter", tray).
    total_unread_changed = Signal(int)
    #: (patient id, ThreadKind value) when a thread's messages changed.
    thread_changed = Signal(str, str)
    #: An OutgoingMessage changed delivery state (sending / sent / failed).
    outgoing_changed = Signal(object)
    #: A sentence for the user when something failed that was not asked for directly.
    failed = Signal(str)

    def __init__(
        self,
        store: MessageStore,
        me: MessagingUser,
        *,
        outbox: Outbox | None = None,
        batch_interval_ms: int = 100,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.me = me
        self._now = now
        self.outbox = outbox or Outbox(store, parent=self)
        self.outbox.changed.connect(self._outgoing_changed)
        self.outbox.delivered.connect(self._delivered)
        #: Every message we know of, by id (threads and unread counting share it).
        self._messages: dict[str, Message] = {}
        #: The raw Communication per id (the base of a version-aware read-marker update).
        self._raw: dict[str, dict[str, Any]] = {}
        self._parties: dict[str, Party] = {}
        self._relatives: dict[str, list[Party]] = {}
        self._loaded: set[tuple[str, ThreadKind]] = set()
        self._counts: dict[str, int] = {}
        self._total = 0
        self._pending: list[dict[str, Any]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(batch_interval_ms)
        self._timer.timeout.connect(self.flush)

    # ----- queries -------------------------------------------------------------------------

    def messages(self, patient_id: str, thread: ThreadKind) -> list[Message]:
        """The thread in `sent` order (only messages of that thread, never the other)."""
        return merge(
            (),
            (
                m
                for m in self._messages.values()
                if m.patient_id == patient_id and m.thread is thread
            ),
        )

    def outgoing(self, patient_id: str, thread: ThreadKind) -> list[OutgoingMessage]:
        """Composed messages not shown as stored yet (sending, or failed and kept)."""
        stored_keys = {m.key for m in self._messages.values() if m.key}
        return [m for m in self.outbox.items(patient_id, thread) if m.key not in stored_keys]

    def relatives(self, patient_id: str) -> list[Party]:
        return list(self._relatives.get(patient_id, ()))

    def unread(self, patient_id: str) -> int:
        return self._counts.get(patient_id, 0)

    @property
    def total_unread(self) -> int:
        return self._total

    def is_loaded(self, patient_id: str, thread: ThreadKind) -> bool:
        return (patient_id, thread) in self._loaded

    # ----- loading ---------------------------------------------------------------------------

    async def load_unread(
        self, patient_ids: Sequence[str] | None = None, *, days: int = 30
    ) -> dict[str, int]:
        """Unread counts from the messages of the last `days` (once, after the first load)."""
        resources = await self.store.recent(self._now() - timedelta(days=days), patient_ids)
        self._apply(resources)
        return dict(self._counts)

    async def load_thread(self, patient_id: str, thread: ThreadKind) -> list[Message]:
        """All pages of one thread (`_sort=sent`), senders included; relatives for the
        patient thread."""
        matches, included = await self.store.thread(patient_id, thread)
        self._parties.update(parties_by_reference(included))
        if thread is ThreadKind.PATIENT:
            relatives = [
                p
                for p in (party_from_fhir(r) for r in await self.store.related_persons(patient_id))
                if p is not None
            ]
            self._relatives[patient_id] = relatives
            self._parties.update({p.reference: p for p in relatives})
        self._loaded.add((patient_id, thread))
        self._apply(matches, force_threads={(patient_id, thread)})
        return self.messages(patient_id, thread)

    # ----- live ------------------------------------------------------------------------------

    def receive(self, resources: list[dict[str, Any]]) -> None:
        """Queue changed resources (Communications; others are ignored) for the next tick."""
        self._pending.extend(r for r in resources if r.get("resourceType") == "Communication")
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self._apply(pending)

    def _apply(
        self,
        resources: Iterable[dict[str, Any]],
        force_threads: set[tuple[str, ThreadKind]] | None = None,
    ) -> None:
        touched: set[tuple[str, ThreadKind]] = set(force_threads or ())
        patients: set[str] = {p for p, _ in touched}
        for resource in resources:
            try:
                message = message_from_fhir(resource, self._parties)
            except FhirMalformed as exc:
                log.warning("skipped a malformed Communication: %s", exc)
                continue
            if message is None:
                old = self._messages.pop(str(resource.get("id")), None)
                if old is not None:  # e.g. entered-in-error now: drop it from its thread
                    self._raw.pop(old.id, None)
                    touched.add((old.patient_id, old.thread))
                    patients.add(old.patient_id)
                continue
            current = self._messages.get(message.id)
            if current is not None and is_older(message, current):
                continue  # an older version arriving late
            self._messages[message.id] = message
            self._raw[message.id] = resource
            touched.add((message.patient_id, message.thread))
            patients.add(message.patient_id)
        self._recount(patients)
        for patient_id, thread in sorted(touched):
            self.thread_changed.emit(patient_id, thread.value)

    def _recount(self, patients: Iterable[str]) -> None:
        reader = self.me.reader
        for patient_id in patients:
            count = count_unread(
                (m for m in self._messages.values() if m.patient_id == patient_id), reader
            )
            if count != self._counts.get(patient_id, 0):
                if count:
                    self._counts[patient_id] = count
                else:
                    self._counts.pop(patient_id, None)
                self.unread_changed.emit(patient_id, count)
        total = sum(self._counts.values())
        if total != self._total:
            self._total = total
            self.total_unread_changed.emit(total)

    # ----- read markers ------------------------------------------------------------------------

    async def mark_read(self, patient_id: str, thread: ThreadKind) -> int:
        """Mark every unread message of the thread as read by this service.

        Each is a version-aware update; a 412 (someone changed it first) re-reads and retries
        once. Every failure is counted and raised as `MarkReadError` after the others were
        tried, so the caller can show it.
        """
        reader = self.me.reader
        when = self._now()
        unread = [m for m in self.messages(patient_id, thread) if is_unread(m, reader)]
        done: list[dict[str, Any]] = []
        failures: list[FhirError] = []

        def change(resource: Any) -> dict[str, Any] | None:
            if is_marked_read(resource, reader):
                return None
            return with_read_marker(resource, reader, when)

        for message in unread:
            raw = self._raw.get(message.id)
            if raw is None:
                continue
            try:
                done.append(await self.store.update_with_retry(raw, change))
            except FhirError as exc:
                log.warning("could not mark Communication/%s as read: %s", message.id, exc)
                failures.append(exc)
        if done:
            self._apply(done)
        if failures:
            raise MarkReadError(len(failures), failures[0])
        return len(done)

    # ----- sending -------------------------------------------------------------------------------

    def send(
        self,
        patient_id: str,
        thread: ThreadKind,
        text: str,
        *,
        recipients: Sequence[Party] = (),
        in_response_to: str | None = None,
        category: Category | None = None,
    ) -> OutgoingMessage:
        """Compose a message (its idempotency key is fixed now) and hand it to the outbox.

        Patient thread: to the patient plus `recipients` (relatives); colleague thread: to
        `recipients` (services). Returns at once; the outbox reports the delivery state.
        """
        text = text.strip()
        if not text:
            raise ValueError("an empty message cannot be sent")
        if thread is ThreadKind.PATIENT:
            text = marked_message(text)  # from a training server: "[TRENING / TRAINING] ..."
        key = new_message_key()
        composed = self._now()
        resource = message_resource(
            patient_id=patient_id,
            thread=thread,
            text=text,
            me=self.me,
            key=key,
            sent=composed,
            recipients=recipients,
            in_response_to=in_response_to,
            category=category,
        )
        outgoing = OutgoingMessage(key, patient_id, thread, text, composed, resource)
        return self.outbox.submit(outgoing)

    def retry(self, key: str, text: str | None = None) -> OutgoingMessage | None:
        message = self.outbox.get(key)
        if text is not None and message is not None and message.thread is ThreadKind.PATIENT:
            text = marked_message(text.strip())
        return self.outbox.retry(key, text)

    def _outgoing_changed(self, message: OutgoingMessage) -> None:
        self.outgoing_changed.emit(message)
        self.thread_changed.emit(message.patient_id, message.thread.value)

    def _delivered(self, message: OutgoingMessage, stored: dict[str, Any]) -> None:
        self._apply([stored])
        self.outbox.forget_sent(message.key)
        self.thread_changed.emit(message.patient_id, message.thread.value)

    def pending_count(self) -> int:
        return self.outbox.pending_count()

    async def aclose(self) -> None:
        self._timer.stop()
        await self.outbox.aclose()

    # ----- quick replies -------------------------------------------------------------------------

    async def patient_department(self, patient_id: str) -> str | None:
        return await self.store.patient_department(patient_id)

    async def quick_replies(self, department_id: str | None) -> tuple[list[QuickReply], bool]:
        """The department's templates from the server, or the built-in defaults.

        Returns (templates, from_server)."""
        if department_id:
            found = [
                t
                for t in (template_from_fhir(r) for r in await self.store.templates(department_id))
                if t is not None
            ]
            if found:
                return sorted(found, key=lambda t: t.text.casefold()), True
        return default_quick_replies(), False

    async def save_quick_replies(
        self, department_id: str, current: Sequence[QuickReply], texts: Sequence[str]
    ) -> list[QuickReply]:
        """Make the department's stored templates equal `texts` (superusers only; the caller
        checks): new texts are created, removed ones set to `stopped` (version-aware)."""
        wanted = [t.strip() for t in texts if t.strip()]
        stored = [t for t in current if t.id]
        keep = {t.text for t in stored if t.text in wanted}
        for template in stored:
            if template.text in wanted:
                continue
            raw = await self.store.read("Communication", template.id)

            def stop(resource: Any) -> dict[str, Any] | None:
                if resource.get("status") != "preparation":
                    return None
                return {**resource, "status": "stopped"}

            await self.store.update_with_retry(raw, stop)
        for text in dict.fromkeys(wanted):
            if text not in keep:
                await self.store.create(template_resource(department_id, text, self.me))
        replies, _ = await self.quick_replies(department_id)
        return replies
