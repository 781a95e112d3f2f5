"""Default alert levels from the response centres' starting templates (see design/domain.md).

These are the console's own first look at a value, used until the patient's own thresholds
(ServiceRequest reference ranges) are loaded; they are templates, not clinical advice.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.model import Measurement, MeasurementKind, Triage


@dataclass(frozen=True, slots=True)
class Band:
    """Values outside [low, high] reach this band's level. None means no bound on that side."""

    low: float | None = None
    high: float | None = None

    def breached(self, value: float) -> bool:
        return (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        )


@dataclass(frozen=True, slots=True)
class Thresholds:
    yellow: Band
    red: Band

    def classify(self, value: float) -> Triage:
        if self.red.breached(value):
            return Triage.RED
        if self.yellow.breached(value):
            return Triage.YELLOW
        return Triage.GREEN


# Yellow band bounds are where yellow starts: SpO2 90-93 is yellow, so values below 94 are yellow.
GENERAL_THRESHOLDS: dict[MeasurementKind, Thresholds] = {
    MeasurementKind.SPO2: Thresholds(yellow=Band(low=94), red=Band(low=90)),
    MeasurementKind.PULSE: Thresholds(yellow=Band(low=50, high=110), red=Band(low=40, high=130)),
    MeasurementKind.BLOOD_PRESSURE: Thresholds(
        yellow=Band(low=100, high=160), red=Band(low=90, high=180)
    ),
    MeasurementKind.TEMPERATURE: Thresholds(yellow=Band(high=37.9), red=Band(low=35.0, high=38.9)),
    MeasurementKind.GLUCOSE: Thresholds(yellow=Band(high=15.0), red=Band(low=4.0, high=20.0)),
}

#: Programme templates that differ from the general ones (COPD patients live with lower SpO2).
PROGRAMME_THRESHOLDS: dict[str, dict[MeasurementKind, Thresholds]] = {
    "copd": {MeasurementKind.SPO2: Thresholds(yellow=Band(low=88), red=Band(low=86))},
}


def thresholds_for(programme: str | None, kind: MeasurementKind) -> Thresholds | None:
    specific = PROGRAMME_THRESHOLDS.get(programme or "", {})
    return specific.get(kind) or GENERAL_THRESHOLDS.get(kind)


def classify(measurement: Measurement, programme: str | None = None) -> Triage:
    """Level of one measurement; blood pressure is judged on the systolic value."""
    limits = thresholds_for(programme, measurement.kind)
    if limits is None:
        return Triage.GREEN
    return limits.classify(measurement.value)
