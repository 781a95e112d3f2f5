"""Patient-app users (a patient, or a relative) see only their own record and patient thread:
never a colleague-thread message, by read, search, _include/_revinclude, _history or the
WebSocket; they write only their own measurements, answers and patient-thread messages."""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass
from typing import Any

import pytest

from server.api.subscriptions import TOPIC_URL
from server.auth.cli import token_main
from server.auth.principal import Principal
from server.store import Store
from tests.server.inprocess import AppClient
from tests.server.test_auth_helpers import (
    Seeded,
    auth_client,
    seeded,
    token_headers,
    tokens_for,
)

__all__ = ["auth_client", "seeded"]  # fixtures

CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"
THREAD_ID = "http://dho.example/fhir/StructureDefinition/thread-id"
MESSAGE_KEY = "http://dho.example/fhir/sid/message-key"


@dataclass
class World:
    patient: str  # pasient-1's Patient id
    relative: str  # parorende-1's RelatedPerson id
    other: str  # a patient of someone else
    admin: dict[str, str]
    me: dict[str, str]  # pasient-1
    relative_headers: dict[str, str]
    ids: dict[str, str]  # message ids by name


def _principal(client: AppClient, username: str) -> Principal:
    principal = client.app.state.auth.accounts.load_user(username, "dho-console")
    assert principal is not None and principal.is_patient, username
    assert isinstance(principal, Principal)
    return principal


def message(
    patient: str, category: str, text: str, *, sender: str = "Practitioner/x", **extra: Any
) -> dict[str, Any]:
    thread = "colleague" if category == "colleague-thread" else "patient"
    return {
        "resourceType": "Communication",
        "extension": [{"url": THREAD_ID, "valueString": f"{patient}/{thread}"}],
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "subject": {"reference": f"Patient/{patient}"},
        "sender": {"reference": sender},
        "sent": "2026-11-22T10:00:00Z",
        "payload": [{"contentString": text}],
        **extra,
    }


def create(client: AppClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"/fhir/{body['resourceType']}", json=body, headers=headers)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


@pytest.fixture
def world(auth_client: AppClient, seeded: Seeded) -> World:
    me = _principal(auth_client, "pasient-1")
    relative = _principal(auth_client, "parorende-1")
    assert me.patient == relative.patient and me.fhir_user == f"Patient/{me.patient}"
    assert relative.fhir_user is not None and relative.fhir_user.startswith("RelatedPerson/")
    assert me.patient is not None
    other = sorted(seeded.all_patients - {me.patient})[0]
    admin = token_headers(auth_client, "admin")
    p = me.patient
    ids = {
        "patient": create(auth_client, admin, message(p, "patient-thread", "Hvordan går det?")),
        "colleague": create(
            auth_client, admin, message(p, "colleague-thread", "Fastlegen bør se på dette")
        ),
        "remeasure": create(auth_client, admin, message(p, "remeasure-request", "Mål igjen")),
        "other": create(auth_client, admin, message(other, "patient-thread", "Hei")),
        "template": create(
            auth_client,
            admin,
            {
                "resourceType": "Communication",
                "status": "preparation",
                "category": [{"coding": [{"system": CATEGORY, "code": "quick-reply-template"}]}],
                "payload": [{"contentString": "Takk for beskjed"}],
            },
        ),
    }
    ids = {k: v["id"] for k, v in ids.items()}
    # A colleague message replying to the patient-thread one (for _revinclude).
    reply = message(
        p,
        "colleague-thread",
        "Enig",
        inResponseTo=[{"reference": f"Communication/{ids['patient']}"}],
    )
    ids["colleague-reply"] = create(auth_client, admin, reply)["id"]
    return World(
        patient=p,
        relative=relative.sub,
        other=other,
        admin=admin,
        me=token_headers(auth_client, "pasient-1"),
        relative_headers=token_headers(auth_client, "parorende-1"),
        ids=ids,
    )


def _ids(bundle: dict[str, Any], mode: str = "match") -> set[str]:
    return {e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == mode}


