"""The panel over the patient data: sign-in before start, and the lock when unattended.

While it is up, nothing of any patient can be seen or reached:

- the main window's content (alert queue, patient list, patient tabs) and menu bar are hidden,
  not just painted over, and an opaque panel fills the window above the status bar;
- every other window of the console (a resolve or video dialog, a quick-reply editor) gets its
  own opaque cover and a neutral title; windows opened while locked get one at once;
- popups and tooltips are closed, and input reaches only the panels (their unlock buttons);
- the window title says "locked" and carries no unread count.

What stays: the open alerts by priority (on the panel and in the status bar), the alert sound
(it plays from a timer, not from what is shown), the connection state and the unlock button.
Unlocking means signing in again; everything comes back as it was, dialogs with what was typed.

The sign-in panel offers, when the server is a training backend, its training users to choose
from (name, role, centre), and, when no web browser could be opened, the sign-in address to
copy into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from console.domain.training import marked_title

_PANEL_STYLE = "background: #eceff1; color: #1a1a1a;"
CARD_WIDTH = 680
#: Input events that may only reach the panels while locked.
_BLOCKED = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.ToolTip,
        QEvent.Type.WhatsThis,
        QEvent.Type.DragEnter,
        QEvent.Type.Drop,
    }
)


@dataclass(frozen=True, slots=True)
class TrainingChoice:
    """A training user offered on the sign-in panel (from the training backend's list)."""

    username: str
    name: str
    roles: str  # role and centre, in words, already translated


def _t(text: str) -> str:
    """One translation context for every panel (the covers are LockOverlay's helpers)."""
    return QCoreApplication.translate("LockOverlay", text)


class _Cover(QWidget):
    """An opaque panel over one window's content, with an unlock button."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#lockCover {{ {_PANEL_STYLE} }}")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A card of fixed width in the middle: wrapped texts get a real width to wrap in.
        self.card = QWidget(self)
        self.card.setFixedWidth(CARD_WIDTH)
        outer.addWidget(self.card, 0, Qt.AlignmentFlag.AlignCenter)
        self.layout_ = QVBoxLayout(self.card)
        self.layout_.setSpacing(10)
        self.title = QLabel(self.card)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.counts = QLabel(self.card)
        self.counts.setAccessibleName(_t("Open alerts"))
        counts_font = self.counts.font()
        counts_font.setPointSizeF(counts_font.pointSizeF() * 1.3)
        counts_font.setBold(True)
        self.counts.setFont(counts_font)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.counts.setWordWrap(True)
        self.button = QPushButton(self.card)
        self.button.setDefault(True)
        self.button.clicked.connect(self.unlock_requested)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.counts)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class _DialogCover(_Cover):
    """The cover of a dialog (or any other console window) while the console is locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        # Compact: a dialog may be small.
        for label in (self.title, self.counts):
            font = label.font()
            font.setPointSizeF(QApplication.font().pointSizeF())
            font.setBold(True)
            label.setFont(font)
            label.setWordWrap(True)
        self.title.setText(_t("The console is locked"))
        self.counts.hide()  # a dialog may be small: the counts are on the main panel
        self.button.setText(_t("&Unlock (sign in again)"))
        self.button.setAccessibleName(_t("Unlock by signing in again"))
        self.layout_.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        parent.installEventFilter(self)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.card.setFixedWidth(max(120, min(CARD_WIDTH, parent.width() - 24)))
        super().cover()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.cover()
        return False


class LockOverlay(_Cover):
    """Covers the main window (and every other console window) with opaque panels; unlocking
    means signing in again. Also the sign-in panel before the first sign-in."""

    training_user_chosen = Signal(str)  # the user name

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.setObjectName("lockCover")
        self.text = QLabel(self.card)
        self.text.setWordWrap(True)
        self.problem = QLabel(self.card)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c; font-weight: bold;")
        # The training users (a training backend only).
        self.training = QWidget(self.card)
        training_layout = QVBoxLayout(self.training)
        training_layout.setContentsMargins(0, 8, 0, 0)
        self.training_label = QLabel(self.training)
        self.training_label.setWordWrap(True)
        self.training_table = QTableWidget(0, 3, self.training)
        self.training_table.setAccessibleName(self.tr("Training users"))
        self.training_table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Role and centre"), self.tr("User name")]
        )
        self.training_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.training_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.training_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.training_table.verticalHeader().setVisible(False)
        self.training_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.training_table.horizontalHeader().setStretchLastSection(True)
        self.training_table.setMinimumHeight(280)
        self.training_table.doubleClicked.connect(lambda _index: self._choose_training())
        self.training_table.itemSelectionChanged.connect(self._training_selection_changed)
        self.training_button = QPushButton(self.training)
        self.training_button.setText(self.tr("Sign in as the &chosen training user"))
        self.training_button.setAccessibleName(self.tr("Sign in as the chosen training user"))
        self.training_button.clicked.connect(self._choose_training)
        training_layout.addWidget(self.training_label)
        training_layout.addWidget(self.training_table)
        training_layout.addWidget(self.training_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.training.hide()
        # The sign-in address, when no web browser could be opened.
        self.address_box = QWidget(self.card)
        address_layout = QVBoxLayout(self.address_box)
        address_layout.setContentsMargins(0, 8, 0, 0)
        self.address_text = QLabel(self.address_box)
        self.address_text.setWordWrap(True)
        row = QHBoxLayout()
        self.address = QLineEdit(self.address_box)
        self.address.setReadOnly(True)
        self.address.setAccessibleName(self.tr("Sign-in address"))
        self.copy_button = QPushButton(self.tr("&Copy address"), self.address_box)
        self.copy_button.setAccessibleName(self.tr("Copy the sign-in address"))
        self.copy_button.clicked.connect(self._copy_address)
        row.addWidget(self.address, 1)
        row.addWidget(self.copy_button)
        address_layout.addWidget(self.address_text)
        address_layout.addLayout(row)
        self.address_box.hide()
        # title, counts (above), then:
        for widget in (self.text, self.problem, self.training, self.address_box):
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self._locked = False
        self._signing_in = False
        self._covers: dict[QWidget, tuple[_DialogCover, str]] = {}
        self._modality: dict[QWidget, Qt.WindowModality] = {}
        self._title = ""
        window.installEventFilter(self)
        self.hide()

    # ----- what the session calls -------------------------------------------------------------

    def lock(self) -> None:
        """Hide every patient detail; only alert counts, sound and the unlock button stay."""
        self._signing_in = False
        self._show(
            self.tr("The console is locked"),
            self.tr(
                "Patient data is hidden after a period without activity. "
                "Alerts still count and sound. Sign in again to continue."
            ),
            self.tr("&Unlock (sign in again)"),
            self.tr("Unlock by signing in again"),
        )

    def ask_sign_in(
        self, problem: str = "", training: Sequence[TrainingChoice] | None = None
    ) -> None:
        """The sign-in panel: the browser way, or (a training backend) its users."""
        self._signing_in = True
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
        self.set_training_users(training or [])

    def set_training_users(self, users: Sequence[TrainingChoice]) -> None:
        self.training_table.setRowCount(len(users))
        for row, user in enumerate(users):
            for column, text in enumerate((user.name, user.roles, user.username)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, user.username)
                self.training_table.setItem(row, column, item)
        self.training.setVisible(bool(users))
        if users:
            self.text.setText(
                self.tr(
                    "This is a training centre with synthetic patients. Choose a training "
                    "user to sign in as, or sign in in the web browser."
                )
            )
            self.training_label.setText(
                self.tr("Training users (synthetic data; every one has the training password):")
            )
            self.training_table.selectRow(0)
            self.training_table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.button.setDefault(False)
            self.training_button.setDefault(True)
            if self._signing_in:
                self.button.setText(self.tr("Sign in in the &web browser…"))

    def waiting_for_browser(self) -> None:
        self.text.setText(
            self.tr("Finish signing in in the web browser window that opened, then come back.")
        )
        self.button.setEnabled(False)
        self.training_button.setEnabled(False)

    def show_address(self, url: str, *, opened: bool) -> None:
        """The sign-in address to copy: no browser could be opened (or none came up)."""
        self.address.setText(url)
        self.address.setCursorPosition(0)
        if opened:
            text = self.tr(
                "No browser window came up? Open this address in a web browser on this "
                "computer and sign in there; the console continues by itself."
            )
        else:
            text = self.tr(
                "No web browser could be opened. Open this address in a web browser on this "
                "computer and sign in there; the console continues by itself."
            )
            self.text.setText(self.tr("Waiting for the sign-in in a web browser…"))
        self.address_text.setText(text)
        self.address_box.show()

    def signing_in_training(self, name: str) -> None:
        self.text.setText(self.tr("Signing in as %1…").replace("%1", name))
        self.button.setEnabled(False)
        self.training_button.setEnabled(False)

    def set_alert_counts(self, text: str) -> None:
        """Open alerts by priority (no patient in it): shown on every cover."""
        self.counts.setText(text)
        for cover, _title in self._covers.values():
            cover.counts.setText(text)

    def unlock(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        for window, (cover, title) in list(self._covers.items()):
            cover.hide()
            cover.deleteLater()
            window.setWindowTitle(title)
            modality = self._modality.pop(window, None)
            if modality is not None and window.isVisible():
                window.hide()
                window.setWindowModality(modality)
                window.show()
        self._covers.clear()
        self._modality.clear()
        self._locked = False
        self.hide()
        central = self._window.centralWidget()
        if central is not None:
            central.show()
        self._window.menuBar().show()
        if self._title:
            self._window.setWindowTitle(self._title)
        self.address_box.hide()
        self.training.hide()

    def is_locked(self) -> bool:
        return self._locked

    def covered_windows(self) -> list[QWidget]:
        """The other console windows covered now (for tests and screenshots)."""
        return list(self._covers)

    # ----- inside ---------------------------------------------------------------------------

    def _show(self, title: str, text: str, button: str, accessible: str, problem: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.button.setText(button)
        self.button.setAccessibleName(accessible)
        self.button.setEnabled(True)
        self.button.setDefault(True)
        self.training_button.setEnabled(True)
        self.address_box.hide()
        self.training.hide()
        if not self._locked:
            self._locked = True
            self._title = self._window.windowTitle()
        self._window.setWindowTitle(marked_title(self.tr("DHO response centre – locked")))
        central = self._window.centralWidget()
        if central is not None:
            central.hide()  # hidden, not only covered: nothing paints, nothing is read out
        self._window.menuBar().hide()
        self._close_popups()
        for window in QApplication.topLevelWidgets():
            if window is not self._window and window.isVisible():
                self._cover_window(window)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
            app.installEventFilter(self)
        self.cover()
        focus = self.training_table if self.training.isVisible() else self.button
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def cover(self) -> None:
        bar = self._window.statusBar()
        height = self._window.height() - (bar.height() if bar.isVisible() else 0)
        self.setGeometry(0, 0, self._window.width(), max(0, height))
        self.raise_()
        self.show()

    def _cover_window(self, window: QWidget) -> None:
        if window in self._covers or isinstance(window, QMenu) or not window.isWindow():
            return
        if isinstance(window, QMainWindow) or any(
            isinstance(child, _Cover) for child in window.children()
        ):
            return  # another main window (tests) has its own panel
        if window.windowFlags() & Qt.WindowType.ToolTip == Qt.WindowType.ToolTip:
            window.hide()
            return
        cover = _DialogCover(window)
        cover.counts.setText(self.counts.text())
        cover.unlock_requested.connect(self.unlock_requested)
        self._covers[window] = (cover, window.windowTitle())
        window.setWindowTitle(marked_title(self.tr("DHO – locked")))
        cover.cover()
        modality = window.windowModality()
        if (
            isinstance(window, QDialog)
            and modality != Qt.WindowModality.NonModal
            and not isinstance(window, QFileDialog | QMessageBox | QInputDialog)
        ):
            # A modal dialog would keep the panel's sign-in out of reach: not modal while
            # locked (the console opens its dialogs with open(), so hiding ends nothing).
            window.hide()
            window.setWindowModality(Qt.WindowModality.NonModal)
            window.show()
            self._modality[window] = modality
        window.destroyed.connect(lambda *_: self._forget(window))

    def _forget(self, window: QWidget) -> None:
        self._covers.pop(window, None)
        self._modality.pop(window, None)

    def _keep_neutral_title(self, window: QWidget) -> None:
        """A title set while locked (an unread count, a patient's name) waits for unlock."""
        if window is self._window:
            # With the training mark when training (console/ui/training_mark.py keeps it).
            neutral = marked_title(self.tr("DHO response centre – locked"))
            if window.windowTitle() != neutral:
                self._title = window.windowTitle()
                window.setWindowTitle(neutral)
        elif window in self._covers:
            neutral = marked_title(self.tr("DHO – locked"))
            if window.windowTitle() != neutral:
                cover, _old = self._covers[window]
                self._covers[window] = (cover, window.windowTitle())
                window.setWindowTitle(neutral)

    @staticmethod
    def _close_popups() -> None:
        QToolTip.hideText()
        for _ in range(10):
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()

    def _in_cover(self, obj: QObject) -> bool:
        if not isinstance(obj, QWidget):
            # QActions and QShortcuts of the console's windows: not while locked.
            return False
        covers: list[QWidget] = [self, *(c for c, _ in self._covers.values())]
        return any(c is obj or c.isAncestorOf(obj) for c in covers)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window and kind in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            if self._locked:
                self.cover()
            return False
        if not self._locked:
            return False
        if kind == QEvent.Type.WindowTitleChange and isinstance(watched, QWidget):
            self._keep_neutral_title(watched)
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if watched is not self._window and not self._in_cover(watched):
                if isinstance(watched, QMenu):
                    watched.close()  # no menus (context menus of the data) while locked
                else:
                    self._cover_window(watched)
            return False
        if kind in _BLOCKED and not self._in_cover(watched):
            return True  # swallowed: the console is locked
        return False

    # ----- training users and the address ---------------------------------------------------

    def _training_selection_changed(self) -> None:
        self.training_button.setEnabled(bool(self.training_table.selectedItems()))

    def _choose_training(self) -> None:
        items = self.training_table.selectedItems()
        if not items or not self.training_button.isEnabled():
            return
        username = items[0].data(Qt.ItemDataRole.UserRole)
        if isinstance(username, str) and username:
            self.training_user_chosen.emit(username)

    def _copy_address(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.address.text())
        self.copy_button.setText(self.tr("Copied"))
