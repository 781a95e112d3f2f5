"""A time-series plot for one or two series with alert bands, alert marks and missing-data gaps.

Plain-Python API (numpy arrays of epoch seconds and values, strings the caller translated);
knows nothing of FHIR or the console. Built for large series: a year of per-minute values
draws in milliseconds because curves use peak downsampling and clip to the visible range, pens
are 1 px, and point symbols are drawn only when few points are visible.

State never relies on colour alone: red bands are hatched and labelled, yellow bands are
labelled with a plain fill, alert marks have a shape per priority, gaps are hatched grey, and
the second series is dashed with a different symbol.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import (
    QDateTime,
    QLocale,
    QObject,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

FloatArray = npt.NDArray[np.float64]

#: Show point symbols only when at most this many points are visible.
SYMBOL_LIMIT = 1500


class BandLevel(enum.Enum):
    YELLOW = "yellow"
    RED = "red"


class MarkPriority(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


@dataclass(frozen=True, slots=True)
class BandSpec:
    """A horizontal band from `low` to `high` (None: unbounded) with a visible label."""

    low: float | None
    high: float | None
    level: BandLevel
    label: str


@dataclass(frozen=True, slots=True)
class Mark:
    """An alert on the timeline at `time` (epoch s)."""

    time: float
    priority: MarkPriority
    text: str = ""


_BAND_FILL = {BandLevel.YELLOW: QColor(255, 214, 0, 60), BandLevel.RED: QColor(229, 57, 53, 55)}
_BAND_EDGE = {BandLevel.YELLOW: QColor(176, 132, 0), BandLevel.RED: QColor(183, 28, 28)}
_MARK_COLOUR = {
    MarkPriority.HIGH: QColor(198, 40, 40),
    MarkPriority.MEDIUM: QColor(230, 145, 0),
    MarkPriority.LOW: QColor(21, 101, 192),
}
_SERIES_COLOUR = (QColor(21, 67, 140), QColor(90, 40, 120))
_GAP_FILL = QColor(120, 120, 120, 45)


class _DirectPaintAxis(pg.AxisItem):
    """Draws its ticks and grid straight onto the view's painter, the grid as 1 px fills.

    pyqtgraph records an axis into a QPicture and replays it. Timed per call, the replay's
    cost was the faint (translucent) grid lines, which Qt strokes one pixel at a time: ~48 ms
    of a four-plot patient view's first paint. The computed draw specs are kept and drawn
    directly (see `drawPicture`); pyqtgraph's own invalidation (`self.picture = None`) still
    decides when to recompute them.
    """

    _specs: tuple[Any, ...] | None = None
    picture: Any

    def paint(self, p: QPainter, *args: Any) -> None:
        p.save()
        try:
            if self.picture is None:
                if self.style["tickFont"]:
                    p.setFont(self.style["tickFont"])
                self._specs = self.generateDrawSpecs(p)
                self.picture = True  # "specs are current"; only ever compared with None
            if self._specs is not None:
                self.drawPicture(p, *self._specs)
        finally:
            p.restore()

    def drawPicture(
        self, p: QPainter, axis_spec: Any, tick_specs: list[Any], text_specs: list[Any]
    ) -> None:
        # Qt's raster engine strokes a translucent 1 px line pixel by pixel (~0.2 µs a pixel:
        # the faint grid lines across one plot took ~10 ms); a 1 px wide rectangle of the same
        # colour is blended a span at a time and looks the same.
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        rest = []
        for pen, p1, p2 in tick_specs:
            if pen.style() != Qt.PenStyle.SolidLine or pen.widthF() > 1.0:
                rest.append((pen, p1, p2))
            elif p1.x() == p2.x():
                top, bottom = sorted((p1.y(), p2.y()))
                p.fillRect(QRectF(np.floor(p1.x()), top, 1.0, bottom - top + 1.0), pen.color())
            elif p1.y() == p2.y():
                left, right = sorted((p1.x(), p2.x()))
                p.fillRect(QRectF(left, np.floor(p1.y()), right - left + 1.0, 1.0), pen.color())
            else:
                rest.append((pen, p1, p2))
        super().drawPicture(p, axis_spec, rest, text_specs)


class ValueAxis(_DirectPaintAxis):
    """The value (left) axis."""


#: The zone times are shown in (the owner sets it: a response centre's, not the computer's).
_ZONE: tzinfo | None = None


def set_time_zone(zone: tzinfo | None) -> None:
    """Show every plot's times in `zone` (None: the computer's own)."""
    global _ZONE
    _ZONE = zone


def _qzone() -> QTimeZone:
    key = getattr(_ZONE, "key", None)
    return QTimeZone(key.encode()) if key else QTimeZone.systemTimeZone()


class LocalDateAxis(_DirectPaintAxis, pg.DateAxisItem):
    """Date axis in the shown zone with tick texts in the user's locale (Norwegian months)."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> Any:
        # Ticks fall on the shown zone's midnights and hours, not the computer's.
        if _ZONE is not None:
            offset = datetime.fromtimestamp((minVal + maxVal) / 2, _ZONE).utcoffset()
            self.utcOffset = -int(offset.total_seconds()) if offset is not None else 0
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        day = 86400.0
        if spacing >= 360 * day:
            fmt = "yyyy"
        elif spacing >= 28 * day:
            fmt = "MMM yyyy"
        elif spacing >= day:
            fmt = "d. MMM"
        elif spacing >= 60:
            fmt = "HH:mm"
        else:
            fmt = "HH:mm:ss"
        locale = QLocale()
        zone = _qzone()
        return [
            locale.toString(QDateTime.fromMSecsSinceEpoch(int(v * 1000), zone), fmt) for v in values
        ]


