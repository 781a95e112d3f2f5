"""Search additions: _revinclude, generic _include, _total, _elements, and the
CapabilityStatement that documents them."""

from __future__ import annotations

from typing import Any

from server.store.registry import RESOURCE_TYPES
from tests.server.inprocess import AppClient
from tests.server.test_api import assert_outcome, ids, obs, people, post, search
from tests.server.test_rest_update import task

__all__ = ["people"]  # the fixture, shared with test_api


def communication(pid: str, sender: str) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "status": "completed",
        "subject": {"reference": f"Patient/{pid}"},
        "sender": {"reference": f"Practitioner/{sender}"},
        "payload": [{"contentString": "Hei"}],
    }


def test_revinclude_and_include(client: AppClient, people: dict[str, Any]) -> None:
    bjorn, hansen = people["bjorn"]["id"], people["hansen"]["id"]
    nurse = post(
        client,
        {"resourceType": "Practitioner", "name": [{"family": "Lie", "given": ["Nina"]}]},
    )["id"]
    o_b = post(client, obs(bjorn, "8867-4", "2026-11-20T10:00:00Z"))["id"]
    o_h = post(client, obs(hansen, "8867-4", "2026-11-20T10:00:00Z"))["id"]
    t_b = post(client, {**task(bjorn), "focus": {"reference": f"Observation/{o_b}"}})["id"]
    c_b = post(client, communication(bjorn, nurse))["id"]

    bundle = search(
        client,
        f"Patient?_id={bjorn}&_revinclude=Observation:subject&_revinclude=Task:patient"
        "&_revinclude=Communication:subject&_revinclude=EpisodeOfCare:patient",
    )
    assert ids(bundle) == [bjorn] and bundle["total"] == 1
    included = set(ids(bundle, "include"))
    assert {o_b, t_b, c_b, people["eoc-bjorn"]["id"]} <= included
    assert o_h not in included and people["eoc-hansen"]["id"] not in included
    # Comma-separated values and an explicit target type work too.
    both = search(client, f"Patient?_id={bjorn},{hansen}&_revinclude=Observation:subject:Patient")
    assert set(ids(both, "include")) >= {o_b, o_h}

    # _include, generic over reference parameters, including several at once.
    tasks = search(client, f"Task?_id={t_b}&_include=Task:patient&_include=Task:focus")
    assert set(ids(tasks, "include")) == {bjorn, o_b}
    msgs = search(client, f"Communication?_id={c_b}&_include=Communication:sender")
    assert ids(msgs, "include") == [nurse]
    observations = search(client, f"Observation?_id={o_b}&_include=Observation:subject")
    assert ids(observations, "include") == [bjorn]

    # Patient-targeted reverse includes do not fit other types.
    assert_outcome(client.get("/fhir/Organization?_revinclude=Observation:patient"), 400)
    assert_outcome(client.get("/fhir/Patient?_revinclude=Observation:code"), 400)
    assert_outcome(client.get("/fhir/Patient?_revinclude=Nonsense:subject"), 400)
    assert_outcome(client.get("/fhir/Patient?_revinclude=Observation:subject:Group"), 400)
    assert_outcome(client.get("/fhir/Patient?_include:iterate=Patient:organization"), 400)


def test_include_of_several_types_in_creation_order_without_deleted_ones(
    client: AppClient, people: dict[str, Any]
) -> None:
    """Included resources of two types come back in the order they were created, and a
    deleted one is left out (they are read by type, one query each)."""
    bjorn, hansen = people["bjorn"]["id"], people["hansen"]["id"]
    made: list[str] = []
    tasks: list[str] = []
    for pid in (hansen, bjorn, hansen):
        o = post(client, obs(pid, "8867-4", "2026-11-20T10:00:00Z"))["id"]
        made.append(o)
        tasks.append(post(client, {**task(pid), "focus": {"reference": f"Observation/{o}"}})["id"])
    assert client.delete(f"/fhir/Observation/{made[2]}").status_code in (200, 204)
    bundle = search(client, f"Task?_id={','.join(tasks)}&_include=Task:focus&_include=Task:patient")
    assert sorted(ids(bundle)) == sorted(tasks)
    # The patients were created before the observations, bjorn before hansen.
    assert ids(bundle, "include") == [bjorn, hansen, made[0], made[1]]


