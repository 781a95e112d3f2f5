"""The escalation inbox as a table model: one row per alert escalated or forwarded to the lead."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.domain.alerts import Alert, AlertStatus, Priority
from console.state.alert_queue import claimed_text, priority_text, rule_text
from console.state.formatting import format_age

PRIORITY_MARK = {Priority.HIGH: "▲", Priority.MEDIUM: "◆", Priority.LOW: "●"}


@dataclass(frozen=True, slots=True)
class InboxItem:
    alert: Alert
    #: "escalated" or "forwarded"
    kind: str
    #: Why it is here, from the escalation message or the Task's last note.
    why: str = ""


class Column(enum.IntEnum):
    PRIORITY = 0
    PATIENT = 1
    REASON = 2
    HOW = 3
    WAITING = 4
    STATE = 5


def kind_text(kind: str) -> str:
    return (
        QCoreApplication.translate("Inbox", "Escalated to you")
        if kind == "escalated"
        else QCoreApplication.translate("Inbox", "Forwarded to you")
    )


class InboxModel(QAbstractTableModel):
    """Highest priority and longest waiting first."""

    count_changed = Signal(int)
    ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(
        self,
        me: str = "",
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.me = me
        self._now = now
        self._items: list[InboxItem] = []

    def items(self) -> list[InboxItem]:
        return list(self._items)

    def item(self, row: int) -> InboxItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def set_items(self, items: Sequence[InboxItem]) -> None:
        ordered = sorted(
            items, key=lambda i: (-int(i.alert.priority), i.alert.authored_on, i.alert.id)
        )
        if [(i.alert.id, i.alert.version, i.why) for i in ordered] == [
            (i.alert.id, i.alert.version, i.why) for i in self._items
        ]:
            return
        self.beginResetModel()
        self._items = ordered
        self.endResetModel()
        self.count_changed.emit(len(ordered))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def state_text(self, alert: Alert) -> str:
        if alert.status is AlertStatus.CLAIMED and alert.owner_id:
            if alert.owner_id == self.me:
                return QCoreApplication.translate("Inbox", "Claimed by you")
            return claimed_text(alert.owner_name, alert.claimed_at)
        if alert.status is AlertStatus.SNOOZED:
            return QCoreApplication.translate("Inbox", "Snoozed")
        return QCoreApplication.translate("Inbox", "Nobody has it")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        alert = item.alert
        if role == self.ITEM_ROLE:
            return item
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = Column(index.column())
        if column is Column.PRIORITY:
            return f"{PRIORITY_MARK[alert.priority]} {priority_text(alert.priority)}"
        if column is Column.PATIENT:
            return alert.patient_name or alert.patient_id
        if column is Column.REASON:
            return alert.description or rule_text(alert.rule)
        if column is Column.HOW:
            return kind_text(item.kind) + (f": {item.why}" if item.why else "")
        if column is Column.WAITING:
            return format_age(max(0.0, (self._now() - alert.authored_on).total_seconds()))
        return self.state_text(alert)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return [
            QCoreApplication.translate("Inbox", "Priority"),
            QCoreApplication.translate("Inbox", "Patient"),
            QCoreApplication.translate("Inbox", "Reason"),
            QCoreApplication.translate("Inbox", "Why in your inbox"),
            QCoreApplication.translate("Inbox", "Waiting"),
            QCoreApplication.translate("Inbox", "State"),
        ][section]

    def refresh_times(self) -> None:
        if self._items:
            self.dataChanged.emit(
                self.index(0, Column.WAITING), self.index(len(self._items) - 1, Column.WAITING)
            )


__all__ = ["Column", "InboxItem", "InboxModel", "kind_text"]
