"""The keyboard help overlay (F1 or ?): every shortcut of the alert queue in one table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def queue_shortcuts() -> list[tuple[str, str]]:
    """(keys, what they do) for the queue; the same keys the view binds."""
    return [
        (
            QCoreApplication.translate("ShortcutsHelp", "J or ↓"),
            QCoreApplication.translate("ShortcutsHelp", "Next alert"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "K or ↑"),
            QCoreApplication.translate("ShortcutsHelp", "Previous alert"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "C or Space"),
            QCoreApplication.translate("ShortcutsHelp", "Claim the alert"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "U"),
            QCoreApplication.translate("ShortcutsHelp", "Release the claim"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "Enter"),
            QCoreApplication.translate("ShortcutsHelp", "Open the patient"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "R"),
            QCoreApplication.translate("ShortcutsHelp", "Resolve (choose an outcome)"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "M"),
            QCoreApplication.translate("ShortcutsHelp", "Comment"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "S"),
            QCoreApplication.translate("ShortcutsHelp", "Snooze"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "F"),
            QCoreApplication.translate("ShortcutsHelp", "Forward to a department or a person"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "N"),
            QCoreApplication.translate("ShortcutsHelp", "Ask the patient for a new measurement"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "Ctrl+M"),
            QCoreApplication.translate("ShortcutsHelp", "Silence the sound for 5 minutes"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "F1 or ?"),
            QCoreApplication.translate("ShortcutsHelp", "This help"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "1–6"),
            QCoreApplication.translate("ShortcutsHelp", "In the resolve dialog: pick the outcome"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "Ctrl+Enter"),
            QCoreApplication.translate("ShortcutsHelp", "In a dialog: save / resolve"),
        ),
        (
            QCoreApplication.translate("ShortcutsHelp", "Esc"),
            QCoreApplication.translate("ShortcutsHelp", "Close a dialog"),
        ),
    ]


class ShortcutsHelp(QDialog):
    def __init__(
        self, shortcuts: Sequence[tuple[str, str]] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        rows = list(shortcuts if shortcuts is not None else queue_shortcuts())
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (keys, action) in enumerate(rows):
            for column, text in enumerate((keys, action)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{keys}: {action}")
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 460)

    def rows(self) -> list[tuple[str, str]]:
        out = []
        for r in range(self.table.rowCount()):
            keys, action = self.table.item(r, 0), self.table.item(r, 1)
            if keys is not None and action is not None:
                out.append((keys.text(), action.text()))
        return out
