"""The console's copy of the threshold rules raises what the server's rules raise.

Same plan, same Observation → the same Task (rule, level, priority, description, inputs,
identifier), compared with `server/rules/engine.py` itself, for many random values; and the
repeat-breach merge behaves as the server's (appended once, priority only raised).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

import pytest

from console.domain.alert_rules import evaluate_thresholds
from console.fhir.console_alerts import (
    merge_into_task,
    new_task,
    observation_values,
    plan_limits,
)
from server.rules import engine
from server.rules.plan import Band, build_patient_plan, thresholds_extensions

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DEPARTMENT = {"reference": "Organization/dep-a", "display": "Hjemmesykepleien"}

CODES = {
    "spo2": [("2708-6", None), ("59408-5", None)],
    "pulse": [("8867-4", None)],
    "temp": [("8310-5", None)],
    "weight": [("29463-7", None)],
    "glucose": [("15074-8", None)],
}


def service_request(key: str, code: str, extensions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": f"sr-{key}",
        "status": "active",
        "intent": "plan",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/p1"},
        "extension": extensions,
    }


def plans() -> list[dict[str, Any]]:
    return [
        service_request(
            "spo2",
            "2708-6",
            thresholds_extensions(
                "spo2", [Band("red", 86, None), Band("yellow", 88, None)], component=False
            ),
        ),
        service_request(
            "pulse",
            "8867-4",
            thresholds_extensions(
                "pulse", [Band("red", 40, 130), Band("yellow", 50, 110)], component=False
            ),
        ),
        service_request(
            "bp",
            "85354-9",
            thresholds_extensions(
                "sys", [Band("red", 90, 180), Band("yellow", 100, 160)], component=True
            )
            + thresholds_extensions(
                "dia", [Band("red", None, 110), Band("yellow", None, 100)], component=True
            ),
        ),
        service_request(
            "temp",
            "8310-5",
            thresholds_extensions(
                "temp", [Band("red", 35.0, 38.9), Band("yellow", None, 37.9)], component=False
            ),
        ),
    ]


def observation(rng: random.Random, n: int) -> dict[str, Any]:
    kind = rng.choice(["spo2", "pulse", "bp", "temp"])
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"obs-{n}",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": f"2026-12-02T10:{n % 60:02d}:00Z",
    }
    if kind == "bp":
        obs["code"] = {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]}
        obs["component"] = [
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                "valueQuantity": {"value": rng.randint(80, 200), "unit": "mmHg"},
            },
            {
                "code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                "valueQuantity": {"value": rng.randint(55, 125), "unit": "mmHg"},
            },
        ]
        return obs
    code, value = {
        "spo2": ("2708-6", rng.randint(80, 99)),
        "pulse": ("8867-4", rng.randint(35, 140)),
        "temp": ("8310-5", round(rng.uniform(34.5, 40.0), 1)),
    }[kind]
    obs["code"] = {"coding": [{"system": "http://loinc.org", "code": code}]}
    obs["valueQuantity"] = {"value": value}
    return obs


def server_tasks(obs: dict[str, Any]) -> list[dict[str, Any]]:
    plan = build_patient_plan("p1", plans(), [])
    values = engine.observation_values(obs)
    findings = engine.evaluate_thresholds(obs, f"Observation/{obs['id']}", plan, values)
    return [engine.new_task(f, DEPARTMENT, "T") for f in findings]


def console_tasks(obs: dict[str, Any]) -> list[dict[str, Any]]:
    findings = evaluate_thresholds(
        "p1",
        f"Observation/{obs['id']}",
        obs["effectiveDateTime"],
        observation_values(obs),
        plan_limits(plans()),
    )
    return [new_task(f, DEPARTMENT, NOW) for f in findings]


def comparable(task: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in task.items() if k not in ("authoredOn", "lastModified")}


def test_the_same_alerts_as_the_servers_rules_for_many_values() -> None:
    rng = random.Random(14)
    raised = 0
    for n in range(400):
        obs = observation(rng, n)
        ours = sorted((comparable(t) for t in console_tasks(obs)), key=lambda t: t["code"]["text"])
        theirs = sorted((comparable(t) for t in server_tasks(obs)), key=lambda t: t["code"]["text"])
        assert ours == theirs, obs
        raised += len(ours)
    assert raised > 100  # the comparison covered real alerts, not only quiet values


def test_template_limits_do_not_raise_alerts() -> None:
    """Only the patient's own plan counts: no thresholds in it, no alert."""
    bare = service_request("spo2", "2708-6", [])
    obs = observation(random.Random(1), 0)
    obs["code"] = {"coding": [{"system": "http://loinc.org", "code": "2708-6"}]}
    obs["valueQuantity"] = {"value": 70}
    obs.pop("component", None)
    assert plan_limits([bare]) == {}
    assert (
        evaluate_thresholds(
            "p1", "Observation/x", "t", observation_values(obs), plan_limits([bare])
        )
        == []
    )


@pytest.mark.parametrize(("first", "second"), [(87, 84), (84, 87)])
def test_a_repeat_breach_is_merged_like_the_server_does(first: int, second: int) -> None:
    def spo2(n: int, value: int) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": f"o{n}",
            "status": "final",
            "subject": {"reference": "Patient/p1"},
            "effectiveDateTime": f"2026-12-02T10:0{n}:00Z",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2708-6"}]},
            "valueQuantity": {"value": value},
        }

    task = console_tasks(spo2(1, first))[0]
    finding = evaluate_thresholds(
        "p1", "Observation/o2", "2026-12-02T10:02:00Z", {"spo2": second}, plan_limits(plans())
    )[0]
    merged = merge_into_task(task, finding, NOW)
    plan = build_patient_plan("p1", plans(), [])
    obs2 = spo2(2, second)
    server_finding = engine.evaluate_thresholds(
        obs2, "Observation/o2", plan, engine.observation_values(obs2)
    )[0]
    expected = engine.merge_into_task(task, server_finding, "T")
    assert merged is not None and expected is not None
    assert comparable(merged) == comparable(expected)
    assert merge_into_task(merged, finding, NOW) is None  # the same breach is not added twice


def test_an_implausible_value_joining_an_open_card_marks_it_suspect() -> None:
    """A new card for an implausible value is marked "possible measurement error"; the same
    value added to the patient's open card must mark that card too (it once did not, and the
    resolve dialog then had nothing to explain)."""
    obs = {
        "resourceType": "Observation",
        "id": "o1",
        "status": "final",
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": "2026-12-02T10:01:00Z",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2708-6"}]},
        "valueQuantity": {"value": 85},
    }
    task = console_tasks(obs)[0]
    assert not any("suspect-value" in e["url"] for e in task["extension"])
    finding = evaluate_thresholds(
        "p1", "Observation/o2", "2026-12-02T10:02:00Z", {"spo2": 45}, plan_limits(plans())
    )[0]
    assert finding.suspect == "implausible"
    merged = merge_into_task(task, finding, NOW)
    assert merged is not None
    marks = [e for e in merged["extension"] if e["url"].endswith("suspect-value")]
    assert len(marks) == 1
    parts = {p["url"]: p for p in marks[0]["extension"]}
    assert parts["reason"]["valueCode"] == "implausible"
    assert parts["observation"]["valueReference"]["reference"] == "Observation/o2"
    again = evaluate_thresholds(
        "p1", "Observation/o3", "2026-12-02T10:03:00Z", {"spo2": 44}, plan_limits(plans())
    )[0]
    twice = merge_into_task(merged, again, NOW)
    assert twice is not None
    assert len([e for e in twice["extension"] if e["url"].endswith("suspect-value")]) == 1
