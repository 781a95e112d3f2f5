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


@pytest.mark.parametrize(
    "name",
    [
        # Multi-day scenarios jump over hundreds of quarter hours: a few seconds each.
        pytest.param(n, marks=pytest.mark.slow) if s.duration_minutes >= 2880 else n
        for n, s in sorted(library().items())
    ],
)
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
            if any(c["code"] == want["category"] for cat in m["category"] for c in cat["coding"])
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


# ----- scripted trainees (sign-in on) ---------------------------------------------------------

SANDNES = "hjemmesykepleien-sandnes"
SHARED = "felles-responssenter-sor-rogaland"
OUTCOME = "http://dho.example/fhir/CodeSystem/alert-outcome"


@dataclass
class Classroom:
    client: AppClient
    trainer: dict[str, str]
    staff: Any

    def headers(self, username: str) -> dict[str, str]:
        from tests.server.test_auth_helpers import token_headers

        return token_headers(self.client, username)


@pytest.fixture
def classroom(tmp_path: Path) -> Iterator[Classroom]:
    from server.auth.context import AuthSettings
    from tests.server.test_auth_helpers import token_headers

    store = Store(f"sqlite:///{tmp_path / 'classroom.sqlite'}")
    store.create_schema()
    seeded = seed_store(store, 8)
    settings = AuthSettings(enabled=True, audit_interval=3600)
    try:
        with serve_in_thread(
            store, profile=ServerProfile.TRAINING, clock=SimClock(MONDAY, 1.0), auth=settings
        ) as client:
            trainer = token_headers(client, seeded.user("superuser", SHARED).username)
            yield Classroom(client, trainer, seeded)
    finally:
        store.close()


