"""NEWS2 (Royal College of Physicians, 2017) from home measurements, honest about what is missing.

Home data rarely has respiration rate, consciousness (ACVPU) or whether the patient is on
oxygen, so the score is usually *partial*: it adds up only the parameters that were measured
recently and names the ones that were not. A partial score is a lower bound, never "normal".
SpO2 is scored on scale 1; scale 2 (hypercapnic COPD) needs a clinician's decision.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from console.domain.model import Measurement, MeasurementKind


class News2Parameter(enum.StrEnum):
    RESPIRATION_RATE = "respiration-rate"
    SPO2 = "spo2"
    AIR_OR_OXYGEN = "air-or-oxygen"
    SYSTOLIC_BP = "systolic-bp"
    PULSE = "pulse"
    CONSCIOUSNESS = "consciousness"
    TEMPERATURE = "temperature"


_KIND_PARAMETER: dict[MeasurementKind, News2Parameter] = {
    MeasurementKind.RESPIRATORY_RATE: News2Parameter.RESPIRATION_RATE,
    MeasurementKind.SPO2: News2Parameter.SPO2,
    MeasurementKind.BLOOD_PRESSURE: News2Parameter.SYSTOLIC_BP,
    MeasurementKind.PULSE: News2Parameter.PULSE,
    MeasurementKind.TEMPERATURE: News2Parameter.TEMPERATURE,
}


@dataclass(frozen=True, slots=True)
class News2:
    score: int
    #: Points per parameter that was measured.
    parts: dict[News2Parameter, int]
    missing: tuple[News2Parameter, ...]
    #: Whether the server computed it ($news2) or the console did.
    source: str = "console"
    as_of: datetime | None = None

    @property
    def partial(self) -> bool:
        return bool(self.missing)


def score_parameter(parameter: News2Parameter, value: float) -> int:
    if parameter is News2Parameter.RESPIRATION_RATE:
        return (
            3 if value <= 8 else 1 if value <= 11 else 0 if value <= 20 else 2 if value <= 24 else 3
        )
    if parameter is News2Parameter.SPO2:
        return 3 if value <= 91 else 2 if value <= 93 else 1 if value <= 95 else 0
    if parameter is News2Parameter.SYSTOLIC_BP:
        if value >= 220:
            return 3
        return 3 if value <= 90 else 2 if value <= 100 else 1 if value <= 110 else 0
    if parameter is News2Parameter.PULSE:
        if value <= 40:
            return 3
        return (
            1
            if value <= 50
            else 0
            if value <= 90
            else 1
            if value <= 110
            else 2
            if value <= 130
            else 3
        )
    if parameter is News2Parameter.TEMPERATURE:
        if value <= 35.0:
            return 3
        return 1 if value <= 36.0 else 0 if value <= 38.0 else 1 if value <= 39.0 else 2
    raise ValueError(f"{parameter} is not scored from a number")


def compute_news2(
    latest: Iterable[Measurement], *, now: datetime, max_age: timedelta = timedelta(hours=24)
) -> News2:
    """Score the newest measurement of each parameter taken within `max_age` before `now`."""
    newest: dict[News2Parameter, Measurement] = {}
    for m in latest:
        parameter = _KIND_PARAMETER.get(m.kind)
        if parameter is None or m.time > now or now - m.time > max_age:
            continue
        current = newest.get(parameter)
        if current is None or m.time > current.time:
            newest[parameter] = m
    parts = {p: score_parameter(p, m.value) for p, m in newest.items()}
    missing = tuple(p for p in News2Parameter if p not in parts)
    as_of = max((m.time for m in newest.values()), default=None)
    return News2(sum(parts.values()), parts, missing, "console", as_of)
