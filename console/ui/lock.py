"""The inactivity lock: patient data hidden, alert count and sound left running."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class LockOverlay(QWidget):
    """Covers the patient data with an opaque panel; unlocking means signing in again."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setObjectName("lockOverlay")
        self.setStyleSheet("#lockOverlay { background: #eceff1; }")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self.tr("The console is locked"), self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(
            self.tr(
                "Patient data is hidden after a period without activity. "
                "Alerts still count and sound. Sign in again to continue."
            ),
            self,
        )
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(560)
        self.button = QPushButton(self.tr("&Unlock (sign in again)"), self)
        self.button.setAccessibleName(self.tr("Unlock by signing in again"))
        self.button.setDefault(True)
        self.button.clicked.connect(self.unlock_requested)
        for widget in (self.title, self.text, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hide()

    def lock(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)

    def unlock(self) -> None:
        self.hide()

    def is_locked(self) -> bool:
        return self.isVisible()