def _task_of(client: AppClient, headers: dict[str, str], pid: str) -> dict[str, Any]:
    bundle = client.get(
        f"/fhir/Task?patient=Patient/{pid}&status=requested,in-progress", headers=headers
    ).json()
    tasks = [
        e["resource"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == "Task"
    ]
    assert tasks, bundle
    return tasks[0]


def _put(client: AppClient, headers: dict[str, str], task: dict[str, Any]) -> dict[str, Any]:
    answer = client.put(
        f"/fhir/Task/{task['id']}",
        json=task,
        headers={**headers, "If-Match": f'W/"{task["meta"]["versionId"]}"'},
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def _claim(
    client: AppClient, headers: dict[str, str], task: dict[str, Any], me: Any, at: str
) -> dict[str, Any]:
    body = {
        **task,
        "status": "in-progress",
        "owner": {"reference": f"Practitioner/{me.practitioner_id}", "display": me.name},
        "executionPeriod": {"start": at},
        "lastModified": at,
    }
    return _put(client, headers, body)


def _resolve(
    client: AppClient, headers: dict[str, str], task: dict[str, Any], me: Any, at: str, outcome: str
) -> dict[str, Any]:
    body = {
        **task,
        "status": "completed",
        "owner": {"reference": f"Practitioner/{me.practitioner_id}", "display": me.name},
        "executionPeriod": {**task.get("executionPeriod", {}), "end": at},
        "businessStatus": {"coding": [{"system": OUTCOME, "code": outcome}]},
        "lastModified": at,
    }
    return _put(client, headers, body)


def _now(client: AppClient) -> str:
    header = client.get("/fhir/metadata").headers["X-DHO-Clock"]
    return header.split(";")[0].split("=", 1)[1]


def _step(room: Classroom) -> dict[str, Any]:
    answer = room.client.post(
        "/fhir/$scenario-control", json={"action": "step"}, headers=room.trainer
    )
    assert answer.status_code == 200, answer.text
    status: dict[str, Any] = answer.json()
    return status


def _load_for_two(room: Classroom, scenario: str) -> tuple[Any, Any, dict[str, str]]:
    """Two Sandnes nurses, each with her own copy of ``scenario``'s patient (by username)."""
    first, second = [
        s for s in room.staff.staff if s.role == "nurse" and s.organization == SANDNES
    ][:2]
    loaded = room.client.post(
        "/fhir/$scenario-load",
        json={"scenarios": [scenario], "trainees": [first.username, second.username]},
        headers=room.trainer,
    )
    assert loaded.status_code == 200, loaded.text
    return first, second, {p["trainee"]: p["id"] for p in loaded.json()["patients"]}


def test_a_fast_right_trainee_scores_high_and_a_slow_wrong_one_is_reported(
    classroom: Classroom,
) -> None:
    from tests.server.test_auth_helpers import flush_audit

    room, client = classroom, classroom.client
    fast, slow, patients = _load_for_two(room, "fever-chemotherapy")
    assert set(patients) == {fast.username, slow.username}
    assert patients[fast.username] != patients[slow.username]  # each her own copy
    _step(room)  # 08:00: 38.6 °C, the red alert
    me = room.headers(fast.username)
    pid = patients[fast.username]
    # She sees only her own copy among the scenario patients of her department.
    assert client.get(f"/fhir/Patient/{pid}", headers=me).status_code == 200  # opens
    task = _task_of(client, me, pid)
    assert task["priority"] == "asap"
    now = _now(client)
    task = _claim(client, me, task, fast, now)
    message = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY, "code": "patient-thread"}]}],
        "subject": {"reference": f"Patient/{pid}"},
        "recipient": [{"reference": f"Patient/{pid}"}],
        "sender": {"reference": f"Practitioner/{fast.practitioner_id}"},
        "sent": now,
        "payload": [{"contentString": "Ikke ta paracet. Du må til legevakten nå, vi ringer deg."}],
    }
    assert client.post("/fhir/Communication", json=message, headers=me).status_code == 201
    _resolve(client, me, task, fast, now, "referred-legevakt")
    flush_audit(client)
    # The slow trainee lets an hour pass (the server escalates her unclaimed alert), then
    # closes it as needing no action.
    _step(room)  # 08:04, the patient's message
    _step(room)  # 09:00, 38.9 °C
    her = room.headers(slow.username)
    other = patients[slow.username]
    task = _task_of(client, her, other)
    now = _now(client)
    task = _claim(client, her, task, slow, now)
    _resolve(client, her, task, slow, now, "no-action-needed")
    flush_audit(client)
    status = client.get("/fhir/$scenario-status", headers=room.trainer).json()
    kinds = {(a["trainee"], a["kind"]) for a in status["actions"]}
    assert {(fast.username, k) for k in ("open", "claim", "message", "resolve")} <= kinds
    assert (slow.username, "claim") in kinds and (None, "escalated") in kinds
    score = client.get("/fhir/$scenario-score", headers=room.trainer).json()
    rows = {t["trainee"]: t["scenarios"][0] for t in score["trainees"]}
    good, bad = rows[fast.username], rows[slow.username]
    assert good["outcome_correct"] is True and good["outcome"] == "referred-legevakt"
    assert good["time_to_claim_s"] == 0 and good["time_to_resolve_s"] == 0
    assert good["time_to_open_s"] == 0 and good["messages_sent"] == 1
    assert good["alerts_missed"] == 0 and good["escalations"] == 1
    assert good["score"] >= 95, good
    assert bad["outcome_correct"] is False and bad["outcome"] == "no-action-needed"
    assert bad["expected_outcome"] == "referred-legevakt"
    assert bad["alerts_missed"] == 1 and bad["server_escalations"] == 1
    assert bad["time_to_claim_s"] == 3600 and bad["messages_sent"] == 0
    assert bad["score"] < 40, bad
    notes = " ".join(n["en"] for n in bad["notes"])
    assert "expected: referred to legevakt" in notes and "missed" in notes
    assert all(set(n) == {"en", "nb", "nn"} for n in bad["notes"])
    assert score["group"]["trainees"] == 2 and score["group"]["outcomes_correct"] == 1
    # A nurse sees only her own score, and controls nothing.
    own = client.get("/fhir/$scenario-score", headers=her).json()
    assert [t["trainee"] for t in own["trainees"]] == [slow.username] and own["group"] == {}
    assert (
        client.get(f"/fhir/$scenario-score?trainee={fast.username}", headers=her).status_code == 403
    )
    for path, body in (
        ("/fhir/$scenario-control", {"action": "pause"}),
        ("/fhir/$scenario-load", {"scenarios": ["cold-fingers"]}),
    ):
        refused = client.post(path, json=body, headers=her)
        assert refused.status_code == 403
        assert refused.json()["resourceType"] == "OperationOutcome"
    assert client.get("/fhir/$scenario-status", headers=her).status_code == 403


