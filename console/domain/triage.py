"""Alert levels of a value: the patient's own limits where the plan has them, else templates.

Each patient's thresholds are their own (the plan's ServiceRequests, `alert-thresholds`,
read by `console.fhir.patient_record.plan_limits_from_fhir`); the server's rules use only
those. The templates below (design/domain.md) are what the list falls back to for a patient,
or a measurement, without limits of its own, and it says so ("standard limits"); they are
templates, not clinical advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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

#: Diastolic pressure (judged alongside the systolic one, as the server's rules do).
DIASTOLIC_THRESHOLDS = Thresholds(yellow=Band(high=100), red=Band(high=110))

#: Programme templates that differ from the general ones (COPD patients live with lower SpO2).
PROGRAMME_THRESHOLDS: dict[str, dict[MeasurementKind, Thresholds]] = {
    "copd": {MeasurementKind.SPO2: Thresholds(yellow=Band(low=88), red=Band(low=86))},
}


def thresholds_for(programme: str | None, kind: MeasurementKind) -> Thresholds | None:
    specific = PROGRAMME_THRESHOLDS.get(programme or "", {})
    return specific.get(kind) or GENERAL_THRESHOLDS.get(kind)


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """A patient's own limits, per measurement kind, from the plan (kinds absent: template)."""

    limits: Mapping[MeasurementKind, Thresholds] = field(default_factory=dict)
    #: Diastolic limits of the blood-pressure plan, when it states them.
    diastolic: Thresholds | None = None

    @property
    def empty(self) -> bool:
        return not self.limits and self.diastolic is None

    def own(self, kind: MeasurementKind) -> bool:
        """Whether `kind` is judged on the patient's own limits (not a template)."""
        if kind is MeasurementKind.BLOOD_PRESSURE:
            return kind in self.limits or self.diastolic is not None
        return kind in self.limits


def classify(
    measurement: Measurement, programme: str | None = None, plan: PlanLimits | None = None
) -> Triage:
    """Level of one measurement on the patient's own limits, else the template.

    Blood pressure is judged on both values (the worse counts), like the server's rules.
    """
    kind = measurement.kind
    own = plan.limits.get(kind) if plan is not None else None
    limits = own or thresholds_for(programme, kind)
    level = Triage.GREEN if limits is None else limits.classify(measurement.value)
    if kind is MeasurementKind.BLOOD_PRESSURE and measurement.value2 is not None:
        diastolic = (plan.diastolic if plan is not None else None) or DIASTOLIC_THRESHOLDS
        level = max(level, diastolic.classify(measurement.value2))
    return level
