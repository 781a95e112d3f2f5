"""The real-time simulator: turns programme schedules into new Observations as time passes.

The server calls `Simulator.due(now)` about twice a second and stores what it returns. Work per
call is O(k log n) for k due measurements: a heap holds each (patient, session)'s next slot,
so 10,000 quiet patients cost nothing between measurements.

Clock: ``dho-server`` passes the server's simulated clock (server.clock) as `now` with
speed 1, so schedules, physiology and every effectiveDateTime follow the one server clock.
(Standalone, with speed > 1, the simulator runs its own clock `sim = start + (now - start) *
speed`, Observations then carry the real `now`.) Patients in hospital (an admission of their
deterioration episode) measure nothing; the simulator records every device error and skipped
slot (:attr:`Simulator.truth`) and answers re-measure requests and reminders with an extra
measurement (:meth:`Simulator.request`).

`DEFAULT_SPEED` = 40: a 300-patient population (about 3.3 Observations per patient per day
after missed measurements) then produces about 0.46 Observations a second, one every ~2 s on
average, bunched around the simulated mornings and evenings (a simulated day lasts 36 real
minutes, so a deterioration over "3 days" unfolds in under two hours of a training session).
"""

from __future__ import annotations

import heapq
import random
from datetime import datetime, timedelta
from typing import Any, Final

from server.sim.observations import BUILDERS, iso_utc_datetime
from server.sim.population import enrolled_at, programme_of
from server.sim.rand import mix
from server.sim.schedule import OSLO, PatientSchedule, local_day

DEFAULT_SPEED: Final = 40.0
# Slots that fell due longer ago than this (real time) when due() is finally called again are
# treated as missed rather than delivered all at once with the same timestamp.
DEFAULT_MAX_CATCH_UP: Final = timedelta(minutes=2)


DAY_START_HOUR = 7
DAY_END_HOUR = 22


def next_daytime(t: float) -> float:
    """`t` if it is daytime in Oslo, else the next 07:00."""
    local = datetime.fromtimestamp(t, OSLO)
    if local.hour < DAY_START_HOUR:
        return local.replace(hour=DAY_START_HOUR, minute=0, second=0, microsecond=0).timestamp()
    if local.hour >= DAY_END_HOUR:
        tomorrow = (local + timedelta(days=1)).replace(
            hour=DAY_START_HOUR, minute=0, second=0, microsecond=0
        )
        return tomorrow.timestamp()
    return t


def advance_daytime(start: float, seconds: float) -> float:
    """The simulated moment `seconds` of daytime after `start`, jumping over the nights."""
    t = next_daytime(start)
    remaining = seconds
    while True:
        local = datetime.fromtimestamp(t, OSLO)
        day_end = local.replace(hour=DAY_END_HOUR, minute=0, second=0, microsecond=0).timestamp()
        if t + remaining < day_end:
            return t + remaining
        remaining -= day_end - t
        t = next_daytime(day_end)