# ----- only on training servers; bad requests -------------------------------------------------

OPERATIONS = [
    ("GET", "/fhir/$scenarios", None),
    ("POST", "/fhir/$scenario-load", {"scenarios": ["cold-fingers"]}),
    ("POST", "/fhir/$scenario-control", {"action": "start"}),
    ("GET", "/fhir/$scenario-status", None),
    ("GET", "/fhir/$scenario-score", None),
]


@pytest.mark.parametrize("profile", [ServerProfile.NORMAL, ServerProfile.PLAIN_R4])
def test_a_server_that_is_not_a_training_server_refuses_every_operation(
    tmp_path: Path, profile: ServerProfile
) -> None:
    store = Store(f"sqlite:///{tmp_path / 'real.sqlite'}")
    store.create_schema()
    seed_store(store, 4)
    try:
        with serve_in_thread(store, profile=profile) as client:
            patients = len(_all(client, "/fhir/Patient?_count=500"))
            for method, path, body in OPERATIONS:
                answer = client.request(method, path, json=body)
                assert answer.status_code == 404, (profile, path, answer.text)
                outcome = answer.json()
                assert outcome["resourceType"] == "OperationOutcome"
                assert outcome["issue"][0]["code"] == "not-supported"
                assert "not a training server" in outcome["issue"][0]["diagnostics"]
            assert len(_all(client, "/fhir/Patient?_count=500")) == patients
    finally:
        store.close()


MALFORMED = (
    "format: dho-scenario/1\n"
    "name: broken-case\n"
    "version: 1\n"
    "title: {en: Broken, nb: Ødelagt, nn: Øydelagd}\n"
    "group: copd\n"
    'start: "08:00"\n'
    "duration_minutes: 60\n"
    "patients:\n"
    "  - {key: ola, given: Ola, family: Nordmann, gender: male, "
    'birth_date: "1950-01-01", programme: copd}\n'
    "events:\n"
    "  - {at: 0, kind: observation, patient: ola, measurement: spo2, value: 90, "
    "summary: {en: a, nb: a, nn: a}}\n"
    "  - {at: 5, kind: observation, patient: ola, measurement: spo2, value: 89, "
    "summary: {en: b, nb: b, nn: b}}\n"
    "  - at: 10\n"
    "    kind: observation\n"
    "    patient: ola\n"
    "    measurement: spo2\n"
    "    value: low\n"
    "    summary: {en: c, nb: c, nn: c}\n"
    "truth: {summary: {en: t, nb: t, nn: t}}\n"
    "expected: {outcome: [advised-gp]}\n"
)


def test_a_malformed_scenario_file_is_refused_naming_line_and_field(training: AppClient) -> None:
    patients = len(_all(training, "/fhir/Patient?_count=500"))
    answer = training.post("/fhir/$scenario-load", json={"scenario_text": MALFORMED})
    assert answer.status_code == 422, answer.text
    issue = answer.json()["issue"][0]
    assert issue["diagnostics"] == "scenario.yaml line 17: events[2].value: expected a number"
    assert issue["expression"] == ["events[2].value"] and issue["location"] == ["line 17"]
    assert len(_all(training, "/fhir/Patient?_count=500")) == patients  # nothing stored
    assert training.get("/fhir/$scenario-status").json()["state"] == "empty"


