"""The lock: input keeps it away, idleness brings it; while locked nothing of any patient is
drawn or reachable in the window, its title or any dialog (proved on the pixels), and
unlocking brings everything back; the sign-in panel's training users and address."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QTabWidget,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from console.services.alerts import AlertService
from console.state.alert_queue import AlertQueueModel
from console.state.patient_list import PatientListModel
from console.ui.alert_queue import AlertQueueView
from console.ui.lock import LockOverlay, TrainingChoice
from console.ui.main_window import MainWindow
from tests.console.alert_tasks import ME, NOW, FakeFhir, task
from tests.console.alert_tasks import patient as alert_patient
from tests.console.factories import summary
from widgets.alert_sound import NullSoundPlayer
from widgets.inactivity import InactivityWatcher


def test_idle_fires_after_timeout_and_input_postpones_it(qtbot: QtBot) -> None:
    target = QLabel("x")
    qtbot.addWidget(target)
    target.show()
    watcher = InactivityWatcher(150)
    try:
        fired: list[bool] = []
        watcher.idle.connect(lambda: fired.append(True))
        qtbot.wait(100)
        qtbot.keyClick(target, Qt.Key.Key_A)  # activity restarts the clock
        qtbot.wait(100)
        assert fired == []
        qtbot.waitUntil(lambda: fired == [True], timeout=1000)
    finally:
        watcher.stop()
        target.close()


def test_timeout_zero_disables_the_lock(qtbot: QtBot) -> None:
    watcher = InactivityWatcher(0)
    try:
        with qtbot.assertNotEmitted(watcher.idle, wait=200):
            pass
    finally:
        watcher.stop()


NAMES = ("Kari Nordmann", "Per Olsen", "Kari", "Nordmann", "Olsen", "Hansen")


class World:
    """The main window with (or without) patient data: list, alert cards, a patient tab, a
    dialog with typed text and a patient's name in its title, unread counts, a tooltip."""

    def __init__(self, qtbot: QtBot, qloop: asyncio.AbstractEventLoop, *, data: bool) -> None:
        self.model = PatientListModel()
        self.window = MainWindow(self.model)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        fake = FakeFhir(
            *(
                [
                    alert_patient("p1", "Kari", "Hansen"),
                    alert_patient("p2", "Per", "Olsen"),
                    task("t1", "p1"),
                    task("t2", "p2", priority="routine"),
                ]
                if data
                else []
            )
        )
        self.alert_model = AlertQueueModel(now=lambda: NOW)
        self.service = AlertService(
            fake.client(), self.alert_model, ME, now=lambda: NOW, tick_ms=600_000
        )
        self.view = AlertQueueView(
            self.alert_model, sound=NullSoundPlayer(), now=lambda: NOW, tick_ms=600_000
        )
        self.view.bind(self.service)
        self.window.set_alert_view(self.view)
        if data:
            self.model.update(
                [
                    summary("p1", "Kari", "Nordmann", spo2=84, pulse=120),
                    summary("p2", "Per", "Olsen", spo2=97),
                ]
            )
            qloop.run_until_complete(self.service.load(None))
        self.window.open_tab(
            "patient/p1",
            QLabel("Kari Nordmann – SpO₂ 84 %" if data else ""),
            "Kari Nordmann" if data else "",
        )
        self.window.set_unread_total(3)
        self.window.set_alert_summary("Alerts: 1 high · 0 medium · 1 low")
        self.overlay = LockOverlay(self.window)
        self.window.alert_summary_changed.connect(self.overlay.set_alert_counts)
        self.overlay.set_alert_counts(self.window.alert_summary.text())
        self.window.show()
        qtbot.waitExposed(self.window)
        self.dialog = QDialog(self.window)
        self.dialog.setWindowTitle("Comment – Kari Nordmann" if data else "Comment")
        self.note = QLineEdit("Ringte Kari, alt vel" if data else "", self.dialog)
        self.dialog.resize(480, 260)
        self.dialog.open()
        qtbot.waitExposed(self.dialog)

    def close(self) -> None:
        self.overlay.unlock()
        self.dialog.close()
        self.view.stop()
        self.window.close()


