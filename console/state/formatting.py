"""Display texts for values and ages, translated, in the user's locale (decimal comma in nb)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from console.domain.model import Measurement, MeasurementKind, Triage

_CTX = "Formatting"


def tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def format_age(seconds: float) -> str:
    """Short age like a nurse says it: "now", "5 min", "3 h", "2 d"."""
    if seconds < 60:
        return QCoreApplication.translate(_CTX, "now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate(_CTX, "%n min", "", minutes)
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate(_CTX, "%n h", "", hours)
    return QCoreApplication.translate(_CTX, "%n d", "", hours // 24)


def format_value(m: Measurement, locale: QLocale | None = None) -> str:
    loc = locale or QLocale()
    kind = m.kind
    if kind is MeasurementKind.BLOOD_PRESSURE:
        if m.value2 is None:
            return f"{m.value:.0f}"
        return f"{m.value:.0f}/{m.value2:.0f}"
    if kind in (MeasurementKind.PULSE, MeasurementKind.SPO2, MeasurementKind.RESPIRATORY_RATE):
        return loc.toString(round(m.value))
    return loc.toString(m.value, "f", 1)


def triage_text(level: Triage) -> str:
    return {
        Triage.RED: QCoreApplication.translate(_CTX, "Red"),
        Triage.YELLOW: QCoreApplication.translate(_CTX, "Yellow"),
        Triage.GREEN: QCoreApplication.translate(_CTX, "Green"),
        Triage.NO_DATA: QCoreApplication.translate(_CTX, "No data"),
    }[level]


def triage_description(level: Triage) -> str:
    """Longer text for tooltips and screen readers."""
    return {
        Triage.RED: QCoreApplication.translate(_CTX, "Red: acute worsening"),
        Triage.YELLOW: QCoreApplication.translate(_CTX, "Yellow: early worsening"),
        Triage.GREEN: QCoreApplication.translate(_CTX, "Green: within the plan"),
        Triage.NO_DATA: QCoreApplication.translate(_CTX, "No measurements received"),
    }[level]


def programme_text(code: str, fallback: str) -> str:
    names = {
        "copd": QCoreApplication.translate(_CTX, "COPD"),
        "heart-failure": QCoreApplication.translate(_CTX, "Heart failure"),
        "diabetes-t2": QCoreApplication.translate(_CTX, "Type 2 diabetes"),
        "hypertension": QCoreApplication.translate(_CTX, "Hypertension"),
        "cancer": QCoreApplication.translate(_CTX, "Cancer follow-up"),
        "rehabilitation": QCoreApplication.translate(_CTX, "Rehabilitation"),
    }
    return names.get(code, fallback or code)


def measurement_header(kind: MeasurementKind) -> str:
    return {
        MeasurementKind.BLOOD_PRESSURE: QCoreApplication.translate(_CTX, "BP (mmHg)"),
        MeasurementKind.PULSE: QCoreApplication.translate(_CTX, "Pulse (/min)"),
        MeasurementKind.SPO2: QCoreApplication.translate(_CTX, "SpO₂ (%)"),
        MeasurementKind.WEIGHT: QCoreApplication.translate(_CTX, "Weight (kg)"),
        MeasurementKind.GLUCOSE: QCoreApplication.translate(_CTX, "Glucose (mmol/L)"),
        MeasurementKind.TEMPERATURE: QCoreApplication.translate(_CTX, "Temp. (°C)"),
        MeasurementKind.RESPIRATORY_RATE: QCoreApplication.translate(_CTX, "Resp. rate (/min)"),
    }[kind]
