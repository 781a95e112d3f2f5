"""Small dialogs of the alert queue: comment, snooze, forward (opened with `open()`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(dialog)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setAccessibleName(ok_text.replace("&", ""))
    ok.setDefault(True)
    cancel = box.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(cancel.text().replace("&", ""))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    QShortcut(QKeySequence("Ctrl+Return"), dialog, dialog.accept)
    return box


class CommentDialog(QDialog):
    def __init__(self, patient_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Comment – %1").replace("%1", patient_name))
        self.setAccessibleName(self.tr("Comment on the alert"))
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(self.tr("Comment"))
        self.text.setPlaceholderText(self.tr("What did you do or find? (Ctrl+Enter saves)"))
        layout.addWidget(self.text)
        layout.addWidget(_buttons(self, self.tr("&Save comment")))

    def comment(self) -> str:
        return self.text.toPlainText().strip()


SNOOZE_CHOICES = (15, 30, 60, 120, 240)


class SnoozeDialog(QDialog):
    def __init__(self, patient_name: str, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.setWindowTitle(self.tr("Snooze – %1").replace("%1", patient_name))
        self.setAccessibleName(self.tr("Snooze the alert"))
        form = QFormLayout(self)
        self.duration = QComboBox(self)
        self.duration.setAccessibleName(self.tr("Snooze for"))
        for minutes in SNOOZE_CHOICES:
            if minutes < 60:
                label = self.tr("%n minute(s)", "", minutes)
            else:
                label = self.tr("%n hour(s)", "", minutes // 60)
            self.duration.addItem(label, minutes)
        self.duration.setCurrentIndex(1)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. waiting for a new measurement"))
        form.addRow(self.tr("Snooze &for:"), self.duration)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(_buttons(self, self.tr("&Snooze")))

    def until(self) -> datetime:
        return self._now + timedelta(minutes=int(self.duration.currentData()))

    def reason_text(self) -> str:
        return self.reason.text().strip()


class ForwardDialog(QDialog):
    """Forward to a department (back to new there) or a person such as the lead."""

    def __init__(
        self,
        patient_name: str,
        departments: Sequence[tuple[str, str]],
        people: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Forward – %1").replace("%1", patient_name))
        self.setAccessibleName(self.tr("Forward the alert"))
        form = QFormLayout(self)
        self.target = QComboBox(self)
        self.target.setAccessibleName(self.tr("Forward to"))
        for dep_id, name in departments:
            self.target.addItem(
                self.tr("Department: %1").replace("%1", name), ("dep", dep_id, name)
            )
        for pid, name in people:
            self.target.addItem(self.tr("Person: %1").replace("%1", name), ("person", pid, name))
        self.note = QLineEdit(self)
        self.note.setAccessibleName(self.tr("Message"))
        form.addRow(self.tr("Forward &to:"), self.target)
        form.addRow(self.tr("&Message:"), self.note)
        form.addRow(_buttons(self, self.tr("&Forward")))

    def choice(self) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
        data = self.target.currentData()
        if not data:
            return None, None
        kind, target_id, name = data
        if kind == "dep":
            return (target_id, name), None
        return None, (target_id, name)

    def note_text(self) -> str:
        return self.note.text().strip()
