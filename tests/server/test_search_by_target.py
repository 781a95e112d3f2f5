"""A target's newest matches are read from its index rows by date (issue 16, search at scale).

`Observation?patient=X&_sort=-date` walks ``ix_idx_reference_target`` backward; these tests
check that the page, the order, the cursor and the total are what the plain search gives:
ties by creation, undated rows last, deleted rows gone, updated dates moved, other conditions
applied, and a resource that names its target twice matched once. SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from server.store import Store
from server.store import search as s
from server.store.registry import RESOURCE_TYPES
from tests.server.sql_watch import statements_run
from tests.server.test_api import obs

OBS = RESOURCE_TYPES["Observation"]


def _pages(store: Store, query: list[tuple[str, str]], size: int) -> tuple[list[str], int | None]:
    """Every match's id, page after page, and the first page's total."""
    ids: list[str] = []
    cursor = None
    total = None
    while True:
        q = [*query, ("_count", str(size))]
        if cursor is not None:
            q.append(("_cursor", cursor))
        result = store.search(s.plan_search(OBS, q))
        if cursor is None:
            total = result.total
        ids.extend(st.res_id for st in result.matches)
        cursor = result.next_cursor
        if cursor is None:
            return ids, total


def _expected(store: Store, ids: list[str], code: str | None = None) -> list[str]:
    """Newest first by effectiveDateTime, ties in creation order, undated last."""
    rows: list[tuple[str, int, str]] = []
    for n, rid in enumerate(ids):
        st = store.read("Observation", rid)
        assert st is not None
        if st.deleted:
            continue
        res: dict[str, Any] = st.resource()
        if code is not None and res["code"]["coding"][0]["code"] != code:
            continue
        rows.append((res.get("effectiveDateTime", ""), n, rid))
    rows.sort(key=lambda r: (r[0] == "", _neg(r[0]), r[1]))
    return [r[2] for r in rows]


def _neg(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def test_a_patients_newest_first_is_the_plain_order_with_cursor_and_total(store: Store) -> None:
    her = store.create("Patient", {"resourceType": "Patient"}).res_id
    other = store.create("Patient", {"resourceType": "Patient"}).res_id
    made: list[str] = []
    times = ["10:05", "10:01", "10:05", "09:59", "10:05", "10:03", "10:02", "10:01", "10:07"]
    for i, hhmm in enumerate(times):
        code = "8867-4" if i % 2 else "59408-5"
        made.append(store.create("Observation", obs(her, code, f"2026-03-01T{hhmm}:00Z")).res_id)
        store.create("Observation", obs(other, code, f"2026-03-01T{hhmm}:30Z"))
    undated = obs(her, "8867-4", "2026-03-01T00:00:00Z")
    del undated["effectiveDateTime"]
    made.append(store.create("Observation", undated).res_id)
    # A deleted one leaves, an updated one moves to its new time.
    store.delete("Observation", made[5])
    moved = store.read("Observation", made[3])
    assert moved is not None
    store.update(
        "Observation",
        made[3],
        {**moved.resource(), "effectiveDateTime": "2026-03-01T11:00:00Z"},
        moved.version_id,
    )

    query = [("patient", her), ("_sort", "-date")]
    plan = s.plan_search(OBS, [*query, ("_count", "3")])
    assert plan.driven()
    with statements_run(store.engine, "idx_reference AS drv") as driven:
        ids, total = _pages(store, query, 3)
    assert driven, "the search did not walk the target's index rows"
    want = _expected(store, made)
    assert ids == want
    assert total == len(want) == 9
    assert ids[0] == made[3] and ids[-1] == made[-1]  # moved first, undated last

    # With another condition: the same walk, the condition per row, the total of the matches.
    coded, coded_total = _pages(store, [*query, ("code", "8867-4")], 2)
    assert coded == _expected(store, made, "8867-4")
    assert coded_total == len(coded)

    # The typed reference and the plain one find the same.
    typed, _ = _pages(store, [("patient", f"Patient/{her}"), ("_sort", "-date")], 4)
    assert typed == want


def test_oldest_first_and_untyped_references_keep_the_plain_search(store: Store) -> None:
    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    for hhmm in ("10:02", "10:01", "10:03"):
        store.create("Observation", obs(pid, "8867-4", f"2026-03-01T{hhmm}:00Z"))
    assert not s.plan_search(OBS, [("patient", pid), ("_sort", "date")]).driven()
    assert not s.plan_search(OBS, [("subject", pid), ("_sort", "-date")]).driven()
    assert s.plan_search(OBS, [("subject", f"Patient/{pid}"), ("_sort", "-date")]).driven()
    up = store.search(s.plan_search(OBS, [("patient", pid), ("_sort", "date")]))
    times = [st.resource()["effectiveDateTime"][11:16] for st in up.matches]
    assert times == ["10:01", "10:02", "10:03"]


def test_a_resource_naming_its_target_twice_matches_once(store: Store) -> None:
    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    twice = {
        "resourceType": "Appointment",
        "status": "booked",
        "start": "2026-03-02T09:00:00Z",
        "participant": [
            {"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"},
            {"actor": {"reference": f"Patient/{pid}"}, "status": "accepted"},
        ],
    }
    made = store.create("Appointment", twice).res_id
    rt = RESOURCE_TYPES["Appointment"]
    plan = s.plan_search(rt, [("patient", pid), ("_sort", "-date")])
    assert plan.driven()
    result = store.search(plan)
    assert [st.res_id for st in result.matches] == [made]
    assert result.total == 1


def test_the_first_page_statement_is_built_once_and_bound_to_each_target(store: Store) -> None:
    """The statement is reused across targets: each search must still get its own target's
    rows and total (a statement that kept the first target would show her to everyone)."""
    pids = [store.create("Patient", {"resourceType": "Patient"}).res_id for _ in range(3)]
    made: dict[str, list[str]] = {p: [] for p in pids}
    for n, pid in enumerate(pids):
        for i in range(n + 2):
            made[pid].append(
                store.create(
                    "Observation", obs(pid, "8867-4", f"2026-03-0{i + 1}T10:00:00Z")
                ).res_id
            )
    store._statements.clear()
    for _round in range(2):
        for pid in pids:
            plan = s.plan_search(OBS, [("patient", pid), ("_sort", "-date"), ("_count", "50")])
            result = store.search(plan)
            assert [m.res_id for m in result.matches] == made[pid][::-1]
            assert result.total == len(made[pid])
    assert len(store._statements) == 1
