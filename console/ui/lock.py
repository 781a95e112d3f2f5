"""The panel over the patient data: sign-in before start, and the inactivity lock.

Either way the patient data is hidden while the status bar (connection state, alert count)
stays visible, and the one button signs in again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class LockOverlay(QWidget):
    """Covers its parent with an opaque panel; unlocking means signing in again."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setObjectName("lockOverlay")
        self.setStyleSheet("#lockOverlay { background: #eceff1; }")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setMaximumWidth(560)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setMaximumWidth(560)
        self.problem.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.button = QPushButton(self)
        self.button.setDefault(True)
        self.button.clicked.connect(self.unlock_requested)
        for widget in (self.title, self.text, self.problem, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize:
            self.setGeometry(parent.rect())
        return False

    def lock(self) -> None:
        self._show(
            self.tr("The console is locked"),
            self.tr(
                "Patient data is hidden after a period without activity. "
                "Alerts still count and sound. Sign in again to continue."
            ),
            self.tr("&Unlock (sign in again)"),
            self.tr("Unlock by signing in again"),
        )

    def ask_sign_in(self, problem: str = "") -> None:
        self._show(
            self.tr("Sign in"),
            self.tr(
                "Sign in with your user account to see the patients of your response centre. "
                "The sign-in page opens in your web browser."
            ),
            self.tr("&Sign in…"),
            self.tr("Sign in in the web browser"),
            problem,
        )

    def waiting_for_browser(self) -> None:
        self.text.setText(
            self.tr("Finish signing in in the web browser window that opened, then come back.")
        )
        self.button.setEnabled(False)

    def unlock(self) -> None:
        self.hide()

    def is_locked(self) -> bool:
        return self.isVisible()

    def _show(self, title: str, text: str, button: str, accessible: str, problem: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.button.setText(button)
        self.button.setAccessibleName(accessible)
        self.button.setEnabled(True)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)
