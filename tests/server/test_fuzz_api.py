"""Fuzz the REST API in-process: whatever arrives, no 5xx, and every 4xx is an OperationOutcome.

Bounded (a few hundred examples per test, no deadline) so the file runs in well under a minute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.store import Store
from server.store.registry import RESOURCE_TYPES
from server.store.search import CONTROL
from tests.server.inprocess import AppClient, serve_in_thread
from tests.server.test_api import obs, patient

TYPES = sorted(RESOURCE_TYPES)
# Subscription has its own routes (server/api/subscription_api.py); fuzzed here all the same.
WRITE_TYPES = TYPES
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def fuzz_client(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[AppClient, dict[str, Any]]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    store = Store(f"sqlite:///{folder / 'fuzz.sqlite'}")
    store.create_schema()
    try:
        with serve_in_thread(store) as client:
            p = client.post("/fhir/Patient", json=patient("Fuzz", "Åse", "1950-01-01", "1")).json()
            o = client.post("/fhir/Observation", json=obs(p["id"], "8867-4", "2026-01-01")).json()
            yield client, {"patient": p, "observation": o}
    finally:
        store.close()


def check(r: Any) -> None:
    assert r.status_code < 500, (r.request.method, str(r.request.url), r.status_code, r.text[:500])
    if 400 <= r.status_code < 500:
        body = r.json()
        assert body["resourceType"] == "OperationOutcome", body
        assert body["issue"] and body["issue"][0]["diagnostics"]


_unicode = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=40)
_scalar = st.one_of(
    _unicode,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.just("x" * 100_000),
)
_json = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_unicode, inner, max_size=4)
    ),
    max_leaves=12,
)
_fields = [
    *sorted({p for rt in RESOURCE_TYPES.values() for p in rt.required}),
    "id",
    "meta",
    "subject",
    "code",
    "status",
    "valueQuantity",
    "effectiveDateTime",
    "identifier",
    "name",
    "for",
    "focus",
    "component",
    "extension",
    "birthDate",
]


@st.composite
def resource_bodies(draw: st.DrawFn, res_type: str) -> bytes:
    kind = draw(st.sampled_from(["mutated", "json", "garbage", "deep", "huge"]))
    if kind == "garbage":
        return draw(st.binary(max_size=200))
    if kind == "deep":
        depth = draw(st.integers(100, 100_000))
        return b"[" * depth + b"]" * depth
    if kind == "huge":
        return json.dumps(
            {"resourceType": res_type, "status": "final", "id": "a" * draw(st.integers(1, 5000))}
        ).encode()
    if kind == "json":
        return json.dumps(draw(_json)).encode()
    base = obs("p1", "8867-4", "2026-01-01T10:00:00Z") if res_type == "Observation" else {}
    body: dict[str, Any] = {"resourceType": res_type, **base}
    body.pop("resourceType", None)
    body["resourceType"] = draw(st.sampled_from([res_type, res_type, "Patient", "", "Nope"]))
    for field in draw(st.lists(st.sampled_from(_fields), max_size=4)):
        body[field] = draw(_json)
    return json.dumps(body, ensure_ascii=draw(st.booleans())).encode()


_param_names = st.one_of(
    st.sampled_from(
        [
            *sorted({p for rt in RESOURCE_TYPES.values() for p in rt.by_name} | CONTROL),
            *["_id", "_lastUpdated", "_since", "max", "_include:iterate", "code:not"],
            "name:exact",
        ]
    ),
    _unicode,
)
_param_values = st.one_of(
    st.sampled_from(
        [
            "",
            "ge2026-01-01",
            "sa2026",
            "ap2026",
            "Patient/1",
            "http://loinc.org|8867-4",
            "|",
            "Observation:subject",
            "Patient:organization",
            "count",
            "-date",
            "9" * 40,
            "-1",
            "none",
            "eyJ4Ijp7fX0",
            "WyJhIiwiYiIsMV0",
        ]
    ),
    _unicode,
)
# Printable ASCII without surrounding blanks (what a client can put in a header at all).
_header_text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30
).map(str.strip)
_queries = st.lists(st.tuples(_param_names, _param_values), max_size=5)


@FUZZ
@given(res_type=st.sampled_from([*TYPES, "Nope", "metadata"]), params=_queries)
def test_search_never_fails(fuzz_client: tuple[AppClient, Any], res_type: str, params: Any) -> None:
    client, _ = fuzz_client
    check(client.get(f"/fhir/{res_type}", params=params))


@FUZZ
@given(
    res_type=st.sampled_from(WRITE_TYPES),
    data=st.data(),
    headers=st.dictionaries(
        st.sampled_from(["If-None-Exist", "Content-Type", "Prefer"]),
        st.one_of(
            st.sampled_from(
                [
                    "identifier=urn:x|1",
                    "application/fhir+json",
                    "text/plain",
                    "return=minimal",
                    "colour=red",
                    "&&&",
                ]
            ),
            _header_text,
        ),
        max_size=3,
    ),
)
def test_create_never_fails(
    fuzz_client: tuple[AppClient, Any], res_type: str, data: st.DataObject, headers: Any
) -> None:
    client, _ = fuzz_client
    body = data.draw(resource_bodies(res_type))
    check(client.post(f"/fhir/{res_type}", content=body, headers=headers))


@FUZZ
@given(
    which=st.sampled_from(["patient", "observation"]),
    if_match=st.one_of(
        st.none(),
        st.sampled_from(['W/"1"', '"1"', "1", "*", 'W/"99999999999"', "W/", '""', 'W/"-1"']),
        _header_text,
    ),
    data=st.data(),
    other_id=st.booleans(),
)
def test_update_never_fails(
    fuzz_client: tuple[AppClient, Any],
    which: str,
    if_match: str | None,
    data: st.DataObject,
    other_id: bool,
) -> None:
    client, known = fuzz_client
    current = known[which]
    res_type, res_id = current["resourceType"], current["id"]
    if data.draw(st.booleans()):
        body = json.dumps(
            {**current, **data.draw(st.dictionaries(st.sampled_from(_fields), _json, max_size=2))}
        ).encode()
    else:
        body = data.draw(resource_bodies(res_type))
    url_id = (
        data.draw(_unicode.filter(lambda s: "/" not in s and s not in ("", ".", "..")))
        if other_id
        else res_id
    )
    headers = {} if if_match is None else {"If-Match": if_match}
    r = client.put(f"/fhir/{res_type}/{quote(url_id, safe='')}", content=body, headers=headers)
    check(r)
    if r.status_code == 200 and url_id == res_id:
        known[which] = r.json()  # stay current so later examples can win too


_segments = st.one_of(
    st.sampled_from(
        [*TYPES, "_history", "$lastn", "metadata", "Nope", "1", "x" * 300, "%00", "..", "_search"]
    ),
    _unicode.filter(lambda s: "/" not in s and s not in (".", "..")),
    st.integers(-(2**70), 2**70).map(str),
)


@FUZZ
@given(
    method=st.sampled_from(["GET", "GET", "DELETE", "PATCH", "POST", "PUT", "HEAD", "OPTIONS"]),
    segments=st.lists(_segments, min_size=0, max_size=5),
    params=_queries,
)
def test_random_paths_never_fail(
    fuzz_client: tuple[AppClient, Any], method: str, segments: list[str], params: Any
) -> None:
    client, _ = fuzz_client
    path = "/fhir/" + "/".join(quote(s, safe="$") for s in segments)
    r = client.request(
        method, path, params=params, content=b"{}" if method in ("POST", "PUT") else None
    )
    assert r.status_code < 500, (method, path, params, r.status_code, r.text[:300])
    if 400 <= r.status_code < 500 and method != "HEAD":
        check(r)


def test_known_edges(fuzz_client: tuple[AppClient, Any]) -> None:
    """Inputs a fuzzer rarely builds: numbers past 64 bits, cursors with odd JSON."""
    import base64

    client, known = fuzz_client
    pid = known["patient"]["id"]
    huge = "9" * 30
    cursor = base64.urlsafe_b64encode(json.dumps([{"a": 1}, [2]]).encode()).decode()
    for path in (
        f"/fhir/Patient/{pid}/_history/{huge}",
        f"/fhir/Patient/{pid}/_history?_cursor={huge}",
        f"/fhir/_history?_since=9999-12-31T23:59:59Z&_count={huge}",
        f"/fhir/Patient?_count={huge}",
        f"/fhir/Patient?_cursor={cursor}",
        f"/fhir/Patient?_sort=birthdate&_cursor={cursor}",
        "/fhir/Observation?date=ge0001-01-01&_lastUpdated=lt9999",
        f"/fhir/Observation/$lastn?max={huge}",
        f"/fhir/Patient?_id={'x' * 5000}",
    ):
        check(client.get(path))
    check(client.put(f"/fhir/Patient/{pid}", json=known["patient"], headers={"If-Match": huge}))
    check(client.delete(f"/fhir/Patient/{'x' * 100}"))


def test_deeply_nested_subscription_is_a_400_not_a_500(tmp_path: Path) -> None:
    body = '{"resourceType": "Subscription", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    store = Store(f"sqlite:///{tmp_path / 'deep.sqlite'}")
    store.create_schema()
    try:
        with serve_in_thread(store) as client:
            response = client.post(
                "/fhir/Subscription",
                content=body,
                headers={"Content-Type": "application/fhir+json"},
            )
    finally:
        store.close()  # Python 3.13 warns about an unclosed sqlite connection otherwise
    assert response.status_code == 400, response.text
    assert response.json()["resourceType"] == "OperationOutcome"
