"""Threshold what-if: exact alert counts on crafted data, and speed on a month per minute."""

from __future__ import annotations

import numpy as np

from console.domain.model import MeasurementKind, Triage
from console.domain.series import Limits, Series, TrendRule, count_alerts, what_if
from console.domain.triage import Band, Thresholds

DAY = 86400.0
SPO2_NOW = Limits(Thresholds(yellow=Band(low=94), red=Band(low=90)))
SPO2_COPD = Limits(Thresholds(yellow=Band(low=88), red=Band(low=86)))


def spo2(values: list[float], *, step: float = 3600.0, start: float = 0.0) -> Series:
    times = start + np.arange(len(values), dtype=np.float64) * step
    return Series(MeasurementKind.SPO2, times, np.asarray(values, dtype=np.float64))


def test_episodes_not_points() -> None:
    # green, yellow x2 (one episode), green, red (also counts as nothing yellow), yellow
    # (down from red: no new alert), green, yellow, red, red.
    s = spo2([96, 93, 92, 97, 89, 92, 96, 93, 88, 87])
    counts = count_alerts(s.times, s.values, SPO2_NOW, 0, 10 * 3600)
    assert (counts.yellow, counts.red) == (2, 2)
    assert (counts.yellow_points, counts.red_points) == (4, 3)


def test_window_starts_from_the_level_before_it() -> None:
    s = spo2([89, 89, 89, 95, 89])
    # The window starts at the second value: the red episode began before, so only one new.
    counts = count_alerts(s.times, s.values, SPO2_NOW, 3600, 5 * 3600)
    assert (counts.yellow, counts.red) == (0, 1)


def test_what_if_compares_current_and_proposed_over_30_days() -> None:
    # 40 days, one value a day; old data (before the 30-day window) must not count.
    values = [85.0] * 10 + [96, 93, 96, 89, 96, 87, 96, 92, 85, 96] + [96.0] * 20
    s = spo2(values, step=DAY)
    end = s.times[-1]
    result = what_if(s, SPO2_NOW, SPO2_COPD, end=end)
    # Window (end - 30 d, end]: days 10..39 → 93 and 92 yellow, 89, 87 and 85 red.
    assert (result.current.yellow, result.current.red) == (2, 3)
    # COPD limits: 87 yellow (86..87), 85 red; 89/92/93 green.
    assert (result.proposed.yellow, result.proposed.red) == (1, 1)


def test_what_if_includes_trend_rules_with_their_look_back() -> None:
    weights = Series(
        MeasurementKind.WEIGHT,
        np.arange(40, dtype=np.float64) * DAY,
        np.array([80.0] * 9 + [78.0] + [80.5] + [80.0] * 29),
    )
    current = Limits(None, (TrendRule(Triage.YELLOW, 2.0, 3 * DAY),))
    stricter = Limits(None, (TrendRule(Triage.YELLOW, 3.0, 3 * DAY),))
    # Day 10 (first day inside the window) is +2.5 kg over day 9, which lies before the window.
    result = what_if(weights, current, stricter, end=39 * DAY)
    assert (result.current.yellow, result.proposed.yellow) == (1, 0)


def test_a_month_per_minute_is_fast() -> None:
    n = 30 * 24 * 60
    rng = np.random.default_rng(1)
    s = spo2((95 + rng.normal(0, 2, n)).tolist(), step=60.0)
    trend = Limits(SPO2_NOW.thresholds, (TrendRule(Triage.YELLOW, -4, 3600),))
    result = what_if(s, SPO2_NOW, SPO2_COPD, end=s.times[-1])
    assert result.current.yellow_points > result.proposed.yellow_points
    with_trend = what_if(s, trend, SPO2_COPD, end=s.times[-1])
    assert with_trend.current.yellow_points >= result.current.yellow_points
    # Speed (bands ~1 ms, trend ~30 ms for 43,200 points) is measured in benchmarks/mapping.py.
