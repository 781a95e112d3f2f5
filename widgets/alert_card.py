"""Alert cards in a list view: a delegate that paints one card per item from plain `CardData`.

High, medium and low differ in words, icon shape and colour; a high card that needs someone
flashes gently (border and background pulse between two tones) unless "reduce motion" is on,
in which case it gets a steady, thicker border instead. Knows nothing of FHIR or the console.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.icons import Shape, shape_pixmap

#: Item data role that carries a `CardData` (Qt.UserRole + 40).
CARD_ROLE = int(Qt.ItemDataRole.UserRole) + 40


class CardLevel(enum.Enum):
    # shape, icon colour, background, glyph
    HIGH = (Shape.TRIANGLE, "#c62828", "#ffe3e3", "!")
    MEDIUM = (Shape.DIAMOND, "#f9a825", "#fff4d1", "!")
    LOW = (Shape.CIRCLE, "#1565c0", "#e6f0fb", "")

    @property
    def shape(self) -> Shape:
        return self.value[0]

    @property
    def color(self) -> str:
        return self.value[1]

    @property
    def background(self) -> str:
        return self.value[2]

    @property
    def glyph(self) -> str:
        return self.value[3]


@dataclass(frozen=True, slots=True)
class CardData:
    title: str
    level: CardLevel
    level_text: str
    lines: tuple[str, ...]
    department: str
    age_text: str
    state_text: str
    badge: str = ""
    #: Flash this card (a high alert nobody has claimed).
    alarming: bool = False
    #: Flash faster (escalated).
    urgent: bool = False
    #: Snoozed: drawn muted.
    muted: bool = False


class AlertCardDelegate(QStyledItemDelegate):
    """Paints `CardData`; the view sets `phase` (0..1) on its animation clock."""

    PADDING = 8
    ICON = 20

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self.reduce_motion = False
        self._sizes: dict[tuple[str, int], QSize] = {}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Called for every card whenever the list lays itself out: keep it to a lookup.
        card = index.data(CARD_ROLE)
        lines = 2 + (len(card.lines) if isinstance(card, CardData) else 0)
        font = option.font  # type: ignore[attr-defined]
        key = (font.key(), lines)
        size = self._sizes.get(key)
        if size is None:
            metrics = QFontMetrics(font)
            height = 2 * self.PADDING + lines * (metrics.height() + 2) + 4
            size = self._sizes[key] = QSize(320, max(height, self.ICON + 2 * self.PADDING))
        return size

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, CardData):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect.adjusted(3, 3, -3, -3)  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(card.level.background if not card.muted else "#f0f0f0")
        border = QColor(card.level.color)
        width = 1.5
        if card.alarming:
            if self.reduce_motion:
                width = 4.0
            else:
                pulse = abs(1.0 - 2.0 * self.phase)  # 1 → 0 → 1
                background = _mix(background, QColor(card.level.color), 0.25 * (1.0 - pulse))
                width = 2.0 + 2.5 * (1.0 - pulse)
        if selected:
            background = background.darker(112)
        painter.setPen(QPen(border, width))
        painter.setBrush(background)
        painter.drawRoundedRect(rect, 6, 6)
        if focused or selected:
            # Focus is visible without colour: a dashed outline inside the card.
            pen = QPen(QColor("#202020"), 2.0, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(4, 4, -4, -4), 4, 4)

        pad = self.PADDING
        icon = shape_pixmap(card.level.shape, card.level.color, self.ICON, card.level.glyph)
        painter.drawPixmap(rect.left() + pad, rect.top() + pad, icon)
        x = rect.left() + pad + self.ICON + pad
        width_left = rect.right() - pad - x
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        line_h = metrics.height() + 2
        y = rect.top() + pad
        text_colour = QColor("#101010") if not card.muted else QColor("#505050")

        bold = QFont(option.font)  # type: ignore[attr-defined]
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        right = f"{card.age_text}"
        right_w = QFontMetrics(bold).horizontalAdvance(right) + 4
        title = f"{card.level_text} · {card.title}"
        if card.badge:
            title += f"  [{card.badge}]"
        painter.drawText(
            QRect(x, y, width_left - right_w, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(title, Qt.TextElideMode.ElideRight, width_left - right_w),
        )
        painter.drawText(
            QRect(x, y, width_left, line_h),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            right,
        )
        y += line_h
        painter.setFont(option.font)  # type: ignore[attr-defined]
        for line in card.lines:
            painter.drawText(
                QRect(x, y, width_left, line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, width_left),
            )
            y += line_h
        painter.setPen(QColor("#303030") if not card.muted else QColor("#606060"))
        footer = f"{card.state_text}  ·  {card.department}" if card.department else card.state_text
        painter.drawText(
            QRect(x, y, width_left, line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(footer, Qt.TextElideMode.ElideRight, width_left),
        )
        painter.restore()


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )
