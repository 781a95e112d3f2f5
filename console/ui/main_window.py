"""The response centre's main window: centre selector, live patient list, connection status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import CentreChoice, ConnectionMode, ConnectionState, Triage
from console.state.formatting import format_age
from console.state.patient_list import Column, PatientListModel, Role
from widgets.fast_cells import CellTable
from widgets.search_box import SearchBox
from widgets.status_indicator import Level, StatusIndicator

_LEVELS: dict[ConnectionMode, Level] = {
    ConnectionMode.STARTING: Level.BUSY,
    ConnectionMode.CONNECTING: Level.BUSY,
    ConnectionMode.LIVE: Level.OK,
    ConnectionMode.CATCHING_UP: Level.BUSY,
    ConnectionMode.POLLING: Level.WARNING,
    ConnectionMode.RECONNECTING: Level.WARNING,
    ConnectionMode.OFFLINE: Level.ERROR,
}


class MainWindow(QMainWindow):
    """Shows what the centre follows and how fresh that picture is."""

    centre_changed = Signal(int)
    patient_activated = Signal(str)
    sign_out_requested = Signal()
    lock_requested = Signal()
    tab_closed = Signal(object)  # the widget; the owner cleans up and deletes it

    def __init__(
        self,
        model: PatientListModel,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._now = now
        self._connection = ConnectionState(ConnectionMode.STARTING)
        self._selected_id: str | None = None
        self._menus: dict[str, QMenu] = {}
        self.setWindowTitle(self.tr("DHO response centre"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)

        top = QHBoxLayout()
        centre_label = QLabel(self.tr("&Response centre:"), central)
        self.centre_box = QComboBox(central)
        self.centre_box.setAccessibleName(self.tr("Response centre"))
        self.centre_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.centre_box.setMinimumContentsLength(32)
        centre_label.setBuddy(self.centre_box)
        self.search = SearchBox(central)
        self.search.setPlaceholderText(self.tr("Search name or national ID number (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search patients"))
        self.search.setMinimumWidth(360)
        self.counts = QLabel(central)
        self.counts.setAccessibleName(self.tr("Patient counts"))
        top.addWidget(centre_label)
        top.addWidget(self.centre_box)
        top.addSpacing(12)
        top.addWidget(self.search)
        top.addStretch(1)
        top.addWidget(self.counts)
        top.addSpacing(16)
        self.user_label = QLabel(central)
        self.user_label.setAccessibleName(self.tr("Signed in as"))
        self.user_label.setTextFormat(Qt.TextFormat.PlainText)
        self.lock_button = QToolButton(central)
        self.lock_button.setText(self.tr("&Lock"))
        self.lock_button.setToolTip(self.tr("Hide patient data now (Ctrl+L)"))
        self.lock_button.setAccessibleName(self.tr("Lock the console"))
        self.lock_button.clicked.connect(self.lock_requested)
        self.sign_out_button = QToolButton(central)
        self.sign_out_button.setText(self.tr("Sign &out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        for widget in (self.user_label, self.lock_button, self.sign_out_button):
            top.addWidget(widget)
        self.set_user(None)
        layout.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.alert_pane = QWidget(self.splitter)
        self.alert_pane.setAccessibleName(self.tr("Alert queue"))
        alert_layout = QVBoxLayout(self.alert_pane)
        alert_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self.splitter)
        self.tabs.setAccessibleName(self.tr("Patient list and open patients"))
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self._tab_keys: dict[str, QWidget] = {}
        # Cells come ready from the model and are painted in one call per repaint: a live
        # list repaints several times a second.
        self.table = CellTable(model.cell, self.tabs)
        self.table.setModel(model)
        self.table.setAccessibleName(self.tr("Patient list"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {
            Column.TRIAGE: 88,
            Column.NAME: 172,
            Column.MESSAGES: 62,
            Column.AGE: 50,
            Column.DEPARTMENT: 240,
            Column.PROGRAMME: 112,
            Column.BLOOD_PRESSURE: 116,
            Column.PULSE: 96,
            Column.SPO2: 92,
            Column.WEIGHT: 106,
            Column.GLUCOSE: 116,
            Column.TEMPERATURE: 106,
            Column.LAST_REPORT: 92,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        # The department takes what is left and elides (full name in the tooltip).
        header.setSectionResizeMode(Column.DEPARTMENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(44)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        column, order = model.sort_state()
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.table.activated.connect(self._activated)
        self.tabs.addTab(self.table, self.tr("&Patients"))
        no_close = self.tabs.tabBar().tabButton(0, QTabBar.ButtonPosition.RightSide)
        if no_close is not None:
            no_close.hide()
        self.splitter.addWidget(self.alert_pane)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 1400])
        self.alert_pane.hide()  # shown once an alert queue is set
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status = StatusIndicator(self)
        self.status.setAccessibleName(self.tr("Connection status"))
        self.statusBar().addWidget(self.status)
        self.alert_summary = QLabel(self)
        self.alert_summary.setAccessibleName(self.tr("Open alerts"))
        self.statusBar().addWidget(self.alert_summary)
        self.notice_label = QLabel(self)
        self.notice_label.setAccessibleName(self.tr("Notice"))
        self.notice_label.hide()
        self.statusBar().addWidget(self.notice_label)
        self.alert_side_label = QLabel(self)
        self.alert_side_label.setAccessibleName(self.tr("Who raises alerts"))
        self.alert_side_label.hide()
        self.statusBar().addPermanentWidget(self.alert_side_label)
        self.server_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.server_label)

        self.centre_box.currentIndexChanged.connect(self.centre_changed)
        self.search.search_changed.connect(model.set_filter_text)
        model.counts_changed.connect(self._update_counts)
        model.modelAboutToBeReset.connect(self._remember_selection)
        model.modelReset.connect(self._restore_selection)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence("Ctrl+L"), self, self.lock_requested.emit)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._ticks = 0
        self.set_connection(self._connection)
        self._update_counts()

    # ----- menus --------------------------------------------------------------------------

    #: The menu bar's menus, in this order; each appears once something puts an action in it.
    MENU_ORDER = ("file", "view", "training", "help")

    def menu(self, key: str) -> QMenu:
        """The menu for `key` (one of `MENU_ORDER`), made on first use in its fixed place.

        Features add their own actions (handover, review, training, quit) here instead of
        each building a menu bar of its own.
        """
        existing = self._menus.get(key)
        if existing is not None:
            return existing
        titles = {
            "file": self.tr("&File"),
            "view": self.tr("&View"),
            "training": self.tr("&Training"),
            "help": self.tr("&Help"),
        }
        menu = QMenu(titles[key], self)
        menu.setAccessibleName(titles[key].replace("&", ""))
        after = self.MENU_ORDER[self.MENU_ORDER.index(key) + 1 :]
        later = [self._menus[k] for k in after if k in self._menus]
        bar = self.menuBar()
        if later:
            bar.insertMenu(later[0].menuAction(), menu)
        else:
            bar.addMenu(menu)
        self._menus[key] = menu
        return menu

    # ----- inputs -------------------------------------------------------------------------

    def set_centres(self, choices: Sequence[CentreChoice], current: int = 0) -> None:
        self.centre_box.blockSignals(True)
        self.centre_box.clear()
        for choice in choices:
            self.centre_box.addItem("    " * choice.indent + choice.label)
        self.centre_box.setCurrentIndex(current)
        self.centre_box.blockSignals(False)

    def set_user(self, text: str | None) -> None:
        """Who is signed in, in which role and centre: always visible while signed in."""
        self.user_label.setText(text or "")
        self.user_label.setVisible(bool(text))
        self.sign_out_button.setVisible(bool(text))
        self.lock_button.setVisible(bool(text))

    def set_alert_view(self, view: QWidget) -> None:
        """The alert queue sits left of the tabs, always in sight."""
        layout = self.alert_pane.layout()
        assert layout is not None
        layout.addWidget(view)
        self.alert_pane.show()

    def set_alert_summary(self, text: str) -> None:
        """Open alerts by priority, in the status bar: stays visible while the console is locked."""
        self.alert_summary.setText(text)

    def set_unread_total(self, count: int) -> None:
        base = self.tr("DHO response centre")
        self.setWindowTitle(f"({count}) {base}" if count else base)

    def open_tab(self, key: str, widget: QWidget, title: str) -> QWidget:
        """Show the tab for `key`, adding `widget` under `title` if it is not open yet."""
        existing = self._tab_keys.get(key)
        if existing is not None:
            widget.deleteLater()
            self.tabs.setCurrentWidget(existing)
            return existing
        self._tab_keys[key] = widget
        self.tabs.setCurrentIndex(self.tabs.addTab(widget, title))
        return widget

    def tab(self, key: str) -> QWidget | None:
        return self._tab_keys.get(key)

    def show_patient_list(self) -> None:
        self.tabs.setCurrentIndex(0)

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if index == 0 or widget is None:
            return
        for key, value in list(self._tab_keys.items()):
            if value is widget:
                del self._tab_keys[key]
        self.tabs.removeTab(index)
        self.tab_closed.emit(widget)

    def set_notice(self, text: str) -> None:
        """A lasting warning in the status bar, with a warning sign so it is not colour alone."""
        self.notice_label.setText(f"⚠ {text}" if text else "")
        self.notice_label.setVisible(bool(text))

    def set_alert_side(self, side: str) -> None:
        """Who raises alerts: "server" (its rules) or "console" (this console's own copy)."""
        if side == "console":
            text = self.tr("Alerts by: this console")
            tip = self.tr(
                "The server raises no alerts: this console checks every new value against the "
                "patient's own limits and creates the alert (once, however many consoles run)."
            )
        else:
            text = self.tr("Alerts by: the server")
            tip = self.tr("The server's rules raise the alerts.")
        self.alert_side_label.setText(text)
        self.alert_side_label.setToolTip(tip)
        self.alert_side_label.setVisible(bool(side))

    def set_server(self, text: str) -> None:
        self.server_label.setText(text)

    def set_connection(self, state: ConnectionState) -> None:
        self._connection = state
        self.status.set_state(_LEVELS[state.mode], self._mode_text(state.mode), detail=state.detail)
        self._update_age()

    # ----- behaviour ----------------------------------------------------------------------

    def _mode_text(self, mode: ConnectionMode) -> str:
        return {
            ConnectionMode.STARTING: self.tr("Starting…"),
            ConnectionMode.CONNECTING: self.tr("Connecting…"),
            ConnectionMode.LIVE: self.tr("Live"),
            ConnectionMode.CATCHING_UP: self.tr("Catching up…"),
            ConnectionMode.POLLING: self.tr("Polling (no live connection)"),
            ConnectionMode.RECONNECTING: self.tr("Reconnecting…"),
            ConnectionMode.OFFLINE: self.tr("Offline"),
        }[mode]

    def _update_age(self) -> None:
        as_of = self._connection.data_as_of
        if as_of is None:
            self.status.set_age(self.tr("no data yet"))
            return
        age = max(0.0, (self._now() - as_of).total_seconds())
        clock = as_of.astimezone().strftime("%H:%M:%S")
        if self._connection.mode is ConnectionMode.LIVE and age < 60:
            self.status.set_age(self.tr("data up to date (%1)").replace("%1", clock))
        else:
            self.status.set_age(
                self.tr("data is %1 old (as of %2)")
                .replace("%1", format_age(age))
                .replace("%2", clock)
            )

    def _tick(self) -> None:
        self._update_age()
        self._ticks += 1
        if self._ticks % 30 == 0:
            self._model.refresh_times()

    def _update_counts(self) -> None:
        counts = self._model.triage_counts()
        total = self._model.patient_count()
        self.counts.setText(
            self.tr("%n patient(s)", "", total)
            + "  ·  "
            + self.tr("%1 red · %2 yellow · %3 green")
            .replace("%1", str(counts[Triage.RED]))
            .replace("%2", str(counts[Triage.YELLOW]))
            .replace("%3", str(counts[Triage.GREEN]))
        )

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        pid = index.data(Role.PATIENT_ID)
        if pid:
            self.patient_activated.emit(pid)

    def _remember_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._selected_id = rows[0].data(Role.PATIENT_ID) if rows else None

    def _restore_selection(self) -> None:
        if self._selected_id is None:
            return
        row = self._model.row_of(self._selected_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self._model.index(row, 0))
