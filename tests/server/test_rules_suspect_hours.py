"""Suspect values held for a re-measurement, out-of-hours marking and advice, and server-side
escalation in service hours (the rules engine through the service's write path)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from server.rules.codes import COMMUNICATION_CATEGORY_SYSTEM
from server.store import Store
from server.store import search as srch
from server.store.registry import RESOURCE_TYPES
from tests.server.rules_world import T0, World, messages, obs, seed

DHO = "http://dho.example/fhir/StructureDefinition/"


@pytest.fixture
def world(store: Store) -> World:
    seed(store, {"copd1": "copd", "hf1": "heart-failure"})
    return World(store)


def clinical(world: World, pid: str) -> list[dict[str, Any]]:
    """The patient's alerts other than missing measurements (a plan they never measured)."""
    return [t for t in world.tasks(pid) if t["code"]["coding"][0]["code"] != "missing-measurement"]


def ext(task: dict[str, Any], name: str) -> dict[str, Any]:
    found = next((e for e in task.get("extension", ()) if e["url"] == DHO + name), None)
    assert found is not None, (name, task.get("extension"))
    return {
        s["url"]: next(v for k, v in s.items() if k.startswith("value")) for s in found["extension"]
    }


def usual_spo2(world: World) -> None:
    for days, value in ((3, 93), (2, 94), (1, 93)):
        world.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))


def test_suspect_value_is_held_and_a_normal_remeasure_closes_it(world: World) -> None:
    usual_spo2(world)
    (low,) = world.post(obs("copd1", "spo2", 84, T0))  # red, 9 below her usual: cold fingers?
    (task,) = clinical(world, "copd1")
    assert task["status"] == "draft"  # held: the queue (requested,in-progress,on-hold) hides it
    assert ext(task, "suspect-value")["reason"] == "cold-finger"
    (request,) = messages(world, "copd1", "remeasure-request")
    assert {a["reference"] for a in request["about"]} == {f"Task/{task['id']}", low.reference}
    assert request["reasonCode"][0]["coding"][0]["code"] == "2708-6"
    world.now = T0 + timedelta(minutes=20)
    world.post(obs("copd1", "spo2", 92, world.now))
    (task,) = clinical(world, "copd1")
    assert task["status"] == "cancelled"
    assert task["businessStatus"]["coding"][0]["code"] == "measurement-error"
    assert ext(task, "remeasure")["result"] == "normal"


def test_a_confirming_value_raises_the_held_alert_at_once(world: World) -> None:
    usual_spo2(world)
    world.post(obs("copd1", "spo2", 84, T0))
    world.now = T0 + timedelta(minutes=15)
    world.post(obs("copd1", "spo2", 85, world.now))
    (task,) = clinical(world, "copd1")
    assert task["status"] == "requested" and task["priority"] == "asap"
    assert ext(task, "remeasure")["result"] == "confirmed"
    assert "heldUntil" not in ext(task, "suspect-value")


def test_no_remeasure_within_the_hold_raises_it(world: World) -> None:
    usual_spo2(world)
    world.post(obs("copd1", "spo2", 84, T0))
    world.tick(T0 + timedelta(minutes=44))
    assert clinical(world, "copd1")[0]["status"] == "draft"
    world.tick(T0 + timedelta(minutes=46))
    (task,) = clinical(world, "copd1")
    assert task["status"] == "requested" and ext(task, "remeasure")["result"] == "none"


def test_a_value_past_the_critical_limit_is_never_held(world: World) -> None:
    usual_spo2(world)
    world.post(obs("copd1", "spo2", 76, T0))  # below the critical 80 %
    (task,) = clinical(world, "copd1")
    assert task["status"] == "requested"
    suspect = ext(task, "suspect-value")
    assert suspect["critical"] is True and "heldUntil" not in suspect
    assert len(messages(world, "copd1", "remeasure-request")) == 1
    world.now = T0 + timedelta(minutes=10)
    world.post(obs("copd1", "spo2", 93, world.now))
    (task,) = clinical(world, "copd1")
    assert task["status"] == "requested"  # the nurse decides; the dialog offers "measurement error"
    assert ext(task, "remeasure")["result"] == "normal"


def test_gradual_deterioration_is_not_suspect(world: World) -> None:
    for days, value in ((4, 93), (3, 91), (2, 90), (1, 89), (0.5, 88)):
        world.post(obs("copd1", "spo2", value, T0 - timedelta(days=days)))
    world.post(obs("copd1", "spo2", 85, T0))
    (task,) = clinical(world, "copd1")
    assert task["status"] == "requested" and task["priority"] == "asap"