def test_total_summary_and_elements(client: AppClient, people: dict[str, Any]) -> None:
    no_total = search(client, "Patient?_total=none")
    assert "total" not in no_total and len(ids(no_total)) == 3
    assert search(client, "Patient?_total=estimate")["total"] == 3
    assert search(client, "Patient?_total=accurate")["total"] == 3
    assert_outcome(client.get("/fhir/Patient?_total=maybe"), 400)
    for res_type in RESOURCE_TYPES:
        counted = search(client, f"{res_type}?_summary=count")
        assert "entry" not in counted and isinstance(counted["total"], int)
    slim = search(client, "Patient?_elements=gender,birthDate&_sort=birthdate")
    first = slim["entry"][0]["resource"]
    assert set(first) == {"resourceType", "id", "meta", "gender", "birthDate"}
    assert {"code": "SUBSETTED"}.items() <= first["meta"]["tag"][0].items()
    o = post(client, obs(people["bjorn"]["id"], "8867-4", "2026-11-20T10:00:00Z", 71))
    choice = search(client, f"Observation?_id={o['id']}&_elements=value[x]")
    assert choice["entry"][0]["resource"]["valueQuantity"]["value"] == 71
    assert "code" not in choice["entry"][0]["resource"]
    assert_outcome(client.get("/fhir/Patient?_elements=Patient.name"), 400)


def test_capability_statement_documents_everything(client: AppClient) -> None:
    cap = client.get("/fhir/metadata").json()
    rest = cap["rest"][0]
    assert {"code": "history-system"} in rest["interaction"]
    assert {p["name"] for p in rest["searchParam"]} >= {
        "_count",
        "_sort",
        "_include",
        "_revinclude",
        "_summary",
        "_total",
        "_elements",
    }
    by_type = {r["type"]: r for r in rest["resource"]}
    assert set(by_type) == set(RESOURCE_TYPES)
    for name, res in by_type.items():
        codes = {i["code"] for i in res["interaction"]}
        assert codes >= {
            "read",
            "vread",
            "update",
            "create",
            "search-type",
            "history-instance",
            "history-type",
        }, name
        assert res["conditionalCreate"] is True and res["updateCreate"] is False
        assert res["versioning"] == "versioned-update"
        params = {p["name"] for p in res["searchParam"]}
        assert params >= set(RESOURCE_TYPES[name].by_name)
    patient = by_type["Patient"]
    assert {
        "Observation:subject",
        "Task:patient",
        "Communication:subject",
        "EpisodeOfCare:patient",
    } <= set(patient["searchRevInclude"])
    assert {"Task:patient", "Task:focus"} <= set(by_type["Task"]["searchInclude"])
    assert "Communication:sender" in by_type["Communication"]["searchInclude"]
    assert "Observation:patient" not in by_type["Organization"]["searchRevInclude"]


def test_a_first_page_brings_its_total_in_the_same_statement(client: AppClient) -> None:
    """The total of a first page is counted inside the page's own query; later pages (cursor)
    count apart. Same totals either way, over every page."""
    from tests.server.sql_watch import statements_run

    store = client.app.state.service.store
    pid = post(client, {"resourceType": "Patient", "name": [{"family": "Tal"}]})["id"]
    for i in range(7):
        post(client, obs(pid, "8867-4", f"2026-01-01T10:{i:02d}:00Z"))
    with statements_run(store.engine) as statements:
        first = client.get(f"/fhir/Observation?patient={pid}&_count=3&_total=accurate").json()
        assert first["total"] == 7 and len(first["entry"]) == 3
        assert len(statements) == 1, statements
        nxt = next(link["url"] for link in first["link"] if link["relation"] == "next")
        statements.clear()
        second = client.get(nxt).json()
        assert second["total"] == 7 and len(second["entry"]) == 3
        assert len(statements) == 2
        none = client.get(f"/fhir/Observation?patient={pid}&code=nothing&_total=accurate").json()
        assert none["total"] == 0 and not none.get("entry")
