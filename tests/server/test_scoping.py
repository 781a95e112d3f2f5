"""Department scoping: a user sees and writes only patients of the departments their roles
cover; searches are filtered in SQL so totals and paging stay right."""

from __future__ import annotations

from typing import Any

from tests.server.inprocess import AppClient
from tests.server.test_auth_helpers import (
    SHARED_CENTRE,
    Seeded,
    auth_client,
    seeded,
    token_headers,
)

__all__ = ["auth_client", "seeded"]  # fixtures

SANDNES = "hjemmesykepleien-sandnes"
IKART = "ikart"


def _walk(client: AppClient, url: str, headers: dict[str, str]) -> tuple[int, list[Any]]:
    """Follow next links; return (total of the first page, every resource)."""
    first = client.get(url, headers=headers)
    assert first.status_code == 200, first.text
    bundle = first.json()
    total = bundle["total"]
    resources = [e["resource"] for e in bundle.get("entry", [])]
    while next_link := next((link for link in bundle["link"] if link["relation"] == "next"), None):
        bundle = client.get(next_link["url"], headers=headers).json()
        resources += [e["resource"] for e in bundle.get("entry", [])]
    return total, resources


def _subject(resource: dict[str, Any]) -> str:
    return str(resource["subject"]["reference"].split("/")[1])


def test_nurse_reads_own_department_only(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    own = sorted(seeded.patients_of(SANDNES))
    other = sorted(seeded.patients_of(IKART))
    assert own and other
    assert auth_client.get(f"/fhir/Patient/{own[0]}", headers=nurse).status_code == 200
    # What she may not see answers exactly as what does not exist (no existence oracle).
    denied = auth_client.get(f"/fhir/Patient/{other[0]}", headers=nurse)
    missing = auth_client.get("/fhir/Patient/no-such-patient", headers=nurse)
    assert denied.status_code == missing.status_code == 404
    assert denied.json()["issue"][0]["code"] == missing.json()["issue"][0]["code"] == "not-found"
    assert denied.json()["issue"][0]["diagnostics"] == f"Patient/{other[0]} is not known"
    # Nor the other patient's data, by any route.
    obs = auth_client.get(f"/fhir/Observation?patient={other[0]}&_count=1", headers=nurse)
    assert obs.json()["total"] == 0
    episode = next(
        e for e in seeded.population.episodes if e["patient"]["reference"] == f"Patient/{other[0]}"
    )
    r = auth_client.get(f"/fhir/EpisodeOfCare/{episode['id']}", headers=nurse)
    assert r.status_code == 404
    assert auth_client.get(f"/fhir/Patient/{other[0]}/_history/1", headers=nurse).status_code == 404
    assert auth_client.get(f"/fhir/Patient/{other[0]}/_history", headers=nurse).status_code == 404
    # Not patient data: organizations and staff are visible to everyone signed in.
    assert auth_client.get(f"/fhir/Organization/{IKART}", headers=nurse).status_code == 200


def test_searches_are_filtered_with_right_totals_and_paging(
    auth_client: AppClient, seeded: Seeded
) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    own = seeded.patients_of(SANDNES)
    total, patients = _walk(auth_client, "/fhir/Patient?_count=3", nurse)
    assert total == len(own) == len(patients)
    assert {p["id"] for p in patients} == own
    count = auth_client.get("/fhir/Patient?_summary=count", headers=nurse).json()["total"]
    assert count == len(own)

    admin = token_headers(auth_client, "admin")
    all_obs = auth_client.get("/fhir/Observation?_summary=count", headers=admin).json()["total"]
    total, observations = _walk(auth_client, "/fhir/Observation?_count=50", nurse)
    assert total == len(observations) < all_obs
    assert observations and {_subject(o) for o in observations} <= own
    # $lastn too.
    lastn = auth_client.get("/fhir/Observation/$lastn?max=1", headers=nurse).json()
    assert {_subject(e["resource"]) for e in lastn.get("entry", [])} <= own
    other = sorted(seeded.patients_of(IKART))[0]
    lastn = auth_client.get(f"/fhir/Observation/$lastn?patient={other}", headers=nurse).json()
    assert lastn["total"] == 0
    # _include of an out-of-scope patient never leaks (episodes of own patients only here).
    inc = auth_client.get(
        "/fhir/EpisodeOfCare?_include=EpisodeOfCare:patient&_count=100", headers=nurse
    ).json()
    included = {e["resource"]["id"] for e in inc["entry"] if e["search"]["mode"] == "include"}
    assert included <= own


def test_shared_centre_nurse_sees_every_watched_department(
    auth_client: AppClient, seeded: Seeded
) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SHARED_CENTRE).username)
    total = auth_client.get("/fhir/Patient?_summary=count", headers=nurse).json()["total"]
    assert total == len(seeded.all_patients)
    other = sorted(seeded.patients_of(IKART))[0]
    assert auth_client.get(f"/fhir/Patient/{other}", headers=nurse).status_code == 200