class _Overlay(pg.GraphicsObject):
    """Draws in pixels over the whole view (bands, gaps, marks); repaints with the view."""

    def __init__(
        self, painter: Callable[[QPainter, QRectF, Callable[[float, float], QPointF]], None]
    ):
        super().__init__()
        self._painter = painter

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        return QRectF(vb.viewRect())

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def paint(self, painter: QPainter, *args: Any) -> None:
        vb = self.getViewBox()
        if vb is None:
            return
        transform = painter.transform()
        view = QRectF(vb.viewRect())
        painter.save()
        painter.resetTransform()
        device = transform.mapRect(view)

        def to_px(x: float, y: float) -> QPointF:
            return transform.map(QPointF(x, y))

        self._painter(painter, device, to_px)
        painter.restore()


class TrendPlot(QFrame):
    """Trend plot with keyboard zoom (+/-), pan (arrows), reset (Home) and point stepping
    (Ctrl+arrows moves the crosshair from point to point and reads it out).

    Signals: `view_changed(start, end)` when the visible time range changes.
    """

    view_changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendPlot")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleDescription(
            self.tr(
                "Plus and minus zoom, arrow keys move in time, Home resets the view, "
                "Ctrl+arrow keys step from measurement to measurement."
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(0)
        self.readout = QLabel(self)
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.readout.setMinimumHeight(QFontMetrics(self.readout.font()).height() + 2)
        layout.addWidget(self.readout)

        self.axis = LocalDateAxis(orientation="bottom")
        # No context menus (keyboard and the range selector do their work); without them the
        # view box does not build its menu of ~40 widgets, 4 ms of every plot's construction.
        self.view = pg.PlotWidget(
            self,
            axisItems={"bottom": self.axis, "left": ValueAxis("left")},
            background="w",
            enableMenu=False,
        )
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setAntialiasing(False)
        layout.addWidget(self.view, 1)
        self.plot_item: pg.PlotItem = self.view.getPlotItem()
        self.plot_item.setDownsampling(auto=True, mode="peak")
        self.plot_item.setClipToView(True)
        self.plot_item.showGrid(x=True, y=True, alpha=0.15)
        self.plot_item.hideButtons()
        self.plot_item.setMenuEnabled(False)
        for name in ("left", "bottom"):
            axis = self.plot_item.getAxis(name)
            axis.setPen(pg.mkPen(QColor(60, 60, 60), width=1))
            axis.setTextPen(pg.mkPen(QColor(30, 30, 30), width=1))
        self.plot_item.getAxis("left").setWidth(52)
        self.vb: pg.ViewBox = self.plot_item.getViewBox()
        self.vb.setMouseEnabled(x=True, y=False)
        self.vb.disableAutoRange()

        # Made when a plot first has two named series: a legend costs ~15 ms to polish on
        # first show, and most plots (one series) never need one.
        self._legend: pg.LegendItem | None = None
        self._curves: list[pg.PlotDataItem] = []
        self._names: list[str] = []
        self._times: FloatArray = np.empty(0)
        self._values: list[FloatArray] = []
        self._bands: list[BandSpec] = []
        self._marks: list[Mark] = []
        self._gap_starts: FloatArray = np.empty(0)
        self._gap_ends: FloatArray = np.empty(0)
        self._gap_label = ""
        self._home: tuple[float, float] | None = None
        self._y_hint: tuple[float, float] | None = None
        self._cursor: int | None = None
        self._formatter: Callable[[int, float, Sequence[float]], str] = self._default_format
        self._no_data_text = ""
        self._mark_hit_px = 8.0

        self._bands_item = _Overlay(self._paint_bands)
        self._bands_item.setZValue(-20)
        self._gaps_item = _Overlay(self._paint_gaps)
        self._gaps_item.setZValue(-10)
        self._marks_item = _Overlay(self._paint_marks)
        self._marks_item.setZValue(20)
        for item in (self._bands_item, self._gaps_item, self._marks_item):
            self.plot_item.addItem(item, ignoreBounds=True)

        cross_pen = pg.mkPen(QColor(40, 40, 40), width=1, style=Qt.PenStyle.DashLine)
        self._vline = pg.InfiniteLine(angle=90, movable=False, pen=cross_pen)
        self._hline = pg.InfiniteLine(angle=0, movable=False, pen=cross_pen)
        for line in (self._vline, self._hline):
            line.setZValue(30)
            line.hide()
            self.plot_item.addItem(line, ignoreBounds=True)
        self._dot = pg.ScatterPlotItem(
            size=9, pen=pg.mkPen(QColor(0, 0, 0), width=1), brush=pg.mkBrush(255, 255, 255)
        )
        self._dot.setZValue(31)
        self.plot_item.addItem(self._dot, ignoreBounds=True)

        self.vb.sigXRangeChanged.connect(self._x_range_changed)
        self.view.scene().sigMouseMoved.connect(self._mouse_moved)
        self.setStyleSheet(
            "#trendPlot { border: 1px solid palette(mid); }"
            "#trendPlot:focus { border: 2px solid palette(highlight); }"
        )

    # ----- data ----------------------------------------------------------------------------

    def set_series(
        self,
        times: FloatArray,
        values: FloatArray,
        values2: FloatArray | None = None,
        *,
        names: Sequence[str] = (),
    ) -> None:
        """Replace the data: `times` ascending epoch seconds; `values2` a second series
        sharing the times (diastolic pressure), NaN where it is missing."""
        times = np.asarray(times, dtype=np.float64)
        series = [np.asarray(values, dtype=np.float64)]
        if values2 is not None:
            series.append(np.asarray(values2, dtype=np.float64))
        self._times = times
        self._values = series
        self._names = list(names)
        while len(self._curves) < len(series):
            index = len(self._curves)
            pen = pg.mkPen(
                _SERIES_COLOUR[index],
                width=1,
                style=Qt.PenStyle.SolidLine if index == 0 else Qt.PenStyle.DashLine,
            )
            curve = pg.PlotDataItem(
                pen=pen,
                symbolPen=pg.mkPen(_SERIES_COLOUR[index], width=1),
                symbolBrush=pg.mkBrush(_SERIES_COLOUR[index])
                if index == 0
                else pg.mkBrush(255, 255, 255),
                symbolSize=5 if index == 0 else 6,
                connect="finite",
            )
            self.plot_item.addItem(curve)
            self._curves.append(curve)
        for curve in self._curves[len(series) :]:
            curve.setData([], [])
        show = self._symbols_wanted()
        for index, data in enumerate(series):
            # Symbol choice goes in with the data: one item update per curve, not two.
            symbol = ("o" if index == 0 else "t") if show else None
            self._curves[index].setData(times, data, symbol=symbol)
        wants_legend = len(series) > 1 and bool(self._names)
        if wants_legend and self._legend is None:
            self._legend = self.plot_item.addLegend(offset=(-6, 6), labelTextColor=(30, 30, 30))
        if self._legend is not None:
            self._legend.clear()
            for curve, name in zip(self._curves, self._names, strict=False):
                if name:
                    self._legend.addItem(curve, name)
            self._legend.setVisible(wants_legend)
        self._cursor = None
        self._hide_crosshair()
        self._update_symbols()
        self._fit_y()

    def append(
        self, times: FloatArray, values: FloatArray, values2: FloatArray | None = None
    ) -> None:
        """Add newer points (a live batch); keeps the view where it is."""
        if not len(times):
            return
        all_times = np.concatenate((self._times, times))
        first = np.concatenate((self._values[0], values)) if self._values else np.asarray(values)
        second = None
        if len(self._values) > 1 or values2 is not None:
            old2 = self._values[1] if len(self._values) > 1 else np.full(self._times.shape, np.nan)
            new2 = values2 if values2 is not None else np.full(np.shape(times), np.nan)
            second = np.concatenate((old2, new2))
        if all_times.size > 1 and not bool(np.all(all_times[1:] >= all_times[:-1])):
            order = np.argsort(all_times, kind="stable")
            all_times, first = all_times[order], first[order]
            second = second[order] if second is not None else None
        self.set_series(all_times, first, second, names=self._names)

    def set_bands(
        self, bands: Sequence[BandSpec], *, y_hint: tuple[float, float] | None = None
    ) -> None:
        """Horizontal alert bands; `y_hint` is a value range to keep in view (the limits)."""
        self._bands = list(bands)
        self._y_hint = y_hint
        self._bands_item.update()
        self._fit_y()

    def set_marks(self, marks: Sequence[Mark]) -> None:
        self._marks = sorted(marks, key=lambda m: m.time)
        self._marks_item.update()

    def set_gaps(self, starts: FloatArray, ends: FloatArray, label: str = "") -> None:
        """Spans (epoch s) where scheduled measurements are missing; `label` is drawn in
        spans wide enough for it."""
        self._gap_starts = np.asarray(starts, dtype=np.float64)
        self._gap_ends = np.asarray(ends, dtype=np.float64)
        self._gap_label = label
        self._gaps_item.update()

    def set_formatter(self, formatter: Callable[[int, float, Sequence[float]], str]) -> None:
        """`formatter(series_index, time, values)` → crosshair text (translated by the caller)."""
        self._formatter = formatter

    def set_no_data_text(self, text: str) -> None:
        self._no_data_text = text
        self._show_idle_text()

    # ----- view ------------------------------------------------------------------------------

    def set_range(self, start: float, end: float) -> None:
        """Show [start, end] (epoch s); Home comes back here."""
        self._home = (start, end)
        self.vb.setXRange(start, end, padding=0)
        self._fit_y()

    def visible_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.vb.viewRange()
        return float(x0), float(x1)

    def reset_view(self) -> None:
        if self._home is not None:
            self.set_range(*self._home)
        elif self._times.size:
            self.set_range(float(self._times[0]), float(self._times[-1]))

    def zoom(self, factor: float) -> None:
        """factor < 1 zooms in around the centre of the view."""
        x0, x1 = self.visible_range()
        centre, half = (x0 + x1) / 2, (x1 - x0) / 2 * factor
        half = max(half, 30.0)
        self.vb.setXRange(centre - half, centre + half, padding=0)

    def pan(self, fraction: float) -> None:
        x0, x1 = self.visible_range()
        shift = (x1 - x0) * fraction
        self.vb.setXRange(x0 + shift, x1 + shift, padding=0)

    def crosshair_text(self) -> str:
        return self.readout.text()

    def curves(self) -> list[pg.PlotDataItem]:
        return list(self._curves)

    # ----- events ---------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(0.5)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom(2.0)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and ctrl:
            self.step_cursor(-1 if key == Qt.Key.Key_Left else 1)
        elif key == Qt.Key.Key_Left:
            self.pan(-0.5 if shift else -0.1)
        elif key == Qt.Key.Key_Right:
            self.pan(0.5 if shift else 0.1)
        elif key == Qt.Key.Key_Home:
            self.reset_view()
        elif key == Qt.Key.Key_Escape and self._cursor is not None:
            self._cursor = None
            self._hide_crosshair()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def step_cursor(self, step: int) -> None:
        """Move the crosshair to the previous/next measurement (keyboard reading)."""
        if not self._times.size:
            return
        x0, x1 = self.visible_range()
        lo, hi = np.searchsorted(self._times, (x0, x1))
        if hi <= lo:
            return
        if self._cursor is None or not lo <= self._cursor < hi:
            index = int(hi - 1 if step < 0 else lo)
        else:
            index = int(min(max(self._cursor + step, lo), hi - 1))
        self._show_point(index)

    def _mouse_moved(self, scene_pos: QPointF) -> None:
        if not self.plot_item.sceneBoundingRect().contains(scene_pos) or not self._times.size:
            return
        point = self.vb.mapSceneToView(scene_pos)
        x = point.x()
        index = int(np.searchsorted(self._times, x))
        candidates = [i for i in (index - 1, index) if 0 <= i < self._times.size]
        if not candidates:
            return
        best = min(candidates, key=lambda i: abs(self._times[i] - x))
        mark = self._mark_near(scene_pos)
        self._show_point(best, mark)

    def _mark_near(self, scene_pos: QPointF) -> Mark | None:
        if not self._marks:
            return None
        for mark in self._marks:
            px = self.vb.mapViewToScene(QPointF(mark.time, 0)).x()
            if abs(px - scene_pos.x()) <= self._mark_hit_px:
                return mark
        return None

    def _show_point(self, index: int, mark: Mark | None = None) -> None:
        self._cursor = index
        t = float(self._times[index])
        values = [float(v[index]) for v in self._values]
        y = values[0]
        self._vline.setPos(t)
        self._hline.setPos(y)
        self._vline.show()
        self._hline.show()
        self._dot.setData([t] * len(values), values)
        text = self._formatter(index, t, values)
        if mark is not None and mark.text:
            text = f"{text}  ·  {mark.text}"
        self.readout.setText(text)
        self.setAccessibleDescription(text)

    def _hide_crosshair(self) -> None:
        self._vline.hide()
        self._hline.hide()
        self._dot.setData([], [])
        self._show_idle_text()

    def _show_idle_text(self) -> None:
        self.readout.setText("" if self._times.size else self._no_data_text)

    @staticmethod
    def _default_format(index: int, time: float, values: Sequence[float]) -> str:
        when = datetime.fromtimestamp(time, _ZONE).strftime("%d.%m.%Y %H:%M")
        return " / ".join(f"{v:g}" for v in values if np.isfinite(v)) + f"  {when}"

    def _x_range_changed(self, *_args: Any) -> None:
        self._update_symbols()
        self._fit_y()
        x0, x1 = self.visible_range()
        self.view_changed.emit(x0, x1)

    def _symbols_wanted(self) -> bool:
        x0, x1 = self.visible_range()
        visible = 0
        if self._times.size:
            lo, hi = np.searchsorted(self._times, (x0, x1))
            visible = int(hi - lo)
        return 0 < visible <= SYMBOL_LIMIT

    def _update_symbols(self) -> None:
        show = self._symbols_wanted()
        for index, curve in enumerate(self._curves):
            wanted = ("o" if index == 0 else "t") if show else None
            if curve.opts.get("symbol") != wanted:
                curve.setSymbol(wanted)

    def _fit_y(self) -> None:
        """Y follows the visible data and keeps the patient's limits in view."""
        x0, x1 = self.visible_range()
        lows: list[float] = []
        highs: list[float] = []
        if self._times.size:
            lo, hi = np.searchsorted(self._times, (x0, x1))
            for data in self._values:
                part = data[lo:hi]
                if part.size and np.isfinite(part).any():
                    lows.append(float(np.nanmin(part)))
                    highs.append(float(np.nanmax(part)))
        if self._y_hint is not None:
            lows.append(self._y_hint[0])
            highs.append(self._y_hint[1])
        if not lows:
            return
        y0, y1 = min(lows), max(highs)
        span = max(y1 - y0, abs(y1) * 0.02, 1.0)
        self.vb.setYRange(y0 - 0.08 * span, y1 + 0.08 * span, padding=0)

    # ----- painting ---------------------------------------------------------------------------

    def _paint_bands(
        self, painter: QPainter, device: QRectF, to_px: Callable[[float, float], QPointF]
    ) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        for band in self._bands:
            top = device.top() if band.high is None else to_px(0, band.high).y()
            bottom = device.bottom() if band.low is None else to_px(0, band.low).y()
            top, bottom = max(top, device.top()), min(bottom, device.bottom())
            if bottom <= top:
                continue
            rect = QRectF(device.left(), top, device.width(), bottom - top)
            painter.fillRect(rect, _BAND_FILL[band.level])
            if band.level is BandLevel.RED:
                hatch = QBrush(QColor(183, 28, 28, 70), Qt.BrushStyle.BDiagPattern)
                painter.fillRect(rect, hatch)
            edge = QPen(_BAND_EDGE[band.level], 1)
            edge.setStyle(
                Qt.PenStyle.DashLine if band.level is BandLevel.RED else Qt.PenStyle.DotLine
            )
            painter.setPen(edge)
            if band.high is not None and device.top() <= top <= device.bottom():
                painter.drawLine(QPointF(device.left(), top), QPointF(device.right(), top))
            if band.low is not None and device.top() <= bottom <= device.bottom():
                painter.drawLine(QPointF(device.left(), bottom), QPointF(device.right(), bottom))
            if band.label and rect.height() >= metrics.height() * 0.8:
                width = metrics.horizontalAdvance(band.label) + 8
                # Label on the side of the band nearer the middle of the plot.
                anchor_top = band.low is None
                y = rect.bottom() - metrics.height() - 1 if anchor_top else rect.top() + 1
                label_rect = QRectF(device.left() + 4, y, width, metrics.height())
                painter.fillRect(label_rect, QColor(255, 255, 255, 215))
                painter.setPen(QPen(_BAND_EDGE[band.level].darker(130), 1))
                painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, band.label)

    def _paint_gaps(
        self, painter: QPainter, device: QRectF, to_px: Callable[[float, float], QPointF]
    ) -> None:
        if not self._gap_starts.size:
            return
        x0, x1 = self.visible_range()
        visible = (self._gap_ends >= x0) & (self._gap_starts <= x1)
        hatch = QBrush(QColor(90, 90, 90, 80), Qt.BrushStyle.FDiagPattern)
        metrics = QFontMetrics(painter.font())
        label_width = metrics.horizontalAdvance(self._gap_label) + 6 if self._gap_label else 0
        painter.setPen(Qt.PenStyle.NoPen)
        for start, end in zip(
            self._gap_starts[visible].tolist(), self._gap_ends[visible].tolist(), strict=True
        ):
            left = max(to_px(start, 0).x(), device.left())
            right = min(to_px(end, 0).x(), device.right())
            width = max(right - left, 1.0)
            rect = QRectF(left, device.top(), width, device.height())
            painter.fillRect(rect, _GAP_FILL)
            painter.fillRect(rect, hatch)
            if label_width and width >= label_width:
                painter.setPen(QPen(QColor(60, 60, 60), 1))
                text_rect = QRectF(
                    left, device.bottom() - metrics.height() - 2, width, metrics.height()
                )
                painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self._gap_label)
                painter.setPen(Qt.PenStyle.NoPen)

    def _paint_marks(
        self, painter: QPainter, device: QRectF, to_px: Callable[[float, float], QPointF]
    ) -> None:
        if not self._marks:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        size = 11.0
        x0, x1 = self.visible_range()
        for mark in self._marks:
            if not x0 <= mark.time <= x1:
                continue
            x = to_px(mark.time, 0).x()
            colour = _MARK_COLOUR[mark.priority]
            pen = QPen(colour, 1)
            pen.setStyle(
                Qt.PenStyle.SolidLine
                if mark.priority is MarkPriority.HIGH
                else Qt.PenStyle.DashLine
            )
            painter.setPen(pen)
            painter.drawLine(QPointF(x, device.top() + size), QPointF(x, device.bottom()))
            painter.setPen(QPen(colour.darker(150), 1))
            painter.setBrush(QBrush(colour))
            painter.drawPath(
                _mark_path(mark.priority, QPointF(x, device.top() + size / 2 + 1), size)
            )
        painter.setBrush(Qt.BrushStyle.NoBrush)