VALID = MALFORMED.replace("value: low", "value: 88")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("value: 88", "value: 88\n    colour: red"),
            "line 18: events[2].colour: unknown field 'colour'",
        ),
        (("    value: 88\n", ""), "line 13: events[2]: missing field 'value'"),
        (("format: dho-scenario/1", "format: dho-scenario/9"), "line 1: format: unknown format"),
        (
            ("patient: ola\n    measurement", "patient: kari\n    measurement"),
            "line 15: events[2].patient: no patient with key 'kari'",
        ),
        (("at: 10", "at: 99"), "line 13: events[2].at: after the end of the scenario (60 min)"),
        (("group: copd", "group: [copd"), "not valid YAML"),
        (
            ('start: "08:00"', 'start: "8 o\'clock"'),
            'line 6: start: "8 o\'clock" does not have the expected form',
        ),
        (
            ("name: broken-case", "name: broken-case\nname: again"),
            "line 3: name: the field is given twice",
        ),
        (
            ("measurement: spo2\n    value: 88", "measurement: spo2\n    value: 88\n    value: 87"),
            "the field is given twice",
        ),
    ],
)
def test_scenario_problems_name_the_line_and_the_field(
    change: tuple[str, str], expected: str
) -> None:
    from server.training.format import ScenarioError, parse

    assert parse(VALID).name == "broken-case"
    with pytest.raises(ScenarioError) as caught:
        parse(VALID.replace(*change, 1))
    assert expected in str(caught.value), str(caught.value)


def test_bad_requests_get_an_operation_outcome_and_change_nothing(training: AppClient) -> None:
    patients = len(_all(training, "/fhir/Patient?_count=500"))
    cases = [
        ("POST", "/fhir/$scenario-load", b"{not json", 400),
        ("POST", "/fhir/$scenario-load", b"[1, 2]", 400),
        ("POST", "/fhir/$scenario-load", b'{"scenarios": ["no-such-case"]}', 422),
        (
            "POST",
            "/fhir/$scenario-load",
            b'{"scenarios": ["cold-fingers"], "trainees": ["nobody"]}',
            422,
        ),
        ("POST", "/fhir/$scenario-load", b'{"scenarios": "cold-fingers"}', 400),
        ("POST", "/fhir/$scenario-load", b'{"scenarios": ["cold-fingers"], "colour": 1}', 400),
        ("POST", "/fhir/$scenario-load", b"{}", 400),
        ("POST", "/fhir/$scenario-control", b'{"action": "start"}', 409),
        ("POST", "/fhir/$scenario-control", b'{"action": "fly"}', 400),
        ("GET", "/fhir/$scenarios?name=no-such-case", None, 404),
        ("GET", "/fhir/$scenarios?format=yaml", None, 400),
        ("GET", "/fhir/$scenario-status?colour=red", None, 400),
    ]
    for method, path, body, status in cases:
        answer = training.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
        assert answer.status_code == status, (path, body, answer.text)
        assert answer.json()["resourceType"] == "OperationOutcome"
    assert (
        training.post("/fhir/$scenario-load", json={"scenarios": ["cold-fingers"]}).status_code
        == 200
    )
    patients_loaded = len(_all(training, "/fhir/Patient?_count=500"))
    assert patients_loaded == patients + 1
    for control, status in (
        ({"action": "speed", "speed": -2}, 400),
        ({"action": "speed", "speed": "fast"}, 400),
        ({"action": "inject"}, 400),
        (
            {
                "action": "inject",
                "event": {
                    "scenario": "cold-fingers",
                    "kind": "observation",
                    "measurement": "spo2",
                    "value": "x",
                },
            },
            422,
        ),
        (
            {
                "action": "inject",
                "event": {
                    "scenario": "other-case",
                    "kind": "observation",
                    "measurement": "spo2",
                    "value": 90,
                },
            },
            422,
        ),
    ):
        answer = training.post("/fhir/$scenario-control", json=control)
        assert answer.status_code == status, (control, answer.text)
        assert answer.json()["resourceType"] == "OperationOutcome"
    assert len(_all(training, "/fhir/Patient?_count=500")) == patients_loaded
    observations = _all(
        training,
        f"/fhir/Observation?subject=Patient/{training.get('/fhir/$scenario-status').json()['patients'][0]['id']}&_count=500",
    )
    assert all(o["valueQuantity"]["value"] != "x" for o in observations if "valueQuantity" in o)


