"""Training mode in the console: the trainer's controls, the live view and the debrief.

`TrainerView` is the superuser's page (Ctrl+Shift+T, Training menu): choose scenarios and
trainees, load them (or a scenario file), start, pause, step, run faster, inject an event,
reset; follow every trainee's actions as they happen; export a scenario to share.
`DebriefView` shows the scores (per trainee and for the group) and writes them as a PDF
with the review's PDF writer. `TrainingFeature` puts both in the Training menu; on the
embedded default it also offers to restart the console in training mode.
Everything the server decides (who may, what is loaded) the server decides; the roles
here only spare a nurse a page she cannot use.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QProcess, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.alerts import Outcome, Priority
from console.domain.training import (
    INJECT_MEASUREMENTS,
    MARK,
    Control,
    Debrief,
    InjectKind,
    ScenarioInfo,
    ScenarioPatient,
    SessionState,
    SessionStatus,
    TraineeAction,
    duration_text,
    local,
)
from console.i18n import current_language
from console.services.training import TrainingService, inject_event
from console.state.alert_queue import outcome_text, priority_text
from console.state.formatting import centre_zone, clock_text, programme_text
from console.ui.review_report import export_report_pdf

log = logging.getLogger(__name__)

#: Units of the measurements a trainer may inject (the scenario format's names).
UNITS = {"spo2": "%", "pulse": "/min", "temp": "°C", "weight": "kg", "glucose": "mmol/L"}


def measurement_label(name: str) -> str:
    return {
        "spo2": QCoreApplication.translate("TrainerView", "Oxygen saturation (SpO2)"),
        "pulse": QCoreApplication.translate("TrainerView", "Pulse"),
        "temp": QCoreApplication.translate("TrainerView", "Body temperature"),
        "weight": QCoreApplication.translate("TrainerView", "Body weight"),
        "glucose": QCoreApplication.translate("TrainerView", "Blood glucose"),
    }.get(name, name)


def state_text(state: SessionState) -> str:
    return {
        SessionState.NONE: QCoreApplication.translate("TrainerView", "nothing loaded"),
        SessionState.READY: QCoreApplication.translate("TrainerView", "ready to start"),
        SessionState.RUNNING: QCoreApplication.translate("TrainerView", "running"),
        SessionState.PAUSED: QCoreApplication.translate("TrainerView", "paused"),
        SessionState.FINISHED: QCoreApplication.translate("TrainerView", "finished"),
    }[state]


def action_text(kind: str) -> str:
    return {
        "claim": QCoreApplication.translate("TrainerView", "claimed the alert"),
        "open": QCoreApplication.translate("TrainerView", "opened the patient"),
        "resolve": QCoreApplication.translate("TrainerView", "resolved the alert"),
        "message": QCoreApplication.translate("TrainerView", "sent a message"),
        "escalate": QCoreApplication.translate("TrainerView", "escalated"),
        "alert": QCoreApplication.translate("TrainerView", "an alert was raised"),
        "escalated": QCoreApplication.translate(
            "TrainerView", "escalated by the server (not claimed in time)"
        ),
        "video-call": QCoreApplication.translate("TrainerView", "started a video call"),
        "forward": QCoreApplication.translate("TrainerView", "forwarded"),
        "comment": QCoreApplication.translate("TrainerView", "wrote a comment"),
        "snooze": QCoreApplication.translate("TrainerView", "snoozed the alert"),
        "release": QCoreApplication.translate("TrainerView", "released the alert"),
        "video": QCoreApplication.translate("TrainerView", "started a video call"),
    }.get(kind, kind)


#: FHIR Task priorities (an "alert" action's detail).
_PRIORITIES = {
    "routine": Priority.LOW,
    "urgent": Priority.MEDIUM,
    "asap": Priority.HIGH,
    "stat": Priority.HIGH,
}


def action_detail(kind: str, detail: str) -> str:
    """The detail of a trainee's action in words: an outcome, a priority, else as sent."""
    if kind == "resolve" and detail:
        return outcome_label(detail)
    if kind == "alert" and detail in _PRIORITIES:
        return priority_text(_PRIORITIES[detail])
    return detail


def outcome_label(code: str | None) -> str:
    if not code:
        return "–"
    try:
        return outcome_text(Outcome(code))
    except ValueError:
        return code


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(tooltip or text)
    return item


