"""The department lead's review ("Oversikt"): caseload, alerts, response times, adherence,
benefits and per-nurse figures for a range and a department, with charts that each have a
table, and exports to CSV, XLSX and a PDF report.

For leads, superusers and administrators; anyone else sees a page saying it is not for their
role, and nothing is fetched (the server refuses the lead-only parts as well). Loading runs
in `ReviewService` (worker threads, chunk by chunk); this view shows progress with a cancel
button and never blocks. File dialogs open with `open()`, never `exec()`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console.domain.alerts import Priority
from console.domain.collation import norwegian_key
from console.domain.review import Baseline, Review, ReviewQuery
from console.domain.service_hours import OpeningHours
from console.services.review import (
    ReviewService,
    review_settings,
    save_review_settings,
)
from console.services.review_export import ExportHeader, write_csv, write_xlsx
from console.state.alert_queue import priority_text
from console.state.formatting import centre_zone, programme_text
from console.state.review_tables import (
    Table,
    TableModel,
    benefits_note,
    review_tables,
    week_short,
)
from console.ui.review_report import ReportChart, export_report_pdf, report_html
from widgets.review_chart import ChartPanel, Series

log = logging.getLogger(__name__)

PRESETS = (
    "last-7",
    "last-30",
    "last-90",
    "previous-week",
    "previous-month",
    "previous-quarter",
    "this-month",
    "custom",
)


def preset_range(preset: str, today: date) -> tuple[date, date]:
    """(first day, last day) of a preset, both inclusive, local dates."""
    if preset in ("last-7", "last-30", "last-90"):
        days = int(preset.split("-")[1])
        return today - timedelta(days=days - 1), today
    if preset == "previous-week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if preset == "previous-month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == "previous-quarter":
        first_this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last = first_this - timedelta(days=1)
        return date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last
    if preset == "this-month":
        return today.replace(day=1), today
    return today - timedelta(days=29), today


def hours_text(hours: OpeningHours) -> str:
    names = [
        QCoreApplication.translate("ReviewView", "Mon"),
        QCoreApplication.translate("ReviewView", "Tue"),
        QCoreApplication.translate("ReviewView", "Wed"),
        QCoreApplication.translate("ReviewView", "Thu"),
        QCoreApplication.translate("ReviewView", "Fri"),
        QCoreApplication.translate("ReviewView", "Sat"),
        QCoreApplication.translate("ReviewView", "Sun"),
    ]
    parts = []
    for days, start, end in hours.describe():
        if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            label = f"{names[days[0]]}–{names[days[-1]]}"
        else:
            label = ", ".join(names[d] for d in days)
        parts.append(f"{label} {start:%H:%M}–{end:%H:%M}")
    text = "; ".join(parts) or QCoreApplication.translate("ReviewView", "closed")
    if hours.is_default:
        text += " " + QCoreApplication.translate(
            "ReviewView", "(default: the centre has published no opening hours)"
        )
    return text


class _Section(QFrame):
    """A titled table (with its note) sized to its rows, inside a scrolling tab."""

    activated = Signal(str)  # patient id

    def __init__(self, title: str, parent: QWidget | None = None, *, max_rows: int = 14) -> None:
        super().__init__(parent)
        self.max_rows = max_rows
        self.show_note = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = TableModel(parent=self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(title)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Widths from the first rows only: a 2,000-patient table must not be measured whole.
        header.setResizeContentsPrecision(60)
        header.setStretchLastSection(False)
        self.view.activated.connect(self._activated)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.hide()
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        layout.addWidget(self.note)

    def set_table(self, table: Table) -> None:
        self.title.setText(table.title)
        self.view.setAccessibleName(table.title)
        self.model.set_table(table)
        # The first (naming) column takes the spare width; numbers keep theirs.
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note.setText(table.note)
        self.note.setVisible(bool(table.note) and self.show_note)
        rows = min(len(table.rows), self.max_rows)
        row_height = self.view.verticalHeader().defaultSectionSize()
        header = self.view.horizontalHeader().sizeHint().height()
        scroll = 18 if len(table.headers) > 6 else 4
        self.view.setFixedHeight(header + max(1, rows) * row_height + scroll)

    def _activated(self, index: QModelIndex) -> None:
        pid = index.data(Qt.ItemDataRole.UserRole)
        if pid:
            self.activated.emit(str(pid))


class ReviewView(QWidget):
    """The lead's review; `open_patient(id)` when a listed patient is opened."""

    open_patient = Signal(str)
    exported = Signal(str)

    def __init__(
        self,
        service: ReviewService | None,
        *,
        role_text: str = "",
        centre_name: str = "",
        author: str = "",
        departments: Sequence[str] = (),
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.centre_name = centre_name
        self.author = author
        self.centre_departments = tuple(departments)
        self._now = now
        self.review: Review | None = None
        self.tables: list[Table] = []
        self.file_dialog: QFileDialog | None = None
        self._sections: dict[str, _Section] = {}
        self._charts: dict[str, ChartPanel] = {}
        self.setAccessibleName(self.tr("Review"))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        if service is None or not service.allowed:
            self._refusal(outer, role_text)
            return
        self.settings = review_settings(self.centre_departments)
        self._ready = False
        self._steps: list[Callable[[], None]] = []
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._next_step)
        self._build(outer)
        self._apply_settings_to_inputs()
        service.loaded.connect(self._show)
        service.progress.connect(self._progress)
        service.failed.connect(self._failed)
        service.busy_changed.connect(self._busy)
        self._ready = True
        self.refresh()

    # ----- building ------------------------------------------------------------------------

    def _refusal(self, layout: QVBoxLayout, role_text: str) -> None:
        self.refusal = QLabel(self)
        self.refusal.setWordWrap(True)
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.refusal.setAccessibleName(self.tr("Not available"))
        text = self.tr(
            "The review is for department leads, superusers and administrators. "
            "You are signed in as %1, so it is not shown. Ask your department lead if you "
            "need these figures."
        ).replace("%1", role_text or self.tr("a user without one of these roles"))
        self.refusal.setText(text)
        font = self.refusal.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.refusal.setFont(font)
        self.refusal.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addStretch(1)
        layout.addWidget(self.refusal)
        layout.addStretch(2)

    @property
    def allowed(self) -> bool:
        return self.service is not None and self.service.allowed

    def _build(self, outer: QVBoxLayout) -> None:
        bar = QHBoxLayout()
        range_label = QLabel(self.tr("&Range:"), self)
        self.preset = QComboBox(self)
        self.preset.setAccessibleName(self.tr("Range"))
        names = {
            "last-7": self.tr("Last 7 days"),
            "last-30": self.tr("Last 30 days"),
            "last-90": self.tr("Last 90 days (quarter)"),
            "previous-week": self.tr("Previous week"),
            "previous-month": self.tr("Previous month"),
            "previous-quarter": self.tr("Previous quarter"),
            "this-month": self.tr("This month"),
            "custom": self.tr("Custom"),
        }
        for key in PRESETS:
            self.preset.addItem(names[key], key)
        range_label.setBuddy(self.preset)
        self.first = QDateEdit(self)
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("dd.MM.yyyy")
        self.first.setAccessibleName(self.tr("First day"))
        self.last = QDateEdit(self)
        self.last.setCalendarPopup(True)
        self.last.setDisplayFormat("dd.MM.yyyy")
        self.last.setAccessibleName(self.tr("Last day"))
        dep_label = QLabel(self.tr("&Department:"), self)
        self.department = QComboBox(self)
        self.department.setAccessibleName(self.tr("Department"))
        self.department.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.department.setMinimumContentsLength(18)
        self.department.addItem(self.tr("All departments"), None)
        dep_label.setBuddy(self.department)
        self.update_button = QPushButton(self.tr("&Update"), self)
        self.update_button.setAccessibleName(self.tr("Update the review (F5)"))
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setAccessibleName(self.tr("Loading progress"))
        self.progress_bar.setMaximumWidth(180)
        self.progress_bar.setFormat(self.tr("Loading %p %"))
        self.progress_bar.hide()
        self.cancel_button = QPushButton(self.tr("&Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel loading"))
        self.cancel_button.hide()
        self.csv_button = QPushButton(self.tr("C&SV…"), self)
        self.csv_button.setAccessibleName(self.tr("Export the review as CSV"))
        self.xlsx_button = QPushButton(self.tr("&XLSX…"), self)
        self.xlsx_button.setAccessibleName(self.tr("Export the review as an Excel workbook"))
        self.pdf_button = QPushButton(self.tr("&PDF report…"), self)
        self.pdf_button.setAccessibleName(self.tr("Export a printable PDF report"))
        for widget in (range_label, self.preset, self.first, self.last):
            bar.addWidget(widget)
        bar.addWidget(self.update_button)
        bar.addWidget(self.progress_bar)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        outer.addLayout(bar)
        second = QHBoxLayout()
        second.addWidget(dep_label)
        second.addWidget(self.department)
        second.addSpacing(8)
        self.source = QLabel(self)
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.source.setAccessibleName(self.tr("Where the figures come from"))
        self.source.setText(self.tr("Choose a range; the figures load in the background."))
        second.addWidget(self.source, 1)
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            second.addWidget(button)
            button.setEnabled(False)
        outer.addLayout(second)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Review sections"))
        self._grids: list[QGridLayout] = []
        outer.addWidget(self.tabs, 1)

        overview, grid = self._tab(self.tr("&Overview"))
        self._add_section(grid, "summary", 0, 0, max_rows=20)
        self._add_chart(grid, "caseload-weeks", self.tr("Patients followed per week"), 0, 1)
        self._add_section(grid, "caseload-departments", 1, 0, span=2)
        self._add_section(grid, "caseload-programmes", 2, 0)
        self.planning = QSpinBox(overview)
        self.planning.setRange(1, 1000)
        self.planning.setAccessibleName(self.tr("Planning figure: patients per full-time nurse"))
        form = QFormLayout()
        form.addRow(self.tr("Planning &figure (patients per nurse):"), self.planning)
        holder = QWidget(overview)
        holder.setLayout(form)
        grid.addWidget(holder, 2, 1, Qt.AlignmentFlag.AlignTop)

        _alerts, grid = self._tab(self.tr("&Alerts"))
        self._add_chart(grid, "alerts-periods", self.tr("Alerts by priority"), 0, 0, span=2)
        self._add_section(grid, "alerts-rules", 1, 0)
        self._add_section(grid, "alerts-outcomes", 1, 1)
        self._add_section(grid, "alerts-departments", 2, 0, span=2)

        times, grid = self._tab(self.tr("Response &times"))
        self._add_chart(grid, "times-weeks", self.tr("Time to claim per week"), 0, 0, span=2)
        self._add_section(grid, "times-priority", 1, 0, span=2)
        self.target = QSpinBox(times)
        self.target.setRange(1, 600)
        self.target.setSuffix(" min")
        self.target.setAccessibleName(self.tr("Target for claiming high-priority alerts (minutes)"))
        form = QFormLayout()
        form.addRow(self.tr("Ta&rget for high priority:"), self.target)
        holder = QWidget(times)
        holder.setLayout(form)
        grid.addWidget(holder, 2, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        self._add_section(grid, "times-departments", 3, 0, span=2)
        self._add_section(grid, "times-weekday", 4, 0)
        self._add_section(grid, "times-hour", 4, 1, max_rows=24)

        _adherence, grid = self._tab(self.tr("A&dherence"))
        self._add_chart(grid, "adherence-weeks", self.tr("Adherence per week"), 0, 0, span=2)
        self._add_section(grid, "adherence-programmes", 1, 0)
        self._add_section(grid, "adherence-departments", 1, 1)
        self._add_section(grid, "adherence-falling", 2, 0, span=2)
        self._add_section(grid, "adherence-patients", 3, 0, span=2, max_rows=16)

        benefits, grid = self._tab(self.tr("&Benefits"))
        self.benefits_intro = QLabel(benefits_note(), benefits)
        self.benefits_intro.setWordWrap(True)
        font = self.benefits_intro.font()
        font.setBold(True)
        self.benefits_intro.setFont(font)
        self.benefits_intro.setAccessibleName(self.tr("How the benefits are estimated"))
        grid.addWidget(self.benefits_intro, 0, 0, 1, 2)
        self.baselines = QWidget(benefits)
        self.baseline_form = QGridLayout(self.baselines)
        grid.addWidget(self.baselines, 1, 0, 1, 2, Qt.AlignmentFlag.AlignLeft)
        self._baseline_inputs: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        self._add_section(grid, "benefits", 2, 0, span=2)

        _nurses, grid = self._tab(self.tr("Per &nurse"))
        self.nurse_tab = self._last_tab
        self._add_section(grid, "per-nurse", 0, 0, span=2, max_rows=30)

        for grid in self._grids:  # sections stay at the top of their tab
            grid.setRowStretch(grid.rowCount(), 1)
        self._sections["benefits"].show_note = False  # the tab's own text says it first
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self.first.dateChanged.connect(self._dates_edited)
        self.last.dateChanged.connect(self._dates_edited)
        self.department.currentIndexChanged.connect(lambda _i: self.refresh())
        self.update_button.clicked.connect(self.refresh)
        self.cancel_button.clicked.connect(self.cancel)
        self.csv_button.clicked.connect(lambda: self.choose_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.choose_export("pdf"))
        self.planning.editingFinished.connect(self._settings_edited)
        self.target.editingFinished.connect(self._settings_edited)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        self._setting_dates = False
        self.preset.setCurrentIndex(PRESETS.index("last-30"))
        self._preset_changed()

    def _tab(self, title: str) -> tuple[QWidget, QGridLayout]:
        scroll = QScrollArea(self.tabs)
        self._last_tab = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget(scroll)
        grid = QGridLayout(page)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setHorizontalSpacing(16)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, title)
        self._grids.append(grid)
        return page, grid

    def _add_section(
        self,
        grid: QGridLayout,
        key: str,
        row: int,
        column: int,
        *,
        span: int = 1,
        max_rows: int = 14,
    ) -> None:
        section = _Section("", grid.parentWidget(), max_rows=max_rows)
        section.activated.connect(self.open_patient)
        self._sections[key] = section
        grid.addWidget(section, row, column, 1, span, Qt.AlignmentFlag.AlignTop)

    def _add_chart(
        self, grid: QGridLayout, key: str, title: str, row: int, column: int, *, span: int = 1
    ) -> None:
        chart = ChartPanel(title, grid.parentWidget())
        chart.setMinimumHeight(260)
        self._charts[key] = chart
        grid.addWidget(chart, row, column, 1, span)

    # ----- inputs ---------------------------------------------------------------------------

    def _today(self) -> date:
        return self._now().astimezone(centre_zone()).date()

    def _preset_changed(self, _index: int = 0) -> None:
        key = self.preset.currentData()
        if key == "custom":
            return
        first, last = preset_range(str(key), self._today())
        self._setting_dates = True
        self.first.setDate(QDate(first.year, first.month, first.day))
        self.last.setDate(QDate(last.year, last.month, last.day))
        self._setting_dates = False
        self.refresh()

    def _dates_edited(self, _date: QDate) -> None:
        if self._setting_dates:
            return
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(PRESETS.index("custom"))
        self.preset.blockSignals(False)

    def query(self) -> ReviewQuery:
        first = self.first.date().toPython()
        last = self.last.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        if last < first:
            first, last = last, first
        start = datetime.combine(first, time(0), tzinfo=centre_zone())
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=centre_zone())
        dep = self.department.currentData()
        return ReviewQuery(
            start, end, departments=frozenset({dep}) if dep else None, now=self._now()
        )

    def _apply_settings_to_inputs(self) -> None:
        self.planning.setValue(self.settings.planning_figure)
        self.target.setValue(round(self.settings.claim_target_minutes))

    def _settings_edited(self) -> None:
        baselines = dict(self.settings.baselines)
        for dep, (visits, minutes) in self._baseline_inputs.items():
            if visits.value() > 0 and minutes.value() > 0:
                baselines[dep] = Baseline(visits.value(), minutes.value())
            else:
                baselines.pop(dep, None)
        updated = replace(
            self.settings,
            planning_figure=self.planning.value(),
            claim_target_minutes=float(self.target.value()),
            baselines=baselines,
        )
        if updated != self.settings:
            self.settings = updated
            save_review_settings(updated)
            self.refresh()

    def refresh(self) -> None:
        if self.service is None or not self.allowed or not self._ready:
            return
        self.service.request(self.query(), self.settings)

    def cancel(self) -> None:
        if self.service is not None:
            self.service.cancel()
        self.source.setText(self.tr("Loading cancelled. Press Update (F5) to load again."))

    # ----- service events -------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.update_button.setEnabled(not busy)
        if busy:
            self.progress_bar.setRange(0, 0)

    def _progress(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(1, total))
        self.progress_bar.setValue(done)

    def _failed(self, text: str) -> None:
        self.source.setText("⚠ " + text)

    def _show(self, review: Review) -> None:
        """Fill tables and charts a step per event-loop turn (each step is a few ms), so a
        big centre's review never holds the UI thread; `flush` finishes at once."""
        self.review = review
        self.tables = review_tables(review)
        by_key = {t.key: t for t in self.tables}
        steps: list[Callable[[], None]] = []
        for key, section in self._sections.items():
            table = by_key.get(key)
            section.setVisible(table is not None)
            if table is not None:
                steps.append(partial(section.set_table, table))
        steps += self._chart_steps(review, by_key)
        steps.append(self._finish_show)
        self._steps = steps
        self._step_timer.start()

    def _next_step(self) -> None:
        if self._steps:
            self._steps.pop(0)()
        if not self._steps:
            self._step_timer.stop()

    def flush(self) -> None:
        """Do the remaining steps now (exports, tests)."""
        while self._steps:
            self._steps.pop(0)()
        self._step_timer.stop()

    def _finish_show(self) -> None:
        assert self.review is not None
        self._fill_departments()
        self._fill_baselines()
        index = self.tabs.indexOf(self.nurse_tab)
        self.tabs.setTabVisible(index, self.review.per_nurse is not None)
        for widget in (self.csv_button, self.xlsx_button, self.pdf_button):
            widget.setEnabled(True)
        self.source.setText(self.source_text())

    def source_text(self) -> str:
        assert self.review is not None
        info = self.service.info if self.service is not None else None
        parts = [self.range_text()]
        hours = self.review.hours
        parts.append(self.tr("Opening hours: %1").replace("%1", hours_text(hours)))
        if info is not None:
            seconds = QLocale().toString(info.seconds, "f", 1)
            parts.append(
                (
                    self.tr("Figures from the server's review operation in %1 s")
                    if info.fast
                    else self.tr("Figures from standard FHIR searches in %1 s")
                )
                .replace("%1 s", "%1\u00a0s")  # "1,4 s" never breaks between number and unit
                .replace("%1", seconds)
            )
        if self.review.per_nurse is None and self.service is not None:
            parts.append(self.tr("Per-nurse figures are for department leads only"))
        return " · ".join(parts)

    def range_text(self) -> str:
        q = self.query()
        last = (q.end - timedelta(days=1)).date()
        return (
            self.tr("%1 to %2")
            .replace("%1", q.start.strftime("%d.%m.%Y"))
            .replace("%2", last.strftime("%d.%m.%Y"))
        )

    def _fill_departments(self) -> None:
        if self.service is None:
            return
        known = self.service.departments()
        current = self.department.currentData()
        existing = {self.department.itemData(i) for i in range(self.department.count())}
        if set(known) | {None} == existing:
            return
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItem(self.tr("All departments"), None)
        for dep, name in sorted(known.items(), key=lambda kv: norwegian_key(kv[1])):
            self.department.addItem(name, dep)
        index = self.department.findData(current)
        self.department.setCurrentIndex(max(0, index))
        self.department.blockSignals(False)

    def _fill_baselines(self) -> None:
        if self.service is None or self._baseline_inputs:
            return
        layout = self.baseline_form
        layout.addWidget(
            QLabel(self.tr("Baseline before DHO (nullpunktsmåling):"), self), 0, 0, 1, 3
        )
        layout.addWidget(QLabel(self.tr("Visits per patient per week"), self), 1, 1)
        layout.addWidget(QLabel(self.tr("Minutes per visit (with travel)"), self), 1, 2)
        for row, (dep, name) in enumerate(
            sorted(self.service.departments().items(), key=lambda kv: kv[1]), start=2
        ):
            label = QLabel(name, self)
            visits = QDoubleSpinBox(self)
            visits.setRange(0, 50)
            visits.setDecimals(1)
            visits.setSingleStep(0.5)
            visits.setAccessibleName(
                self.tr("Visits per patient per week before DHO: %1").replace("%1", name)
            )
            minutes = QDoubleSpinBox(self)
            minutes.setRange(0, 600)
            minutes.setDecimals(0)
            minutes.setSingleStep(5)
            minutes.setAccessibleName(self.tr("Minutes per visit: %1").replace("%1", name))
            baseline = self.settings.baselines.get(dep)
            if baseline is not None:
                visits.setValue(baseline.visits_per_week)
                minutes.setValue(baseline.minutes_per_visit)
            visits.editingFinished.connect(self._settings_edited)
            minutes.editingFinished.connect(self._settings_edited)
            layout.addWidget(label, row, 0)
            layout.addWidget(visits, row, 1)
            layout.addWidget(minutes, row, 2)
            self._baseline_inputs[dep] = (visits, minutes)

    @staticmethod
    def _chart_table(chart: ChartPanel, table: Table) -> None:
        chart.set_table_model(TableModel(table, chart))

    def _chart_steps(self, review: Review, tables: dict[str, Table]) -> list[Callable[[], None]]:
        steps: list[Callable[[], None]] = []
        for key, chart in self._charts.items():
            table = tables.get(key)
            if table is not None:
                steps.append(partial(self._chart_table, chart, table))
        c, a, t, ad = review.caseload, review.alerts, review.times, review.adherence
        weeks = [week_short(w.week) for w in c.weeks]

        def caseload_chart() -> None:
            self._charts["caseload-weeks"].set_lines(
                weeks,
                [Series(self.tr("Patients at the end of the week"), [w.active for w in c.weeks])],
                y_label=self.tr("patients"),
            )

        steps.append(caseload_chart)
        per_day = len(a.per_day) <= 31
        periods = a.per_day if per_day else a.per_week
        labels = [p.start.strftime("%d.%m.") if per_day else week_short(p.start) for p in periods]

        def alerts_chart() -> None:
            self._charts["alerts-periods"].set_bars(
                labels,
                [
                    Series(priority_text(Priority.HIGH), [p.high for p in periods]),
                    Series(priority_text(Priority.MEDIUM), [p.medium for p in periods]),
                    Series(priority_text(Priority.LOW), [p.low for p in periods]),
                    Series(self.tr("Adherence items"), [p.adherence for p in periods]),
                ],
                y_label=self.tr("alerts"),
            )

        steps.append(alerts_chart)

        def times_chart() -> None:
            self._charts["times-weeks"].set_lines(
                [week_short(w) for w, _s in t.per_week],
                [
                    Series(
                        self.tr("Median to claim"),
                        [
                            s.claim_median / 60 if s.claim_median is not None else None
                            for _w, s in t.per_week
                        ],
                    ),
                    Series(
                        self.tr("p90 to claim"),
                        [
                            s.claim_p90 / 60 if s.claim_p90 is not None else None
                            for _w, s in t.per_week
                        ],
                    ),
                ],
                y_label=self.tr("minutes of opening hours"),
            )

        steps.append(times_chart)
        names = {row.key: programme_text(row.key, row.name) for row in ad.by_programme}

        def adherence_chart() -> None:
            self._charts["adherence-weeks"].set_lines(
                [week_short(w) for w, _row in ad.per_week],
                [
                    Series(
                        names[code],
                        [
                            None if row.get(code) is None else 100 * (row.get(code) or 0)
                            for _w, row in ad.per_week
                        ],
                    )
                    for code in names
                ],
                y_label=self.tr("% of scheduled measurements"),
                y_max=125,  # room for the legend above the 100 % line
            )

        steps.append(adherence_chart)
        return steps

    # ----- export ---------------------------------------------------------------------------

    def export_header(self) -> ExportHeader:
        dep = self.department.currentText()
        lines = (
            (self.tr("Response centre"), self.centre_name),
            (self.tr("Department"), dep),
            (self.tr("Range"), self.range_text()),
            (self.tr("Made"), self._now().astimezone(centre_zone()).strftime("%d.%m.%Y %H:%M")),
            (self.tr("Made by"), self.author),
            (
                self.tr("Opening hours"),
                hours_text(self.review.hours) if self.review else "",
            ),
        )
        return ExportHeader(self.tr("Review – %1").replace("%1", self.centre_name), lines)

    def default_file_name(self, suffix: str) -> str:
        q = self.query()
        last = (q.end - timedelta(days=1)).date()
        return (
            self.tr("review-%1-%2.%3")
            .replace("%1", q.start.strftime("%Y%m%d"))
            .replace("%2", last.strftime("%Y%m%d"))
            .replace("%3", suffix)
        )

    def choose_export(self, kind: str) -> None:
        filters = {
            "csv": self.tr("CSV files (*.csv)"),
            "xlsx": self.tr("Excel workbooks (*.xlsx)"),
            "pdf": self.tr("PDF documents (*.pdf)"),
        }
        dialog = QFileDialog(self, self.tr("Export the review"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(filters[kind])
        dialog.setDefaultSuffix(kind)
        dialog.selectFile(self.default_file_name(kind))
        dialog.fileSelected.connect(lambda path: self.export_to(path, kind))
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.file_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
        dialog.deleteLater()

    def export_to(self, path: str, kind: str) -> None:
        if not path or self.review is None:
            return
        self.flush()
        if not path.lower().endswith("." + kind):
            path += "." + kind
        header = self.export_header()
        try:
            if kind == "csv":
                decimal = QLocale().decimalPoint() or ","
                write_csv(path, header, self.tables, decimal=decimal)
            elif kind == "xlsx":
                write_xlsx(path, header, self.tables)
            else:
                self.export_pdf(path)
        except OSError as exc:
            self.source.setText(
                "⚠ " + self.tr("Could not save %1: %2").replace("%1", path).replace("%2", str(exc))
            )
            return
        self.exported.emit(path)

    def export_pdf(self, path: str) -> int:
        assert self.review is not None
        charts = [
            ReportChart(key, chart.render_image(760, 300))
            for key, chart in self._charts.items()
            if any(t.key == key for t in self.tables)
        ]
        header = self.export_header()
        intro = [f"{label}: {value}" for label, value in header.lines if value]
        intro.append(
            self.tr("Adherence for every patient is in the CSV and XLSX exports, not printed.")
        )
        made = self._now().astimezone(centre_zone()).strftime("%d.%m.%Y %H:%M")
        printed = [t for t in self.tables if t.key != "adherence-patients"]
        body = report_html(header.title, intro, printed, charts=charts)
        return export_report_pdf(
            path,
            body,
            header_left=f"{self.centre_name} · {self.department.currentText()}",
            header_right=self.tr("Range %1").replace("%1", self.range_text()),
            footer_left=self.tr("Made %1 by %2 · DHO review")
            .replace("%1", made)
            .replace("%2", self.author or "–"),
            page_text=self.tr("Page %1 of %2"),
            charts=charts,
            title=header.title,
        )


__all__ = ["ReviewView", "preset_range"]
