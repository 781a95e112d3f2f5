"""The TRENING / TRAINING mark on every window of a console connected to a training server.

The session switches the mark on from the server's profile (never the URL). Then:
- the main window shows a banner that has no close button and no menu entry to hide it;
- every top-level window's title (the main window, every dialog, message box and file
  dialog, whoever made it) starts with the mark: a sweep of the application's top-level
  widgets on a short clock and whenever the focused window changes, and a re-mark whenever
  a marked window's title is changed back;
- a screenshot (`stamp`) carries the mark in its corner even when the lock covers the window.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from console.domain.training import MARK, marked_title, set_training_mark, training_mark

#: How often the top-level windows are looked over (ms): a dialog is marked before a person
#: can read its title.
SWEEP_MS = 150
BANNER_STYLE = (
    "QLabel { background: #7a1f00; color: white; font-weight: bold; padding: 3px 8px;"
    " border: 2px dashed white; }"
)


def banner_text() -> str:
    return QCoreApplication.translate(
        "TrainingMark",
        "%1 — training server with synthetic patients: nothing here is real, "
        "and nothing here reaches a real patient.",
    ).replace("%1", MARK)


class TrainingBanner(QLabel):
    """The persistent strip at the top of the main window (it cannot be closed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setText(banner_text())
        self.setToolTip(banner_text())
        self.setAccessibleName(MARK)
        self.setAccessibleDescription(banner_text())

    def setVisible(self, visible: bool) -> None:
        # While training, nothing may hide the mark (a stray hide() included).
        super().setVisible(visible or training_mark())


class TrainingMarker(QObject):
    """Keeps the mark on every top-level window while `active`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(SWEEP_MS)
        self._timer.timeout.connect(self.sweep)
        self._watched: set[int] = set()
        self._marking = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(lambda _w: self.sweep())

    @property
    def active(self) -> bool:
        return training_mark()

    def set_active(self, on: bool) -> None:
        set_training_mark(on)
        if on:
            self._timer.start()
            self.sweep()
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    def sweep(self) -> None:
        if not training_mark():
            return
        for widget in QApplication.topLevelWidgets():
            self.mark(widget)

    def mark(self, widget: QWidget) -> None:
        title = widget.windowTitle()
        marked = marked_title(title)
        if marked != title:
            widget.setWindowTitle(marked)
        key = id(widget)
        if key not in self._watched:
            self._watched.add(key)
            widget.windowTitleChanged.connect(lambda _t, w=widget: self._retitled(w))
            widget.destroyed.connect(lambda *_a, k=key: self._watched.discard(k))

    def _retitled(self, widget: QWidget) -> None:
        if training_mark() and not self._marking:
            title = widget.windowTitle()
            marked = marked_title(title)
            if marked != title:
                self._marking = True  # one re-mark; whoever retitles again wins the next turn
                try:
                    widget.setWindowTitle(marked)
                finally:
                    self._marking = False


def stamp(pixmap: QPixmap) -> QPixmap:
    """The mark in the top-right corner of a screenshot (when training)."""
    if not training_mark() or pixmap.isNull():
        return pixmap
    painter = QPainter(pixmap)
    try:
        font = QFont(QGuiApplication.font())
        font.setBold(True)
        font.setPointSizeF(max(font.pointSizeF(), 9.0) * 1.1)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(MARK) + 16
        height = metrics.height() + 8
        ratio = pixmap.devicePixelRatio() or 1.0
        right = int(pixmap.width() / ratio)
        box = QRect(right - width - 4, 4, width, height)
        painter.fillRect(box, QColor("#7a1f00"))
        painter.setPen(QColor("white"))
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), MARK)
    finally:
        painter.end()
    return pixmap
