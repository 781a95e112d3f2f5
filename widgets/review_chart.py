"""A titled chart (bars or lines, pyqtgraph) with a table alternative behind one button.

Readable in greyscale and without colour: each bar series has its own fill pattern and each
line its own dash and point symbol, the legend shows them, and the same numbers are one
click (or Alt+key) away as a table. The caller gives translated texts and plain numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QAbstractItemModel, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

#: Series colours, darkest first, so their greys stay apart too.
COLOURS = (
    QColor(25, 55, 110),
    QColor(200, 110, 0),
    QColor(120, 120, 120),
    QColor(60, 140, 80),
    QColor(150, 50, 120),
    QColor(20, 20, 20),
)
PATTERNS = (
    Qt.BrushStyle.SolidPattern,
    Qt.BrushStyle.BDiagPattern,
    Qt.BrushStyle.Dense5Pattern,
    Qt.BrushStyle.CrossPattern,
    Qt.BrushStyle.FDiagPattern,
    Qt.BrushStyle.Dense3Pattern,
)
DASHES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
    Qt.PenStyle.DashDotDotLine,
    Qt.PenStyle.SolidLine,
)
SYMBOLS = ("o", "s", "t", "d", "+", "x")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]


class _CategoryAxis(pg.AxisItem):
    """Bottom axis naming each category, thinned out so labels do not overlap."""

    def __init__(self) -> None:
        super().__init__("bottom")
        self._labels: list[str] = []

    def set_labels(self, labels: Sequence[str]) -> None:
        self._labels = list(labels)
        self.picture = None
        self.update()

    def tickValues(
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, list[float]]]:
        if not self._labels:
            return []
        widest = max(len(text) for text in self._labels) * 8 + 16
        every = max(1, math.ceil(len(self._labels) * widest / max(size, 1.0)))
        return [(1.0, [float(i) for i in range(0, len(self._labels), every)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            i = round(v)
            out.append(self._labels[i] if 0 <= i < len(self._labels) else "")
        return out


class ChartPanel(QFrame):
    """Title, chart and its table alternative; `Alt+` the button's mnemonic switches."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        top = QHBoxLayout()
        self.title = QLabel(title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.toggle = QPushButton(self.tr("Show as table"), self)
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(self.tr("Show %1 as a table").replace("%1", title))
        self.toggle.toggled.connect(self.show_table)
        top.addWidget(self.title, 1)
        top.addWidget(self.toggle)
        layout.addLayout(top)
        self.stack = QStackedWidget(self)
        self.axis = _CategoryAxis()
        self.plot = pg.PlotWidget(
            self, axisItems={"bottom": self.axis}, background="w", enableMenu=False
        )
        self.plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot.setAccessibleName(self.tr("Chart: %1").replace("%1", title))
        self.item: pg.PlotItem = self.plot.getPlotItem()
        self.item.hideButtons()
        self.item.setMenuEnabled(False)
        self.item.setMouseEnabled(x=False, y=False)
        self.item.showGrid(x=False, y=True, alpha=0.2)
        for name in ("left", "bottom"):
            axis = self.item.getAxis(name)
            axis.setPen(pg.mkPen(QColor(60, 60, 60), width=1))
            axis.setTextPen(pg.mkPen(QColor(20, 20, 20), width=1))
        self.legend = self.item.addLegend(offset=(8, 4), labelTextColor=QColor(20, 20, 20))
        self.legend.setBrush(QBrush(QColor(255, 255, 255, 220)))
        self.table = QTableView(self)
        self.table.setAccessibleName(self.tr("Table: %1").replace("%1", title))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setResizeContentsPrecision(60)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.table)
        layout.addWidget(self.stack, 1)
        self.setMinimumHeight(220)

    def sizeHint(self) -> QSize:
        return QSize(520, 280)

    # ----- data -----------------------------------------------------------------------------

    def set_table_model(self, model: QAbstractItemModel) -> None:
        self.table.setModel(model)

    def show_table(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        self.toggle.setText(self.tr("Show as chart") if on else self.tr("Show as table"))
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)

    def _clear(self, categories: Sequence[str], y_label: str) -> None:
        self.item.clear()
        self.legend.clear()
        self.axis.set_labels(categories)
        self.item.setLabel("left", y_label)

    def set_bars(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        y_label: str = "",
        stacked: bool = True,
    ) -> None:
        """Bars per category, one pattern per series (stacked, or side by side)."""
        self._clear(categories, y_label)
        n = len(categories)
        bottoms = [0.0] * n
        width = 0.8 if stacked else 0.8 / max(1, len(series))
        top = 0.0
        for i, s in enumerate(series):
            values = [float(v or 0.0) for v in s.values]
            colour = COLOURS[i % len(COLOURS)]
            brush = QBrush(colour, PATTERNS[i % len(PATTERNS)])
            pen = pg.mkPen(QColor(20, 20, 20), width=1)
            if stacked:
                xs = [float(x) for x in range(n)]
                bars = pg.BarGraphItem(
                    x=xs, y0=bottoms, height=values, width=width, brush=brush, pen=pen
                )
                bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
                top = max([top, *bottoms])
            else:
                xs = [x - 0.4 + width * (i + 0.5) for x in range(n)]
                bars = pg.BarGraphItem(x=xs, height=values, width=width, brush=brush, pen=pen)
                top = max([top, *values])
            self.item.addItem(bars)
            self.legend.addItem(bars, s.name)
        self.legend.setColumnCount(max(1, len(series)))  # one row above the bars
        self.item.setXRange(-0.6, max(0.6, n - 0.4), padding=0)
        self.item.setYRange(0, max(1.0, top * 1.25), padding=0)

    def set_lines(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        y_label: str = "",
        y_max: float | None = None,
    ) -> None:
        """One line per series with its own dash and symbol; gaps where a value is None."""
        self._clear(categories, y_label)
        n = len(categories)
        top = 0.0
        for i, s in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            pen = pg.mkPen(colour, width=2, style=DASHES[i % len(DASHES)])
            xs = [float(x) for x, v in enumerate(s.values) if v is not None]
            ys = [float(v) for v in s.values if v is not None]
            top = max([top, *ys])
            curve = pg.PlotDataItem(
                xs,
                ys,
                pen=pen,
                symbol=SYMBOLS[i % len(SYMBOLS)],
                symbolSize=8,
                symbolPen=pg.mkPen(QColor(20, 20, 20)),
                symbolBrush=pg.mkBrush(colour),
                connect="finite",
            )
            self.item.addItem(curve)
            self.legend.addItem(curve, s.name)
        self.legend.setColumnCount(max(1, len(series)))
        self.item.setXRange(-0.6, max(0.6, n - 0.4), padding=0)
        y_top = y_max if y_max is not None else max(1.0, top * 1.25)
        self.item.setYRange(0, y_top, padding=0)

    def render_image(self, width: int = 1400, height: int = 560) -> QImage:
        """The chart alone at `width` × `height` pixels, for a printed report: the plot is laid
        out at that size in a scene of its own, whatever size (or visibility) it has here."""
        scene = self.plot.scene()
        item = self.item
        old = item.geometry()
        item.setGeometry(QRectF(0, 0, width, height))
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor(255, 255, 255))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            scene.render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
        finally:
            painter.end()
            item.setGeometry(old)
        return image


__all__ = ["ChartPanel", "Series"]