def test_reads_and_searches_show_only_the_own_record(auth_client: AppClient, world: World) -> None:
    c, me, ids = auth_client, world.me, world.ids
    assert c.get(f"/fhir/Patient/{world.patient}", headers=me).status_code == 200
    assert c.get(f"/fhir/Patient/{world.other}", headers=me).status_code == 404
    assert c.get(f"/fhir/Communication/{ids['patient']}", headers=me).status_code == 200
    for name in ("colleague", "colleague-reply", "other", "template"):
        r = c.get(f"/fhir/Communication/{ids[name]}", headers=me)
        assert r.status_code == 404, name
        assert "Fastlegen" not in r.text
        assert c.get(f"/fhir/Communication/{ids[name]}/_history/1", headers=me).status_code == 404
    # Searches: filtered in SQL, totals right, whatever the parameters.
    visible = {ids["patient"], ids["remeasure"]}
    for query in (
        "",
        f"?subject=Patient/{world.patient}",
        f"?category={CATEGORY}|colleague-thread",
        "?_count=1",
        "?_summary=count",
    ):
        bundle = c.get(f"/fhir/Communication{query}", headers=me).json()
        expected = set() if "colleague" in query else visible
        assert bundle["total"] == len(expected), query
        if "_count" not in query and "_summary" not in query:
            assert _ids(bundle) == expected, query
    assert c.get("/fhir/Patient?_summary=count", headers=me).json()["total"] == 1
    own_obs = c.get(
        f"/fhir/Observation?patient={world.patient}&_summary=count", headers=world.admin
    ).json()["total"]
    assert c.get("/fhir/Observation?_summary=count", headers=me).json()["total"] == own_obs
    lastn = c.get(f"/fhir/Observation/$lastn?patient={world.other}", headers=me).json()
    assert lastn.get("total", 0) == 0 and not lastn.get("entry")
    assert c.get(f"/fhir/Patient/{world.other}/$news2", headers=me).status_code == 404
    assert c.get(f"/fhir/Patient/{world.patient}/$news2", headers=me).status_code == 200
    # Staff work is not theirs to read at all.
    for res_type in ("Task", "EpisodeOfCare", "AuditEvent", "Encounter"):
        assert c.get(f"/fhir/{res_type}", headers=me).status_code == 403, res_type
    # Reference data is.
    assert c.get("/fhir/Organization?_summary=count", headers=me).status_code == 200
    # _include / _revinclude never bring a colleague message along.
    rev = c.get(
        f"/fhir/Patient?_id={world.patient}&_revinclude=Communication:subject", headers=me
    ).json()
    assert _ids(rev, "include") == visible
    rev = c.get(
        f"/fhir/Communication?_id={ids['patient']}&_revinclude=Communication:in-response-to",
        headers=me,
    ).json()
    assert _ids(rev) == {ids["patient"]} and not _ids(rev, "include")
    # The relative sees the same record.
    rel = world.relative_headers
    bundle = c.get("/fhir/Communication", headers=rel).json()
    assert _ids(bundle) == visible
    assert c.get(f"/fhir/RelatedPerson/{world.relative}", headers=rel).status_code == 200
    assert c.get(f"/fhir/Communication/{ids['colleague']}", headers=rel).status_code == 404