def test_controls_start_pause_speed_inject_and_reset(training: AppClient) -> None:
    loaded = training.post(
        "/fhir/$scenario-load", json={"scenarios": ["cold-fingers"], "speed": 600}
    ).json()
    assert loaded["state"] == "ready" and loaded["clock_speed"] == 0 and loaded["speed"] == 600
    first = loaded["patients"][0]["id"]
    started = training.post("/fhir/$scenario-control", json={"action": "start"}).json()
    assert started["state"] == "running" and started["clock_speed"] == 600
    faster = training.post(
        "/fhir/$scenario-control", json={"action": "speed", "speed": 1200}
    ).json()
    assert faster["clock_speed"] == 1200
    paused = training.post("/fhir/$scenario-control", json={"action": "pause"}).json()
    assert paused["state"] == "paused" and paused["clock_speed"] == 0
    injected = training.post(
        "/fhir/$scenario-control",
        json={"action": "inject", "event": {"kind": "message", "text": "Hei, er det noen der?"}},
    ).json()
    assert [e for e in injected["events"] if e["injected"] and e["done"]]
    messages = _all(training, f"/fhir/Communication?subject=Patient/{first}&_count=100")
    assert "Hei, er det noen der?" in [m["payload"][0]["contentString"] for m in messages]
    injected = training.post(
        "/fhir/$scenario-control",
        json={
            "action": "inject",
            "event": {"kind": "observation", "measurement": "spo2", "value": 81},
        },
    )
    assert injected.status_code == 200
    values = [
        o["valueQuantity"]["value"]
        for o in _all(training, f"/fhir/Observation?subject=Patient/{first}&_count=500")
        if "valueQuantity" in o
    ]
    assert 81 in values
    reset = training.post("/fhir/$scenario-control", json={"action": "reset"}).json()
    assert reset["state"] == "ready" and reset["session"] != loaded["session"]
    assert all(not e["done"] for e in reset["events"])
    assert training.get(f"/fhir/Patient/{first}").status_code == 410  # the old copy is gone
    assert _all(training, f"/fhir/Task?patient=Patient/{first}") == []


def test_a_scenario_exported_as_yaml_loads_again(training: AppClient) -> None:
    listed = training.get("/fhir/$scenarios").json()["scenarios"]
    assert len(listed) == len(library())
    entry = next(s for s in listed if s["name"] == "copd-exacerbation")
    assert entry["duration_minutes"] == 360 and entry["group"] == "copd" and entry["patients"] == 1
    assert set(entry["title"]) == {"en", "nb", "nn"} and entry["version"] == 2
    exported = training.get("/fhir/$scenarios?name=copd-exacerbation&format=yaml")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/yaml")
    assert exported.text == library()["copd-exacerbation"].text
    shared = exported.text.replace("name: copd-exacerbation", "name: copd-fra-bergen")
    loaded = training.post("/fhir/$scenario-load", json={"scenario_text": shared})
    assert loaded.status_code == 200, loaded.text
    assert [s["name"] for s in loaded.json()["scenarios"]] == ["copd-fra-bergen"]
    schema = training.get("/fhir/$scenarios?format=schema").json()
    assert schema["properties"]["format"] == {"const": "dho-scenario/1"}


