"""`$review-stats`: only for leads (per-nurse figures withheld from superusers), and the same
facts as the standard searches on the same data, hence the same figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.review import ReviewFacts, ReviewQuery, compute_review
from console.fhir.client import FhirClient
from console.fhir.review import ReviewStore, facts_from_stats
from server.store import Store
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

DHO = "http://dho.example/fhir"
SANDNES = "hjemmesykepleien-sandnes"


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ext(name: str, when: datetime) -> dict[str, str]:
    return {"url": f"{DHO}/StructureDefinition/{name}", "valueDateTime": _iso(when)}


def _task(
    pid: str,
    dept: str,
    authored: datetime,
    *,
    status: str,
    priority: str = "asap",
    rule: str = "threshold-spo2",
    claimed: datetime | None = None,
    resolved: datetime | None = None,
    owner: str | None = None,
    outcome: str | None = None,
    escalated_to: str | None = None,
    execution: bool = False,
) -> dict[str, Any]:
    """An alert Task in the console's shape (claimed-at), or with the standard
    executionPeriod (`execution`), or escalated to a lead in issue 11's shape."""
    task: dict[str, Any] = {
        "resourceType": "Task",
        "status": status,
        "intent": "order",
        "priority": priority,
        "code": {"coding": [{"system": f"{DHO}/CodeSystem/alert-rule", "code": rule}]},
        "for": {"reference": f"Patient/{pid}"},
        "authoredOn": _iso(authored),
        "lastModified": _iso(resolved or claimed or authored),
        "restriction": {"recipient": [{"reference": f"Organization/{dept}"}]},
    }
    extensions = []
    if claimed and execution:
        task["executionPeriod"] = {"start": _iso(claimed)}
        if resolved:
            task["executionPeriod"]["end"] = _iso(resolved)
    elif claimed:
        extensions.append(_ext("claimed-at", claimed))
    if escalated_to:
        extensions.append(_ext("escalated-at", authored + timedelta(minutes=5)))
        task["restriction"]["recipient"].append({"reference": f"Practitioner/{escalated_to}"})
    if extensions:
        task["extension"] = extensions
    if owner:
        task["owner"] = {"reference": f"Practitioner/{owner}"}
    if outcome:
        task["businessStatus"] = {
            "coding": [{"system": f"{DHO}/CodeSystem/alert-outcome", "code": outcome}]
        }
    return task


def _message(pid: str, sender: str, sent: datetime, *, read: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [
            {
                "coding": [
                    {"system": f"{DHO}/CodeSystem/communication-category", "code": "patient-thread"}
                ]
            }
        ],
        "subject": {"reference": f"Patient/{pid}"},
        "sender": {"reference": sender},
        "sent": _iso(sent),
        "payload": [{"contentString": "Hei"}],
    }
    if read:
        message["received"] = _iso(sent + timedelta(hours=1))
    return message


def _video(pid: str, nurse: str, start: datetime) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR"},
        "subject": {"reference": f"Patient/{pid}"},
        "participant": [{"individual": {"reference": f"Practitioner/{nurse}"}}],
        "period": {"start": _iso(start), "end": _iso(start + timedelta(minutes=12))},
        "length": {
            "value": 12,
            "unit": "min",
            "system": "http://unitsofmeasure.org",
            "code": "min",
        },
    }


def _history(seeded: Seeded, start: datetime) -> list[tuple[str, dict[str, Any]]]:
    """A handful of handled alerts, messages and calls for patients of two departments."""
    sandnes = sorted(seeded.patients_of(SANDNES))
    others = sorted(seeded.all_patients - set(sandnes))
    nurse = seeded.user("nurse", SANDNES).practitioner_id
    lead = seeded.user("lead", SHARED_CENTRE).practitioner_id
    t = start + timedelta(hours=9)
    minutes, days = (lambda n: timedelta(minutes=n)), (lambda n: timedelta(days=n))
    tasks = [
        _task(sandnes[0], SANDNES, t, status="completed", claimed=t + minutes(7),
              resolved=t + minutes(30), owner=nurse, outcome="contacted-patient"),
        _task(sandnes[1], SANDNES, t + timedelta(hours=7), status="completed",
              claimed=t + days(1), resolved=t + days(1) + minutes(5), owner=nurse,
              outcome="measurement-error", execution=True),
        _task(sandnes[0], SANDNES, t + days(1), status="in-progress", priority="urgent",
              claimed=t + days(1) + minutes(40), owner=nurse),
        _task(others[0], "ikart", t + days(2), status="requested", escalated_to=lead),
        _task(others[1], "ikart", t + days(2), status="cancelled", priority="routine",
              rule="missing-measurement", resolved=t + days(2) + minutes(60)),
        # Before the range.
        _task(others[1], "ikart", t - days(3), status="completed",
              resolved=t - days(3) + minutes(9), owner=nurse, outcome="no-action-needed"),
    ]  # fmt: skip
    return [
        *(("Task", task) for task in tasks),
        (
            "Communication",
            _message(sandnes[0], f"Patient/{sandnes[0]}", t + minutes(60), read=True),
        ),
        ("Communication", _message(sandnes[0], f"Practitioner/{nurse}", t + minutes(180))),
        ("Encounter", _video(sandnes[1], nurse, t + minutes(240))),
    ]


