"""TrendPlot widget: data, bands, marks, crosshair on mouse move, keyboard zoom and pan."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from widgets.time_range import Preset, TimeRangeSelector
from widgets.trend_plot import SYMBOL_LIMIT, BandLevel, BandSpec, Mark, MarkPriority, TrendPlot

T0 = 1_780_000_000.0
DAY = 86400.0


@pytest.fixture
def plot(qtbot: QtBot) -> TrendPlot:
    widget = TrendPlot()
    widget.setAccessibleName("SpO2")
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    times = T0 + np.arange(30, dtype=np.float64) * DAY
    values = 95 + np.sin(np.arange(30)) * 3
    widget.set_series(times, values)
    widget.set_bands(
        [
            BandSpec(None, 90, BandLevel.RED, "Rød < 90"),
            BandSpec(90, 94, BandLevel.YELLOW, "Gul 90–93"),
        ],
        y_hint=(90, 94),
    )
    widget.set_marks([Mark(T0 + 5 * DAY, MarkPriority.HIGH, "Varsel")])
    widget.set_range(T0, T0 + 30 * DAY)
    widget.set_formatter(lambda i, t, v: f"punkt {i}: {v[0]:.1f}")
    return widget


def test_downsampling_clip_and_thin_pens(plot: TrendPlot) -> None:
    assert plot.plot_item.downsampleMode() == (1, True, "peak")
    assert plot.plot_item.clipToViewMode() is True
    for curve in plot.curves():
        assert curve.opts["autoDownsample"] is True
        assert curve.opts["downsampleMethod"] == "peak"
        assert curve.opts["clipToView"] is True
        assert curve.opts["pen"].width() <= 1


def test_y_range_keeps_the_limits_in_view(plot: TrendPlot) -> None:
    _, (y0, y1) = plot.vb.viewRange()
    assert y0 < 90 and y1 > 97.9


def test_symbols_only_when_few_points_are_visible(qtbot: QtBot) -> None:
    widget = TrendPlot()
    qtbot.addWidget(widget)
    n = 100_000
    times = T0 + np.arange(n, dtype=np.float64) * 60
    widget.set_series(times, np.full(n, 95.0), np.full(n, 80.0), names=("Sys", "Dia"))
    widget.set_range(T0, times[-1])
    assert [c.opts["symbol"] for c in widget.curves()] == [None, None]
    widget.set_range(T0, T0 + 60 * (SYMBOL_LIMIT - 10))
    assert [c.opts["symbol"] for c in widget.curves()] == ["o", "t"]


def test_crosshair_follows_the_mouse(plot: TrendPlot, qtbot: QtBot) -> None:
    plot.show()
    qtbot.waitExposed(plot)

    def hover(t: float, value: float, wanted: Callable[[str], bool]) -> None:
        """Move the mouse there until the readout follows.

        The plot rate-limits mouse-move handling, so a move that lands inside the limit's
        window is dropped by design; a user's next move (here: the next try) updates it.
        """
        pos = plot.view.mapFromScene(plot.vb.mapViewToScene(QPointF(t, value)))
        for dx in (0, 1, 0, 1, 0, 1):
            qtbot.mouseMove(plot.view.viewport(), QPoint(pos.x() + dx, pos.y()))
            try:
                qtbot.waitUntil(lambda: wanted(plot.crosshair_text()), timeout=800)
                return
            except qtbot.TimeoutError:
                continue
        raise AssertionError(f"crosshair did not follow: {plot.crosshair_text()!r}")

    hover(T0 + 10 * DAY + 3600, 95, lambda text: text.startswith("punkt 10"))
    expected = 95 + np.sin(10) * 3
    assert plot.crosshair_text() == f"punkt 10: {expected:.1f}"
    # Near an alert mark, the readout names it.
    hover(T0 + 5 * DAY, 95, lambda text: "Varsel" in text)
    plot.close()


def test_keyboard_zoom_pan_home_and_point_stepping(plot: TrendPlot, qtbot: QtBot) -> None:
    assert plot.focusPolicy() == Qt.FocusPolicy.StrongFocus
    start, end = plot.visible_range()
    qtbot.keyClick(plot, Qt.Key.Key_Plus)
    z0, z1 = plot.visible_range()
    assert z1 - z0 == pytest.approx((end - start) / 2)
    qtbot.keyClick(plot, Qt.Key.Key_Right)
    p0, _ = plot.visible_range()
    assert p0 == pytest.approx(z0 + (z1 - z0) * 0.1)
    qtbot.keyClick(plot, Qt.Key.Key_Minus)
    qtbot.keyClick(plot, Qt.Key.Key_Home)
    assert plot.visible_range() == pytest.approx((start, end))
    qtbot.keyClick(plot, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert plot.crosshair_text().startswith("punkt 0")
    qtbot.keyClick(plot, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert plot.crosshair_text().startswith("punkt 1")
    assert plot.accessibleDescription() == plot.crosshair_text()


def test_append_keeps_order_and_second_series(qtbot: QtBot) -> None:
    widget = TrendPlot()
    qtbot.addWidget(widget)
    widget.set_series(np.array([T0, T0 + 60]), np.array([120.0, 130.0]), np.array([80.0, 85.0]))
    widget.append(np.array([T0 + 30]), np.array([125.0]), None)
    _x, y = widget.curves()[0].getOriginalDataset()
    assert list(y) == [120, 125, 130]
    _, y2 = widget.curves()[1].getOriginalDataset()
    assert y2[0] == 80 and np.isnan(y2[1]) and y2[2] == 85


def test_paints_bands_gaps_and_marks(plot: TrendPlot) -> None:
    plot.set_gaps(np.array([T0 + 2 * DAY]), np.array([T0 + 4 * DAY]), "Mangler")
    image = plot.grab().toImage()
    assert not image.isNull()


def test_time_range_selector(qtbot: QtBot) -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    selector = TimeRangeSelector(now=lambda: now)
    qtbot.addWidget(selector)
    assert selector.current_range() == (now.timestamp() - 30 * DAY, now.timestamp())
    assert not selector.start_edit.isEnabled()
    with qtbot.waitSignal(selector.range_changed) as blocker:
        selector.buttons[Preset.WEEK].click()
    assert blocker.args == [now.timestamp() - 7 * DAY, now.timestamp()]
    with qtbot.waitSignal(selector.range_changed):
        selector.buttons[Preset.CUSTOM].click()
    assert selector.start_edit.isEnabled()
    with qtbot.waitSignal(selector.range_changed) as blocker:
        selector.set_custom(now.timestamp() - 3 * DAY, now.timestamp() - DAY)
    assert blocker.args == [now.timestamp() - 3 * DAY, now.timestamp() - DAY]
    for button in selector.buttons.values():
        assert button.accessibleName()
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert selector.start_edit.accessibleName() and selector.end_edit.accessibleName()


def test_axes_draw_the_grid_and_follow_the_range(qtbot: QtBot) -> None:
    """The axes draw ticks and grid without pyqtgraph's QPicture (see `_DirectPaintAxis`): the
    grid must still be there, faint, at the tick positions, and the labels follow the range."""
    widget = TrendPlot()
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.set_series(T0 + np.arange(30, dtype=np.float64) * DAY, np.full(30, 95.0))
    widget.set_range(T0, T0 + 30 * DAY)
    widget.show()
    qtbot.waitExposed(widget)
    image = widget.view.grab().toImage()
    scale = image.width() / widget.view.width()
    box = widget.view.mapFromScene(widget.vb.sceneBoundingRect()).boundingRect()
    top, bottom = box.top() + 3, box.bottom() - 3
    axis = widget.axis
    assert axis._specs is not None
    _axis_line, ticks, texts = axis._specs
    days_texts = [text for _rect, _flags, text in texts]
    assert days_texts and all(text.strip() for text in days_texts)

    def grey(x: int, y: int) -> int:
        return image.pixelColor(int(x * scale), int(y * scale)).red()

    grid_columns = 0
    for _pen, p1, _p2 in ticks:
        x = widget.view.mapFromScene(axis.mapToScene(p1)).x()
        if not box.left() + 5 < x < box.right() - 5:
            continue
        # The faint grid line is one of these columns over the whole height of the plot
        # (the curve, at one height, crosses it in a few rows only).
        column = max(
            sum(200 <= grey(c, y) <= 250 for y in range(top, bottom)) for c in (x - 1, x, x + 1)
        )
        assert column >= 0.8 * (bottom - top), (x, column, bottom - top)
        grid_columns += 1
    assert grid_columns >= 3
    # Between grid lines the plot stays white: the grid is not painted as a wash.
    white = sum(grey(box.left() + 2, y) == 255 for y in range(top, bottom))
    assert white >= 0.8 * (bottom - top)

    widget.set_range(T0, T0 + DAY / 4)
    widget.view.grab()
    assert axis._specs is not None
    hours_texts = [text for _rect, _flags, text in axis._specs[2]]
    assert hours_texts and hours_texts != days_texts
    assert any(":" in text for text in hours_texts), hours_texts


def test_plot_pool_builds_ahead_one_per_tick_and_hands_out_fresh_plots(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    from widgets.trend_plot import PlotPool

    pool = PlotPool(interval_ms=5)
    assert len(pool) == 0
    host = QWidget()
    qtbot.addWidget(host)
    built_on_demand = pool.take(host)  # nothing ready and nothing asked for: built now
    assert built_on_demand.parent() is host and len(pool) == 0
    pool.fill(3)
    assert len(pool) == 0  # later, on the timer, not in this call
    qtbot.waitUntil(lambda: len(pool) == 3)
    ready = list(pool._ready)
    taken = pool.take(host)
    assert taken in ready and taken.parent() is host
    assert taken is not built_on_demand
    qtbot.waitUntil(lambda: len(pool) == 3)  # refilled with a new plot
    assert all(plot not in pool._ready for plot in (taken, built_on_demand))
    pool.clear()
    assert len(pool) == 0 and not pool._timer.isActive()
    taken.deleteLater()
    built_on_demand.deleteLater()
