"""Time series of one patient's measurements, and the pure rules over them.

Everything here works on numpy arrays of epoch seconds (float64, ascending) and values, so a
year of per-minute SpO2 (525,600 points) is classified, counted or searched in milliseconds.
No Qt, no I/O: the patient view and the threshold editor call these, tests feed crafted arrays.

Alerts counted by `count_alerts` (and so by the threshold what-if) are *episodes*: an alert is
raised when a measurement enters a level from below it (green → yellow, green or yellow → red);
a patient who stays in yellow for a day raises one yellow alert, not one per measurement, and
going down from red to yellow raises nothing new. Point counts are returned alongside.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import numpy as np
import numpy.typing as npt

from console.domain.model import Measurement, MeasurementKind, Triage
from console.domain.triage import Band, Thresholds, thresholds_for

FloatArray = npt.NDArray[np.float64]
LevelArray = npt.NDArray[np.int8]

_EMPTY = np.empty(0, dtype=np.float64)


@dataclass(frozen=True, slots=True, eq=False)
class Series:
    """One kind of measurement over time: `times` ascending epoch seconds, `values` aligned.

    `values2` is the diastolic pressure for blood pressure (NaN where absent), else None.
    """

    kind: MeasurementKind
    times: FloatArray = field(default_factory=lambda: _EMPTY)
    values: FloatArray = field(default_factory=lambda: _EMPTY)
    values2: FloatArray | None = None

    def __len__(self) -> int:
        return int(self.times.shape[0])

    def window(self, start: float, end: float) -> Series:
        """The part with start <= time < end (views into the arrays, no copy)."""
        lo, hi = np.searchsorted(self.times, (start, end), side="left")
        return Series(
            self.kind,
            self.times[lo:hi],
            self.values[lo:hi],
            None if self.values2 is None else self.values2[lo:hi],
        )

    def extent(self, start: float, end: float) -> tuple[float, float] | None:
        """Lowest and highest value (both series for blood pressure) in [start, end)."""
        part = self.window(start, end)
        if not len(part):
            return None
        lo, hi = float(np.nanmin(part.values)), float(np.nanmax(part.values))
        if part.values2 is not None and np.isfinite(part.values2).any():
            lo = min(lo, float(np.nanmin(part.values2)))
            hi = max(hi, float(np.nanmax(part.values2)))
        return lo, hi


class SeriesBuilder:
    """Collects measurements in chunks (pages of a search) and builds sorted arrays once.

    `add` is cheap per chunk, so a loader can hand over one page at a time and yield to the UI
    between pages; `build` concatenates, sorts and drops exact duplicates (same time and value,
    e.g. a live update of something a page already had).
    """

    def __init__(self) -> None:
        self._chunks: dict[MeasurementKind, list[tuple[FloatArray, FloatArray, FloatArray]]] = {}

    def add(self, measurements: Iterable[Measurement]) -> int:
        grouped: dict[MeasurementKind, tuple[list[float], list[float], list[float]]] = {}
        n = 0
        nan = float("nan")
        for m in measurements:
            t, v, v2 = grouped.setdefault(m.kind, ([], [], []))
            t.append(m.time.timestamp())
            v.append(m.value)
            v2.append(nan if m.value2 is None else m.value2)
            n += 1
        for kind, (t, v, v2) in grouped.items():
            self._chunks.setdefault(kind, []).append(
                (
                    np.asarray(t, dtype=np.float64),
                    np.asarray(v, dtype=np.float64),
                    np.asarray(v2, dtype=np.float64),
                )
            )
        return n

    def add_arrays(
        self,
        kind: MeasurementKind,
        times: FloatArray,
        values: FloatArray,
        values2: FloatArray | None = None,
    ) -> None:
        v2 = np.full(times.shape, np.nan) if values2 is None else values2
        self._chunks.setdefault(kind, []).append((times, values, v2))

    def kinds(self) -> list[MeasurementKind]:
        return list(self._chunks)

    def build(self) -> dict[MeasurementKind, Series]:
        return {kind: _merge(kind, chunks) for kind, chunks in self._chunks.items()}


def _merge(
    kind: MeasurementKind, chunks: Sequence[tuple[FloatArray, FloatArray, FloatArray]]
) -> Series:
    times = np.concatenate([c[0] for c in chunks]) if chunks else _EMPTY
    values = np.concatenate([c[1] for c in chunks]) if chunks else _EMPTY
    values2 = np.concatenate([c[2] for c in chunks]) if chunks else _EMPTY
    if times.size > 1:
        if not bool(np.all(times[1:] >= times[:-1])):
            order = np.argsort(times, kind="stable")
            times, values, values2 = times[order], values[order], values2[order]
        dup = (times[1:] == times[:-1]) & (values[1:] == values[:-1])
        if bool(dup.any()):
            keep = np.concatenate(([True], ~dup))
            times, values, values2 = times[keep], values[keep], values2[keep]
    two = kind is MeasurementKind.BLOOD_PRESSURE
    return Series(kind, times, values, values2 if two else None)


def build_series(measurements: Iterable[Measurement]) -> dict[MeasurementKind, Series]:
    builder = SeriesBuilder()
    builder.add(measurements)
    return builder.build()


def merge_series(
    series: Series | None, kind: MeasurementKind, measurements: Iterable[Measurement]
) -> Series:
    """`series` plus new measurements of `kind` (other kinds are ignored)."""
    builder = SeriesBuilder()
    if series is not None and len(series):
        builder.add_arrays(kind, series.times, series.values, series.values2)
    builder.add(m for m in measurements if m.kind is kind)
    return builder.build().get(kind, Series(kind))


# -- schedule and gaps -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a measurement is due: local wall-clock `times` on every `every_days`-th day."""

    times: tuple[time, ...]
    every_days: int = 1
    #: Day the every-n-days cycle counts from (the plan's start); None counts from 1970-01-01.
    anchor: date | None = None