def test_lead_of_a_department_is_scoped_like_its_nurses(
    auth_client: AppClient, seeded: Seeded
) -> None:
    lead = token_headers(auth_client, seeded.user("lead", SANDNES).username)
    total = auth_client.get("/fhir/Patient?_summary=count", headers=lead).json()["total"]
    assert total == len(seeded.patients_of(SANDNES))
    admin = token_headers(auth_client, "admin")
    total = auth_client.get("/fhir/Patient?_summary=count", headers=admin).json()["total"]
    assert total == len(seeded.all_patients)


def _observation(patient: str) -> dict[str, Any]:
    return {
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
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2026-01-01T10:00:00Z",
        "valueQuantity": {
            "value": 72,
            "unit": "/min",
            "system": "http://unitsofmeasure.org",
            "code": "/min",
        },
    }


def test_writes_outside_scope_are_forbidden(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of(IKART))[0]
    created = auth_client.post("/fhir/Observation", json=_observation(own), headers=nurse)
    assert created.status_code == 201, created.text
    denied = auth_client.post("/fhir/Observation", json=_observation(other), headers=nurse)
    assert denied.status_code == 403
    # Moving a patient away, or touching who-sees-what, is not a nurse's business.
    patient = auth_client.get(f"/fhir/Patient/{own}", headers=nurse)
    body = patient.json()
    body["managingOrganization"] = {"reference": f"Organization/{IKART}"}
    r = auth_client.put(
        f"/fhir/Patient/{own}",
        json=body,
        headers={**nurse, "If-Match": patient.headers["etag"]},
    )
    assert r.status_code == 403
    role = {
        "resourceType": "PractitionerRole",
        "practitioner": {
            "reference": f"Practitioner/{seeded.user('nurse', SANDNES).practitioner_id}"
        },
        "organization": {"reference": f"Organization/{SHARED_CENTRE}"},
        "code": [
            {
                "coding": [
                    {
                        "system": "http://dho.example/fhir/CodeSystem/practitioner-role",
                        "code": "admin",
                    }
                ]
            }
        ],
    }
    assert auth_client.post("/fhir/PractitionerRole", json=role, headers=nurse).status_code == 403


def test_notifications_carry_only_own_patients(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    admin = token_headers(auth_client, "admin")
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of(IKART))[0]
    token = nurse["Authorization"].split()[1]
    path = f"/ws/notifications?types=Observation&access_token={token}"
    with auth_client.websocket_connect(path) as ws:
        assert ws.receive_json()["type"] == "handshake"
        for patient in (other, own, other):
            r = auth_client.post("/fhir/Observation", json=_observation(patient), headers=admin)
            assert r.status_code == 201
        received = []
        while len(received) < 1:
            message = ws.receive_json(timeout=5)
            if message["type"] == "event-notification":
                received.append(message)
        for _ in range(2):  # nothing else arrives: the others are filtered out
            message = ws.receive_json(timeout=2)
            assert message["type"] == "heartbeat", message
    assert received[0]["resource"]["subject"]["reference"] == f"Patient/{own}"
    assert received[0]["eventNumber"] == 1
