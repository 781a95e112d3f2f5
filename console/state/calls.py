"""Video calls of one patient, newest first, for the patient view's timeline panel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from console.domain.messages import VideoCall, format_duration
from console.state.formatting import local_time
from console.state.row_table import Index, RowTable


class CallListModel(RowTable):
    """Start, duration (or "in progress") and outcome note of each call."""

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Started"), self.tr("Duration"), self.tr("Outcome"))

    def set_calls(self, calls: list[VideoCall]) -> None:
        self.set_rows(sorted(calls, key=lambda c: c.started, reverse=True))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        call = self.row(index)
        if call is None or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == 0:
            return local_time(call.started).strftime("%d.%m. %H:%M")
        if index.column() == 1:
            if call.duration is None:
                return self.tr("in progress")
            return format_duration(call.duration)
        text = call.outcome or ""
        if role == Qt.ItemDataRole.ToolTipRole and call.practitioner_name:
            text = f"{text}\n{call.practitioner_name}".strip()
        return text
