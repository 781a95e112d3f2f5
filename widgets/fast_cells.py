"""A table delegate that paints prepared cells: one Python call per cell, shaped text cached.

`QStyledItemDelegate` asks the model for seven roles per cell (seven calls into Python for a
Python model) and lays the text out again on every paint; a 37 x 13 patient list took 20-30 ms
per repaint that way, and a live list repaints several times a second. Here the model hands a
ready `Cell` (its own cache) and the text is drawn from `QStaticText`, shaped once per text and
width. What the user sees is the same: background by level, a shape icon, right-aligned
numbers, elided text, alternating rows, selection, and a dashed focus outline for keyboard use.
Accessibility and tooltips still come from the model's roles, which this does not touch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

ICON_SIZE = 16
_PAD = 4
_CACHE_LIMIT = 20_000


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
        #: (text, width, font key) -> (static text, text width, text height)
        self._texts: dict[tuple[str, int, str], tuple[QStaticText, int, int]] = {}

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
        state = option.state  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        group = (
            QPalette.ColorGroup.Active
            if state & QStyle.StateFlag.State_Active
            else QPalette.ColorGroup.Inactive
        )
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(group, QPalette.ColorRole.Highlight))
        elif cell.background is not None:
            painter.fillRect(rect, cell.background)
        elif option.features & QStyleOptionViewItem.ViewItemFeature.Alternate:  # type: ignore[attr-defined]
            painter.fillRect(rect, palette.color(group, QPalette.ColorRole.AlternateBase))
        x = rect.x() + _PAD
        if cell.icon is not None:
            painter.drawPixmap(x, rect.y() + (rect.height() - ICON_SIZE) // 2, cell.icon)
            x += ICON_SIZE + _PAD
        if cell.text:
            available = rect.right() - _PAD - x
            static, width, height = self._prepared(cell.text, available, option)
            painter.setPen(
                palette.color(
                    group,
                    QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
                )
            )
            left = rect.right() - _PAD - width if cell.align_right else x
            painter.drawStaticText(max(x, left), rect.y() + (rect.height() - height) // 2, static)
        if state & QStyle.StateFlag.State_HasFocus:
            # Keyboard focus without colour: a dashed outline.
            painter.save()
            text_colour = palette.color(group, QPalette.ColorRole.Text)
            painter.setPen(QPen(text_colour, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
            painter.restore()

    def _prepared(
        self, text: str, available: int, option: QStyleOptionViewItem
    ) -> tuple[QStaticText, int, int]:
        font = option.font  # type: ignore[attr-defined]
        key = (text, available, font.key())
        found = self._texts.get(key)
        if found is not None:
            return found
        metrics = option.fontMetrics  # type: ignore[attr-defined]
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(0, available))
        static = QStaticText(shown)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(font=font)
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        found = self._texts[key] = (static, metrics.horizontalAdvance(shown), metrics.height())
        return found
