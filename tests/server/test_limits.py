"""Bounded input and output, and no 5xx for odd dates (issue 10). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from server.store import Store
from tests.server.inprocess import AppClient, serve_in_thread
from tests.server.test_api import obs, patient


def _count(client: AppClient, res_type: str) -> int:
    total: int = client.get(f"/fhir/{res_type}?_summary=count").json()["total"]
    return total


def _outcome(r: Any) -> dict[str, Any]:
    body: dict[str, Any] = r.json()
    assert body["resourceType"] == "OperationOutcome", body
    return body


def test_large_bodies_get_413_and_nothing_is_stored(client: AppClient) -> None:
    p = client.post("/fhir/Patient", json=patient("Stor", "Kari", "1950-01-01", "1")).json()
    body = obs(p["id"], "8867-4", "2026-01-01T10:00:00Z")
    body["note"] = [{"text": "x" * 30_000} for _ in range(40)]  # ~1.2 MB
    before = _count(client, "Observation")
    r = client.post("/fhir/Observation", json=body)
    assert r.status_code == 413
    assert _outcome(r)["issue"][0]["code"] == "too-long"
    # Without Content-Length (chunked): stopped while reading.
    import json

    data = json.dumps(body).encode()
    chunks = (data[i : i + 65536] for i in range(0, len(data), 65536))
    r = client.post(
        "/fhir/Observation", content=chunks, headers={"Content-Type": "application/fhir+json"}
    )
    assert r.status_code == 413
    _outcome(r)
    # Updates and the sign-in form too.
    r = client.put(
        f"/fhir/Patient/{p['id']}",
        content=b"{" + b" " * (2 << 20) + b"}",
        headers={"If-Match": 'W/"1"', "Content-Type": "application/fhir+json"},
    )
    assert r.status_code == 413
    assert _count(client, "Observation") == before


def test_the_body_limit_is_configurable(store: Store) -> None:
    with serve_in_thread(store, max_body_bytes=8192) as small:
        p = small.post("/fhir/Patient", json=patient("Liten", "Ola", "1950-01-01", "2")).json()
        body = obs(p["id"], "8867-4", "2026-01-01T10:00:00Z")
        assert small.post("/fhir/Observation", json=body).status_code == 201
        body["note"] = [{"text": "y" * 9000}]
        assert small.post("/fhir/Observation", json=body).status_code == 413


def test_strings_arrays_and_nesting_are_bounded(client: AppClient) -> None:
    p = client.post("/fhir/Patient", json=patient("Grense", "Per", "1950-01-01", "3")).json()
    before = _count(client, "Observation")
    long_text = obs(p["id"], "8867-4", "2026-01-01T10:00:00Z")
    long_text["note"] = [{"text": "z" * 40_000}]
    many = obs(p["id"], "8867-4", "2026-01-01T10:00:00Z")
    many["identifier"] = [{"system": "urn:x", "value": str(i)} for i in range(1500)]
    deep: dict[str, Any] = {}
    inner = deep
    for _ in range(60):
        inner["extension"] = [{"url": "urn:x"}]
        inner = inner["extension"][0]
    nested = {**obs(p["id"], "8867-4", "2026-01-01T10:00:00Z"), **deep}
    for body, where in (
        (long_text, "Observation.note.text"),
        (many, "Observation.identifier"),
        (nested, "Observation.extension"),
    ):
        r = client.post("/fhir/Observation", json=body)
        assert r.status_code == 422, r.text
        assert _outcome(r)["issue"][0]["expression"][0].startswith(where)
    assert _count(client, "Observation") == before


@pytest.fixture
def paged(store: Store) -> Iterator[tuple[AppClient, str]]:
    """A server whose answers stop at 64 KiB, with 60 observations of ~3 KB each."""
    with serve_in_thread(store, max_response_bytes=64 * 1024) as c:
        pid = c.post("/fhir/Patient", json=patient("Side", "Ane", "1950-01-01", "4")).json()["id"]
        for i in range(60):
            body = obs(pid, "8867-4", f"2026-01-01T10:{i:02d}:00Z")
            body["note"] = [{"text": f"{i:03d} " + "m" * 3000}]
            assert c.post("/fhir/Observation", json=body).status_code == 201
        yield c, pid


def _walk(c: AppClient, url: str) -> tuple[list[str], list[int]]:
    ids: list[str] = []
    sizes: list[int] = []
    while url:
        r = c.get(url)
        assert r.status_code == 200, r.text
        sizes.append(len(r.content))
        bundle = r.json()
        ids += [
            e["resource"]["id"]
            for e in bundle.get("entry", [])
            if e.get("search", {}).get("mode") != "outcome" and "resource" in e
        ]
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), "")
    return ids, sizes


def test_no_answer_is_larger_than_the_limit_the_rest_is_paged(
    paged: tuple[AppClient, str],
) -> None:
    c, pid = paged
    limit = 64 * 1024
    # _count is capped (1000), and the byte limit pages long before that.
    ids, sizes = _walk(c, "/fhir/Observation?_count=100000")
    assert len(ids) == len(set(ids)) == 60
    assert len(sizes) > 2 and max(sizes) <= limit
    # $lastn pages by patient; one patient alone over the limit is cut, with a warning.
    lastn = c.get(f"/fhir/Observation/$lastn?max=1000&patient={pid}")
    assert len(lastn.content) <= limit
    outcomes = [e for e in lastn.json()["entry"] if e["search"]["mode"] == "outcome"]
    assert outcomes and "smaller max" in outcomes[0]["resource"]["issue"][0]["diagnostics"]
    ids, sizes = _walk(c, "/fhir/Observation/_history?_count=1000")
    assert len(ids) == 60 and max(sizes) <= limit
    ids, sizes = _walk(c, f"/fhir/Patient?_id={pid}&_revinclude=Observation:subject")
    assert max(sizes) <= limit


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/fhir/_history?_since=2026-01-01T10:00:00%2B25:00", "_since"),
        ("/fhir/Observation/_history?_since=2026-01-01T10:00:00-99:00", "_since"),
        ("/fhir/Observation?date=ge2026-01-01T10:00:00%2B24:30", "date"),
        ("/fhir/Patient?_lastUpdated=gt2026-01-01T10:00:00-25:00", "_lastUpdated"),
        ("/fhir/Patient?birthdate=1950-01-01T00:00:00%2B30:00", "birthdate"),
        ("/fhir/Patient?birthdate=9999-12-31", None),
        ("/fhir/Observation?date=le9999-12-31T23:59:59Z", None),
    ],
)
def test_date_offsets_beyond_a_day_are_400_naming_the_parameter(
    client: AppClient, path: str, param: str | None
) -> None:
    r = client.get(path)
    if param is None:  # the far future is a date like any other
        assert r.status_code == 200, r.text
        return
    assert r.status_code == 400, r.text
    issue = _outcome(r)["issue"][0]
    assert issue["expression"] == [param]
    assert param in issue["diagnostics"] and "Traceback" not in r.text


def test_dates_in_bodies_beyond_a_day_are_refused_not_a_500(client: AppClient) -> None:
    p = client.post("/fhir/Patient", json=patient("Tid", "Siv", "1950-01-01", "5")).json()
    body = obs(p["id"], "8867-4", "2026-01-01T10:00:00+25:00")
    r = client.post("/fhir/Observation", json=body)
    assert 400 <= r.status_code < 500, r.text
    _outcome(r)


def test_lastn_pages_patient_by_patient(paged: tuple[AppClient, str]) -> None:
    c, first = paged
    others = []
    for n in range(3):
        body = patient("Neste", f"Nr{n}", "1950-01-01", f"9{n}")
        pid = c.post("/fhir/Patient", json=body).json()["id"]
        others.append(pid)
        for i in range(12):
            o = obs(pid, "8867-4", f"2026-01-02T10:{i:02d}:00Z")
            o["note"] = [{"text": "n" * 3000}]
            assert c.post("/fhir/Observation", json=o).status_code == 201
    url = "/fhir/Observation/$lastn?max=1000"
    seen: dict[str, int] = {}
    pages = 0
    while url:
        r = c.get(url)
        assert r.status_code == 200 and len(r.content) <= 64 * 1024
        bundle = r.json()
        pages += 1
        for e in bundle.get("entry", []):
            if e["search"]["mode"] == "match":
                subject = e["resource"]["subject"]["reference"].split("/")[1]
                seen[subject] = seen.get(subject, 0) + 1
        url = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), "")
    assert pages >= 2
    assert all(seen.get(pid) == 12 for pid in others), seen  # whole patients, never split
    assert first in seen


def test_a_page_holds_exactly_the_bodies_that_fit_its_budget(store: Store) -> None:
    """The store's page against the rule written out here: in the page's order, rows while
    their entries fit the budget (the first always), at most ``_count``; the cursor goes on
    from there. PostgreSQL decides it in SQL (a running total), SQLite while streaming; both
    must give these pages. Notes of different sizes, some not ASCII (bytes are not chars)."""
    from server.store import search as s
    from server.store.registry import RESOURCE_TYPES
    from server.store.store import entry_size

    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    for i in range(12):
        body = obs(pid, "8867-4", f"2026-01-01T10:{i:02d}:00Z")
        body["note"] = [{"text": ("ø" if i % 3 == 0 else "m") * (400 + 350 * (i % 5))}]
        store.create("Observation", body)
    newest_first = [
        st
        for st in store.search(
            s.plan_search(RESOURCE_TYPES["Observation"], [("_sort", "-date"), ("_count", "100")])
        ).matches
    ]
    assert len(newest_first) == 12

    def expected(budget: int, count: int) -> list[list[str]]:
        pages: list[list[str]] = []
        page: list[str] = []
        used = 0
        for st in newest_first:
            size = entry_size(st.data)
            if len(page) == count or (page and used + size > budget):
                pages.append(page)
                page, used = [], 0
            page.append(st.res_id)
            used += size
        return [*pages, page]

    for budget, count in ((5_000, 100), (3_000, 4), (1, 100), (10**9, 5)):
        got: list[list[str]] = []
        cursor = None
        while True:
            query = [("_sort", "-date"), ("_count", str(count))]
            if cursor is not None:
                query.append(("_cursor", cursor))
            plan = s.plan_search(RESOURCE_TYPES["Observation"], query)
            plan.max_bytes = budget
            result = store.search(plan)
            got.append([st.res_id for st in result.matches])
            for st in result.matches:  # whole bodies, as stored
                stored = store.read("Observation", st.res_id)
                assert stored is not None and st.data == stored.data
            cursor = result.next_cursor
            if cursor is None:
                break
        assert got == expected(budget, count), (budget, count)


def test_a_read_on_postgresql_opens_no_transaction(store: Store) -> None:
    """A read pays for its statements only: no BEGIN before, no ROLLBACK after (two of a
    small search's three round trips before)."""
    if store.is_sqlite:
        pytest.skip("PostgreSQL's round trips")
    from psycopg.pq import TransactionStatus
    from sqlalchemy import text

    with store.reading() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        assert dbapi.info.transaction_status == TransactionStatus.IDLE
    with store.engine.begin() as conn:  # writes keep their transaction
        conn.execute(text("SELECT 1"))
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        assert dbapi.info.transaction_status == TransactionStatus.INTRANS


def test_a_write_that_breaks_a_constraint_raises_integrity_error_and_keeps_nothing(
    store: Store,
) -> None:
    """PostgreSQL writes a batch's inserts in one pipeline; a constraint it breaks is still
    SQLAlchemy's IntegrityError (what the retries catch), and the batch leaves nothing."""
    from sqlalchemy.exc import IntegrityError

    store.bulk_load([{"resourceType": "Patient", "id": "same"}])
    with pytest.raises(IntegrityError):
        store.bulk_load(
            [{"resourceType": "Patient", "id": "other"}, {"resourceType": "Patient", "id": "same"}]
        )
    assert store.read("Patient", "other") is None
    assert store.count("Patient") == 1


def test_a_writes_json_and_index_rows_are_made_before_the_write_lock(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the version and time are decided under the write lock: a write that waits for it
    (a POST behind an audit flush) waits for the others' statements, not for their JSON. The
    stored text keeps resourceType, id and meta first, with the version and time the lock
    gave."""
    import json
    import threading

    import server.store.store as store_module

    held = threading.local()
    made_under_lock: list[str] = []
    real_lock, real_extract = store._write_lock, store_module.extract

    class Watched:
        def __enter__(self) -> None:
            real_lock.acquire()
            held.on = True

        def __exit__(self, *exc: object) -> None:
            held.on = False
            real_lock.release()

    def extract(rt: Any, res: dict[str, Any]) -> Any:
        if getattr(held, "on", False):
            made_under_lock.append(rt.name)
        return real_extract(rt, res)

    monkeypatch.setattr(store, "_write_lock", Watched())
    monkeypatch.setattr(store_module, "extract", extract)
    p = store.create("Patient", patient("Test", "Lock", "1950-01-01", "01015012345"))
    o = store.create_many([("Observation", obs(p.res_id, "8867-4", "2026-12-03T08:00:00Z", 88))])[0]
    updated = store.update("Observation", o.res_id, {**o.resource(), "status": "amended"}, 1)
    store.delete("Observation", o.res_id)
    cond, _ = store.conditional_create(
        "Patient", patient("Test", "Cond", "1950-01-02", "02015012345"), [("given", "Cond")]
    )
    assert made_under_lock == []
    text = store.read("Observation", o.res_id)
    assert text is not None and text.deleted
    data = json.loads(updated.data)
    assert list(data)[:3] == ["resourceType", "id", "meta"]
    assert data["meta"]["versionId"] == "2"
    assert data["meta"]["lastUpdated"] == updated.last_updated_text
    assert data["status"] == "amended"
    assert updated.data == json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    assert json.loads(cond.data)["name"][0]["given"] == ["Cond"]


def test_a_sorted_page_reads_the_bodies_of_its_own_rows_only(store: Store) -> None:
    """A sorted search picks the page by its keys and then joins the bodies of the page's rows:
    sorting the bodies of every match (a patient's 450 Observations for her last 100) copied
    them all through the sorter. Same pages, cursor and total as before."""
    from server.store import search as s
    from server.store.registry import RESOURCE_TYPES
    from tests.server.sql_watch import statements_run

    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    for i in range(9):
        store.create("Observation", obs(pid, "8867-4", f"2026-01-01T10:{(i * 7) % 9:02d}:00Z"))
    with statements_run(store.engine, "JOIN resource ON resource.pk = page.pk") as statements:
        pages: list[list[str]] = []
        cursor = None
        while True:
            query = [("patient", pid), ("_sort", "-date"), ("_count", "4")]
            if cursor is not None:
                query.append(("_cursor", cursor))
            result = store.search(s.plan_search(RESOURCE_TYPES["Observation"], query))
            pages.append([st.resource()["effectiveDateTime"][11:16] for st in result.matches])
            if cursor is None:
                assert result.total == 9
            cursor = result.next_cursor
            if cursor is None:
                break
    minutes = [f"10:{m:02d}" for m in range(8, -1, -1)]
    assert pages == [minutes[:4], minutes[4:8], minutes[8:]]
    page_query = statements[0]
    inner = page_query[page_query.index("(SELECT resource.pk") :]
    inner = inner[: inner.index(") AS page")]
    assert "resource.data" not in inner, page_query
    assert "JOIN resource ON resource.pk = page.pk" in page_query, page_query
