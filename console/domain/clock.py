"""The server's clock as the console sees it: one object, fed from the server, read everywhere.

A DHO reference backend runs one simulated clock (a training centre may run 60 times faster,
or sit at Monday 08:10); it tells clients in its CapabilityStatement and in an ``X-DHO-Clock``
header on every answer (docs/contract.md, "Server clock"). Ages on cards, timers and the
times the console writes (claimed at, snoozed until) must follow that clock, not the
workstation's. A server that announces nothing (plain R4, a vendor's server) means the wall
clock. Pure: no Qt, no I/O; the wall clock is injected for tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

#: A difference of more than this many real seconds' worth between two announcements is a
#: change of the server's clock (a restart, a training step), not network jitter.
JUMP = 5.0


class ServerClock:
    """Simulated now = the server's last announced now + (wall time since) * its speed."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._server_anchor: float | None = None
        self._wall_anchor = 0.0
        self._speed = 1.0
        self._last = 0.0

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def announced(self) -> bool:
        """Whether the server has told us its clock (else this is the wall clock)."""
        return self._server_anchor is not None

    def observe(self, server_now: float, speed: float, received: float | None = None) -> None:
        """The server said "it is `server_now` (epoch s), running at `speed`" at `received`."""
        wall = self._wall() if received is None else received
        if speed < 0:
            return
        previous = self._raw(wall)
        first = self._server_anchor is None
        self._server_anchor = server_now
        self._wall_anchor = wall
        self._speed = speed
        if first or abs(server_now - previous) > JUMP * max(1.0, speed):
            # The first announcement (or a real change of the server's clock, not jitter):
            # the ages follow the server from now on, even backwards.
            self._last = 0.0

    def _raw(self, wall: float) -> float:
        if self._server_anchor is None:
            return wall
        return self._server_anchor + (wall - self._wall_anchor) * self._speed

    def timestamp(self) -> float:
        t = self._raw(self._wall())
        # Never backwards between two answers (network jitter): ages must not jump back.
        if t < self._last and self._speed > 0:
            return self._last
        self._last = t
        return t

    def at(self, wall: datetime) -> datetime:
        """The server's time at the wall-clock instant `wall` (a time the console noted on
        the workstation's clock, such as when data last arrived), for showing it."""
        return datetime.fromtimestamp(self._raw(wall.timestamp()), UTC)

    def now(self) -> datetime:
        """Aware UTC datetime on the server's clock (use as the `now` of models and services)."""
        return datetime.fromtimestamp(self.timestamp(), UTC)


def parse_clock_header(value: str) -> tuple[float, float] | None:
    """``now=2026-11-23T07:10:00.000000Z;speed=60`` → (epoch s, speed), or None."""
    parts = dict(item.strip().split("=", 1) for item in value.split(";") if "=" in item)
    try:
        now = datetime.fromisoformat(parts["now"].replace("Z", "+00:00"))
        speed = float(parts.get("speed", "1"))
    except (KeyError, ValueError):
        return None
    if now.tzinfo is None:
        return None
    return now.timestamp(), speed
