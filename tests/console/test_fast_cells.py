"""The patient table's cell delegate paints what the model says: level colours, shape icons,
right-aligned numbers, elided text, selection and a keyboard focus outline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage, QPainter, QRegion, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from widgets.fast_cells import Cell, CellDelegate, CellTable
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
    option = _option(view)
    static, width, _height = delegate._prepared(long, 80, option.font, option.fontMetrics)
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


def _patient_table(qtbot: QtBot) -> tuple[CellTable, Any]:
    from console.domain.model import MeasurementKind
    from console.state.patient_list import PatientListModel
    from tests.console.factories import NOW, ORGS, measurement, summary

    model = PatientListModel(now=lambda: NOW)
    model.reset(
        ORGS,
        [
            summary(
                f"p{i}",
                f"Kari{i}",
                "Nordmann med et ganske langt etternavn" if i % 5 == 0 else f"Nordmann{i}",
                spo2=(86, 91, 95, 97)[i % 4],
                pulse=60 + i,
                minutes_ago=i * 37,
            )
            for i in range(40)
        ],
    )
    model.update_measurements([measurement("p3", MeasurementKind.PULSE, 131)])
    table = CellTable(model.cell)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().resizeSection(1, 70)  # narrow: names elide
    qtbot.addWidget(table)
    table.resize(900, 420)
    table.show()
    qtbot.waitExposed(table)
    return table, model


def _render(table: CellTable, fast: bool, region: QRegion | None = None) -> QImage:
    table.fast_paint = fast
    viewport = table.viewport()
    image = QImage(viewport.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("magenta"))
    viewport.render(image, QPoint(), region if region is not None else QRegion(viewport.rect()))
    return image


def _differences(a: QImage, b: QImage) -> int:
    return sum(a.pixel(x, y) != b.pixel(x, y) for x in range(a.width()) for y in range(a.height()))


def test_cell_table_paints_what_qtableview_and_the_delegate_paint(qtbot: QtBot) -> None:
    """The one-call paint must give the pixels the stock path gives: backgrounds, icons,
    elided and aligned texts, alternating rows, grid, selection and the focus outline."""
    table, model = _patient_table(qtbot)
    calls: list[int] = []
    source = table._source

    def counted(row: int, column: int) -> Cell | None:
        calls.append(row)
        return source(row, column)

    table._source = counted
    fast = _render(table, True)
    assert calls, "the table's own paint ran"
    stock = _render(table, False)
    assert _differences(fast, stock) == 0
    assert len({fast.pixel(x, 200) for x in range(fast.width())}) > 5  # not a blank picture

    table.selectRow(4)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentIndex(model.index(4, 2))
    fast, stock = _render(table, True), _render(table, False)
    assert _differences(fast, stock) == 0
    # Scrolled sideways and down, with a hidden column.
    table.setColumnHidden(3, True)
    table.verticalScrollBar().setValue(7)
    table.horizontalScrollBar().setValue(40)
    fast, stock = _render(table, True), _render(table, False)
    assert _differences(fast, stock) == 0
    # A part of the viewport, as a changed row repaints: only that part is painted.
    part = QRegion(QRect(0, 52, table.viewport().width(), 26)) + QRegion(QRect(300, 130, 90, 60))
    fast, stock = _render(table, True, part), _render(table, False, part)
    assert _differences(fast, stock) == 0
    # render() puts the region's top left (0, 52) at the image's (0, 0).
    assert fast.pixelColor(5, 10) != QColor("magenta")  # in the row
    assert fast.pixelColor(5, 88) == QColor("magenta")  # outside the region: untouched


def test_cell_table_leaves_what_it_does_not_cover_to_qtableview(qtbot: QtBot) -> None:
    table, _model = _patient_table(qtbot)
    painted: list[bool] = []
    original = table._paint_cells

    def recorded(region: QRegion) -> bool:
        result = original(region)
        painted.append(result)
        return result

    table._paint_cells = recorded  # type: ignore[method-assign]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.viewport().grab()
    assert painted[-1] is False
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.viewport().grab()
    assert painted[-1] is True
    table._source = lambda r, c: None  # type: ignore[assignment]
    image = _render(table, True)
    assert painted[-1] is False
    assert len({image.pixel(x, 40) for x in range(image.width())}) > 2  # the stock path painted


def test_cell_table_short_wide_and_empty_lists_match_too(qtbot: QtBot) -> None:
    """Fewer rows than the viewport, columns narrower than it, and a filter that hides all."""
    from console.state.patient_list import PatientListModel
    from tests.console.factories import NOW, ORGS, summary

    model = PatientListModel(now=lambda: NOW)
    model.reset(ORGS, [summary(f"p{i}", f"Kari{i}", f"N{i}", spo2=90 + i) for i in range(3)])
    table = CellTable(model.cell)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    qtbot.addWidget(table)
    table.resize(2200, 300)
    table.show()
    qtbot.waitExposed(table)
    assert _differences(_render(table, True), _render(table, False)) == 0
    model.set_filter_text("zzz")
    assert model.rowCount() == 0
    assert _differences(_render(table, True), _render(table, False)) == 0