@pytest.fixture
def library_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the reads of the shipped library (ask for it before ``training``)."""
    import server.training.library as shipped

    reads: list[int] = []

    def counting() -> dict[str, Any]:
        reads.append(1)
        return dict(library())

    monkeypatch.setattr(shipped, "library", counting)
    return reads


def test_the_library_is_read_on_first_use_not_on_every_start(
    library_reads: list[int], training: AppClient
) -> None:
    """Reading the shipped files takes ~0.4 s: not on the path to "listening" (cold start)."""
    assert training.get("/fhir/metadata").status_code == 200
    assert library_reads == []
    listed = training.get("/fhir/$scenarios").json()["scenarios"]
    assert len(listed) == len(library())
    loaded = training.post("/fhir/$scenario-load", json={"scenarios": ["copd-exacerbation"]})
    assert loaded.status_code == 200, loaded.text
    assert library_reads == [1]


def test_the_shipped_schema_is_the_one_docs_training_md_shows() -> None:
    import json

    from server.training.format import schema

    docs = (Path(__file__).parents[2] / "docs" / "training.md").read_text("utf-8")
    block = docs.split("```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(block) == schema()


def test_dho_server_scenarios_lists_the_library_one_line_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from server.cli import main

    assert main(["scenarios", "--language", "nb"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(library())
    line = next(x for x in lines if x.startswith("copd-exacerbation "))
    assert "KOLS-forverring over seks timer" in line and line.split()[-2:] == ["h", "copd"]
    assert line.split()[-3] == "6"


def test_a_trainee_who_leaves_a_colleagues_alert_alone_and_answers_a_relative_scores_well(
    classroom: Classroom,
) -> None:
    from tests.server.test_auth_helpers import flush_audit

    room, client = classroom, classroom.client
    nurse = next(s for s in room.staff.staff if s.role == "nurse" and s.organization == SANDNES)
    me = room.headers(nurse.username)
    loaded = client.post(
        "/fhir/$scenario-load",
        json={"scenarios": ["two-nurses-same-alert"], "trainees": [nurse.username]},
        headers=room.trainer,
    ).json()
    pid = loaded["patients"][0]["id"]
    _step(room)  # the red SpO2
    seen = _task_of(client, me, pid)
    _step(room)  # the colleague claims first
    late = client.put(
        f"/fhir/Task/{seen['id']}",
        json={
            **seen,
            "status": "in-progress",
            "owner": {"reference": f"Practitioner/{nurse.practitioner_id}"},
        },
        headers={**me, "If-Match": f'W/"{seen["meta"]["versionId"]}"'},
    )
    assert late.status_code == 412  # the server decides: the colleague was first
    again = client.get(f"/fhir/Task/{seen['id']}", headers=me).json()
    assert again["owner"]["display"] == "Kari Kollega" and again["status"] == "in-progress"
    assert client.get(f"/fhir/Patient/{pid}", headers=me).status_code == 200
    flush_audit(client)
    status = _step_to_end_as(room)
    assert ("colleague", "claim") in {(a["trainee"], a["kind"]) for a in status["actions"]}
    row = client.get("/fhir/$scenario-score", headers=me).json()["trainees"][0]["scenarios"][0]
    assert row["outcome_correct"] is True and row["alerts_missed"] == 0, row
    assert row["messages_sent"] == 0 and row["time_to_claim_s"] is None
    assert row["score"] == 100, row

    loaded = client.post(
        "/fhir/$scenario-load",
        json={"scenarios": ["worried-relative-dementia"], "trainees": [nurse.username]},
        headers=room.trainer,
    ).json()
    pid = loaded["patients"][0]["id"]
    _step(room)  # 08:00 she forgets
    _step(room)  # 09:35 the daughter writes
    found = client.get(f"/fhir/RelatedPerson?patient={pid}", headers=me).json()
    assert "entry" in found, found
    relative = found["entry"][0]["resource"]
    answer = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY, "code": "patient-thread"}]}],
        "subject": {"reference": f"Patient/{pid}"},
        "recipient": [{"reference": f"RelatedPerson/{relative['id']}"}],
        "sender": {"reference": f"Practitioner/{nurse.practitioner_id}"},
        "sent": _now(client),
        "payload": [
            {"contentString": "Takk for at du sier fra. Vi ber hjemmesykepleien se innom i dag."}
        ],
    }
    assert client.post("/fhir/Communication", json=answer, headers=me).status_code == 201
    assert client.get(f"/fhir/Patient/{pid}", headers=me).status_code == 200
    flush_audit(client)
    _step_to_end_as(room)
    row = client.get("/fhir/$scenario-score", headers=me).json()["trainees"][0]["scenarios"][0]
    assert row["outcome_correct"] is True and row["time_to_resolve_s"] == 0, row
    assert row["score"] >= 90, row


def _step_to_end_as(room: Classroom) -> dict[str, Any]:
    for _ in range(200):
        status = _step(room)
        if status["state"] == "finished":
            return status
    raise AssertionError("did not finish")


def test_only_a_training_server_announces_the_operations(tmp_path: Path) -> None:
    names = {}
    for profile in ServerProfile:
        store = Store(f"sqlite:///{tmp_path / profile.value}.sqlite")
        store.create_schema()
        try:
            with serve_in_thread(store, profile=profile) as client:
                statement = client.get("/fhir/metadata").json()
        finally:
            store.close()
        names[profile] = {o["name"] for o in statement["rest"][0].get("operation", ())}
    assert "scenario-load" in names[ServerProfile.TRAINING]
    assert "scenario-load" not in names[ServerProfile.NORMAL] | names[ServerProfile.PLAIN_R4]


def test_any_damaged_file_gets_a_scenario_error_never_a_crash() -> None:
    """Damage a valid file line by line (drop it, blank its value, make it a list, a number,
    text): parse either accepts it or raises ScenarioError naming a line."""
    from server.training.format import ScenarioError, parse

    lines = VALID.splitlines()
    variants = []
    for i, line in enumerate(lines):
        key, sep, _value = line.partition(": ")
        variants.append(lines[:i] + lines[i + 1 :])
        if sep:
            for value in ("", "[1, 2]", "12", "tekst", "{a: 1}", "-5", "null"):
                variants.append([*lines[:i], f"{key}: {value}", *lines[i + 1 :]])
    refused = 0
    for variant in variants:
        try:
            parse("\n".join(variant))
        except ScenarioError as exc:
            refused += 1
            assert exc.problems and all(p.line is None or p.line >= 1 for p in exc.problems)
    assert refused > len(variants) // 2


def test_a_training_backend_refuses_several_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.cli import main

    db = tmp_path / "never.sqlite"
    assert main(["--profile", "training", "--workers", "2", "--db", f"sqlite:///{db}"]) == 2
    assert "one worker" in capsys.readouterr().err
    assert not db.exists()


def test_a_scenario_also_plays_by_itself_when_started_fast(training: AppClient) -> None:
    """Not stepped: started at 3600x, the runner's job plays the script on the running clock."""
    import time as wall

    loaded = training.post(
        "/fhir/$scenario-load", json={"scenarios": ["cold-fingers"], "speed": 3600}
    ).json()
    pid = loaded["patients"][0]["id"]
    training.post("/fhir/$scenario-control", json={"action": "start"})
    deadline = wall.monotonic() + 30
    status = training.get("/fhir/$scenario-status").json()
    while status["state"] != "finished" and wall.monotonic() < deadline:
        wall.sleep(0.2)
        status = training.get("/fhir/$scenario-status").json()
    assert status["state"] == "finished", status["sim_time"]
    assert all(e["done"] for e in status["events"])
    tasks = _all(training, f"/fhir/Task?patient=Patient/{pid}&_count=100")
    assert "threshold-spo2" in {_rule(t) for t in tasks}
    values = [
        o["valueQuantity"]["value"]
        for o in _all(training, f"/fhir/Observation?subject=Patient/{pid}&_count=500")
        if "valueQuantity" in o
    ]
    assert 79 in values and values.count(95) >= 1
    training.post("/fhir/$scenario-control", json={"action": "pause"})


