"""Access from server-controlled facts, tried as an attacker would (issue 10).

Each test makes the attack a nurse could make with her own token and checks that it fails and
changes nothing: enrolling another department's patient, re-pointing an episode, moving a
patient, writing other departments' templates, another nurse's Subscription, Questionnaires;
and that what she may not see answers exactly as what does not exist. SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.inprocess import AppClient
from tests.server.test_auth_helpers import (
    SHARED_CENTRE,
    Seeded,
    auth_client,
    flush_audit,
    seeded,
    token_headers,
)

__all__ = ["auth_client", "seeded"]  # fixtures

SANDNES = "hjemmesykepleien-sandnes"
IKART = "ikart"
CATEGORY = "http://dho.example/fhir/CodeSystem/communication-category"
FNR = "urn:oid:2.16.578.1.12.4.1.4.1"


def _put(c: AppClient, body: dict[str, Any], headers: dict[str, str]) -> Any:
    url = f"/fhir/{body['resourceType']}/{body['id']}"
    version = body["meta"]["versionId"]
    return c.put(url, json=body, headers={**headers, "If-Match": f'W/"{version}"'})


def _read(c: AppClient, ref: str, headers: dict[str, str]) -> dict[str, Any]:
    r = c.get(f"/fhir/{ref}", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _episode_of(c: AppClient, patient: str, admin: dict[str, str]) -> dict[str, Any]:
    bundle = c.get(f"/fhir/EpisodeOfCare?patient={patient}", headers=admin).json()
    episode: dict[str, Any] = bundle["entry"][0]["resource"]
    return episode


def _count(c: AppClient, query: str, admin: dict[str, str]) -> int:
    total: int = c.get(f"/fhir/{query}&_summary=count", headers=admin).json()["total"]
    return total


def test_enrolling_or_repointing_to_another_departments_patient_is_refused(
    auth_client: AppClient, seeded: Seeded
) -> None:
    c = auth_client
    nurse = token_headers(c, seeded.user("nurse", SANDNES).username)
    admin = token_headers(c, "admin")
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of(IKART))[0]
    before = _count(c, f"EpisodeOfCare?patient={other}", admin)
    # 1. A new episode in her own department for a patient she may not see.
    enrol = {
        "resourceType": "EpisodeOfCare",
        "status": "active",
        "patient": {"reference": f"Patient/{other}"},
        "managingOrganization": {"reference": f"Organization/{SANDNES}"},
    }
    r = c.post("/fhir/EpisodeOfCare", json=enrol, headers=nurse)
    assert r.status_code == 403, r.text
    assert r.json()["resourceType"] == "OperationOutcome"
    assert _count(c, f"EpisodeOfCare?patient={other}", admin) == before
    assert c.get(f"/fhir/Patient/{other}", headers=nurse).status_code == 404
    # 2. Re-pointing one of her own episodes at that patient.
    episode = _episode_of(c, own, admin)
    repointed = {**episode, "patient": {"reference": f"Patient/{other}"}}
    assert _put(c, repointed, nurse).status_code == 403
    assert _read(c, f"EpisodeOfCare/{episode['id']}", admin)["patient"] == episode["patient"]
    assert c.get(f"/fhir/Patient/{other}", headers=nurse).status_code == 404
    # 3. Nor by a conditional create, nor through a CareTeam.
    team = {
        "resourceType": "CareTeam",
        "status": "active",
        "subject": {"reference": f"Patient/{other}"},
        "managingOrganization": [{"reference": f"Organization/{SANDNES}"}],
    }
    assert c.post("/fhir/CareTeam", json=team, headers=nurse).status_code == 403
    own_team = c.post(
        "/fhir/CareTeam", json={**team, "subject": {"reference": f"Patient/{own}"}}, headers=nurse
    )
    assert own_team.status_code == 201, own_team.text
    moved_team = {**own_team.json(), "subject": {"reference": f"Patient/{other}"}}
    assert _put(c, moved_team, nurse).status_code == 403
    # 4. Another department's episode is not hers to change (404: she may not see it).
    theirs = _episode_of(c, other, admin)
    taken = {**theirs, "managingOrganization": {"reference": f"Organization/{SANDNES}"}}
    assert _put(c, taken, nurse).status_code == 404
    assert c.delete(f"/fhir/EpisodeOfCare/{theirs['id']}", headers=nurse).status_code == 404
    assert _read(c, f"EpisodeOfCare/{theirs['id']}", admin)["meta"]["versionId"] == "1"


def test_only_an_active_episode_grants_access(auth_client: AppClient, seeded: Seeded) -> None:
    c = auth_client
    nurse = token_headers(c, seeded.user("nurse", SANDNES).username)
    admin = token_headers(c, "admin")
    # A patient of IKART with an episode in Sandnes (set up by the administrator).
    patient = c.post(
        "/fhir/Patient",
        json={
            "resourceType": "Patient",
            "name": [{"text": "Ola Episode"}],
            "managingOrganization": {"reference": f"Organization/{IKART}"},
        },
        headers=admin,
    ).json()
    for status in ("finished", "planned", "cancelled", "entered-in-error"):
        episode = c.post(
            "/fhir/EpisodeOfCare",
            json={
                "resourceType": "EpisodeOfCare",
                "status": status,
                "patient": {"reference": f"Patient/{patient['id']}"},
                "managingOrganization": {"reference": f"Organization/{SANDNES}"},
            },
            headers=admin,
        )
        assert episode.status_code == 201
        assert c.get(f"/fhir/Patient/{patient['id']}", headers=nurse).status_code == 404, status
    active = c.post(
        "/fhir/EpisodeOfCare",
        json={
            "resourceType": "EpisodeOfCare",
            "status": "active",
            "patient": {"reference": f"Patient/{patient['id']}"},
            "managingOrganization": {"reference": f"Organization/{SANDNES}"},
        },
        headers=admin,
    ).json()
    assert c.get(f"/fhir/Patient/{patient['id']}", headers=nurse).status_code == 200
    # Finishing it (a narrowing: she may) ends her access at once.
    assert _put(c, {**active, "status": "finished"}, nurse).status_code == 200
    assert c.get(f"/fhir/Patient/{patient['id']}", headers=nurse).status_code == 404


def test_moving_a_patient_is_a_leads_act_and_is_audited(
    auth_client: AppClient, seeded: Seeded
) -> None:
    c = auth_client
    nurse = token_headers(c, seeded.user("nurse", SANDNES).username)
    lead_user = seeded.user("lead", SANDNES)
    lead = token_headers(c, lead_user.username)
    admin = token_headers(c, "admin")
    own = sorted(seeded.patients_of(SANDNES))
    # The nurse: no move of the patient, nor of her episode, to IKART.
    patient = _read(c, f"Patient/{own[0]}", nurse)
    moved = {**patient, "managingOrganization": {"reference": f"Organization/{IKART}"}}
    assert _put(c, moved, nurse).status_code == 403
    episode = _episode_of(c, own[0], admin)
    assert (
        _put(
            c, {**episode, "managingOrganization": {"reference": f"Organization/{IKART}"}}, nurse
        ).status_code
        == 403
    )
    assert (
        _read(c, f"Patient/{own[0]}", admin)["managingOrganization"]
        == patient["managingOrganization"]
    )
    # Enrolling her own patient in another department too (it widens who sees her).
    second = {
        "resourceType": "EpisodeOfCare",
        "status": "active",
        "patient": {"reference": f"Patient/{own[1]}"},
        "managingOrganization": {"reference": f"Organization/{IKART}"},
    }
    assert c.post("/fhir/EpisodeOfCare", json=second, headers=nurse).status_code == 403
    # A second episode in her own department (the patient is there already) is fine.
    again = {**second, "managingOrganization": {"reference": f"Organization/{SANDNES}"}}
    assert c.post("/fhir/EpisodeOfCare", json=again, headers=nurse).status_code == 201
    # The lead may move a patient; the move leaves its own AuditEvent.
    flush_audit(c)
    r = _put(c, moved, lead)
    assert r.status_code == 200, r.text
    ikart_nurse = token_headers(c, seeded.user("nurse", IKART).username)
    assert c.get(f"/fhir/Patient/{own[0]}", headers=ikart_nurse).status_code == 200
    flush_audit(c)
    events = c.get(
        f"/fhir/AuditEvent?patient={own[0]}&_count=50&_sort=-date", headers=admin
    ).json()["entry"]
    moves = [e["resource"] for e in events if e["resource"]["subtype"][0]["code"] == "patient-move"]
    assert len(moves) == 1
    details = {d["type"]: d["valueString"] for d in moves[0]["entity"][0]["detail"]}
    assert details["moved-to"] == f"Organization/{IKART}"
    assert details["moved-from"] == f"Organization/{SANDNES}"
    assert moves[0]["agent"][0]["who"]["reference"] == f"Practitioner/{lead_user.practitioner_id}"


def test_a_nurse_registers_a_new_patient_in_her_own_department_only(
    auth_client: AppClient, seeded: Seeded
) -> None:
    c = auth_client
    nurse = token_headers(c, seeded.user("nurse", SANDNES).username)
    new = {
        "resourceType": "Patient",
        "name": [{"text": "Kari Ny"}],
        "managingOrganization": {"reference": f"Organization/{IKART}"},
    }
    assert c.post("/fhir/Patient", json=new, headers=nurse).status_code == 403
    mine = c.post(
        "/fhir/Patient",
        json={**new, "managingOrganization": {"reference": f"Organization/{SANDNES}"}},
        headers=nurse,
    )
    assert mine.status_code == 201, mine.text
    pid = mine.json()["id"]
    episode = {
        "resourceType": "EpisodeOfCare",
        "status": "active",
        "patient": {"reference": f"Patient/{pid}"},
        "managingOrganization": {"reference": f"Organization/{SANDNES}"},
    }
    assert c.post("/fhir/EpisodeOfCare", json=episode, headers=nurse).status_code == 201
    assert c.get(f"/fhir/Patient/{pid}", headers=nurse).status_code == 200


def test_other_departments_templates_subscriptions_and_questionnaires_are_refused(
    auth_client: AppClient, seeded: Seeded
) -> None:
    c = auth_client
    sandnes = token_headers(c, seeded.user("nurse", SANDNES).username)
    ikart_user = seeded.user("nurse", IKART)
    ikart = token_headers(c, ikart_user.username)
    admin = token_headers(c, "admin")

    def template(department: str, text: str) -> dict[str, Any]:
        return {
            "resourceType": "Communication",
            "status": "preparation",
            "category": [{"coding": [{"system": CATEGORY, "code": "quick-reply-template"}]}],
            "sender": {"reference": f"Organization/{department}"},
            "payload": [{"contentString": text}],
        }

    theirs = c.post("/fhir/Communication", json=template(IKART, "Vi ringer deg."), headers=ikart)
    assert theirs.status_code == 201, theirs.text
    t = theirs.json()
    # Create one in their name, edit theirs, take it over, stop it, delete it: all refused.
    assert (
        c.post("/fhir/Communication", json=template(IKART, "x"), headers=sandnes).status_code == 403
    )
    edited = {**t, "payload": [{"contentString": "Ring 113"}]}
    assert _put(c, edited, sandnes).status_code == 403
    taken = {**t, "sender": {"reference": f"Organization/{SANDNES}"}}
    assert _put(c, taken, sandnes).status_code == 403
    assert _put(c, {**t, "status": "stopped"}, sandnes).status_code == 403
    assert c.delete(f"/fhir/Communication/{t['id']}", headers=sandnes).status_code == 403
    after = _read(c, f"Communication/{t['id']}", admin)
    assert after["meta"]["versionId"] == "1" and after["payload"] == t["payload"]
    # Her own department's templates are hers.
    own = c.post("/fhir/Communication", json=template(SANDNES, "Takk!"), headers=sandnes)
    assert own.status_code == 201
    assert _put(c, {**own.json(), "status": "stopped"}, sandnes).status_code == 200

    # Subscriptions belong to whoever created them; the owner cannot be forged.
    sub_body = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "live",
        "criteria": "http://dho.example/fhir/SubscriptionTopic/resource-changes",
        "channel": {"type": "websocket", "payload": "application/fhir+json"},
        "extension": [
            {
                "url": "http://dho.example/fhir/StructureDefinition/resource-owner",
                "valueReference": {"reference": "Practitioner/someone-else"},
            }
        ],
    }
    sub = c.post("/fhir/Subscription", json=sub_body, headers=ikart)
    assert sub.status_code == 201, sub.text
    s = sub.json()
    owner = [e for e in s["extension"] if e["url"].endswith("resource-owner")]
    assert owner == [
        {
            "url": "http://dho.example/fhir/StructureDefinition/resource-owner",
            "valueReference": {"reference": f"Practitioner/{ikart_user.practitioner_id}"},
        }
    ]
    assert c.delete(f"/fhir/Subscription/{s['id']}", headers=sandnes).status_code == 403
    assert _put(c, {**s, "status": "off"}, sandnes).status_code == 403
    assert _read(c, f"Subscription/{s['id']}", admin)["status"] == "active"
    # Nor can the owner hand it to herself by editing the extension.
    forged = {**s, "extension": sub_body["extension"]}
    r = _put(c, forged, ikart)
    assert r.status_code == 200
    assert any(
        e["valueReference"].get("reference") == f"Practitioner/{ikart_user.practitioner_id}"
        for e in r.json()["extension"]
        if e["url"].endswith("resource-owner")
    )
    assert c.delete(f"/fhir/Subscription/{s['id']}", headers=ikart).status_code == 204

    # Questionnaires and Organizations are administrators' work.
    q = c.post(
        "/fhir/Questionnaire",
        json={"resourceType": "Questionnaire", "status": "active", "name": "KOLS"},
        headers=admin,
    ).json()
    assert _put(c, {**q, "status": "retired"}, sandnes).status_code == 403
    assert c.delete(f"/fhir/Questionnaire/{q['id']}", headers=sandnes).status_code == 403
    assert _read(c, f"Questionnaire/{q['id']}", admin)["status"] == "active"
    org = _read(c, f"Organization/{IKART}", sandnes)
    assert _put(c, {**org, "name": "Eid av Sandnes"}, sandnes).status_code == 403


def test_out_of_scope_reads_and_writes_look_like_unknown_ids(
    auth_client: AppClient, seeded: Seeded
) -> None:
    c = auth_client
    nurse = token_headers(c, seeded.user("nurse", SANDNES).username)
    admin = token_headers(c, "admin")
    other = sorted(seeded.patients_of(IKART))[0]
    unknown = str(uuid.uuid4())

    def shape(r: Any, rid: str) -> tuple[int, str, str]:
        issue = r.json()["issue"][0]
        return r.status_code, issue["code"], issue["diagnostics"].replace(rid, "ID")

    for path in ("Patient/{}", "Patient/{}/_history", "Patient/{}/_history/1"):
        hidden = c.get("/fhir/" + path.format(other), headers=nurse)
        missing = c.get("/fhir/" + path.format(unknown), headers=nurse)
        assert shape(hidden, other) == shape(missing, unknown), path
    body = _read(c, f"Patient/{other}", admin)
    for rid in (other, unknown):
        r = c.put(
            f"/fhir/Patient/{rid}",
            json={**body, "id": rid},
            headers={**nurse, "If-Match": 'W/"1"'},
        )
        assert r.status_code == 404, r.text
        assert c.delete(f"/fhir/Patient/{rid}", headers=nurse).status_code == 404
    assert _read(c, f"Patient/{other}", admin)["meta"]["versionId"] == "1"
    # A conditional create by fødselsnummer: a patient enrolled elsewhere is no match for her,
    # exactly like a number nobody has (both create her own new patient record).
    taken = next(i["value"] for i in body["identifier"] if i["system"] == FNR)
    answers = []
    for number in (taken, "01017012345"):
        new = {
            "resourceType": "Patient",
            "identifier": [{"system": FNR, "value": number}],
            "managingOrganization": {"reference": f"Organization/{SANDNES}"},
        }
        r = c.post(
            "/fhir/Patient",
            json=new,
            headers={**nurse, "If-None-Exist": f"identifier={FNR}|{number}"},
        )
        answers.append((r.status_code, sorted(r.json())))
        assert r.json()["id"] != other
    assert answers[0] == answers[1] and answers[0][0] == 201


def test_shared_centre_nurse_keeps_her_reach(auth_client: AppClient, seeded: Seeded) -> None:
    """The centre watching every department still reads and writes all its patients."""
    c = auth_client
    centre = token_headers(c, seeded.user("nurse", SHARED_CENTRE).username)
    other = sorted(seeded.patients_of(IKART))[0]
    obs = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{other}"},
        "effectiveDateTime": "2026-01-01T10:00:00Z",
        "valueQuantity": {"value": 70, "unit": "/min"},
    }
    assert c.post("/fhir/Observation", json=obs, headers=centre).status_code == 201
    assert c.get(f"/fhir/Patient/{other}", headers=centre).status_code == 200


def test_a_deleted_resource_of_another_department_looks_like_an_unknown_id(
    auth_client: AppClient, seeded: Seeded
) -> None:
    """410 "deleted" would tell her the id existed; only who could see it learns that."""
    c = auth_client
    sandnes = token_headers(c, seeded.user("nurse", SANDNES).username)
    admin = token_headers(c, "admin")
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of(IKART))[0]
    ids = {}
    for patient in (own, other):
        obs = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
            "subject": {"reference": f"Patient/{patient}"},
            "effectiveDateTime": "2026-01-01T10:00:00Z",
            "valueQuantity": {"value": 70, "unit": "/min"},
        }
        r = c.post("/fhir/Observation", json=obs, headers=admin)
        assert r.status_code == 201, r.text
        ids[patient] = r.json()["id"]
        assert c.delete(f"/fhir/Observation/{ids[patient]}", headers=admin).status_code == 204
    assert c.get(f"/fhir/Observation/{ids[own]}", headers=sandnes).status_code == 410
    unknown = str(uuid.uuid4())
    for path in ("Observation/{}", "Observation/{}/_history/2"):
        hidden = c.get("/fhir/" + path.format(ids[other]), headers=sandnes)
        missing = c.get("/fhir/" + path.format(unknown), headers=sandnes)
        assert hidden.status_code == missing.status_code == 404, path
        assert hidden.json()["issue"][0]["code"] == missing.json()["issue"][0]["code"]
