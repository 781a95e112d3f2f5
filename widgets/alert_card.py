"""Alert cards in a list view: a delegate that paints one card per item from plain `CardData`.

High, medium and low differ in words, icon shape and colour; a high card that needs someone
flashes gently (border and background pulse between two tones) unless "reduce motion" is on,
in which case it gets a steady, thicker border instead. Knows nothing of FHIR or the console.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap, QStaticText
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.icons import Shape, shape_pixmap
from widgets.shaped_text import ShapedTexts

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
    """Paints `CardData`; the view sets `phase` (0..1) on its animation clock.

    The list repaints its visible cards ten times a second while one flashes, so a card is
    drawn from caches: its frame (an antialiased rounded rectangle with a border up to 4.5 px
    wide, the slowest thing to rasterise) as a pixmap per size, colours and width, and its
    texts as `QStaticText`, elided and shaped once. Drawing each part afresh cost 5-6 ms per
    repaint of 13 cards; the pulse is quantised to eight steps so the frames can be reused.
    """

    PADDING = 8
    ICON = 20
    #: Bounds for the caches (entries; the oldest goes first). A frame is a card-sized pixmap
    #: (~180 KB at 500 x 90): 64 of them are ~12 MB, enough for the sizes, levels and pulse
    #: steps on screen; a shaped text is small.
    FRAME_LIMIT = 64
    TEXT_LIMIT = 2000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phase = 0.0
        self.reduce_motion = False
        self._sizes: dict[tuple[str, int], QSize] = {}
        self._frames: dict[tuple[int, int, float, int, int, float, bool], QPixmap] = {}
        self._texts = ShapedTexts(self.TEXT_LIMIT)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Called for every card whenever the list lays itself out: keep it to a lookup.
        card = index.data(CARD_ROLE)
        lines = 2 + (len(card.lines) if isinstance(card, CardData) else 0)
        font = option.font  # type: ignore[attr-defined]
        key = (self._texts.font_key(font), lines)
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
        cell: QRect = option.rect  # type: ignore[attr-defined]
        state = option.state.value  # type: ignore[attr-defined]
        selected = bool(state & _SELECTED)
        focused = bool(state & _HAS_FOCUS)
        background = QColor(card.level.background if not card.muted else "#f0f0f0")
        border = QColor(card.level.color)
        width = 1.5
        if card.alarming:
            if self.reduce_motion:
                width = 4.0
            else:
                pulse = round(abs(1.0 - 2.0 * self.phase) * 8) / 8  # 1 → 0 → 1
                background = _mix(background, QColor(card.level.color), 0.25 * (1.0 - pulse))
                width = 2.0 + 2.5 * (1.0 - pulse)
        if selected:
            background = background.darker(112)
        painter.drawPixmap(
            cell.topLeft(),
            self._frame(cell, painter, background, border, width, focused or selected),
        )

        rect = cell.adjusted(3, 3, -3, -3)
        pad = self.PADDING
        icon = shape_pixmap(card.level.shape, card.level.color, self.ICON, card.level.glyph)
        painter.drawPixmap(rect.left() + pad, rect.top() + pad, icon)
        x = rect.left() + pad + self.ICON + pad
        width_left = rect.right() - pad - x
        font: QFont = option.font  # type: ignore[attr-defined]
        metrics: QFontMetrics = option.fontMetrics  # type: ignore[attr-defined]
        font_key = self._texts.font_key(font)
        line_h = metrics.height() + 2
        y = rect.top() + pad
        dy = (line_h - metrics.height()) // 2  # as AlignVCenter in a line's rectangle
        text_colour = QColor("#101010") if not card.muted else QColor("#505050")

        bold = QFont(font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        painter.save()
        # A static text is drawn in the painter's font (it was shaped for the same one).
        painter.setFont(bold)
        painter.setPen(text_colour)
        age, age_width = self._text(card.age_text, 1 << 20, bold, bold_metrics, font_key, True)
        right_w = age_width + 4
        title = f"{card.level_text} · {card.title}"
        if card.badge:
            title += f"  [{card.badge}]"
        shown, _w = self._text(title, width_left - right_w, bold, bold_metrics, font_key, True)
        painter.drawStaticText(x, y + dy, shown)
        painter.drawStaticText(x + width_left - age_width, y + dy, age)
        y += line_h
        painter.setFont(font)
        for line in card.lines:
            shown, _w = self._text(line, width_left, font, metrics, font_key, False)
            painter.drawStaticText(x, y + dy, shown)
            y += line_h
        painter.setPen(QColor("#303030") if not card.muted else QColor("#606060"))
        footer = f"{card.state_text}  ·  {card.department}" if card.department else card.state_text
        shown, _w = self._text(footer, width_left, font, metrics, font_key, False)
        painter.drawStaticText(x, y + dy, shown)
        painter.restore()

    def _text(
        self,
        text: str,
        available: int,
        font: QFont,
        metrics: QFontMetrics,
        font_key: str,
        bold: bool,
    ) -> tuple[QStaticText, int]:
        key = font_key + " bold" if bold else font_key  # the bold font is derived per paint
        static, width, _height = self._texts.get(text, available, font, metrics, key)
        return static, width

    def _frame(
        self,
        cell: QRect,
        painter: QPainter,
        background: QColor,
        border: QColor,
        width: float,
        outline: bool,
    ) -> QPixmap:
        """The card's rounded rectangle (and focus outline) for a cell of this size."""
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        key = (cell.width(), cell.height(), ratio, background.rgba(), border.rgba(), width, outline)
        frame = self._frames.get(key)
        if frame is None:
            if len(self._frames) >= self.FRAME_LIMIT:
                del self._frames[next(iter(self._frames))]
            frame = QPixmap(
                max(1, round(cell.width() * ratio)), max(1, round(cell.height() * ratio))
            )
            frame.setDevicePixelRatio(ratio)
            frame.fill(Qt.GlobalColor.transparent)
            p = QPainter(frame)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRect(0, 0, cell.width(), cell.height()).adjusted(3, 3, -3, -3)
            p.setPen(QPen(border, width))
            p.setBrush(background)
            p.drawRoundedRect(rect, 6, 6)
            if outline:
                # Focus is visible without colour: a dashed outline inside the card.
                p.setPen(QPen(QColor("#202020"), 2.0, Qt.PenStyle.DashLine))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(rect.adjusted(4, 4, -4, -4), 4, 4)
            p.end()
            self._frames[key] = frame
        return frame


_SELECTED = QStyle.StateFlag.State_Selected.value
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus.value


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )
