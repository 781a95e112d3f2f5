"""``_history`` on instance, type and system level: order, ``_since``, paging, entry shape."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from server.store import Store
from tests.server.inprocess import AppClient
from tests.server.test_api import assert_outcome, obs, patient, post


def history(client: AppClient, path: str) -> dict[str, Any]:
    r = client.get(f"/fhir/{path}")
    assert r.status_code == 200, r.text
    bundle: dict[str, Any] = r.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "history"
    return bundle


def keys(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    """(reference, version) of every entry, from fullUrl and response.etag."""
    out = []
    for e in bundle.get("entry", []):
        ref = "/".join(e["fullUrl"].split("/")[-2:])
        out.append((ref, e["response"]["etag"][3:-1]))
    return out


def update(client: AppClient, body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    version = body["meta"]["versionId"]
    r = client.put(
        f"/fhir/{body['resourceType']}/{body['id']}",
        json={**body, **changes},
        headers={"If-Match": f'W/"{version}"'},
    )
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


def test_instance_history_lists_every_version_with_request_and_response(
    client: AppClient,
) -> None:
    p1 = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    p2 = update(client, p1, gender="other")
    assert client.delete(f"/fhir/Patient/{p1['id']}").status_code == 204
    bundle = history(client, f"Patient/{p1['id']}/_history")
    assert bundle["total"] == 3
    entries = bundle["entry"]
    assert [e["request"] for e in entries] == [
        {"method": "POST", "url": "Patient"},
        {"method": "PUT", "url": f"Patient/{p1['id']}"},
        {"method": "DELETE", "url": f"Patient/{p1['id']}"},
    ]
    assert [e["response"]["status"] for e in entries] == ["201 Created", "200 OK", "204 No Content"]
    assert [e["response"]["etag"] for e in entries] == ['W/"1"', 'W/"2"', 'W/"3"']
    assert entries[0]["resource"] == p1 and entries[1]["resource"] == p2
    assert "resource" not in entries[2]
    assert entries[1]["response"]["lastModified"] == p2["meta"]["lastUpdated"]
    newest_first = history(client, f"Patient/{p1['id']}/_history?_sort=-_lastUpdated")
    assert keys(newest_first) == list(reversed(keys(bundle)))
    assert_outcome(client.get("/fhir/Patient/nope/_history"), 404)
    # vread still works for every version, the tombstone is 410.
    assert client.get(f"/fhir/Patient/{p1['id']}/_history/2").json() == p2
    assert_outcome(client.get(f"/fhir/Patient/{p1['id']}/_history/3"), 410)


def test_type_and_system_history_since_return_exactly_the_later_changes(
    client: AppClient,
) -> None:
    a = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    o1 = post(client, obs(a["id"], "8867-4", "2026-11-20T10:00:00Z"))
    mark = o1["meta"]["lastUpdated"]
    # Everything after the mark, in the order it happened.
    b = post(client, patient("Hansen", "Ola", "1941-12-24", "24924112345"))
    a2 = update(client, a, gender="other")
    o2 = post(client, obs(a["id"], "8867-4", "2026-11-20T11:00:00Z"))
    o1b = update(client, o1, status="amended")
    since = quote(mark)
    later = history(client, f"_history?_since={since}")
    expected = [
        (f"Observation/{o1['id']}", "1"),  # _since is inclusive: the mark itself
        (f"Patient/{b['id']}", "1"),
        (f"Patient/{a['id']}", "2"),
        (f"Observation/{o2['id']}", "1"),
        (f"Observation/{o1['id']}", "2"),
    ]
    own = [k for k in keys(later) if k[0].split("/")[0] in ("Patient", "Observation")]
    assert own == expected
    assert later["total"] >= 5
    patients = history(client, f"Patient/_history?_since={since}")
    assert keys(patients) == [(f"Patient/{b['id']}", "1"), (f"Patient/{a['id']}", "2")]
    assert patients["total"] == 2
    observations = history(client, f"Observation/_history?_since={since}")
    assert keys(observations) == [
        (f"Observation/{o1['id']}", "1"),
        (f"Observation/{o2['id']}", "1"),
        (f"Observation/{o1['id']}", "2"),
    ]
    assert observations["entry"][-1]["resource"] == o1b
    assert patients["entry"][-1]["resource"] == a2
    # Everything of a type without _since: both versions of a, and b.
    assert history(client, "Patient/_history")["total"] == 3
    counted = history(client, "Patient/_history?_summary=count")
    assert counted["total"] == 3 and "entry" not in counted
    assert "total" not in history(client, "Patient/_history?_total=none")


def test_history_paging_walks_every_version_once(client: AppClient) -> None:
    p = post(client, patient("Nordmann", "Kari", "1950-01-01", "01815012345"))
    for i in range(11):
        p = update(client, p, gender="male" if i % 2 else "female")
    seen: list[tuple[str, str]] = []
    url: str | None = f"/fhir/Patient/{p['id']}/_history?_count=5"
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200
        bundle = r.json()
        seen += keys(bundle)
        nxt = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = nxt[0] if nxt else None
        pages += 1
        # A write between pages lands after what was already seen, never in between.
        if pages == 1:
            p = update(client, p, gender="unknown")
    assert [v for _, v in seen] == [str(v) for v in range(1, 14)]
    assert pages == 3


def test_history_parameter_errors(client: AppClient) -> None:
    assert_outcome(client.get("/fhir/_history?_since=yesterday"), 400, "_since")
    assert_outcome(client.get("/fhir/_history?_count=many"), 400)
    assert_outcome(client.get("/fhir/_history?colour=red"), 400, "unknown")
    assert_outcome(client.get("/fhir/_history?_sort=date"), 400)
    assert_outcome(client.get("/fhir/_history?_cursor=abc"), 400)
    assert_outcome(client.get("/fhir/Nonsense/_history"), 404)


def test_seeded_observations_keep_their_lastupdated(store: Store) -> None:
    """bulk_load keeps meta.lastUpdated; live writes afterwards are later than all of it."""
    seeded = [
        {**obs("p1", "8867-4", f"2026-11-{day:02d}T08:00:00Z"), "id": f"o{day}"}
        for day in range(1, 21)
    ]
    for o in seeded:
        o["meta"] = {"lastUpdated": o["effectiveDateTime"]}
    store.bulk_load(seeded)
    st = store.read("Observation", "o20")
    assert st is not None and st.last_updated_text == "2026-11-20T08:00:00.000000Z"
    live = store.create("Observation", obs("p1", "8867-4", "2026-11-21T08:00:00Z"))
    assert live.last_updated > st.last_updated
    since = store.history("Observation", since_us=st.last_updated)
    assert [e.res_id for e in since.entries] == ["o20", live.res_id]
