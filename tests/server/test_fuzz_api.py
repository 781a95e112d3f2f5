"""Fuzz the REST API in-process: whatever arrives, no 5xx, every 4xx is an OperationOutcome,
and a refused write stores nothing.

Search parameters (dates with any offset included), headers (Authorization, If-Match,
If-None-Exist, Content-Type, Content-Length, Prefer, ...) and bodies, with auth off and with a
nurse's token (the access checks run on every request). Bounded (a few hundred examples per
test, no deadline) so the file runs in well under a minute; ``benchmarks/server_fuzz.py`` sends
10,000 of the same requests to a real backend and prints its memory.
"""

from __future__ import annotations

import contextlib
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
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _stored_seq(client: AppClient) -> int:
    """The newest change number of the store behind ``client`` (grows with every write)."""
    seq: int = client.app.state.store.max_seq()
    return seq


DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextlib.contextmanager
def _database(request: pytest.FixtureRequest, folder: Path) -> Iterator[Store]:
    """A fresh SQLite file or PostgreSQL schema for one module's fuzzing (PostgreSQL refuses
    some input SQLite takes, NUL characters in text for one: both must answer 4xx)."""
    if request.param == "sqlite":
        store = Store(f"sqlite:///{folder / 'fuzz.sqlite'}")
        store.create_schema()
        try:
            yield store
        finally:
            store.close()
        return
    import uuid

    import psycopg

    from tests.server.conftest import _libpq

    base = request.getfixturevalue("postgres_url")
    schema = f"f_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(base), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    store = Store(
        base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    )
    store.create_schema()
    try:
        yield store
    finally:
        store.close()
        with psycopg.connect(_libpq(base), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="module", params=DATABASES)
def fuzz_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AppClient, dict[str, Any]]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with _database(request, folder) as store, serve_in_thread(store) as client:
        p = client.post("/fhir/Patient", json=patient("Fuzz", "Åse", "1950-01-01", "1")).json()
        o = client.post("/fhir/Observation", json=obs(p["id"], "8867-4", "2026-01-01")).json()
        yield client, {"patient": p, "observation": o}


def check(r: Any, before: int | None = None, client: AppClient | None = None) -> None:
    """No 5xx; a 4xx is an OperationOutcome; with ``before``, a 4xx changed nothing."""
    assert r.status_code < 500, (r.request.method, str(r.request.url), r.status_code, r.text[:500])
    if 400 <= r.status_code < 500:
        if r.request.method != "HEAD":
            body = r.json()
            assert body["resourceType"] == "OperationOutcome", body
            assert body["issue"] and body["issue"][0]["diagnostics"]
        if before is not None and client is not None:
            assert _stored_seq(client) == before, ("a refused write stored something", r.text)


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
_offsets = st.builds(
    lambda sign, hh, mm: f"{sign}{hh:02d}:{mm:02d}",
    st.sampled_from(["+", "-"]),
    st.integers(0, 99),
    st.integers(0, 99),
)
_dates = st.builds(
    lambda prefix, y, m, d, hh, mi, frac, tz: (
        f"{prefix}{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}:00{frac}{tz}"
    ),
    st.sampled_from(["", "ge", "lt", "eq", "sa", "eb", "ap", "ne"]),
    st.integers(0, 9999),
    st.integers(0, 13),
    st.integers(0, 32),
    st.integers(0, 25),
    st.integers(0, 61),
    st.sampled_from(["", ".5", ".1234567", "."]),
    st.one_of(st.sampled_from(["", "Z", "z"]), _offsets),
)
_param_values = st.one_of(
    _dates,
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


_date_params = st.lists(
    st.tuples(
        st.sampled_from(["date", "_lastUpdated", "birthdate", "authored", "sent", "_since"]),
        _dates,
    ),
    min_size=1,
    max_size=3,
)


@FUZZ
@given(res_type=st.sampled_from([*TYPES, "Nope", "metadata"]), params=_queries)
def test_search_never_fails(fuzz_client: tuple[AppClient, Any], res_type: str, params: Any) -> None:
    client, _ = fuzz_client
    check(client.get(f"/fhir/{res_type}", params=params))


@FUZZ
@given(
    path=st.sampled_from(
        ["/fhir/Observation", "/fhir/Patient", "/fhir/_history", "/fhir/Patient/_history"]
    ),
    params=_date_params,
)
def test_dates_with_any_offset_never_fail(
    fuzz_client: tuple[AppClient, Any], path: str, params: Any
) -> None:
    client, _ = fuzz_client
    r = client.get(path, params=params)
    check(r)
    if r.status_code == 400:  # the parameter at fault is named
        issue = r.json()["issue"][0]
        assert issue.get("expression") or any(n in issue["diagnostics"] for n, _ in params)


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
    before = _stored_seq(client)
    check(client.post(f"/fhir/{res_type}", content=body, headers=headers), before, client)


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
    before = _stored_seq(client)
    r = client.put(f"/fhir/{res_type}/{quote(url_id, safe='')}", content=body, headers=headers)
    check(r, before, client)
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


_header_names = st.sampled_from(
    [
        "Authorization",
        "If-Match",
        "If-None-Exist",
        "If-None-Match",
        "Content-Type",
        "Prefer",
        "Accept",
        "Accept-Language",
        "X-Forwarded-For",
        "Origin",
    ]
)
_header_values = st.one_of(
    st.sampled_from(
        [
            "Bearer x",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
            "Bearer a.b.c",
            "Basic ZGhvOg==",
            "Basic !!!",
            'W/"1"',
            "identifier=urn:oid:2.16.578.1.12.4.1.4.1|01017012345",
            "application/fhir+json; charset=latin-1",
            "multipart/form-data; boundary=x",
            "return=representation",
            "*",
        ]
    ),
    _header_text,
)


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    which=st.sampled_from(["patient", "observation", "type"]),
    headers=st.dictionaries(_header_names, _header_values.map(str.strip), max_size=4),
    data=st.data(),
)
def test_headers_never_fail(
    fuzz_client: tuple[AppClient, Any],
    method: str,
    which: str,
    headers: dict[str, str],
    data: st.DataObject,
) -> None:
    client, known = fuzz_client
    if which == "type":
        res_type, path = "Observation", "/fhir/Observation"
    else:
        res_type = known[which]["resourceType"]
        path = f"/fhir/{res_type}/{known[which]['id']}"
    body = data.draw(resource_bodies(res_type)) if method in ("POST", "PUT") else None
    if method == "POST":
        path = f"/fhir/{res_type}"
    before = _stored_seq(client)
    r = client.request(method, path, content=body, headers=headers)
    check(r, before, client)
    if method == "PUT" and r.status_code == 200 and which != "type":
        known[which] = r.json()