def scheduled_slots(schedule: Schedule, start: float, end: float, tz: tzinfo) -> FloatArray:
    """Epoch seconds of every scheduled moment in [start, end), in local time `tz`."""
    if not schedule.times or end <= start:
        return _EMPTY
    first = datetime.fromtimestamp(start, tz).date() - timedelta(days=1)
    last = datetime.fromtimestamp(end, tz).date()
    anchor = schedule.anchor or date(1970, 1, 1)
    every = max(1, schedule.every_days)
    out: list[float] = []
    day = first
    while day <= last:
        if (day - anchor).days % every == 0:
            for t in schedule.times:
                stamp = datetime.combine(day, t, tzinfo=tz).timestamp()
                if start <= stamp < end:
                    out.append(stamp)
        day += timedelta(days=1)
    out.sort()
    return np.asarray(out, dtype=np.float64)


def missed_slots(
    times: FloatArray,
    slots: FloatArray,
    *,
    now: float,
    early: float = 3 * 3600.0,
    late: float = 4 * 3600.0,
) -> npt.NDArray[np.bool_]:
    """Which slots had no measurement within [slot - early, slot + late].

    The defaults follow the contract: 3 h either side counts, the yellow grace is 4 h.

    A slot whose window has not closed by `now` is not (yet) missed.
    """
    if slots.size == 0:
        return np.zeros(0, dtype=bool)
    idx = np.searchsorted(times, slots - early, side="left")
    found = np.zeros(slots.shape, dtype=bool)
    inside = idx < times.size
    found[inside] = times[idx[inside]] <= slots[inside] + late
    return (~found) & (slots + late < now)


