"""Builders of alert Task JSON (the shape in docs/contract.md) for console alert tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from console.domain.alerts import Operator
from console.fhir.alerts import INPUT_SYSTEM, RULE_SYSTEM, instant
from console.fhir.client import FhirClient

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


class FakeFhir:
    """A tiny in-memory FHIR server for httpx.MockTransport: versioned PUT with If-Match (412
    when stale, 428 without), conditional create on If-None-Exist, and the searches the alert
    service makes. Every request is kept in `requests`."""

    def __init__(self, *resources: dict[str, Any], task_organization: bool = True) -> None:
        #: Whether the CapabilityStatement declares our `organization` parameter on Task (the
        #: normal profile does; plain R4 servers do not).
        self.task_organization = task_organization
        self.store: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self._ids = 0
        #: Resource types whose next create is stored but its answer lost (a timeout).
        self.lose_response_once: set[str] = set()
        #: Resource type → how many more creates to refuse with 409 (a serialization conflict).
        self.conflict_creates: dict[str, int] = {}
        for resource in resources:
            self.put_direct(resource)

    def put_direct(self, resource: dict[str, Any]) -> dict[str, Any]:
        """Store as the server would (a colleague's write): bumps the version."""
        key = (resource["resourceType"], resource["id"])
        current = self.store.get(key)
        version = (
            int(current["meta"]["versionId"]) + 1
            if current
            else int(resource.get("meta", {}).get("versionId", 1))
        )
        stored = json.loads(json.dumps(resource))
        stored["meta"] = {"versionId": str(version), "lastUpdated": instant(NOW)}
        self.store[key] = stored
        return stored

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [r for (t, _), r in self.store.items() if t == rtype]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self) -> FhirClient:
        return FhirClient(
            "http://fhir.test/fhir",
            http=httpx.AsyncClient(transport=self.transport()),
            retry_backoff=0,
        )

    def statement(self) -> dict[str, Any]:
        task_params = [{"name": n} for n in ("status", "patient", "authored-on", "_id")]
        if self.task_organization:
            task_params.append({"name": "organization"})
        return {
            "resourceType": "CapabilityStatement",
            "rest": [
                {
                    "mode": "server",
                    "resource": [
                        {"type": "Task", "searchParam": task_params},
                        {"type": "Patient"},
                        {"type": "Observation"},
                        {"type": "Communication"},
                    ],
                }
            ],
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/fhir/metadata"):
            return httpx.Response(200, json=self.statement())
        self.requests.append(request)
        parts = request.url.path.split("/fhir/", 1)[1].split("/")
        headers = {"Content-Type": "application/fhir+json"}
        if request.method == "GET" and len(parts) == 2:
            found = self.store.get((parts[0], parts[1]))
            if found is None:
                return _outcome(404, "not found")
            return httpx.Response(200, json=found, headers=headers)
        if request.method == "GET" and len(parts) == 1:
            return httpx.Response(200, json=self._search(parts[0], request.url.params))
        if request.method == "PUT":
            body = json.loads(request.content)
            current = self.store.get((parts[0], parts[1]))
            tag = request.headers.get("If-Match")
            if tag is None:
                return _outcome(428, "If-Match required")
            if current is None or tag != f'W/"{current["meta"]["versionId"]}"':
                return _outcome(412, "version conflict")
            stored = self.put_direct(body)
            return httpx.Response(200, json=stored, headers=headers)
        if request.method == "POST" and self.conflict_creates.get(parts[0], 0) > 0:
            self.conflict_creates[parts[0]] -= 1
            return _outcome(409, "could not serialize access due to concurrent update")
        if request.method == "POST":
            body = json.loads(request.content)
            condition = request.headers.get("If-None-Exist")
            if condition:
                value = condition.split("|", 1)[1]
                for existing in self.of_type(parts[0]):
                    idents = existing.get("identifier")
                    idents = idents if isinstance(idents, list) else [idents]
                    if any(i and i.get("value") == value for i in idents):
                        return httpx.Response(200, json=existing, headers=headers)
            self._ids += 1
            body["id"] = f"{parts[0].lower()}-{self._ids}"
            body.pop("meta", None)
            stored = self.put_direct(body)
            if parts[0] in self.lose_response_once:
                self.lose_response_once.discard(parts[0])
                raise httpx.ReadTimeout("answer lost", request=request)
            return httpx.Response(201, json=stored, headers=headers)
        return _outcome(405, "not allowed")

    def _search(self, rtype: str, params: httpx.QueryParams) -> dict[str, Any]:
        matches = self.of_type(rtype)
        if rtype == "Task" and "status" in params:
            wanted = params["status"].split(",")
            matches = [t for t in matches if t["status"] in wanted]
        if rtype == "Patient" and "_id" in params:
            wanted = params["_id"].split(",")
            matches = [p for p in matches if p["id"] in wanted]
        if rtype == "Observation" and "patient" in params:
            matches = [o for o in matches if o["subject"]["reference"] == params["patient"]]
        included = []
        if params.get("_include") == "Task:patient":
            pids = {t["for"]["reference"].split("/")[1] for t in matches}
            included = [p for p in self.of_type("Patient") if p["id"] in pids]
        return bundle(*matches, included=tuple(included))


def _outcome(status: int, text: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "conflict", "diagnostics": text}],
        },
    )
