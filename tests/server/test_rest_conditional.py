"""Conditional create (If-None-Exist): retries and concurrent creates make one resource."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from server.store import Store
from tests.server.inprocess import AppClient
from tests.server.test_api import assert_outcome, post
from tests.server.test_rest_update import race

MSG = "http://dho.example/fhir/NamingSystem/message-id"


def message(key: str, text: str = "Hei, husk å måle blodtrykket i dag") -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "identifier": [{"system": MSG, "value": key}],
        "status": "completed",
        "subject": {"reference": "Patient/p1"},
        "sent": "2026-11-22T10:00:00Z",
        "payload": [{"contentString": text}],
    }


def send(client: AppClient, body: dict[str, Any], key: str) -> Any:
    return client.post(
        "/fhir/Communication", json=body, headers={"If-None-Exist": f"identifier={MSG}|{key}"}
    )


def communications(store: Store) -> int:
    return store.count("Communication")


def test_retried_create_makes_one_resource(client: AppClient, store: Store) -> None:
    first = send(client, message("m-1"), "m-1")
    assert first.status_code == 201, first.text
    assert first.headers["etag"] == 'W/"1"'
    created = first.json()
    # The retry after a timeout: 200 with the same resource, nothing written.
    again = send(client, message("m-1", "a different text"), "m-1")
    assert again.status_code == 200, again.text
    assert again.json() == created
    assert again.headers["location"].endswith(f"/Communication/{created['id']}/_history/1")
    assert communications(store) == 1
    history = client.get(f"/fhir/Communication/{created['id']}/_history").json()
    assert history["total"] == 1
    # Another key creates another; a "Type?" prefix and parameter order do not matter.
    r = client.post(
        "/fhir/Communication",
        json=message("m-2"),
        headers={"If-None-Exist": f"Communication?status=completed&identifier={MSG}|m-2"},
    )
    assert r.status_code == 201
    r = client.post(
        "/fhir/Communication",
        json=message("m-2"),
        headers={"If-None-Exist": f"identifier={MSG}|m-2&status=completed"},
    )
    assert r.status_code == 200
    assert communications(store) == 2


def test_ambiguous_or_bad_criteria(client: AppClient, store: Store) -> None:
    post(client, message("dup"))
    post(client, message("dup"))
    assert_outcome(send(client, message("dup"), "dup"), 412, "more than one")
    bad = client.post(
        "/fhir/Communication", json=message("x"), headers={"If-None-Exist": "colour=red"}
    )
    assert_outcome(bad, 400, "unknown search parameter")
    empty = client.post("/fhir/Communication", json=message("x"), headers={"If-None-Exist": ""})
    assert_outcome(empty, 400)
    only_control = client.post(
        "/fhir/Communication", json=message("x"), headers={"If-None-Exist": "_count=1"}
    )
    assert_outcome(only_control, 400)
    # An invalid body is 422 whatever the criteria say.
    invalid = {**message("y"), "status": 7}
    assert_outcome(send(client, invalid, "y"), 422)
    assert communications(store) == 2


def test_stale_key_when_the_resource_no_longer_matches(client: AppClient, store: Store) -> None:
    created = send(client, message("k"), "k").json()
    changed = {**created, "identifier": [{"system": MSG, "value": "k-renamed"}]}
    r = client.put(f"/fhir/Communication/{created['id']}", json=changed, headers={"If-Match": "1"})
    assert r.status_code == 200
    # Nothing matches "k" any more, so the same criteria create a new one.
    again = send(client, message("k"), "k")
    assert again.status_code == 201 and again.json()["id"] != created["id"]
    assert send(client, message("k"), "k").status_code == 200
    assert communications(store) == 2


def test_concurrent_conditional_creates_make_one_resource(client: AppClient, store: Store) -> None:
    senders = [AppClient(base_url=str(client.base_url), timeout=20) for _ in range(4)]
    try:
        for round_ in range(8):
            key = f"race-{round_}"
            calls = [functools.partial(send, c, message(key), key) for c in senders]
            statuses = Counter(r.status_code for r in race(calls))
            assert statuses == Counter({201: 1, 200: 3}), (round_, statuses)
            found = client.get(f"/fhir/Communication?identifier={MSG}|{key}").json()
            assert found["total"] == 1
    finally:
        for c in senders:
            c.close()
    assert communications(store) == 8


def test_store_level_conditional_race_between_workers(store_url: str, store: Store) -> None:
    stores = [Store(store_url) for _ in range(3)]
    try:
        for round_ in range(6):
            key = f"w-{round_}"
            query = [("identifier", f"{MSG}|{key}")]
            calls = [
                functools.partial(st.conditional_create, "Communication", message(key), query)
                for st in stores
            ]
            results = race(calls)
            assert all(isinstance(r, tuple) for r in results), results
            assert sorted(created for _, created in results) == [False, False, True]
            assert len({st.res_id for st, _ in results}) == 1
        assert store.count("Communication") == 6
    finally:
        for st in stores:
            st.close()
