"""Builders of alert Task JSON (the shape in docs/contract.md) for console alert tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.alerts import Operator
from console.fhir.alerts import INPUT_SYSTEM, RULE_SYSTEM, instant

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ME = Operator("prac-me", "Ola Sykepleier", "nurse", ("dep-a",))
KARI = Operator("prac-kari", "Kari Nordmann", "nurse", ("dep-a",))
LEAD = Operator("prac-lead", "Lise Leder", "lead", ("dep-a",))

LABELS = {
    "threshold-spo2": "SpO₂",
    "threshold-pulse": "Puls",
    "threshold-temperature": "Temperatur",
}
UNITS = {"threshold-spo2": "%", "threshold-pulse": "/min", "threshold-temperature": "Cel"}


def task(
    tid: str,
    pid: str,
    *,
    rule: str = "threshold-spo2",
    priority: str = "asap",
    status: str = "requested",
    minutes_ago: float = 3,
    value: float | None = 86,
    threshold: float | None = 88,
    comparator: str = "<",
    dept: str = "dep-a",
    version: str = "1",
    owner: Operator | None = None,
    focus: str | None = None,
    description: str = "",
    name: str | None = None,
    now: datetime = NOW,
) -> dict[str, Any]:
    authored = now - timedelta(minutes=minutes_ago)
    unit = UNITS.get(rule, "%")
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "id": tid,
        "meta": {"versionId": version, "lastUpdated": instant(authored)},
        "status": status,
        "intent": "order",
        "priority": priority,
        "code": {"coding": [{"system": RULE_SYSTEM, "code": rule}]},
        "for": {"reference": f"Patient/{pid}", **({"display": name} if name else {})},
        "focus": {"reference": focus or f"Observation/obs-{tid}"},
        "authoredOn": instant(authored),
        "lastModified": instant(authored),
        "restriction": {"recipient": [{"reference": f"Organization/{dept}"}]},
    }
    if description:
        resource["description"] = description
    # The rule engine's shape: per breach a trigger, a level, the value, the threshold in words
    # and the limit as a quantity (server/rules/engine.py).
    label = LABELS.get(rule, "SpO₂")
    level = "red" if priority == "asap" else "yellow"
    word = "rød" if level == "red" else "gul"
    inputs: list[dict[str, Any]] = [
        {"type": _type("trigger"), "valueReference": {"reference": resource["focus"]["reference"]}},
        {"type": _type("level"), "valueCode": level},
    ]
    if value is not None:
        inputs.append(
            {"type": _type("value", label), "valueQuantity": {"value": value, "code": unit}}
        )
    if threshold is not None:
        inputs += [
            {
                "type": _type("threshold", label),
                "valueString": f"{word}: {comparator} {threshold:g} {unit}",
            },
            {"type": _type("limit", label), "valueQuantity": {"value": threshold, "code": unit}},
        ]
    resource["input"] = inputs
    if owner is not None:
        resource["owner"] = {
            "reference": f"Practitioner/{owner.practitioner_id}",
            "display": owner.display_name,
        }
    return resource


def _type(code: str, text: str = "") -> dict[str, Any]:
    concept: dict[str, Any] = {"coding": [{"system": INPUT_SYSTEM, "code": code}]}
    if text:
        concept["text"] = text
    return concept


def patient(pid: str, given: str, family: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": pid,
        "meta": {"versionId": "1"},
        "name": [{"given": [given], "family": family}],
    }


def bundle(*resources: dict[str, Any], included: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources]
        + [{"resource": r, "search": {"mode": "include"}} for r in included],
    }


def utc(minutes: float = 0) -> datetime:
    return NOW + timedelta(minutes=minutes)
