"""Alert use cases: the queue's first load and live updates, and every action on an alert.

Each action is a version-aware update of the alert's Task. When a colleague changed it first
(412), the service refetches, checks whether the action still makes sense on the newest
version (claiming an alert somebody else holds does not), and otherwise reports who has it —
"Claimed by Kari Nordmann at 10:42" — without overwriting anything. Resolving writes the Task,
a DetectedIssue and a draft journal note (Composition) with conditional creates, so a retry never
duplicates them. A clock refreshes ages, ends snoozes and, only when the server does not
announce that it escalates (CapabilityStatement ``server-escalation``), escalates unclaimed
high alerts itself. The service hours (HealthcareService) of the watched centre give the
"since we closed" list.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from console.domain.alerts import (
    DEFAULT_ESCALATION_AFTER,
    RULE_KINDS,
    Alert,
    AlertRule,
    AlertStatus,
    Outcome,
    PatientAlerts,
    Principal,
    SuspectReason,
    escalation_due,
    journal_note,
    record_language,
    suspect_value,
)
from console.domain.hours import DEFAULT_HOURS, ServiceHours, hours_from_fhir
from console.domain.messages import MessagingUser
from console.domain.model import Organization, OrganizationKind, Patient
from console.domain.patient_texts import Purpose
from console.fhir.alerts import (
    AlertStore,
    alert_from_fhir,
    claim_task,
    comment_task,
    composition,
    detected_issue,
    escalate_task,
    forward_task,
    idempotency_key,
    patients_by_id,
    remeasure_request,
    resolve_task,
    snooze_task,
    unclaim_task,
    wake_task,
)
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError, FhirHttpError, FhirMalformed
from console.fhir.mapping import LOINC_KINDS, measurement_from_fhir, parse_datetime, reference_id
from console.i18n import current_language
from console.services.patient_texts import PatientTexts
from console.state.alert_queue import AlertQueueModel, claimed_text, clock_text
from console.state.formatting import centre_zone
from console.tasks import TaskKeeper

log = logging.getLogger(__name__)

#: Task builder: given the newest Task, the updated Task, or None if the action no longer applies.
Builder = Callable[[Mapping[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class ResolveResult:
    patient_id: str
    patient_name: str
    outcome: Outcome
    note: str
    task_ids: tuple[str, ...]
    detected_issue_id: str = ""
    composition_id: str = ""
    #: Set when the Task was closed but the record resources could not be written yet.
    pending: bool = False


@dataclass(slots=True)
class _Unwritten:
    """Record resources still to write after a resolve (retried with the same keys)."""

    card: PatientAlerts
    outcome: Outcome
    comment: str
    note: str
    when: datetime
    task_ids: tuple[str, ...] = field(default_factory=tuple)


class AlertService(QObject):
    """Owns the queue's data flow; the view calls the `request_*` slots and shows the signals."""

    loaded = Signal(int)  # number of open alerts
    #: patient id, what happened instead ("Claimed by Kari Nordmann at 10:42").
    conflict = Signal(str, str)
    failed = Signal(str)
    #: action name ("claim", "unclaim", "comment", "snooze", "forward", "remeasure"), patient id
    done = Signal(str, str)
    resolved = Signal(object)  # ResolveResult
    escalated = Signal(str)  # patient id

    def __init__(
        self,
        client: FhirClient,
        model: AlertQueueModel,
        principal: Principal,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        escalate_after: timedelta = DEFAULT_ESCALATION_AFTER,
        lead: tuple[str, str] | None = None,
        # The live feed already delivers in batches (its 50 ms window); a second wait here
        # would only delay alerts, so by default a batch is applied on the next loop turn.
        batch_interval_ms: int = 0,
        tick_ms: int = 1000,
        texts: PatientTexts | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = AlertStore(client)
        #: Messages to patients in their language (the department's templates or defaults).
        self.texts = texts
        self._model = model
        self.principal = principal
        self._now = now
        self.escalate_after = escalate_after
        model.escalate_after = escalate_after
        #: (practitioner id, name) of the department lead escalations go to.
        self.lead = lead
        #: The department a patient is enrolled in (the centre's EpisodeOfCare), for Tasks that
        #: do not say where they are routed; the workbench sets it.
        self.department_of: Callable[[str], str | None] = lambda _patient_id: None
        self._departments: frozenset[str] | None = None
        self._raw: dict[str, dict[str, Any]] = {}
        self._patients: dict[str, Patient] = {}
        self._pending: list[dict[str, Any]] = []
        self._loaded = False
        self._tasks = TaskKeeper(self._task_failed)
        self._escalating: set[str] = set()
        self._waking: set[str] = set()
        self._fetching_patients: set[str] = set()
        self._unwritten: dict[str, _Unwritten] = {}
        #: The server escalates (announced): no escalation from this console.
        self.server_escalation = False
        self._services: list[dict[str, Any]] = []
        self._organizations: list[Organization] = []
        #: Service hours of the watched centre (default Monday-Friday 08:00-15:30).
        self.hours: ServiceHours = DEFAULT_HOURS
        #: Escalation messages to the lead not yet accepted by the server: alert id →
        #: (alert, minutes, when to try again, attempts). Retried on the clock until sent.
        self._unsent_escalations: dict[str, tuple[Alert, int, datetime, int]] = {}
        #: (patient id, versions of the card's alerts) -> whether its value looks like an error.
        self._suspects: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._checking: set[tuple[str, tuple[str, ...]]] = set()
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(batch_interval_ms)
        self._batch.timeout.connect(self.flush)
        self._clock = QTimer(self)
        self._clock.setInterval(tick_ms)
        self._clock.timeout.connect(self.tick)

    # ----- load and live ---------------------------------------------------------------------

    def set_organizations(self, organizations: Sequence[Organization]) -> None:
        self._organizations = list(organizations)

    async def _load_hours(self) -> None:
        try:
            caps = await self._store.capabilities()
            after = caps.escalation_after()
            self._services = await self._store.healthcare_services()
        except FhirError as exc:  # the default hours and console escalation still work
            log.warning("could not read service hours: %s", exc)
            return
        if after is not None:
            self.server_escalation = True
            self.escalate_after = timedelta(seconds=after)
            self._model.escalate_after = self.escalate_after
        self._model.local_escalation = not self.server_escalation
        self._pick_hours()

    def _pick_hours(self) -> None:
        """The hours of the centre(s) watching exactly what is selected (the smallest one)."""
        wanted = set(self._departments or ())
        centres = [
            o
            for o in self._organizations
            if o.kind is OrganizationKind.RESPONSE_CENTRE and wanted <= set(o.watches)
        ]
        if centres and wanted:
            smallest = min(len(c.watches) for c in centres)
            ids = {c.id for c in centres if len(c.watches) == smallest}
        else:
            ids = {o.id for o in self._organizations if o.kind is OrganizationKind.RESPONSE_CENTRE}
        chosen = [
            hs for hs in self._services if reference_id(hs.get("providedBy"), "Organization") in ids
        ]
        self.hours = hours_from_fhir(chosen or self._services)

    async def load(self, departments: Sequence[str] | None = None) -> int:
        """Open alerts of the watched departments (None: all the server lets us see)."""
        self._departments = None if departments is None else frozenset(departments)
        if not self._services:
            await self._load_hours()
        else:
            self._pick_hours()
        tasks, patients = await self._store.open_tasks(departments)
        self._patients.update(patients)
        self._raw = {}
        alerts = [a for a in self._map(tasks) if self._watched(a)]
        self._model.reset(alerts)
        self._loaded = True
        if not self._clock.isActive():
            self._clock.start()
        if self._pending and not self._batch.isActive():
            self._batch.start()
        self._fetch_missing_names(alerts)
        self.loaded.emit(len(alerts))
        return len(alerts)

    def set_departments(self, departments: Sequence[str] | None) -> None:
        """Watch other departments: reload (the live feed keeps delivering every Task)."""
        self.run(self.load(departments), "alerts-load")

    def receive(self, resources: list[dict[str, Any]]) -> None:
        """Live changes (any types; Tasks and Patients are used), applied on the next tick."""
        self._pending.extend(r for r in resources if r.get("resourceType") in ("Task", "Patient"))
        if self._loaded and self._pending and not self._batch.isActive():
            self._batch.start()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        self._patients.update(patients_by_id(pending))
        self._accept([r for r in pending if r.get("resourceType") == "Task"])

    @property
    def pending_escalations(self) -> int:
        """Escalation messages still waiting for the server (shown, never dropped)."""
        return len(self._unsent_escalations)

    def tick(self) -> None:
        """The clock: ages and escalation marks move, escalations are recorded, snoozes end."""
        now = self._now()
        self._model.refresh()
        for alert_id, (alert, minutes, due, attempts) in list(self._unsent_escalations.items()):
            if due <= now and alert_id not in self._escalating:
                self._escalating.add(alert_id)
                self.run(self._send_escalation(alert, minutes, attempts), "alert-escalate-retry")
        for alert in self._model.alerts():
            if (
                not self.server_escalation
                and alert.escalated_at is None
                and alert.id not in self._escalating
                and escalation_due(alert, now, self.escalate_after)
            ):
                self._escalating.add(alert.id)
                self.escalated.emit(alert.patient_id)
                self.run(self._escalate(alert.id), "alert-escalate")
            if (
                alert.status is AlertStatus.SNOOZED
                and alert.snoozed_until is not None
                and alert.snoozed_until <= now
                and alert.id not in self._waking
            ):
                self._waking.add(alert.id)
                self.run(self._wake(alert.id), "alert-wake")

    async def leads(self) -> list[tuple[str, str, str]]:
        """Department leads (id, name, organization): forward targets and escalation contact."""
        return await self._store.leads()

    async def stop(self) -> None:
        self._batch.stop()
        self._clock.stop()
        # Requests in flight (a claim, a background check) may finish first: cancelling one
        # mid-request can leave the stop waiting under qasync (see console.tasks).
        await self._tasks.cancel_all()

    # ----- running actions from the UI --------------------------------------------------------

    def run(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Start a task we keep; a failure becomes `failed` (a sentence), never a lost error."""
        return self._tasks.spawn(coro, name)

    def _task_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FhirError):
            log.warning("an alert action failed: %s", exc)
            self.failed.emit(
                QCoreApplication.translate(
                    "AlertService", "The server did not accept the change: %1"
                ).replace("%1", str(exc))
            )
        else:  # the keeper has logged it with its traceback
            self.failed.emit(
                QCoreApplication.translate("AlertService", "Something went wrong: %1").replace(
                    "%1", str(exc)
                )
            )

    def request_claim(self, patient_id: str) -> None:
        self.run(self.claim(patient_id), "alert-claim")

    def request_unclaim(self, patient_id: str) -> None:
        self.run(self.unclaim(patient_id), "alert-unclaim")

    def request_comment(self, patient_id: str, text: str) -> None:
        self.run(self.comment(patient_id, text), "alert-comment")

    def request_snooze(self, patient_id: str, until: datetime, reason: str) -> None:
        self.run(self.snooze(patient_id, until, reason), "alert-snooze")

    def request_forward(
        self,
        patient_id: str,
        department: tuple[str, str] | None,
        person: tuple[str, str] | None,
        note: str,
    ) -> None:
        self.run(self.forward(patient_id, department, person, note), "alert-forward")

    def request_resolve(self, patient_id: str, outcome: Outcome, comment: str) -> None:
        self.run(self.resolve(patient_id, outcome, comment), "alert-resolve")

    def request_remeasure(self, patient_id: str) -> None:
        self.run(self.request_new_measurement(patient_id), "alert-remeasure")

    # ----- actions --------------------------------------------------------------------------------

    async def claim(self, patient_id: str) -> bool:
        """Take every open alert of the patient; a colleague's claim wins and is shown."""

        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            if not self._free_or_mine(task):
                return None
            if task.get("status") == "in-progress" and self._owner(task) == self._me:
                return {}  # already mine: nothing to write
            return claim_task(task, self.principal, self._now())

        return await self._act(patient_id, "claim", build)

    async def unclaim(self, patient_id: str) -> bool:
        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            if self._owner(task) != self._me:
                return None if self._owner(task) else {}
            return unclaim_task(task, self._now())

        return await self._act(patient_id, "unclaim", build)

    async def comment(self, patient_id: str, text: str) -> bool:
        """A note on the patient's worst open alert (comments never conflict: they append)."""
        text = text.strip()
        if not text:
            return False
        return await self._act(
            patient_id,
            "comment",
            lambda task: comment_task(task, self.principal, text, self._now()),
            only_first=True,
        )

    async def snooze(self, patient_id: str, until: datetime, reason: str) -> bool:
        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            if not self._free_or_mine(task):
                return None
            return snooze_task(task, self.principal, until, reason.strip(), self._now())

        return await self._act(patient_id, "snooze", build)

    async def forward(
        self,
        patient_id: str,
        department: tuple[str, str] | None,
        person: tuple[str, str] | None,
        note: str = "",
    ) -> bool:
        if department is None and person is None:
            return False

        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            if not self._free_or_mine(task):
                return None
            return forward_task(
                task,
                self.principal,
                self._now(),
                department=department,
                person=person,
                note=note.strip(),
            )

        return await self._act(patient_id, "forward", build)

    def draft_note(self, patient_id: str, outcome: Outcome, comment: str) -> str:
        """The journal note a resolve would write (for the dialog's preview)."""
        card = self._model.card_for(patient_id)
        if card is None:
            return ""
        return journal_note(
            card,
            outcome=outcome,
            comment=comment,
            author=self.principal.display_name,
            when=self._now(),
            tz=centre_zone(),
            language=record_language(current_language()),
        )

    async def resolve(
        self, patient_id: str, outcome: Outcome, comment: str
    ) -> ResolveResult | None:
        """Close every open alert of the patient, then write the DetectedIssue and note."""
        card = self._model.card_for(patient_id)
        if card is None:
            return None
        now = self._now()
        note = journal_note(
            card,
            outcome=outcome,
            comment=comment,
            author=self.principal.display_name,
            when=now,
            tz=centre_zone(),
            language=record_language(current_language()),
        )

        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            if not self._free_or_mine(task):
                return None
            if task.get("status") in ("completed", "cancelled"):
                return None
            return resolve_task(task, self.principal, outcome, comment, now)

        if not await self._act(patient_id, "resolve", build, emit_done=False):
            return None
        work = _Unwritten(card, outcome, comment, note, now, card.alert_ids)
        self._unwritten[patient_id] = work
        result = await self._write_records(work)
        self.resolved.emit(result)
        return result

    async def retry_records(self, patient_id: str) -> ResolveResult | None:
        """Write a resolved alert's DetectedIssue and note again (same keys: no duplicates)."""
        work = self._unwritten.get(patient_id)
        if work is None:
            return None
        result = await self._write_records(work)
        self.resolved.emit(result)
        return result

    async def _write_records(self, work: _Unwritten) -> ResolveResult:
        card = work.card
        ids = card.alert_ids
        base = ResolveResult(
            card.patient_id, card.patient_name, work.outcome, work.note, ids, pending=True
        )
        try:
            issue_key = idempotency_key("resolve-issue", ids)
            issue = await self._store.create_once(
                detected_issue(
                    card, self.principal, work.outcome, work.comment, work.when, issue_key
                ),
                issue_key,
            )
            note_key = idempotency_key("resolve-note", ids)
            issue_id = str(issue.get("id", ""))
            comp = await self._store.create_once(
                composition(
                    card,
                    self.principal,
                    work.note,
                    work.when,
                    note_key,
                    f"DetectedIssue/{issue_id}" if issue_id else None,
                ),
                note_key,
            )
        except FhirError as exc:
            log.warning("record resources for %s not written: %s", card.patient_id, exc)
            self.failed.emit(
                QCoreApplication.translate(
                    "AlertService",
                    "The alert is closed, but the journal note could not be saved yet: %1",
                ).replace("%1", str(exc))
            )
            return base
        self._unwritten.pop(card.patient_id, None)
        return ResolveResult(
            card.patient_id,
            card.patient_name,
            work.outcome,
            work.note,
            ids,
            detected_issue_id=issue_id,
            composition_id=str(comp.get("id", "")),
        )

    async def request_new_measurement(self, patient_id: str) -> bool:
        """Ask the patient (Communication, conditional create) to measure again."""
        card = self._model.card_for(patient_id)
        if card is None:
            return False
        alert = card.alerts[0]
        text = await self.patient_message(alert)
        # One request per breach of the alert: a double click or a retry sends one message.
        key = idempotency_key("remeasure", [alert.id], str(alert.breaches))
        await self._store.create_once(
            remeasure_request(alert, self.principal, text, self._now(), key), key
        )
        await self._act(
            patient_id,
            "remeasure",
            lambda task: comment_task(task, self.principal, "Bedt om ny måling.", self._now()),
            only_first=True,
        )
        return True

    async def patient_message(self, alert: Alert) -> str:
        """What the patient is sent for this alert, in the patient's language: a reminder for
        a missing measurement, else a request to measure again."""
        latest = alert.latest_values
        due = next((v.due for v in latest if v.due is not None), None)
        kind = RULE_KINDS.get(alert.rule) or next((v.kind for v in latest if v.kind), None)
        purpose = (
            Purpose.REMINDER
            if alert.rule is AlertRule.MISSING_MEASUREMENT and due is not None
            else Purpose.REMEASURE
        )
        texts = self.texts or PatientTexts.offline(MessagingUser.from_principal(self.principal))
        return await texts.compose(
            purpose,
            self._patients.get(alert.patient_id),
            alert.department_id,
            kind=kind,
            due=clock_text(due) if due is not None else "",
        )

    def _suspect_key(self, patient_id: str) -> tuple[str, tuple[str, ...]] | None:
        card = self._model.card_for(patient_id)
        if card is None:
            return None
        return patient_id, tuple(f"{a.id}/{a.version}" for a in card.alerts)

    def measurement_error_confirmed(self, patient_id: str) -> bool:
        """A re-measurement came back normal for the card's value (the server recorded it):
        the resolve dialog then offers "measurement error" first."""
        card = self._model.card_for(patient_id)
        return card is not None and any(a.remeasure == "normal" for a in card.alerts)

    def suspect_known(self, patient_id: str) -> bool:
        """True once a background check found the card's value implausible or a jump (the
        resolve dialog then suggests "measurement error" and a new measurement)."""
        key = self._suspect_key(patient_id)
        return key is not None and self._suspects.get(key, False)

    def request_suspect_check(self, patient_id: str) -> None:
        """Check in the background (the nurse has the card in focus); cached per alert version."""
        key = self._suspect_key(patient_id)
        if key is None or key in self._suspects or key in self._checking:
            return
        self._checking.add(key)

        async def check() -> None:
            try:
                reason = await self.suspect(patient_id)
            except FhirError as exc:  # only a hint: the dialog works without it
                log.info("could not check %s's value for a measurement error: %s", patient_id, exc)
                return
            finally:
                self._checking.discard(key)
            if len(self._suspects) > 2000:
                self._suspects.clear()
            self._suspects[key] = reason is not None

        self.run(check(), "alert-suspect")

    async def suspect(self, patient_id: str) -> SuspectReason | None:
        """Whether the patient's alerting value looks like a measurement error."""
        card = self._model.card_for(patient_id)
        if card is None:
            return None
        for alert in card.alerts:
            kind = RULE_KINDS.get(alert.rule)
            values = [v.value for v in alert.latest_values if v.value is not None]
            if kind is None or not values or alert.rule.value.startswith("trend"):
                continue
            focus = next((f for f in alert.focus if f.startswith("Observation/")), None)
            codes = [c for c, k in LOINC_KINDS.items() if k is kind]
            result = await self._store.recent_observations(patient_id, codes)
            recent = []
            for obs in result:
                if focus and f"Observation/{obs.get('id')}" == focus:
                    continue
                try:
                    m = measurement_from_fhir(obs)
                except FhirMalformed:
                    continue
                if m is not None:
                    recent.append(m.value)
            reason = suspect_value(kind, values[0], recent)
            if reason is not None:
                return reason
        return None

    async def shift_alerts(self, since: datetime) -> list[Alert]:
        """Every alert raised since `since` in the watched departments, in any state, and
        every alert closed since then (raised earlier too)."""
        departments = sorted(self._departments) if self._departments is not None else None
        (raised, patients), (closed, more) = await asyncio.gather(
            self._store.tasks_since(departments, since),
            self._store.tasks_closed_since(departments, since),
        )
        self._patients.update(patients)
        self._patients.update(more)
        seen = {t.get("id") for t in raised}
        tasks = [*raised, *(t for t in closed if t.get("id") not in seen)]
        alerts = []
        for task in tasks:
            try:
                alert = alert_from_fhir(task, self._patients)
            except FhirMalformed as exc:
                log.warning("skipped a malformed Task: %s", exc)
                continue
            if alert is not None and self._watched(alert):
                alerts.append(alert)
        return alerts

    # ----- internals ------------------------------------------------------------------------

    @property
    def _me(self) -> str:
        return self.principal.practitioner_id

    @staticmethod
    def _owner(task: Mapping[str, Any]) -> str | None:
        owner = task.get("owner")
        return reference_id(owner, "Practitioner") if isinstance(owner, dict) else None

    def _free_or_mine(self, task: Mapping[str, Any]) -> bool:
        """Open, and nobody else holds it (a forwarded-to person counts as holding it)."""
        if task.get("status") not in ("requested", "in-progress", "on-hold"):
            return False
        owner = self._owner(task)
        return owner is None or owner == self._me

    @property
    def can_act(self) -> bool:
        """Whether the signed-in token is a person's (a claim names its owner)."""
        return bool(self.principal.practitioner_id)

    def not_a_person_short(self) -> str:
        """The status bar's version of `not_a_person_text`."""
        return QCoreApplication.translate(
            "AlertService", "Not signed in as a person: alerts can be seen, not claimed"
        )

    def not_a_person_text(self) -> str:
        return QCoreApplication.translate(
            "AlertService",
            "You are signed in with a token that is not a person's: you can see alerts, but "
            "not claim, comment or resolve them.",
        )

    async def _act(
        self,
        patient_id: str,
        action: str,
        build: Builder,
        *,
        only_first: bool = False,
        emit_done: bool = True,
    ) -> bool:
        if not self.can_act:
            self.failed.emit(self.not_a_person_text())
            return False
        card = self._model.card_for(patient_id)
        if card is None:
            self.failed.emit(
                QCoreApplication.translate("AlertService", "This alert is no longer in the queue.")
            )
            return False
        alerts = card.alerts[:1] if only_first else card.alerts
        for alert in alerts:
            if not await self._update(patient_id, alert.id, build):
                return False
        if emit_done:
            self.done.emit(action, patient_id)
        return True

    async def _update(
        self, patient_id: str, task_id: str, build: Builder, attempts: int = 3
    ) -> bool:
        task = self._raw.get(task_id)
        for _ in range(attempts):
            if task is None:
                task = await self._store.read(task_id)
                self._accept([task])
            updated = build(task)
            if updated is None:
                self._report_conflict(patient_id, task)
                return False
            if not updated:
                return True  # nothing to change
            try:
                stored = await self._store.update(updated)
            except FhirHttpError as exc:
                if not exc.is_conflict:
                    raise
                log.info("Task/%s changed under us (%s); refetching", task_id, exc.status)
                task = None
                continue
            self._accept([stored])
            return True
        self.failed.emit(
            QCoreApplication.translate("AlertService", "The alert keeps changing; try again.")
        )
        return False

    def _report_conflict(self, patient_id: str, task: Mapping[str, Any]) -> None:
        try:
            alert = alert_from_fhir(task, self._patients)
        except FhirMalformed:
            alert = None
        if alert is None:
            message = QCoreApplication.translate(
                "AlertService", "Someone else changed this alert; the queue shows the latest."
            )
        elif alert.status is AlertStatus.COMPLETED:
            when = alert.last_modified
            message = (
                QCoreApplication.translate("AlertService", "Already resolved by %1 at %2")
                .replace("%1", alert.owner_name or "?")
                .replace("%2", clock_text(when) if when else "?")
            )
        elif alert.status is AlertStatus.CANCELLED:
            message = QCoreApplication.translate("AlertService", "The alert was cancelled.")
        elif alert.owner_id and alert.owner_id != self._me:
            message = claimed_text(alert.owner_name, alert.claimed_at)
        else:
            message = QCoreApplication.translate(
                "AlertService", "Someone else changed this alert; the queue shows the latest."
            )
        self.conflict.emit(patient_id, message)

    def _map(self, tasks: Iterable[dict[str, Any]]) -> list[Alert]:
        alerts = []
        for task in tasks:
            try:
                alert = alert_from_fhir(task, self._patients)
            except FhirMalformed as exc:
                log.warning("skipped a malformed Task: %s", exc)
                continue
            if alert is None:
                continue
            current = self._raw.get(alert.id)
            if current is not None and _newer(current, task):
                continue
            self._raw[alert.id] = task
            alerts.append(alert)
        return alerts

    def _accept(self, tasks: Iterable[dict[str, Any]]) -> None:
        """Fold Tasks (from the server or our own writes) into the model as one batch."""
        alerts = self._map(tasks)
        if not alerts:
            return
        inside = [a for a in alerts if self._watched(a)]
        outside = [a.id for a in alerts if not self._watched(a)]
        self._model.apply(inside, removed=outside)
        for alert in alerts:
            if alert.escalated_at is not None or not alert.status.is_open:
                self._escalating.discard(alert.id)
            if alert.status is not AlertStatus.SNOOZED:
                self._waking.discard(alert.id)
        self._fetch_missing_names(inside)

    def _watched(self, alert: Alert) -> bool:
        """In the watched departments: the Task's own routing (`restriction.recipient`), else
        the department of the patient's enrolment (`department_of`), else shown."""
        if self._departments is None:
            return True
        department = alert.department_id or self.department_of(alert.patient_id)
        return department is None or department in self._departments

    def _fetch_missing_names(self, alerts: Iterable[Alert]) -> None:
        missing = {
            a.patient_id
            for a in alerts
            if not a.patient_name
            and a.patient_id not in self._patients
            and a.patient_id not in self._fetching_patients
        }
        if missing:
            self._fetching_patients |= missing
            self.run(self._fetch_patients(sorted(missing)), "alert-patients")

    async def _fetch_patients(self, ids: list[str]) -> None:
        found = await self._store.patients(ids)
        self._patients.update(found)
        self._fetching_patients -= set(ids)
        affected = [t for t in self._raw.values() if reference_id(t.get("for")) in found]
        self._model.apply(self._remap(affected))

    def _remap(self, tasks: Iterable[dict[str, Any]]) -> list[Alert]:
        out = []
        for task in tasks:
            try:
                alert = alert_from_fhir(task, self._patients)
            except FhirMalformed:
                continue
            if alert is not None:
                out.append(alert)
        return out

    async def _escalate(self, task_id: str) -> None:
        minutes = int(self.escalate_after.total_seconds() // 60)

        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            alert = alert_from_fhir(task, self._patients)
            if alert is None or alert.escalated_at is not None:
                return {}
            if not escalation_due(alert, self._now(), self.escalate_after):
                return {}
            return escalate_task(task, self._now(), minutes, self.lead)

        alert = self._model.alert(task_id)
        if alert is None:
            return
        ok = await self._update(alert.patient_id, task_id, build)
        if ok and self.lead is not None:
            await self._send_escalation(alert, minutes, 0)

    async def _send_escalation(self, alert: Alert, minutes: int, attempts: int) -> None:
        """Tell the lead; if the server refuses for now, keep it and try again on the clock
        (conditional create: a repeat never sends two), saying so once."""
        try:
            await self._notify_lead(alert, minutes)
        except FhirError as exc:
            delay = min(300.0, 5.0 * 2**attempts)
            self._unsent_escalations[alert.id] = (
                alert,
                minutes,
                self._now() + timedelta(seconds=delay),
                attempts + 1,
            )
            log.warning("escalation of %s not sent yet (%s); retrying", alert.id, exc)
            if attempts == 0:
                self.failed.emit(
                    QCoreApplication.translate(
                        "AlertService",
                        "The escalation to the department lead could not be sent yet; "
                        "it is kept and sent again: %1",
                    ).replace("%1", str(exc))
                )
        else:
            self._unsent_escalations.pop(alert.id, None)
        finally:
            self._escalating.discard(alert.id)

    async def _notify_lead(self, alert: Alert, minutes: int) -> None:
        assert self.lead is not None
        lead_id, _lead_name = self.lead
        key = idempotency_key("escalation", [alert.id])
        text = (
            f"Eskalert varsel: {alert.patient_name or alert.patient_id} – "
            f"{alert.description or alert.rule.value}. Ikke tatt innen {minutes} min."
        )
        await self._store.create_once(
            {
                "resourceType": "Communication",
                "identifier": [
                    {"system": "http://dho.example/fhir/NamingSystem/idempotency-key", "value": key}
                ],
                "status": "completed",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://dho.example/fhir/CodeSystem/communication-category",
                                "code": "alert-escalation",
                            }
                        ]
                    }
                ],
                "subject": {"reference": f"Patient/{alert.patient_id}"},
                "recipient": [{"reference": f"Practitioner/{lead_id}"}],
                "about": [{"reference": f"Task/{alert.id}"}],
                "sent": self._now().astimezone(UTC).isoformat(timespec="seconds"),
                "payload": [{"contentString": text}],
            },
            key,
        )

    async def _wake(self, task_id: str) -> None:
        def build(task: Mapping[str, Any]) -> dict[str, Any] | None:
            alert = alert_from_fhir(task, self._patients)
            if (
                alert is None
                or alert.status is not AlertStatus.SNOOZED
                or alert.snoozed_until is None
                or alert.snoozed_until > self._now()
            ):
                return {}
            return wake_task(task, self._now())

        alert = self._model.alert(task_id)
        if alert is not None:
            await self._update(alert.patient_id, task_id, build)


def _newer(current: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether `current` is a later version than `other`. versionIds are opaque (UUIDs on
    other servers), so order comes from `meta.lastUpdated`; numbers only when both are."""
    a, b = current.get("meta") or {}, other.get("meta") or {}
    va, vb = str(a.get("versionId", "")), str(b.get("versionId", ""))
    if va == vb:
        return False
    ta, tb = a.get("lastUpdated"), b.get("lastUpdated")
    if isinstance(ta, str) and isinstance(tb, str):
        try:
            return parse_datetime(ta) > parse_datetime(tb)
        except FhirMalformed:
            pass
    if va.isdigit() and vb.isdigit():
        return int(va) > int(vb)
    return False