def test_out_of_hours_red_gets_the_plans_advice_recorded_on_the_alert(world: World) -> None:
    evening = T0 + timedelta(hours=13)  # Monday 21:00 in Oslo: closed
    world.now = evening
    world.post(obs("copd1", "spo2", 84, evening))
    (task,) = clinical(world, "copd1")
    marker = ext(task, "out-of-hours")
    assert marker["closedSince"].startswith("2026-11-23T14:30")  # closed 15:30 Oslo
    assert marker["opensAt"].startswith("2026-11-24T07:00")  # 08:00 Tuesday
    assert "116 117" in marker["advice"]
    (advice,) = messages(world, "copd1", "out-of-hours-advice")
    assert advice["recipient"] == [{"reference": "Patient/copd1"}]
    assert f"Task/{task['id']}" in {a["reference"] for a in advice["about"]}
    assert any("116 117" in n["text"] for n in task["note"])
    # A yellow value out of hours is marked, but the patient gets no advice.
    world.post(obs("copd1", "pulse", 115, evening))
    pulse = next(t for t in clinical(world, "copd1") if "pulse" in t["code"]["coding"][0]["code"])
    assert "advice" not in ext(pulse, "out-of-hours")
    assert len(messages(world, "copd1", "out-of-hours-advice")) == 1


def test_escalation_in_service_hours_once_with_one_digest(world: World) -> None:
    world.post(obs("copd1", "spo2", 84, T0), obs("hf1", "bp", (190, 95), T0))
    world.tick(T0 + timedelta(minutes=14))
    assert all(
        "extension" not in t or not any(e["url"].endswith("escalated-at") for e in t["extension"])
        for t in clinical(world, "copd1")
    )
    world.tick(T0 + timedelta(minutes=15, seconds=1))
    (spo2,) = clinical(world, "copd1")
    (bp,) = clinical(world, "hf1")
    for task in (spo2, bp):
        assert ext_value(task, "escalated-at")
        assert {"reference": "Practitioner/lead1", "display": "Lene Leder"} in task["restriction"][
            "recipient"
        ]
    (digest,) = escalation_messages(world)
    assert digest["recipient"] == [{"reference": "Practitioner/lead1", "display": "Lene Leder"}]
    assert {a["reference"] for a in digest["about"]} == {f"Task/{spo2['id']}", f"Task/{bp['id']}"}
    assert "Lene" not in digest["payload"][0]["contentString"]
    version = spo2["meta"]["versionId"]
    world.tick(T0 + timedelta(minutes=30))
    assert clinical(world, "copd1")[0]["meta"]["versionId"] == version
    assert len(escalation_messages(world)) == 1


def test_escalation_counts_only_open_time(world: World) -> None:
    late = T0 + timedelta(hours=7, minutes=20)  # 15:20: ten open minutes left today
    world.now = late
    world.post(obs("copd1", "spo2", 84, late))
    world.tick(T0 + timedelta(hours=20))  # 04:00 Tuesday: 10 open minutes so far
    assert not ext_value(clinical(world, "copd1")[0], "escalated-at")
    world.tick(T0 + timedelta(days=1, minutes=4))  # 08:04: 14 minutes
    assert not ext_value(clinical(world, "copd1")[0], "escalated-at")
    world.tick(T0 + timedelta(days=1, minutes=6))
    assert ext_value(clinical(world, "copd1")[0], "escalated-at")


def test_a_claimed_alert_does_not_escalate(world: World) -> None:
    world.post(obs("copd1", "spo2", 84, T0))
    (task,) = clinical(world, "copd1")
    world.put({**task, "status": "in-progress", "owner": {"reference": "Practitioner/n1"}}, 1)
    world.tick(T0 + timedelta(minutes=40))
    assert not ext_value(clinical(world, "copd1")[0], "escalated-at")


def ext_value(task: dict[str, Any], name: str) -> Any:
    for e in task.get("extension", ()):
        if e["url"] == DHO + name:
            return e.get("valueDateTime") or True
    return None


def escalation_messages(world: World) -> list[dict[str, Any]]:
    plan = srch.plan_search(
        RESOURCE_TYPES["Communication"],
        [("category", f"{COMMUNICATION_CATEGORY_SYSTEM}|alert-escalation")],
    )
    return [st.resource() for st in world.store.search(plan).matches]


