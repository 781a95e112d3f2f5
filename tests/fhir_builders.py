"""FHIR resources tests post to the real backend, written once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

VITAL_SIGNS = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs",
        }
    ]
}


def spo2(patient_id: str, value: float, when: datetime | None = None) -> dict[str, Any]:
    """An SpO2 Observation as a pulse oximeter app sends it (both LOINC codes)."""
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [VITAL_SIGNS],
        "code": {
            "coding": [
                {"system": "http://loinc.org", "code": "2708-6"},
                {"system": "http://loinc.org", "code": "59408-5"},
            ]
        },
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": (when or datetime.now(UTC)).isoformat(),
        "valueQuantity": {
            "value": value,
            "unit": "%",
            "system": "http://unitsofmeasure.org",
            "code": "%",
        },
    }
