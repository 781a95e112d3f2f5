"""The CapabilityStatement, generated from the store's registry so it never drifts from it."""

from __future__ import annotations

from typing import Any

from server.clock import SimClock
from server.profile import PROFILE_EXTENSION, ServerProfile
from server.store.registry import RESOURCE_TYPES
from server.store.search import revinclude_candidates

LASTN_DEFINITION = "http://hl7.org/fhir/OperationDefinition/Observation-lastn"
# The lead's review facts (server/api/review_route.py), on servers with our extensions.
REVIEW_STATS = {
    "name": "review-stats",
    "definition": "http://dho.example/fhir/OperationDefinition/review-stats",
}
WS_EXTENSION = "http://dho.example/fhir/StructureDefinition/websocket-notifications"
ESCALATION_EXTENSION = "http://dho.example/fhir/StructureDefinition/server-escalation"
GROUND_TRUTH_DEFINITION = "http://dho.example/fhir/OperationDefinition/ground-truth"
_TYPE_NAMES = {"token": "token", "reference": "reference", "date": "date", "string": "string"}

# Result parameters every search takes (rest.searchParam), documented once.
COMMON_PARAMS = [
    ("_count", "number", "Page size (default 50, max 1000); 0 = count only"),
    ("_sort", "string", "Sort keys, '-' for descending: _id, _lastUpdated, date and string params"),
    ("_include", "special", "<Type>:<reference param>[:<target>] for any reference parameter"),
    ("_revinclude", "special", "<Type>:<reference param>[:<target>]: resources pointing here"),
    ("_summary", "token", "count (just the total) or false"),
    ("_total", "token", "none | estimate | accurate (default accurate)"),
    ("_elements", "string", "Top-level elements to return; the result is tagged SUBSETTED"),
    ("_format", "token", "json / application/fhir+json only"),
]
HISTORY_DOC = (
    "_history (instance, type, system) lists versions in change order, oldest first "
    "(_sort=-_lastUpdated for newest first), with _since (versions last updated at or after "
    "the instant), _count and _cursor paging (next links), _summary=count and _total."
)


def capability_statement(
    base_url: str,
    *,
    software_version: str,
    date: str,
    profile: ServerProfile = ServerProfile.NORMAL,
    clock: SimClock | None = None,
    escalation_after: float | None = None,
) -> dict[str, Any]:
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
            "versioning": "versioned-update",
            "readHistory": True,
            "updateCreate": False,
            "conditionalCreate": True,
            "conditionalRead": "not-supported",
            "conditionalUpdate": False,
            "conditionalDelete": "not-supported",
            "interaction": [
                {"code": "read"},
                {"code": "vread"},
                {"code": "update", "documentation": 'Requires If-Match: W/"<versionId>"'},
                {"code": "delete", "documentation": "Versioned tombstone; read answers 410"},
                {"code": "create", "documentation": "Conditional with If-None-Exist"},
                {"code": "search-type"},
                {"code": "history-instance"},
                {"code": "history-type"},
            ],
            "searchInclude": [f"{rt.name}:{p.name}" for p in rt.params if p.kind == "reference"],
            "searchRevInclude": revinclude_candidates(rt),
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
    extensions: list[dict[str, Any]] = [
        {"url": PROFILE_EXTENSION, "valueCode": profile.value},
        {"url": WS_EXTENSION, "valueUrl": "/ws/notifications"},
    ]
    if clock is not None:
        extensions.append(clock.capability_extension())
    if escalation_after is not None and profile.extensions:
        # The server escalates unclaimed high alerts itself (counted in service hours):
        # consoles must not escalate on their own.
        extensions.append(
            {
                "url": ESCALATION_EXTENSION,
                "extension": [
                    {
                        "url": "after",
                        "valueDuration": {
                            "value": round(escalation_after / 60, 2),
                            "unit": "min",
                            "system": "http://unitsofmeasure.org",
                            "code": "min",
                        },
                    },
                    {"url": "serviceHours", "valueBoolean": True},
                ],
            }
        )
    operations: list[dict[str, Any]] = [{"name": "lastn", "definition": LASTN_DEFINITION}]
    if profile.extensions:
        operations.append(REVIEW_STATS)
    if profile.is_training:
        operations.append({"name": "ground-truth", "definition": GROUND_TRUTH_DEFINITION})
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
                "documentation": "Search paging is keyset based (_cursor in next links). "
                + HISTORY_DOC
                + " Updates must carry If-Match (428 without, 412 when stale).",
                "extension": extensions,
                "resource": resources,
                "interaction": [{"code": "history-system"}],
                "searchParam": [
                    {"name": name, "type": kind, "documentation": doc}
                    for name, kind, doc in COMMON_PARAMS
                ],
                "operation": operations,
            }
        ],
    }
