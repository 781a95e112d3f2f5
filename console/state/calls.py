"""Video calls of one patient, newest first, for the patient view's timeline panel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from console.domain.messages import VideoCall, format_duration


class CallListModel(QAbstractTableModel):
    """Start, duration (or "in progress") and outcome note of each call."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._calls: list[VideoCall] = []
        self._headers = [self.tr("Started"), self.tr("Duration"), self.tr("Outcome")]

    def set_calls(self, calls: list[VideoCall]) -> None:
        self.beginResetModel()
        self._calls = sorted(calls, key=lambda c: c.started, reverse=True)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section] if 0 <= section < 3 else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._calls):
            return None
        call = self._calls[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == 0:
            return call.started.astimezone().strftime("%d.%m. %H:%M")
        if index.column() == 1:
            if call.duration is None:
                return self.tr("in progress")
            return format_duration(call.duration)
        text = call.outcome or ""
        if role == Qt.ItemDataRole.ToolTipRole and call.practitioner_name:
            text = f"{text}\n{call.practitioner_name}".strip()
        return text
