"""Two workers (two engines on one database, ``--workers 2``) raising the same patient's alert
at once: the per-process lock does not reach across processes, so the database must. Whatever
the interleaving, the patient has one open Task for the rule, holding both values."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from server.store import Store
from tests.server.rules_world import T0, World, obs, seed


def open_alerts(world: World, pid: str, rule: str) -> list[dict[str, Any]]:
    return [
        t
        for t in world.tasks(pid)
        if t["code"]["coding"][0]["code"] == rule and t["status"] not in ("completed", "cancelled")
    ]


def test_a_second_worker_that_read_before_the_first_committed_joins_its_alert(
    store: Store,
) -> None:
    seed(store, {"copd1": "copd"})
    first, second = World(store), World(store)
    # Shared, as on PostgreSQL (SQLite refuses --workers > 1; the test runs on both stores).
    first.engine.shared = second.engine.shared = True
    for days, value in ((3, 92), (2, 93), (1, 92)):
        first.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))
    # The second worker searched for the open Task before the first worker's create committed.
    stale_reads = [True]
    real_find_open = second.engine._find_open

    def find_open(patient_id: str, rule: str) -> Any:
        if stale_reads:
            stale_reads.pop()
            return None
        return real_find_open(patient_id, rule)

    second.engine._find_open = find_open  # type: ignore[method-assign]
    (a,) = first.post(obs("copd1", "spo2", 84, T0 - timedelta(minutes=20)))
    (b,) = second.post(obs("copd1", "spo2", 83, T0 - timedelta(minutes=10)))
    assert not stale_reads  # the second worker did read stale

    alerts = open_alerts(first, "copd1", "threshold-spo2")
    assert len(alerts) == 1, [t["id"] for t in alerts]
    triggers = {
        i["valueReference"]["reference"]
        for i in alerts[0]["input"]
        if i["type"]["coding"][0]["code"] == "trigger"
    }
    assert {a.reference, b.reference} <= triggers
    assert second.engine.stats["tasks_open_elsewhere"] == 1


@pytest.mark.parametrize("shared", [False, True], ids=["one-process", "shared"])
def test_the_same_observation_again_after_handling_opens_no_new_alert(
    store: Store, shared: bool
) -> None:
    seed(store, {"copd1": "copd"})
    world = World(store)
    world.engine.shared = shared
    for days, value in ((3, 92), (2, 93), (1, 92)):
        world.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))
    (st,) = world.post(obs("copd1", "spo2", 84, T0 - timedelta(minutes=20)))
    (task,) = open_alerts(world, "copd1", "threshold-spo2")
    done = {**task, "status": "completed", "businessStatus": {"text": "Ringt pasienten"}}
    done.pop("meta")
    world.put(done, int(task["meta"]["versionId"]))
    # Two days later (past the after-handling window) the app sends the same reading again.
    world.now = T0 + timedelta(days=2)
    body = {**st.resource(), "note": [{"text": "sendt på nytt"}]}
    world.put(body, st.version_id)
    assert open_alerts(world, "copd1", "threshold-spo2") == []


def test_a_worker_without_the_clock_has_every_plan_before_its_first_post(store: Store) -> None:
    """`dho-server --workers 2` gives its other workers `warm_job` (they run no rules clock):
    their first POST for a patient reads no plan, as on the first worker."""
    from server.rules.runtime import warm_job

    seed(store, {"copd1": "copd", "hf1": "heart-failure"})
    cold, warmed = World(store), World(store)
    cold.engine.shared = warmed.engine.shared = True
    warmed.run(lambda: warm_job(warmed.service))
    for world in (cold, warmed):
        world.post(obs("copd1", "spo2", 95, T0 - timedelta(minutes=5)))
        world.post(obs("hf1", "weight", 80.0, T0 - timedelta(minutes=4)))
    assert cold.engine.stats["plan_loads"] == 2
    assert warmed.engine.stats["plan_loads"] == 0


def _clinical(world: World, pid: str) -> list[dict[str, Any]]:
    return [t for t in world.tasks(pid) if t["code"]["coding"][0]["code"] != "missing-measurement"]


def test_a_warmed_worker_knows_every_patients_open_state_without_a_search_each(
    store: Store,
) -> None:
    """`warm` reads the open Tasks once for all patients (shared database): a patient's first
    value after a start costs no Task search, and a hold made before the start still closes on
    a normal re-measurement there (10,000 patients: 15 % of the workers' time, 2026-12-07)."""
    from server.rules.runtime import warm_job

    seed(store, {"copd1": "copd", "hf1": "heart-failure"})
    before = World(store)
    before.engine.shared = True
    for days, value in ((3, 93), (2, 94), (1, 93)):
        before.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))
    before.post(obs("copd1", "spo2", 84, T0))  # suspect (cold fingers?): held for re-measuring
    (held,) = _clinical(before, "copd1")
    assert held["status"] == "draft"

    cold, warmed = World(store), World(store)
    cold.engine.shared = warmed.engine.shared = True
    warmed.run(lambda: warm_job(warmed.service))
    cold.run(lambda: warm_job(cold.service))
    cold.engine._open_state.clear()  # as before this change: every patient read on first use
    warmed.now = T0 + timedelta(minutes=20)
    warmed.post(obs("hf1", "weight", 80.0, warmed.now))
    warmed.post(obs("copd1", "spo2", 92, warmed.now))  # normal: the hold was a measuring error
    assert warmed.engine.stats["open_state_loads"] == 0
    (closed,) = _clinical(warmed, "copd1")
    assert closed["status"] == "cancelled"
    assert closed["businessStatus"]["coding"][0]["code"] == "measurement-error"
    cold.now = warmed.now
    cold.post(obs("hf1", "weight", 80.1, cold.now))
    assert cold.engine.stats["open_state_loads"] == 1


def test_a_task_that_changes_while_the_open_state_is_read_is_read_again(store: Store) -> None:
    """A Task changed (here or on another worker) while `warm` reads every open Task may be
    missing from that read: that patient's state is not kept from it but read on first use."""
    from server.rules.runtime import warm_job

    seed(store, {"copd1": "copd", "hf1": "heart-failure"})
    world = World(store)
    world.engine.shared = True
    engine = world.engine
    real = engine._load_open_state

    def load_with_a_change_meanwhile() -> Any:
        found = real()
        engine._task_changed({"resourceType": "Task", "for": {"reference": "Patient/copd1"}})
        return found

    engine._load_open_state = load_with_a_change_meanwhile  # type: ignore[method-assign]
    world.run(lambda: warm_job(world.service))
    assert "copd1" not in engine._open_state
    assert "hf1" in engine._open_state
    world.post(obs("copd1", "spo2", 95, T0 - timedelta(minutes=5)))
    assert engine.stats["open_state_loads"] == 1
