"""The lead's inbox and review against the REAL reference backend with sign-in on.

(a) An unclaimed red alert escalates in a nurse's console and reaches the lead's inbox (today's
    shape: an `alert-escalation` Communication); so do an alert escalated in the server-side
    shape (`restriction.recipient` = the lead) and one forwarded to him; he claims one and
    hands one back, and it leaves his inbox.
(b) The review loads through `$review-stats` for the lead, with his handled alert in the
    figures; a nurse's console does not offer it and the server refuses her.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.alerts import Operator
from console.domain.review import ReviewQuery, ReviewSettings
from console.fhir.alerts import (
    ESCALATED_AT_URL,
    RULE_SYSTEM,
    escalate_task,
    forward_task,
    instant,
)
from console.fhir.client import FhirClient
from console.services.alerts import AlertService
from console.services.inbox import InboxService
from console.services.review import ReviewService
from console.state.alert_queue import AlertQueueModel
from console.state.inbox import InboxModel
from tests.backend import RunningBackend, start_backend

USERNAME = "http://dho.example/fhir/sid/username"
CENTRE = "felles-responssenter-sor-rogaland"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    running = start_backend(
        tmp_path_factory.mktemp("review-backend"), seed_patients=15, history_days=2, auth=True
    )
    try:
        yield running
    finally:
        running.stop()


_TOKENS: dict[tuple[str, str], str] = {}


def _token(backend: RunningBackend, user: str) -> str:
    """Tokens come from `dho-server token` (a process each): one per user and backend."""
    key = (backend.base_url, user)
    if key not in _TOKENS:
        _TOKENS[key] = backend.token(user)
    return _TOKENS[key]


def _staff(backend: RunningBackend) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(role, organization) → (practitioner id, name, username)."""
    headers = {"Authorization": f"Bearer {_token(backend, 'admin')}"}
    bundle = httpx.get(
        f"{backend.base_url}/PractitionerRole",
        params={"_include": "PractitionerRole:practitioner", "_count": "200"},
        headers=headers,
        timeout=10,
    ).json()
    people = {}
    for entry in bundle["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "Practitioner":
            user = next(i["value"] for i in res["identifier"] if i["system"] == USERNAME)
            people[res["id"]] = (res["name"][0]["text"], user)
    out = {}
    for entry in bundle["entry"]:
        res = entry["resource"]
        if res["resourceType"] == "PractitionerRole":
            pid = res["practitioner"]["reference"].split("/")[1]
            key = (res["code"][0]["coding"][0]["code"], res["organization"]["reference"][13:])
            out.setdefault(key, (pid, *people[pid]))
    return out


def _task(pid: str, minutes_ago: float, **extra: Any) -> dict[str, Any]:
    authored = instant(datetime.now(UTC) - timedelta(minutes=minutes_ago))
    task = {
        "resourceType": "Task",
        "status": "requested",
        "intent": "order",
        "priority": "asap",
        "code": {"coding": [{"system": RULE_SYSTEM, "code": "threshold-spo2"}]},
        "for": {"reference": f"Patient/{pid}"},
        "authoredOn": authored,
        "lastModified": authored,
        "description": "SpO₂ 84 % (rød grense < 86 %)",
        "restriction": {"recipient": [{"reference": "Organization/ikart"}]},
    }
    task.update(extra)
    return task


def _post(backend: RunningBackend, resource: dict[str, Any]) -> dict[str, Any]:
    headers = {
        "Authorization": f"Bearer {_token(backend, 'admin')}",
        "Content-Type": "application/fhir+json",
    }
    r = httpx.post(
        f"{backend.base_url}/{resource['resourceType']}", json=resource, headers=headers, timeout=10
    )
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def _patients(backend: RunningBackend) -> list[str]:
    headers = {"Authorization": f"Bearer {_token(backend, 'admin')}"}
    bundle = httpx.get(
        f"{backend.base_url}/Patient", params={"_count": "20"}, headers=headers, timeout=10
    ).json()
    return [e["resource"]["id"] for e in bundle["entry"]]


def _client(backend: RunningBackend, username: str) -> FhirClient:
    token = _token(backend, username)
    return FhirClient(backend.base_url, token=lambda: token)


def test_escalations_and_forwards_reach_the_leads_inbox(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    staff = _staff(backend)
    lead_id, lead_name, lead_user = staff[("lead", CENTRE)]
    nurse_id, nurse_name, nurse_user = staff[("nurse", CENTRE)]
    lead = Operator(lead_id, lead_name, "lead", (CENTRE,))
    nurse = Operator(nurse_id, nurse_name, "nurse", (CENTRE,))
    p1, p2, p3 = _patients(backend)[:3]
    unclaimed = _post(backend, _task(p1, 10))
    server_side = _post(
        backend,
        _task(
            p2,
            20,
            extension=[{"url": ESCALATED_AT_URL, "valueDateTime": instant(datetime.now(UTC))}],
            restriction={
                "recipient": [
                    {"reference": "Organization/ikart"},
                    {"reference": f"Practitioner/{lead_id}"},
                ]
            },
        ),
    )
    to_forward = _post(backend, _task(p3, 1, priority="urgent"))

    async def scenario() -> None:
        nurse_client, lead_client = _client(backend, nurse_user), _client(backend, lead_user)
        alerts = AlertService(
            nurse_client, AlertQueueModel(), nurse, lead=(lead_id, lead_name), tick_ms=600_000
        )
        model = InboxModel()
        inbox = InboxService(lead_client, lead, model)
        try:
            await alerts.load(None)
            # Our server escalates itself (it announces server-escalation, so this console
            # does not); a console escalates only against a server that does not. Write what
            # such a console writes for the 10-minute-old unclaimed red alert.
            assert alerts.server_escalation
            stored = await nurse_client.read("Task", unclaimed["id"])
            await nurse_client.update(
                escalate_task(stored, datetime.now(UTC), 5, (lead_id, lead_name)),
                if_match=stored["meta"]["versionId"],
            )
            forwarded = forward_task(
                to_forward, nurse, datetime.now(UTC), person=(lead_id, lead_name), note="Ta denne"
            )
            await nurse_client.update(forwarded, if_match=to_forward["meta"]["versionId"])
            for _ in range(100):  # the escalation message is written after the Task
                await inbox.load()
                if len(model.items()) == 3:
                    break
                await asyncio.sleep(0.05)
            kinds = {i.alert.id: i.kind for i in model.items()}
            assert kinds == {
                unclaimed["id"]: "escalated",
                server_side["id"]: "escalated",
                to_forward["id"]: "forwarded",
            }
            item = next(i for i in model.items() if i.alert.id == unclaimed["id"])
            assert item.why.startswith("ikke tatt innen") and item.alert.patient_name
            # He claims the escalated one; it stays in his inbox as his.
            inbox.claim(unclaimed["id"])
            for _ in range(100):
                task = await lead_client.read("Task", unclaimed["id"])
                if task.get("owner"):
                    break
                await asyncio.sleep(0.05)
            assert task["owner"]["reference"] == f"Practitioner/{lead_id}"
            assert task["executionPeriod"]["start"]
            # He hands the server-side one back: off his inbox, back in the department queue.
            inbox.hand_back(server_side["id"])
            for _ in range(100):
                if server_side["id"] not in {i.alert.id for i in model.items()}:
                    break
                await asyncio.sleep(0.05)
            back = await lead_client.read("Task", server_side["id"])
            assert all(
                "Practitioner" not in r["reference"] for r in back["restriction"]["recipient"]
            )
            assert back["status"] == "requested"
            await inbox.load()
            assert server_side["id"] not in {i.alert.id for i in model.items()}
            assert unclaimed["id"] in {i.alert.id for i in model.items()}
        finally:
            await alerts.stop()
            await inbox.stop()
            await nurse_client.aclose()
            await lead_client.aclose()

    qloop.run_until_complete(scenario())


def test_the_review_loads_for_the_lead_and_is_refused_to_a_nurse(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    staff = _staff(backend)
    lead_user = staff[("lead", CENTRE)][2]
    nurse_user = staff[("nurse", CENTRE)][2]
    lead_id = staff[("lead", CENTRE)][0]
    patient = _patients(backend)[5]
    authored = datetime.now(UTC) - timedelta(hours=2)
    _post(
        backend,
        _task(
            patient,
            120,
            status="completed",
            owner={"reference": f"Practitioner/{lead_id}"},
            executionPeriod={
                "start": instant(authored + timedelta(minutes=4)),
                "end": instant(authored + timedelta(minutes=9)),
            },
            businessStatus={
                "coding": [
                    {
                        "system": "http://dho.example/fhir/CodeSystem/alert-outcome",
                        "code": "advised-gp",
                    }
                ]
            },
        ),
    )

    async def scenario() -> None:
        lead_client, nurse_client = _client(backend, lead_user), _client(backend, nurse_user)
        service = ReviewService(lead_client, ["lead"], centre_id=CENTRE)
        loaded: list[Any] = []
        service.loaded.connect(loaded.append)
        try:
            now = datetime.now(UTC)
            service.request(ReviewQuery(now - timedelta(days=7), now + timedelta(hours=1), now=now),
                            ReviewSettings())  # fmt: skip
            for _ in range(400):
                if loaded:
                    break
                await asyncio.sleep(0.05)
            assert loaded, "the review did not load"
            review = loaded[0]
            assert service.info is not None and service.info.fast  # through $review-stats
            assert review.alerts.outcomes and any(
                r.key == "advised-gp" for r in review.alerts.outcomes
            )
            assert review.per_nurse is not None
            assert ReviewService(nurse_client, ["nurse"]).allowed is False
            refused = await nurse_client._http.get(
                f"{backend.base_url}/$review-stats",
                params={"start": instant(now - timedelta(days=1)), "end": instant(now)},
                headers=nurse_client.auth_headers(),
            )
            assert refused.status_code == 403
        finally:
            await service.stop()
            await lead_client.aclose()
            await nurse_client.aclose()

    qloop.run_until_complete(scenario())


def test_the_review_finds_the_seeded_centres_opening_hours_for_each_lead(
    backend: RunningBackend, qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """The seeded HealthcareService (providedBy the response centre) gives the review its
    hours, for the centre's lead and for a department's lead (through the centre that watches
    her department), signed in as each: never "(default: no opening hours published)"."""
    from console.fhir.auth import jwt_claims
    from console.fhir.mapping import organization_from_fhir
    from console.services.review import review_centre
    from console.services.signin import SignedInUser

    staff = _staff(backend)
    leads = [(org, user) for (role, org), (_pid, _name, user) in staff.items() if role == "lead"]
    assert {org for org, _ in leads} >= {CENTRE, "hjemmesykepleien-sandnes"}

    async def scenario() -> None:
        for org, username in leads:
            client = _client(backend, username)
            try:
                found = await client.search_all("Organization", {"_count": "100"})
                organizations = [organization_from_fhir(r) for r in found.matches]
                user = SignedInUser.from_claims(jwt_claims(_token(backend, username)))
                assert org in user.organizations
                centre_id, _name = review_centre(organizations, user.organizations)
                # The Sandnes department is watched by the shared centre and by its own.
                assert centre_id in (CENTRE, "responssenter-hjemmesykepleien-sandnes")
                hours = await ReviewService(client, ["lead"]).store.opening_hours(centre_id)
                assert not hours.is_default, username
                assert hours.source == f"HealthcareService/{centre_id}-apningstid"
                assert hours.closed  # the public holidays it publishes as notAvailable
            finally:
                await client.aclose()

    qloop.run_until_complete(scenario())
