"""A response centre's opening hours, and time counted in them (no Qt, no I/O).

DHO is a daytime weekday service: a red value at 02:00 waits for the morning, so "time to
claim" is counted in opening hours, as escalation timers are. The hours come from the centre's
`HealthcareService.availableTime` (`console/fhir/review.py` maps it); without one the default
in CONTRACTS.md applies: Monday–Friday 08:00–15:30 Europe/Oslo.

`OpenTime` answers "how many open seconds lie between a and b" in O(log n) after building the
open intervals of a span once, so tens of thousands of alerts cost milliseconds.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

#: Monday = 0 … Sunday = 6, as `date.weekday()`.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """Weekly opening times in a zone, minus closed periods (public holidays and the like)."""

    #: weekday (0 = Monday) → opening periods that day, local wall-clock (start, end).
    weekly: Mapping[int, tuple[tuple[time, time], ...]]
    tz: tzinfo = OSLO
    #: Closed periods (`notAvailable.during`), aware datetimes, start inclusive, end exclusive.
    closed: tuple[tuple[datetime, datetime], ...] = ()
    #: Where these hours come from: "default" or "HealthcareService/<id>".
    source: str = "default"
    #: Human description of each closed period, for the report.
    closed_notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def default(cls) -> OpeningHours:
        """Monday–Friday 08:00–15:30 Europe/Oslo (CONTRACTS.md)."""
        day = ((time(8, 0), time(15, 30)),)
        return cls({d: day for d in range(5)})

    @property
    def is_default(self) -> bool:
        return self.source == "default"

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """Open periods of one local calendar day, as aware datetimes, closed periods removed."""
        out: list[tuple[datetime, datetime]] = []
        for start, end in self.weekly.get(day.weekday(), ()):
            a = datetime.combine(day, start, tzinfo=self.tz)
            # 24:00 / an end at midnight means the end of the day.
            b = (
                datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=self.tz)
                if end == time(0, 0) or end <= start
                else datetime.combine(day, end, tzinfo=self.tz)
            )
            out.extend(_subtract((a, b), self.closed))
        return out

    def describe(self) -> list[tuple[tuple[int, ...], time, time]]:
        """(weekdays, start, end) groups for display: "Mon–Fri 08:00–15:30"."""
        groups: dict[tuple[time, time], list[int]] = {}
        for weekday in range(7):
            for start, end in self.weekly.get(weekday, ()):
                groups.setdefault((start, end), []).append(weekday)
        return [(tuple(days), start, end) for (start, end), days in groups.items()]


def _subtract(
    span: tuple[datetime, datetime], closed: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    pieces = [span]
    for c_start, c_end in closed:
        nxt: list[tuple[datetime, datetime]] = []
        for a, b in pieces:
            if c_end <= a or c_start >= b:
                nxt.append((a, b))
                continue
            if a < c_start:
                nxt.append((a, c_start))
            if c_end < b:
                nxt.append((c_end, b))
        pieces = nxt
    return pieces


class OpenTime:
    """Open seconds between any two instants of a span, from precomputed open intervals.

    Instants are epoch seconds (float). Outside the span built, the hours are extended on
    demand, so any pair of instants is answered exactly.
    """

    def __init__(self, hours: OpeningHours, start: float, end: float) -> None:
        self.hours = hours
        self._starts: list[float] = []
        self._ends: list[float] = []
        self._cumulative: list[float] = []  # open seconds before each interval
        self._lo = self._hi = 0.0
        self._build(start, end)

    def _build(self, start: float, end: float) -> None:
        tz = self.hours.tz
        first = datetime.fromtimestamp(start, tz).date() - timedelta(days=1)
        last = datetime.fromtimestamp(end, tz).date() + timedelta(days=1)
        starts: list[float] = []
        ends: list[float] = []
        day = first
        while day <= last:
            for opens, closes in self.hours.periods_on(day):
                ta, tb = opens.timestamp(), closes.timestamp()
                if starts and ta <= ends[-1]:  # touching or overlapping: merge
                    ends[-1] = max(ends[-1], tb)
                elif tb > ta:
                    starts.append(ta)
                    ends.append(tb)
            day += timedelta(days=1)
        cumulative: list[float] = []
        total = 0.0
        for ta, tb in zip(starts, ends, strict=True):
            cumulative.append(total)
            total += tb - ta
        self._starts, self._ends, self._cumulative = starts, ends, cumulative
        self._lo = datetime.combine(first, time(0), tzinfo=tz).timestamp()
        self._hi = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).timestamp()

    def _cover(self, *instants: float) -> None:
        lo, hi = min(instants), max(instants)
        if lo < self._lo or hi > self._hi:
            self._build(min(lo, self._lo), max(hi, self._hi))

    def _before(self, t: float) -> float:
        """Open seconds from the start of the built span up to `t`."""
        i = bisect.bisect_right(self._starts, t) - 1
        if i < 0:
            return 0.0
        return self._cumulative[i] + min(t, self._ends[i]) - self._starts[i]

    def seconds(self, a: float, b: float) -> float:
        """Open seconds in [a, b] (0 when b <= a)."""
        if b <= a:
            return 0.0
        self._cover(a, b)
        return self._before(b) - self._before(a)

    def is_open(self, t: float) -> bool:
        self._cover(t)
        i = bisect.bisect_right(self._starts, t) - 1
        return i >= 0 and t < self._ends[i]

    def opening_between(self, a: float, b: float) -> bool:
        """Whether the centre opened at some instant o with a < o <= b (an alert raised at `a`
        and still waiting at `b` waited for the centre to open: overnight or over a weekend)."""
        if b <= a:
            return False
        self._cover(a, b)
        i = bisect.bisect_right(self._starts, a)  # first opening after a
        return i < len(self._starts) and self._starts[i] <= b

    def opening_times(self, a: float, b: float) -> Sequence[float]:
        self._cover(a, b)
        lo = bisect.bisect_right(self._starts, a)
        hi = bisect.bisect_right(self._starts, b)
        return self._starts[lo:hi]


__all__ = ["OSLO", "WEEKDAYS", "OpenTime", "OpeningHours"]
