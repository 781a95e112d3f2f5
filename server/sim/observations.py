"""Build vital-signs Observation dicts exactly as docs/contract.md describes.

The history generator calls this over a million times for a large population, so the builders
are plain dict literals with no validation; every call returns fresh objects (nothing shared
between Observations), so a consumer may mutate what it gets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Final

from server.sim.programmes import (
    BP,
    LOINC,
    MEASUREMENTS,
    OBSERVATION_CATEGORY_SYSTEM,
    UCUM,
)

Builder = Callable[[str, str, Any, "str | None"], dict[str, Any]]


def iso_utc(t: float) -> str:
    """FHIR dateTime in UTC with `Z`, second precision, for epoch seconds `t`."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def iso_utc_datetime(moment: datetime) -> str:
    """FHIR dateTime in UTC with `Z`, second precision, for an aware datetime."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _category() -> list[dict[str, Any]]:
    return [
        {
            "coding": [
                {
                    "system": OBSERVATION_CATEGORY_SYSTEM,
                    "code": "vital-signs",
                    "display": "Vital Signs",
                }
            ],
            "text": "Vital Signs",
        }
    ]


def _quantity_builder(kind: str) -> Builder:
    m = MEASUREMENTS[kind]
    codings = m.codings
    text, unit, unit_display = m.text, m.unit, m.unit_display

    def build(subject: str, effective: str, value: Any, obs_id: str | None) -> dict[str, Any]:
        obs: dict[str, Any] = {"resourceType": "Observation"}
        if obs_id is not None:
            obs["id"] = obs_id
        obs["status"] = "final"
        obs["category"] = _category()
        obs["code"] = {
            "coding": [{"system": LOINC, "code": c, "display": d} for c, d in codings],
            "text": text,
        }
        obs["subject"] = {"reference": subject}
        obs["effectiveDateTime"] = effective
        obs["valueQuantity"] = {
            "value": value,
            "unit": unit_display,
            "system": UCUM,
            "code": unit,
        }
        return obs

    return build


def _bp_builder() -> Builder:
    m = MEASUREMENTS[BP]
    ((code, display),) = m.codings
    (sys_code, sys_display, sys_text), (dia_code, dia_display, dia_text) = m.components
    text, unit, unit_display = m.text, m.unit, m.unit_display

    def build(subject: str, effective: str, value: Any, obs_id: str | None) -> dict[str, Any]:
        systolic, diastolic = value
        obs: dict[str, Any] = {"resourceType": "Observation"}
        if obs_id is not None:
            obs["id"] = obs_id
        obs["status"] = "final"
        obs["category"] = _category()
        obs["code"] = {
            "coding": [{"system": LOINC, "code": code, "display": display}],
            "text": text,
        }
        obs["subject"] = {"reference": subject}
        obs["effectiveDateTime"] = effective
        obs["component"] = [
            {
                "code": {
                    "coding": [{"system": LOINC, "code": sys_code, "display": sys_display}],
                    "text": sys_text,
                },
                "valueQuantity": {
                    "value": systolic,
                    "unit": unit_display,
                    "system": UCUM,
                    "code": unit,
                },
            },
            {
                "code": {
                    "coding": [{"system": LOINC, "code": dia_code, "display": dia_display}],
                    "text": dia_text,
                },
                "valueQuantity": {
                    "value": diastolic,
                    "unit": unit_display,
                    "system": UCUM,
                    "code": unit,
                },
            },
        ]
        return obs

    return build


BUILDERS: Final[dict[str, Builder]] = {
    kind: (_bp_builder() if kind == BP else _quantity_builder(kind)) for kind in MEASUREMENTS
}


def observation(
    kind: str,
    subject: str,
    effective: str,
    value: float | tuple[int, int],
    obs_id: str | None = None,
) -> dict[str, Any]:
    """A vital-signs Observation of measurement `kind` (a key of MEASUREMENTS).

    `subject` is a reference such as "Patient/123", `effective` a FHIR dateTime, `value` a
    number or (systolic, diastolic) for blood pressure.
    """
    return BUILDERS[kind](subject, effective, value, obs_id)
