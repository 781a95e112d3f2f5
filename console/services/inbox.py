"""The lead's escalation inbox: alerts escalated or forwarded to him, kept live; claim or hand
back, each a version-aware update that never overwrites a colleague's change."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from console.domain.alerts import Principal
from console.domain.model import Patient
from console.fhir.alerts import alert_from_fhir, claim_task
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed
from console.fhir.inbox import (
    InboxStore,
    escalated_tasks,
    hand_back_task,
    inbox_kind,
    is_escalation,
)
from console.fhir.mapping import reference_id
from console.state.alert_queue import claimed_text
from console.state.inbox import InboxItem, InboxModel
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

Builder = Callable[[Mapping[str, Any]], dict[str, Any] | None]


def _version(resource: Mapping[str, Any]) -> int:
    try:
        return int((resource.get("meta") or {}).get("versionId") or 0)
    except (TypeError, ValueError):
        return 0


class InboxService(QObject):
    failed = Signal(str)
    conflict = Signal(str)
    done = Signal(str, str)  # action, task id

    def __init__(
        self,
        client: FhirClient,
        principal: Principal,
        model: InboxModel,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = InboxStore(client)
        self.principal = principal
        self.model = model
        model.me = principal.practitioner_id
        self._now = now
        self._tasks: dict[str, dict[str, Any]] = {}
        self._patients: dict[str, Patient] = {}
        #: Task id → the unacknowledged escalation messages about it.
        self._escalations: dict[str, list[dict[str, Any]]] = {}
        self._keeper = TaskKeeper(lambda exc: self.failed.emit(str(exc)))
        self.loaded = False

    @property
    def me(self) -> str:
        return self.principal.practitioner_id

    def run(self, coro: Coroutine[Any, Any, Any], name: str) -> None:
        self._keeper.spawn(coro, name)

    async def stop(self) -> None:
        await self._keeper.cancel_all(grace=0.5)

    async def load(self) -> None:
        escalations = await self.store.escalations(self.me, self._now())
        tasks, patients = await self.store.open_tasks()
        self._patients.update(patients)
        self._escalations = {}
        for message in escalations:
            self._note_escalation(message)
        self._tasks = {str(t["id"]): t for t in tasks if isinstance(t.get("id"), str)}
        missing = [tid for tid in self._escalations if tid not in self._tasks]
        if missing:
            more, patients = await self.store.tasks(missing)
            self._patients.update(patients)
            self._tasks.update({str(t["id"]): t for t in more})
        self.loaded = True
        self._publish()

    def _note_escalation(self, message: Mapping[str, Any]) -> None:
        if message.get("received"):
            return
        for tid in escalated_tasks(message):
            kept = [m for m in self._escalations.get(tid, []) if m.get("id") != message.get("id")]
            self._escalations[tid] = [*kept, dict(message)]

    def receive(self, resources: Iterable[Mapping[str, Any]]) -> None:
        """Live Tasks and Communications from the feed."""
        changed = False
        unknown: list[str] = []
        for resource in resources:
            kind = resource.get("resourceType")
            if kind == "Task" and isinstance(resource.get("id"), str):
                tid = resource["id"]
                current = self._tasks.get(tid)
                if current is None or _version(resource) >= _version(current):
                    self._tasks[tid] = dict(resource)
                    changed = True
            elif kind == "Communication" and is_escalation(resource, self.me):
                if resource.get("received"):  # handed back (here or in another console)
                    for tid in escalated_tasks(resource):
                        self._escalations.pop(tid, None)
                self._note_escalation(resource)
                unknown += [t for t in escalated_tasks(resource) if t not in self._tasks]
                changed = True
        if unknown:
            self.run(self._fetch(unknown), "inbox-tasks")
        if changed and self.loaded:
            self._publish()

    async def _fetch(self, ids: list[str]) -> None:
        tasks, patients = await self.store.tasks(ids)
        self._patients.update(patients)
        for task in tasks:
            self._tasks[str(task["id"])] = task
        self._publish()

    def _why(self, task: Mapping[str, Any], kind: str) -> str:
        """Why it came: the Task's latest escalation or forwarding note without its "Escalated
        to X:" head ("ikke tatt innen 5 min.", the colleague's words), else the message text."""
        notes = [n for n in task.get("note") or () if isinstance(n, dict) and n.get("text")]
        for note in reversed(notes):
            text = str(note["text"])
            if text.startswith(("Eskalert", "Videresendt")):
                head, _, rest = text.partition(": ")
                return rest or head
        for message in reversed(self._escalations.get(str(task.get("id")), [])):
            for payload in message.get("payload") or ():
                if isinstance(payload, dict) and isinstance(payload.get("contentString"), str):
                    return str(payload["contentString"])
        return ""

    def _publish(self) -> None:
        items = []
        for task in self._tasks.values():
            kind = inbox_kind(task, self.me, self._escalations)
            if kind is None:
                continue
            try:
                alert = alert_from_fhir(task, self._patients)
            except FhirMalformed:
                continue
            if alert is not None:
                items.append(InboxItem(alert, kind, self._why(task, kind)))
        self.model.set_items(items)

    # ----- actions ---------------------------------------------------------------------------

    def claim(self, task_id: str) -> None:
        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            owner = reference_id(task.get("owner"), "Practitioner")
            if task.get("status") not in ("requested", "in-progress", "on-hold"):
                return None
            if owner not in (None, self.me):
                return None
            if owner == self.me and task.get("status") == "in-progress":
                return {}
            return claim_task(task, self.principal, self._now())

        self.run(self._update(task_id, build, "claim"), "inbox-claim")

    def hand_back(self, task_id: str) -> None:
        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            owner = reference_id(task.get("owner"), "Practitioner")
            if owner not in (None, self.me):
                return {}  # someone else has it: nothing of ours to release
            return hand_back_task(task, self.principal, self._now())

        async def run() -> None:
            if await self._update(task_id, build, "hand-back", emit=False):
                for message in self._escalations.pop(task_id, []):
                    try:
                        await self.store.acknowledge(message, self._now())
                    except FhirHttpError as exc:
                        if not exc.is_conflict:
                            raise
                self._publish()
                self.done.emit("hand-back", task_id)

        self.run(run(), "inbox-hand-back")

    async def _update(
        self, task_id: str, build: Builder, action: str, *, emit: bool = True
    ) -> bool:
        task = self._tasks.get(task_id)
        for _ in range(3):
            if task is None:
                task = await self.store.alerts.read(task_id)
            updated = build(task)
            if updated is None:
                self._conflict(task)
                return False
            if not updated:
                return True
            try:
                stored = await self.store.alerts.update(updated)
            except FhirHttpError as exc:
                if not exc.is_conflict:
                    raise
                task = None
                continue
            except FhirError:
                raise
            self._tasks[task_id] = stored
            self._publish()
            if emit:
                self.done.emit(action, task_id)
            return True
        self.failed.emit(
            QCoreApplication.translate("AlertService", "The alert keeps changing; try again.")
        )
        return False

    def _conflict(self, task: Mapping[str, Any]) -> None:
        self._tasks[str(task.get("id"))] = dict(task)
        self._publish()
        try:
            alert = alert_from_fhir(task, self._patients)
        except FhirMalformed:
            alert = None
        if alert is not None and alert.owner_id and alert.owner_id != self.me:
            self.conflict.emit(claimed_text(alert.owner_name, alert.claimed_at))
        else:
            self.conflict.emit(
                QCoreApplication.translate(
                    "AlertService", "Someone else changed this alert; the queue shows the latest."
                )
            )


__all__ = ["InboxService"]
