"""Qt models of one patient's detail: measurement tables, questionnaire answers, alerts, and a
store that applies live measurements in batches.

The measurement table reads straight from the series' numpy arrays through an index
permutation, so a table of 525,600 rows costs nothing until rows are painted, and sorting is
one `argsort`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon

from console.domain.model import Measurement, MeasurementKind, Triage
from console.domain.patient_record import AlertMark, AlertPriority, QuestionnaireSummary
from console.domain.series import Limits, Series, classify, merge_series
from console.state import formatting as fmt
from console.state.patient_list import TRIAGE_STYLE
from console.state.row_table import RowTable
from widgets.icons import Shape, shape_icon

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def format_time(epoch: float) -> str:
    return fmt.epoch_text(epoch)


def format_number(kind: MeasurementKind, value: float, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    if not np.isfinite(value):
        return "–"
    if kind in (
        MeasurementKind.BLOOD_PRESSURE,
        MeasurementKind.PULSE,
        MeasurementKind.SPO2,
        MeasurementKind.RESPIRATORY_RATE,
    ):
        return loc.toString(round(value))
    return loc.toString(value, "f", 1)


class MeasurementColumn(enum.IntEnum):
    TIME = 0
    VALUE = 1
    LEVEL = 2


class MeasurementTableModel(QAbstractTableModel):
    """One measurement kind as a table: time, value (sys/dia for blood pressure), level."""

    def __init__(self, kind: MeasurementKind, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._series = Series(kind)
        # Levels and sort order are computed on first use (when the table is looked at), so
        # giving a year of per-minute data to a hidden table costs nothing. `_order` None
        # means time order, descending or ascending, mapped arithmetically.
        self._levels_cache: npt.NDArray[np.int8] | None = None
        self._order: npt.NDArray[np.intp] | None = None
        self._sort = (MeasurementColumn.TIME, Qt.SortOrder.DescendingOrder)
        self._limits = Limits()
        self._icons: dict[int, QIcon] = {}
        self._locale = QLocale()

    def set_series(self, series: Series, limits: Limits) -> None:
        self.beginResetModel()
        self._series = series
        self._limits = limits
        self._levels_cache = None
        self._order = self._sorted_order()
        self.endResetModel()

    @property
    def _levels(self) -> npt.NDArray[np.int8]:
        if self._levels_cache is None:
            series = self._series
            self._levels_cache = classify(series.times, series.values, self._limits)
        return self._levels_cache

    def _row(self, row: int) -> int:
        if self._order is not None:
            return int(self._order[row])
        if self._sort[1] == Qt.SortOrder.DescendingOrder:
            return len(self._series) - 1 - row
        return row

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._series)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(MeasurementColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        if section == MeasurementColumn.TIME:
            return QCoreApplication.translate("MeasurementTableModel", "Time")
        if section == MeasurementColumn.VALUE:
            return fmt.measurement_header(self.kind)
        if section == MeasurementColumn.LEVEL:
            return QCoreApplication.translate("MeasurementTableModel", "Level")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._series):
            return None
        i = self._row(index.row())
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == MeasurementColumn.TIME:
                return format_time(float(self._series.times[i]))
            if column == MeasurementColumn.VALUE:
                text = format_number(self.kind, float(self._series.values[i]), self._locale)
                if self._series.values2 is not None and np.isfinite(self._series.values2[i]):
                    second = format_number(self.kind, float(self._series.values2[i]), self._locale)
                    text = f"{text}/{second}"
                return text
            if column == MeasurementColumn.LEVEL:
                return fmt.triage_text(Triage(int(self._levels[i])))
        if role == Qt.ItemDataRole.DecorationRole and column == MeasurementColumn.LEVEL:
            return self._icon(int(self._levels[i]))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MeasurementColumn.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return float(self._series.times[i])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (MeasurementColumn(column), order)
        self._order = self._sorted_order()
        self.layoutChanged.emit()

    def _sorted_order(self) -> npt.NDArray[np.intp] | None:
        column, order = self._sort
        if column == MeasurementColumn.VALUE:
            idx = np.argsort(self._series.values, kind="stable")
        elif column == MeasurementColumn.LEVEL:
            idx = np.argsort(self._levels, kind="stable")
        else:
            return None
        if order == Qt.SortOrder.DescendingOrder:
            idx = idx[::-1]
        return np.ascontiguousarray(idx)

    def _icon(self, level: int) -> QIcon | None:
        if level < int(Triage.YELLOW):
            return None
        icon = self._icons.get(level)
        if icon is None:
            shape, colour, _bg, glyph = TRIAGE_STYLE[Triage(level)]
            icon = self._icons[level] = shape_icon(shape, colour, 14, glyph)
        return icon


class QuestionnaireModel(RowTable):
    """Questionnaire answers: date, questionnaire, flagged answers (shape icon + text)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._flag_icon: QIcon | None = None

    def set_items(self, items: Sequence[QuestionnaireSummary]) -> None:
        self.set_rows(items)

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("QuestionnaireModel", "Answered"),
            QCoreApplication.translate("QuestionnaireModel", "Questionnaire"),
            QCoreApplication.translate("QuestionnaireModel", "Flagged answers"),
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return fmt.date_time_text(item.authored) if item.authored else ""
            if column == 1:
                return item.title
            flagged = item.flagged
            if not flagged:
                return QCoreApplication.translate("QuestionnaireModel", "none")
            return "; ".join(f"{a.question}: {a.answer}" for a in flagged)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(
                ("⚑ " if a.flagged else "") + f"{a.question}: {a.answer}" for a in item.answers
            )
        if role == Qt.ItemDataRole.DecorationRole and column == 2 and item.flagged:
            if self._flag_icon is None:
                shape, colour, _bg, glyph = TRIAGE_STYLE[Triage.YELLOW]
                self._flag_icon = shape_icon(shape, colour, 14, glyph)
            return self._flag_icon
        return None


