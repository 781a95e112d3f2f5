"""The server clock (offset, rate, announced on every answer) and service-hours arithmetic."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from server.clock import CLOCK_EXTENSION, SimClock, parse_start
from server.rules.hours import (
    DEFAULT_HOURS,
    OSLO,
    healthcare_service,
    hours_from_healthcare_service,
    norwegian_holidays,
)
from server.store import Store
from tests.server.inprocess import serve_in_thread


class FakeWall:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_clock_offset_rate_pause_step_and_never_backwards() -> None:
    wall = FakeWall()
    clock = SimClock(start=5_000.0, speed=60, wall=wall)
    assert clock.now() == 5_000.0
    wall.t += 10
    assert clock.now() == 5_600.0  # 10 real seconds = 10 simulated minutes
    clock.set_speed(0)  # paused
    wall.t += 100
    assert clock.now() == 5_600.0 and clock.real_seconds(60) is None
    clock.advance(3600)  # a training "step"
    assert clock.now() == 9_200.0
    clock.set_speed(1)
    wall.t -= 50  # the wall clock stepped back (NTP): simulated time holds still
    assert clock.now() == 9_200.0
    wall.t += 60
    assert clock.now() == 9_210.0
    assert SimClock(wall=wall).is_wall


def test_clock_sleep_wakes_on_a_change() -> None:
    clock = SimClock(speed=1)

    async def main() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        loop.call_later(0.05, clock.set_speed, 2)
        await clock.sleep(60, max_real=5)
        return loop.time() - started

    assert asyncio.run(main()) < 1.0


def test_parse_start() -> None:
    assert parse_start("2026-11-23T08:10:00+01:00") == parse_start("2026-11-23T07:10:00Z")
    assert parse_start("2026-11-23T07:10:00Z") == 1795417800.0


def test_every_answer_announces_the_clock(store: Store) -> None:
    clock = SimClock(start=datetime(2026, 11, 23, 8, 10, tzinfo=OSLO).timestamp(), speed=60)
    with serve_in_thread(store, clock=clock) as client:
        r = client.get("/fhir/metadata")
        header = r.headers["x-dho-clock"]
        now, speed = (part.split("=", 1)[1] for part in header.split(";"))
        assert now.startswith("2026-11-23T07:1") and speed == "60"
        (ext,) = [e for e in r.json()["rest"][0]["extension"] if e["url"] == CLOCK_EXTENSION]
        subs = {s["url"]: s for s in ext["extension"]}
        assert subs["speed"]["valueDecimal"] == 60
        assert subs["now"]["valueInstant"].startswith("2026-11-23T07:1")
        # Errors carry it too, and what the server writes is stamped on its clock.
        assert "x-dho-clock" in client.get("/fhir/Nothing").headers
        created = client.post(
            "/fhir/Organization", json={"resourceType": "Organization", "name": "X"}
        ).json()
        assert created["meta"]["lastUpdated"].startswith("2026-11-23T07:1")


def test_default_hours_and_open_time() -> None:
    h = DEFAULT_HOURS

    def t(text: str) -> float:
        return datetime.fromisoformat(text).timestamp()

    assert h.is_open(t("2026-11-23T08:00:00+01:00"))
    assert not h.is_open(t("2026-11-23T15:30:00+01:00"))
    assert not h.is_open(t("2026-11-28T10:00:00+01:00"))  # Saturday
    friday = t("2026-11-27T15:00:00+01:00")
    assert h.add_open(friday, 3600) == t("2026-11-30T08:30:00+01:00")
    assert h.open_seconds(friday, t("2026-11-30T09:00:00+01:00")) == 90 * 60
    since, opens = h.previous_closed_period(t("2026-11-30T08:10:00+01:00"))
    assert since == t("2026-11-27T15:30:00+01:00") and opens == t("2026-11-30T08:00:00+01:00")


def test_healthcare_service_round_trip_with_holidays() -> None:
    assert date(2026, 4, 3) in norwegian_holidays(2026)  # Good Friday
    resource = healthcare_service(
        "hs", {"reference": "Organization/c"}, "Senter", DEFAULT_HOURS, [2026]
    )
    assert resource["availableTime"] == [
        {
            "daysOfWeek": ["mon", "tue", "wed", "thu", "fri"],
            "availableStartTime": "08:00:00",
            "availableEndTime": "15:30:00",
        }
    ]
    hours = hours_from_healthcare_service(resource)
    christmas = datetime(2026, 12, 25, 10, tzinfo=OSLO).timestamp()  # a Friday
    assert not hours.is_open(christmas)
    assert hours.is_open(datetime(2026, 12, 23, 10, tzinfo=OSLO).timestamp())