def _patient_texts(root: QWidget) -> list[QWidget]:
    """Widgets that would draw a patient's name or value."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        text = ""
        if isinstance(widget, QLabel | QLineEdit):
            text = widget.text()
        elif isinstance(widget, QTabWidget):
            text = " ".join(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            m = widget.model()
            try:
                columns = m.columnCount(QModelIndex())
            except TypeError:  # a list model
                columns = 1
            text = " ".join(
                str(m.index(r, c).data(role) or "")
                for r in range(min(m.rowCount(QModelIndex()), 20))
                for c in range(columns)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
            )
        if any(name in text for name in NAMES):
            found.append(widget)
    return found


def test_locked_window_and_dialogs_draw_nothing_of_any_patient(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    full = World(qtbot, qloop, data=True)
    empty = World(qtbot, qloop, data=False)
    try:
        QToolTip.showText(full.window.mapToGlobal(full.window.rect().center()), "Kari Nordmann")
        assert _patient_texts(full.window) and "(3)" in full.window.windowTitle()
        for world in (full, empty):
            world.overlay.lock()
        qtbot.wait(50)
        # Titles: no name, no count.
        for title in (full.window.windowTitle(), full.dialog.windowTitle()):
            assert "(3)" not in title and not any(n in title for n in NAMES), title
        assert "locked" in full.window.windowTitle()
        # Every widget that holds a patient's name or value is hidden (and covered).
        assert not QToolTip.isVisible()
        for widget in _patient_texts(full.window) + _patient_texts(full.dialog):
            assert not widget.isVisible() or full.dialog.isAncestorOf(widget), widget
        assert not full.window.table.isVisible() and not full.view.isVisible()
        assert full.dialog in full.overlay.covered_windows()
        # Not modal while locked, so the panel's sign-in stays reachable.
        assert full.dialog.windowModality() == Qt.WindowModality.NonModal
        # The pixels prove it: the locked window and dialog with patients look exactly like
        # the locked window and dialog of a console that has none.
        shots = {}
        for name, world in (("full", full), ("empty", empty)):
            shots[name] = (world.window.grab().toImage(), world.dialog.grab().toImage())
        assert shots["full"][0] == shots["empty"][0]
        assert shots["full"][1] == shots["empty"][1]
        # Only the alert counts by priority (and the unlock button) are on the panel.
        assert full.overlay.counts.text() == "Alerts: 1 high · 0 medium · 1 low"
        assert full.overlay.button.isVisible() and full.overlay.button.isEnabled()
        # Values arriving underneath, a title change and a new window stay out of sight.
        full.model.update([summary("p1", "Kari", "Nordmann", spo2=79)])
        full.window.set_unread_total(5)
        late = QDialog(full.window)
        late.setWindowTitle("Kari Nordmann")
        QLabel("Per Olsen ringer", late)
        late.show()
        qtbot.waitExposed(late)
        assert "Kari" not in late.windowTitle()
        covers = [c for c in late.findChildren(QWidget, "lockCover") if c.isVisible()]
        assert covers and covers[0].geometry() == late.rect()
        assert full.window.grab().toImage() == shots["full"][0]
        # Keys and shortcuts reach nothing but the panel.
        qtbot.keyClick(full.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(full.window.search, "Kari")
        assert full.window.search.text() == ""
        # Unlocking brings it all back as it was, with what was typed.
        full.overlay.unlock()
        assert full.window.tabs.isVisible() and full.view.isVisible()
        assert full.window.windowTitle().startswith("(5)")
        assert full.dialog.windowTitle() == "Comment – Kari Nordmann"
        assert full.dialog.windowModality() == Qt.WindowModality.WindowModal
        assert full.note.text() == "Ringte Kari, alt vel"
        late.close()
    finally:
        full.close()
        empty.close()


def test_sign_in_panel_offers_training_users_and_the_address_to_copy(qtbot: QtBot) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.show()
    overlay = LockOverlay(window)
    try:
        users = [
            TrainingChoice("synnelund", "Synne Lund", "nurse (Felles responssenter)"),
            TrainingChoice("egilnorheim", "Egil Norheim", "department lead (Felles)"),
        ]
        overlay.ask_sign_in(training=users)
        assert overlay.is_locked() and overlay.training.isVisible()
        assert overlay.training_table.rowCount() == 2
        assert overlay.training_table.accessibleName() and overlay.training_button.accessibleName()
        overlay.training_table.selectRow(1)
        with qtbot.waitSignal(overlay.training_user_chosen) as chosen:
            qtbot.mouseClick(overlay.training_button, Qt.MouseButton.LeftButton)
        assert chosen.args == ["egilnorheim"]
        overlay.show_address("http://127.0.0.1:8080/oauth2/authorize?x=1", opened=False)
        assert overlay.address_box.isVisible() and overlay.address.isReadOnly()
        qtbot.mouseClick(overlay.copy_button, Qt.MouseButton.LeftButton)
        clipboard = QGuiApplication.clipboard()
        assert clipboard is not None
        assert clipboard.text() == "http://127.0.0.1:8080/oauth2/authorize?x=1"
        assert "browser" in overlay.address_text.text()
    finally:
        overlay.unlock()
        window.close()
