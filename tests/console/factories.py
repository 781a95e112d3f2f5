"""Small builders of domain objects for console tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from console.domain.model import (
    Episode,
    Measurement,
    MeasurementKind,
    Organization,
    OrganizationKind,
    Patient,
    PatientSummary,
)

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

ORGS = [
    Organization("dep-a", "Hjemmesykepleien Stavanger sentrum", OrganizationKind.DEPARTMENT),
    Organization("dep-b", "Frisklivssentralen Sandnes", OrganizationKind.DEPARTMENT),
]


def summary(
    pid: str,
    given: str,
    family: str,
    *,
    dept: str = "dep-a",
    programme: str = "copd",
    spo2: float | None = None,
    pulse: float | None = None,
    minutes_ago: float = 10,
    fnr: str = "",
) -> PatientSummary:
    s = PatientSummary(
        patient=Patient(pid, given, family, date(1950, 5, 17), fnr or None, "female"),
        episode=Episode(f"eoc-{pid}", pid, dept, programme, programme),
    )
    when = NOW - timedelta(minutes=minutes_ago)
    if spo2 is not None:
        s.apply(Measurement(pid, MeasurementKind.SPO2, spo2, when, "%"))
    if pulse is not None:
        s.apply(Measurement(pid, MeasurementKind.PULSE, pulse, when, "/min"))
    return s


def measurement(
    pid: str, kind: MeasurementKind, value: float, minutes_ago: float = 0
) -> Measurement:
    return Measurement(pid, kind, value, NOW - timedelta(minutes=minutes_ago))