def _facts(client: AppClient, headers: dict[str, str], start: datetime, end: datetime) -> Any:
    """(standard-search facts, $review-stats facts) through the console's own store."""

    async def run() -> tuple[ReviewFacts, ReviewFacts]:
        token = headers["Authorization"].split(" ", 1)[1]
        async with FhirClient(
            str(client.base_url).rstrip("/") + "/fhir", token=lambda: token
        ) as fhir:
            store = ReviewStore(fhir, page_size=7)  # small pages: paging is exercised
            assert await store.has_stats_operation()
            people = await store.people()
            standard, fast = ReviewFacts(), ReviewFacts()
            standard.add(people)
            fast.add(people)
            for a, b in ((start, start + timedelta(days=2)), (start + timedelta(days=2), end)):
                standard.add(await store.activity(a, b))
                fast.add(await store.stats("activity", a, b))
            return standard, fast

    return asyncio.run(run())


def test_standard_searches_and_review_stats_agree(
    auth_client: AppClient, seeded: Seeded, store: Store
) -> None:
    start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    end = start + timedelta(days=4)
    store.create_many(_history(seeded, start))
    lead = token_headers(auth_client, seeded.user("lead", SHARED_CENTRE).username)
    standard, fast = _facts(auth_client, lead, start, end)
    a, b = standard.normalised(), fast.normalised()
    assert len(a.alerts) == 5 and a.alerts == b.alerts
    assert a.measurements and a.measurements == b.measurements
    assert len(a.messages) == 2 and a.messages == b.messages
    assert len(a.visits) == 1 and a.visits == b.visits
    assert a == b
    by_id = {x.patient_id: x for x in a.alerts if x.rule == "missing-measurement"}
    assert all(x.status == "cancelled" for x in by_id.values())
    escalated = next(x for x in a.alerts if x.escalated is not None)
    assert escalated.escalated_to == (seeded.user("lead", SHARED_CENTRE).practitioner_id,)
    # Hence the same figures (the review is computed once, from either).
    query = ReviewQuery(start, end)
    assert compute_review(standard, query) == compute_review(fast, query)
    # Patients in the answer are audited as accessed.
    assert flush_audit(auth_client) > 0


def test_only_leads_superusers_and_admins_get_review_stats(
    auth_client: AppClient, seeded: Seeded, store: Store
) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    store.create_many(_history(seeded, start))
    params = {"start": _iso(start - timedelta(days=4)), "end": _iso(start + timedelta(days=3))}
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    refused = auth_client.get("/fhir/$review-stats", params=params, headers=nurse)
    assert refused.status_code == 403
    assert "leads" in refused.json()["issue"][0]["diagnostics"]
    # Nor may a nurse search other users' accesses in the AuditEvents.
    assert auth_client.get("/fhir/AuditEvent", headers=nurse).status_code == 403
    lead = token_headers(auth_client, seeded.user("lead", SHARED_CENTRE).username)
    answer = auth_client.get("/fhir/$review-stats", params=params, headers=lead)
    assert answer.status_code == 200, answer.text
    facts = facts_from_stats(answer.json())
    assert facts.per_nurse and any(a.owner_id for a in facts.alerts)
    assert auth_client.get("/fhir/AuditEvent?_count=1", headers=lead).status_code == 200
    superuser = token_headers(auth_client, seeded.user("superuser", SHARED_CENTRE).username)
    answer = auth_client.get("/fhir/$review-stats", params=params, headers=superuser)
    facts = facts_from_stats(answer.json())
    assert not facts.per_nurse and facts.alerts
    assert not any(a.owner_id for a in facts.alerts)
    assert not any(m.sender_id for m in facts.messages)
    # A Sandnes lead sees Sandnes only.
    local = token_headers(auth_client, seeded.user("lead", SANDNES).username)
    facts = facts_from_stats(
        auth_client.get("/fhir/$review-stats", params=params, headers=local).json()
    )
    assert {a.patient_id for a in facts.alerts} <= seeded.patients_of(SANDNES)
    # Bad requests get an OperationOutcome, never a 5xx.
    for bad in (
        {"start": "yesterday", "end": params["end"]},
        {"start": params["start"]},
        {"x": "1"},
    ):
        r = auth_client.get("/fhir/$review-stats", params=bad, headers=lead)
        assert r.status_code == 400 and r.json()["resourceType"] == "OperationOutcome"