class Simulator:
    """Produces the Observations that fall due, patient by patient, at a configurable speed.

    Deterministic given the seed, the patients and the sequence of `now` values passed to
    `due()`.
    """

    def __init__(
        self,
        schedules: list[PatientSchedule],
        *,
        seed: int = 1,
        speed: float = 1.0,
        now: datetime,
        max_catch_up: timedelta = DEFAULT_MAX_CATCH_UP,
        skip_nights: bool = False,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.speed = speed
        self.schedules = schedules
        self._start = now.timestamp()
        self._last = self._start
        self._max_catch_up = max_catch_up.total_seconds() * speed
        #: Run the simulated clock through daytime only (07-22 Oslo), so a training centre
        #: always has patients measuring; the response centre itself works daytime.
        self._skip_nights = skip_nights
        if skip_nights:
            self._start = next_daytime(self._start)
            self._last = now.timestamp()
            self._real_start = now.timestamp()
        self._rng = random.Random(mix(seed, 11))
        #: For each Observation the last due() returned: whether it is a device error.
        self.errors: list[bool] = []
        #: Ground truth since the last drain: (patient id, kind, t, details).
        self.truth: list[tuple[str, str, float, dict[str, Any]]] = []
        self._extra: list[tuple[float, int, int, tuple[str, ...], float | None]] = []
        self._extra_n = 0
        self._index = {s.patient_id: i for i, s in enumerate(schedules)}
        self._heap: list[tuple[float, int, int]] = [
            (schedule.next_slot(session, self._start), index, session)
            for index, schedule in enumerate(schedules)
            for session in range(schedule.sessions)
        ]
        heapq.heapify(self._heap)

    @classmethod
    def from_resources(
        cls,
        patients: list[dict[str, Any]],
        episodes: list[dict[str, Any]],
        *,
        seed: int = 1,
        speed: float = 1.0,
        now: datetime,
        skip_nights: bool = False,
        max_catch_up: timedelta = DEFAULT_MAX_CATCH_UP,
    ) -> Simulator:
        """Rebuild the simulation from stored Patient and EpisodeOfCare dicts.

        Patients without an active EpisodeOfCare in a known programme are left out (they are
        not followed up). Patients are ordered by id, so the order the store returns them in
        does not matter.
        """
        active: dict[str, dict[str, Any]] = {}
        for episode in episodes:
            if episode.get("status") != "active":
                continue
            reference = str(episode.get("patient", {}).get("reference", ""))
            patient_id = reference.rpartition("/")[2]
            if patient_id and programme_of(episode) is not None:
                active.setdefault(patient_id, episode)
        schedules = []
        for patient in sorted(patients, key=lambda p: str(p.get("id", ""))):
            if patient.get("active") is False:
                continue
            enrolment = active.get(str(patient.get("id")))
            if enrolment is None:
                continue
            programme = programme_of(enrolment)
            assert programme is not None
            schedules.append(
                PatientSchedule(
                    str(patient["id"]),
                    programme,
                    seed=seed,
                    gender=patient.get("gender"),
                    enrolled=enrolled_at(enrolment),
                )
            )
        return cls(
            schedules,
            seed=seed,
            speed=speed,
            now=now,
            skip_nights=skip_nights,
            max_catch_up=max_catch_up,
        )

    def sim_time(self, now: datetime) -> float:
        """The simulated clock (epoch seconds) at real time `now`."""
        if self._skip_nights:
            elapsed = max(0.0, now.timestamp() - self._real_start) * self.speed
            return advance_daytime(self._start, elapsed)
        return self._start + (now.timestamp() - self._start) * self.speed

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """New Observations (without ids) that fell due since the previous call.

        effectiveDateTime is `now`. A `now` earlier than the previous call's returns nothing.
        """
        real = now.timestamp()
        if real <= self._last:
            return []
        self._last = real
        sim = self.sim_time(now)
        oldest = sim - self._max_catch_up
        heap = self._heap
        rng = self._rng
        out: list[dict[str, Any]] = []
        self.errors = []
        effective = ""
        while heap and heap[0][0] <= sim:
            slot, index, session = heap[0]
            schedule = self.schedules[index]
            heapq.heapreplace(heap, (schedule.next_slot(session, slot), index, session))
            if slot < oldest:
                continue
            kinds = schedule.programme.sessions[session].kinds
            reason = "away" if schedule.is_away(local_day(slot)) else None
            reason = reason or schedule.skip_reason(slot, rng.random())
            if reason is not None:
                if reason not in ("not-enrolled", "discharged"):
                    self.truth.append(
                        (
                            schedule.patient_id,
                            "skipped",
                            slot,
                            {"kinds": list(kinds), "reason": reason},
                        )
                    )
                continue
            if not effective:
                effective = iso_utc_datetime(now)
            out += self._measure(schedule, kinds, slot, effective, None)
        while self._extra and self._extra[0][0] <= sim:
            at, _, index, kinds, error_p = heapq.heappop(self._extra)
            schedule = self.schedules[index]
            if schedule.physiology.admitted(at) or at >= schedule.discharged:
                continue
            out += self._measure(schedule, kinds, at, iso_utc_datetime(now), error_p)
        return out

    def _measure(
        self,
        schedule: PatientSchedule,
        kinds: tuple[str, ...],
        t: float,
        effective: str,
        error_p: float | None,
    ) -> list[dict[str, Any]]:
        out = []
        for kind in kinds:
            value, error = schedule.physiology.measure_truth(
                kind, t, self._rng, error_probability=error_p
            )
            obs = BUILDERS[kind](schedule.subject, effective, value, None)
            self.errors.append(error)
            out.append(obs)
        return out

    def request(
        self, patient_id: str, kinds: tuple[str, ...], at: float, error_p: float | None = None
    ) -> bool:
        """An extra measurement of `kinds` at simulated time `at` (a re-measurement, a late
        measurement after a reminder); False for a patient the simulator does not follow."""
        index = self._index.get(patient_id)
        if index is None:
            return False
        self._extra_n += 1
        heapq.heappush(self._extra, (at, self._extra_n, index, kinds, error_p))
        return True

    def drain_truth(self) -> list[tuple[str, str, float, dict[str, Any]]]:
        out, self.truth = self.truth, []
        return out

    def pending(self) -> int:
        """How many (patient, session) schedules are queued; one per session."""
        return len(self._heap)
