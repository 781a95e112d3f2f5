"""Features put their actions into the main window's menus, which keep one fixed order."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.state.patient_list import PatientListModel
from console.ui.main_window import MainWindow


def test_menus_appear_in_their_fixed_order_whatever_order_they_are_asked_for(
    qtbot: QtBot,
) -> None:
    window = MainWindow(PatientListModel())
    qtbot.addWidget(window)
    window.menu("help")
    window.menu("file")
    window.menu("training")
    assert window.menu("file") is window.menu("file")
    window.menu("view")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&View", "&Training", "&Help"]
    assert all(window.menu(k).accessibleName() for k in MainWindow.MENU_ORDER)
