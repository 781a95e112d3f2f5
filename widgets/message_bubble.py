"""Message bubbles in a list view: a delegate that paints one bubble per item from `BubbleData`.

Who wrote a message is told by words (the header line), by side (the service on the right,
others on the left) and by shape (a square corner on the writer's side; relatives' bubbles have
a dashed border, a request for contact a thick border and a badge), never by colour alone.
Knows nothing of FHIR or the console.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

#: Item data role that carries a `BubbleData` (Qt.UserRole + 60).
BUBBLE_ROLE = int(Qt.ItemDataRole.UserRole) + 60


class Side(enum.Enum):
    LEFT = "left"  # from the patient, a relative or another service
    RIGHT = "right"  # from our own service


class BubbleStyle(enum.Enum):
    # background, border colour, dashed border
    PATIENT = ("#ffffff", "#5f6b7a", False)
    RELATIVE = ("#fbf7ee", "#8a6d3b", True)
    STAFF = ("#e4effa", "#2f5f98", False)
    COLLEAGUE = ("#eef3ec", "#4a6b43", False)

    @property
    def background(self) -> str:
        return self.value[0]

    @property
    def border(self) -> str:
        return self.value[1]

    @property
    def dashed(self) -> bool:
        return self.value[2]


@dataclass(frozen=True, slots=True)
class BubbleData:
    header: str
    text: str
    side: Side
    style: BubbleStyle
    #: Below the text: "Read 10:32", "Sending …", "Not sent – try again".
    status: str = ""
    #: A badge before the header, e.g. "Asks to be contacted".
    badge: str = ""
    #: Draw the status as a problem (with a "!" mark, bold).
    failed: bool = False
    #: Still on its way (drawn in italics with a dotted border).
    pending: bool = False
    #: Not read yet by the service (a bold "New" mark in the header).
    unread_mark: str = ""


class MessageBubbleDelegate(QStyledItemDelegate):
    """Paints `BubbleData` bubbles up to `max_fraction` of the view's width, wrapping text."""

    PAD = 10
    MARGIN = 8
    RADIUS = 10.0

    def __init__(self, parent: QWidget | None = None, *, max_fraction: float = 0.72) -> None:
        super().__init__(parent)
        self._max_fraction = max_fraction

    # ----- geometry ---------------------------------------------------------------------------

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        header = QFont(base)
        header.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.9))
        return base, header, small

    def _layout(
        self, option: QStyleOptionViewItem, data: BubbleData
    ) -> tuple[QRect, QRect, QRect, QRect]:
        """(bubble, header, text, status) rectangles for the item at option.rect."""
        base, header_font, small = self._fonts(option)
        avail = max(200, option.rect.width() - 2 * self.MARGIN)
        inner_max = int(avail * self._max_fraction) - 2 * self.PAD
        flags = int(Qt.TextFlag.TextWordWrap)
        header_text = self._header_text(data)
        hm, bm, sm = QFontMetrics(header_font), QFontMetrics(base), QFontMetrics(small)
        header_rect = hm.boundingRect(QRect(0, 0, inner_max, 10_000), flags, header_text)
        text_rect = bm.boundingRect(QRect(0, 0, inner_max, 10_000), flags, data.text or " ")
        status_rect = (
            sm.boundingRect(QRect(0, 0, inner_max, 10_000), flags, self._status_text(data))
            if data.status
            else QRect(0, 0, 0, 0)
        )
        inner_w = max(header_rect.width(), text_rect.width(), status_rect.width(), 120)
        inner_w = min(inner_w, inner_max)
        gap = 4
        inner_h = header_rect.height() + gap + text_rect.height()
        if data.status:
            inner_h += gap + status_rect.height()
        width, height = inner_w + 2 * self.PAD, inner_h + 2 * self.PAD
        top = option.rect.top() + self.MARGIN // 2
        if data.side is Side.RIGHT:
            left = option.rect.right() - self.MARGIN - width
        else:
            left = option.rect.left() + self.MARGIN
        bubble = QRect(left, top, width, height)
        x = left + self.PAD
        y = top + self.PAD
        header = QRect(x, y, inner_w, header_rect.height())
        y += header_rect.height() + gap
        text = QRect(x, y, inner_w, text_rect.height())
        y += text_rect.height() + gap
        status = QRect(x, y, inner_w, status_rect.height())
        return bubble, header, text, status

    @staticmethod
    def _header_text(data: BubbleData) -> str:
        parts = [p for p in (data.badge, data.header, data.unread_mark) if p]
        return " · ".join(parts)

    @staticmethod
    def _status_text(data: BubbleData) -> str:
        return f"! {data.status}" if data.failed else data.status

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        data = index.data(BUBBLE_ROLE)
        if not isinstance(data, BubbleData):
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        parent = self.parent()
        if isinstance(parent, QWidget) and hasattr(parent, "viewport"):
            opt.rect = QRect(0, 0, parent.viewport().width(), 0)
        bubble, *_ = self._layout(opt, data)
        return QSize(opt.rect.width(), bubble.height() + self.MARGIN)

    # ----- painting -----------------------------------------------------------------------------

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        data = index.data(BUBBLE_ROLE)
        if not isinstance(data, BubbleData):
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bubble, header, text, status = self._layout(option, data)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)

        path = self._shape(QRectF(bubble).adjusted(0.5, 0.5, -0.5, -0.5), data.side)
        painter.fillPath(path, QColor(data.style.background))
        pen = QPen(QColor(data.style.border))
        pen.setWidthF(3.0 if data.badge or data.failed else 1.2)
        if data.style.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        if data.pending:
            pen.setStyle(Qt.PenStyle.DotLine)
        painter.setPen(pen)
        painter.drawPath(path)
        if selected or focused:
            ring = QPen(option.palette.color(QPalette.ColorRole.Highlight))
            ring.setWidthF(2.0)
            painter.setPen(ring)
            painter.drawPath(self._shape(QRectF(bubble).adjusted(-3, -3, 3, 3), data.side))

        base, header_font, small = self._fonts(option)
        ink = QColor("#1b1f24")
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.setPen(ink)
        painter.setFont(header_font)
        painter.drawText(header, flags, self._header_text(data))
        painter.setFont(base)
        painter.drawText(text, flags, data.text)
        if data.status:
            status_font = QFont(small)
            status_font.setItalic(data.pending)
            status_font.setBold(data.failed)
            painter.setFont(status_font)
            painter.setPen(QColor("#a11b1b") if data.failed else QColor("#4a5360"))
            painter.drawText(status, flags, self._status_text(data))
        painter.restore()

    def _shape(self, rect: QRectF, side: Side) -> QPainterPath:
        """A rounded rectangle with a square corner at the top on the writer's side."""
        r = self.RADIUS
        path = QPainterPath()
        path.addRoundedRect(rect, r, r)
        corner = QPainterPath()
        if side is Side.LEFT:
            corner.addRect(QRectF(rect.left(), rect.top(), r * 2, r * 2))
        else:
            corner.addRect(QRectF(rect.right() - r * 2, rect.top(), r * 2, r * 2))
        return path.united(corner)
