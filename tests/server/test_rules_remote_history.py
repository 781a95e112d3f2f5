"""Another worker's Observation joins the cached history as a reload would have it
(server.rules.runtime `_fold_remote`): same values, same suspect flags, corrections replace."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from server.api.broker import Broker
from server.api.service import FhirService
from server.rules.plan import DAY
from server.store import Store
from tests.server.rules_world import T0, World, obs, seed


def remote(
    world: World, other: FhirService, body: dict[str, Any], version: int | None = None
) -> Any:
    """Write `body` as another worker would, and tell the engine as the fan-out does."""
    if version is None:
        (st,) = world.run(lambda: other.create_many([("Observation", body)]))
    else:
        st = world.run(lambda: other.update("Observation", body["id"], body, version))
    event = SimpleNamespace(res_type="Observation", data=json.dumps(st.resource()))
    world.engine._on_remote([event], False)
    return st


def reloaded(world: World, pid: str) -> dict[str, list[tuple[float, float, str, bool]]]:
    since = world.now.timestamp() - 30 * DAY
    fresh = world.engine._load_history(pid, since)
    return {v: [(x.t, x.value, x.ref, x.suspect) for x in s] for v, s in fresh.items() if s}


def cached(world: World, pid: str) -> dict[str, list[tuple[float, float, str, bool]]]:
    history = world.engine._history[pid]
    return {v: [(x.t, x.value, x.ref, x.suspect) for x in s] for v, s in history.items() if s}


def test_a_remote_value_and_its_correction_match_a_reload(store: Store) -> None:
    seed(store, {"copd1": "copd"})
    world = World(store)
    other = FhirService(store, Broker())  # the second worker: no engine of this process
    for days, value in ((3, 91), (2, 90), (1, 91)):
        world.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))
    world.run(lambda: world.engine.history_for("copd1"))
    loads = world.engine.stats["history_loads"]
    st = remote(world, other, obs("copd1", "spo2", 78, T0 - timedelta(hours=2)))
    assert cached(world, "copd1") == reloaded(world, "copd1")
    assert any(x[3] for x in cached(world, "copd1")["spo2"])  # the jump is marked suspect
    body = {**st.resource(), "status": "entered-in-error"}
    remote(world, other, body, st.version_id)
    assert cached(world, "copd1") == reloaded(world, "copd1")
    assert all(x[2] != st.reference for x in cached(world, "copd1")["spo2"])
    assert world.engine.stats["history_loads"] == loads  # folded in, never reloaded


def test_only_the_latest_patients_stay_in_memory_and_the_others_reload_the_same(
    store: Store, monkeypatch: Any
) -> None:
    """The cache keeps the patients who posted last; an evicted one's history reloads from
    observation_sample exactly as it was cached."""
    from server.rules import runtime

    monkeypatch.setattr(runtime, "HISTORY_PATIENTS", 2)
    seed(store, {"p1": "copd", "p2": "copd", "p3": "copd"})
    world = World(store)
    for pid in ("p1", "p2", "p3"):
        for days, value in ((4, 91), (3, 90), (2, 91), (1, 78)):
            world.post(obs(pid, "spo2", value, T0 - timedelta(days=days)))
    assert list(world.engine._history) == ["p2", "p3"]
    world.run(lambda: world.engine.history_for("p2"))  # a hit: p2 is now the latest
    assert list(world.engine._history) == ["p3", "p2"]
    before = reloaded(world, "p1")
    world.run(lambda: world.engine.history_for("p1"))
    assert list(world.engine._history) == ["p2", "p1"]
    assert cached(world, "p1") == before
    assert any(x[3] for x in before["spo2"])  # the 78 after 90-91 is still marked suspect
