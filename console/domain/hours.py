"""A response centre's service hours, as the console needs them: open now? since when closed?

Mirrors ``server/rules/hours.py`` for the parts the queue uses (the console and the server are
separate programs). Read from a ``HealthcareService`` (``availableTime``, ``notAvailable``,
Europe/Oslo); without one, Monday–Friday 08:00–15:30 (docs/contract.md, "Service hours").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ServiceHours:
    windows: Mapping[int, tuple[tuple[time, time], ...]]  # weekday -> (start, end) local
    closed: frozenset[date] = frozenset()
    tz: tzinfo = OSLO
    _cache: dict[date, tuple[tuple[datetime, datetime], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def day(self, d: date) -> tuple[tuple[datetime, datetime], ...]:
        cached = self._cache.get(d)
        if cached is None:
            spans = () if d in self.closed else self.windows.get(d.weekday(), ())
            cached = tuple(
                (
                    datetime.combine(d, a, self.tz),
                    datetime.combine(d + timedelta(days=1), time(0), self.tz)
                    if b == time(0)
                    else datetime.combine(d, b, self.tz),
                )
                for a, b in spans
            )
            self._cache[d] = cached
        return cached

    def _back(self, when: datetime) -> Iterable[tuple[datetime, datetime]]:
        d = when.astimezone(self.tz).date()
        for n in range(60):
            yield from reversed(self.day(d - timedelta(days=n)))

    def is_open(self, when: datetime) -> bool:
        return any(a <= when < b for a, b in self.day(when.astimezone(self.tz).date()))

    def next_open(self, when: datetime) -> datetime | None:
        d = when.astimezone(self.tz).date()
        for n in range(60):
            for a, b in self.day(d + timedelta(days=n)):
                if b > when:
                    return max(a, when)
        return None

    def previous_closed_period(self, when: datetime) -> tuple[datetime | None, datetime | None]:
        """(closed since, opened/opens at) of the latest closed period that began by `when`:
        the current one while closed, else the one that ended when today's opening began."""
        ref = when
        opened = None
        for a, b in self._back(when):
            if a > when:
                continue
            if a <= when < b:
                opened, ref = a, a
                continue
            if b <= ref:
                return b, opened if opened is not None else self.next_open(when)
        return None, opened


def _time(text: Any) -> time | None:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        return None


DEFAULT_HOURS = ServiceHours({d: ((time(8), time(15, 30)),) for d in range(5)})


def hours_from_fhir(services: Iterable[Mapping[str, Any]]) -> ServiceHours:
    """The union of the HealthcareServices' hours (open when any is); the default if none."""
    windows: dict[int, list[tuple[time, time]]] = {}
    closed_sets: list[set[date]] = []
    found = False
    for hs in services:
        if hs.get("active") is False:
            continue
        found = True
        closed: set[date] = set()
        for entry in hs.get("availableTime") or ():
            if not isinstance(entry, dict):
                continue
            a: time | None = time(0)
            b: time | None = time(0)
            if not entry.get("allDay"):
                a, b = _time(entry.get("availableStartTime")), _time(entry.get("availableEndTime"))
            if a is None or b is None:
                continue
            for code in entry.get("daysOfWeek") or ():
                if code in DAY_CODES:
                    windows.setdefault(DAY_CODES.index(code), []).append((a, b))
        for entry in hs.get("notAvailable") or ():
            during = (entry or {}).get("during") or {}
            start, end = str(during.get("start") or ""), str(during.get("end") or "")
            if len(start) == 10:
                d = date.fromisoformat(start)
                last = date.fromisoformat(end) if len(end) == 10 else d
                while d <= last:
                    closed.add(d)
                    d += timedelta(days=1)
        closed_sets.append(closed)
    if not found:
        return DEFAULT_HOURS
    merged = {d: tuple(sorted(spans)) for d, spans in windows.items()}
    both = frozenset(set.intersection(*closed_sets)) if closed_sets else frozenset()
    return ServiceHours(merged, both)
