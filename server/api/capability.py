"""The CapabilityStatement, generated from the store's registry so it never drifts from it."""

from __future__ import annotations

from typing import Any

from server.api.plain import MAX_OFFSET, capability_resource
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
#: The R4 core extension naming the websocket of ``channel.type = websocket`` Subscriptions.
R4_WS_EXTENSION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket"
#: Who raises alert Tasks: ``server`` (our rules engine) or absent (the console's own rules).
ALERT_RULES_EXTENSION = "http://dho.example/fhir/StructureDefinition/alert-rules"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport"
BACKPORT_SUBSCRIPTION = f"{BACKPORT}/StructureDefinition/backport-subscription"
TOPIC_CANONICAL = f"{BACKPORT}/StructureDefinition/capabilitystatement-subscriptiontopic-canonical"
BINDING_TOKEN = f"{BACKPORT}/OperationDefinition/backport-subscription-get-ws-binding-token"
STATUS_OP = f"{BACKPORT}/OperationDefinition/backport-subscription-status"
EVENTS_OP = f"{BACKPORT}/OperationDefinition/backport-subscription-events"
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
        if rt.name == "Subscription":
            _subscription_entry(entry, profile)
        if not profile.extensions:
            entry = capability_resource(entry)
            if rt.name == "Subscription":
                entry["operation"] = [{"name": "get-ws-binding-token", "definition": BINDING_TOKEN}]
        resources.append(entry)
    if not profile.extensions:
        return _plain_statement(base_url, software_version, date, profile, resources)
    extensions: list[dict[str, Any]] = [
        {"url": PROFILE_EXTENSION, "valueCode": profile.value},
        {"url": WS_EXTENSION, "valueUrl": "/ws/notifications"},
        {"url": ALERT_RULES_EXTENSION, "valueCode": "server"},
    ]
    if clock is not None:
        extensions.append(clock.capability_extension())
    if escalation_after is not None:
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
    operations: list[dict[str, Any]] = [
        {"name": "lastn", "definition": LASTN_DEFINITION},
        REVIEW_STATS,
    ]
    if profile.is_training:
        operations.append({"name": "ground-truth", "definition": GROUND_TRUTH_DEFINITION})
        # Training operations (docs/contract.md, "Training operations"; issue 13).
        operations += [
            {"name": name, "definition": f"http://dho.example/fhir/OperationDefinition/{name}"}
            for name in (
                "scenarios",
                "scenario-load",
                "scenario-control",
                "scenario-status",
                "scenario-score",
            )
        ]
    return {
        **_head(base_url, software_version, date, "DHO reference FHIR backend"),
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


def _subscription_entry(entry: dict[str, Any], profile: ServerProfile) -> None:
    """Topic-based Subscriptions (the R4 backport) as the backport IG declares them."""
    from server.api.subscriptions import TOPIC_URL

    entry["supportedProfile"] = [BACKPORT_SUBSCRIPTION]
    entry["extension"] = [
        *entry.get("extension", []),
        {"url": TOPIC_CANONICAL, "valueCanonical": TOPIC_URL},
    ]
    entry["operation"] = [
        {"name": "get-ws-binding-token", "definition": BINDING_TOKEN},
        {"name": "status", "definition": STATUS_OP},
        {"name": "events", "definition": EVENTS_OP},
    ]


def _plain_statement(
    base_url: str,
    software_version: str,
    date: str,
    profile: ServerProfile,
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """``--profile plain-r4``: only standard R4 (server.api.plain)."""
    common = [
        {"name": name, "type": kind, "documentation": doc}
        for name, kind, doc in COMMON_PARAMS
        if name in ("_count", "_sort", "_include", "_summary", "_total", "_elements")
    ]
    common.append(
        {"name": "_offset", "type": "number", "documentation": f"Paging offset (max {MAX_OFFSET})"}
    )
    return {
        **_head(base_url, software_version, date, "DHO reference FHIR backend (plain R4)"),
        "rest": [
            {
                "mode": "server",
                "documentation": f"Search paging by _offset, at most {MAX_OFFSET}. "
                "Live updates: R4 Subscriptions with channel.type websocket.",
                "extension": [
                    {"url": PROFILE_EXTENSION, "valueCode": profile.value},
                    {"url": R4_WS_EXTENSION, "valueUri": "/ws/subscriptions-r4"},
                ],
                "resource": resources,
                "interaction": [{"code": "history-system"}],
                "searchParam": common,
            }
        ],
    }


def _head(base_url: str, software_version: str, date: str, description: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "DHO reference backend",
        "kind": "instance",
        "software": {"name": "dho-server", "version": software_version},
        "implementation": {"description": description, "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
    }