def test_history_never_shows_a_colleague_version(auth_client: AppClient, world: World) -> None:
    c, me, ids, admin = auth_client, world.me, world.ids, world.admin
    assert c.get(f"/fhir/Communication/{ids['patient']}/_history", headers=me).status_code == 200
    for path in (
        f"/fhir/Communication/{ids['colleague']}/_history",
        "/fhir/Communication/_history",
        "/fhir/_history",
        "/fhir/Observation/_history",
    ):
        expected = 404 if path.count("/") == 4 else 403  # an instance's: as if unknown
        assert c.get(path, headers=me).status_code == expected, path
    # A message moved from the colleague thread into the patient thread: its current version
    # is readable, its history (which holds the colleague text) is not.
    current = c.get(f"/fhir/Communication/{ids['colleague']}", headers=admin).json()
    moved = {**current, "category": [{"coding": [{"system": CATEGORY, "code": "patient-thread"}]}]}
    r = c.put(
        f"/fhir/Communication/{ids['colleague']}",
        json=moved,
        headers={**admin, "If-Match": 'W/"1"'},
    )
    assert r.status_code == 200, r.text
    assert c.get(f"/fhir/Communication/{ids['colleague']}", headers=me).status_code == 200
    assert (
        c.get(f"/fhir/Communication/{ids['colleague']}/_history/1", headers=me).status_code == 404
    )
    history = c.get(f"/fhir/Communication/{ids['colleague']}/_history", headers=me)
    assert history.status_code == 403 and "Fastlegen" not in history.text


def test_writes_only_own_measurements_answers_and_patient_messages(
    auth_client: AppClient, world: World
) -> None:
    c, me, admin = auth_client, world.me, world.admin
    weight = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "vital-signs",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
        "subject": {"reference": f"Patient/{world.patient}"},
        "effectiveDateTime": "2026-11-22T08:00:00Z",
        "valueQuantity": {
            "value": 81.5,
            "unit": "kg",
            "system": "http://unitsofmeasure.org",
            "code": "kg",
        },
    }
    create(c, me, weight)
    other = {**weight, "subject": {"reference": f"Patient/{world.other}"}}
    assert c.post("/fhir/Observation", json=other, headers=me).status_code == 403
    answer = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "subject": {"reference": f"Patient/{world.patient}"},
        "authored": "2026-11-22T08:00:00Z",
    }
    create(c, me, answer)
    mine = f"Patient/{world.patient}"
    create(c, me, message(world.patient, "patient-thread", "Hei!", sender=mine))
    asks = create(c, me, message(world.patient, "contact-request", "Ring meg", sender=mine))
    relative = f"RelatedPerson/{world.relative}"
    create(
        c, world.relative_headers, message(world.patient, "patient-thread", "Hei", sender=relative)
    )
    refused = [
        message(world.patient, "colleague-thread", "Hei", sender=mine),
        message(world.patient, "remeasure-request", "Hei", sender=mine),
        message(world.patient, "patient-thread", "Hei", sender="Practitioner/x"),
        message(world.other, "patient-thread", "Hei", sender=mine),
    ]
    for body in refused:
        assert c.post("/fhir/Communication", json=body, headers=me).status_code == 403
    # Relatives may not pose as the patient.
    body = message(world.patient, "patient-thread", "Hei", sender=mine)
    assert (
        c.post("/fhir/Communication", json=body, headers=world.relative_headers).status_code == 403
    )
    task = {"resourceType": "Task", "status": "requested", "intent": "order"}
    assert c.post("/fhir/Task", json=task, headers=me).status_code == 403
    assert c.delete(f"/fhir/Communication/{world.ids['patient']}", headers=me).status_code == 403
    # A conditional create matching a colleague message does not hand it over: what she may
    # not see counts as no match, so her own message is created.
    key = "colleague-key"
    tagged = message(world.patient, "colleague-thread", "Hemmelig")
    tagged["identifier"] = [{"system": MESSAGE_KEY, "value": key}]
    tagged_id = create(c, admin, tagged)["id"]
    probe = message(world.patient, "patient-thread", "Hei", sender=mine)
    probe["identifier"] = [{"system": MESSAGE_KEY, "value": key}]
    r = c.post(
        "/fhir/Communication",
        json=probe,
        headers={**me, "If-None-Exist": f"identifier={MESSAGE_KEY}|{key}"},
    )
    assert r.status_code == 201 and "Hemmelig" not in r.text, r.text
    assert r.json()["id"] != tagged_id
    # The contact request raised a yellow alert for the department.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        tasks = c.get(
            f"/fhir/Task?patient={world.patient}&code=contact-request", headers=admin
        ).json()
        if tasks["total"]:
            break
        time.sleep(0.05)
    assert tasks["total"] == 1
    assert tasks["entry"][0]["resource"]["focus"]["reference"] == f"Communication/{asks['id']}"