@pytest.fixture(scope="module")
def nurse_client(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[AppClient, dict[str, Any]]]:
    """Auth on: a nurse of one department, with patients in and out of her scope."""
    from server.auth.context import AuthSettings
    from tests.server.test_auth_helpers import seed_store, token_headers

    folder: Path = tmp_path_factory.mktemp("fuzz-auth")
    store = Store(f"sqlite:///{folder / 'fuzz.sqlite'}")
    store.create_schema()
    seeded = seed_store(store, n_patients=12)
    settings = AuthSettings(enabled=True, audit_interval=3600)
    try:
        with serve_in_thread(store, auth=settings) as client:
            nurse = seeded.user("nurse", "hjemmesykepleien-sandnes")
            own = sorted(seeded.patients_of("hjemmesykepleien-sandnes"))
            other = sorted(seeded.all_patients - set(own))
            yield (
                client,
                {
                    "headers": token_headers(client, nurse.username),
                    "ids": [*own[:2], *other[:2], "nope"],
                },
            )
    finally:
        store.close()


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    res_type=st.sampled_from(WRITE_TYPES),
    pick=st.integers(0, 4),
    data=st.data(),
)
def test_a_nurses_requests_never_fail_and_refusals_store_nothing(
    nurse_client: tuple[AppClient, dict[str, Any]],
    method: str,
    res_type: str,
    pick: int,
    data: st.DataObject,
) -> None:
    client, world = nurse_client
    headers = dict(world["headers"])
    rid = world["ids"][pick]
    if method == "GET":
        params = data.draw(_queries)
        r = client.get(f"/fhir/{res_type}", params=params, headers=headers)
        check(r)
        return
    body = data.draw(resource_bodies(res_type)) if method != "DELETE" else None
    if body is not None and data.draw(st.booleans()):
        # Aim at a patient, in or out of her departments.
        try:
            shaped = json.loads(body)
        except (ValueError, RecursionError):  # garbage stays garbage
            shaped = None
        if isinstance(shaped, dict):
            for field in ("subject", "patient", "for"):
                shaped[field] = {"reference": f"Patient/{rid}"}
            body = json.dumps(shaped).encode()
    if method == "PUT":
        headers["If-Match"] = data.draw(st.sampled_from(['W/"1"', 'W/"2"', "1"]))
    path = f"/fhir/{res_type}" if method == "POST" else f"/fhir/{res_type}/{rid}"
    before = _stored_seq(client)
    r = client.request(method, path, content=body, headers=headers)
    check(r, before, client)


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
    # NUL characters: PostgreSQL text cannot hold them; every one must be a 4xx.
    before = _stored_seq(client)
    for path in ("/fhir/Patient/a%00b", "/fhir/Patient?name=a%00b", "/fhir/Task/9%00"):
        check(client.get(path))
        check(client.delete(path.split("?")[0]))
    check(client.post("/fhir/Patient", json={"resourceType": "Patient", "gender": "a\u0000b"}))
    check(client.post("/fhir/Patient", content=b'{"resourceType": "Patient", "x\\u0000": 1}'))
    r = client.post("/oauth2/token", data={"grant_type": "password", "client_id": "a\x00"})
    assert 400 <= r.status_code < 500
    check_oauth = client.post(
        "/oauth2/token", data={"grant_type": "client_credentials"}, auth=("dho\x00", "x")
    )
    assert check_oauth.status_code < 500
    assert _stored_seq(client) == before


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
