"""Validation of incoming resources: OperationOutcome naming the field, nothing stored, and the
fast vital-signs path never accepting what the FHIR models reject."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from server.store import Store
from server.store.errors import FhirError
from server.store.schema import resource, resource_history
from server.store.validate import fast_observation_ok, validate_resource, validate_structure
from tests.server.inprocess import AppClient
from tests.server.test_api import obs, patient, post

UCUM = "http://unitsofmeasure.org"


def vital(pid: str = "p1") -> dict[str, Any]:
    body = obs(pid, "8867-4", "2026-11-20T10:00:00+01:00", 72)
    body["valueQuantity"] = {"value": 72, "unit": "/min", "system": UCUM, "code": "/min"}
    return body


def rows(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(resource)).scalar_one(),
            conn.execute(select(func.count()).select_from(resource_history)).scalar_one(),
        )


CASES: list[tuple[str, Any, int, str]] = [
    ("unknown element", {**vital(), "colour": "blue"}, 422, "Observation.colour"),
    (
        "value not a number",
        {**vital(), "valueQuantity": {"value": "high"}},
        422,
        "Observation.valueQuantity.value",
    ),
    (
        "bad dateTime",
        {**vital(), "effectiveDateTime": "2026-13-45"},
        422,
        "Observation.effectiveDateTime",
    ),
    (
        "coding code not a string",
        {**vital(), "code": {"coding": [{"system": "http://loinc.org", "code": 8867}]}},
        422,
        "Observation.code.coding[0].code",
    ),
    ("status not a code", {**vital(), "status": "done"}, 422, "Observation.status"),
    (
        "missing subject",
        {k: v for k, v in vital().items() if k != "subject"},
        422,
        "Observation.subject",
    ),
    (
        "component value",
        {**vital(), "component": [{"code": {"text": "x"}, "valueQuantity": {"value": []}}]},
        422,
        "Observation.component[0].valueQuantity.value",
    ),
    ("wrong resourceType", {**vital(), "resourceType": "Patient"}, 400, "resourceType"),
    ("not an object", [vital()], 400, ""),
]


def test_invalid_observation_is_rejected_and_nothing_stored(
    client: AppClient, store: Store
) -> None:
    post(client, vital())
    before = rows(store)
    for why, body, status, expression in CASES:
        r = client.post("/fhir/Observation", json=body)
        assert r.status_code == status, (why, r.text)
        outcome = r.json()
        assert outcome["resourceType"] == "OperationOutcome"
        issue = outcome["issue"][0]
        assert issue["severity"] == "error" and issue["diagnostics"]
        if expression:
            assert expression in issue.get("expression", []), (why, issue)
        assert rows(store) == before, why


def test_invalid_update_stores_no_version(client: AppClient, store: Store) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    before = rows(store)
    bad = {**p, "birthDate": "1950-02-30"}
    r = client.put(f"/fhir/Patient/{p['id']}", json=bad, headers={"If-Match": 'W/"1"'})
    assert r.status_code == 422, r.text
    assert r.json()["issue"][0]["expression"] == ["Patient.birthDate"]
    bad = {**p, "name": "Kari"}
    r = client.put(f"/fhir/Patient/{p['id']}", json=bad, headers={"If-Match": 'W/"1"'})
    assert r.status_code == 422 and "Patient.name" in r.json()["issue"][0]["expression"][0]
    assert rows(store) == before
    assert store.read("Patient", p["id"]).version_id == 1  # type: ignore[union-attr]


def test_other_types_are_validated_by_the_models(client: AppClient) -> None:
    task = {"resourceType": "Task", "status": "requested", "intent": "order", "priority": 3}
    r = client.post("/fhir/Task", json=task)
    assert r.status_code == 422 and r.json()["issue"][0]["expression"] == ["Task.priority"]
    comm = {"resourceType": "Communication", "status": "completed", "sent": "yesterday"}
    r = client.post("/fhir/Communication", json=comm)
    assert r.status_code == 422 and "Communication.sent" in r.json()["issue"][0]["expression"]
    ok = {"resourceType": "Communication", "status": "completed", "sent": "2026-11-22T10:00:00Z"}
    assert client.post("/fhir/Communication", json=ok).status_code == 201


def test_the_synthetic_population_is_valid() -> None:
    from server.sim.population import build_population

    population = build_population(12, seed=3, now=datetime.now(UTC), history_days=2)
    for res in [*population.resources(), *population.history()]:
        validate_resource(res["resourceType"], res)
    assert all(fast_observation_ok(o) for o in population.history())


# ----- the fast path is accept-only --------------------------------------------------------

_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "a b", "a  b", " x", "x ", "http://loinc.org", "\x00", "æøå"]),
)
_values = st.one_of(
    _text,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["code", "value", "x"]), st.integers(), max_size=2),
)
_paths = st.lists(
    st.sampled_from(
        [
            "status",
            "code",
            "code.coding",
            "code.coding.0.code",
            "code.coding.0.system",
            "code.text",
            "subject",
            "subject.reference",
            "effectiveDateTime",
            "valueQuantity",
            "valueQuantity.value",
            "valueQuantity.unit",
            "valueQuantity.code",
            "category",
            "category.0.coding.0.code",
            "meta",
            "meta.lastUpdated",
            "meta.versionId",
            "id",
            "issued",
            "component",
            "identifier",
            "extension",
        ]
    ),
    min_size=1,
    max_size=3,
)


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = body
    for part in parts[:-1]:
        key: Any = int(part) if part.isdigit() else part
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return
    last: Any = int(parts[-1]) if parts[-1].isdigit() else parts[-1]
    try:
        node[last] = value
    except (IndexError, TypeError):
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paths=_paths, values=st.lists(_values, min_size=3, max_size=3))
def test_fast_path_accepts_only_what_the_models_accept(paths: list[str], values: list[Any]) -> None:
    body = copy.deepcopy(vital())
    body["meta"] = {"versionId": "1", "lastUpdated": "2026-11-20T10:00:00.5Z"}
    body["component"] = [{"code": {"text": "c"}, "valueQuantity": {"value": 1}}]
    for path, value in zip(paths, values, strict=False):
        _set(body, path, value)
    if fast_observation_ok(body):
        validate_structure("Observation", body)  # must not raise


def test_fast_path_covers_the_contract_shapes() -> None:
    spo2 = vital()
    spo2["code"]["coding"].append({"system": "http://loinc.org", "code": "59408-5"})
    bp = {k: v for k, v in vital().items() if k != "valueQuantity"}
    bp["component"] = [
        {
            "code": {"coding": [{"system": "http://loinc.org", "code": c}]},
            "valueQuantity": {"value": v, "unit": "mm[Hg]", "system": UCUM, "code": "mm[Hg]"},
        }
        for c, v in (("8480-6", 140), ("8462-4", 90))
    ]
    for body in (vital(), spo2, bp):
        assert fast_observation_ok(body)
        validate_structure("Observation", body)
    with pytest.raises(FhirError):
        validate_resource("Observation", {**vital(), "valueQuantity": {"value": float("nan")}})
