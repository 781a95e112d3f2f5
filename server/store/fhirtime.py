"""FHIR date/dateTime/instant parsing into integer microsecond ranges.

Every date is stored as an inclusive range [start, end] in microseconds since the Unix epoch (UTC),
so a search for ``2026-11`` or ``gt2026-11-22T10:00:00Z`` is plain integer comparison in SQL and
works the same on SQLite and PostgreSQL. The range width follows the precision that was written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_US = -(2**62)
MAX_US = 2**62

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.(?P<f>\d{1,9}))?)?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


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
            if dt.tzinfo is not None:
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
        tz = timezone(sign * timedelta(hours=int(tz_text[1:3]), minutes=int(tz_text[4:6])))
    try:
        year = int(g["y"])
        if g["m"] is None:
            start = datetime(year, 1, 1, tzinfo=tz)
            end = datetime(year + 1, 1, 1, tzinfo=tz)
        elif g["d"] is None:
            month = int(g["m"])
            start = datetime(year, month, 1, tzinfo=tz)
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
        elif g["H"] is None:
            start = datetime(year, int(g["m"]), int(g["d"]), tzinfo=tz)
            end = start + timedelta(days=1)
        else:
            start = datetime(year, int(g["m"]), int(g["d"]), int(g["H"]), int(g["M"]), tzinfo=tz)
            if g["S"] is None:
                end = start + timedelta(minutes=1)
            else:
                start = start.replace(second=int(g["S"]))
                frac = g["f"]
                if frac is None:
                    end = start + timedelta(seconds=1)
                else:
                    frac6 = frac[:6]
                    start = start.replace(microsecond=int(frac6.ljust(6, "0")))
                    end = start + timedelta(microseconds=10 ** (6 - len(frac6)))
    except ValueError as exc:
        raise DateFormatError(f"not a valid date: {value!r}") from exc
    return to_us(start), to_us(end) - 1


def parse_instant_us(value: str) -> int:
    """Start of the range: the instant itself for full-precision values."""
    return parse_range(value)[0]
