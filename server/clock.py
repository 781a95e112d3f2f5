"""The server's one clock: simulated time with an offset and a rate, the wall clock at rate 1.

Everything the reference backend does with time goes through one :class:`SimClock`: the
measurement and messaging simulators, the rules engine, missing-measurement checks, hold
expiry, escalation and every timestamp the server writes (``meta.lastUpdated``, ``authoredOn``,
``AuditEvent.recorded``, notification timestamps). Security timers (token and form lifetimes,
login lock-outs) stay on the wall clock on purpose: a training centre running 60 times faster
must not expire a nurse's sign-in 60 times faster.

    sim(wall) = sim_anchor + (wall - wall_anchor) * rate

At rate 1 and no offset it is the wall clock. Changing the rate (``set_speed``; 0 pauses) or
jumping forward (``advance``) re-anchors, so simulated time never runs backwards; listeners
(and coroutines sleeping in :meth:`SimClock.sleep`) are woken so they re-plan. Issue 13
(training controls) builds pause, step and faster on exactly these three calls.

Clients learn the clock from the CapabilityStatement (``rest[0].extension``, url
:data:`CLOCK_EXTENSION`, sub-extensions ``now`` valueInstant and ``speed`` valueDecimal) and
from the :data:`CLOCK_HEADER` response header on every HTTP answer
(``X-DHO-Clock: now=2026-11-23T08:10:00.000000Z;speed=1``).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

from server.store.fhirtime import format_instant

CLOCK_EXTENSION: Final = "http://dho.example/fhir/StructureDefinition/server-clock"
CLOCK_HEADER: Final = "X-DHO-Clock"


class SimClock:
    """Simulated epoch seconds; monotonic (never goes back), changeable rate, jump forward."""

    def __init__(
        self,
        start: float | None = None,
        speed: float = 1.0,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        if speed < 0 or not math.isfinite(speed):
            raise ValueError("speed must be a finite number >= 0")
        self._wall = wall
        self._wall_anchor = wall()
        self._sim_anchor = self._wall_anchor if start is None else float(start)
        self._rate = float(speed)
        self._last = self._sim_anchor
        self._listeners: list[Callable[[], None]] = []
        self._events: set[asyncio.Event] = set()

    # ----- reading ---------------------------------------------------------------------------

    @property
    def speed(self) -> float:
        """Simulated seconds per real second (0 while paused)."""
        return self._rate

    @property
    def offset(self) -> float:
        """Simulated minus wall time now, in seconds (0 for the plain wall clock)."""
        return self.now() - self._wall()

    @property
    def is_wall(self) -> bool:
        """Rate 1 and within a second of the wall clock."""
        return self._rate == 1.0 and abs(self.offset) < 1.0

    def now(self) -> float:
        """Simulated epoch seconds."""
        t = self._sim_anchor + (self._wall() - self._wall_anchor) * self._rate
        if t < self._last:  # the wall clock stepped back (NTP): hold still instead
            return self._last
        self._last = t
        return t

    def __call__(self) -> float:
        return self.now()

    def now_us(self) -> int:
        return int(self.now() * 1_000_000)

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def instant(self) -> str:
        """The simulated now as a FHIR instant (microseconds, ``Z``)."""
        return format_instant(self.now_us())

    def real_seconds(self, sim_seconds: float) -> float | None:
        """Real seconds it takes for `sim_seconds` of simulated time to pass (None: paused)."""
        if self._rate <= 0:
            return None
        return max(0.0, sim_seconds) / self._rate

    # ----- changing --------------------------------------------------------------------------

    def set_speed(self, speed: float) -> None:
        """A new rate from now on (0 pauses); simulated time continues from where it is."""
        if speed < 0 or not math.isfinite(speed):
            raise ValueError("speed must be a finite number >= 0")
        now = self.now()
        self._wall_anchor = self._wall()
        self._sim_anchor = now
        self._rate = float(speed)
        self._changed()

    def advance(self, seconds: float) -> None:
        """Jump forward by `seconds` of simulated time (a training "step"); never backwards."""
        if seconds < 0:
            raise ValueError("the clock never goes backwards")
        now = self.now()
        self._wall_anchor = self._wall()
        self._sim_anchor = now + seconds
        self._last = self._sim_anchor
        self._changed()

    def add_listener(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()
        for event in list(self._events):
            event.set()

    async def sleep(
        self, sim_seconds: float, *, max_real: float = 1.0, min_real: float = 0.0
    ) -> None:
        """Sleep until `sim_seconds` of simulated time passed, or `max_real` real seconds, or
        the clock changed (rate or jump), whichever is first; at least `min_real` seconds."""
        real = self.real_seconds(sim_seconds)
        wait = max_real if real is None else min(max_real, real)
        wait = max(min_real, wait)
        event = asyncio.Event()
        self._events.add(event)
        try:
            await asyncio.wait_for(event.wait(), wait)
        except TimeoutError:
            pass
        finally:
            self._events.discard(event)

    # ----- announcing ------------------------------------------------------------------------

    def header_value(self) -> str:
        """``now=<instant>;speed=<decimal>`` for the :data:`CLOCK_HEADER` response header."""
        return f"now={self.instant()};speed={_decimal(self._rate)}"

    def capability_extension(self) -> dict[str, Any]:
        return {
            "url": CLOCK_EXTENSION,
            "extension": [
                {"url": "now", "valueInstant": self.instant()},
                {"url": "speed", "valueDecimal": _number(self._rate)},
            ],
        }


def _number(value: float) -> float | int:
    return int(value) if value == int(value) else value


def _decimal(value: float) -> str:
    return str(_number(value))


def parse_start(text: str) -> float:
    """``--clock-start`` value (ISO 8601 with an offset, or ``Z``) as epoch seconds."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("give the start with a time zone, e.g. 2026-11-23T08:10:00+01:00")
    return parsed.timestamp()


# The clock of the server running in this process, for code far from the app object (audit
# records). create_app installs its clock here while it runs; the default is the wall clock.
_process_clock: SimClock | None = None


def install(clock: SimClock | None) -> SimClock | None:
    """Make `clock` this process's server clock; returns the previous one."""
    global _process_clock
    previous, _process_clock = _process_clock, clock
    return previous


def process_now_us() -> int:
    """Microseconds on this process's server clock (the wall clock when none is installed)."""
    clock = _process_clock
    return clock.now_us() if clock is not None else time.time_ns() // 1000