def test_capability_statement_announces_review_stats(client: AppClient) -> None:
    ops = client.get("/fhir/metadata").json()["rest"][0]["operation"]
    assert {"name": "review-stats", "definition": f"{DHO}/OperationDefinition/review-stats"} in ops


def test_a_second_call_sees_new_measurements_and_changed_alerts(
    auth_client: AppClient, seeded: Seeded, store: Store
) -> None:
    """The backend keeps day counts and parsed alerts between calls; writes still show."""
    from zoneinfo import ZoneInfo

    from tests.fhir_builders import spo2

    # A whole Europe/Oslo day: its counts are what the backend keeps.
    oslo = ZoneInfo("Europe/Oslo")
    today = datetime.now(oslo).replace(hour=0, minute=0, second=0, microsecond=0)
    day = (today - timedelta(days=2)).astimezone(UTC)
    store.create_many(_history(seeded, day))
    lead = token_headers(auth_client, seeded.user("lead", SHARED_CENTRE).username)
    params = {"part": "activity", "start": _iso(day), "end": _iso(day + timedelta(days=1))}

    def facts() -> ReviewFacts:
        answer = auth_client.get("/fhir/$review-stats", params=params, headers=lead)
        assert answer.status_code == 200, answer.text
        return facts_from_stats(answer.json())

    first = facts()
    patient = sorted(seeded.patients_of(SANDNES))[0]
    before = sum(first.measurements.get((patient, "spo2"), {}).values())
    # A measurement from any writer (here the store itself, bypassing the API's broker) ...
    store.create("Observation", spo2(patient, 95, day + timedelta(hours=10)))
    # ... and a claim through the API.
    task = next(a for a in first.alerts if a.status == "completed")
    current = auth_client.get(f"/fhir/Task/{task.id}", headers=lead).json()
    current["status"] = "in-progress"
    updated = auth_client.put(
        f"/fhir/Task/{task.id}",
        json=current,
        headers={**lead, "If-Match": f'W/"{current["meta"]["versionId"]}"'},
    )
    assert updated.status_code == 200, updated.text
    second = facts()
    assert sum(second.measurements[(patient, "spo2")].values()) == before + 1
    assert next(a for a in second.alerts if a.id == task.id).status == "in-progress"
    cache = auth_client.app.state.review_cache
    assert cache.hits > 0  # the unchanged alerts and messages were not parsed again
    assert facts().measurements == second.measurements  # and the day's counts are kept


def test_a_restarted_backend_answers_from_the_review_tables_and_still_sees_changes(
    auth_client: AppClient, seeded: Seeded, store: Store
) -> None:
    """What one process counted and parsed is in `review_day` / `review_row` for the next
    (a restart, another worker): nothing is counted or parsed again unless it changed, and
    a measurement corrected behind the cache's back (no broker event) still shows."""
    from zoneinfo import ZoneInfo

    from server.api.review_cache import ReviewCache
    from tests.fhir_builders import spo2

    oslo = ZoneInfo("Europe/Oslo")
    today = datetime.now(oslo).replace(hour=0, minute=0, second=0, microsecond=0)
    day = (today - timedelta(days=3)).astimezone(UTC)
    store.create_many(_history(seeded, day))
    patient = sorted(seeded.patients_of(SANDNES))[0]
    wrong = store.create("Observation", spo2(patient, 70, day + timedelta(hours=9)))
    lead = token_headers(auth_client, seeded.user("lead", SHARED_CENTRE).username)
    params = {"part": "activity", "start": _iso(day), "end": _iso(day + timedelta(days=1))}

    def facts() -> ReviewFacts:
        answer = auth_client.get("/fhir/$review-stats", params=params, headers=lead)
        assert answer.status_code == 200, answer.text
        return facts_from_stats(answer.json())

    first = facts()
    before = sum(first.measurements[(patient, "spo2")].values())
    # "Restart": the next call gets a new, empty memory cache.
    auth_client.app.state.review_cache = fresh = ReviewCache(store)
    auth_client.app.state.broker.add_listener(fresh.changed)
    again = facts()
    assert again.normalised() == first.normalised()
    assert fresh.misses == 0 and fresh.stored_hits > 0  # all from the tables
    # The wrong value is marked entered-in-error by another writer (no event reaches this
    # process): the day's fingerprint (its highest change number) moves, so it is counted.
    body = wrong.resource()
    body["status"] = "entered-in-error"
    store.update("Observation", wrong.res_id, body, if_match=wrong.version_id)
    auth_client.app.state.review_cache = other = ReviewCache(store)
    third = facts()
    assert sum(third.measurements.get((patient, "spo2"), {}).values()) == before - 1
    assert other.misses == 1  # that day only; the alerts and messages came from the tables
