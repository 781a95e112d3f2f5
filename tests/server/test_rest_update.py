"""Version-aware updates and deletes: If-Match, 428/412, headers, races (SQLite and PostgreSQL)."""

from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from server.store import Store
from server.store.errors import PreconditionFailed
from tests.server.inprocess import AppClient
from tests.server.test_api import assert_outcome, obs, patient, post

FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
T = TypeVar("T")


def task(pid: str, status: str = "requested") -> dict[str, Any]:
    return {
        "resourceType": "Task",
        "status": status,
        "intent": "order",
        "priority": "urgent",
        "for": {"reference": f"Patient/{pid}"},
        "description": "SpO2 under 90 %",
    }


def put(client: AppClient, body: dict[str, Any], version: str | None) -> Any:
    headers = {} if version is None else {"If-Match": f'W/"{version}"'}
    return client.put(f"/fhir/{body['resourceType']}/{body['id']}", json=body, headers=headers)


def versions(store: Store, res_type: str, res_id: str) -> list[int]:
    out = []
    for v in range(1, 50):
        st = store.vread(res_type, res_id, v)
        if st is None:
            break
        out.append(st.version_id)
    return out


def test_update_with_if_match_makes_a_new_version_with_headers(client: AppClient) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    r = client.get(f"/fhir/Patient/{p['id']}")
    assert r.headers["etag"] == 'W/"1"'
    body = {**p, "gender": "other"}
    r = client.put(f"/fhir/Patient/{p['id']}", json=body, headers={"If-Match": r.headers["etag"]})
    assert r.status_code == 200, r.text
    assert r.headers["etag"] == 'W/"2"'
    assert r.headers["location"] == f"{client.base_url}/fhir/Patient/{p['id']}/_history/2"
    assert r.headers["last-modified"].endswith(" GMT")
    updated = r.json()
    assert updated["gender"] == "other" and updated["meta"]["versionId"] == "2"
    assert updated["meta"]["lastUpdated"] > p["meta"]["lastUpdated"]
    # The new version is current and searchable; the old one is still readable (vread).
    assert client.get(f"/fhir/Patient/{p['id']}").json()["gender"] == "other"
    old = client.get(f"/fhir/Patient/{p['id']}/_history/1")
    assert old.status_code == 200 and old.json()["gender"] == "female"
    found = client.get("/fhir/Patient?gender=other").json()
    assert [e["resource"]["id"] for e in found["entry"]] == [p["id"]]
    assert client.get("/fhir/Patient?gender=female").json()["total"] == 0
    # Plain "2" (strong form) is accepted too; return=minimal gives headers only.
    r = client.put(
        f"/fhir/Patient/{p['id']}",
        json={**body, "gender": "male"},
        headers={"If-Match": '"2"', "Prefer": "return=minimal"},
    )
    assert r.status_code == 200 and r.content == b"" and r.headers["etag"] == 'W/"3"'


def test_missing_or_stale_if_match_changes_nothing(client: AppClient, store: Store) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    body = {**p, "gender": "other"}
    assert_outcome(put(client, body, None), 428, "If-Match")
    assert put(client, body, "1").status_code == 200
    before = store.read("Patient", p["id"])
    assert before is not None
    r = put(client, {**p, "gender": "male"}, "1")
    assert_outcome(r, 412, "current version is 2")
    assert r.headers["etag"] == 'W/"2"'
    after = store.read("Patient", p["id"])
    assert after == before
    assert versions(store, "Patient", p["id"]) == [1, 2]
    assert_outcome(put(client, body, "7"), 412)
    for bad in ("*", "W/1", "abc", 'W/"x"'):
        r = client.put(f"/fhir/Patient/{p['id']}", json=body, headers={"If-Match": bad})
        assert_outcome(r, 400, "If-Match")
    assert store.read("Patient", p["id"]) == before


def test_update_errors(client: AppClient, store: Store) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    # No update-as-create.
    assert_outcome(put(client, {**p, "id": "nope"}, "1"), 404)
    # The body's id must be the URL's.
    r = client.put(f"/fhir/Patient/{p['id']}", json={**p, "id": "other"}, headers={"If-Match": "1"})
    assert_outcome(r, 400, "id")
    no_id = {k: v for k, v in p.items() if k != "id"}
    r = client.put(f"/fhir/Patient/{p['id']}", json=no_id, headers={"If-Match": "1"})
    assert_outcome(r, 400, "id")
    r = client.put(
        f"/fhir/Patient/{p['id']}",
        json={**p, "resourceType": "Practitioner"},
        headers={"If-Match": "1"},
    )
    assert_outcome(r, 400, "resourceType")
    assert_outcome(put(client, {**p, "gender": 5}, "1"), 422)
    r = client.put(f"/fhir/Patient/{p['id']}", content=b"{not json", headers={"If-Match": "1"})
    assert_outcome(r, 400)
    assert versions(store, "Patient", p["id"]) == [1]


