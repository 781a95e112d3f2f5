"""Inactivity lock: input keeps it away, idleness hides patient data, unlocking asks to sign in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from console.ui.lock import LockOverlay
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


def test_overlay_hides_data_and_offers_unlock(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    QVBoxLayout(page).addWidget(QLabel("Nordmann, Kari  SpO2 84"))
    page.resize(800, 600)
    page.show()
    overlay = LockOverlay(page)
    overlay.lock()
    page.resize(900, 700)  # follows its parent's size
    assert overlay.is_locked()
    assert overlay.geometry() == page.rect()  # covers everything below it
    assert overlay.button.accessibleName()
    with qtbot.waitSignal(overlay.unlock_requested):
        qtbot.keyClick(overlay.button, Qt.Key.Key_Space)
    overlay.unlock()
    assert not overlay.is_locked()
    page.close()
