"""Training mode, server side (issue 13): every scenario of the library plays headless on the
real backend (served in-process) by stepping the server clock, and raises its expected alerts
and messages at the expected simulated times; scripted trainees are scored from what they do
over HTTP; the operations exist on training servers only and refuse bad requests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from server.clock import SimClock
from server.profile import ServerProfile
from server.sim.schedule import OSLO, parse_instant
from server.store import Store
from server.training.format import Scenario
from server.training.library import library
from tests.server.inprocess import AppClient, serve_in_thread
from tests.server.test_auth_helpers import seed_store

CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"
RULE = "http://dho.example/fhir/CodeSystem/alert-rule"
RANK = {"routine": 0, "urgent": 1, "asap": 2}
LEVEL_PRIORITY = {"yellow": "urgent", "red": "asap"}


def _next_monday() -> float:
    """06:00 Oslo on the Monday after next: the clock starts after every seeded timestamp
    (the store's timestamps never run backwards), and weekday scenarios start that week."""
    day = datetime.now(OSLO).date() + timedelta(days=7)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime.combine(day, time(6, 0), tzinfo=OSLO).timestamp()


MONDAY = _next_monday()


@dataclass
class Played:
    client: AppClient
    status: dict[str, Any]
    scenario: Scenario

    @property
    def t0(self) -> float:
        return parse_instant(self.status["scenarios"][0]["start_at"])

    def patient(self, key: str) -> str:
        return next(p["id"] for p in self.status["patients"] if p["key"] == key)


@pytest.fixture
def training(tmp_path: Path) -> Iterator[AppClient]:
    """A training backend (auth off) with the seeded centre's organisations and staff."""
    store = Store(f"sqlite:///{tmp_path / 'training.sqlite'}")
    store.create_schema()
    seed_store(store, 8)
    try:
        with serve_in_thread(
            store, profile=ServerProfile.TRAINING, clock=SimClock(MONDAY, 1.0)
        ) as client:
            yield client
    finally:
        store.close()


def _all(client: AppClient, path: str) -> list[dict[str, Any]]:
    bundle = client.get(path).json()
    return [e["resource"] for e in bundle.get("entry", [])]


def _step_to_end(client: AppClient) -> dict[str, Any]:
    status: dict[str, Any] = {}
    for _ in range(200):
        answer = client.post("/fhir/$scenario-control", json={"action": "step"})
        assert answer.status_code == 200, answer.text
        status = answer.json()
        if status["state"] == "finished":
            return status
    raise AssertionError("the scenario did not finish in 200 steps")


def _versions(client: AppClient, task: dict[str, Any]) -> list[dict[str, Any]]:
    return _all(client, f"/fhir/Task/{task['id']}/_history?_count=100")


def _rule(task: dict[str, Any]) -> str:
    return next(c["code"] for c in task["code"]["coding"] if c["system"] == RULE)


def _sender_kind(message: dict[str, Any]) -> str:
    kind = str(message.get("sender", {}).get("reference", "")).split("/")[0]
    return {"Patient": "patient", "RelatedPerson": "relative"}.get(kind, "service")


def test_the_library_has_at_least_ten_scenarios_from_the_seeds_groups() -> None:
    scenarios = library()
    assert len(scenarios) >= 10
    groups = {s.group for s in scenarios.values()}
    assert {"copd", "heart-failure", "diabetes-t2", "cancer", "rehabilitation"} <= groups
    assert "dementia-relatives" in groups
    for s in scenarios.values():
        for text in (s.title, s.truth["summary"], *(e["summary"] for e in s.events)):
            assert set(text) == {"en", "nb", "nn"} and all(text.values())


@pytest.mark.parametrize("name", sorted(library()))
def test_every_scenario_plays_its_expected_alerts_and_messages_on_time(
    training: AppClient, name: str
) -> None:
    scenario = library()[name]
    loaded = training.post("/fhir/$scenario-load", json={"scenarios": [name], "trainees": []})
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["state"] == "ready"
    status = _step_to_end(training)
    played = Played(training, status, scenario)
    assert all(e["done"] for e in status["events"])
    expected = scenario.expected
    minute = 60.0
    for want in expected.get("alerts") or ():
        pid = played.patient(want["patient"])
        priority = want.get("priority") or LEVEL_PRIORITY[want.get("level", "yellow")]
        tasks = [t for t in _all(training, f"/fhir/Task?patient=Patient/{pid}&_count=200")]
        tasks = [t for t in tasks if _rule(t) == want["rule"]]
        assert tasks, f"{name}: no {want['rule']} alert"
        # When did the alert first show (not held back) at this priority or higher?
        shown = [
            parse_instant(v["meta"]["lastUpdated"])
            for t in tasks
            for v in _versions(training, t)
            if v.get("status") != "draft" and RANK[v.get("priority", "routine")] >= RANK[priority]
        ]
        assert shown, f"{name}: {want['rule']} never reached {priority}"
        first = (min(shown) - played.t0) / minute
        assert want.get("after", 0) <= first <= want["by"], (name, want, first)
    for want in expected.get("messages") or ():
        pid = played.patient(want["patient"])
        messages = _all(training, f"/fhir/Communication?subject=Patient/{pid}&_count=200")
        times = [
            (parse_instant(m["sent"]) - played.t0) / minute
            for m in messages
            if any(
                c["code"] == want["category"] for cat in m["category"] for c in cat["coding"]
            )
            and (
                "from" not in want
                or _sender_kind(m) == want["from"]
                or (want["from"] == "organization" and _sender_kind(m) == "service")
            )
        ]
        assert any(want.get("after", 0) <= t <= want["by"] for t in times), (name, want, times)
    for rule in expected.get("no_alerts") or ():
        for pid in (p["id"] for p in status["patients"]):
            tasks = _all(training, f"/fhir/Task?patient=Patient/{pid}&_count=200")
            assert rule not in {_rule(t) for t in tasks}, (name, rule)
    # Every scenario resource is an ordinary, tagged FHIR resource.
    for p in status["patients"]:
        patient = training.get(f"/fhir/Patient/{p['id']}").json()
        assert {"system": "http://dho.example/fhir/CodeSystem/training", "code": "scenario"} in [
            {k: t[k] for k in ("system", "code")} for t in patient["meta"]["tag"]
        ]
