"""FHIR date/dateTime/instant parsing into integer microsecond ranges.

Every date is stored as an inclusive range [start, end] in microseconds since the Unix epoch (UTC),
so a search for ``2026-11`` or ``gt2026-11-22T10:00:00Z`` is plain integer comparison in SQL and
works the same on SQLite and PostgreSQL. The range width follows the precision that was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_US = -(2**62)
MAX_US = 2**62

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


#: The widest UTC offset FHIR allows (``+14:00``, Kiribati); beyond ±24 h Python cannot even
#: represent one.
MAX_OFFSET_MINUTES = 14 * 60


class DateFormatError(ValueError):
    """A string that is not a FHIR date, dateTime or instant."""


def to_us(dt: datetime) -> int:
    """Microseconds since the epoch; naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


_NAIVE_EPOCH = datetime(1970, 1, 1)


def format_instant(us: int) -> str:
    """FHIR instant with microseconds and ``Z``, e.g. ``2026-11-22T10:00:00.123456Z``."""
    # isoformat is several times faster than strftime, which matters when seeding.
    return (_NAIVE_EPOCH + timedelta(microseconds=us)).isoformat(timespec="microseconds") + "Z"


def format_http_date(us: int) -> str:
    """RFC 7231 date for ``Last-Modified``."""
    return from_us(us).strftime("%a, %d %b %Y %H:%M:%S GMT")


def parse_range(value: str) -> tuple[int, int]:
    """Inclusive microsecond range covered by a FHIR date/dateTime/instant at its precision."""
    if len(value) >= 20 and value[10] == "T" and value[19] in ".Z+-":
        # Fast path for full dateTimes (the bulk of seeded data): C-level fromisoformat.
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            offset = dt.utcoffset()
            if offset is not None and abs(offset) <= timedelta(minutes=MAX_OFFSET_MINUTES):
                digits = 0
                if value[19] == ".":
                    stop = 20
                    while stop < len(value) and value[stop].isdigit():
                        stop += 1
                    digits = min(stop - 20, 6)
                start_us = to_us(dt)
                return start_us, start_us + 10 ** (6 - digits) - 1
    match = _DATE_RE.match(value.strip())
    if match is None:
        raise DateFormatError(f"not a FHIR date/dateTime: {value!r}")
    g = match.groupdict()
    tz_text = g["tz"]
    tz: timezone = UTC
    if tz_text and tz_text != "Z":
        sign = 1 if tz_text[0] == "+" else -1
        hours, minutes = int(tz_text[1:3]), int(tz_text[4:6])
        if minutes > 59 or hours * 60 + minutes > MAX_OFFSET_MINUTES:
            raise DateFormatError(
                f"the time-zone offset {tz_text} of {value!r} is out of range (-14:00 to +14:00)"
            )
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        year = int(g["y"])
        if g["m"] is None:
            start = datetime(year, 1, 1, tzinfo=tz)
            end = _later(lambda: datetime(year + 1, 1, 1, tzinfo=tz), tz)
        elif g["d"] is None:
            month = int(g["m"])
            start = datetime(year, month, 1, tzinfo=tz)
            end = _later(lambda: datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz), tz)
        elif g["H"] is None:
            start = datetime(year, int(g["m"]), int(g["d"]), tzinfo=tz)
            end = _later(lambda: start + timedelta(days=1), tz)
        else:
            start = datetime(year, int(g["m"]), int(g["d"]), int(g["H"]), int(g["M"]), tzinfo=tz)
            if g["S"] is None:
                end = _later(lambda: start + timedelta(minutes=1), tz)
            else:
                start = start.replace(second=int(g["S"]))
                frac = g["f"]
                if frac is None:
                    end = _later(lambda: start + timedelta(seconds=1), tz)
                else:
                    frac6 = frac[:6]
                    start = start.replace(microsecond=int(frac6.ljust(6, "0")))
                    step = timedelta(microseconds=10 ** (6 - len(frac6)))
                    end = _later(lambda: start + step, tz)
    except (ValueError, OverflowError) as exc:
        raise DateFormatError(f"not a valid date: {value!r}") from exc
    first = to_us(start)
    return first, max(first, to_us(end) - 1)


def _later(make: Callable[[], datetime], tz: timezone) -> datetime:
    """The end of a range; past year 9999 it is the last representable moment."""
    try:
        return make()
    except (ValueError, OverflowError):
        return datetime.max.replace(tzinfo=tz)


def parse_instant_us(value: str) -> int:
    """Start of the range: the instant itself for full-precision values."""
    return parse_range(value)[0]