def test_scoring_counts_a_colleague_thread_answer_and_opening_hours() -> None:
    """score_instance on its own: the rehabilitation case answered in the colleague thread,
    claimed after a night (only opening hours count), resolved with an accepted outcome."""
    from server.rules.hours import DEFAULT_HOURS
    from server.training.runner import Instance, Trainee
    from server.training.score import score_instance

    sc = library()["rehab-shared-followup"]
    trainee = Trainee("kari", "prac-1", "Kari", ("ikart",))
    t0 = datetime(2026, 12, 14, 9, 0, tzinfo=OSLO).timestamp()  # a Monday
    inst = Instance(sc, trainee, "s/kari/rehab", t0, {"reference": "Organization/ikart"})
    inst.patients = {"astrid": "p1"}

    def at(minutes: float) -> str:
        return datetime.fromtimestamp(t0 + minutes * 60, OSLO).isoformat()

    raised = 1440 + 375  # Tuesday 15:15, a quarter of an hour before closing
    task = {
        "id": "t1",
        "status": "completed",
        "code": {"coding": [{"system": RULE, "code": "threshold-bp"}]},
        "for": {"reference": "Patient/p1"},
        "authoredOn": at(raised),
        "owner": {"reference": "Practitioner/prac-1"},
    }
    actions: list[dict[str, Any]] = [
        {"at": at(raised + 5), "trainee": "kari", "kind": "open", "patient": "p1"},
        {"at": at(raised + 10), "trainee": "kari", "kind": "claim", "patient": "p1", "task": "t1"},
        {
            "at": at(raised + 12),
            "trainee": "kari",
            "kind": "message",
            "patient": "p1",
            "detail": "colleague-thread",
            "recipients": ["Organization/ikart"],
        },
        # Resolved next morning at 08:20: 15 min before closing + 20 min after opening.
        {
            "at": at(2880 - 40),
            "trainee": "kari",
            "kind": "resolve",
            "patient": "p1",
            "task": "t1",
            "detail": "advised-gp",
        },
    ]
    hours = DEFAULT_HOURS
    row = score_instance(
        inst, [task], actions, t0 + 3000 * 60, lambda a, b: hours.open_seconds(a, b)
    )
    assert row["time_to_open_s"] == 300 and row["time_to_claim_s"] == 600
    assert row["time_to_resolve_s"] == (15 + 20) * 60
    assert row["outcome_correct"] is True and row["messages_sent"] == 1
    assert row["escalations"] == 1 and row["alerts_missed"] == 0
    assert row["parts"]["actions"] == 10 and row["score"] == 100, row
    wrong = score_instance(
        inst, [task], [a for a in actions if a["kind"] != "message"], t0 + 3000 * 60
    )
    assert wrong["parts"]["actions"] < 10
    assert any("other service" in n["en"] for n in wrong["notes"])