def find_gaps(
    times: FloatArray,
    schedule: Schedule,
    start: float,
    end: float,
    tz: tzinfo,
    *,
    now: float,
    early: float = 3 * 3600.0,
    late: float = 4 * 3600.0,
) -> tuple[FloatArray, FloatArray]:
    """Spans where scheduled measurements were missing, as (starts, ends) arrays.

    A missed slot is shaded from its due time until the next measurement (or `now`);
    overlapping spans are merged, so three missed daily weights are one gap.
    """
    slots = scheduled_slots(schedule, start, min(end, now), tz)
    missed = missed_slots(times, slots, now=now, early=early, late=late)
    if not bool(missed.any()):
        return _EMPTY, _EMPTY
    gap_start = slots[missed]
    idx = np.searchsorted(times, gap_start, side="right")
    if times.size:
        next_meas = np.where(idx < times.size, times[np.minimum(idx, times.size - 1)], np.inf)
    else:
        next_meas = np.full(gap_start.shape, np.inf)
    gap_end = np.minimum(next_meas, min(end, now))
    starts: list[float] = []
    ends: list[float] = []
    for s, e in zip(gap_start.tolist(), gap_end.tolist(), strict=True):
        if e <= s:
            continue
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return np.asarray(starts, dtype=np.float64), np.asarray(ends, dtype=np.float64)


# -- thresholds --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendRule:
    """A rise (or fall, with a negative delta) of `delta` within `window` seconds reaches `level`.

    The heart-failure weight template: +2 kg in 3 days is yellow, +3 kg in 3 days is red.
    """

    level: Triage
    delta: float
    window: float


@dataclass(frozen=True, slots=True)
class Limits:
    """A patient's alert limits for one measurement: bands, trend rules, and their origin."""

    thresholds: Thresholds | None = None
    trends: tuple[TrendRule, ...] = ()
    #: True when these are the console's default template, not the patient's own plan.
    is_default: bool = False


def default_limits(kind: MeasurementKind, programme: str | None) -> Limits:
    """The template limits for a programme (see design/domain.md), marked as default."""
    trends: tuple[TrendRule, ...] = ()
    if kind is MeasurementKind.WEIGHT and programme == "heart-failure":
        three_days = 3 * 86400.0
        trends = (
            TrendRule(Triage.YELLOW, 2.0, three_days),
            TrendRule(Triage.RED, 3.0, three_days),
        )
    return Limits(thresholds_for(programme, kind), trends, is_default=True)


def band_errors(thresholds: Thresholds) -> list[str]:
    """Why a pair of bands is inconsistent (empty if fine); stable keys for the UI to translate.

    `red-low-above-yellow-low`: the red lower limit must be below the yellow one (red is the
    outer band); `red-high-below-yellow-high` likewise above; `yellow-low-above-high`: the
    yellow band would be empty.
    """
    errors: list[str] = []
    y, r = thresholds.yellow, thresholds.red
    if y.low is not None and r.low is not None and r.low > y.low:
        errors.append("red-low-above-yellow-low")
    if y.high is not None and r.high is not None and r.high < y.high:
        errors.append("red-high-below-yellow-high")
    if y.low is not None and y.high is not None and y.low >= y.high:
        errors.append("yellow-low-above-high")
    if r.low is not None and r.high is not None and r.low >= r.high:
        errors.append("red-low-above-high")
    return errors


def _breached(values: FloatArray, band: Band) -> npt.NDArray[np.bool_]:
    out = np.zeros(values.shape, dtype=bool)
    if band.low is not None:
        out |= values < band.low
    if band.high is not None:
        out |= values > band.high
    return out


def classify_values(values: FloatArray, thresholds: Thresholds | None) -> LevelArray:
    """Triage level per value (GREEN, YELLOW, RED as int8); NaN stays GREEN."""
    levels = np.full(values.shape, int(Triage.GREEN), dtype=np.int8)
    if thresholds is None:
        return levels
    levels[_breached(values, thresholds.yellow)] = int(Triage.YELLOW)
    levels[_breached(values, thresholds.red)] = int(Triage.RED)
    return levels


