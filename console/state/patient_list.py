"""The live patient list: one row per followed patient, sorted and filtered in the model.

Sorting and filtering live here rather than in a QSortFilterProxyModel because the proxy calls
``data()`` through Python for every comparison (over a second for 10,000 rows); here a sort is
one ``list.sort`` on precomputed keys, and a live batch costs one ``dataChanged`` or one layout
change, never one signal per event.
"""

from __future__ import annotations

import bisect
import enum
import functools
import operator
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon

from console.domain.collation import norwegian_key
from console.domain.model import (
    KEY_MEASUREMENTS,
    Measurement,
    MeasurementKind,
    Organization,
    PatientSummary,
    Triage,
    age_on,
)
from console.domain.triage import PlanLimits, classify
from console.state import formatting as fmt
from console.state import row_runs
from widgets.fast_cells import Cell
from widgets.icons import Shape, shape_icon, shape_pixmap


class Column(enum.IntEnum):
    TRIAGE = 0
    NAME = 1
    MESSAGES = 2
    AGE = 3
    DEPARTMENT = 4
    PROGRAMME = 5
    BLOOD_PRESSURE = 6
    PULSE = 7
    SPO2 = 8
    WEIGHT = 9
    GLUCOSE = 10
    TEMPERATURE = 11
    LAST_REPORT = 12


MEASUREMENT_COLUMNS: dict[Column, MeasurementKind] = {
    Column.BLOOD_PRESSURE: MeasurementKind.BLOOD_PRESSURE,
    Column.PULSE: MeasurementKind.PULSE,
    Column.SPO2: MeasurementKind.SPO2,
    Column.WEIGHT: MeasurementKind.WEIGHT,
    Column.GLUCOSE: MeasurementKind.GLUCOSE,
    Column.TEMPERATURE: MeasurementKind.TEMPERATURE,
}
assert tuple(MEASUREMENT_COLUMNS.values()) == KEY_MEASUREMENTS


class Role(enum.IntEnum):
    SORT = Qt.ItemDataRole.UserRole + 1
    FILTER = Qt.ItemDataRole.UserRole + 2
    PATIENT_ID = Qt.ItemDataRole.UserRole + 3
    TRIAGE = Qt.ItemDataRole.UserRole + 4
    TIME = Qt.ItemDataRole.UserRole + 5


TRIAGE_STYLE: dict[Triage, tuple[Shape, str, str, str]] = {
    # shape, icon colour, cell background, glyph
    Triage.RED: (Shape.TRIANGLE, "#c62828", "#ffd7d7", "!"),
    Triage.YELLOW: (Shape.DIAMOND, "#f9a825", "#fff1c2", "!"),
    Triage.GREEN: (Shape.CIRCLE, "#2e7d32", "#dcefd6", ""),
    Triage.NO_DATA: (Shape.RING, "#757575", "", ""),
}


def _fold(text: str) -> str:
    """Lower-case and strip accents for matching, keeping æ, ø and å distinct letters."""
    text = text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u030a")


_collate = norwegian_key  # æ, ø, å after z; "Aa" with Å


# C-level key functions: sorting 5,000 rows calls them 10,000 times.
_name_key = operator.attrgetter("name_key")
_sort_value = operator.attrgetter("sort_value")
_triage_of = operator.attrgetter("triage")
_id_of = operator.attrgetter("id")