def test_a_new_load_removes_scenario_patients_a_restart_forgot(training: AppClient) -> None:
    first = training.post("/fhir/$scenario-load", json={"scenarios": ["cold-fingers"]}).json()
    old = first["patients"][0]["id"]
    training.post("/fhir/$scenario-control", json={"action": "step"})
    assert _all(training, f"/fhir/Task?patient=Patient/{old}")
    training.app.state.training.session = None  # what a restart leaves behind
    training.post("/fhir/$scenario-load", json={"scenarios": ["hypoglycaemia-t2"]})
    assert training.get(f"/fhir/Patient/{old}").status_code == 410
    assert _all(training, f"/fhir/Task?patient=Patient/{old}") == []
    tagged = _all(
        training, "/fhir/Patient?identifier=http://dho.example/fhir/sid/training-instance|"
    )
    assert len(tagged) == 1


def test_an_opening_at_the_instant_the_trainer_last_looked_is_still_seen(
    classroom: Classroom,
) -> None:
    """The stepped clock stands still between steps, so every AuditEvent of a step has one
    instant. An opening stored after the trainer's view last read that instant must still
    reach it (the view once moved its cursor past the instant and lost it)."""
    from tests.server.test_auth_helpers import flush_audit

    room, client = classroom, classroom.client
    first, second, patients = _load_for_two(room, "fever-chemotherapy")
    _step(room)
    instant = _now(client)

    def kinds() -> set[tuple[str, str]]:
        status = client.get("/fhir/$scenario-status", headers=room.trainer).json()
        return {(a["trainee"], a["kind"]) for a in status["actions"]}

    him = room.headers(second.username)
    assert client.get(f"/fhir/Patient/{patients[second.username]}", headers=him).status_code == 200
    flush_audit(client)
    assert (second.username, "open") in kinds()  # the view has read this instant
    me = room.headers(first.username)
    assert client.get(f"/fhir/Patient/{patients[first.username]}", headers=me).status_code == 200
    flush_audit(client)
    assert _now(client) == instant  # the clock stood still: the same instant
    assert (first.username, "open") in kinds()
