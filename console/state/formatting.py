"""Display texts for values and ages, translated, in the user's locale (decimal comma in nb)."""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLocale

from console import settings
from console.domain.model import Measurement, MeasurementKind, Triage

# Contexts are literal strings throughout so that pyside6-lupdate can find every message.


@functools.cache
def centre_zone() -> ZoneInfo:
    """The response centre's zone (`centre/time_zone`, Europe/Oslo): every time the console
    shows or writes is in it, whatever zone the computer is set to."""
    return settings.time_zone()


def local_time(when: datetime) -> datetime:
    return when.astimezone(centre_zone())


def clock_text(when: datetime) -> str:
    """ "14:05" in the centre's zone."""
    return local_time(when).strftime("%H:%M")


def date_time_text(when: datetime) -> str:
    """ "22.11.2026 14:05" in the centre's zone."""
    return local_time(when).strftime("%d.%m.%Y %H:%M")


def epoch_text(epoch: float) -> str:
    return date_time_text(datetime.fromtimestamp(epoch, centre_zone()))


def format_age(seconds: float) -> str:
    """Short age like a nurse says it: "now", "5 min", "3 h", "2 d"."""
    if seconds < 60:
        return QCoreApplication.translate("Formatting", "now")
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("Formatting", "%1 min").replace("%1", str(minutes))
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate("Formatting", "%1 h").replace("%1", str(hours))
    return QCoreApplication.translate("Formatting", "%1 d").replace("%1", str(hours // 24))


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
        Triage.RED: QCoreApplication.translate("Formatting", "Red"),
        Triage.YELLOW: QCoreApplication.translate("Formatting", "Yellow"),
        Triage.GREEN: QCoreApplication.translate("Formatting", "Green"),
        Triage.NO_DATA: QCoreApplication.translate("Formatting", "No data"),
    }[level]


def triage_description(level: Triage) -> str:
    """Longer text for tooltips and screen readers."""
    return {
        Triage.RED: QCoreApplication.translate("Formatting", "Red: acute worsening"),
        Triage.YELLOW: QCoreApplication.translate("Formatting", "Yellow: early worsening"),
        Triage.GREEN: QCoreApplication.translate("Formatting", "Green: within the plan"),
        Triage.NO_DATA: QCoreApplication.translate("Formatting", "No measurements received"),
    }[level]


def programme_text(code: str, fallback: str) -> str:
    names = {
        "copd": QCoreApplication.translate("Formatting", "COPD"),
        "heart-failure": QCoreApplication.translate("Formatting", "Heart failure"),
        "diabetes-t2": QCoreApplication.translate("Formatting", "Type 2 diabetes"),
        "hypertension": QCoreApplication.translate("Formatting", "Hypertension"),
        "cancer": QCoreApplication.translate("Formatting", "Cancer follow-up"),
        "rehabilitation": QCoreApplication.translate("Formatting", "Rehabilitation"),
        "wounds": QCoreApplication.translate("Formatting", "Wound care"),
        "dementia-relatives": QCoreApplication.translate("Formatting", "Dementia, with relatives"),
    }
    return names.get(code, fallback or code)


def measurement_header(kind: MeasurementKind) -> str:
    return {
        MeasurementKind.BLOOD_PRESSURE: QCoreApplication.translate("Formatting", "BP (mmHg)"),
        MeasurementKind.PULSE: QCoreApplication.translate("Formatting", "Pulse (/min)"),
        MeasurementKind.SPO2: QCoreApplication.translate("Formatting", "SpO₂ (%)"),
        MeasurementKind.WEIGHT: QCoreApplication.translate("Formatting", "Weight (kg)"),
        MeasurementKind.GLUCOSE: QCoreApplication.translate("Formatting", "Gluc. (mmol/L)"),
        MeasurementKind.TEMPERATURE: QCoreApplication.translate("Formatting", "Temp. (°C)"),
        MeasurementKind.RESPIRATORY_RATE: QCoreApplication.translate(
            "Formatting", "Resp. rate (/min)"
        ),
    }[kind]