def classify_trend(times: FloatArray, values: FloatArray, rules: Sequence[TrendRule]) -> LevelArray:
    """Level per value from trend rules: change against the lowest (highest for a negative
    delta) value in the preceding `window` seconds."""
    levels = np.full(values.shape, int(Triage.GREEN), dtype=np.int8)
    n = values.size
    if n < 2 or not rules:
        return levels
    for rule in sorted(rules, key=lambda r: int(r.level)):
        first = np.searchsorted(times, times - rule.window, side="left")
        rising = rule.delta >= 0
        base = _window_extreme(values, first, lowest=rising)
        change = values - base
        hit = change >= rule.delta if rising else change <= rule.delta
        hit &= first < np.arange(n)
        levels[hit] = np.maximum(levels[hit], int(rule.level))
    return levels


def _window_extreme(values: FloatArray, first: npt.NDArray[np.intp], *, lowest: bool) -> FloatArray:
    """min (or max) of values[first[i]:i+1] for every i, with a monotonic deque: O(n)."""
    n = values.size
    out = np.empty(n, dtype=np.float64)
    vals = values.tolist()
    starts = first.tolist()
    queue: list[int] = []
    head = 0
    for i in range(n):
        v = vals[i]
        if lowest:
            while len(queue) > head and vals[queue[-1]] >= v:
                queue.pop()
        else:
            while len(queue) > head and vals[queue[-1]] <= v:
                queue.pop()
        queue.append(i)
        while queue[head] < starts[i]:
            head += 1
        out[i] = vals[queue[head]]
        if head > 1024:
            del queue[:head]
            head = 0
    return out


def classify(times: FloatArray, values: FloatArray, limits: Limits) -> LevelArray:
    """Worst of band and trend levels per measurement."""
    levels = classify_values(values, limits.thresholds)
    if limits.trends:
        levels = np.maximum(levels, classify_trend(times, values, limits.trends))
    return levels


@dataclass(frozen=True, slots=True)
class AlertCounts:
    yellow: int = 0
    red: int = 0
    #: Measurements in each band (not episodes), for context.
    yellow_points: int = 0
    red_points: int = 0


def count_alerts(
    times: FloatArray, values: FloatArray, limits: Limits, start: float, end: float
) -> AlertCounts:
    """Alerts (episodes, see the module docstring) raised by measurements in [start, end).

    The measurement just before `start` sets the level the window starts from, so an episode
    that began earlier is not counted again.
    """
    levels = classify(times, values, limits)
    lo, hi = np.searchsorted(times, (start, end), side="left")
    if hi <= lo:
        return AlertCounts()
    window = levels[lo:hi]
    before = int(levels[lo - 1]) if lo > 0 else int(Triage.GREEN)
    previous = np.concatenate(([before], window[:-1])).astype(np.int8)
    red = int(Triage.RED)
    yellow = int(Triage.YELLOW)
    return AlertCounts(
        yellow=int(np.count_nonzero((window == yellow) & (previous < yellow))),
        red=int(np.count_nonzero((window == red) & (previous < red))),
        yellow_points=int(np.count_nonzero(window == yellow)),
        red_points=int(np.count_nonzero(window == red)),
    )


@dataclass(frozen=True, slots=True)
class WhatIf:
    current: AlertCounts
    proposed: AlertCounts


def what_if(
    series: Series, current: Limits, proposed: Limits, *, end: float, days: float = 30.0
) -> WhatIf:
    """Alerts the current and the proposed limits would have raised in the last `days` days.

    Blood pressure is judged on the systolic value, as the triage rules do.
    """
    start = end - days * 86400.0
    # Trend rules look back; include their window before the start.
    look_back = max((r.window for r in (*current.trends, *proposed.trends)), default=0.0)
    # ...and one more measurement, which sets the level the window starts from.
    first = max(0, int(np.searchsorted(series.times, start - look_back, side="left")) - 1)
    part = series.window(float(series.times[first]) if len(series) else start, end + 1e-6)
    return WhatIf(
        count_alerts(part.times, part.values, current, start, end + 1e-6),
        count_alerts(part.times, part.values, proposed, start, end + 1e-6),
    )


def epoch(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
