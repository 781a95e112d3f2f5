"""One patient: who they are, their trends against their own limits, alerts and answers.

    view = PatientView(PatientService(client), patient_id, can_edit=True)  # by the workbench
    await view.load()            # header, plan, alerts, answers, the visible period
    view.start_history()         # then the rest of the year in the background
    view.apply_observations(ms)  # live updates (batched at 10 Hz)

Every task started here is kept and cancelled by `aclose()` (or when the widget is destroyed).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.messages import VideoCall
from console.domain.model import Measurement, MeasurementKind, Triage, age_on, mask_fodselsnummer
from console.domain.news2 import News2, News2Parameter
from console.domain.patient_record import AlertMark, AlertPriority, PatientHeader, PlanItem
from console.domain.series import (
    Limits,
    Series,
    SeriesBuilder,
    classify_values,
    default_limits,
    find_gaps,
)
from console.domain.triage import Thresholds
from console.fhir.errors import FhirError
from console.fhir.mapping import LOCAL_TZ
from console.services.patient import PatientData, PatientService
from console.state import formatting as fmt
from console.state.calls import CallListModel
from console.state.patient_detail import (
    AlertListModel,
    MeasurementTableModel,
    PatientDetailStore,
    QuestionnaireModel,
    format_number,
    format_time,
)
from console.tasks import TaskKeeper
from console.ui.threshold_editor import ThresholdEditor
from widgets.elided_label import ElidedLabel
from widgets.time_range import Preset, TimeRangeSelector
from widgets.trend_plot import BandLevel, BandSpec, Mark, MarkPriority, PlotPool, TrendPlot

log = logging.getLogger(__name__)

_MARK_PRIORITY = {
    AlertPriority.ASAP: MarkPriority.HIGH,
    AlertPriority.URGENT: MarkPriority.MEDIUM,
    AlertPriority.ROUTINE: MarkPriority.LOW,
}

#: Order of the plots when the plan does not say (the patient list's order).
_KIND_ORDER = list(MeasurementKind)


def unit_text(kind: MeasurementKind) -> str:
    return {
        MeasurementKind.BLOOD_PRESSURE: "mmHg",
        MeasurementKind.PULSE: "/min",
        MeasurementKind.SPO2: "%",
        MeasurementKind.WEIGHT: "kg",
        MeasurementKind.TEMPERATURE: "°C",
        MeasurementKind.GLUCOSE: "mmol/L",
        MeasurementKind.RESPIRATORY_RATE: "/min",
    }[kind]


def news2_parameter_text(parameter: News2Parameter) -> str:
    return {
        News2Parameter.RESPIRATION_RATE: QCoreApplication.translate(
            "PatientView", "respiration rate"
        ),
        News2Parameter.SPO2: QCoreApplication.translate("PatientView", "SpO₂"),
        News2Parameter.AIR_OR_OXYGEN: QCoreApplication.translate("PatientView", "air or oxygen"),
        News2Parameter.SYSTOLIC_BP: QCoreApplication.translate("PatientView", "systolic BP"),
        News2Parameter.PULSE: QCoreApplication.translate("PatientView", "pulse"),
        News2Parameter.CONSCIOUSNESS: QCoreApplication.translate("PatientView", "consciousness"),
        News2Parameter.TEMPERATURE: QCoreApplication.translate("PatientView", "temperature"),
    }[parameter]


def band_specs(
    kind: MeasurementKind, limits: Limits
) -> tuple[list[BandSpec], tuple[float, float] | None]:
    """Yellow and red bands with labels like "Gul < 94" (+ "standard" for the template)."""
    thresholds = limits.thresholds
    if thresholds is None:
        return [], None
    suffix = (
        " " + QCoreApplication.translate("PatientView", "(standard)") if limits.is_default else ""
    )
    if kind is MeasurementKind.BLOOD_PRESSURE:
        # The bands judge the systolic pressure; say so, the diastolic line runs below them.
        yellow = QCoreApplication.translate("PatientView", "Systolic yellow")
        red = QCoreApplication.translate("PatientView", "Systolic red")
    else:
        yellow = QCoreApplication.translate("PatientView", "Yellow")
        red = QCoreApplication.translate("PatientView", "Red")

    def num(value: float) -> str:
        return format_number(kind, value) if kind is not MeasurementKind.WEIGHT else f"{value:g}"

    specs: list[BandSpec] = []
    y, r = thresholds.yellow, thresholds.red
    if r.low is not None:
        specs.append(BandSpec(None, r.low, BandLevel.RED, f"{red} < {num(r.low)}{suffix}"))
    if y.low is not None:
        specs.append(BandSpec(r.low, y.low, BandLevel.YELLOW, f"{yellow} < {num(y.low)}{suffix}"))
    if y.high is not None:
        specs.append(
            BandSpec(y.high, r.high, BandLevel.YELLOW, f"{yellow} > {num(y.high)}{suffix}")
        )
    if r.high is not None:
        specs.append(BandSpec(r.high, None, BandLevel.RED, f"{red} > {num(r.high)}{suffix}"))
    bounds = [v for v in (y.low, y.high, r.low, r.high) if v is not None]
    hint = None
    if bounds:
        # Keep the limits nearest the data in view (the inner ones), not the far red ones.
        inner = [v for v in (y.low, y.high) if v is not None] or bounds
        hint = (min(inner), max(inner))
    return specs, hint


class MeasurementPanel(QFrame):
    """Title, limits note, a table toggle, and a plot or table of one measurement."""

    def __init__(
        self,
        kind: MeasurementKind,
        parent: QWidget | None = None,
        *,
        plots: PlotPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.limits = Limits()
        self.series = Series(kind)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        top = QHBoxLayout()
        title = fmt.measurement_header(kind)
        self.title = QLabel(title, self)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        # Their texts change with the data; a plain label's minimum width is its whole text,
        # which widened every panel (and repainted every plot) when a series arrived. These
        # elide on a narrow screen and keep the whole text in their tooltip.
        self.note = ElidedLabel("", self, minimum_chars=1)
        self.latest = ElidedLabel("", self, minimum_chars=1)
        self.latest.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table_button = QPushButton(self.tr("Table"), self)
        self.table_button.setCheckable(True)
        self.table_button.setAccessibleName(self.tr("Show %1 as a table").replace("%1", title))
        self.table_button.setToolTip(self.table_button.accessibleName())
        top.addWidget(self.title)
        top.addSpacing(8)
        top.addWidget(self.note, 1)
        top.addWidget(self.latest, 2)
        top.addSpacing(8)
        self.edit_button = QPushButton(self.tr("Limits…"), self)
        self.edit_button.setAccessibleName(
            self.tr("Limits and measuring times for %1").replace("%1", title)
        )
        self.edit_button.setToolTip(self.edit_button.accessibleName())
        top.addWidget(self.edit_button)
        top.addWidget(self.table_button)
        layout.addLayout(top)
        self.stack = QStackedWidget(self)
        self.plot = plots.take(self.stack) if plots is not None else TrendPlot(self.stack)
        self.plot.setAccessibleName(self.tr("Trend: %1").replace("%1", title))
        self.plot.set_no_data_text(self.tr("No measurements in this period"))
        self.plot.set_formatter(self._describe_point)
        self.model = MeasurementTableModel(kind, self)
        self.table = QTableView(self.stack)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Table: %1").replace("%1", title))
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        # Until its data is there the panel shows a blank page: a plot's first show (style
        # polish of its items, first paint) costs 30-40 ms, and a patient view opening with
        # all plots at once stalled the UI thread for a quarter of a second.
        self.placeholder = QWidget(self.stack)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.table_button.toggled.connect(self._toggle_table)
        self.names: tuple[str, ...] = ()
        if kind is MeasurementKind.BLOOD_PRESSURE:
            self.names = (
                QCoreApplication.translate("PatientView", "Systolic"),
                QCoreApplication.translate("PatientView", "Diastolic"),
            )

    def reveal(self) -> None:
        """Show the plot (or the table, if chosen) instead of the blank page."""
        if self.stack.currentWidget() is self.placeholder:
            self.stack.setCurrentWidget(self.table if self.table_button.isChecked() else self.plot)

    def _toggle_table(self, on: bool) -> None:
        self.stack.setCurrentWidget(self.table if on else self.plot)
        self.table_button.setText(self.tr("Plot") if on else self.tr("Table"))
        self.table_button.setAccessibleName(
            (self.tr("Show %1 as a plot") if on else self.tr("Show %1 as a table")).replace(
                "%1", fmt.measurement_header(self.kind)
            )
        )

    def _describe_point(self, index: int, time: float, values: Sequence[float]) -> str:
        shown = [format_number(self.kind, v) for v in values if np.isfinite(v)]
        value = "/".join(shown) + " " + unit_text(self.kind)
        thresholds: Thresholds | None = self.limits.thresholds
        level = Triage(int(classify_values(np.asarray(values[:1]), thresholds)[0]))
        return f"{value}  ·  {format_time(time)}  ·  {fmt.triage_text(level)}"

    def set_limits(self, limits: Limits) -> None:
        self.limits = limits
        specs, hint = band_specs(self.kind, limits)
        self.plot.set_bands(specs, y_hint=hint)
        parts = []
        if limits.thresholds is None and not limits.trends:
            parts.append(self.tr("no limits"))
        elif limits.is_default:
            parts.append(self.tr("standard limits (template), not the patient's own"))
        else:
            parts.append(self.tr("the patient's own limits"))
        for rule in limits.trends:
            level = fmt.triage_text(rule.level)
            parts.append(
                self.tr("%1: %2 %3 in %4 days")
                .replace("%1", level)
                .replace("%2", f"{rule.delta:+g}")
                .replace("%3", unit_text(self.kind))
                .replace("%4", f"{rule.window / 86400:g}")
            )
        self.note.setText(" · ".join(parts))
        self.model.set_series(self.series, limits)

    def set_series(self, series: Series) -> None:
        self.series = series
        self.plot.set_series(series.times, series.values, series.values2, names=self.names)
        self.model.set_series(series, self.limits)
        if len(series):
            values = [float(series.values[-1])]
            if series.values2 is not None:
                values.append(float(series.values2[-1]))
            self.latest.setText(
                self.tr("Latest: %1").replace(
                    "%1", self._describe_point(len(series) - 1, float(series.times[-1]), values)
                )
            )
        else:
            self.latest.setText("")


async def _let_qt_paint() -> None:
    """Yield to the Qt loop for a few ms between steps, so it can paint and run its timers
    between them (measured together with the layout fixes, not on its own)."""
    await asyncio.sleep(0.005)


class PatientView(QWidget):
    """The patient view. Given its service (the workbench composes it) and a patient id;
    `await load()`."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        service: PatientService,
        patient_id: str,
        *,
        can_edit: bool = False,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        history_days: float = 365.0,
        plots: PlotPool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        #: Ready-built plots (the workbench keeps a pool filled in idle time).
        self._plots = plots
        self.service = service
        self.patient_id = patient_id
        self.can_edit = can_edit
        self._now = now
        self._history_days = history_days
        self._tasks = TaskKeeper(self._task_failed)
        self.data: PatientData | None = None
        self.plan: dict[MeasurementKind, PlanItem] = {}
        self.panels: dict[MeasurementKind, MeasurementPanel] = {}
        self.alerts: list[AlertMark] = []
        self.editor: ThresholdEditor | None = None
        self.store = PatientDetailStore(patient_id, self)
        self.store.series_changed.connect(self._series_changed)
        self.setAccessibleName(self.tr("Patient"))

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)
        outer.addWidget(self._build_header())
        range_row = QHBoxLayout()
        self.range_selector = TimeRangeSelector(self, now=now, preset=Preset.MONTH)
        self.range_selector.setAccessibleName(self.tr("Period shown"))
        self.range_selector.range_changed.connect(self._range_changed)
        range_row.addWidget(self.range_selector, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Loading status"))
        range_row.addWidget(self.status)
        outer.addLayout(range_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.plots_area = QScrollArea(self.splitter)
        self.plots_area.setWidgetResizable(True)
        self.plots_area.setFrameShape(QFrame.Shape.NoFrame)
        self.plots_host = QWidget(self.plots_area)
        self.plots_layout = QVBoxLayout(self.plots_host)
        self.plots_layout.setContentsMargins(0, 0, 4, 0)
        self.plots_area.setWidget(self.plots_host)
        side = QWidget(self.splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 0, 0)
        alerts_label = QLabel(self.tr("&Alerts in the period"), side)
        self.alert_model = AlertListModel(self)
        self.alert_table = self._side_table(self.alert_model, self.tr("Alerts"), side)
        alerts_label.setBuddy(self.alert_table)
        q_label = QLabel(self.tr("&Questionnaire answers"), side)
        self.questionnaire_model = QuestionnaireModel(self)
        self.questionnaire_table = self._side_table(
            self.questionnaire_model, self.tr("Questionnaire answers"), side
        )
        q_label.setBuddy(self.questionnaire_table)
        calls_label = QLabel(self.tr("&Video calls"), side)
        self.call_model = CallListModel(self)
        self.call_table = self._side_table(self.call_model, self.tr("Video calls"), side)
        calls_label.setBuddy(self.call_table)
        side_layout.addWidget(alerts_label)
        side_layout.addWidget(self.alert_table, 1)
        side_layout.addWidget(q_label)
        side_layout.addWidget(self.questionnaire_table, 1)
        side_layout.addWidget(calls_label)
        side_layout.addWidget(self.call_table, 1)
        self.splitter.addWidget(self.plots_area)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1380, 500])
        outer.addWidget(self.splitter, 1)

    # ----- construction -------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        header = QFrame(self)
        header.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(header)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(16)
        self.name_label = QLabel(header)
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.age_label = QLabel(header)
        self.fnr_label = QLabel(header)
        self.fnr_label.setAccessibleName(self.tr("National ID number"))
        self.reveal_button = QPushButton(self.tr("&Show"), header)
        self.reveal_button.setAccessibleName(self.tr("Show the full national ID number (logged)"))
        self.reveal_button.setToolTip(self.reveal_button.accessibleName())
        self.reveal_button.clicked.connect(self._reveal_clicked)
        self.details_label = QLabel(header)
        self.details_label.setWordWrap(True)
        self.people_label = QLabel(header)
        self.people_label.setWordWrap(True)
        self.news2_label = QLabel(header)
        self.news2_label.setObjectName("news2")
        self.news2_label.setFrameShape(QFrame.Shape.Box)
        self.news2_label.setMargin(6)
        self.news2_label.setWordWrap(True)
        self.news2_label.setMinimumWidth(240)
        self.news2_label.setAccessibleName(self.tr("NEWS2 score"))
        fnr_row = QHBoxLayout()
        fnr_row.addWidget(self.fnr_label)
        fnr_row.addWidget(self.reveal_button)
        fnr_row.addStretch(1)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_label)
        name_row.addSpacing(12)
        name_row.addWidget(self.age_label)
        name_row.addSpacing(12)
        name_row.addLayout(fnr_row)
        name_row.addStretch(1)
        grid.addLayout(name_row, 0, 0)
        grid.addWidget(self.details_label, 1, 0)
        grid.addWidget(self.people_label, 2, 0)
        grid.addWidget(self.news2_label, 0, 1, 3, 1)
        grid.setColumnStretch(0, 1)
        return header

    def _side_table(self, model: Any, name: str, parent: QWidget) -> QTableView:
        table = QTableView(parent)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setColumnWidth(0, 130)
        return table

    # ----- tasks ----------------------------------------------------------------------------

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        return self._tasks.spawn(coro, name)

    def _task_failed(self, exc: BaseException) -> None:
        if isinstance(exc, FhirError):  # other errors the keeper logs with their traceback
            log.error("a patient view task failed: %s", exc)
        self.status.setText(self.tr("Could not load: %1").replace("%1", str(exc)))
        self.failed.emit(str(exc))

    async def aclose(self) -> None:
        """Cancel loading and editing; call before dropping the view."""
        if self.editor is not None:
            self.editor.done(0)
        await self._tasks.cancel_all(grace=0)  # leaving the view: loading stops at once

    # ----- loading --------------------------------------------------------------------------

    async def load(self, *, days: float = 30.0) -> PatientData:
        self.status.setText(self.tr("Loading…"))
        data = await self.service.load(self.patient_id, days=days)
        await self.show_data_stepwise(data)
        return data

    async def show_data_stepwise(self, data: PatientData) -> None:
        """`show_data` in steps with the event loop running in between (one plot per step)."""
        self.show_data(data, series=False)
        kinds = self._kinds(data)
        if not kinds:
            self._build_panels(kinds, data.programme)  # says there is nothing to show
        for kind in kinds:  # building a panel (its plot) takes 15-20 ms: one per turn
            await _let_qt_paint()
            self._add_panel(kind, data.programme)
        # Settle the geometry now (the header's new texts change its height): a deferred
        # layout pass would resize, and so repaint, every plot after they were drawn.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        for kind, panel in list(self.panels.items()):
            await _let_qt_paint()
            series = data.series.get(kind)
            if series is not None:
                self.store.series[kind] = series
                self._series_changed([kind])
            panel.reveal()
        self.store.series.update(data.series)

    def show_data(self, data: PatientData, *, series: bool = True) -> None:
        """Fill every part of the view from loaded data (no I/O); `series=False` leaves the
        panels out for the caller to add and fill (`show_data_stepwise`)."""
        self.data = data
        self._show_header(data.header)
        self.plan = {item.kind: item for item in data.plan}
        if series:
            self._build_panels(self._kinds(data), data.programme)
        else:
            self._clear_panels()
        self.alerts = data.alerts
        self.alert_model.set_items(data.alerts)
        self.questionnaire_model.set_items(data.questionnaires)
        self.show_news2(data.news2)
        if series:
            self.store.reset(data.series)
            for panel in self.panels.values():
                panel.reveal()
        self.status.setText(
            self.tr("%n measurement(s) loaded", "", sum(len(s) for s in data.series.values()))
        )
        self.loaded.emit()

    @staticmethod
    def _kinds(data: PatientData) -> list[MeasurementKind]:
        """The plan's measurements, or (no plan) whatever was measured."""
        return [item.kind for item in data.plan] or sorted(
            (k for k, s in data.series.items() if len(s)), key=_KIND_ORDER.index
        )

    def start_history(self) -> asyncio.Task[Any] | None:
        """Fetch the rest of the history (up to `history_days`) in the background."""
        if self.data is None:
            return None
        end = self.data.loaded_from
        start = self.data.loaded_to - self._history_days * 86400.0
        if start >= end:
            return None
        return self.spawn(self._load_history(start, end), "patient-history")

    async def _load_history(self, start: float, end: float) -> None:
        def progress(count: int) -> None:
            self.status.setText(self.tr("Loading history… %1").replace("%1", str(count)))

        older, _skipped = await self.service.load_series(
            self.patient_id, start, end, on_page=progress
        )
        merged: dict[MeasurementKind, Series] = dict(self.store.series)
        # One measurement at a time, yielding in between, so the UI never waits for all plots.
        for kind in sorted(set(merged) | set(older), key=_KIND_ORDER.index):
            builder = SeriesBuilder()
            for part in (older.get(kind), merged.get(kind)):
                if part is not None and len(part):
                    builder.add_arrays(kind, part.times, part.values, part.values2)
            # Sorting half a million values takes tens of ms; numpy does it without the GIL.
            built = (await asyncio.to_thread(builder.build)).get(kind)
            if built is not None:
                self.store.series[kind] = built
                self._series_changed([kind])
            await _let_qt_paint()
        if self.data is not None:
            self.data.loaded_from = start
        self.status.setText(
            self.tr("%n measurement(s) loaded", "", sum(len(s) for s in self.store.series.values()))
        )

    def _show_header(self, header: PatientHeader) -> None:
        patient = header.patient
        self.name_label.setText(f"{patient.given} {patient.family}".strip())
        age = age_on(patient.birth_date, self._now().astimezone(LOCAL_TZ).date())
        self.age_label.setText(self.tr("%n year(s)", "", age) if age is not None else "")
        masked = mask_fodselsnummer(patient.fodselsnummer)
        self.fnr_label.setText(self.tr("National ID: %1").replace("%1", masked or "–"))
        self.reveal_button.setEnabled(bool(masked))
        programme = ""
        if header.episode is not None:
            programme = fmt.programme_text(
                header.episode.programme, header.episode.programme_display
            )
        details = [
            self.tr("Department: %1").replace("%1", header.department or "–"),
            self.tr("Programme: %1").replace("%1", programme or "–"),
            self.tr("Responsible nurse: %1").replace("%1", header.care_manager or "–"),
        ]
        self.details_label.setText("   ·   ".join(details))
        relatives = ", ".join(
            r.name
            + (f" ({r.relationship})" if r.relationship else "")
            + (f" {r.phone}" if r.phone else "")
            for r in header.relatives
        )
        people = [
            self.tr("GP: %1").replace("%1", header.gp or "–"),
            self.tr("Relatives: %1").replace("%1", relatives or self.tr("none registered")),
        ]
        self.people_label.setText("   ·   ".join(people))

    def show_news2(self, news: News2) -> None:
        source = self.tr("from the server") if news.source == "server" else self.tr("computed here")
        lines = [self.tr("NEWS2: %1").replace("%1", str(news.score))]
        if news.partial:
            missing = ", ".join(news2_parameter_text(p) for p in news.missing)
            lines[0] += " " + self.tr("(partial)")
            lines.append(self.tr("Missing: %1").replace("%1", missing))
        lines.append(source)
        self.news2_label.setText("\n".join(lines))
        self.news2_label.setAccessibleDescription(" ".join(lines))

    def _build_panels(self, kinds: Sequence[MeasurementKind], programme: str) -> None:
        self._clear_panels()
        for kind in kinds:
            self._add_panel(kind, programme)
        if not kinds:
            empty = QLabel(
                self.tr("No plan and no measurements for this patient."), self.plots_host
            )
            self.plots_layout.addWidget(empty)

    def _clear_panels(self) -> None:
        for panel in self.panels.values():
            panel.setParent(None)
            panel.deleteLater()
        self.panels = {}
        while self.plots_layout.count():
            item = self.plots_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and not isinstance(widget, MeasurementPanel):
                widget.deleteLater()  # the "no plan" note

    def _add_panel(self, kind: MeasurementKind, programme: str) -> MeasurementPanel:
        previous: QWidget = (
            list(self.panels.values())[-1].plot if self.panels else self.range_selector
        )
        panel = MeasurementPanel(kind, self.plots_host, plots=self._plots)
        item = self.plan.get(kind)
        panel.set_limits(item.limits if item else default_limits(kind, programme))
        panel.setMinimumHeight(200)
        # The range first: then the plot clips and downsamples its data only once.
        panel.plot.set_range(*self.range_selector.current_range())
        self.plots_layout.addWidget(panel, 1)
        # Shown now: left to the layout, each panel appears on a later loop turn and every
        # arrival resizes and repaints the panels before it.
        panel.show()
        self.panels[kind] = panel
        panel.edit_button.setEnabled(item is not None)
        if item is not None and not self.can_edit:
            panel.edit_button.setToolTip(
                self.tr("Your role may view but not change the plan (read-only).")
            )
        panel.edit_button.clicked.connect(lambda _c=False, k=kind: self.open_editor(k))
        QWidget.setTabOrder(previous, panel.edit_button)
        QWidget.setTabOrder(panel.edit_button, panel.table_button)
        QWidget.setTabOrder(panel.table_button, panel.plot)
        return panel

    # ----- range, series, live ---------------------------------------------------------------

    def _range_changed(self, start: float, end: float) -> None:
        self._apply_range(start, end)

    def _apply_range(self, start: float, end: float) -> None:
        for panel in self.panels.values():
            panel.plot.set_range(start, end)
        self._update_gaps()

    def _series_changed(self, kinds: list[MeasurementKind]) -> None:
        for kind in kinds:
            panel = self.panels.get(kind)
            series = self.store.series.get(kind)
            if panel is not None and series is not None:
                panel.set_series(series)
        # Only the changed plots: touching every plot repainted them all at each step.
        self._update_marks(kinds)
        self._update_gaps(kinds)

    def _update_marks(self, kinds: Sequence[MeasurementKind] | None = None) -> None:
        for kind, panel in self.panels.items():
            if kinds is not None and kind not in kinds:
                continue
            marks = [
                Mark(
                    a.time.timestamp(),
                    _MARK_PRIORITY.get(a.priority, MarkPriority.LOW),
                    self.tr("Alert: %1").replace("%1", a.text or a.rule),
                )
                for a in self.alerts
                if a.kind is None or a.kind is kind
            ]
            panel.plot.set_marks(marks)

    def _update_gaps(self, kinds: Sequence[MeasurementKind] | None = None) -> None:
        now = self._now().timestamp()
        loaded_from = self.data.loaded_from if self.data else now
        label = self.tr("Missing")
        for kind, panel in self.panels.items():
            if kinds is not None and kind not in kinds:
                continue
            item = self.plan.get(kind)
            if item is None or item.schedule is None:
                continue
            series = self.store.series.get(kind, Series(kind))
            start = loaded_from
            if item.start is not None:
                start = max(start, item.start.timestamp())
            starts, ends = find_gaps(series.times, item.schedule, start, now, LOCAL_TZ, now=now)
            panel.plot.set_gaps(starts, ends, label)

    def set_calls(self, calls: list[VideoCall]) -> None:
        """The patient's video calls (from the video service), shown in the timeline panel."""
        self.call_model.set_calls(calls)

    def apply_observations(self, measurements: list[Measurement]) -> None:
        """Live measurements (any patient; others are ignored); repainted in 10 Hz batches."""
        self.store.apply(measurements)

    def apply_alerts(self, alerts: list[AlertMark]) -> None:
        known = {a.id: a for a in self.alerts}
        for alert in alerts:
            known[alert.id] = alert
        self.alerts = sorted(known.values(), key=lambda a: a.time)
        self.alert_model.set_items(self.alerts)
        self._update_marks()

    # ----- actions ---------------------------------------------------------------------------

    def _reveal_clicked(self) -> None:
        self.reveal_button.setEnabled(False)
        self.spawn(self.reveal_fodselsnummer(), "reveal-fnr")

    async def reveal_fodselsnummer(self) -> None:
        fnr = await self.service.reveal_fodselsnummer(self.patient_id)
        self.fnr_label.setText(self.tr("National ID: %1").replace("%1", fnr or "–"))
        self.reveal_button.hide()

    def open_editor(self, kind: MeasurementKind | None) -> ThresholdEditor | None:
        """Open the editor for `kind` (default: the first plan item), window-modal, with open()."""
        if not self.plan:
            return None
        item = self.plan.get(kind) if kind is not None else next(iter(self.plan.values()))
        if item is None:
            return None
        series = self.store.series.get(item.kind)
        programme = self.data.programme if self.data else None

        async def save(plan_item: PlanItem, thresholds: Thresholds, schedule: Any) -> PlanItem:
            return await self.service.save_plan_item(
                plan_item, thresholds, schedule, programme=programme
            )

        editor = ThresholdEditor(
            item, series, save, can_edit=self.can_edit, now=self._now, parent=self
        )
        editor.saved.connect(self._plan_saved)
        editor.finished.connect(lambda _r: self._editor_closed(editor))
        self.editor = editor
        editor.open()
        return editor

    def _editor_closed(self, editor: ThresholdEditor) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def _plan_saved(self, item: PlanItem) -> None:
        self.plan[item.kind] = item
        panel = self.panels.get(item.kind)
        if panel is not None:
            panel.set_limits(item.limits)
        self._update_gaps()
