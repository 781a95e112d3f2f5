"""The alert engine through the service's write path: Tasks per rule and episode, escalation,
missing measurements on a fake clock, restart safety, and the REST API end to end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from server.rules.codes import (
    ALERT_ANSWER_SYSTEM,
    ALERT_EPISODE_SYSTEM,
    ALERT_RULE_SYSTEM,
    COMMUNICATION_CATEGORY_SYSTEM,
)
from server.sim.schedule import parse_instant
from server.store import Store
from tests.server.inprocess import AppClient
from tests.server.rules_world import DEPT, T0, World, messages, obs, seed


@pytest.fixture
def world(store: Store) -> World:
    seed(store, {"copd1": "copd", "hf1": "heart-failure"})
    return World(store)


def rule_of(task: dict[str, Any]) -> str:
    (coding,) = task["code"]["coding"]
    assert coding["system"] == ALERT_RULE_SYSTEM
    return str(coding["code"])


def inputs(task: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [i for i in task["input"] if i["type"]["coding"][0]["code"] == code]


def test_green_values_create_nothing(world: World) -> None:
    world.post(
        obs("copd1", "spo2", 92, T0),
        obs("copd1", "pulse", 80, T0),
        obs("hf1", "bp", (130, 80), T0),
        obs("hf1", "weight", 80.0, T0),
    )
    assert world.tasks("copd1") == [] and world.tasks("hf1") == []
    assert world.engine.stats["observations"] == 4
    assert "tasks_created" not in world.engine.stats


def test_one_task_per_episode_repeat_updates_escalates_and_never_lowers(world: World) -> None:
    (first,) = world.post(obs("copd1", "spo2", 87, T0))
    (task,) = world.tasks("copd1")
    assert task["status"] == "requested" and task["intent"] == "order"
    assert task["priority"] == "urgent"
    assert rule_of(task) == "threshold-spo2"
    assert task["for"] == {"reference": "Patient/copd1"}
    assert task["focus"] == {"reference": first.reference}
    assert task["restriction"]["recipient"] == [
        {"reference": f"Organization/{DEPT}", "display": "Avdeling A"}
    ]
    assert task["description"] == "SpO₂ 87 % (gul grense < 88 %)"
    (identifier,) = task["identifier"]
    assert identifier["system"] == ALERT_EPISODE_SYSTEM
    assert identifier["value"] == "copd1|threshold-spo2|2026-11-23T07:00:00Z"
    (limit,) = inputs(task, "limit")
    assert limit["valueQuantity"]["value"] == 88 and limit["valueQuantity"]["comparator"] == "<"
    assert inputs(task, "value")[0]["valueQuantity"]["value"] == 87
    # authoredOn is the event time (when the value came); lastModified when it was written.
    assert parse_instant(task["authoredOn"]) == parse_instant(task["lastModified"])

    # A repeat yellow breach updates the same Task.
    world.now = T0 + timedelta(hours=1)
    (second,) = world.post(obs("copd1", "spo2", 87, T0 + timedelta(hours=1)))
    (task,) = world.tasks("copd1")
    assert task["meta"]["versionId"] == "2"
    assert [i["valueReference"]["reference"] for i in inputs(task, "trigger")] == [
        first.reference,
        second.reference,
    ]
    assert task["priority"] == "urgent"
    assert task["lastModified"] > task["authoredOn"]

    # Red escalates the same Task.
    world.post(obs("copd1", "spo2", 84, T0 + timedelta(hours=2)))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "asap"
    assert task["description"] == "SpO₂ 84 % (rød grense < 86 %)"

    # Yellow again: recorded, but the priority is never lowered automatically.
    world.post(obs("copd1", "spo2", 87, T0 + timedelta(hours=3)))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "asap"
    assert task["description"] == "SpO₂ 84 % (rød grense < 86 %)"
    assert len(inputs(task, "trigger")) == 4
    assert world.engine.stats["tasks_created"] == 1

    # A different rule for the same patient is a different Task.
    world.post(obs("copd1", "pulse", 135, T0 + timedelta(hours=3)))
    tasks = world.tasks("copd1")
    assert sorted(rule_of(t) for t in tasks) == ["threshold-pulse", "threshold-spo2"]


def test_after_completion_a_new_breach_opens_a_new_task(world: World) -> None:
    world.post(obs("copd1", "spo2", 85, T0))
    (task,) = world.tasks("copd1")
    world.put({**task, "status": "completed"}, int(task["meta"]["versionId"]))
    # (within 24 h a milder repeat joins the handled card: tests/server/test_rules_burden.py)
    world.now = T0 + timedelta(hours=25)
    world.post(obs("copd1", "spo2", 87, world.now))
    done, new = world.tasks("copd1")
    assert done["status"] == "completed" and done["priority"] == "asap"
    assert new["status"] == "requested" and new["priority"] == "urgent"
    assert new["identifier"][0]["value"].endswith("2026-11-24T08:00:00Z")


def test_claimed_task_still_takes_repeat_breaches(world: World) -> None:
    world.post(obs("copd1", "spo2", 87, T0))
    (task,) = world.tasks("copd1")
    claimed = {**task, "status": "in-progress", "owner": {"reference": "Practitioner/n1"}}
    world.put(claimed, 1)
    world.post(obs("copd1", "spo2", 85, T0 + timedelta(hours=1)))
    (task,) = world.tasks("copd1")
    assert task["status"] == "in-progress" and task["owner"] == {"reference": "Practitioner/n1"}
    assert task["priority"] == "asap" and task["meta"]["versionId"] == "3"


def test_blood_pressure_components(world: World) -> None:
    world.post(obs("hf1", "bp", (150, 112), T0))
    (task,) = world.tasks("hf1")
    assert rule_of(task) == "threshold-bp" and task["priority"] == "asap"
    assert task["description"] == (
        "Blodtrykk 150/112 mmHg (rød grense > 110 mmHg, diastolisk blodtrykk)"
    )
    assert inputs(task, "value")[0]["valueQuantity"]["value"] == 150
    assert inputs(task, "value2")[0]["valueQuantity"]["value"] == 112
    world.post(obs("hf1", "bp", (85, 60), T0 + timedelta(hours=1)))
    (task,) = world.tasks("hf1")
    assert len(inputs(task, "trigger")) == 2


def test_weight_trend(world: World) -> None:
    day = timedelta(days=1)
    world.post(obs("hf1", "weight", 80.0, T0 - 6 * day))
    world.post(obs("hf1", "weight", 78.0, T0 - 5.5 * day))  # low, but over 3 days before
    world.post(obs("hf1", "weight", 80.2, T0 - 2 * day))
    world.post(obs("hf1", "weight", 81.4, T0 - 1 * day))
    assert world.tasks("hf1") == []
    world.post(obs("hf1", "weight", 82.9, T0))  # +2.1 on the median (80.8) of 3 days
    (task,) = world.tasks("hf1")
    assert rule_of(task) == "trend-weight" and task["priority"] == "urgent"
    assert task["description"] == "Vekt 82,9 kg: +2,1 kg på 3 døgn (gul grense +2,0 kg)"
    world.post(obs("hf1", "weight", 84.5, T0 + day))  # +3.1 on the median 81.4
    (task,) = world.tasks("hf1")
    assert task["priority"] == "asap"


def test_entered_in_error_weight_neither_raises_nor_feeds_the_trend(world: World) -> None:
    day = timedelta(days=1)
    world.post(obs("hf1", "weight", 80.0, T0 - 2 * day))
    world.post(obs("hf1", "weight", 80.2, T0 - 1.5 * day))
    # Entered in error from the start: +4 kg, but it raises nothing.
    world.post({**obs("hf1", "weight", 84.4, T0 - 1 * day), "status": "entered-in-error"})
    assert world.tasks("hf1") == []
    # A wrong low weight, later marked entered-in-error: it must stop feeding the baseline.
    (wrong,) = world.post(obs("hf1", "weight", 77.5, T0 - 0.8 * day))
    body = wrong.resource()
    world.put({**body, "status": "entered-in-error"}, wrong.version_id)
    history = world.run(lambda: world.engine.history_for("hf1"))
    assert wrong.reference not in {s.ref for s in history["weight"]}
    assert all(s.value < 84 for s in history["weight"])  # the first one never got in
    world.post(obs("hf1", "weight", 80.6, T0))
    assert world.tasks("hf1") == []


def test_one_wrong_low_weight_raises_no_alerts_on_the_readings_after_it(world: World) -> None:
    day = timedelta(days=1)
    for n, value in enumerate((80.0, 80.3, 80.1)):
        world.post(obs("hf1", "weight", value, T0 - (3 - n) * day))
    world.post(obs("hf1", "weight", 74.0, T0 - 0.5 * day))  # someone else on the scale? no: low
    for n, value in enumerate((80.4, 80.2, 80.6)):
        world.post(obs("hf1", "weight", value, T0 + n * day))
    assert world.tasks("hf1") == []  # the minimum-based rule said "+6,6 kg" three times
    history = world.run(lambda: world.engine.history_for("hf1"))
    assert [s.value for s in history["weight"] if s.suspect] == [74.0]


def test_weight_trend_after_restart_reads_earlier_weights(world: World, store: Store) -> None:
    world.post(obs("hf1", "weight", 80.0, T0 - timedelta(days=2)))
    again = World(store)
    again.post(obs("hf1", "weight", 82.0, T0))
    (task,) = again.tasks("hf1")
    assert rule_of(task) == "trend-weight"


def test_contact_request(world: World) -> None:
    message = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [
            {"coding": [{"system": COMMUNICATION_CATEGORY_SYSTEM, "code": "contact-request"}]}
        ],
        "subject": {"reference": "Patient/copd1"},
        "sender": {"reference": "Patient/copd1"},
        "sent": "2026-11-23T07:00:00Z",
        "payload": [{"contentString": "Kan dere ringe meg?"}],
    }
    (stored,) = world.post(message)
    (task,) = world.tasks("copd1")
    assert rule_of(task) == "contact-request" and task["priority"] == "urgent"
    assert task["focus"] == {"reference": stored.reference}
    assert task["description"] == "Pasienten ber om å bli kontaktet: «Kan dere ringe meg?»"
    # A nurse's message (or an ordinary one) raises nothing.
    world.post({**message, "sender": {"reference": "Practitioner/n1"}})
    world.post({**message, "category": []})
    assert len(world.tasks("copd1")) == 1


def questionnaire_response(level: str | None) -> dict[str, Any]:
    answer: dict[str, Any] = {"valueCoding": {"code": "no", "display": "Nei"}}
    if level is not None:
        answer = {"valueCoding": {"system": ALERT_ANSWER_SYSTEM, "code": level, "display": "Ja"}}
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "http://dho.example/fhir/Questionnaire/kols-sjekk",
        "subject": {"reference": "Patient/copd1"},
        "authored": "2026-11-23T07:00:00Z",
        "item": [
            {"linkId": "1", "text": "Mer tungpust enn vanlig?", "answer": [answer]},
            {
                "linkId": "2",
                "text": "Farge på slim",
                "answer": [
                    {
                        "valueString": "grønt",
                        "extension": [
                            {
                                "url": "http://dho.example/fhir/StructureDefinition/alert-answer",
                                "valueCode": "yellow",
                            }
                        ],
                    }
                ],
            },
        ],
    }


def test_questionnaire(world: World) -> None:
    (stored,) = world.post(questionnaire_response("red"))
    (task,) = world.tasks("copd1")
    assert rule_of(task) == "questionnaire" and task["priority"] == "asap"
    assert task["focus"] == {"reference": stored.reference}
    assert task["description"] == "Spørreskjema: «Mer tungpust enn vanlig?» – Ja (+1 til)"
    assert len(inputs(task, "value")) == 2


def test_questionnaire_flag_by_extension_only(world: World) -> None:
    world.post(questionnaire_response(None))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "urgent"
    assert task["description"] == "Spørreskjema: «Farge på slim» – grønt"


def test_rules_do_not_fire_on_task_writes(world: World) -> None:
    world.post(obs("copd1", "spo2", 84, T0))
    (task,) = world.tasks("copd1")
    before = dict(world.engine.stats)
    # A Task write (even one that looks like a breach) is not evaluated.
    world.post({k: v for k, v in task.items() if k not in ("id", "meta", "identifier")})
    world.put({**task, "priority": "routine"}, 1)
    assert dict(world.engine.stats) == before
    assert len(world.tasks("copd1")) == 2  # the engine created only its own one


def test_restart_finds_the_open_task_again(world: World, store: Store) -> None:
    world.post(obs("copd1", "spo2", 87, T0))
    restarted = World(store)  # empty caches, as after a restart
    restarted.post(obs("copd1", "spo2", 85, T0 + timedelta(hours=1)))
    (task,) = restarted.tasks("copd1")
    assert task["priority"] == "asap" and len(inputs(task, "trigger")) == 2


def test_retried_create_is_not_duplicated(world: World) -> None:
    """The alert-episode identifier makes the Task create retry-safe (If-None-Exist)."""
    from server.rules.engine import evaluate_thresholds, observation_values
    from server.rules.runtime import create_task

    (stored,) = world.post(obs("copd1", "spo2", 85, T0))
    (task,) = world.tasks("copd1")
    plan = world.run(lambda: world.engine.plan_for("copd1"))
    body = stored.resource()
    (finding,) = evaluate_thresholds(body, stored.reference, plan, observation_values(body))
    again, created = world.run(
        lambda: create_task(world.service, dict(task), "copd1", finding.rule, finding.episode_id)
    )
    assert not created and again.res_id == task["id"]
    assert len(world.tasks("copd1")) == 1


def test_plan_change_is_picked_up(world: World) -> None:
    world.post(obs("copd1", "spo2", 90, T0))
    assert world.tasks("copd1") == []
    sr = world.store.read("ServiceRequest", "copd1-spo2")
    assert sr is not None
    body = sr.resource()
    for ext in body["extension"]:
        for sub in ext.get("extension", ()):
            if sub["url"] == "low" and sub["valueQuantity"]["value"] == 88:
                sub["valueQuantity"]["value"] = 92  # the GP tightens the yellow limit
    world.put(body, sr.version_id)
    world.post(obs("copd1", "spo2", 90, T0 + timedelta(minutes=5)))
    (task,) = world.tasks("copd1")
    assert task["description"] == "SpO₂ 90 % (gul grense < 92 %)"


# ----- missing measurements on a fake clock -------------------------------------------------


def copd1(findings: list[Any]) -> list[Any]:
    """Findings of the COPD patient (the heart-failure one never measures in these tests)."""
    return [f for f in findings if f.patient_id == "copd1"]


def test_missing_measurement_reminder_then_adherence_item_then_closed(world: World) -> None:
    # SpO2 and pulse are due 08:00 and 20:00 Oslo time; measured at 08:05 on Monday.
    world.post(obs("copd1", "spo2", 93, T0 + timedelta(minutes=5)))
    world.post(obs("copd1", "pulse", 80, T0 + timedelta(minutes=5)))
    evening = T0 + timedelta(hours=12)  # 20:00 Oslo: the next measurement is due
    assert copd1(world.missing(evening + timedelta(hours=1, minutes=59))) == []
    assert messages(world, "copd1", "measurement-reminder") == []

    # 22:00 is night for reminders (07-22): the reminder waits for the morning...
    world.missing(evening + timedelta(hours=2))
    assert messages(world, "copd1", "measurement-reminder") == []
    assert world.tasks("copd1") == []
    # ... and 6 h after the due time it is a low-priority adherence item, not a card.
    found = copd1(world.missing(evening + timedelta(hours=6)))
    assert {f.level for f in found} == {"adherence"}
    (task,) = world.tasks("copd1")
    assert rule_of(task) == "missing-measurement" and task["priority"] == "routine"
    assert {
        "url": "http://dho.example/fhir/StructureDefinition/alert-class",
        "valueCode": "adherence",
    } in task["extension"]
    assert "ventet 23.11. kl. 20:00" in task["description"]
    version = task["meta"]["versionId"]
    # Every minute again: nothing new; a day's silence is never urgent without the plan.
    world.missing(evening + timedelta(hours=6, minutes=1))
    world.missing(evening + timedelta(hours=11, minutes=59))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "routine"
    # The patient measures: the item closes itself.
    world.now = evening + timedelta(hours=13)
    world.post(obs("copd1", "spo2", 93, world.now), obs("copd1", "pulse", 80, world.now))
    (task,) = world.tasks("copd1")
    assert task["status"] == "cancelled" and task["meta"]["versionId"] != version
    assert task["businessStatus"]["coding"][0]["code"] == "measurement-arrived"


def test_reminder_in_the_daytime(world: World) -> None:
    world.post(obs("copd1", "spo2", 93, T0 - timedelta(hours=11)))  # Sunday 21:00
    world.post(obs("copd1", "pulse", 80, T0 - timedelta(hours=11)))
    world.missing(T0 + timedelta(hours=2))  # due 08:00 Monday, 10:00 now
    (reminder,) = [
        m
        for m in messages(world, "copd1", "measurement-reminder")
        if "Oksygenmetning" in m["payload"][0]["contentString"]
        or "oksygenmetning" in m["payload"][0]["contentString"]
    ]
    codes = {c["code"] for cat in reminder["category"] for c in cat["coding"]}
    assert codes == {"patient-thread", "measurement-reminder"}
    assert reminder["recipient"] == [{"reference": "Patient/copd1"}]
    assert world.tasks("copd1") == []
    world.missing(T0 + timedelta(hours=2, minutes=1))  # not sent twice
    assert len(messages(world, "copd1", "measurement-reminder")) == 2  # SpO2 and pulse


def test_missing_measurement_restart_and_measurement_arrival(world: World, store: Store) -> None:
    world.post(obs("copd1", "spo2", 93, T0), obs("copd1", "pulse", 80, T0))
    world.missing(T0 + timedelta(hours=18, minutes=1))
    (task,) = world.tasks("copd1")
    restarted = World(store)
    restarted.missing(T0 + timedelta(hours=18, minutes=2))
    (again,) = restarted.tasks("copd1")
    assert again["meta"]["versionId"] == task["meta"]["versionId"]
    # The patient measures (a restarted engine knows the open item from the store).
    restarted.now = T0 + timedelta(hours=19)
    restarted.post(
        obs("copd1", "spo2", 93, restarted.now), obs("copd1", "pulse", 80, restarted.now)
    )
    restarted.tick(T0 + timedelta(hours=19, minutes=1))
    (closed,) = restarted.tasks("copd1")
    assert closed["status"] == "cancelled"
    # Measured at 03:00 on Tuesday: 08:00 Tuesday is the next due, 6 h late at 14:00.
    early = copd1(restarted.missing(T0 + timedelta(hours=29, minutes=59)))
    assert {f.level for f in early} == {"reminder"}
    late = copd1(restarted.missing(T0 + timedelta(hours=30)))
    assert {f.level for f in late} == {"adherence"}


def test_a_silence_that_began_weeks_ago_is_decided_once_not_on_every_pass(world: World) -> None:
    # Last measured ten days ago: the first pass opens the item, later passes leave it alone
    # (before, any stage reached more than a week ago was looked up again on every pass).
    world.post(obs("copd1", "spo2", 93, T0), obs("copd1", "pulse", 80, T0))
    later = T0 + timedelta(days=10, hours=4)
    assert {f.level for f in copd1(world.missing(later))} == {"adherence"}
    (task,) = world.tasks("copd1")
    for minutes in (15, 30, 45):
        assert copd1(world.missing(later + timedelta(minutes=minutes))) == []
    (again,) = world.tasks("copd1")
    assert again["meta"]["versionId"] == task["meta"]["versionId"]


def test_a_value_of_a_measurement_the_item_does_not_list_leaves_it_unread(world: World) -> None:
    # Weight (07:15) and blood pressure (08:00) on Monday; on Tuesday only the weight.
    world.post(obs("hf1", "weight", 80.0, T0), obs("hf1", "bp", (130, 80), T0))
    world.now = T0 + timedelta(days=1, minutes=-40)
    world.post(obs("hf1", "weight", 80.1, world.now))
    world.missing(T0 + timedelta(days=1, hours=6, minutes=1))
    (item,) = world.tasks("hf1")
    assert "Blodtrykk" in item["description"] or "blodtrykk" in item["description"]
    looked_up: list[str] = []
    find_open = world.engine._find_open

    def counting(patient_id: str, rule: str) -> Any:
        looked_up.append(rule)
        return find_open(patient_id, rule)

    world.engine._find_open = counting  # type: ignore[method-assign]
    # Wednesday's weight cannot close an item about blood pressure: it is not even read.
    world.now = T0 + timedelta(days=2, minutes=-40)
    world.post(obs("hf1", "weight", 80.2, world.now))
    assert "missing-measurement" not in looked_up
    # The blood pressure comes: the item closes itself.
    world.now = T0 + timedelta(days=2)
    world.post(obs("hf1", "bp", (128, 78), world.now))
    assert "missing-measurement" in looked_up
    (item,) = world.tasks("hf1")
    assert item["status"] == "cancelled"


def test_only_a_plan_makes_a_silence_urgent(world: World) -> None:
    from server.rules.plan import grace_extensions

    sr = world.store.read("ServiceRequest", "copd1-spo2")
    assert sr is not None
    body = sr.resource()
    body["extension"] = [
        e for e in body["extension"] if not e["url"].endswith("missing-measurement-grace")
    ] + grace_extensions({"reminder": 7200.0, "adherence": 4 * 3600.0, "urgent": 48 * 3600.0})
    world.put(body, sr.version_id)
    world.post(obs("copd1", "spo2", 93, T0), obs("copd1", "pulse", 80, T0))
    world.missing(T0 + timedelta(hours=17))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "routine"
    world.missing(T0 + timedelta(hours=12 + 48))
    (task,) = world.tasks("copd1")
    assert task["priority"] == "urgent"


# ----- the REST API end to end --------------------------------------------------------------


def test_post_observation_then_get_task_over_rest(store: Store, client: AppClient) -> None:
    seed(store, {"copd1": "copd"})
    r = client.post("/fhir/Observation", json=obs("copd1", "spo2", 84, T0))
    assert r.status_code == 201, r.text
    observation_id = r.json()["id"]
    r = client.get("/fhir/Task", params={"patient": "copd1", "status": "requested"})
    bundle = r.json()
    assert bundle["total"] == 1
    task = bundle["entry"][0]["resource"]
    assert task["priority"] == "asap"
    assert task["focus"] == {"reference": f"Observation/{observation_id}"}
    r = client.get(
        "/fhir/Task",
        params={
            "organization": f"Organization/{DEPT}",
            "code": f"{ALERT_RULE_SYSTEM}|threshold-spo2",
        },
    )
    assert r.json()["total"] == 1


def test_task_notifies_over_the_websocket(store: Store, client: AppClient) -> None:
    seed(store, {"copd1": "copd"})
    with client.websocket_connect("/ws/notifications?types=Task") as ws:
        assert ws.receive_json()["type"] == "handshake"
        client.post("/fhir/Observation", json=obs("copd1", "spo2", 84, T0))
        while True:
            frame = ws.receive_json()
            if frame["type"] == "event-notification":
                break
        assert frame["resource"]["resourceType"] == "Task"
        assert frame["action"] == "create"


def test_news2_operation(store: Store, client: AppClient) -> None:
    seed(store, {"copd1": "copd"})
    for kind, value in (("spo2", 93), ("pulse", 95), ("temp", 38.4), ("resp", 22)):
        client.post("/fhir/Observation", json=obs("copd1", kind, value, T0))
    r = client.get("/fhir/Patient/copd1/$news2")
    assert r.status_code == 200, r.text
    params = {p["name"]: p for p in r.json()["parameter"] if p["name"] != "component"}
    # resp 22 -> 2, SpO2 93 (scale 1) -> 2, pulse 95 -> 1, temp 38.4 -> 1
    assert params["score"]["valueInteger"] == 6
    assert params["band"]["valueCode"] == "medium"
    assert params["partial"]["valueBoolean"] is True
    missing = [p["valueCode"] for p in r.json()["parameter"] if p["name"] == "missing"]
    assert missing == ["air-or-oxygen", "systolic-bp", "consciousness"]
    r = client.get("/fhir/Patient/copd1/$news2", params={"oxygen": "false", "consciousness": "A"})
    assert [p["valueCode"] for p in r.json()["parameter"] if p["name"] == "missing"] == [
        "systolic-bp"
    ]
    assert client.get("/fhir/Patient/nobody/$news2").status_code == 404
    assert client.get("/fhir/Patient/copd1/$news2", params={"x": "1"}).status_code == 400


def test_a_patients_latest_values_are_read_from_her_own_rows(tmp_path: Any) -> None:
    """Every Observation of a patient with an open adherence item reads her latest values; on
    SQLite that read must use the patient's index, not walk every patient's latest rows."""
    from sqlalchemy import event

    store = Store(f"sqlite:///{tmp_path / 'plan.sqlite'}")
    store.create_schema()
    try:
        seed(store, {"copd1": "copd", "hf1": "heart-failure"})
        world = World(store)
        world.post(obs("copd1", "spo2", 93, T0), obs("hf1", "weight", 80.0, T0))
        statements: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
            if "latest_observation" in sql:
                statements.append((sql, params))

        event.listen(store.engine, "before_cursor_execute", capture)
        try:
            seen = world.engine._load_last_seen_for("copd1")
        finally:
            event.remove(store.engine, "before_cursor_execute", capture)
        assert seen == {"spo2": T0.timestamp()}
        ((sql, params),) = statements
        with store.engine.connect() as conn:
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        assert "ix_latest_pair" in " ".join(str(row[-1]) for row in plan)
    finally:
        store.close()
