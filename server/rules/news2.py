"""NEWS2 (Royal College of Physicians, 2017) from the latest values, saying when it is partial.

Home data usually lacks respiration rate, consciousness and whether the patient breathes air or
oxygen, so :func:`news2` scores what it has, lists what is missing and sets ``partial``. Bands
are applied as upper bounds (``<= 8``, ``<= 11`` ...) so in-between values (a respiration rate
of 11.5, a temperature of 35.05) fall into the band whose upper bound they do not exceed.
SpO2 scale 2 is for hypercapnic respiratory failure (selected COPD patients, from their plan).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

RESPIRATION: Final = "respiration-rate"
SPO2: Final = "spo2"
OXYGEN: Final = "air-or-oxygen"
SYSTOLIC: Final = "systolic-bp"
PULSE: Final = "pulse"
CONSCIOUSNESS: Final = "consciousness"
TEMPERATURE: Final = "temperature"
PARAMETERS: Final = (RESPIRATION, SPO2, OXYGEN, SYSTOLIC, PULSE, CONSCIOUSNESS, TEMPERATURE)

# (inclusive upper bound, score) in increasing order; the last bound is +inf.
INF: Final = float("inf")
_RESPIRATION: Final = ((8, 3), (11, 1), (20, 0), (24, 2), (INF, 3))
_SPO2_SCALE1: Final = ((91, 3), (93, 2), (95, 1), (INF, 0))
_SPO2_SCALE2_AIR: Final = ((83, 3), (85, 2), (87, 1), (INF, 0))
_SPO2_SCALE2_OXYGEN: Final = ((83, 3), (85, 2), (87, 1), (92, 0), (94, 1), (96, 2), (INF, 3))
_SYSTOLIC: Final = ((90, 3), (100, 2), (110, 1), (219, 0), (INF, 3))
_PULSE: Final = ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2), (INF, 3))
_TEMPERATURE: Final = ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1), (INF, 2))

LOW: Final = "low"
LOW_MEDIUM: Final = "low-medium"
MEDIUM: Final = "medium"
HIGH: Final = "high"
BAND_DISPLAY: Final = {LOW: "Lav", LOW_MEDIUM: "Lav–middels", MEDIUM: "Middels", HIGH: "Høy"}


def _score(value: float, table: Sequence[tuple[float, int]]) -> int:
    for bound, score in table:
        if value <= bound + 1e-9:
            return score
    raise AssertionError("tables end with +inf")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class News2Input:
    """The latest values; None = not measured. `consciousness` is ACVPU: "A" alert, else new
    confusion "C", voice "V", pain "P", unresponsive "U"."""

    respiration: float | None = None
    spo2: float | None = None
    on_oxygen: bool | None = None
    systolic: float | None = None
    pulse: float | None = None
    consciousness: str | None = None
    temperature: float | None = None


@dataclass(frozen=True, slots=True)
class News2Result:
    total: int
    subscores: dict[str, int]
    band: str
    partial: bool
    missing: list[str] = field(default_factory=list)
    scale: int = 1


def spo2_score(spo2: float, *, scale2: bool, on_oxygen: bool | None) -> int:
    """SpO2 subscore; on scale 2, values of 93 % and above only score on oxygen."""
    if not scale2:
        return _score(spo2, _SPO2_SCALE1)
    return _score(spo2, _SPO2_SCALE2_OXYGEN if on_oxygen else _SPO2_SCALE2_AIR)


def risk_band(total: int, subscores: dict[str, int]) -> str:
    if total >= 7:
        return HIGH
    if total >= 5:
        return MEDIUM
    if any(score == 3 for score in subscores.values()):
        return LOW_MEDIUM
    return LOW


def news2(values: News2Input, *, scale2: bool = False) -> News2Result:
    """Total, per-parameter subscores, clinical risk band, and what was missing."""
    sub: dict[str, int] = {}
    missing: list[str] = []
    if values.respiration is not None:
        sub[RESPIRATION] = _score(values.respiration, _RESPIRATION)
    else:
        missing.append(RESPIRATION)
    if values.spo2 is not None:
        sub[SPO2] = spo2_score(values.spo2, scale2=scale2, on_oxygen=values.on_oxygen)
    else:
        missing.append(SPO2)
    if values.on_oxygen is not None:
        sub[OXYGEN] = 2 if values.on_oxygen else 0
    else:
        missing.append(OXYGEN)
    if values.systolic is not None:
        sub[SYSTOLIC] = _score(values.systolic, _SYSTOLIC)
    else:
        missing.append(SYSTOLIC)
    if values.pulse is not None:
        sub[PULSE] = _score(values.pulse, _PULSE)
    else:
        missing.append(PULSE)
    if values.consciousness is not None:
        sub[CONSCIOUSNESS] = 0 if values.consciousness.upper() == "A" else 3
    else:
        missing.append(CONSCIOUSNESS)
    if values.temperature is not None:
        sub[TEMPERATURE] = _score(values.temperature, _TEMPERATURE)
    else:
        missing.append(TEMPERATURE)
    total = sum(sub.values())
    return News2Result(
        total=total,
        subscores=sub,
        band=risk_band(total, sub),
        partial=bool(missing),
        missing=missing,
        scale=2 if scale2 else 1,
    )
