"""Per-patient physiology: baselines, slow drift, deterioration episodes, noise and device errors.

Everything about a patient except the measurement noise is a pure function of
(seed, patient id, programme, gender, time), so the reference backend can rebuild the simulator
after a restart from the stored Patient and EpisodeOfCare and the values continue where the
seeded history left off. Deterioration episodes live in fixed 14-day windows counted from the
Unix epoch (at most one per window), so the history generator and the live simulator agree on
who is getting worse when.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

from server.sim.programmes import (
    BP,
    GLUCOSE,
    PROGRAMMES,
    PULSE,
    RESPIRATION,
    SPO2,
    TEMPERATURE,
    WEIGHT,
)
from server.sim.rand import mix, text_key, uniform, unit, weighted_pick

DAY: Final = 86400.0
EPISODE_WINDOW: Final = 14 * DAY
# Chance that a patient has a deterioration episode in a given 14-day window. With episodes of
# about 5 days this keeps roughly 4-5 % of patients deteriorating at any moment.
EPISODE_PROBABILITY: Final = 0.12
# Chance that a single reading is a device or technique error (cold finger, someone else on the
# scale, sugar on the finger): the false alerts operators complain about. An assumption (see
# docs/simulator.md): gross errors only, the small everyday ones are in the noise.
ERROR_PROBABILITY: Final = 0.004
# Chance that a re-measurement asked for after an error repeats the error (fingers still cold).
REPEAT_ERROR_PROBABILITY: Final = 0.2
# A deterioration this strong (its magnitude, 0.75-1.3) may end in a hospital admission, with
# this probability, from shortly before its peak for 3-7 days (no measurements meanwhile).
ADMISSION_MAGNITUDE: Final = 1.1
ADMISSION_PROBABILITY: Final = 0.5
ADMITTING: Final = frozenset({"copd-exacerbation", "heart-failure-decompensation", "fever"})

# Internal physiological variables; blood pressure is two of them.
SYS: Final = "sys"
DIA: Final = "dia"
VARIABLES: Final = (SPO2, PULSE, SYS, DIA, WEIGHT, TEMPERATURE, GLUCOSE, RESPIRATION)

# Day-to-day measurement noise (standard deviation); glucose is relative.
_NOISE: Final[dict[str, float]] = {
    SPO2: 1.0,
    PULSE: 4.5,
    SYS: 7.0,
    DIA: 4.5,
    WEIGHT: 0.3,
    TEMPERATURE: 0.18,
    GLUCOSE: 0.12,
    RESPIRATION: 1.5,
}
# Amplitude of the slow drift (the patient's "good weeks and bad weeks"), in the direction of
# worsening.
_DRIFT: Final[dict[str, float]] = {
    SPO2: -1.0,
    PULSE: 3.0,
    SYS: 5.0,
    DIA: 3.0,
    WEIGHT: 0.5,
    TEMPERATURE: 0.1,
    GLUCOSE: 0.8,
    RESPIRATION: 1.0,
}
_LIMITS: Final[dict[str, tuple[float, float]]] = {
    SPO2: (50, 100),
    PULSE: (25, 220),
    SYS: (60, 260),
    DIA: (30, 150),
    WEIGHT: (30, 250),
    TEMPERATURE: (33.0, 42.5),
    GLUCOSE: (1.0, 33.3),  # meters show "HI" above 33.3 mmol/L
    RESPIRATION: (6, 50),
}


@dataclass(frozen=True, slots=True)
class EpisodeType:
    """A kind of deterioration: full-severity changes and how long each phase lasts (days).

    `effects` are added to the baseline; `targets` pull a variable towards an absolute value
    instead (hypoglycaemia drives glucose towards ~3 mmol/L whatever the baseline).
    """

    name: str
    effects: dict[str, float]
    onset: tuple[float, float]
    plateau: tuple[float, float]
    recovery: tuple[float, float]
    targets: dict[str, float] | None = None


EPISODE_TYPES: Final[dict[str, EpisodeType]] = {
    t.name: t
    for t in (
        EpisodeType(
            "copd-exacerbation",
            {SPO2: -5.0, PULSE: 15.0, TEMPERATURE: 0.5, RESPIRATION: 6.0},
            (2.0, 3.5),
            (0.5, 2.0),
            (1.0, 2.5),
        ),
        EpisodeType(
            "heart-failure-decompensation",
            {WEIGHT: 2.8, PULSE: 12.0, SPO2: -3.0, SYS: -5.0, RESPIRATION: 4.0},
            (2.5, 3.5),
            (0.5, 1.5),
            (1.5, 2.5),
        ),
        EpisodeType(
            "fever",
            {TEMPERATURE: 1.8, PULSE: 20.0, SPO2: -1.0, RESPIRATION: 3.0},
            (0.5, 1.5),
            (0.5, 2.0),
            (1.0, 2.0),
        ),
        EpisodeType(
            "bp-spike", {SYS: 35.0, DIA: 15.0, PULSE: 5.0}, (1.0, 2.5), (0.5, 2.0), (1.0, 2.0)
        ),
        EpisodeType(
            "low-bp", {SYS: -30.0, DIA: -15.0, PULSE: 15.0}, (0.5, 1.5), (0.5, 1.5), (0.5, 1.5)
        ),
        EpisodeType("hyperglycaemia", {GLUCOSE: 9.0}, (1.0, 3.0), (0.5, 2.0), (1.0, 2.0)),
        EpisodeType(
            "hypoglycaemia", {}, (0.2, 0.5), (0.3, 1.0), (0.3, 0.5), targets={GLUCOSE: 3.0}
        ),
        EpisodeType("weight-loss", {WEIGHT: -2.5, PULSE: 10.0}, (2.0, 3.5), (1.0, 2.0), (1.0, 2.0)),
    )
}


@dataclass(frozen=True, slots=True)
class Episode:
    """One deterioration of one patient, as epoch seconds and scaled effects."""

    kind: str
    start: float
    peak: float
    plateau_end: float
    end: float
    effects: dict[str, float]
    magnitude: float = 1.0
    #: (start, end) of a hospital admission during the episode, if it led to one.
    admission: tuple[float, float] | None = None

    def severity(self, t: float) -> float:
        """0 outside the episode, rising linearly to 1 at the peak, falling back to 0 at the end."""
        if t <= self.start or t >= self.end:
            return 0.0
        if t < self.peak:
            return (t - self.start) / (self.peak - self.start)
        if t <= self.plateau_end:
            return 1.0
        return (self.end - t) / (self.end - self.plateau_end)


def _baselines(programme: str, gender: str | None, h: int) -> dict[str, float]:
    """Plausible resting values for a patient on a programme, from hash `h`."""

    def u(i: int, low: float, high: float) -> float:
        return uniform(mix(h, i), low, high)

    female = gender == "female"
    spo2 = {"copd": (89, 95), "heart-failure": (93, 98)}.get(programme, (95, 99))
    pulse = {"copd": (72, 95), "heart-failure": (58, 82), "cancer": (68, 92)}.get(
        programme, (60, 85)
    )
    systolic = {"hypertension": (135, 165), "heart-failure": (105, 140)}.get(programme, (112, 145))
    if programme == "heart-failure":
        weight = (60, 95) if female else (70, 110)
    else:
        weight = (52, 95) if female else (65, 115)
        if programme in ("diabetes-t2", "hypertension"):
            weight = (weight[0] + 8, weight[1] + 10)
        elif programme == "cancer":
            weight = (weight[0] - 4, weight[1] - 10)
    sys_value = u(3, *systolic)
    dia = (
        u(4, 82, 98)
        if programme == "hypertension"
        else min(sys_value - 30, sys_value * u(4, 0.55, 0.64))
    )
    return {
        SPO2: u(1, *spo2),
        PULSE: u(2, *pulse),
        SYS: sys_value,
        DIA: dia,
        WEIGHT: u(5, *weight),
        TEMPERATURE: u(6, 36.3, 37.0),
        GLUCOSE: u(7, 5.0, 12.0) if programme == "diabetes-t2" else u(7, 4.8, 6.2),
        RESPIRATION: u(8, 16, 22) if programme == "copd" else u(8, 12, 18),
    }


class Physiology:
    """The simulated body of one patient.

    `true_value(variable, t)` is deterministic; `measure(kind, t, rng)` adds device noise,
    occasional device errors and the rounding a home device reports.
    """

    __slots__ = (
        "_episode_cache",
        "_episode_types",
        "_omega1",
        "_omega2",
        "_phase1",
        "_phase2",
        "baseline",
        "key",
        "programme",
    )

    def __init__(self, patient_id: str, programme: str, *, seed: int, gender: str | None = None):
        if programme not in PROGRAMMES:
            raise ValueError(f"unknown programme {programme!r}")
        self.key = text_key(seed, patient_id)
        self.programme = programme
        self.baseline: dict[str, float] = _baselines(programme, gender, mix(self.key, 1))
        self._episode_types = PROGRAMMES[programme].episodes
        self._omega1 = 2 * math.pi / (uniform(mix(self.key, 2), 12, 40) * DAY)
        self._omega2 = 2 * math.pi / (uniform(mix(self.key, 3), 3, 7) * DAY)
        self._phase1 = uniform(mix(self.key, 4), 0, 2 * math.pi)
        self._phase2 = uniform(mix(self.key, 5), 0, 2 * math.pi)
        self._episode_cache: dict[int, Episode | None] = {}

    def condition(self, t: float) -> float:
        """Slow drift in [-1, 1]; positive means a worse period than usual."""
        return 0.7 * math.sin(self._omega1 * t + self._phase1) + 0.3 * math.sin(
            self._omega2 * t + self._phase2
        )

    def _episode_in_window(self, window: int) -> Episode | None:
        cached = self._episode_cache.get(window, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        episode: Episode | None = None
        h = mix(self.key, 100, window)
        if unit(h) < EPISODE_PROBABILITY:
            etype = EPISODE_TYPES[weighted_pick(mix(h, 1), self._episode_types)]
            onset = uniform(mix(h, 2), *etype.onset) * DAY
            plateau = uniform(mix(h, 3), *etype.plateau) * DAY
            recovery = uniform(mix(h, 4), *etype.recovery) * DAY
            longest = (etype.onset[1] + etype.plateau[1] + etype.recovery[1]) * DAY
            start = window * EPISODE_WINDOW + uniform(mix(h, 5), 0, EPISODE_WINDOW - longest)
            magnitude = uniform(mix(h, 6), 0.75, 1.3)
            effects = {var: delta * magnitude for var, delta in etype.effects.items()}
            for var, target in (etype.targets or {}).items():
                # Towards the target (scaled 0.8-1.2) from wherever the patient usually is.
                effects[var] = target * (0.8 + 0.4 * unit(mix(h, 7))) - self.baseline[var]
            admission = None
            if (
                etype.name in ADMITTING
                and magnitude >= ADMISSION_MAGNITUDE
                and unit(mix(h, 8)) < ADMISSION_PROBABILITY
            ):
                admitted = start + onset - uniform(mix(h, 9), 0.1, 0.5) * DAY
                admission = (admitted, admitted + uniform(mix(h, 10), 3.0, 7.0) * DAY)
            episode = Episode(
                etype.name,
                start,
                start + onset,
                start + onset + plateau,
                start + onset + plateau + recovery,
                effects,
                magnitude,
                admission,
            )
        if len(self._episode_cache) > 64:
            self._episode_cache.clear()
        self._episode_cache[window] = episode
        return episode

    def episode_at(self, t: float) -> Episode | None:
        """The deterioration episode going on at epoch time `t`, if any."""
        episode = self._episode_in_window(int(t // EPISODE_WINDOW))
        if episode is not None and episode.start < t < episode.end:
            return episode
        return None

    def episodes_between(self, start: float, end: float) -> list[Episode]:
        """All deterioration episodes overlapping [start, end] (epoch seconds)."""
        found = []
        for window in range(int(start // EPISODE_WINDOW), int(end // EPISODE_WINDOW) + 1):
            episode = self._episode_in_window(window)
            if episode is not None and episode.start < end and episode.end > start:
                found.append(episode)
        return found

    def admitted(self, t: float) -> bool:
        """Whether the patient is in hospital at `t` (measures nothing)."""
        window = int(t // EPISODE_WINDOW)
        for w in (window, window - 1):
            episode = self._episode_in_window(w)
            if episode is not None and episode.admission is not None:
                a, b = episode.admission
                if a <= t < b:
                    return True
        return False

    def true_value(self, variable: str, t: float) -> float:
        """The noise-free value of a variable at epoch time `t`: baseline + drift + episode."""
        value = self.baseline[variable] + _DRIFT[variable] * self.condition(t)
        episode = self._episode_in_window(int(t // EPISODE_WINDOW))
        if episode is not None and episode.start < t < episode.end:
            delta = episode.effects.get(variable)
            if delta is not None:
                value += delta * episode.severity(t)
        return value

    def _reading(self, variable: str, t: float, rng: random.Random) -> float:
        value = self.true_value(variable, t)
        noise = _NOISE[variable]
        if variable == GLUCOSE:
            value *= 1.0 + rng.gauss(0.0, noise)
        else:
            value += rng.gauss(0.0, noise)
        low, high = _LIMITS[variable]
        return low if value < low else high if value > high else value

    def measure(self, kind: str, t: float, rng: random.Random) -> float | tuple[int, int]:
        """A device reading of measurement `kind` at epoch time `t`, rounded as devices report.

        Blood pressure returns (systolic, diastolic); everything else a number. A small share
        of readings are implausible device or technique errors.
        """
        return self.measure_truth(kind, t, rng)[0]

    def measure_truth(
        self, kind: str, t: float, rng: random.Random, *, error_probability: float | None = None
    ) -> tuple[float | tuple[int, int], bool]:
        """Like :meth:`measure`, and whether the reading is a device error (ground truth)."""
        p = ERROR_PROBABILITY if error_probability is None else error_probability
        error = rng.random() < p
        if kind == BP:
            systolic = self._reading(SYS, t, rng)
            diastolic = self._reading(DIA, t, rng)
            if error:  # moving arm, cuff too loose
                systolic += rng.choice((-1, 1)) * rng.uniform(40, 60)
                diastolic += rng.uniform(-10, 25)
            s = round(min(max(systolic, 60), 260))
            d = round(min(max(diastolic, 30), s - 10))
            return (s, d), error
        value = self._reading(kind, t, rng)
        if error:
            value = _device_error(kind, value, rng)
        if kind in (SPO2, PULSE, RESPIRATION):
            low, high = _LIMITS[kind]
            return round(min(max(value, low), high)), error
        return round(value, 1), error


def _device_error(kind: str, value: float, rng: random.Random) -> float:
    """An implausible reading of the kind home devices produce now and then."""
    if kind == SPO2:
        return rng.uniform(70, 90)  # cold finger, motion, nail polish; the pulse stays normal
    if kind == PULSE:
        return value * 2 if rng.random() < 0.5 else value / 2
    if kind == WEIGHT:
        return value + rng.choice((-1, 1)) * rng.uniform(6, 15)
    if kind == TEMPERATURE:
        return rng.uniform(34.0, 35.3)  # thermometer not in place
    if kind == GLUCOSE:
        return rng.uniform(22, 28) if rng.random() < 0.6 else rng.uniform(1.8, 2.6)
    return value * rng.uniform(0.5, 1.6)