@functools.total_ordering
class _Descending:
    """A sort value compared the other way round, for one key that sorts descending."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and bool(self.value == other.value)

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.value < self.value)

    __hash__ = None  # type: ignore[assignment]


@dataclass(slots=True)
class _Row:
    """A patient plus everything derived from it that painting and sorting need."""

    id: str
    summary: PatientSummary
    triage: Triage
    levels: dict[MeasurementKind, Triage]
    values: dict[MeasurementKind, str]
    age: int | None
    department: str
    programme: str
    filter_text: str
    fnr_digits: str
    name_key: str
    last_report: datetime | None
    #: The patient's plan states limits of its own (else every value is on the template).
    own_plan: bool = False
    unread: int = 0
    #: Sort value for the model's current sort column (None sorts last either way).
    sort_value: Any = None
    #: Display texts per column, valid for the minute in `display_minute` (ages move on).
    display: list[str | None] | None = None
    display_minute: int = -1
    #: What the table's cell delegate paints, per column; valid as long as `display` is.
    cells: list[Cell] | None = None


#: How often live changes may move rows in the console (values change in place at once).
LIVE_RESORT_DELAY_MS = 1000


class PatientListModel(QAbstractTableModel):
    """Rows of the patients the selected response centre follows."""

    counts_changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        resort_delay_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        self._clock = now
        self._now = now()
        #: Live changes move rows at most this often (0: at once). Values change in place
        #: at once; rows jumping several times a second is hard to read and each move
        #: repaints the whole table.
        #: Rows per triage level among the visible ones, kept up to date by `update`, so a
        #: live batch does not count 10,000 rows again for the status bar; None: count anew.
        self._counts: dict[Triage, int] | None = None
        self._resort_timer: QTimer | None = None
        if resort_delay_ms > 0:
            self._resort_timer = QTimer(self)
            self._resort_timer.setSingleShot(True)
            self._resort_timer.setInterval(resort_delay_ms)
            self._resort_timer.timeout.connect(self._relayout)
        self._rows: dict[str, _Row] = {}
        self._visible: list[_Row] = []
        self._position: dict[str, int] = {}
        #: Visible rows whose place in the order may have changed since the last re-sort
        #: (their sort value or name changed, or they arrived); None: anything may have.
        self._moved: set[str] | None = set()
        self._organizations: dict[str, Organization] = {}
        #: Level of each patient's open alerts (from the alert queue), folded into the status.
        self._alert_levels: dict[str, Triage] = {}
        #: Each patient's own limits from the plan; patients absent are on the templates.
        self._plans: dict[str, PlanLimits] = {}
        self._departments: frozenset[str] | None = None
        self._filter = ""
        self._sort_column = Column.TRIAGE
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._icon_cache: dict[Triage, QIcon] = {}
        self._backgrounds = {
            t: QBrush(QColor(bg)) for t, (_s, _c, bg, _g) in TRIAGE_STYLE.items() if bg
        }
        self._headers = self._make_headers()
        self._right_aligned = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._handlers: dict[int, Callable[[_Row, int], Any]] = {
            Qt.ItemDataRole.DisplayRole: self._data_display,
            Qt.ItemDataRole.DecorationRole: self._data_decoration,
            Qt.ItemDataRole.BackgroundRole: self._data_background,
            Qt.ItemDataRole.TextAlignmentRole: self._data_alignment,
            Qt.ItemDataRole.ToolTipRole: lambda r, c: self._tooltip(r, Column(c)),
            Qt.ItemDataRole.AccessibleTextRole: lambda r, c: self._tooltip(r, Column(c)),
            Role.SORT: lambda r, c: self._sort_key(r, Column(c)),
            Role.PATIENT_ID: lambda r, c: r.id,
            Role.TRIAGE: lambda r, c: int(r.triage),
            Role.FILTER: lambda r, c: r.filter_text,
            Role.TIME: self._data_time,
        }

    # ----- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.header_lines(section)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self._headers[section]
        return None

    # flags() is not overridden: Qt's own (enabled, selectable) costs no call into Python
    # for every painted cell.

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Called for every role of every visible cell on each paint: keep the common path short.
        handler = self._handlers.get(role)
        if handler is None or not index.isValid():
            return None
        row_no = index.row()
        if row_no >= len(self._visible):
            return None
        return handler(self._visible[row_no], index.column())

    def _data_display(self, row: _Row, column: int) -> Any:
        minute = int(self._now.timestamp() // 60)
        if row.display is None or row.display_minute != minute:
            row.display = [self._display(row, c) for c in Column]
            row.display_minute = minute
            row.cells = None
        return row.display[column]

    def cell(self, row_no: int, column: int) -> Cell | None:
        """The prepared cell the table's delegate paints (one call per cell and paint)."""
        if not 0 <= row_no < len(self._visible):
            return None
        row = self._visible[row_no]
        self._data_display(row, column)  # refreshes the row's texts when the minute moved
        cells = row.cells
        if cells is None:
            cells = row.cells = [self._make_cell(row, c) for c in range(len(Column))]
        return cells[column]

    def _make_cell(self, row: _Row, column: int) -> Cell:
        level: Triage | None = None
        if column == Column.TRIAGE:
            level = row.triage
        else:
            kind = MEASUREMENT_COLUMNS.get(Column(column))
            if kind is not None:
                found = row.levels.get(kind, Triage.GREEN)
                level = found if found >= Triage.YELLOW else None
        icon = None
        background = None
        if level is not None:
            shape, colour, _bg, glyph = TRIAGE_STYLE[level]
            icon = shape_pixmap(shape, colour, 16, glyph)
            brush = self._backgrounds.get(level)
            background = brush.color() if brush is not None else None
        display = row.display[column] if row.display is not None else None
        return Cell(
            text=display or "",
            icon=icon,
            background=background,
            align_right=self._data_alignment(row, column) is not None,
        )

    def _data_decoration(self, row: _Row, column: int) -> Any:
        if column == Column.TRIAGE:
            return self._icon(row.triage)
        kind = MEASUREMENT_COLUMNS.get(Column(column))
        if kind is not None:
            level = row.levels.get(kind, Triage.GREEN)
            if level >= Triage.YELLOW:
                return self._icon(level)
        return None

    def _data_background(self, row: _Row, column: int) -> Any:
        if column == Column.TRIAGE:
            return self._backgrounds.get(row.triage)
        kind = MEASUREMENT_COLUMNS.get(Column(column))
        if kind is not None:
            level = row.levels.get(kind, Triage.GREEN)
            if level >= Triage.YELLOW:
                return self._backgrounds.get(level)
        return None

    def _data_alignment(self, row: _Row, column: int) -> Any:
        if column == Column.AGE or Column(column) in MEASUREMENT_COLUMNS:
            return self._right_aligned
        return None

    def _data_time(self, row: _Row, column: int) -> Any:
        kind = MEASUREMENT_COLUMNS.get(Column(column))
        if kind is not None:
            m = row.summary.latest.get(kind)
            return m.time if m else None
        if column == Column.LAST_REPORT:
            return row.last_report
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = Column(column)
        self._sort_order = order
        for row in self._rows.values():
            row.sort_value = self._sort_key(row, self._sort_column)
        self._moved = None
        self._relayout()

    # ----- feeding the model ------------------------------------------------------------

    def reset(
        self,
        organizations: Iterable[Organization],
        summaries: Iterable[PatientSummary],
        plans: Mapping[str, PlanLimits] | None = None,
    ) -> None:
        """Replace everything, e.g. after the first load or a change of response centre.

        `plans`: each patient's own limits (None keeps those set before)."""
        self.beginResetModel()
        self._organizations = {o.id: o for o in organizations}
        if plans is not None:
            self._plans = {pid: p for pid, p in plans.items() if not p.empty}
        self._now = self._clock()
        today = self._now.date()
        self._rows = {s.patient.id: self._make_row(s, today) for s in summaries}
        self._visible = self._sorted(self._filtered(self._rows.values()))
        self._moved = set()
        self._counts = None
        self._reindex()
        self.endResetModel()
        self.counts_changed.emit()

    def update(self, summaries: Sequence[PatientSummary]) -> None:
        """Apply one batch of changed or new patients with as few signals as possible.

        Changed rows get a ``dataChanged`` per run of rows (so only visible ones repaint);
        new rows one insert at the end;
        then, only if the order changed, one layout change that keeps selections.
        """
        if not summaries:
            return
        self._now = self._clock()
        today = self._now.date()
        changed: list[int] = []
        leaving: list[str] = []
        arriving: list[_Row] = []
        resort = False
        counts = self._counts
        for summary in summaries:
            row = self._make_row(summary, today)
            old = self._rows.get(row.id)
            if old is not None and old.unread:
                row.unread = old.unread
                row.sort_value = self._sort_key(row, self._sort_column)
            self._rows[row.id] = row
            pos = self._position.get(row.id)
            accepted = self._accepts(row)
            if pos is None:
                if accepted:
                    arriving.append(row)
                continue
            if not accepted:
                leaving.append(row.id)
                continue
            if counts is not None:
                counts[self._visible[pos].triage] -= 1
                counts[row.triage] += 1
            self._visible[pos] = row
            changed.append(pos)
            if old is None or old.sort_value != row.sort_value or old.name_key != row.name_key:
                self._mark_moved(row.id)
                resort = True
        for first, last in row_runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(Column) - 1))
        for pid in leaving:
            pos = self._position[pid]
            if counts is not None:
                counts[self._visible[pos].triage] -= 1
            self.beginRemoveRows(QModelIndex(), pos, pos)
            del self._visible[pos]
            self._reindex()
            self.endRemoveRows()
        if arriving:
            first = len(self._visible)
            self.beginInsertRows(QModelIndex(), first, first + len(arriving) - 1)
            self._visible.extend(arriving)
            for row in arriving:
                self._mark_moved(row.id)
            if counts is not None:
                for row in arriving:
                    counts[row.triage] += 1
            self._reindex()
            self.endInsertRows()
            resort = True
        if resort:
            self._resort_soon()
        self.counts_changed.emit()

    def update_measurements(self, measurements: Iterable[Measurement]) -> None:
        """Fold new measurements into their patients' rows (one batch)."""
        touched: dict[str, PatientSummary] = {}
        for m in measurements:
            row = self._rows.get(m.patient_id)
            if row is None:
                continue
            if row.summary.apply(m):
                touched[m.patient_id] = row.summary
        self.update(list(touched.values()))

    def set_alert_levels(self, levels: dict[str, Triage]) -> None:
        """Open alerts count in the status: a missing measurement or a patient's own limit
        the default thresholds don't know about still shows the row as yellow or red."""
        if levels == self._alert_levels:
            return
        changed = {
            pid
            for pid in set(levels) | set(self._alert_levels)
            if levels.get(pid) != self._alert_levels.get(pid) and pid in self._rows
        }
        first = not self._alert_levels
        self._alert_levels = dict(levels)
        if changed:
            self.update([self._rows[pid].summary for pid in changed])
            if first:
                self.settle()  # the queue's first load is part of opening, not a live move

    def set_plans(self, plans: Mapping[str, PlanLimits | None]) -> None:
        """New limits for these patients (a plan was edited); None or empty: templates."""
        changed = []
        for pid, plan in plans.items():
            if plan is None or plan.empty:
                had = self._plans.pop(pid, None) is not None
            else:
                had = self._plans.get(pid) != plan
                self._plans[pid] = plan
            row = self._rows.get(pid)
            if had and row is not None:
                changed.append(row.summary)
        self.update(changed)

    def plan_of(self, patient_id: str) -> PlanLimits | None:
        return self._plans.get(patient_id)

    def settle(self) -> None:
        """Move rows to their sorted places now, if a live re-sort is waiting."""
        if self._resort_timer is not None and self._resort_timer.isActive():
            self._resort_timer.stop()
            self._relayout()

    def set_unread(self, counts: dict[str, int]) -> None:
        """Unread messages per patient (one batch); a row moves only if sorted by it."""
        changed: list[int] = []
        resort = False
        for pid, count in counts.items():
            row = self._rows.get(pid)
            if row is None or row.unread == count:
                continue
            row.unread = count
            row.display = None
            row.cells = None
            if self._sort_column is Column.MESSAGES:
                row.sort_value = self._sort_key(row, Column.MESSAGES)
                self._mark_moved(pid)
                resort = True
            pos = self._position.get(pid)
            if pos is not None:
                changed.append(pos)
        for first, last in row_runs(changed):
            self.dataChanged.emit(
                self.index(first, Column.MESSAGES), self.index(last, Column.MESSAGES)
            )
        if resort:
            self._resort_soon()

    def refresh_times(self) -> None:
        """Ages in cells move with the clock; repaint them (cheap: only visible rows paint)."""
        self._now = self._clock()
        if self._visible:
            self.dataChanged.emit(
                self.index(0, Column.BLOOD_PRESSURE),
                self.index(len(self._visible) - 1, Column.LAST_REPORT),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def set_filter_text(self, text: str) -> None:
        text = _fold(text.strip())
        if text == self._filter:
            return
        self._filter = text
        self._refilter()

    def set_departments(self, departments: Iterable[str] | None) -> None:
        """Limit the list to these departments (None shows every patient)."""
        self._departments = None if departments is None else frozenset(departments)
        self._refilter()

    # ----- queries -----------------------------------------------------------------------

    def row_of(self, patient_id: str) -> int | None:
        return self._position.get(patient_id)

    def summary(self, patient_id: str) -> PatientSummary | None:
        row = self._rows.get(patient_id)
        return row.summary if row else None

    def patient_ids(self) -> list[str]:
        """Every patient the model holds (all departments, not only the visible rows)."""
        return list(self._rows)

    def patient_count(self) -> int:
        return len(self._visible)

    def triage_counts(self) -> dict[Triage, int]:
        if self._counts is None:
            self._counts = dict.fromkeys(Triage, 0)
            self._counts.update(Counter(map(_triage_of, self._visible)))
        return dict(self._counts)

    def sort_state(self) -> tuple[Column, Qt.SortOrder]:
        return self._sort_column, self._sort_order

    # ----- internals ---------------------------------------------------------------------

    def _icon(self, level: Triage) -> QIcon:
        """Icons need a running QGuiApplication, so they are drawn on first paint."""
        icon = self._icon_cache.get(level)
        if icon is None:
            shape, colour, _background, glyph = TRIAGE_STYLE[level]
            icon = self._icon_cache[level] = shape_icon(shape, colour, 16, glyph)
        return icon

    def header_lines(self, section: int) -> str:
        """The header as shown: "Weight (kg)" on two lines ("Weight" over "(kg)") so that a
        column is as narrow as its values, not as its header (the list must fit 1280 px)."""
        text = self._headers[section]
        name, sep, unit = text.partition(" (")
        return f"{name}\n({unit}" if sep else text

    def _make_headers(self) -> list[str]:
        headers = {
            Column.TRIAGE: self.tr("Status"),
            Column.NAME: self.tr("Name"),
            Column.AGE: self.tr("Age"),
            Column.DEPARTMENT: self.tr("Department"),
            Column.PROGRAMME: self.tr("Programme"),
            Column.MESSAGES: self.tr("Unread"),
            Column.LAST_REPORT: self.tr("Last report"),
        }
        for column, kind in MEASUREMENT_COLUMNS.items():
            headers[column] = fmt.measurement_header(kind)
        return [headers[c] for c in Column]

    def _make_row(self, summary: PatientSummary, today: date) -> _Row:
        patient = summary.patient
        episode = summary.episode
        programme_code = episode.programme if episode else ""
        plan = self._plans.get(patient.id)
        levels = {kind: classify(m, programme_code, plan) for kind, m in summary.latest.items()}
        triage = max(
            max(levels.values(), default=Triage.NO_DATA),
            self._alert_levels.get(patient.id, Triage.NO_DATA),
        )
        department = ""
        if episode and episode.department_id:
            org = self._organizations.get(episode.department_id)
            department = org.name if org else ""
        programme = fmt.programme_text(programme_code, episode.programme_display if episode else "")
        fnr = patient.fodselsnummer or ""
        row = _Row(
            id=patient.id,
            summary=summary,
            triage=triage,
            levels=levels,
            values={kind: fmt.format_value(m) for kind, m in summary.latest.items()},
            age=age_on(patient.birth_date, today),
            department=department,
            programme=programme,
            filter_text=_fold(f"{patient.given} {patient.family}"),
            fnr_digits=fnr,
            name_key=_collate(patient.name),
            last_report=summary.last_report,
            own_plan=plan is not None,
        )
        row.sort_value = self._sort_key(row, self._sort_column)
        return row

    def _age_text(self, time: datetime | None) -> str:
        if time is None:
            return ""
        return fmt.format_age(max(0.0, (self._now - time).total_seconds()))

    def _display(self, row: _Row, column: Column) -> str | None:
        if column is Column.TRIAGE:
            return fmt.triage_text(row.triage)
        if column is Column.NAME:
            return row.summary.patient.name
        if column is Column.AGE:
            return "" if row.age is None else str(row.age)
        if column is Column.DEPARTMENT:
            return row.department
        if column is Column.PROGRAMME:
            return row.programme
        if column is Column.LAST_REPORT:
            return self._age_text(row.last_report)
        if column is Column.MESSAGES:
            return f"✉ {row.unread}" if row.unread else ""
        kind = MEASUREMENT_COLUMNS[column]
        value = row.values.get(kind)
        if value is None:
            return "–"
        return f"{value} · {self._age_text(row.summary.latest[kind].time)}"

    def _tooltip(self, row: _Row, column: Column) -> str | None:
        if column is Column.TRIAGE:
            text = fmt.triage_description(row.triage)
            if self._alert_levels.get(row.id, Triage.NO_DATA) >= Triage.YELLOW:
                text += " · " + self.tr("has open alerts in the queue")
            if not row.own_plan:
                text += " · " + self.tr("standard limits: the plan states no limits of its own")
            return text
        kind = MEASUREMENT_COLUMNS.get(column)
        if kind is not None:
            m = row.summary.latest.get(kind)
            if m is None:
                return self.tr("No measurement")
            when = fmt.date_time_text(m.time)
            level = fmt.triage_description(row.levels.get(kind, Triage.GREEN))
            plan = self._plans.get(row.id)
            basis = (
                self.tr("the patient's own limits")
                if plan is not None and plan.own(kind)
                else self.tr("standard limits")
            )
            return f"{self._headers[column]}: {row.values[kind]} · {when} · {level} ({basis})"
        if column is Column.MESSAGES:
            return self.tr("%n unread message(s)", "", row.unread) if row.unread else None
        if column is Column.LAST_REPORT and row.last_report is not None:
            return fmt.date_time_text(row.last_report)
        if column is Column.NAME:
            # Department and programme too: narrow screens hide their columns.
            parts = (
                self._display(row, Column.NAME),
                self._display(row, Column.DEPARTMENT),
                self._display(row, Column.PROGRAMME),
            )
            return " · ".join(str(p) for p in parts if p)
        return self._display(row, column)

    def _sort_key(self, row: _Row, column: Column) -> Any:
        if column is Column.TRIAGE:
            # Ties go by name, so a row moves only when its level changes: a calm list.
            return int(row.triage)
        if column is Column.NAME:
            return row.name_key
        if column is Column.AGE:
            return row.age
        if column is Column.DEPARTMENT:
            return _collate(row.department)
        if column is Column.PROGRAMME:
            return _collate(row.programme)
        if column is Column.LAST_REPORT:
            return row.last_report.timestamp() if row.last_report else None
        if column is Column.MESSAGES:
            return row.unread or None
        m = row.summary.latest.get(MEASUREMENT_COLUMNS[column])
        return m.value if m else None

    def _accepts(self, row: _Row) -> bool:
        if self._departments is not None:
            episode = row.summary.episode
            if episode is None or episode.department_id not in self._departments:
                return False
        if not self._filter:
            return True
        digits = self._filter.replace(" ", "")
        if digits.isdigit():
            return digits in row.fnr_digits
        return all(part in row.filter_text for part in self._filter.split())

    def _filtered(self, rows: Iterable[_Row]) -> list[_Row]:
        return [r for r in rows if self._accepts(r)]

    def _sorted(self, rows: list[_Row]) -> list[_Row]:
        """Sort on cached keys; rows without a value go last in either direction.

        Two stable sorts (name, then value) keep names ascending among equal values even when
        the value order is descending; on a nearly sorted list each pass is close to linear.
        """
        present = [r for r in rows if r.sort_value is not None]
        missing = [r for r in rows if r.sort_value is None]
        present.sort(key=_name_key)
        present.sort(key=_sort_value, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        missing.sort(key=_name_key)
        return present + missing

    def _reindex(self) -> None:
        self._position = dict(
            zip(map(_id_of, self._visible), range(len(self._visible)), strict=True)
        )

    def _resort_soon(self) -> None:
        if self._resort_timer is None:
            self._relayout()
        elif not self._resort_timer.isActive():
            self._resort_timer.start()

    def _mark_moved(self, patient_id: str) -> None:
        if self._moved is not None:
            self._moved.add(patient_id)

    def _order_key(self) -> Callable[[_Row], tuple[Any, ...]]:
        """The order `_sorted` makes, as one key (for placing single rows by bisection):
        rows with a value first, by value in the sort's direction, then by name."""
        descending = self._sort_order == Qt.SortOrder.DescendingOrder

        def key(r: _Row) -> tuple[Any, ...]:
            if r.sort_value is None:
                return (1, r.name_key)
            return (0, _Descending(r.sort_value) if descending else r.sort_value, r.name_key)

        return key

    def _with_moved_rows(self, moved: set[str]) -> list[_Row] | None:
        """The visible rows in order after only `moved` changed, or None if none has to move.

        At 200 live values a second a few rows move among 10,000: checking each against its
        neighbours and placing the ones out of order by bisection touches a few dozen rows,
        where sorting all of them walked every row (10-15 ms of the UI thread, in cache
        misses over a large heap, each time).
        """
        rows = self._visible
        positions = sorted(self._position[pid] for pid in moved if pid in self._position)
        key = self._order_key()
        last = len(rows) - 1

        def in_place(p: int) -> bool:
            k = key(rows[p])
            return (p == 0 or key(rows[p - 1]) <= k) and (p == last or k <= key(rows[p + 1]))

        if all(in_place(p) for p in positions):
            return None
        # Without the moved rows the rest is in order (their keys did not change).
        out = [rows[p] for p in positions]
        new = list(rows)
        for p in reversed(positions):
            del new[p]
        for row in out:
            bisect.insort_right(new, row, key=key)
        return new

    def _relayout(self) -> None:
        """Re-sort keeping selections: persistent indexes follow their patient, not their row."""
        moved, self._moved = self._moved, set()
        if moved is not None and len(moved) * 8 <= len(self._visible):
            new_visible = self._with_moved_rows(moved)
            if new_visible is None:
                return
        else:
            new_visible = self._sorted(self._visible)
            if all(a is b for a, b in zip(new_visible, self._visible, strict=True)):
                return
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        ids = [self._visible[i.row()].id for i in old_persistent]
        self._visible = new_visible
        self._reindex()
        new_persistent = [
            self.index(self._position[pid], index.column())
            for index, pid in zip(old_persistent, ids, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    def _refilter(self) -> None:
        """A new filter is a user action: reset, and let the view restore its selection by id."""
        self.beginResetModel()
        self._visible = self._sorted(self._filtered(self._rows.values()))
        self._moved = set()
        self._counts = None
        self._reindex()
        self.endResetModel()
        self.counts_changed.emit()
