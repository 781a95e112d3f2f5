"""Resolving an alert: pick an outcome, add a comment, see and copy the draft journal note.

Fully keyboard operable: the outcomes are a radio group (arrow keys, or the digit 1–6), Tab
moves on (also out of the comment), Ctrl+Enter resolves, Esc cancels, Alt+C copies the note.
Opened with `open()` (never `exec()`); the caller listens to `finished`.

Nothing is pre-selected: the nurse chooses an outcome before "Resolve" is enabled, so one
Ctrl+Enter can never close a real deterioration as a device error. "Measurement error" is
listed first only when a re-measurement came back normal (the server recorded it on the alert).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.alerts import Outcome, PatientAlerts
from console.domain.training import marked_text
from console.state.alert_queue import alert_lines, outcome_text, priority_text

#: Draft note for (outcome, comment); the service's `draft_note` bound to the patient.
DraftNote = Callable[[Outcome, str], str]


class ResolveDialog(QDialog):
    remeasure_requested = Signal()
    note_copied = Signal()

    def __init__(
        self,
        card: PatientAlerts,
        draft: DraftNote,
        *,
        suspect: bool = False,
        error_confirmed: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._draft = draft
        self._suspect = suspect
        self._error_confirmed = error_confirmed
        self.setWindowTitle(self.tr("Resolve alert – %1").replace("%1", card.patient_name))
        self.setAccessibleName(self.tr("Resolve alert"))
        layout = QVBoxLayout(self)

        lines = [line for alert in card.alerts for line in alert_lines(alert)]
        summary = QLabel(
            f"<b>{_escape(card.patient_name)}</b> · {_escape(priority_text(card.priority))}<br>"
            + "<br>".join(_escape(line) for line in lines),
            self,
        )
        summary.setAccessibleName(self.tr("Alert summary"))
        summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(summary)
        if error_confirmed or suspect:
            hint = QLabel(
                self.tr("A new measurement was within the limits: this may be a measurement error.")
                if error_confirmed
                else self.tr(
                    "The value looks implausible compared with the patient's recent values. "
                    "Check with the patient before you call it a measurement error."
                ),
                self,
            )
            hint.setWordWrap(True)
            hint.setAccessibleName(hint.text())
            layout.addWidget(hint)

        box = QGroupBox(self.tr("Outcome"), self)
        box_layout = QVBoxLayout(box)
        self.outcomes = QButtonGroup(self)
        self.buttons: dict[Outcome, QRadioButton] = {}
        order = list(Outcome)
        if error_confirmed:  # offered first, still not chosen for the nurse
            order.remove(Outcome.MEASUREMENT_ERROR)
            order.insert(0, Outcome.MEASUREMENT_ERROR)
        for n, outcome in enumerate(order, start=1):
            button = QRadioButton(f"&{n}  {outcome_text(outcome)}", box)
            button.setAccessibleName(outcome_text(outcome))
            self.outcomes.addButton(button, n)
            self.buttons[outcome] = button
            box_layout.addWidget(button)
            # The digit alone picks it too (typing in the comment is not affected: text
            # fields take their keys first).
            QShortcut(QKeySequence(str(n)), self, button.click)
        box.setAccessibleDescription(self.tr("Choose what was done; nothing is chosen for you."))
        layout.addWidget(box)

        comment_label = QLabel(self.tr("&Comment (goes into the note):"), self)
        self.comment = QPlainTextEdit(self)
        self.comment.setTabChangesFocus(True)
        self.comment.setAccessibleName(self.tr("Comment"))
        self.comment.setFixedHeight(64)
        comment_label.setBuddy(self.comment)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment)

        preview_label = QLabel(self.tr("Draft journal &note:"), self)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setTabChangesFocus(True)
        self.preview.setAccessibleName(self.tr("Draft journal note"))
        preview_label.setBuddy(self.preview)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 1)

        row = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("&Copy note"), self)
        self.copy_button.setAccessibleName(self.tr("Copy the journal note to the clipboard"))
        self.copy_button.clicked.connect(self.copy_note)
        self.remeasure_button = QPushButton(self.tr("Ask for a new &measurement"), self)
        self.remeasure_button.setAccessibleName(self.tr("Ask the patient for a new measurement"))
        self.remeasure_button.clicked.connect(self._remeasure)
        row.addWidget(self.copy_button)
        row.addWidget(self.remeasure_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.button_box = QDialogButtonBox(self)
        self.resolve_button = self.button_box.addButton(
            self.tr("&Resolve"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.resolve_button.setAccessibleName(self.tr("Resolve the alert"))
        cancel = self.button_box.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName(self.tr("Cancel"))
        self.resolve_button.setDefault(True)
        self.resolve_button.setEnabled(False)  # until an outcome is chosen
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        layout.addWidget(self.button_box)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._accept_if_chosen)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self._accept_if_chosen)

        self.outcomes.idToggled.connect(self._toggled)
        self.comment.textChanged.connect(self._update)
        self._update()
        self.resize(560, 620)

    def outcome(self) -> Outcome | None:
        """The chosen outcome (None until the nurse picks one)."""
        for outcome, button in self.buttons.items():
            if button.isChecked():
                return outcome
        return None

    def accept(self) -> None:
        if self.outcome() is None:
            return
        super().accept()

    def _accept_if_chosen(self) -> None:
        if self.outcome() is not None:
            self.accept()

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def note(self) -> str:
        return self.preview.toPlainText()

    def copy_note(self) -> None:
        QGuiApplication.clipboard().setText(marked_text(self.note()))
        self.copy_button.setText(self.tr("Copied ✓"))
        self.note_copied.emit()

    def _remeasure(self) -> None:
        self.remeasure_requested.emit()
        self.remeasure_button.setEnabled(False)
        self.remeasure_button.setText(self.tr("New measurement requested ✓"))

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update()

    def _update(self) -> None:
        outcome = self.outcome()
        self.resolve_button.setEnabled(outcome is not None)
        if outcome is None:
            self.preview.setPlainText(self.tr("Choose an outcome to see the draft note."))
        else:
            self.preview.setPlainText(self._draft(outcome, self.comment_text()))
        self.copy_button.setEnabled(outcome is not None)
        self.remeasure_button.setVisible(self._suspect or outcome is Outcome.MEASUREMENT_ERROR)
        self.copy_button.setText(self.tr("&Copy note"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
