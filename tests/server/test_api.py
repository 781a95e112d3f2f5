"""The FHIR REST API and notifications in-process, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest

from server.store import Store
from tests.server.inprocess import AppClient, WebSocketClosed

LOINC = "http://loinc.org"
CAT = "http://terminology.hl7.org/CodeSystem/observation-category"
FNR = "urn:oid:2.16.578.1.12.4.1.4.1"
KIND = "http://dho.example/fhir/CodeSystem/organization-kind"
PROG = "http://dho.example/fhir/CodeSystem/programme"
FHIR = "application/fhir+json"


def patient(
    family: str, given: str, birth: str, fnr: str, org: str = "dept-a", gender: str = "female"
) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [{"system": FNR, "value": fnr}],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "gender": gender,
        "birthDate": birth,
        "managingOrganization": {"reference": f"Organization/{org}"},
    }


def obs(
    pid: str,
    code: str,
    when: str,
    value: float = 1.0,
    *,
    extra_code: str | None = None,
    category: str = "vital-signs",
) -> dict[str, Any]:
    coding = [{"system": LOINC, "code": code}]
    if extra_code:
        coding.append({"system": LOINC, "code": extra_code})
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": CAT, "code": category}]}],
        "code": {"coding": coding},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": "/min"},
    }


def post(client: AppClient, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"/fhir/{body['resourceType']}", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def ids(bundle: dict[str, Any], mode: str = "match") -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode]


def search(client: AppClient, query: str) -> dict[str, Any]:
    r = client.get(f"/fhir/{query}")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(FHIR)
    bundle: dict[str, Any] = r.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    return bundle


def assert_outcome(r: Any, status: int, text: str = "") -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["diagnostics"]
    assert text.lower() in body["issue"][0]["diagnostics"].lower()


@pytest.fixture
def people(client: AppClient) -> dict[str, dict[str, Any]]:
    """Organizations, three patients and their episodes."""
    out: dict[str, dict[str, Any]] = {}
    muni = {
        "resourceType": "Organization",
        "name": "Sandnes kommune",
        "type": [{"coding": [{"system": KIND, "code": "municipality"}]}],
    }
    out["muni"] = post(client, muni)
    dept = {
        "resourceType": "Organization",
        "name": "Hjemmesykepleien Sandnes",
        "type": [{"coding": [{"system": KIND, "code": "department"}]}],
        "partOf": {"reference": f"Organization/{out['muni']['id']}"},
    }
    out["dept"] = post(client, dept)
    d = out["dept"]["id"]
    out["bjorn"] = post(client, patient("Bjørnstad", "Åse", "1950-03-04", "04835012345", d))
    out["hansen"] = post(client, patient("Hansen", "Ola", "1941-12-24", "24924112345", d, "male"))
    out["aeroe"] = post(client, patient("Ærø", "Kari", "1960-01-01", "01816012345", "other"))
    for key, prog, status in (("bjorn", "copd", "active"), ("hansen", "heart-failure", "finished")):
        out[f"eoc-{key}"] = post(
            client,
            {
                "resourceType": "EpisodeOfCare",
                "status": status,
                "type": [{"coding": [{"system": PROG, "code": prog}]}],
                "patient": {"reference": f"Patient/{out[key]['id']}"},
                "managingOrganization": {"reference": f"Organization/{d}"},
                "period": {"start": "2026-01-15T10:00:00Z"},
            },
        )
    return out


def test_metadata_is_a_capability_statement(client: AppClient) -> None:
    r = client.get("/fhir/metadata")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(FHIR)
    cs = r.json()
    assert cs["resourceType"] == "CapabilityStatement" and cs["fhirVersion"] == "4.0.1"
    resources = {res["type"]: res for res in cs["rest"][0]["resource"]}
    assert set(resources) >= {
        "Organization",
        "Practitioner",
        "PractitionerRole",
        "Patient",
        "EpisodeOfCare",
        "Observation",
    }
    obs_params = {p["name"] for p in resources["Observation"]["searchParam"]}
    assert obs_params >= {"subject", "patient", "code", "date", "category", "_lastUpdated"}
    assert {i["code"] for i in resources["Patient"]["interaction"]} >= {"read", "vread", "create"}
    assert resources["Observation"]["operation"][0]["name"] == "lastn"
    assert "EpisodeOfCare:patient" in resources["EpisodeOfCare"]["searchInclude"]


def test_create_read_vread_with_headers(client: AppClient) -> None:
    body = patient("Nordmann", "Kari", "1950-01-01", "01815012345")
    body["id"] = "ignored-client-id"
    r = client.post("/fhir/Patient", json=body, headers={"content-type": FHIR})
    assert r.status_code == 201, r.text
    created = r.json()
    pid = created["id"]
    assert pid != "ignored-client-id"
    assert created["meta"]["versionId"] == "1"
    assert created["meta"]["lastUpdated"].endswith("Z")
    assert r.headers["location"] == f"{client.base_url}/fhir/Patient/{pid}/_history/1"
    assert r.headers["etag"] == 'W/"1"'
    assert r.headers["last-modified"].endswith("GMT")

    r = client.get(f"/fhir/Patient/{pid}")
    assert r.status_code == 200 and r.json() == created
    assert r.headers["etag"] == 'W/"1"'
    r = client.get(f"/fhir/Patient/{pid}/_history/1")
    assert r.status_code == 200 and r.json() == created
    assert_outcome(client.get(f"/fhir/Patient/{pid}/_history/2"), 404)
    assert_outcome(client.get("/fhir/Patient/nope"), 404, "not known")

    r = client.post("/fhir/Patient", json=body, headers={"prefer": "return=minimal"})
    assert r.status_code == 201 and r.content == b"" and r.headers["location"]


@pytest.mark.parametrize(
    ("path", "body", "status", "text"),
    [
        ("Patient", b"{not json", 400, "json"),
        ("Patient", b"[1, 2]", 400, "object"),
        ("Patient", b'{"resourceType": "Observation"}', 400, "does not match"),
        ("Patient", b'{"resourceType": "Patient", "id": "bad id!"}', 400, "id"),
        ("Observation", b'{"resourceType": "Observation", "status": "final"}', 422, "requires"),
        (
            "Observation",
            b'{"resourceType": "Observation", "status": "final", "code": {"coding": []},'
            b' "subject": {"reference": "Patient/x"}}',
            422,
            "code",
        ),
        ("Unicorn", b'{"resourceType": "Unicorn"}', 404, "unsupported"),
    ],
)
def test_invalid_create_is_rejected_and_nothing_stored(
    client: AppClient, store: Store, path: str, body: bytes, status: int, text: str
) -> None:
    r = client.post(f"/fhir/{path}", content=body, headers={"content-type": FHIR})
    assert_outcome(r, status, text)
    assert store.is_empty()


def test_unsupported_content_type_and_methods(client: AppClient) -> None:
    r = client.post("/fhir/Patient", content=b"<Patient/>", headers={"content-type": "text/xml"})
    assert_outcome(r, 415)
    assert_outcome(client.patch("/fhir/Patient/x", json={}), 405)
    assert_outcome(client.delete("/fhir/Patient"), 405)
    assert_outcome(client.get("/fhir/Patient/x/y/z/w"), 404)


def test_bad_search_parameters_are_400(client: AppClient) -> None:
    assert_outcome(client.get("/fhir/Patient?colour=blue"), 400, "unknown search parameter")
    assert_outcome(client.get("/fhir/Observation?date=yesterday"), 400)
    assert_outcome(client.get("/fhir/Observation?date=ap2026"), 400)
    assert_outcome(client.get("/fhir/Patient?_count=many"), 400)
    assert_outcome(client.get("/fhir/Patient?_sort=gender"), 400)
    assert_outcome(client.get("/fhir/Patient?_sort=colour"), 400)
    assert_outcome(client.get("/fhir/Patient?_summary=text"), 400)
    assert_outcome(client.get("/fhir/Patient?_include=Observation:subject"), 400)
    assert_outcome(client.get("/fhir/Patient?_cursor=%%%"), 400)
    assert_outcome(client.get("/fhir/Patient?name:fuzzy=x"), 400)
    assert_outcome(client.get("/fhir/Observation?patient=Practitioner/1"), 400)
    assert_outcome(client.get("/fhir/Observation/$lastn?colour=1"), 400)
    assert_outcome(client.get("/fhir/Observation/$lastn?max=0"), 400)
    assert_outcome(client.get("/fhir/Patient/$lastn"), 404)


def test_patient_search_parameters(client: AppClient, people: dict[str, Any]) -> None:
    b, h, a = people["bjorn"]["id"], people["hansen"]["id"], people["aeroe"]["id"]

    def found(query: str) -> set[str]:
        return set(ids(search(client, f"Patient?{query}")))

    assert found("name=bjorn") == {b}  # ø folds to o
    assert found("name=BJØRN") == {b}
    assert found("name=ase") == {b}  # Å folds to a
    assert found("name=aer") == {a}  # Æ folds to ae
    assert found("name=o") == {h}  # prefix of "Ola"
    assert found("name=ola,kari") == {h, a}
    assert found("name:exact=Hansen") == {h}
    assert found("name:exact=hansen") == set()
    assert found("name:contains=rnst") == {b}
    assert found("family=han") == {h}
    assert found("family=ola") == set()
    assert found("given=ola") == {h}
    assert found(f"identifier={FNR}|24924112345") == {h}
    assert found("identifier=24924112345") == {h}
    assert found("identifier=other|24924112345") == set()
    assert found("gender=male") == {h}
    assert found(f"organization=Organization/{people['dept']['id']}") == {b, h}
    assert found(f"organization={people['dept']['id']}") == {b, h}
    assert found(f"organization={client.base_url}/fhir/Organization/{people['dept']['id']}") == {
        b,
        h,
    }
    assert found(f"_id={b},{a}") == {b, a}
    assert found("birthdate=1950") == {b}
    assert found("birthdate=1950-03") == {b}
    assert found("birthdate=1950-03-04") == {b}
    assert found("birthdate=lt1950") == {h}
    assert found("birthdate=le1950-03-04") == {b, h}
    assert found("birthdate=gt1950-03-04") == {a}
    assert found("birthdate=ge1950-03-04") == {b, a}
    assert found("birthdate=ne1950-03-04") == {h, a}
    assert found("birthdate=ge1941&birthdate=lt1951") == {b, h}  # repeated = AND


def test_organization_episode_search(client: AppClient, people: dict[str, Any]) -> None:
    muni, dept = people["muni"]["id"], people["dept"]["id"]
    assert ids(search(client, f"Organization?type={KIND}|department")) == [dept]
    assert ids(search(client, "Organization?type=municipality")) == [muni]
    assert ids(search(client, f"Organization?partof=Organization/{muni}")) == [dept]
    assert ids(search(client, "Organization?name=hjemme")) == [dept]
    eb, eh = people["eoc-bjorn"]["id"], people["eoc-hansen"]["id"]
    assert ids(search(client, f"EpisodeOfCare?patient={people['bjorn']['id']}")) == [eb]
    assert ids(search(client, "EpisodeOfCare?status=active")) == [eb]
    assert set(ids(search(client, f"EpisodeOfCare?organization={dept}"))) == {eb, eh}
    assert ids(search(client, f"EpisodeOfCare?type={PROG}|heart-failure")) == [eh]
    assert set(ids(search(client, "EpisodeOfCare?date=ge2026-01-15"))) == {eb, eh}
    assert ids(search(client, "EpisodeOfCare?date=lt2026-01-15")) == []


def test_include_episode_patient(client: AppClient, people: dict[str, Any]) -> None:
    bundle = search(client, "EpisodeOfCare?_include=EpisodeOfCare:patient&status=active")
    assert ids(bundle) == [people["eoc-bjorn"]["id"]]
    assert ids(bundle, "include") == [people["bjorn"]["id"]]
    assert bundle["total"] == 1
    full = search(client, "EpisodeOfCare?_include=EpisodeOfCare:patient")
    assert set(ids(full, "include")) == {people["bjorn"]["id"], people["hansen"]["id"]}
    assert all(e["fullUrl"].startswith(f"{client.base_url}/fhir/") for e in full["entry"])


def test_practitioner_roles(client: AppClient, people: dict[str, Any]) -> None:
    pr = post(
        client,
        {
            "resourceType": "Practitioner",
            "identifier": [{"system": "urn:oid:2.16.578.1.12.4.1.4.4", "value": "9144889"}],
            "name": [{"family": "Sæther", "given": ["Ingrid"]}],
        },
    )
    role = post(
        client,
        {
            "resourceType": "PractitionerRole",
            "practitioner": {"reference": f"Practitioner/{pr['id']}"},
            "organization": {"reference": f"Organization/{people['dept']['id']}"},
            "code": [{"coding": [{"system": "http://dho.example/r", "code": "nurse"}]}],
        },
    )
    assert ids(search(client, "Practitioner?name=saeth")) == [pr["id"]]
    assert ids(search(client, "Practitioner?identifier=9144889")) == [pr["id"]]
    assert ids(search(client, f"PractitionerRole?practitioner={pr['id']}")) == [role["id"]]
    assert ids(search(client, "PractitionerRole?role=nurse")) == [role["id"]]
    org = people["dept"]["id"]
    assert ids(search(client, f"PractitionerRole?organization={org}")) == [role["id"]]


def _observations(client: AppClient, pid: str) -> dict[str, dict[str, Any]]:
    rows = {
        "p1": obs(pid, "8867-4", "2026-11-20T08:00:00Z", 70),
        "p2": obs(pid, "8867-4", "2026-11-21T08:00:00Z", 75),
        "p3": obs(pid, "8867-4", "2026-11-22T08:00:00.500Z", 80),
        "spo2": obs(pid, "2708-6", "2026-11-21T09:30:00+01:00", 95, extra_code="59408-5"),
        "weight": obs(pid, "29463-7", "2026-11-19T07:00:00Z", 80, category="other"),
    }
    return {k: post(client, v) for k, v in rows.items()}


def test_observation_search_parameters(client: AppClient, people: dict[str, Any]) -> None:
    pid = people["bjorn"]["id"]
    o = _observations(client, pid)
    other = post(client, obs(people["hansen"]["id"], "8867-4", "2026-11-22T08:00:00Z"))
    oid = {k: v["id"] for k, v in o.items()}

    def found(query: str) -> set[str]:
        return set(ids(search(client, f"Observation?{query}")))

    everything = set(oid.values())
    assert found(f"subject=Patient/{pid}") == everything
    assert found(f"subject={pid}") == everything
    assert found(f"patient={pid}") == everything
    assert found(f"patient:Patient={pid}") == everything
    assert found(f"code={LOINC}|8867-4") == {oid["p1"], oid["p2"], oid["p3"], other["id"]}
    assert found(f"code=8867-4&patient={pid}") == {oid["p1"], oid["p2"], oid["p3"]}
    assert found("code=59408-5") == {oid["spo2"]}
    assert found("code=2708-6,29463-7") == {oid["spo2"], oid["weight"]}
    assert found("code=|8867-4") == set()  # explicitly no system
    assert found(f"code={LOINC}|") == everything | {other["id"]}
    assert found(f"category=vital-signs&patient={pid}") == everything - {oid["weight"]}
    assert found(f"category:not=vital-signs&patient={pid}") == {oid["weight"]}
    assert found(f"status=final&patient={pid}") == everything
    assert found("status=preliminary") == set()
    p = f"patient={pid}&code=8867-4&"
    assert found(p + "date=2026-11-21") == {oid["p2"]}
    assert found(p + "date=eq2026-11-21T08:00:00Z") == {oid["p2"]}
    assert found(p + "date=gt2026-11-21T08:00:00Z") == {oid["p3"]}
    assert found(p + "date=ge2026-11-21T08:00:00Z") == {oid["p2"], oid["p3"]}
    assert found(p + "date=lt2026-11-21T08:00:00Z") == {oid["p1"]}
    assert found(p + "date=le2026-11-21T08:00:00Z") == {oid["p1"], oid["p2"]}
    assert found(p + "date=gt2026-11-22T08:00:00.4Z") == {oid["p3"]}
    assert found(p + "date=gt2026-11-22T08:00:00.5Z") == set()
    assert found(p + "date=sa2026-11-21") == {oid["p3"]}
    assert found(p + "date=eb2026-11-21") == {oid["p1"]}
    # +01:00 offset: 09:30+01:00 is 08:30Z
    assert found("code=2708-6&date=2026-11-21T08:30:00Z") == {oid["spo2"]}
    # _lastUpdated with prefixes
    lu = {k: v["meta"]["lastUpdated"] for k, v in o.items()}
    assert found(f"patient={pid}&_lastUpdated=gt{lu['p3']}") == {oid["spo2"], oid["weight"]}
    assert found(f"patient={pid}&_lastUpdated=ge{lu['p3']}") == {
        oid["p3"],
        oid["spo2"],
        oid["weight"],
    }
    assert found(f"patient={pid}&_lastUpdated=lt{lu['p2']}") == {oid["p1"]}
    assert found(f"patient={pid}&_lastUpdated=le{lu['p2']}") == {oid["p1"], oid["p2"]}
    assert found(f"_lastUpdated={lu['p2']}") == {oid["p2"]}


def test_sorting(client: AppClient, people: dict[str, Any]) -> None:
    pid = people["bjorn"]["id"]
    o = _observations(client, pid)
    oid = {k: v["id"] for k, v in o.items()}
    by_date = [oid[k] for k in ("weight", "p1", "p2", "spo2", "p3")]
    assert ids(search(client, f"Observation?patient={pid}&_sort=date")) == by_date
    assert ids(search(client, f"Observation?patient={pid}&_sort=-date")) == by_date[::-1]
    created = [oid[k] for k in ("p1", "p2", "p3", "spo2", "weight")]
    assert ids(search(client, f"Observation?patient={pid}&_sort=_lastUpdated")) == created
    assert ids(search(client, f"Observation?patient={pid}&_sort=-_lastUpdated")) == created[::-1]
    assert ids(search(client, f"Observation?patient={pid}&_sort=_id")) == sorted(created)
    assert ids(search(client, f"Observation?patient={pid}&_sort=-_id")) == sorted(created)[::-1]
    b, h, a = people["bjorn"]["id"], people["hansen"]["id"], people["aeroe"]["id"]
    # "aero kari" < "bjornstad ase" < "hansen ola" after folding
    assert ids(search(client, "Patient?_sort=name")) == [a, b, h]
    assert ids(search(client, "Patient?_sort=-family")) == [h, b, a]
    assert ids(search(client, "Patient?_sort=birthdate")) == [h, b, a]
    assert ids(search(client, "Patient?_sort=-birthdate,name")) == [a, b, h]
    assert ids(search(client, "Patient?_sort=-birthdate")) == [a, b, h]


def test_summary_count_and_count_zero(client: AppClient, people: dict[str, Any]) -> None:
    bundle = search(client, "Patient?_summary=count")
    assert bundle["total"] == 3 and "entry" not in bundle
    bundle = search(client, "Patient?_count=0")
    assert bundle["total"] == 3 and "entry" not in bundle
    assert search(client, "Patient?name=zzz")["total"] == 0


def _walk(client: AppClient, url: str, during: Any = None) -> list[str]:
    seen: list[str] = []
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.text
        bundle = r.json()
        seen += ids(bundle)
        pages += 1
        if during is not None:
            during(pages)
        nxt = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = nxt[0] if nxt else ""
        assert pages < 100
    return seen


@pytest.mark.parametrize("sort", ["", "&_sort=date", "&_sort=-date", "&_sort=-_lastUpdated"])
def test_paging_walks_every_result_once_while_inserting(
    client: AppClient, people: dict[str, Any], sort: str
) -> None:
    pid = people["bjorn"]["id"]
    originals = {
        post(client, obs(pid, "8867-4", f"2026-11-{1 + i % 20:02d}T08:00:{i % 3:02d}Z"))["id"]
        for i in range(23)
    }
    batches: list[set[str]] = []

    def insert(page: int) -> None:
        when = f"2026-11-{10 + page:02d}T0{{}}:30:00Z"
        batches.append({post(client, obs(pid, "8867-4", when.format(j)))["id"] for j in range(2)})

    bundle = search(client, f"Observation?patient={pid}&_count=5{sort}")
    assert bundle["total"] == 23 and len(ids(bundle)) == 5
    seen = _walk(client, f"/fhir/Observation?patient={pid}&_count=5{sort}", insert)
    assert len(seen) == len(set(seen)), "a resource was returned twice"
    assert originals <= set(seen), "a resource that existed all along was skipped"
    inserted = set().union(*batches)
    assert set(seen) <= originals | inserted
    if not sort:  # insertion order: all but the inserts after the last page are seen at the end
        assert set(seen) == originals | set().union(*batches[:-1])


def test_lastn(client: AppClient, store: Store, people: dict[str, Any]) -> None:
    b, h = people["bjorn"]["id"], people["hansen"]["id"]
    o = {k: v["id"] for k, v in _observations(client, b).items()}
    hp = post(client, obs(h, "8867-4", "2026-11-22T10:00:00Z"))["id"]

    def lastn(query: str) -> list[str]:
        r = client.get(f"/fhir/Observation/$lastn?{query}")
        assert r.status_code == 200, r.text
        return ids(r.json())

    assert set(lastn("max=1")) == {o["p3"], o["spo2"], o["weight"], hp}
    assert set(lastn("")) == {o["p3"], o["spo2"], o["weight"], hp}
    assert set(lastn(f"max=2&patient=Patient/{b}")) == {
        o["p3"],
        o["p2"],
        o["spo2"],
        o["weight"],
    }
    assert set(lastn(f"max=10&patient={b}&code=8867-4")) == {o["p1"], o["p2"], o["p3"]}
    assert set(lastn(f"max=1&code={LOINC}|59408-5")) == {o["spo2"]}
    assert set(lastn(f"max=1&patient={b}&category=vital-signs")) == {o["p3"], o["spo2"]}
    # An older measurement arriving late does not displace the newest...
    late = post(client, obs(b, "8867-4", "2026-11-01T08:00:00Z"))["id"]
    assert set(lastn(f"max=1&patient={b}&code=8867-4")) == {o["p3"]}
    assert late in lastn(f"max=4&patient={b}&code=8867-4")
    # ...and a newer one does.
    newest = post(client, obs(b, "8867-4", "2026-11-23T08:00:00Z"))["id"]
    assert lastn(f"max=1&patient={b}&code=8867-4") == [newest]
    # Above the kept depth the window-query path answers the same way.
    for i in range(6):
        post(client, obs(h, "9279-1", f"2026-11-1{i}T08:00:00Z"))
    deep = lastn(f"max=7&patient={h}&code=9279-1")
    assert len(deep) == 6
    assert lastn(f"max=3&patient={h}&code=9279-1") == deep[:3]


def test_lastn_after_bulk_load_matches_brute_force(store: Store) -> None:
    resources: list[dict[str, Any]] = []
    for p in range(20):
        resources.append({"resourceType": "Patient", "id": f"p{p}"})
        for i in range(30):
            code = ("8867-4", "2708-6", "29463-7")[(p + i) % 3]
            day = 1 + (i * 7 + p) % 30  # distinct per patient: no ties
            o = obs(f"p{p}", code, f"2026-11-{day:02d}T{i % 24:02d}:00:00Z", i)
            o["id"] = f"o{p}-{i}"
            resources.append(o)
    assert store.bulk_load(resources) == 20 * 31
    got = {s.res_id for s in store.lastn(2)}
    expected: set[str] = set()
    by_pair: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for r in resources:
        if r["resourceType"] == "Observation":
            key = (r["subject"]["reference"], r["code"]["coding"][0]["code"])
            by_pair.setdefault(key, []).append((r["effectiveDateTime"], r["id"]))
    for values in by_pair.values():
        expected |= {rid for _, rid in sorted(values, reverse=True)[:2]}
    assert got == expected
    assert {s.res_id for s in store.lastn(8, patients=["p3"])} == {
        rid
        for (ref, _), values in by_pair.items()
        if ref == "Patient/p3"
        for _, rid in sorted(values, reverse=True)[:8]
    }


def test_bulk_load_keeps_ids_and_meta(store: Store) -> None:
    res = {
        "resourceType": "Patient",
        "id": "seeded-1",
        "meta": {"versionId": "3", "lastUpdated": "2026-11-01T10:00:00.000001Z"},
    }
    store.bulk_load([res])
    st = store.read("Patient", "seeded-1")
    assert st is not None and st.version_id == 3
    assert st.resource()["meta"]["lastUpdated"] == "2026-11-01T10:00:00.000001Z"
    created = store.create("Patient", {"resourceType": "Patient"})
    assert created.seq > st.seq


def test_websocket_handshake_events_and_heartbeat(client: AppClient) -> None:
    with client.websocket_connect("/ws/notifications?types=Observation") as ws:
        hello = ws.receive_json()
        assert hello == {"type": "handshake", "eventNumber": 0, "heartbeatPeriod": 0.3}
        p = post(client, patient("Lie", "Per", "1950-01-01", "01815099999"))  # filtered out
        first = post(client, obs(p["id"], "8867-4", "2026-11-22T08:00:00Z"))
        second = post(client, obs(p["id"], "8867-4", "2026-11-22T09:00:00Z"))
        e1 = ws.receive_json()
        e2 = ws.receive_json()
        assert e1["type"] == "event-notification" and e1["eventNumber"] == 1
        assert e1["action"] == "create"
        assert e1["focus"] == {"reference": f"Observation/{first['id']}"}
        assert e1["versionId"] == "1"
        assert e1["lastUpdated"] == first["meta"]["lastUpdated"]
        assert e1["resource"] == first
        assert e2["eventNumber"] == 2 and e2["resource"]["id"] == second["id"]
        beat = ws.receive_json()
        assert beat == {"type": "heartbeat", "eventNumber": 2}


def test_websocket_all_types_by_default(client: AppClient) -> None:
    with client.websocket_connect("/ws/notifications") as ws:
        assert ws.receive_json()["type"] == "handshake"
        p = post(client, patient("Lie", "Per", "1950-01-01", "01815099999"))
        event = ws.receive_json()
        assert event["focus"]["reference"] == f"Patient/{p['id']}"


def test_websocket_unknown_type_is_refused(client: AppClient) -> None:
    with client.websocket_connect("/ws/notifications?types=Unicorn") as ws:
        with pytest.raises(WebSocketClosed) as info:
            ws.receive_json()
        assert info.value.code == 1008


def test_event_frame_is_valid_json() -> None:
    from server.api.broker import ChangeEvent

    data = json.dumps({"resourceType": "Patient", "id": "x", "name": [{"text": 'Å "q"'}]})
    frame = ChangeEvent(7, "create", "Patient", "x", 1, "2026-11-22T10:00:00.000001Z", data)
    parsed = json.loads(frame.frame(3))
    assert parsed["eventNumber"] == 3 and parsed["resource"]["name"][0]["text"] == 'Å "q"'
