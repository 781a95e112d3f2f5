"""The CapabilityStatement, generated from the store's registry so it never drifts from it."""

from __future__ import annotations

from typing import Any

from server.store.registry import RESOURCE_TYPES

LASTN_DEFINITION = "http://hl7.org/fhir/OperationDefinition/Observation-lastn"
WS_EXTENSION = "http://dho.example/fhir/StructureDefinition/websocket-notifications"
_TYPE_NAMES = {"token": "token", "reference": "reference", "date": "date", "string": "string"}


def capability_statement(base_url: str, *, software_version: str, date: str) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for rt in RESOURCE_TYPES.values():
        params = [
            {"name": "_id", "type": "token", "documentation": "Logical id"},
            {"name": "_lastUpdated", "type": "date", "documentation": "When last changed"},
        ]
        params += [
            {"name": p.name, "type": _TYPE_NAMES[p.kind], "documentation": p.description}
            for p in rt.params
        ]
        sorts = ["_id", "_lastUpdated"] + [
            p.name for p in rt.params if p.kind in ("date", "string")
        ]
        entry: dict[str, Any] = {
            "type": rt.name,
            "versioning": "versioned",
            "readHistory": True,
            "updateCreate": False,
            "conditionalCreate": False,
            "interaction": [
                {"code": "read"},
                {"code": "vread"},
                {"code": "create"},
                {"code": "search-type"},
            ],
            "searchInclude": [f"{rt.name}:{p.name}" for p in rt.params if p.kind == "reference"],
            "searchParam": params,
            "extension": [
                {
                    "url": "http://dho.example/fhir/StructureDefinition/sort-parameters",
                    "valueString": ",".join(sorts),
                }
            ],
        }
        if rt.name == "Observation":
            entry["operation"] = [{"name": "lastn", "definition": LASTN_DEFINITION}]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "DHO reference backend",
        "kind": "instance",
        "software": {"name": "dho-server", "version": software_version},
        "implementation": {"description": "DHO reference FHIR backend", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Search paging is keyset based (_cursor in next links).",
                "extension": [
                    {"url": WS_EXTENSION, "valueUrl": "/ws/notifications"},
                ],
                "resource": resources,
                "operation": [{"name": "lastn", "definition": LASTN_DEFINITION}],
            }
        ],
    }