def confirm_yellow(world: World, sr_id: str) -> None:
    sr = world.store.read("ServiceRequest", sr_id)
    assert sr is not None
    body = sr.resource()
    body["extension"] = [
        *(e for e in body["extension"] if not e["url"].endswith("yellow-confirmation")),
        {"url": DHO + "yellow-confirmation", "valueBoolean": True},
    ]
    world.put(body, sr.version_id)


def test_a_yellow_value_is_remeasured_before_it_reaches_a_nurse(world: World) -> None:
    confirm_yellow(world, "copd1-spo2")  # a plan that asks for it
    world.post(obs("copd1", "spo2", 87, T0))  # yellow (86-87 %)
    (task,) = clinical(world, "copd1")
    assert task["status"] == "draft" and ext(task, "remeasure")["reason"] == "confirm"
    (request,) = messages(world, "copd1", "remeasure-request")
    assert "litt utenfor grensene" in request["payload"][0]["contentString"]
    world.now = T0 + timedelta(minutes=20)
    world.post(obs("copd1", "spo2", 91, world.now))  # fine again: not confirmed
    (task,) = clinical(world, "copd1")
    assert task["status"] == "cancelled"
    assert task["businessStatus"]["coding"][0]["code"] == "not-confirmed"
    # A second yellow within 48 h is not held: it is not the first.
    world.now = T0 + timedelta(hours=12)
    world.post(obs("copd1", "spo2", 87, world.now))
    second = next(t for t in clinical(world, "copd1") if t["status"] != "cancelled")
    assert second["status"] == "requested"
    world.put({**second, "status": "completed"}, int(second["meta"]["versionId"]))
    # Days later a held yellow whose re-measurement is yellow too reaches the nurse at once.
    world.now = T0 + timedelta(days=4)
    world.post(obs("copd1", "spo2", 87, world.now))
    world.now = T0 + timedelta(days=4, minutes=15)
    world.post(obs("copd1", "spo2", 87, world.now))
    third = next(
        t for t in clinical(world, "copd1") if t["status"] not in ("cancelled", "completed")
    )
    assert third["status"] == "requested"
    assert ext(third, "remeasure")["result"] == "confirmed"
    # A red value is never held for confirmation.
    world.post(obs("hf1", "bp", (185, 90), world.now))
    (bp,) = clinical(world, "hf1")
    assert bp["status"] == "requested" and bp["priority"] == "asap"


@pytest.mark.parametrize(
    ("var", "usual", "value", "reason"),
    [
        # A doubled pulse read against a noisy median: 145 against 79-87 is 1.73 times it.
        ("pulse", (84.0, 68.0, 84.0, 87.0, 79.0, 78.0, 84.0), 145.0, "pulse-doubled"),
        ("pulse", (76.0, 74.0, 78.0), 30.0, "pulse-halved"),
        ("glucose", (9.3, 9.8, 10.0, 9.1), 28.0, "strip"),
        # A hypoglycaemia of 3.5 against a usual 9 is real often enough to be shown at once.
        ("glucose", (9.2, 6.9, 11.0, 9.0), 3.5, None),
        ("sys", (133.0, 128.0, 136.0, 131.0), 85.0, "cuff"),
        # A red 186 against a usual 150 is shown at once (a real hypertensive reading).
        ("sys", (150.0, 148.0, 153.0), 186.0, None),
        # Genuine changes of the size a deterioration makes are not suspect.
        ("pulse", (72.0, 75.0, 70.0), 98.0, None),
        ("glucose", (8.0, 8.5, 7.9), 14.5, None),
        ("sys", (135.0, 140.0, 138.0), 165.0, None),
        # A decline step by step is not a device error, though the median lags behind it.
        ("spo2", (94.0, 93.0, 93.0, 92.0, 90.0, 88.0), 85.0, None),
        ("sys", (150.0, 148.0, 146.0, 146.0, 144.0, 137.0, 119.0, 115.0, 106.0), 98.0, None),
        # The same values jumping away from a steady patient are.
        ("spo2", (94.0, 93.0, 93.0, 92.0, 93.0, 92.0), 85.0, "cold-finger"),
        ("sys", (150.0, 148.0, 146.0, 146.0, 144.0, 147.0, 145.0, 143.0, 146.0), 98.0, "cuff"),
    ],
)
def test_known_device_error_patterns_against_the_patients_own_median(
    var: str, usual: tuple[float, ...], value: float, reason: str | None
) -> None:
    from server.rules.suspect import Sample, suspect_reason

    history = [Sample(T0.timestamp() - (len(usual) - n) * 43200.0, v) for n, v in enumerate(usual)]
    assert suspect_reason(var, value, T0.timestamp(), history) == reason