def _table(columns: Sequence[str], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    # Rows as tall as a line of text: the trainer's tables share a 768-pixel screen with the
    # controls, and the style's default (~30 px) showed three scenarios there.
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    return button


class TrainerView(QWidget):
    """The superuser's controls and live view of a training session."""

    debrief_requested = Signal()

    def __init__(
        self,
        service: TrainingService | None,
        *,
        role_text: str = "",
        trainees: Sequence[tuple[str, str]] = (),
        patients: Callable[[], Sequence[tuple[str, str]]] = lambda: (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.setAccessibleName(self.tr("Trainer's controls"))
        self._patients = patients
        self._language = current_language()
        self._shown_actions = 0
        self._inject_targets: list[ScenarioPatient] = []
        self._trainee_names: dict[str, str] = {}
        self.status: SessionStatus | None = None
        self.error = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel(self)
        heading = self.tr("Training: the trainer’s controls")
        self.heading.setText(f"<b>{heading}</b>")
        outer.addWidget(self.heading)
        self.allowed = service is not None and service.allowed
        if not self.allowed:
            self.denied = QLabel(self)
            self.denied.setWordWrap(True)
            self.denied.setText(
                self.tr(
                    "The trainer's controls are for superusers and administrators. Your role "
                    "(%1) does not give access to them; your own debrief is under Training > "
                    "My debrief."
                ).replace("%1", role_text or "–")
            )
            self.denied.setAccessibleName(self.tr("Not for your role"))
            outer.addWidget(self.denied)
            outer.addStretch(1)
            return
        assert service is not None
        self._build(outer, trainees)
        service.scenarios_changed.connect(self.set_scenarios)
        service.status_changed.connect(self.set_status)
        service.file_refused.connect(self.show_file_error)
        service.failed.connect(self.show_error)
        service.not_training.connect(self._not_training)
        service.exported.connect(self._save_export)

    # ----- building ------------------------------------------------------------------------

    def _build(self, outer: QVBoxLayout, trainees: Sequence[tuple[str, str]]) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(splitter, 1)
        # The controls scroll rather than squeeze: on a 1366x768 screen the three groups need
        # more height than there is, and squeezed widgets overlap.
        left_scroll = QScrollArea(splitter)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget(left_scroll)
        left_scroll.setWidget(left)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)

        choose = QGroupBox(self.tr("1. Choose"), left)
        choose_layout = QVBoxLayout(choose)
        scen_label = QLabel(self.tr("S&cenarios (tick the ones to run):"), choose)
        self.scenario_table = _table(
            [self.tr("Scenario"), self.tr("Patient group"), self.tr("Duration"),
             self.tr("Patients")],
            self.tr("Scenarios"),
            choose,
        )  # fmt: skip
        self.scenario_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.scenario_table.horizontalHeader().setStretchLastSection(False)
        # Whole titles: the trainer chooses by them, and the pane is narrow on a laptop.
        self.scenario_table.setWordWrap(True)
        self.scenario_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        rows = self.scenario_table.verticalHeader().defaultSectionSize()
        header_h = self.scenario_table.horizontalHeader().sizeHint().height()
        self.scenario_table.setMinimumHeight(header_h + 6 * rows + 4)  # six scenarios
        scen_label.setBuddy(self.scenario_table)
        trainee_label = QLabel(self.tr("T&rainees (training accounts):"), choose)
        self.trainee_list = QListWidget(choose)
        self.trainee_list.setAccessibleName(self.tr("Trainees"))
        self.trainee_list.setMinimumHeight(90)
        trainee_label.setBuddy(self.trainee_list)
        self.set_trainees(trainees)
        buttons = QHBoxLayout()
        self.load_button = _button(self.tr("&Load chosen"), self.tr("Load the chosen"), choose)
        self.file_button = _button(
            self.tr("Load a scenario f&ile…"), self.tr("Load a scenario file"), choose
        )
        self.export_button = _button(
            self.tr("E&xport scenario…"), self.tr("Export the scenario file to share"), choose
        )
        for b in (self.load_button, self.file_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.file_error = QLabel(choose)
        self.file_error.setWordWrap(True)
        self.file_error.setStyleSheet("QLabel { color: #a00000; }")
        self.file_error.setAccessibleName(self.tr("Problem"))
        self.file_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_error.hide()
        choose_layout.addWidget(scen_label)
        choose_layout.addWidget(self.scenario_table, 3)  # ten or more scenarios
        choose_layout.addWidget(trainee_label)
        choose_layout.addWidget(self.trainee_list, 2)
        choose_layout.addLayout(buttons)
        choose_layout.addWidget(self.file_error)
        left_layout.addWidget(choose, 1)

        run = QGroupBox(self.tr("2. Run"), left)
        run_layout = QGridLayout(run)
        self.start_button = _button(self.tr("&Start"), self.tr("Start"), run)
        self.pause_button = _button(self.tr("&Pause"), self.tr("Pause"), run)
        self.step_button = _button(self.tr("St&ep to next event"), self.tr("Step"), run)
        self.reset_button = _button(self.tr("Rese&t"), self.tr("Reset"), run)
        self.speed = QDoubleSpinBox(run)
        self.speed.setRange(0.5, 3600.0)
        self.speed.setDecimals(1)
        self.speed.setValue(1.0)
        self.speed.setPrefix("× ")
        self.speed.setAccessibleName(self.tr("Speed (simulated minutes per minute)"))
        speed_label = QLabel(self.tr("Spee&d:"), run)
        speed_label.setBuddy(self.speed)
        self.speed_button = _button(self.tr("Run &faster"), self.tr("Set the speed"), run)
        run_layout.addWidget(self.start_button, 0, 0)
        run_layout.addWidget(self.pause_button, 0, 1)
        run_layout.addWidget(self.step_button, 0, 2)
        run_layout.addWidget(self.reset_button, 0, 3)
        run_layout.addWidget(speed_label, 1, 0)
        run_layout.addWidget(self.speed, 1, 1)
        run_layout.addWidget(self.speed_button, 1, 2)
        self.state_label = QLabel(run)
        self.state_label.setAccessibleName(self.tr("Session state"))
        self.state_label.setWordWrap(True)
        run_layout.addWidget(self.state_label, 2, 0, 1, 4)
        left_layout.addWidget(run)

        inject = QGroupBox(self.tr("3. Inject an event now"), left)
        form = QFormLayout(inject)
        self.inject_patient = QComboBox(inject)
        self.inject_patient.setAccessibleName(self.tr("Scenario patient"))
        self.inject_kind = QComboBox(inject)
        self.inject_kind.setAccessibleName(self.tr("What to inject"))
        for kind, text in (
            (InjectKind.VALUE, self.tr("A measured value")),
            (InjectKind.MESSAGE, self.tr("A message from the patient")),
            (InjectKind.MISSED, self.tr("A missed measurement")),
        ):
            self.inject_kind.addItem(text, kind.value)
        self.inject_code = QComboBox(inject)
        self.inject_code.setAccessibleName(self.tr("Measurement"))
        for name in INJECT_MEASUREMENTS:
            self.inject_code.addItem(f"{measurement_label(name)} ({UNITS[name]})", name)
        self.inject_value = QDoubleSpinBox(inject)
        self.inject_value.setRange(0.0, 500.0)
        self.inject_value.setDecimals(1)
        self.inject_value.setValue(88.0)
        self.inject_value.setAccessibleName(self.tr("Value"))
        self.inject_text = QLineEdit(inject)
        self.inject_text.setAccessibleName(self.tr("Message text"))
        self.inject_text.setPlaceholderText(self.tr("What the patient writes"))
        self.inject_button = _button(self.tr("In&ject now"), self.tr("Inject now"), inject)
        form.addRow(self.tr("P&atient:"), self.inject_patient)
        form.addRow(self.tr("&Kind:"), self.inject_kind)
        form.addRow(self.tr("&Measurement:"), self.inject_code)
        form.addRow(self.tr("&Value:"), self.inject_value)
        form.addRow(self.tr("Messa&ge:"), self.inject_text)
        form.addRow("", self.inject_button)
        left_layout.addWidget(inject)

        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        actions_label = QLabel(self.tr("Trainees' actions as they &happen:"), right)
        self.actions_table = _table(
            [self.tr("Time"), self.tr("Trainee"), self.tr("Action"),
             self.tr("Patient"), self.tr("Detail")],
            self.tr("Trainees' actions"),
            right,
        )  # fmt: skip
        actions_label.setBuddy(self.actions_table)
        events_label = QLabel(self.tr("Scenario ev&ents:"), right)
        self.events_table = _table(
            [self.tr("Time"), self.tr("Scenario"), self.tr("Event"), self.tr("Done")],
            self.tr("Scenario events"),
            right,
        )
        events_label.setBuddy(self.events_table)
        self.debrief_button = _button(
            self.tr("Show the de&brief"), self.tr("Show the debrief"), right
        )
        self.debrief_button.clicked.connect(self.debrief_requested)
        right_layout.addWidget(actions_label)
        right_layout.addWidget(self.actions_table, 3)
        right_layout.addWidget(events_label)
        right_layout.addWidget(self.events_table, 2)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.debrief_button)
        right_layout.addLayout(bottom)
        splitter.addWidget(left_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        self.load_button.clicked.connect(self.load_chosen)
        self.file_button.clicked.connect(self.choose_file)
        self.export_button.clicked.connect(self.export_chosen)
        self.start_button.clicked.connect(lambda: self._control(Control.START))
        self.pause_button.clicked.connect(lambda: self._control(Control.PAUSE))
        self.step_button.clicked.connect(lambda: self._control(Control.STEP))
        self.reset_button.clicked.connect(lambda: self._control(Control.RESET))
        self.speed_button.clicked.connect(self.set_speed)
        self.inject_button.clicked.connect(self.inject_now)
        self.inject_kind.currentIndexChanged.connect(self._inject_kind_changed)
        self._inject_kind_changed()
        self.refresh_patients()
        self.set_status(None)

    # ----- what the server says ------------------------------------------------------------------

    def set_scenarios(self, scenarios: Sequence[ScenarioInfo]) -> None:
        table = self.scenario_table
        table.setRowCount(len(scenarios))
        for row, s in enumerate(scenarios):
            title = local(s.title, self._language)
            first = _item(title, f"{title} ({s.name}, {s.version})" if s.version else title)
            first.setData(Qt.ItemDataRole.UserRole, s.name)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            first.setCheckState(Qt.CheckState.Unchecked)
            table.setItem(row, 0, first)
            table.setItem(row, 1, _item(programme_text(s.group, s.group)))
            table.setItem(row, 2, _item(duration_text(s.duration_minutes * 60)))
            table.setItem(row, 3, _item(str(s.patients)))
        if scenarios:
            table.selectRow(0)

    def set_trainees(self, trainees: Sequence[tuple[str, str]]) -> None:
        self._trainee_names = dict(trainees)
        chosen = set(self.chosen_trainees())
        self.trainee_list.clear()
        for username, name in trainees:
            item = QListWidgetItem(f"{name} ({username})", self.trainee_list)
            item.setData(Qt.ItemDataRole.UserRole, username)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = username in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_scenarios(self) -> list[str]:
        out = []
        for row in range(self.scenario_table.rowCount()):
            item = self.scenario_table.item(row, 0)
            if item is not None and item.checkState() is Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def chosen_trainees(self) -> list[str]:
        out = []
        for row in range(self.trainee_list.count()):
            item = self.trainee_list.item(row)
            if item.checkState() is Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_chosen(self, scenarios: Sequence[str], trainees: Sequence[str]) -> None:
        for row in range(self.scenario_table.rowCount()):
            item = self.scenario_table.item(row, 0)
            if item is not None:
                on = item.data(Qt.ItemDataRole.UserRole) in scenarios
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        for row in range(self.trainee_list.count()):
            person = self.trainee_list.item(row)
            on = person.data(Qt.ItemDataRole.UserRole) in trainees
            person.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_status(self, status: SessionStatus | None) -> None:
        self.status = status
        state = status.state if status is not None else SessionState.NONE
        loaded = state is not SessionState.NONE
        self.start_button.setEnabled(state in (SessionState.READY, SessionState.PAUSED))
        self.pause_button.setEnabled(state is SessionState.RUNNING)
        self.step_button.setEnabled(state in (SessionState.READY, SessionState.PAUSED))
        self.reset_button.setEnabled(loaded)
        self.speed_button.setEnabled(loaded and state is not SessionState.FINISHED)
        self.inject_button.setEnabled(state in (SessionState.RUNNING, SessionState.PAUSED))
        if status is None:
            self.state_label.setText(self.tr("State: nothing loaded. Choose and load scenarios."))
            return
        when = clock_text(status.sim_time) if status.sim_time else "–"
        self.state_label.setText(
            self.tr("State: %1 · simulated time %2 · speed × %3 · %4 scenarios, %5 trainees")
            .replace("%1", state_text(state))
            .replace("%2", when)
            .replace("%3", f"{status.speed:g}")
            .replace("%4", str(len(status.scenarios)))
            .replace("%5", str(len(status.trainees)))
        )
        self._show_actions(status.actions)
        self._show_events(status)
        if [p.id for p in status.patients] != [p.id for p in self._inject_targets]:
            self.refresh_patients()
        if not self.speed.hasFocus():
            self.speed.setValue(status.speed)

    def _show_actions(self, actions: Sequence[TraineeAction]) -> None:
        """Append what is new (actions only grow); a reset starts the table again."""
        table = self.actions_table
        if len(actions) < self._shown_actions:
            table.setRowCount(0)
            self._shown_actions = 0
        names = self._patient_names()
        new = actions[self._shown_actions :]
        if not new:
            return
        follow = table.verticalScrollBar().value() >= table.verticalScrollBar().maximum() - 2
        start = table.rowCount()
        table.setRowCount(start + len(new))
        for i, a in enumerate(new):
            row = start + i
            table.setItem(row, 0, _item(clock_text(a.at) if a.at else "–"))
            who = self._trainee_names.get(a.trainee, a.trainee)
            table.setItem(row, 1, _item(who, f"{who} ({a.trainee})" if a.trainee else ""))
            table.setItem(row, 2, _item(action_text(a.kind)))
            table.setItem(row, 3, _item(names.get(a.patient, a.patient)))
            table.setItem(row, 4, _item(action_detail(a.kind, a.detail)))
        self._shown_actions = len(actions)
        if follow:
            table.scrollToBottom()

    def _patient_names(self) -> dict[str, str]:
        """Names from the patient list; a scenario patient not (yet) in it by her key."""
        names = dict(self._patients())
        for p in self.status.patients if self.status is not None else ():
            names.setdefault(p.id, f"{p.key} ({p.scenario})")
        return names

    def _show_events(self, status: SessionStatus) -> None:
        table = self.events_table
        table.setRowCount(len(status.events))
        for row, e in enumerate(status.events):
            table.setItem(row, 0, _item(clock_text(e.at) if e.at else "–"))
            table.setItem(row, 1, _item(e.scenario))
            table.setItem(row, 2, _item(local(e.summary, self._language) or e.kind))
            table.setItem(row, 3, _item(self.tr("✓ done") if e.done else self.tr("… to come")))

    def refresh_patients(self) -> None:
        """The loaded scenarios' patients to inject for (one per trainee)."""
        current = self.inject_patient.currentIndex()
        self._inject_targets = list(self.status.patients) if self.status is not None else []
        names = dict(self._patients())
        self.inject_patient.clear()
        for p in self._inject_targets:
            parts = [names.get(p.id, p.key), p.scenario]
            if p.trainee:
                parts.append(self.tr("trainee %1").replace("%1", p.trainee))
            self.inject_patient.addItem(" · ".join(x for x in parts if x), p.id)
        if 0 <= current < self.inject_patient.count():
            self.inject_patient.setCurrentIndex(current)

    def show_file_error(self, text: str, line: int, field: str) -> None:
        where = []
        if line:
            where.append(self.tr("line %1").replace("%1", str(line)))
        if field:
            where.append(self.tr("field “%1”").replace("%1", field))
        head = self.tr("The scenario file was not loaded")
        place = f" ({', '.join(where)})" if where else ""
        self.error = f"⚠ {head}{place}: {text}"
        self.file_error.setText(self.error)
        self.file_error.show()

    def show_error(self, text: str) -> None:
        self.error = f"⚠ {text}"
        self.file_error.setText(self.error)
        self.file_error.show()

    def _not_training(self) -> None:
        for b in (self.load_button, self.file_button, self.start_button, self.inject_button):
            b.setEnabled(False)

    # ----- what the trainer does -----------------------------------------------------------------

    def _clear_error(self) -> None:
        self.error = ""
        self.file_error.hide()

    def load_chosen(self) -> None:
        scenarios, trainees = self.chosen_scenarios(), self.chosen_trainees()
        if not scenarios:
            self.show_error(self.tr("Tick at least one scenario to load."))
            return
        self._clear_error()
        self._shown_actions = 0
        self.actions_table.setRowCount(0)
        assert self.service is not None
        self.service.load(scenarios, trainees)
        self.service.follow(True)

    def choose_file(self) -> None:
        dialog = QFileDialog(self, self.tr("Load a scenario file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("Scenario files (*.yaml *.yml *.json *.toml)"))
        dialog.fileSelected.connect(self.load_file)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def load_file(self, path: str) -> None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.show_error(self.tr("Could not read %1: %2").replace("%1", path).replace(
                "%2", str(exc)))  # fmt: skip
            return
        self.load_text(text)

    def load_text(self, text: str) -> None:
        self._clear_error()
        assert self.service is not None
        self.service.load_text(text, self.chosen_trainees())
        self.service.follow(True)

    def export_chosen(self) -> None:
        assert self.service is not None
        row = self.scenario_table.currentRow()
        item = self.scenario_table.item(row, 0) if row >= 0 else None
        chosen = self.chosen_scenarios()
        name = chosen[0] if chosen else (item.data(Qt.ItemDataRole.UserRole) if item else None)
        if not name and self.service.loaded_text is None:
            self.show_error(self.tr("Choose a scenario to export."))
            return
        self.service.export(str(name) if name else None)

    def _save_export(self, name: str, text: str) -> None:
        dialog = QFileDialog(self, self.tr("Export the scenario file"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Scenario files (*.yaml *.yml *.json *.toml)"))
        dialog.selectFile(f"{name or 'scenario'}.yaml")

        def save(path: str) -> None:
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as exc:
                self.show_error(str(exc))

        dialog.fileSelected.connect(save)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _control(self, action: Control) -> None:
        assert self.service is not None
        self._clear_error()
        if action is Control.RESET:
            self._shown_actions = 0
            self.actions_table.setRowCount(0)
        self.service.control(action)
        self.service.follow(True)

    def set_speed(self) -> None:
        assert self.service is not None
        self.service.control(Control.SPEED, speed=self.speed.value())

    def _inject_kind_changed(self) -> None:
        kind = InjectKind(self.inject_kind.currentData())
        self.inject_code.setEnabled(kind is not InjectKind.MESSAGE)
        self.inject_value.setEnabled(kind is InjectKind.VALUE)
        self.inject_text.setEnabled(kind is InjectKind.MESSAGE)

    def inject_now(self) -> None:
        assert self.service is not None
        index = self.inject_patient.currentIndex()
        if not 0 <= index < len(self._inject_targets):
            self.show_error(self.tr("Choose a scenario patient first."))
            return
        kind = InjectKind(self.inject_kind.currentData())
        try:
            event = inject_event(
                kind,
                self._inject_targets[index],
                measurement=str(self.inject_code.currentData() or ""),
                value=self.inject_value.value(),
                text=self.inject_text.text(),
            )
        except ValueError:
            self.show_error(self.tr("Write the message the patient sends."))
            return
        self._clear_error()
        self.service.control(Control.INJECT, event=event)


class DebriefView(QWidget):
    """The scores, per trainee and for the group, on screen and as a PDF."""

    def __init__(
        self,
        service: TrainingService,
        *,
        author: str = "",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.author = author
        self._now = now
        self._language = current_language()
        self.debrief: Debrief | None = None
        self.setAccessibleName(self.tr("Debrief"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        heading = self.tr("Debrief of the training session")
        self.heading = QLabel(f"<b>{heading}</b>", self)
        self.group = QLabel(self)
        self.group.setWordWrap(True)
        self.group.setAccessibleName(self.tr("The group"))
        self.table = _table(
            [self.tr("Trainee"), self.tr("Scenario"), self.tr("Score"),
             self.tr("Outcome chosen"), self.tr("Expected"), self.tr("Alerts missed"),
             self.tr("To claim"), self.tr("To open"), self.tr("To resolve"),
             self.tr("Messages"), self.tr("Escalations"), self.tr("Notes")],
            self.tr("Scores per trainee and scenario"),
            self,
        )  # fmt: skip
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName(self.tr("Notes on the chosen row"))
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QHBoxLayout()
        self.refresh_button = _button(self.tr("&Refresh"), self.tr("Refresh the debrief"), self)
        self.pdf_button = _button(self.tr("&PDF…"), self.tr("Save the debrief as a PDF"), self)
        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(self.choose_pdf)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        layout.addWidget(self.heading)
        layout.addWidget(self.group)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        service.debrief_changed.connect(self.set_debrief)
        service.failed.connect(self._failed)
        self.set_debrief(service.debrief)

    def refresh(self) -> None:
        self.service.refresh_debrief()

    def _failed(self, text: str) -> None:
        self.problem.setText(f"⚠ {text}")
        self.problem.show()

    def group_text(self, debrief: Debrief | None) -> str:
        if debrief is None:
            return self.tr("No scores yet: the debrief is ready once trainees have worked.")
        g = debrief.group
        return (
            self.tr(
                "Group: %1 trainees · mean score %2 of 100 · outcomes correct %3 of %4 · "
                "alerts missed %5 · median time to claim %6"
            )
            .replace("%1", str(g.trainees))
            .replace("%2", f"{g.mean_score:.0f}")
            .replace("%3", str(g.outcomes_correct))
            .replace("%4", str(g.outcomes_total))
            .replace("%5", str(g.alerts_missed))
            .replace("%6", duration_text(g.median_time_to_claim_s))
        )

    def rows(self, debrief: Debrief | None) -> list[list[str]]:
        """One row per trainee and scenario, as shown and printed."""
        out: list[list[str]] = []
        if debrief is None:
            return out
        for t in debrief.trainees:
            for s in t.scenarios:
                mark = self.tr("✓ right") if s.outcome_correct else self.tr("✗ wrong")
                chosen = outcome_label(s.outcome)
                who = f"{t.name} ({t.trainee})" if t.name and t.name != t.trainee else t.trainee
                out.append(
                    [
                        who,
                        local(s.title, self._language) if s.title else s.name,
                        f"{s.score:.0f}",
                        f"{chosen} ({mark})" if s.outcome else self.tr("none (✗ not resolved)"),
                        outcome_label(s.expected_outcome),
                        str(s.alerts_missed),
                        duration_text(s.time_to_claim_s),
                        duration_text(s.time_to_open_s),
                        duration_text(s.time_to_resolve_s),
                        str(s.messages_sent),
                        str(s.escalations),
                        " · ".join(local(n, self._language) for n in s.notes),
                    ]
                )
        return out

    def details(self, debrief: Debrief | None) -> list[tuple[str, str, list[str]]]:
        """(trainee, scenario, the notes and the expected response) per row, in words."""
        out: list[tuple[str, str, list[str]]] = []
        for t in debrief.trainees if debrief is not None else ():
            for s in t.scenarios:
                lines = [local(n, self._language) for n in s.notes]
                if s.debrief:
                    lines.append(
                        self.tr("Expected response: %1").replace(
                            "%1", local(s.debrief, self._language)
                        )
                    )
                out.append((t.name or t.trainee, local(s.title, self._language) if s.title
                            else s.name, lines))  # fmt: skip
        return out

    def _show_detail(self) -> None:
        row = self.table.currentRow()
        found = self.details(self.debrief)
        if not 0 <= row < len(found):
            self.detail.setText("")
            return
        who, scenario, lines = found[row]
        self.detail.setText(f"{who} · {scenario}:\n" + "\n".join(f"• {x}" for x in lines))

    def set_debrief(self, debrief: Debrief | None) -> None:
        self.debrief = debrief
        self.problem.hide()
        self.group.setText(self.group_text(debrief))
        rows = self.rows(debrief)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, _item(text))
        self.pdf_button.setEnabled(debrief is not None)
        if rows:
            self.table.selectRow(0)
        self._show_detail()

    def choose_pdf(self) -> None:
        dialog = QFileDialog(self, self.tr("Save the debrief as a PDF"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("PDF documents (*.pdf)"))
        made = self._now().astimezone(centre_zone()).strftime("%Y-%m-%d-%H%M")
        dialog.selectFile(self.tr("debrief-%1.pdf").replace("%1", made))
        dialog.fileSelected.connect(self.export_pdf)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def export_pdf(self, path: str) -> int:
        """Write the debrief (the group, then every trainee) as an A4 PDF; returns its pages."""
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        made = self._now().astimezone(centre_zone()).strftime("%d.%m.%Y %H:%M")
        title = self.tr("Debrief of the training session")
        return export_report_pdf(
            path,
            self.pdf_html(title),
            header_left=title,
            header_right=made,
            footer_left=self.tr("Made %1 by %2 · DHO training")
            .replace("%1", made)
            .replace("%2", self.author or "–"),
            page_text=self.tr("Page %1 of %2"),
            title=title,
        )

    def pdf_html(self, title: str) -> str:
        import html

        def e(text: str) -> str:
            return html.escape(text, quote=False)

        headers = [
            str(self.table.model().headerData(c, Qt.Orientation.Horizontal))
            for c in range(self.table.columnCount())
        ]
        parts = [
            "<html><head><meta charset='utf-8'><style>th { background: #e6e6e6; "
            "text-align: left; } td, th { padding: 3px; }</style></head><body>",
            f"<h1>{e(title)}</h1>",
            f"<p>{e(self.group_text(self.debrief))}</p>",
        ]
        by_trainee: dict[str, list[tuple[list[str], list[str]]]] = {}
        details = self.details(self.debrief)
        for row, (_who, _scenario, lines) in zip(self.rows(self.debrief), details, strict=True):
            by_trainee.setdefault(row[0], []).append((row, lines))
        for trainee, rows in by_trainee.items():
            parts.append(f"<h2>{e(trainee)}</h2><table border='1' cellspacing='0' width='100%'>")
            parts.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in headers[1:-1]) + "</tr>")
            for row, _lines in rows:
                parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row[1:-1]) + "</tr>")
            parts.append("</table>")
            for row, lines in rows:
                if lines:
                    parts.append(f"<p><b>{e(row[1])}</b></p><ul>")
                    parts.extend(f"<li>{e(line)}</li>" for line in lines)
                    parts.append("</ul>")
        parts.append("</body></html>")
        return "".join(parts)


def restart_command(args: Sequence[str] = ()) -> tuple[str, list[str]]:
    """How to start this console again in training mode (`--training` plus `args`)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--training", *args]
    return sys.executable, ["-m", "console.app", "--training", *args]


class TrainingFeature(QObject):
    """The Training menu: the trainer's controls (Ctrl+Shift+T), the debrief, and on the
    embedded default a restart into training mode."""

    restart_requested = Signal()

    def __init__(
        self,
        window: Any,
        service: TrainingService | None,
        *,
        training: bool,
        embedded_default: bool,
        role_text: str = "",
        author: str = "",
        trainees: Sequence[tuple[str, str]] = (),
        patients: Callable[[], Sequence[tuple[str, str]]] = lambda: (),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(window)
        self.window = window
        self.service = service
        self.training = training
        self.role_text = role_text
        self.author = author
        self.trainees = list(trainees)
        self.patients = patients
        self.now = now
        self.trainer: TrainerView | None = None
        self.debrief: DebriefView | None = None
        menu = window.menu("training")
        self.actions: dict[str, QAction] = {}
        self._add(menu, "controls", self.tr("&Trainer's controls…"), "Ctrl+Shift+T",
                  self.open_trainer)  # fmt: skip
        self._add(menu, "debrief", self.tr("&Debrief…") if self._trainer_role() else
                  self.tr("My &debrief…"), "", self.open_debrief)  # fmt: skip
        if embedded_default and not training:
            menu.addSeparator()
            self._add(menu, "restart", self.tr("&Restart in training mode"), "",
                      self.restart_requested.emit)  # fmt: skip
        if not training:
            for key in ("controls", "debrief"):
                self.actions[key].setEnabled(False)
                self.actions[key].setToolTip(
                    self.tr("Only on a training server (dho-console --training).")
                )

    def set_trainees(self, trainees: Sequence[tuple[str, str]]) -> None:
        self.trainees = list(trainees)
        if self.trainer is not None and self.trainer.allowed:
            self.trainer.set_trainees(self.trainees)

    def _trainer_role(self) -> bool:
        return self.service is not None and self.service.allowed

    def _add(
        self, menu: Any, key: str, text: str, shortcut: str, slot: Callable[[], Any]
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.window.addAction(action)
        self.actions[key] = action
        return action

    def open_trainer(self) -> TrainerView:
        if self.trainer is None:
            self.trainer = TrainerView(
                self.service if self.training else None,
                role_text=self.role_text,
                trainees=self.trainees,
                patients=self.patients,
            )
            self.trainer.debrief_requested.connect(self.open_debrief)
            self.trainer.destroyed.connect(lambda *_: setattr(self, "trainer", None))
            if self.trainer.allowed and self.service is not None:
                self.service.refresh_scenarios()
                self.service.refresh_status()
                self.service.follow(True)
        self.window.open_tab("training", self.trainer, self.tr("Training"))
        return self.trainer

    def open_debrief(self) -> DebriefView | None:
        if self.service is None or not self.training:
            return None
        if self.debrief is None:
            self.debrief = DebriefView(self.service, author=self.author, now=self.now)
            self.debrief.destroyed.connect(lambda *_: setattr(self, "debrief", None))
        self.service.refresh_debrief()
        self.window.open_tab("debrief", self.debrief, self.tr("Debrief"))
        return self.debrief

    async def stop(self) -> None:
        if self.service is not None:
            await self.service.stop()


def start_training_console(extra: Sequence[str] = ()) -> bool:
    """Start `dho-console --training` as a new process (the caller then quits)."""
    program, arguments = restart_command(extra)
    ok, _pid = QProcess.startDetached(program, arguments)
    if not ok:
        log.warning("could not start %s %s", program, " ".join(arguments))
    return bool(ok)


__all__ = ["MARK", "DebriefView", "TrainerView", "TrainingFeature", "start_training_console"]
