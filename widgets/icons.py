"""Status icons whose SHAPE differs per level, so state never depends on colour alone."""

from __future__ import annotations

import enum
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF


class Shape(enum.Enum):
    TRIANGLE = "triangle"  # alarm: red / high
    DIAMOND = "diamond"  # warning: yellow / medium
    CIRCLE = "circle"  # ok: green / low
    RING = "ring"  # nothing known
    SQUARE = "square"  # offline / stopped


def _path(shape: Shape, r: QRectF) -> QPainterPath:
    path = QPainterPath()
    if shape is Shape.TRIANGLE:
        path.addPolygon(
            QPolygonF([QPointF(r.center().x(), r.top()), r.bottomRight(), r.bottomLeft()])
        )
        path.closeSubpath()
    elif shape is Shape.DIAMOND:
        c = r.center()
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(c.x(), r.top()),
                    QPointF(r.right(), c.y()),
                    QPointF(c.x(), r.bottom()),
                    QPointF(r.left(), c.y()),
                ]
            )
        )
        path.closeSubpath()
    elif shape is Shape.SQUARE:
        path.addRect(r)
    else:
        path.addEllipse(r)
    return path


@cache
def shape_pixmap(shape: Shape, color: str, size: int = 16, mark: str = "") -> QPixmap:
    """Draw once and cache; `mark` is a one-character glyph drawn inside (e.g. "!")."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    inset = 1.5
    rect = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    outline = QColor(color).darker(160)
    painter.setPen(QPen(outline, 1.0))
    if shape is Shape.RING:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(color), 2.0))
    else:
        painter.setBrush(QBrush(QColor(color)))
    painter.drawPath(_path(shape, rect))
    if mark:
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        painter.setPen(QColor("black") if QColor(color).lightness() > 140 else QColor("white"))
        text_rect = QRectF(rect)
        if shape is Shape.TRIANGLE:
            text_rect.setTop(rect.top() + size * 0.18)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, mark)
    painter.end()
    return pixmap


def shape_icon(shape: Shape, color: str, size: int = 16, mark: str = "") -> QIcon:
    return QIcon(shape_pixmap(shape, color, size, mark))
