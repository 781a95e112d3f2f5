"""A table delegate that paints prepared cells, and a table view that paints them all at once.

`QStyledItemDelegate` asks the model for seven roles per cell (seven calls into Python for a
Python model) and lays the text out again on every paint; a 37 x 13 patient list took 20-30 ms
per repaint that way, and a live list repaints several times a second. Here the model hands a
ready `Cell` (its own cache) and the text is drawn from `QStaticText`, shaped once per text and
width. What the user sees is the same: background by level, a shape icon, right-aligned
numbers, elided text, alternating rows, selection, and a dashed focus outline for keyboard use.
Accessibility and tooltips still come from the model's roles, which this does not touch.
`CellTable` goes one step further and paints every cell of a repaint in one Python call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QStaticText,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from widgets.shaped_text import ShapedTexts

ICON_SIZE = 16
_PAD = 4
_CACHE_LIMIT = 20_000
# Flags as plain ints: `&` on PySide's Python enums builds new enum objects, which was a fifth
# of a repaint's time at ~500 cells.
_ACTIVE = QStyle.StateFlag.State_Active.value
_SELECTED = QStyle.StateFlag.State_Selected.value
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value
_ROLES = (
    QPalette.ColorRole.Highlight,
    QPalette.ColorRole.AlternateBase,
    QPalette.ColorRole.Text,
    QPalette.ColorRole.HighlightedText,
)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    icon: QPixmap | None = None
    background: QColor | None = None
    align_right: bool = False


CellSource = Callable[[int, int], "Cell | None"]


class CellDelegate(QStyledItemDelegate):
    """Paints `Cell`s from `source(row, column)`; None falls back to the styled delegate."""

    def __init__(self, source: CellSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._texts = ShapedTexts(_CACHE_LIMIT)
        #: (palette cache key, active) -> (highlight, alternate base, text, highlighted text)
        self._colours: dict[tuple[int, bool], tuple[QColor, ...]] = {}

    def clear_cache(self) -> None:
        """Forget shaped texts (call after the view's font changed)."""
        self._texts.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        cell = self._source(index.row(), index.column())
        if cell is None:
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect  # type: ignore[attr-defined]
        state: int = option.state.value  # type: ignore[attr-defined]
        colours = self.palette_colours(
            option.palette,  # type: ignore[attr-defined]
            bool(state & _ACTIVE),
        )
        self.draw(
            painter,
            rect,
            cell,
            colours,
            selected=bool(state & _SELECTED),
            alternate=bool(option.features.value & _ALTERNATE),  # type: ignore[attr-defined]
            focus=bool(state & _HAS_FOCUS),
            font=option.font,  # type: ignore[attr-defined]
            metrics=option.fontMetrics,  # type: ignore[attr-defined]
        )

    def draw(
        self,
        painter: QPainter,
        rect: QRect,
        cell: Cell,
        colours: tuple[QColor, ...],
        *,
        selected: bool,
        alternate: bool,
        focus: bool,
        font: QFont,
        metrics: QFontMetrics,
    ) -> None:
        """One cell; shared by `paint` and `CellTable`'s own paint so both look the same."""
        highlight, alternate_base, text_colour, highlighted_text = colours
        if selected:
            painter.fillRect(rect, highlight)
        elif cell.background is not None:
            painter.fillRect(rect, cell.background)
        elif alternate:
            painter.fillRect(rect, alternate_base)
        x = rect.x() + _PAD
        if cell.icon is not None:
            painter.drawPixmap(x, rect.y() + (rect.height() - ICON_SIZE) // 2, cell.icon)
            x += ICON_SIZE + _PAD
        if cell.text:
            available = rect.right() - _PAD - x
            static, width, height = self._prepared(cell.text, available, font, metrics)
            painter.setPen(highlighted_text if selected else text_colour)
            left = rect.right() - _PAD - width if cell.align_right else x
            painter.drawStaticText(max(x, left), rect.y() + (rect.height() - height) // 2, static)
        if focus:
            # Keyboard focus without colour: a dashed outline.
            painter.save()
            painter.setPen(QPen(text_colour, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
            painter.restore()

    def palette_colours(self, palette: QPalette, active: bool) -> tuple[QColor, ...]:
        """(highlight, alternate base, text, highlighted text) of the active or inactive group."""
        key = (palette.cacheKey(), active)
        found = self._colours.get(key)
        if found is None:
            if len(self._colours) > 16:
                self._colours.clear()
            group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
            found = self._colours[key] = tuple(palette.color(group, role) for role in _ROLES)
        return found

    def _prepared(
        self, text: str, available: int, font: QFont, metrics: QFontMetrics
    ) -> tuple[QStaticText, int, int]:
        return self._texts.get(text, available, font, metrics, self._texts.font_key(font))


class CellTable(QTableView):
    """A table view that paints all the cells of a repaint in one Python call.

    Even with prepared cells, QTableView calls a Python delegate once per cell and builds a
    style option and a model index for each (~25 µs a cell: 12-20 ms to repaint a full-screen
    patient list, which a live list does several times a second). This paints the same cells
    with the same `CellDelegate.draw`, in QTableView's order: cells row by row, then the grid.
    Anything it does not cover (a cell without a prepared `Cell`, per-cell selection, hidden
    or moved rows, editing, right-to-left) is left to QTableView and the delegate.
    """

    def __init__(self, source: CellSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.cell_delegate = CellDelegate(source, self)
        self.setItemDelegate(self.cell_delegate)
        #: False paints through QTableView and the delegate (the tests compare the two).
        self.fast_paint = True

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.fast_paint or not self._paint_cells(event.region()):
            super().paintEvent(event)

    def _paint_cells(self, region: QRegion) -> bool:
        model = self.model()
        vertical, horizontal = self.verticalHeader(), self.horizontalHeader()
        if (
            model is None
            or self.state() is not QAbstractItemView.State.NoState
            or self.selectionBehavior() is not QAbstractItemView.SelectionBehavior.SelectRows
            or vertical.sectionsHidden()
            or vertical.sectionsMoved()
            or self.isRightToLeft()
            or not self.isEnabled()
            or self.gridStyle() is not Qt.PenStyle.SolidLine
        ):
            return False
        if not model.rowCount() or not model.columnCount():
            return False
        columns: list[tuple[int, int, int]] = []  # (logical, x, width), left to right
        for visual in range(horizontal.count()):
            logical = horizontal.logicalIndex(visual)
            if not horizontal.isSectionHidden(logical):
                x = self.columnViewportPosition(logical)
                columns.append((logical, x, self.columnWidth(logical)))
        right_edge = horizontal.length() - horizontal.offset() - 1
        bottom_edge = vertical.length() - vertical.offset() - 1
        # Every cell is fetched before anything is painted: one without a prepared `Cell`
        # hands the whole repaint to QTableView.
        areas: list[_Area] = []
        for dirty in region:  # type: ignore[attr-defined]
            dirty.setBottom(min(dirty.bottom(), bottom_edge))
            dirty.setRight(min(dirty.right(), right_edge))
            if not dirty.isValid():
                continue
            top = vertical.visualIndexAt(dirty.top())
            bottom = vertical.visualIndexAt(dirty.bottom())
            if bottom == -1:
                bottom = vertical.count() - 1
            if top == -1 or top > bottom:
                continue
            shown = [c for c in columns if c[1] <= dirty.right() and c[1] + c[2] > dirty.left()]
            rows: list[tuple[int, list[Cell]]] = []
            for row in range(top, bottom + 1):
                cells = [self._source(row, logical) for logical, _x, _w in shown]
                if None in cells:
                    return False
                rows.append((row, cells))  # type: ignore[arg-type]
            areas.append(_Area(dirty, shown, rows))
        painter = QPainter(self.viewport())
        try:
            self._draw(painter, areas)
        finally:
            painter.end()
        return True

    def _draw(self, painter: QPainter, areas: list[_Area]) -> None:
        grid = 1 if self.showGrid() else 0
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        delegate = self.cell_delegate
        colours = delegate.palette_colours(self.palette(), self.isActiveWindow())
        font, metrics = option.font, option.fontMetrics  # type: ignore[attr-defined]
        alternate = self.alternatingRowColors()
        selection = self.selectionModel()
        current = self.currentIndex()
        focus_cell = (-1, -1)
        if current.isValid() and (self.hasFocus() or self.viewport().hasFocus()):
            focus_cell = (current.row(), current.column())
        grid_colour = QColor.fromRgba(
            self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
            & 0xFFFFFFFF
        )
        for area in areas:
            for row, cells in area.rows:
                y = self.rowViewportPosition(row)
                height = self.rowHeight(row) - grid
                selected = selection is not None and selection.isRowSelected(row)
                odd = alternate and bool(row & 1)
                for (logical, x, width), cell in zip(area.columns, cells, strict=True):
                    delegate.draw(
                        painter,
                        QRect(x, y, width - grid, height),
                        cell,
                        colours,
                        selected=selected,
                        alternate=odd,
                        focus=(row, logical) == focus_cell,
                        font=font,
                        metrics=metrics,
                    )
            if grid:
                # As QTableView: a line under each row and right of each column, within the
                # dirty area (opaque 1 px lines: a fill covers the same pixels).
                dirty = area.dirty
                for row, _cells in area.rows:
                    y = self.rowViewportPosition(row) + self.rowHeight(row) - 1
                    painter.fillRect(QRect(dirty.left(), y, dirty.width(), 1), grid_colour)
                for _logical, x, width in area.columns:
                    painter.fillRect(
                        QRect(x + width - 1, dirty.top(), 1, dirty.height()), grid_colour
                    )


@dataclass(slots=True)
class _Area:
    """A rectangle of a repaint, its columns and its rows' cells."""

    dirty: QRect
    columns: list[tuple[int, int, int]]
    rows: list[tuple[int, list[Cell]]]
