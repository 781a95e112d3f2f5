"""The response centre's main window: centre selector, live patient list, connection status."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShortcut
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
from console.state.formatting import format_age, local_time
from console.state.patient_list import Column, PatientListModel, Role
from widgets.elided_label import ElidedLabel
from widgets.fast_cells import ICON_SIZE, CellTable
from widgets.search_box import SearchBox
from widgets.status_indicator import Level, StatusIndicator

#: Columns the user may hide (View > Columns); status and name always show.
OPTIONAL_COLUMNS: tuple[Column, ...] = tuple(c for c in Column if c > Column.NAME)
#: Hidden on a narrow window (under 1600 px) until the user shows them: the name's tooltip
#: and the alert cards name the department and programme too.
COMPACT_HIDDEN = frozenset({Column.DEPARTMENT, Column.PROGRAMME})

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
    #: Ctrl+Q or File > Quit: the session asks about unsent messages, as on closing.
    quit_requested = Signal()
    #: Ctrl+Shift+H, File > Shift handover or the top-row button.
    handover_requested = Signal()
    tab_closed = Signal(object)  # the widget; the owner cleans up and deletes it
    alert_summary_changed = Signal(str)  # open alerts by priority (the lock panel shows it)

    def __init__(
        self,
        model: PatientListModel,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        server_time: Callable[[datetime], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._now = now
        #: A workstation time -> the server's (simulated) time (ServerClock.at), for the times
        #: the status bar shows; the age of the data stays in real seconds.
        self._server_time = server_time or (lambda wall: wall)
        self._connection = ConnectionState(ConnectionMode.STARTING)
        self._selected_id: str | None = None
        self._menus: dict[str, QMenu] = {}
        self.setWindowTitle(self.tr("DHO response centre"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        self._central_layout = layout
        self.training_banner: QWidget | None = None

        top = QHBoxLayout()
        centre_label = QLabel(self.tr("&Response centre:"), central)
        self.centre_box = QComboBox(central)
        self.centre_box.setAccessibleName(self.tr("Response centre"))
        # Long centre names elide (full name in the tooltip): the row must fit 1280 px.
        self.centre_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.centre_box.setMinimumContentsLength(18)
        self.centre_box.currentTextChanged.connect(self.centre_box.setToolTip)
        centre_label.setBuddy(self.centre_box)
        self.search = SearchBox(central)
        self.search.setPlaceholderText(self.tr("Search name or national ID number (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search patients"))
        self.search.setMinimumWidth(150)
        self.search.setMaximumWidth(360)
        # The counts stay whole (red and yellow are what a nurse looks for); the signed-in
        # user elides first.
        self.counts = ElidedLabel("", central, minimum_chars=200)
        self.counts.setAccessibleName(self.tr("Patient counts"))
        top.addWidget(centre_label)
        top.addWidget(self.centre_box)
        top.addSpacing(12)
        top.addWidget(self.search, 1)
        top.addSpacing(8)
        top.addWidget(self.counts)
        top.addSpacing(12)
        self.user_label = ElidedLabel("", central, minimum_chars=16)
        self.user_label.setAccessibleName(self.tr("Signed in as"))
        self.user_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.lock_button = QToolButton(central)
        self.lock_button.setText(self.tr("&Lock"))
        self.lock_button.setToolTip(self.tr("Hide patient data now (Ctrl+L)"))
        self.lock_button.setAccessibleName(self.tr("Lock the console"))
        self.lock_button.clicked.connect(self.lock_requested)
        self.sign_out_button = QToolButton(central)
        self.sign_out_button.setText(self.tr("Sign &out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self.handover_button = QToolButton(central)
        self.handover_button.setText(self.tr("&Handover"))
        self.handover_button.setToolTip(self.tr("Shift handover (Ctrl+Shift+H)"))
        self.handover_button.setAccessibleName(self.tr("Shift handover"))
        self.handover_button.clicked.connect(self.handover_requested)
        top.addWidget(self.user_label, 3)
        for widget in (self.handover_button, self.lock_button, self.sign_out_button):
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
        for column, width in self.column_widths().items():
            header.resizeSection(column, width)
        # Names and departments elide (the whole text in the tooltip).
        header.setMinimumSectionSize(40)
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
        self.splitter.setSizes([440, 1400])
        self.splitter.setChildrenCollapsible(False)
        self.alert_pane.hide()  # shown once an alert queue is set
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.status = StatusIndicator(self)
        self.status.setAccessibleName(self.tr("Connection status"))
        self.statusBar().addWidget(self.status)
        self.alert_summary = QLabel(self)
        self.alert_summary.setAccessibleName(self.tr("Open alerts"))
        self.statusBar().addWidget(self.alert_summary)
        #: Lasting warnings, one label each (key -> label), in the order they arrived.
        self.notice_labels: dict[str, QLabel] = {}
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
        self.handover_action = QAction(self.tr("Shift &handover…"), self)
        self.handover_action.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.handover_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.handover_action.triggered.connect(self.handover_requested)
        self.quit_action = QAction(self.tr("&Quit"), self)
        # Not StandardKey.Quit: that is empty on Windows, and nurses share one habit.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.quit_requested)
        #: Columns the user showed or hid from View > Columns (else: by window width).
        self._column_choice: dict[Column, bool] = {}
        self.column_actions: dict[Column, QAction] = {}
        columns_menu = self.menu("view").addMenu(self.tr("&Columns"))
        for column in OPTIONAL_COLUMNS:
            action = QAction(str(model.headerData(column, Qt.Orientation.Horizontal)), self)
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda on, c=column: self._choose_column(c, on))
            columns_menu.addAction(action)
            self.column_actions[column] = action
        file_menu = self.menu("file")
        file_menu.addAction(self.handover_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._ticks = 0
        self.set_connection(self._connection)
        self._update_counts()

    def set_training_banner(self, banner: QWidget | None) -> None:
        """The training mark's strip above everything else (console/ui/training_mark.py)."""
        if self.training_banner is not None:
            self._central_layout.removeWidget(self.training_banner)
            self.training_banner.deleteLater()
        self.training_banner = banner
        if banner is not None:
            self._central_layout.insertWidget(0, banner)
            banner.show()

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

    #: Below this window width, the columns a nurse needs least are hidden unless chosen.
    COMPACT_WIDTH = 1600

    def column_widths(self) -> dict[Column, int]:
        """Widths from the font, so "188/110 · 59 min" with its icon fits at any size or scale."""
        metrics = self.fontMetrics()

        def fits(*samples: str, icon: bool = False) -> int:
            lines = [line for s in samples for line in s.split("\n")]
            text = max(metrics.horizontalAdvance(line) for line in lines)
            # The cell's own padding (4 px each side, 4 after the icon) and some air.
            return text + (ICON_SIZE + 4 if icon else 0) + 18

        def cell(value: str) -> int:
            return fits(f"{value} · 59 min", icon=True)  # the widest age text

        model = self._model
        # Header lines plus room for the sort arrow.
        header = {c: str(model.headerData(c, Qt.Orientation.Horizontal)) + "  ▲" for c in Column}
        return {
            Column.TRIAGE: fits(header[Column.TRIAGE], "Yellow", "Gul", icon=True),
            Column.NAME: fits("Tjessem Moen, Alfhild K"),
            Column.MESSAGES: fits(header[Column.MESSAGES], "99"),
            Column.AGE: fits(header[Column.AGE], "100"),
            Column.DEPARTMENT: fits("Hjemmesykepleien Stavanger sen"),
            Column.PROGRAMME: fits(header[Column.PROGRAMME], "Heart failure"),
            Column.BLOOD_PRESSURE: max(cell("188/110"), fits(header[Column.BLOOD_PRESSURE])),
            Column.PULSE: max(cell("166"), fits(header[Column.PULSE])),
            Column.SPO2: max(cell("100"), fits(header[Column.SPO2])),
            Column.WEIGHT: max(cell("123,4"), fits(header[Column.WEIGHT])),
            Column.GLUCOSE: max(cell("23,4"), fits(header[Column.GLUCOSE])),
            Column.TEMPERATURE: max(cell("38,9"), fits(header[Column.TEMPERATURE])),
            Column.LAST_REPORT: fits(header[Column.LAST_REPORT], "42 min"),
            # The alert pane takes ~30 % of the window; the list shows what fits and scrolls.
        }

    def _choose_column(self, column: Column, shown: bool) -> None:
        self._column_choice[column] = shown
        self._apply_columns()

    def _apply_columns(self) -> None:
        compact = self.width() < self.COMPACT_WIDTH
        for column in OPTIONAL_COLUMNS:
            shown = self._column_choice.get(column, not (compact and column in COMPACT_HIDDEN))
            self.table.setColumnHidden(column, not shown)
            action = self.column_actions[column]
            action.blockSignals(True)
            action.setChecked(shown)
            action.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_columns()

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
        self.handover_button.setVisible(bool(text))

    def set_alert_view(self, view: QWidget) -> None:
        """The alert queue sits left of the tabs, always in sight."""
        layout = self.alert_pane.layout()
        assert layout is not None
        layout.addWidget(view)
        self.alert_pane.show()

    def set_alert_summary(self, text: str) -> None:
        """Open alerts by priority, in the status bar: stays visible while the console is locked."""
        self.alert_summary.setText(text)
        self.alert_summary_changed.emit(text)

    def set_unread_total(self, count: int) -> None:
        base = self.tr("DHO response centre")
        self.setWindowTitle(f"({count}) {base}" if count else base)

    def open_tab(self, key: str, widget: QWidget, title: str) -> QWidget:
        """Show the tab for `key`, adding `widget` under `title` if it is not open yet."""
        existing = self._tab_keys.get(key)
        if existing is not None:
            if widget is not existing:  # the page itself, asked for again: keep it
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

    def set_notice(self, key: str, text: str | None = None, detail: str = "") -> None:
        """A lasting warning in the status bar under `key` ("secure-store", "sound",
        "offline", ...): several show at once, each with a warning sign (not colour alone),
        a short text and the full explanation as tooltip. An empty text removes it.

        `set_notice(text)` (the older one-notice form) still works: key "general"."""
        if text is None:
            key, text = "general", key
        if not text:
            self.clear_notice(key)
            return
        label = self.notice_labels.get(key)
        if label is None:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setFrameShape(QLabel.Shape.StyledPanel)
            label.setObjectName(f"notice-{key}")
            self.notice_labels[key] = label
            self.statusBar().addWidget(label)
        label.setText(f"⚠ {text}")
        label.setToolTip(detail or text)
        label.setAccessibleName(self.tr("Notice"))
        label.setAccessibleDescription(detail or text)
        label.show()

    def clear_notice(self, key: str) -> None:
        label = self.notice_labels.pop(key, None)
        if label is not None:
            self.statusBar().removeWidget(label)
            label.deleteLater()

    def notices(self) -> dict[str, str]:
        """key -> shown text of the notices now in the status bar."""
        return {key: label.text() for key, label in self.notice_labels.items()}

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
        if state.mode is ConnectionMode.OFFLINE:
            self.set_notice(
                "offline",
                self.tr("Not connected"),
                self.tr(
                    "Not connected to the server: new values, alerts and colleagues' changes "
                    "are not shown until the connection is back."
                )
                + (f" ({state.detail})" if state.detail else ""),
            )
        else:
            self.clear_notice("offline")

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
        clock = local_time(self._server_time(as_of)).strftime("%H:%M:%S")
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