def test_accepts_an_appointment_but_changes_nothing_else(
    auth_client: AppClient, world: World
) -> None:
    c, me = auth_client, world.me
    appointment = create(
        c,
        world.admin,
        {
            "resourceType": "Appointment",
            "status": "booked",
            "start": "2026-11-22T10:00:00Z",
            "end": "2026-11-22T10:30:00Z",
            "participant": [
                {"actor": {"reference": f"Patient/{world.patient}"}, "status": "needs-action"},
                {"actor": {"reference": "Practitioner/x"}, "status": "accepted"},
            ],
        },
    )
    url = f"/fhir/Appointment/{appointment['id']}"
    assert c.get(url, headers=me).status_code == 200
    moved = {**appointment, "start": "2026-11-22T11:00:00Z"}
    assert c.put(url, json=moved, headers={**me, "If-Match": 'W/"1"'}).status_code == 403
    not_mine = {**appointment, "participant": [dict(p) for p in appointment["participant"]]}
    not_mine["participant"][1]["status"] = "declined"
    assert c.put(url, json=not_mine, headers={**me, "If-Match": 'W/"1"'}).status_code == 403
    accepted = {**appointment, "participant": [dict(p) for p in appointment["participant"]]}
    accepted["participant"][0]["status"] = "accepted"
    r = c.put(url, json=accepted, headers={**me, "If-Match": 'W/"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["participant"][0]["status"] == "accepted"


def test_notifications_never_carry_colleague_messages(auth_client: AppClient, world: World) -> None:
    c = auth_client
    token = world.me["Authorization"].split(" ", 1)[1]
    with c.websocket_connect(f"/ws/notifications?access_token={token}") as ws:
        assert ws.receive_json()["type"] == "handshake"
        create(c, world.admin, message(world.patient, "colleague-thread", "Fastlegen ringer"))
        create(c, world.admin, message(world.other, "patient-thread", "Til en annen"))
        visible = create(c, world.admin, message(world.patient, "patient-thread", "Til deg"))
        while True:
            frame = ws.receive_json()
            if frame["type"] == "event-notification":
                break
        assert frame["focus"]["reference"] == f"Communication/{visible['id']}"
        assert frame["eventNumber"] == 1
    # Topic-based Subscriptions cannot be scoped to one thread: refused for patient apps.
    sub = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "app",
        "criteria": TOPIC_URL,
        "channel": {"type": "websocket", "payload": "application/fhir+json"},
    }
    sub_id = create(c, world.admin, sub)["id"]
    r = c.get(f"/fhir/Subscription/{sub_id}/$get-ws-binding-token", headers=world.me)
    assert r.status_code == 403
    r = c.get(f"/fhir/Subscription/{sub_id}/$events", headers=world.me)
    assert r.status_code == 403


def test_login_and_token_command_for_patient_users(
    auth_client: AppClient, world: World, store: Store
) -> None:
    body = tokens_for(auth_client, "pasient-1")
    assert body["fhirUser"] == f"Patient/{world.patient}"
    assert body["patient"] == world.patient
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert auth_client.get(f"/fhir/Patient/{world.patient}", headers=headers).status_code == 200
    relative = tokens_for(auth_client, "parorende-1")
    assert relative["fhirUser"] == f"RelatedPerson/{world.relative}"
    assert relative["patient"] == world.patient
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert (
            token_main(["pasient-1", "--db", store.url.render_as_string(hide_password=False)]) == 0
        )
    headers = {"Authorization": f"Bearer {out.getvalue().strip()}"}
    assert auth_client.get(f"/fhir/Patient/{world.patient}", headers=headers).status_code == 200
    assert auth_client.get(f"/fhir/Patient/{world.other}", headers=headers).status_code == 404
