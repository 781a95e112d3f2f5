"""Pure series rules: building arrays, gaps from a schedule, band classification, NEWS2."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from console.domain.model import Measurement, MeasurementKind, Triage
from console.domain.news2 import News2Parameter, compute_news2, score_parameter
from console.domain.series import (
    Limits,
    Schedule,
    Series,
    TrendRule,
    band_errors,
    build_series,
    classify_trend,
    classify_values,
    default_limits,
    find_gaps,
    merge_series,
    missed_slots,
    scheduled_slots,
)
from console.domain.triage import Band, Thresholds

OSLO = ZoneInfo("Europe/Oslo")
DAY = 86400.0


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> float:
    return datetime(y, mo, d, h, mi, tzinfo=OSLO).timestamp()


def test_build_series_sorts_groups_and_drops_duplicates() -> None:
    t0 = datetime(2026, 3, 1, 8, tzinfo=UTC)
    ms = [
        Measurement("p", MeasurementKind.SPO2, 95, t0 + timedelta(hours=2)),
        Measurement("p", MeasurementKind.SPO2, 93, t0),
        Measurement("p", MeasurementKind.SPO2, 93, t0),  # same version twice
        Measurement("p", MeasurementKind.BLOOD_PRESSURE, 140, t0, value2=85),
        Measurement("p", MeasurementKind.BLOOD_PRESSURE, 150, t0 + timedelta(hours=1)),
    ]
    series = build_series(ms)
    spo2 = series[MeasurementKind.SPO2]
    assert spo2.values.tolist() == [93, 95]
    assert spo2.times.tolist() == [t0.timestamp(), t0.timestamp() + 7200]
    assert spo2.values2 is None
    bp = series[MeasurementKind.BLOOD_PRESSURE]
    assert bp.values.tolist() == [140, 150]
    assert bp.values2 is not None
    assert bp.values2[0] == 85 and np.isnan(bp.values2[1])
    merged = merge_series(
        spo2,
        MeasurementKind.SPO2,
        [Measurement("p", MeasurementKind.SPO2, 90, t0 + timedelta(hours=1))],
    )
    assert merged.values.tolist() == [93, 90, 95]
    assert merged.extent(t0.timestamp(), t0.timestamp() + 3 * 3600) == (90, 95)


def test_scheduled_slots_follow_local_time_across_dst() -> None:
    # Norway switches to summer time on 29 March 2026; 08:00 local stays 08:00 local.
    slots = scheduled_slots(
        Schedule((time(8, 0), time(20, 0))), local(2026, 3, 28), local(2026, 3, 31), OSLO
    )
    assert [datetime.fromtimestamp(s, OSLO).strftime("%d %H:%M") for s in slots] == [
        "28 08:00",
        "28 20:00",
        "29 08:00",
        "29 20:00",
        "30 08:00",
        "30 20:00",
    ]
    weekly = scheduled_slots(
        Schedule((time(7, 30),), every_days=7, anchor=datetime(2026, 3, 2).date()),
        local(2026, 3, 1),
        local(2026, 3, 20),
        OSLO,
    )
    assert [datetime.fromtimestamp(s, OSLO).day for s in weekly] == [2, 9, 16]


def test_missed_slots_and_gaps() -> None:
    schedule = Schedule((time(8, 0),))
    start, now = local(2026, 5, 1), local(2026, 5, 8, 12)
    # Measured 1, 2, (3, 4, 5 missing), 6 at 09:30 (late but within 4 h), 7 at 06:30 (early).
    times = np.array(
        [
            local(2026, 5, 1, 8, 5),
            local(2026, 5, 2, 7, 55),
            local(2026, 5, 6, 9, 30),
            local(2026, 5, 7, 6, 30),
        ]
    )
    slots = scheduled_slots(schedule, start, now, OSLO)
    assert len(slots) == 8  # 1..8 May
    missed = missed_slots(times, slots, now=now)
    assert missed.tolist() == [False, False, True, True, True, False, False, False]
    starts, ends = find_gaps(times, schedule, start, now, OSLO, now=now)
    # One merged gap: due 3 May 08:00 until the measurement on 6 May 09:30.
    assert starts.tolist() == [local(2026, 5, 3, 8)]
    assert ends.tolist() == [local(2026, 5, 6, 9, 30)]
    # 8 May 08:00 is not missed yet at 12:00 (the 4 h grace ends at 12:00: exactly due).
    later = local(2026, 5, 8, 12, 1)
    starts, ends = find_gaps(times, schedule, start, later, OSLO, now=later)
    assert starts.tolist() == [local(2026, 5, 3, 8), local(2026, 5, 8, 8)]
    assert ends.tolist() == [local(2026, 5, 6, 9, 30), later]


def test_classify_values_inclusive_limits() -> None:
    limits = Thresholds(yellow=Band(low=94), red=Band(low=90))
    values = np.array([97, 94, 93.9, 90, 89.9, np.nan])
    assert classify_values(values, limits).tolist() == [1, 1, 2, 2, 3, 1]
    assert classify_values(values, None).tolist() == [1] * 6


def test_classify_trend_weight_gain() -> None:
    rules = default_limits(MeasurementKind.WEIGHT, "heart-failure").trends
    days = np.arange(8, dtype=np.float64) * DAY
    weights = np.array([80.0, 80.5, 81.0, 82.1, 83.2, 82.0, 80.0, 80.0])
    levels = classify_trend(days, weights, rules)
    # day 3: +2.1 over day 0 (within 3 days) yellow; day 4: +3.2 over day 1... 83.2-80.5=2.7
    # yellow; day 5: 82.0 - min(81.0, 82.1, 83.2)=1.0 green.
    assert levels.tolist() == [1, 1, 1, 2, 2, 1, 1, 1]
    levels = classify_trend(days, np.array([80, 81, 83.1, 80, 80, 80, 80, 80.0]), rules)
    assert levels.tolist() == [1, 1, 3, 1, 1, 1, 1, 1]
    falling = classify_trend(
        days[:3], np.array([70.0, 68.0, 66.0]), [TrendRule(Triage.YELLOW, -3, 3 * DAY)]
    )
    assert falling.tolist() == [1, 1, 2]


def test_band_errors() -> None:
    ok = Thresholds(yellow=Band(low=94), red=Band(low=90))
    assert band_errors(ok) == []
    inside = Thresholds(yellow=Band(low=90, high=110), red=Band(low=95, high=100))
    assert band_errors(inside) == ["red-low-above-yellow-low", "red-high-below-yellow-high"]
    empty = Thresholds(yellow=Band(low=100, high=90), red=Band())
    assert band_errors(empty) == ["yellow-low-above-high"]


def test_series_window_is_a_view() -> None:
    s = Series(MeasurementKind.PULSE, np.arange(10.0), np.arange(10.0) * 2)
    w = s.window(3, 6)
    assert w.times.tolist() == [3, 4, 5]
    assert np.shares_memory(w.values, s.values)
    assert s.extent(100, 200) is None


@pytest.mark.parametrize(
    ("parameter", "value", "points"),
    [
        (News2Parameter.SPO2, 96, 0),
        (News2Parameter.SPO2, 95, 1),
        (News2Parameter.SPO2, 93, 2),
        (News2Parameter.SPO2, 91, 3),
        (News2Parameter.SYSTOLIC_BP, 220, 3),
        (News2Parameter.SYSTOLIC_BP, 111, 0),
        (News2Parameter.SYSTOLIC_BP, 101, 1),
        (News2Parameter.SYSTOLIC_BP, 91, 2),
        (News2Parameter.PULSE, 40, 3),
        (News2Parameter.PULSE, 50, 1),
        (News2Parameter.PULSE, 91, 1),
        (News2Parameter.PULSE, 111, 2),
        (News2Parameter.PULSE, 131, 3),
        (News2Parameter.TEMPERATURE, 35.0, 3),
        (News2Parameter.TEMPERATURE, 36.0, 1),
        (News2Parameter.TEMPERATURE, 38.0, 0),
        (News2Parameter.TEMPERATURE, 39.0, 1),
        (News2Parameter.TEMPERATURE, 39.1, 2),
        (News2Parameter.RESPIRATION_RATE, 8, 3),
        (News2Parameter.RESPIRATION_RATE, 11, 1),
        (News2Parameter.RESPIRATION_RATE, 24, 2),
    ],
)
def test_news2_points(parameter: News2Parameter, value: float, points: int) -> None:
    assert score_parameter(parameter, value) == points


def test_news2_is_partial_and_ignores_stale_values() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    ms = [
        Measurement("p", MeasurementKind.SPO2, 93, now - timedelta(hours=2)),
        Measurement("p", MeasurementKind.PULSE, 112, now - timedelta(hours=3)),
        Measurement("p", MeasurementKind.TEMPERATURE, 39.5, now - timedelta(days=3)),
        Measurement("p", MeasurementKind.WEIGHT, 80, now),
    ]
    news = compute_news2(ms, now=now)
    assert news.score == 4
    assert news.parts == {News2Parameter.SPO2: 2, News2Parameter.PULSE: 2}
    assert news.partial
    assert news.missing == (
        News2Parameter.RESPIRATION_RATE,
        News2Parameter.AIR_OR_OXYGEN,
        News2Parameter.SYSTOLIC_BP,
        News2Parameter.CONSCIOUSNESS,
        News2Parameter.TEMPERATURE,
    )
    assert Limits().thresholds is None
