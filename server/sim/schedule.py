"""When one patient measures: programme sessions made personal, in Europe/Oslo local time.

A patient's slots are a pure function of (seed, patient id, programme, day), so the history
generator and the live simulator agree on the habits of each patient (early riser or not, which
optional glucose readings they take, which weekday they weigh themselves) and the simulator can
be rebuilt after a restart. Times are epoch seconds (UTC) throughout.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from server.sim.physiology import DAY, Physiology
from server.sim.programmes import PROGRAMMES, Programme
from server.sim.rand import mix, text_key, uniform, unit

OSLO: Final = ZoneInfo("Europe/Oslo")
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
_SLOT_JITTER: Final = 40 * 60.0  # seconds either side of the habitual time
_HABIT: Final = 75 * 60.0  # how far a patient's habit may sit from the programme time


@lru_cache(maxsize=8192)
def local_day_start(day: int) -> float:
    """Epoch seconds of local midnight of proleptic ordinal `day`, using that day's noon offset.

    Using the noon offset keeps daytime slots right on the days clocks change (the change
    happens in the night); slots are never scheduled between 02:00 and 03:00.
    """
    d = date.fromordinal(day)
    offset = datetime(d.year, d.month, d.day, 12, tzinfo=OSLO).utcoffset()
    seconds = offset.total_seconds() if offset is not None else 0.0
    return (day - _EPOCH_ORDINAL) * DAY - seconds


def local_day(t: float) -> int:
    """Proleptic ordinal of the Europe/Oslo calendar day containing epoch time `t`."""
    return datetime.fromtimestamp(t, OSLO).date().toordinal()


class PatientSchedule:
    """One patient in the simulation: who, which programme, their habits and their physiology.

    Built from what is stored in Patient and EpisodeOfCare only (id, gender, programme,
    enrolment start), which is what makes a restart seamless.
    """

    __slots__ = (
        "_planned",
        "_slot_times",
        "adherence",
        "away_probability",
        "discharged",
        "enrolled",
        "key",
        "patient_id",
        "physiology",
        "programme",
        "subject",
    )

    def __init__(
        self,
        patient_id: str,
        programme: str,
        *,
        seed: int,
        gender: str | None = None,
        enrolled: float | None = None,
        discharged: float | None = None,
    ) -> None:
        self.patient_id = patient_id
        self.subject = f"Patient/{patient_id}"
        self.programme: Programme = PROGRAMMES[programme]
        self.physiology = Physiology(patient_id, programme, seed=seed, gender=gender)
        self.key = text_key(seed, "schedule:" + patient_id)
        self.enrolled = enrolled if enrolled is not None else float("-inf")
        self.discharged = discharged if discharged is not None else float("inf")
        # Most patients take 90-99 % of their measurements; one in six is careless (70-90 %).
        self.adherence = (
            uniform(mix(self.key, 1), 0.70, 0.90)
            if unit(mix(self.key, 2)) < 1 / 6
            else uniform(mix(self.key, 1), 0.90, 0.99)
        )
        # Chance of a whole day without any measurement (visiting family, a bad day).
        self.away_probability = uniform(mix(self.key, 3), 0.0, 0.04)
        habit = uniform(mix(self.key, 4), -_HABIT, _HABIT)
        self._slot_times: list[tuple[float, ...]] = []
        self._planned: list[tuple[time, ...]] = []
        for index, session in enumerate(self.programme.sessions):
            chosen = list(session.times) + [
                extra
                for n, extra in enumerate(session.optional_times)
                if unit(mix(self.key, 10, index, n)) < 0.5
            ]
            self._planned.append(tuple(sorted(chosen)))
            self._slot_times.append(
                tuple(sorted(t.hour * 3600.0 + t.minute * 60.0 + t.second + habit for t in chosen))
            )

    @property
    def sessions(self) -> int:
        """How many sessions the patient's programme has."""
        return len(self._slot_times)

    def planned_times(self, session: int) -> tuple[time, ...]:
        """The programme times of `session` this patient uses (with chosen optional ones),
        as written in their plan: without the personal habit offset and daily jitter."""
        return self._planned[session]

    def is_away(self, day: int) -> bool:
        """Whether the patient skips every measurement on local day `day`."""
        return unit(mix(self.key, 20, day)) < self.away_probability

    def slots_on(self, session: int, day: int) -> list[float]:
        """Epoch times of the patient's slots for `session` on local day `day` (may be empty)."""
        every = self.programme.sessions[session].every_days
        if every > 1 and (day + mix(self.key, 30, session)) % every:
            return []
        base = local_day_start(day)
        return [
            base + seconds + uniform(mix(self.key, 40, session, day, n), -1.0, 1.0) * _SLOT_JITTER
            for n, seconds in enumerate(self._slot_times[session])
        ]

    def next_slot(self, session: int, after: float) -> float:
        """The first slot time of `session` strictly after epoch time `after`."""
        day = local_day(after) - 1
        while True:
            for t in self.slots_on(session, day):
                if t > after:
                    return t
            day += 1

    def takes(self, t: float, draw: float) -> bool:
        """Whether a slot at `t` is actually measured, given a uniform random `draw`."""
        return self.skip_reason(t, draw) is None

    def skip_reason(self, t: float, draw: float) -> str | None:
        """Why the slot at `t` is not measured (None: it is): ``not-enrolled``,
        ``discharged``, ``admitted`` (in hospital) or ``forgot`` (the adherence draw)."""
        if t < self.enrolled:
            return "not-enrolled"
        if t >= self.discharged:
            return "discharged"
        if self.physiology.admitted(t):
            return "admitted"
        if draw >= self.adherence:
            return "forgot"
        return None


def parse_instant(text: str) -> float:
    """Epoch seconds of a FHIR date or dateTime (dates count as UTC midnight)."""
    if len(text) == 10:
        return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