def _mark_path(priority: MarkPriority, centre: QPointF, size: float) -> QPainterPath:
    """Triangle for high, diamond for medium, circle for low priority."""
    half = size / 2
    path = QPainterPath()
    cx, cy = centre.x(), centre.y()
    if priority is MarkPriority.HIGH:
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(cx, cy - half),
                    QPointF(cx + half, cy + half),
                    QPointF(cx - half, cy + half),
                ]
            )
        )
        path.closeSubpath()
    elif priority is MarkPriority.MEDIUM:
        path.addPolygon(
            QPolygonF(
                [
                    QPointF(cx, cy - half),
                    QPointF(cx + half, cy),
                    QPointF(cx, cy + half),
                    QPointF(cx - half, cy),
                ]
            )
        )
        path.closeSubpath()
    else:
        path.addEllipse(centre, half * 0.8, half * 0.8)
    return path


class PlotPool(QObject):
    """Trend plots built ahead of need, one per idle moment.

    Building a plot (pyqtgraph's view, axes and items) takes 10-15 ms, and a patient view
    needs one per measurement of the plan (four to seven) the moment it opens. `take` hands
    out a ready plot (or builds one if none is left), and the pool refills itself a plot at a
    time on a timer, so no single turn of the event loop pays for more than one. Plots are not
    reused: a closed view deletes its own, which keeps any state out of the next patient's.
    """

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 30) -> None:
        super().__init__(parent)
        self._ready: list[TrendPlot] = []
        self.target = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._build_one)

    def __len__(self) -> int:
        return len(self._ready)

    def fill(self, count: int) -> None:
        """Keep `count` plots ready from now on (built later, one per timer tick)."""
        self.target = count
        self._refill()

    def take(self, parent: QWidget) -> TrendPlot:
        if self._ready:
            plot = self._ready.pop()
            plot.setParent(parent)
        else:
            plot = TrendPlot(parent)
        self._refill()
        return plot

    def clear(self) -> None:
        """Stop building and delete the ready plots (at shutdown)."""
        self.target = 0
        self._timer.stop()
        ready, self._ready = self._ready, []
        for plot in ready:
            plot.deleteLater()

    def _refill(self) -> None:
        if len(self._ready) < self.target and not self._timer.isActive():
            self._timer.start()

    def _build_one(self) -> None:
        if len(self._ready) >= self.target:
            self._timer.stop()
            return
        plot = TrendPlot()
        plot.ensurePolished()
        self._ready.append(plot)
