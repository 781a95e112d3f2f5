"""The patient table's cell delegate paints what the model says: level colours, shape icons,
right-aligned numbers, elided text, selection and a keyboard focus outline."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter, QStandardItemModel
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from widgets.fast_cells import Cell, CellDelegate
from widgets.icons import Shape, shape_pixmap

RED_BG = QColor("#ffd7d7")


def render(delegate: CellDelegate, view: QTableView, *, state: QStyle.StateFlag) -> QImage:
    image = QImage(200, 26, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 200, 26)
    option.state = state | QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Active
    model = view.model()
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return image


def colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }


def test_cell_delegate_paints_background_icon_text_and_focus(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = QStandardItemModel(1, 1)
    view.setModel(model)
    icon = shape_pixmap(Shape.TRIANGLE, "#c62828", 16, "!")
    cells = {(0, 0): Cell("86 · 4 min", icon, RED_BG, align_right=True)}
    delegate = CellDelegate(lambda r, c: cells.get((r, c)), view)

    plain = render(delegate, view, state=QStyle.StateFlag.State_None)
    seen = colours(plain)
    assert RED_BG.name() in seen  # the level's background
    assert "#c62828" in seen  # the icon's shape
    dark = [c for c in seen if QColor(c).lightness() < 90]
    assert dark, "text is drawn"
    # Right-aligned: the text ends near the right edge, not after the icon.
    columns_with_text = [
        x
        for x in range(plain.width())
        if any(plain.pixelColor(x, y).lightness() < 90 for y in range(plain.height()))
    ]
    assert max(columns_with_text) > 170

    selected = colours(render(delegate, view, state=QStyle.StateFlag.State_Selected))
    assert RED_BG.name() not in selected  # selection replaces the level colour
    highlight = view.palette().color(view.palette().ColorRole.Highlight).name()
    assert highlight in selected

    focused = render(delegate, view, state=QStyle.StateFlag.State_HasFocus)
    # A dotted outline one pixel inside the cell, visible without colour.
    assert any(focused.pixelColor(x, 1).lightness() < 90 for x in range(30, 60))
    assert not any(plain.pixelColor(x, 1).lightness() < 90 for x in range(30, 60))


def test_long_text_is_elided_and_missing_cells_fall_back(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = QStandardItemModel(1, 1)
    model.setData(model.index(0, 0), "fallback")
    view.setModel(model)
    long = "Hjemmesykepleien Stavanger sentrum, avdeling for lungesyke"
    delegate = CellDelegate(lambda r, c: Cell(long), view)
    static, width, _height = delegate._prepared(long, 80, _option(view))
    assert static.text().endswith("…") and width <= 80
    # No prepared cell: the styled delegate paints the model's own data.
    fallback = CellDelegate(lambda r, c: None, view)
    image = render(fallback, view, state=QStyle.StateFlag.State_None)
    assert any(QColor(c).lightness() < 90 for c in colours(image))


def _option(view: QTableView) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    return option


def test_table_uses_the_models_cells(qtbot: QtBot) -> None:
    from console.domain.model import MeasurementKind
    from console.state.patient_list import Column, PatientListModel
    from tests.console.factories import ORGS, measurement, summary

    model = PatientListModel()
    model.reset(ORGS, [summary("p1", "Kari", "Nordmann")])
    cell = model.cell(0, Column.NAME)
    assert cell is not None and cell.text == model.index(0, Column.NAME).data()
    triage = model.cell(0, Column.TRIAGE)
    assert triage is not None and triage.icon is not None
    assert triage.text == model.index(0, Column.TRIAGE).data()
    assert model.cell(5, 0) is None
    # Numbers right-aligned, names not, as the model's alignment role says.
    model.update_measurements([measurement("p1", MeasurementKind.PULSE, 131)])
    pulse = model.cell(0, Column.PULSE)
    assert pulse is not None and pulse.align_right and pulse.text.startswith("131")
    assert pulse.icon is not None and pulse.background is not None  # a red pulse
    assert cell.align_right is False
