"""Service hours (opening hours) of a response centre, as pure time arithmetic.

A centre's hours are a standard ``HealthcareService`` (``providedBy`` = the response centre's
Organization): ``availableTime`` (``daysOfWeek``, ``availableStartTime``, ``availableEndTime``,
or ``allDay``) and ``notAvailable`` (``during`` periods, closed days such as public holidays),
in the centre's time zone (Europe/Oslo). Without one, Monday–Friday 08:00–15:30 Europe/Oslo
(:data:`DEFAULT_HOURS`). Escalation timers count open time only (:meth:`ServiceHours.add_open`),
and an alert raised while closed is marked out of hours and waits for the next opening.

Times are epoch seconds; everything here is a pure function of its inputs (no clock, no I/O),
so the console can mirror it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

OSLO: Final = ZoneInfo("Europe/Oslo")
DAY_CODES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SERVICE_CATEGORY_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/service-category"
RESPONSE_CENTRE_SERVICE: Final = "response-centre"
# How far ahead (days) the arithmetic looks for an opening before giving up (always closed).
HORIZON_DAYS: Final = 60


def easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def norwegian_holidays(year: int) -> dict[date, str]:
    """Public holidays in Norway (helligdager and 1 and 17 May), with their Bokmål names."""
    e = easter(year)
    return {
        date(year, 1, 1): "Første nyttårsdag",
        e - timedelta(days=3): "Skjærtorsdag",
        e - timedelta(days=2): "Langfredag",
        e: "Første påskedag",
        e + timedelta(days=1): "Andre påskedag",
        date(year, 5, 1): "Offentlig høytidsdag",
        date(year, 5, 17): "Grunnlovsdag",
        e + timedelta(days=39): "Kristi himmelfartsdag",
        e + timedelta(days=49): "Første pinsedag",
        e + timedelta(days=50): "Andre pinsedag",
        date(year, 12, 25): "Første juledag",
        date(year, 12, 26): "Andre juledag",
    }


@dataclass(frozen=True, slots=True)
class ServiceHours:
    """Weekly opening windows (local seconds after midnight) and closed dates, in `tz`."""

    windows: Mapping[int, tuple[tuple[float, float], ...]]  # weekday 0=Mon -> (start, end)
    closed: frozenset[date] = frozenset()
    closed_periods: tuple[tuple[float, float], ...] = ()  # epoch (start, end) from notAvailable
    tz: ZoneInfo = OSLO
    service_id: str | None = None
    _cache: dict[int, tuple[tuple[float, float], ...]] = field(
        default_factory=dict, compare=False, repr=False, hash=False
    )

    # ----- open windows as epoch intervals, per local day ------------------------------------

    def day_windows(self, day: date) -> tuple[tuple[float, float], ...]:
        """The epoch (start, end) intervals the centre is open on local date `day`."""
        key = day.toordinal()
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        out: list[tuple[float, float]] = []
        if day not in self.closed:
            for start, end in self.windows.get(day.weekday(), ()):
                a = _local(day, start, self.tz)
                b = _local(day, end, self.tz)
                for ca, cb in self.closed_periods:  # cut out notAvailable periods
                    if cb <= a or ca >= b:
                        continue
                    if ca > a:
                        out.append((a, ca))
                    a = max(a, cb)
                    if a >= b:
                        break
                if a < b:
                    out.append((a, b))
        result = tuple(sorted(out))
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = result
        return result

    def _days_from(self, t: float) -> Iterable[tuple[float, float]]:
        day = datetime.fromtimestamp(t, self.tz).date()
        for n in range(HORIZON_DAYS):
            yield from self.day_windows(day + timedelta(days=n))

    def _days_back(self, t: float) -> Iterable[tuple[float, float]]:
        day = datetime.fromtimestamp(t, self.tz).date()
        for n in range(HORIZON_DAYS):
            yield from reversed(self.day_windows(day - timedelta(days=n)))

    # ----- questions -------------------------------------------------------------------------

    def is_open(self, t: float) -> bool:
        day = datetime.fromtimestamp(t, self.tz).date()
        return any(a <= t < b for a, b in self.day_windows(day))

    def next_open(self, t: float) -> float | None:
        """`t` if open, else when the centre next opens (None: not within the horizon)."""
        for a, b in self._days_from(t):
            if b <= t:
                continue
            return max(a, t)
        return None

    def next_close(self, t: float) -> float:
        """When the current open window ends (`t` itself if closed)."""
        for a, b in self._days_from(t):
            if a <= t < b:
                return b
            if a > t:
                break
        return t

    def last_close(self, t: float) -> float | None:
        """When the closed period containing `t` began, or (if open) the previous one began."""
        ref = t
        for a, b in self._days_back(t):
            if a > t:
                continue  # later today
            if a <= t < b:
                ref = a  # open now: the previous close is before this window
                continue
            if b <= ref:
                return b
        return None

    def closed_period(self, t: float) -> tuple[float | None, float | None] | None:
        """(closed since, opens at) when `t` is outside service hours, else None."""
        if self.is_open(t):
            return None
        return self.last_close(t), self.next_open(t)

    def previous_closed_period(self, t: float) -> tuple[float | None, float | None]:
        """The latest closed period that began at or before `t`: the current one when closed,
        else the one that ended when the current (or latest) open window began."""
        if not self.is_open(t):
            return self.last_close(t), self.next_open(t)
        opened = None
        for a, b in self._days_back(t):
            if a <= t < b:
                opened = a
                break
        if opened is None:
            return None, None
        return self.last_close(opened - 1e-3), opened

    def open_seconds(self, start: float, end: float) -> float:
        """Seconds of open time within [start, end]."""
        if end <= start:
            return 0.0
        total = 0.0
        for a, b in self._days_from(start):
            if a >= end:
                break
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += hi - lo
        return total

    def add_open(self, start: float, seconds: float) -> float | None:
        """The moment `seconds` of open time have passed after `start` (None: never)."""
        remaining = seconds
        for a, b in self._days_from(start):
            if b <= start:
                continue
            lo = max(a, start)
            if lo + remaining <= b:
                return lo + remaining
            remaining -= b - lo
        return None


def _local(day: date, seconds: float, tz: ZoneInfo) -> float:
    whole = int(seconds)
    if whole >= 86400:
        return datetime.combine(day + timedelta(days=1), time(0), tz).timestamp()
    moment = datetime.combine(day, time(whole // 3600, whole // 60 % 60, whole % 60), tz)
    return moment.timestamp() + (seconds - whole)


def _seconds(text: str) -> float | None:
    try:
        t = time.fromisoformat(text)
    except ValueError:
        return None
    return t.hour * 3600.0 + t.minute * 60.0 + t.second


def weekly(days: Sequence[int], start: str, end: str) -> dict[int, tuple[tuple[float, float], ...]]:
    a, b = _seconds(start), _seconds(end)
    assert a is not None and b is not None
    return {d: ((a, b),) for d in days}


DEFAULT_HOURS: Final = ServiceHours(weekly(range(5), "08:00:00", "15:30:00"))


def hours_from_healthcare_service(hs: Mapping[str, Any]) -> ServiceHours:
    """The opening hours a HealthcareService describes (Europe/Oslo wall-clock times)."""
    windows: dict[int, list[tuple[float, float]]] = {}
    for entry in hs.get("availableTime") or ():
        if not isinstance(entry, dict):
            continue
        days = [DAY_CODES.index(d) for d in entry.get("daysOfWeek") or () if d in DAY_CODES]
        if entry.get("allDay"):
            span: tuple[float | None, float | None] = (0.0, 86400.0)
        else:
            span = (
                _seconds(str(entry.get("availableStartTime") or "")),
                _seconds(str(entry.get("availableEndTime") or "")),
            )
        a, b = span
        if a is None or b is None:
            continue
        if b <= a:
            b = 86400.0  # "until midnight"
        for d in days:
            windows.setdefault(d, []).append((a, b))
    closed: set[date] = set()
    periods: list[tuple[float, float]] = []
    for entry in hs.get("notAvailable") or ():
        during = (entry or {}).get("during") or {}
        start, end = during.get("start"), during.get("end")
        if not isinstance(start, str):
            continue
        if len(start) == 10 and (end is None or (isinstance(end, str) and len(end) == 10)):
            first = date.fromisoformat(start)
            last = date.fromisoformat(end) if isinstance(end, str) else first
            day = first
            while day <= last:
                closed.add(day)
                day += timedelta(days=1)
        else:
            a_t = _parse_instant(start)
            b_t = _parse_instant(end) if isinstance(end, str) else a_t + 86400.0
            periods.append((a_t, b_t))
    return ServiceHours(
        {d: tuple(sorted(w)) for d, w in windows.items()},
        frozenset(closed),
        tuple(sorted(periods)),
        service_id=str(hs.get("id")) if hs.get("id") else None,
    )


def _parse_instant(text: str) -> float:
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0), OSLO).timestamp()
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def union(hours: Sequence[ServiceHours]) -> ServiceHours:
    """Open when any of them is open (a department watched by two centres)."""
    if not hours:
        return DEFAULT_HOURS
    if len(hours) == 1:
        return hours[0]
    windows: dict[int, list[tuple[float, float]]] = {}
    for h in hours:
        for d, w in h.windows.items():
            windows.setdefault(d, []).extend(w)
    merged = {d: _merge(w) for d, w in windows.items()}
    closed = frozenset.intersection(*(h.closed for h in hours))
    return ServiceHours(merged, closed)


def _merge(spans: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


def _hhmm(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:00"


def healthcare_service(
    service_id: str,
    centre: Mapping[str, str],
    name: str,
    hours: ServiceHours,
    holiday_years: Iterable[int] = (),
    *,
    telecom: str | None = None,
) -> dict[str, Any]:
    """The HealthcareService resource of a response centre with `hours` and holidays closed."""
    by_span: dict[tuple[float, float], list[int]] = {}
    for d, spans in sorted(hours.windows.items()):
        for span in spans:
            by_span.setdefault(span, []).append(d)
    available = [
        {
            "daysOfWeek": [DAY_CODES[d] for d in days],
            "availableStartTime": _hhmm(a),
            "availableEndTime": _hhmm(b),
        }
        for (a, b), days in by_span.items()
    ]
    not_available = []
    for year in holiday_years:
        for day, holiday in sorted(norwegian_holidays(year).items()):
            if day.weekday() in hours.windows:
                not_available.append(
                    {
                        "description": holiday,
                        "during": {"start": day.isoformat(), "end": day.isoformat()},
                    }
                )
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": service_id,
        "active": True,
        "providedBy": dict(centre),
        "category": [
            {
                "coding": [
                    {
                        "system": SERVICE_CATEGORY_SYSTEM,
                        "code": RESPONSE_CENTRE_SERVICE,
                        "display": "Responssenter (digital hjemmeoppfølging)",
                    }
                ]
            }
        ],
        "name": name,
        "comment": "Åpningstid for oppfølging av målinger. Utenom åpningstid: legevakt 116 117, "
        "ved akutt fare 113.",
        "availableTime": available,
        "availabilityExceptions": "Stengt på helligdager. Utenom åpningstid: ring legevakt "
        "116 117, ved akutt fare ring 113.",
    }
    if not_available:
        resource["notAvailable"] = not_available
    if telecom:
        resource["telecom"] = [{"system": "phone", "value": telecom, "use": "work"}]
    return resource


def centre_of_service(hs: Mapping[str, Any]) -> str | None:
    ref = str((hs.get("providedBy") or {}).get("reference") or "")
    kind, _, rid = ref.rpartition("/")
    return rid if kind.endswith("Organization") and rid else None


def sorted_open_starts(hours: ServiceHours, start: float, end: float) -> list[float]:
    """Epoch times the centre opens within [start, end] (for shift starts)."""
    out: list[float] = []
    day = datetime.fromtimestamp(start, hours.tz).date()
    last = datetime.fromtimestamp(end, hours.tz).date()
    while day <= last:
        for a, _b in hours.day_windows(day):
            if start <= a <= end:
                bisect.insort(out, a)
        day += timedelta(days=1)
    return out
