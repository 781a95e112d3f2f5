"""A status-bar indicator that says the connection state in words, with a shape and a colour."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from widgets.icons import Shape, shape_pixmap


class Level(enum.Enum):
    OK = ("#2e7d32", Shape.CIRCLE, "")
    BUSY = ("#1565c0", Shape.DIAMOND, "")
    WARNING = ("#f9a825", Shape.DIAMOND, "!")
    ERROR = ("#c62828", Shape.SQUARE, "")


class StatusIndicator(QWidget):
    """Shape + colour + text, so the state reads without colour vision or a colour screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._age = QLabel(self)
        layout.addWidget(self._icon)
        layout.addWidget(self._text)
        layout.addWidget(self._age)
        self._level: Level | None = None

    def set_state(self, level: Level, text: str, *, detail: str = "") -> None:
        if level is not self._level:
            color, shape, mark = level.value
            self._icon.setPixmap(shape_pixmap(shape, color, 14, mark))
            self._level = level
        self._text.setText(text)
        self.setToolTip(detail or text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(detail)

    def set_age(self, text: str) -> None:
        self._age.setText(text)

    def text(self) -> str:
        return self._text.text()

    def age_text(self) -> str:
        return self._age.text()
