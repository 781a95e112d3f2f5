"""What a nurse works with after sign-in: the alert queue, patient tabs, messages, video.

The session builds one Workbench once the patient list is loaded; it owns the alert,
messaging and video services, routes live resources to them, and opens patient tabs
(overview with trends, and messages) on request. Every task it starts is kept and stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from console.domain.alerts import Operator, Priority
from console.domain.handover import HandoverSection
from console.domain.messages import MessagingUser
from console.domain.model import MeasurementKind, Organization, OrganizationKind, Triage
from console.fhir.client import FhirClient
from console.fhir.errors import FhirError
from console.fhir.messages import MessageStore
from console.i18n import current_language
from console.services.access_log import AccessLogService, may_read_access_log
from console.services.alerts import AlertService
from console.services.console_alerts import ConsoleAlertRaiser
from console.services.inbox import InboxService
from console.services.messaging import MessagingService
from console.services.patient import PatientService
from console.services.patient_texts import PatientTexts
from console.services.review import ReviewService, may_review, review_centre
from console.services.video import VideoService
from console.state.alert_queue import AlertQueueModel
from console.state.formatting import centre_zone
from console.state.inbox import InboxModel
from console.state.patient_list import PatientListModel
from console.tasks import bounded, cancel_and_wait
from console.ui.access_log import AccessLogView
from console.ui.alert_queue import AlertQueueView
from console.ui.handover import HandoverView, adherence_section, since_closed_section
from console.ui.inbox import InboxView
from console.ui.main_window import MainWindow
from console.ui.messages_view import MessagesView
from console.ui.patient_view import PatientView
from console.ui.review import ReviewView
from console.ui.video_dialog import open_video_dialog
from widgets.trend_plot import PlotPool, set_time_zone

log = logging.getLogger(__name__)

#: Roles that may change a patient's thresholds and schedule.
EDIT_PLAN_ROLES = frozenset({"nurse", "lead", "superuser", "admin"})
#: Plots kept ready for the next patient view: one per kind of measurement a plan can have.
PLOTS_READY = len(MeasurementKind)


class PatientPage(QTabWidget):
    """One open patient: the overview (trends, plan, answers) and the message threads."""

    def __init__(
        self, overview: PatientView, messages: MessagesView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.overview = overview
        self.messages = messages
        self.setAccessibleName(QCoreApplication.translate("PatientPage", "Patient"))
        self.addTab(overview, QCoreApplication.translate("PatientPage", "&Overview"))
        self.addTab(messages, QCoreApplication.translate("PatientPage", "&Messages"))


class Workbench(QObject):
    """Alert queue, patient pages, messaging and video for the signed-in user."""

    #: Longest wait for each step of `stop` (seconds).
    STOP_STEP_S = 5.0

    def __init__(
        self,
        client: FhirClient,
        window: MainWindow,
        patients: PatientListModel,
        principal: Operator,
        *,
        roles: Sequence[str] = (),
        organizations: Sequence[Organization] = (),
        sound: Any = None,
        no_sound: str = "",
        alert_side: str = "server",
        role_text: str = "",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(window)
        #: The server's clock (console.domain.clock): every model, service and view reads it.
        self.now = now
        #: Who raises alerts: "server" (its rules) or "console" (`ConsoleAlertRaiser`).
        self.alert_side = alert_side
        self.client = client
        self.window = window
        self.patients = patients
        self.principal = principal
        self.roles = frozenset(roles)
        self._tasks: set[asyncio.Task[Any]] = set()
        self.pages: dict[str, PatientPage] = {}
        self.page_loads: dict[str, asyncio.Task[Any]] = {}
        self._dialogs: list[QWidget] = []
        set_time_zone(centre_zone())  # plots show the centre's times, not the computer's
        #: Patient views take their plots ready-built from here (filled after `load`).
        self.plots = PlotPool(self)

        self.alert_model = AlertQueueModel(now=now)
        if organizations:
            self.alert_model.set_organizations(organizations)
        me = MessagingUser.from_principal(principal)
        self._organization_names = {o.id: o.name for o in organizations}
        if me.organization_id:
            me = MessagingUser(
                me.practitioner_id,
                me.name,
                me.organization_id,
                self._organization_names.get(me.organization_id, ""),
            )
        self.me = me
        self.message_store = MessageStore(client)
        #: Messages to patients in the patient's language, from the department's templates.
        self.patient_texts = PatientTexts(self.message_store, me)
        self.alerts = AlertService(
            client, self.alert_model, principal, texts=self.patient_texts, now=now
        )
        self.alerts.set_organizations(organizations)
        self.alerts.department_of = self._department_id
        self.raiser: ConsoleAlertRaiser | None = None
        if alert_side == "console":
            self.raiser = ConsoleAlertRaiser(
                client,
                department_of=self._department_ref,
                on_failed=self._raise_failed,
                now=now,
            )
        self.alert_view = AlertQueueView(self.alert_model, sound=sound, now=now)
        if sound is None:
            self.alert_view.set_no_sound(no_sound)
        self.alert_view.bind(self.alerts)
        self.alert_view.open_patient.connect(self.open_patient)
        window.set_alert_view(self.alert_view)
        self.alert_model.counts_changed.connect(self._alert_summary)
        self.alert_model.counts_changed.connect(self._alert_levels)
        self.handover: HandoverView | None = None

        self._departments = {
            o.id: o.name for o in organizations if o.kind is OrganizationKind.DEPARTMENT
        }
        self.messaging = MessagingService(self.message_store, me, parent=self, now=now)
        self.messaging.unread_changed.connect(lambda pid, n: patients.set_unread({pid: n}))
        self.messaging.total_unread_changed.connect(window.set_unread_total)
        self.video = VideoService(
            self.message_store,
            self.messaging,
            me,
            texts=self.patient_texts,
            patient_of=self._patient_and_department,
            parent=self,
            now=now,
        )
        self.video.calls_changed.connect(self._calls_changed)
        window.patient_activated.connect(self.open_patient)
        window.tab_closed.connect(self._tab_closed)
        self._alert_summary()

        # The lead's review, escalation inbox and access log (issue 12).
        self.role_text = role_text
        self._organizations = list(organizations)
        self.review: ReviewView | None = None
        self.review_service: ReviewService | None = None
        self.access_log: AccessLogView | None = None
        self.access_log_service: AccessLogService | None = None
        self.inbox_view: InboxView | None = None
        self.inbox_model = InboxModel(principal.practitioner_id, parent=self)
        self.inbox = InboxService(client, principal, self.inbox_model, parent=self)
        self.inbox.failed.connect(lambda text: log.warning("inbox: %s", text))
        self.inbox_label = QLabel(window)
        self.inbox_label.setAccessibleName(
            QCoreApplication.translate("Workbench", "Escalation inbox")
        )
        self.inbox_label.hide()
        window.statusBar().addPermanentWidget(self.inbox_label)
        self.inbox_model.count_changed.connect(self._inbox_count)
        self._add_lead_actions()

    # ----- life -------------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("task %s failed", task.get_name(), exc_info=task.exception())

    async def load(self, departments: Sequence[str] | None, patient_ids: Sequence[str]) -> None:
        """Open alerts, unread counts and who alerts can go to, for what the selector shows."""
        _, _, leads, _ = await asyncio.gather(
            self.alerts.load(departments),
            self.messaging.load_unread(list(patient_ids)),
            self._leads(),
            self._load_inbox(),
        )
        # Forwarding goes to another department or a lead; escalations notify the lead of
        # the user's own organization (else the first lead the server lets us see).
        mine = [lead for lead in leads if lead[2] in self.principal.organizations]
        if mine or leads:
            lead_id, lead_name, _org = (mine or leads)[0]
            self.alerts.lead = (lead_id, lead_name)
        self.alert_view.set_forward_targets(
            sorted(self._departments.items(), key=lambda d: d[1]),
            [(lead_id, name) for lead_id, name, _org in leads],
        )
        # Enough for a patient with every measurement; built one per timer tick from now on.
        self.plots.fill(PLOTS_READY)

    async def _load_inbox(self) -> None:
        """Leads (and superusers, admins) get their inbox with the queue; others on opening."""
        if not may_review(self.roles):
            return
        try:
            await self.inbox.load()
        except FhirError as exc:
            log.warning("could not load the escalation inbox: %s", exc)
        self._inbox_count(self.inbox_model.rowCount())

    async def _leads(self) -> list[tuple[str, str, str]]:
        try:
            return await self.alerts.leads()
        except FhirError as exc:  # forwarding to departments still works without them
            log.warning("could not load the department leads: %s", exc)
            return []

    def set_departments(self, departments: Sequence[str] | None) -> None:
        self.alerts.set_departments(departments)

    def _department_id(self, patient_id: str) -> str | None:
        summary = self.patients.summary(patient_id)
        return summary.episode.department_id if summary and summary.episode else None

    def _department_ref(self, patient_id: str) -> dict[str, str] | None:
        """Where an alert the console raises is routed: the patient's department."""
        department = self._department_id(patient_id)
        if department is None:
            return None
        ref = {"reference": f"Organization/{department}"}
        name = self._organization_names.get(department)
        if name:
            ref["display"] = name
        return ref

    def _raise_failed(self, text: str) -> None:
        self.window.set_notice(
            "console-alerts",
            QCoreApplication.translate(
                "Workbench", "An alert could not be written to the server: %1"
            ).replace("%1", text),
        )

    def receive(self, resources: list[dict[str, Any]]) -> None:
        """Live resources from the feed, routed to whoever follows that type."""
        if self.raiser is not None:
            self.raiser.receive(resources)
        tasks = [r for r in resources if r.get("resourceType") in ("Task", "Patient")]
        messages = [r for r in resources if r.get("resourceType") == "Communication"]
        if tasks:
            self.alerts.receive(tasks)
        if messages:
            self.messaging.receive(messages)
        if tasks or messages:
            self.inbox.receive([*tasks, *messages])

    def apply_measurements(self, measurements: list[Any]) -> None:
        """New values reach open patient pages in the same batch as the list."""
        by_patient: dict[str, list[Any]] = {}
        for m in measurements:
            by_patient.setdefault(m.patient_id, []).append(m)
        for pid, items in by_patient.items():
            page = self.pages.get(pid)
            if page is not None:
                page.overview.apply_observations(items)

    async def stop(self) -> None:
        """Every step is bounded (`STOP_STEP_S`): a console that must quit always does."""
        await cancel_and_wait(self._tasks, self.STOP_STEP_S)
        for pid, page in list(self.pages.items()):
            await bounded(page.messages.aclose(), self.STOP_STEP_S, f"closing messages of {pid}")
            await bounded(page.overview.aclose(), self.STOP_STEP_S, f"closing patient {pid}")
        await bounded(self.alerts.stop(), self.STOP_STEP_S, "stopping the alert service")
        if self.raiser is not None:
            await bounded(self.raiser.stop(), self.STOP_STEP_S, "stopping the console's rules")
        await bounded(self.inbox.stop(), self.STOP_STEP_S, "stopping the inbox")
        if self.review_service is not None:
            await bounded(self.review_service.stop(), self.STOP_STEP_S, "stopping the review")
        if self.access_log_service is not None:
            await bounded(self.access_log_service.stop(), self.STOP_STEP_S, "stopping the log")
        self.alert_view.stop()
        self.plots.clear()
        await bounded(self.messaging.aclose(), self.STOP_STEP_S, "stopping messaging")

    # ----- patients -------------------------------------------------------------------------

    def open_patient(self, patient_id: str, *, messages: bool = False) -> PatientPage:
        page = self.pages.get(patient_id)
        if page is None:
            summary = self.patients.summary(patient_id)
            name = summary.patient.name if summary else patient_id
            department = summary.episode.department_id if summary and summary.episode else None
            overview = PatientView(
                PatientService(self.client, now=self.now, language=current_language()),
                patient_id,
                can_edit=bool(self.roles & EDIT_PLAN_ROLES),
                plots=self.plots,
                now=self.now,
            )
            thread = MessagesView(
                self.messaging,
                patient_id,
                self.me,
                can_edit_templates=bool(self.roles & {"superuser", "admin"}),
                department_id=department,
                patient_name=name,
                patient_texts=self.patient_texts,
            )
            thread.video_requested.connect(self.start_video)
            page = PatientPage(overview, thread)
            self.pages[patient_id] = page
            self.window.open_tab(f"patient/{patient_id}", page, name)
            self.page_loads[patient_id] = self.spawn(
                self._load_page(page), f"load-patient-{patient_id}"
            )
        else:
            self.window.open_tab(f"patient/{patient_id}", page, "")
        page.setCurrentIndex(1 if messages else 0)
        return page

    async def _load_page(self, page: PatientPage) -> None:
        await asyncio.gather(
            page.overview.load(),
            page.messages.load(),
            self.video.load_calls(page.overview.patient_id),
        )

    def _calls_changed(self, patient_id: str) -> None:
        page = self.pages.get(patient_id)
        if page is not None:
            page.overview.set_calls(self.video.calls(patient_id))

    def _patient_and_department(self, patient_id: str) -> tuple[Any, str | None]:
        summary = self.patients.summary(patient_id)
        if summary is None:
            return None, None
        return summary.patient, summary.episode.department_id if summary.episode else None

    def start_video(self, patient_id: str) -> None:
        summary = self.patients.summary(patient_id)
        name = summary.patient.name if summary else ""
        dialog = open_video_dialog(
            self.video,
            patient_id,
            patient_name=name,
            relatives=self.messaging.relatives(patient_id),
            parent=self.window,
        )
        self._dialogs.append(dialog)
        dialog.finished.connect(lambda *_: self._dialogs.remove(dialog))

    def open_handover(self) -> HandoverView:
        if self.handover is None:
            self.handover = HandoverView(
                self.alert_model,
                author=self.principal.display_name,
                departments=self._organization_names,
                now=self.now,
            )
            self.handover.bind(self.alerts)
            self.handover.add_sections(self._handover_sections)
        self.window.open_tab(
            "handover", self.handover, QCoreApplication.translate("Workbench", "Shift handover")
        )
        return self.handover

    def _handover_sections(self, _since: datetime, now: datetime) -> list[HandoverSection]:
        """Issue 11's lists in the handover: the adherence items and "since we closed"."""
        closed_since, opened = self.alerts.hours.previous_closed_period(now)
        return [
            since_closed_section(
                self.alert_model.since_closed(closed_since, opened), closed_since, now
            ),
            adherence_section(self.alert_model.adherence(), now),
        ]

    def _tab_closed(self, widget: QWidget) -> None:
        for pid, page in list(self.pages.items()):
            if page is widget:
                del self.pages[pid]
                self.page_loads.pop(pid, None)
                self.spawn(self._close_page(page), f"close-patient-{pid}")
                return
        if widget is self.handover:
            self.handover = None
        if widget is self.review:
            self.review = None
            if self.review_service is not None:
                self.review_service.cancel()
        if widget is self.inbox_view:
            self.inbox_view = None
        if widget is self.access_log:
            self.access_log = None
            if self.access_log_service is not None:
                self.access_log_service.cancel()
        widget.deleteLater()

    async def _close_page(self, page: PatientPage) -> None:
        await page.messages.aclose()
        await page.overview.aclose()
        page.deleteLater()

    # ----- review, inbox, access log (issue 12) -------------------------------------------------

    def _add_lead_actions(self) -> None:
        menu = self.window.menu("view")
        entries = (
            ("review", QCoreApplication.translate("Workbench", "&Review…"), "Ctrl+Shift+O",
             self.open_review),
            ("inbox", QCoreApplication.translate("Workbench", "Escalation &inbox…"),
             "Ctrl+Shift+I", self.open_inbox),
            ("access-log", QCoreApplication.translate("Workbench", "&Access log…"),
             "Ctrl+Shift+A", self.open_access_log),
        )  # fmt: skip
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in entries:
            action = QAction(text, self.window)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.window.addAction(action)  # the shortcut works while the menu bar is hidden
            self.actions[key] = action

    def centre(self) -> tuple[str | None, str]:
        """The signed-in user's response centre (id, name): its hours and name head the report."""
        return review_centre(self._organizations, self.principal.organizations)

    def open_review(self) -> ReviewView:
        title = QCoreApplication.translate("Workbench", "Review")
        if self.review is None:
            centre_id, centre_name = self.centre()
            if may_review(self.roles):
                self.review_service = ReviewService(
                    self.client, self.roles, centre_id=centre_id, parent=self
                )
            self.review = ReviewView(
                self.review_service,
                role_text=self.role_text,
                centre_name=centre_name,
                author=self.principal.display_name,
            )
            self.review.open_patient.connect(self.open_patient)
        self.window.open_tab("review", self.review, title)
        return self.review

    def open_inbox(self) -> InboxView:
        if self.inbox_view is None:
            self.inbox_view = InboxView(self.inbox)
            self.inbox_view.open_patient.connect(self.open_patient)
            if not self.inbox.loaded:
                self.spawn(self.inbox.load(), "inbox-load")
        self.window.open_tab(
            "inbox", self.inbox_view, QCoreApplication.translate("Workbench", "Inbox")
        )
        return self.inbox_view

    def open_access_log(self) -> AccessLogView:
        if self.access_log is None:
            allowed = may_read_access_log(tuple(self.roles))
            if allowed:
                self.access_log_service = AccessLogService(self.client, parent=self)
            self.access_log = AccessLogView(
                self.access_log_service,
                allowed=allowed,
                role_text=self.role_text,
                organizations=self._organization_names,
                author=self.principal.display_name,
            )
            self.access_log.open_patient.connect(self.open_patient)
        self.window.open_tab(
            "access-log",
            self.access_log,
            QCoreApplication.translate("Workbench", "Access log"),
        )
        return self.access_log

    def _inbox_count(self, count: int) -> None:
        text = QCoreApplication.translate("Workbench", "Inbox: %1 (Ctrl+Shift+I)").replace(
            "%1", str(count)
        )
        self.inbox_label.setText(("✉ " if count else "") + text)
        self.inbox_label.setVisible(bool(count) or may_review(self.roles))
        action = self.actions.get("inbox")
        if action is not None:
            base = QCoreApplication.translate("Workbench", "Escalation &inbox…")
            action.setText(f"{base} ({count})" if count else base)

    def _alert_levels(self) -> None:
        """The list's status agrees with the queue: high → red, medium → yellow."""
        to_triage = {Priority.HIGH: Triage.RED, Priority.MEDIUM: Triage.YELLOW}
        self.patients.set_alert_levels(
            {
                card.patient_id: to_triage[card.priority]
                for card in self.alert_model.cards()
                if card.priority in to_triage
            }
        )

    def _alert_summary(self) -> None:
        counts = self.alert_model.counts()
        self.window.set_alert_summary(
            QCoreApplication.translate("Workbench", "Alerts: %1 high · %2 medium · %3 low")
            .replace("%1", str(counts.get(Priority.HIGH, 0)))
            .replace("%2", str(counts.get(Priority.MEDIUM, 0)))
            .replace("%3", str(counts.get(Priority.LOW, 0)))
        )