def test_observation_update_moves_lastn(client: AppClient) -> None:
    pid = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))["id"]
    o = post(client, obs(pid, "8867-4", "2026-11-20T10:00:00Z", 70))
    post(client, obs(pid, "8867-4", "2026-11-20T09:00:00Z", 60))
    lastn = client.get(f"/fhir/Observation/$lastn?patient={pid}").json()
    assert [e["resource"]["id"] for e in lastn["entry"]] == [o["id"]]
    # Corrected to another code: the older pulse becomes the latest, the new code appears.
    moved = {**o, "code": {"coding": [{"system": "http://loinc.org", "code": "9279-1"}]}}
    assert put(client, moved, "1").status_code == 200
    lastn = client.get(f"/fhir/Observation/$lastn?patient={pid}").json()
    got = {e["resource"]["code"]["coding"][0]["code"]: e["resource"]["id"] for e in lastn["entry"]}
    assert got["9279-1"] == o["id"] and got["8867-4"] != o["id"]


def test_delete_is_a_versioned_tombstone(client: AppClient, store: Store) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    assert_outcome(client.delete(f"/fhir/Patient/{p['id']}", headers={"If-Match": "5"}), 412)
    r = client.delete(f"/fhir/Patient/{p['id']}")
    assert r.status_code == 204 and r.headers["etag"] == 'W/"2"'
    assert_outcome(client.get(f"/fhir/Patient/{p['id']}"), 410)
    assert_outcome(client.get(f"/fhir/Patient/{p['id']}/_history/2"), 410)
    assert client.get(f"/fhir/Patient/{p['id']}/_history/1").status_code == 200
    assert client.get("/fhir/Patient?identifier=01815012345").json()["total"] == 0
    # Deleting again writes nothing; unknown ids are 404.
    assert client.delete(f"/fhir/Patient/{p['id']}").status_code == 204
    assert versions(store, "Patient", p["id"]) == [1, 2]
    assert_outcome(client.delete("/fhir/Patient/nope"), 404)
    # An update naming the tombstone's version brings it back.
    assert put(client, p, "2").status_code == 200
    assert client.get(f"/fhir/Patient/{p['id']}").status_code == 200


def race(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls at the same moment on their own threads; their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def test_concurrent_puts_have_exactly_one_winner(client: AppClient, store: Store) -> None:
    pid = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))["id"]
    t = post(client, task(pid))
    operators = [AppClient(base_url=str(client.base_url), timeout=10) for _ in range(2)]
    try:
        for round_ in range(20):
            current = client.get(f"/fhir/Task/{t['id']}").json()
            version = current["meta"]["versionId"]
            calls = [
                functools.partial(
                    put,
                    own,
                    {
                        **current,
                        "status": "in-progress",
                        "owner": {"reference": f"Practitioner/{w}"},
                    },
                    version,
                )
                for own, w in zip(operators, ("a", "b"), strict=True)
            ]
            results = [r.status_code for r in race(calls)]
            assert Counter(results) == Counter({200: 1, 412: 1}), (round_, results)
    finally:
        for own in operators:
            own.close()
    assert versions(store, "Task", t["id"]) == list(range(1, 22))


def _update_outcome(st: Store, res_id: str, version: int, i: int) -> str:
    body = {**task("p1"), "id": res_id, "description": f"worker {i}"}
    try:
        st.update("Task", res_id, body, version)
    except PreconditionFailed:
        return "stale"
    return "ok"


def test_store_level_race_between_workers(store_url: str, store: Store) -> None:
    """Several Store objects (as several API workers) on one database: one winner per round."""
    stores = [Store(store_url) for _ in range(3)]
    try:
        created = store.create("Task", task("p1"))
        for round_ in range(10):
            calls = [
                functools.partial(_update_outcome, st, created.res_id, round_ + 1, i)
                for i, st in enumerate(stores)
            ]
            outcome = race(calls)
            assert sorted(outcome) == ["ok", "stale", "stale"], (round_, outcome)
        current = store.read("Task", created.res_id)
        assert current is not None and current.version_id == 11
    finally:
        for st in stores:
            st.close()