_PRIORITY_STYLE: dict[str, tuple[Shape, str]] = {
    AlertPriority.ASAP: (Shape.TRIANGLE, "#c62828"),
    AlertPriority.URGENT: (Shape.DIAMOND, "#e69100"),
    AlertPriority.ROUTINE: (Shape.CIRCLE, "#1565c0"),
}


def priority_text(priority: str) -> str:
    return {
        AlertPriority.ASAP: QCoreApplication.translate("AlertListModel", "High"),
        AlertPriority.URGENT: QCoreApplication.translate("AlertListModel", "Medium"),
    }.get(priority, QCoreApplication.translate("AlertListModel", "Low"))


class AlertListModel(RowTable):
    """The patient's alerts in the loaded period, newest first: time, priority, what, status."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._icons: dict[str, QIcon] = {}

    def set_items(self, items: Iterable[AlertMark]) -> None:
        self.set_rows(sorted(items, key=lambda m: m.time, reverse=True))

    def headers(self) -> tuple[str, ...]:
        return (
            QCoreApplication.translate("AlertListModel", "Raised"),
            QCoreApplication.translate("AlertListModel", "Priority"),
            QCoreApplication.translate("AlertListModel", "Alert"),
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        mark = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return fmt.date_time_text(mark.time)
            if column == 1:
                return priority_text(mark.priority)
            return mark.text or mark.rule
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            icon = self._icons.get(mark.priority)
            if icon is None:
                shape, colour = _PRIORITY_STYLE.get(
                    mark.priority, _PRIORITY_STYLE[AlertPriority.ROUTINE]
                )
                icon = self._icons[mark.priority] = shape_icon(shape, colour, 14)
            return icon
        return None


class PatientDetailStore(QObject):
    """The patient's series; live measurements are merged in batches on a 10 Hz clock.

    `series_changed(kinds)` is emitted once per batch with the kinds that changed.
    """

    series_changed = Signal(list)

    def __init__(
        self,
        patient_id: str,
        parent: QObject | None = None,
        *,
        interval_ms: int = 100,
        on_batch: Callable[[list[Measurement]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.patient_id = patient_id
        self.series: dict[MeasurementKind, Series] = {}
        self._pending: list[Measurement] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._on_batch = on_batch

    def reset(self, series: dict[MeasurementKind, Series]) -> None:
        self.series = dict(series)
        self.series_changed.emit(list(series))

    def apply(self, measurements: Iterable[Measurement]) -> None:
        mine = [m for m in measurements if m.patient_id == self.patient_id]
        if not mine:
            return
        self._pending.extend(mine)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        kinds = list(dict.fromkeys(m.kind for m in batch))
        for kind in kinds:
            self.series[kind] = merge_series(self.series.get(kind), kind, batch)
        if self._on_batch is not None:
            self._on_batch(batch)
        self.series_changed.emit(kinds)
