"""The messaging simulator: deterministic, a handful of messages an hour, answers after a delay
in the right thread, contact requests that raise alerts, accepted video invitations, and no
duplicates after a restart."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.api.broker import Broker
from server.api.service import FhirService
from server.rules.runtime import AlertEngine
from server.sim.messaging import (
    CATEGORY_SYSTEM,
    MESSAGE_KEY_SYSTEM,
    READY,
    REPLIES,
    THREAD_ID_URL,
    Action,
    MessagingSimulator,
    Rates,
    apply,
    intent,
    run,
)
from server.sim.population import Population, build_population
from server.store import Store
from server.store import search as s
from server.store.registry import RESOURCE_TYPES

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Oslo


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population(300, seed=1, now=T0, history_days=1)


def simulator(pop: Population, *, now: datetime = T0, **kw: Any) -> MessagingSimulator:
    return MessagingSimulator.from_resources(
        pop.patients, pop.episodes, pop.related_persons, seed=1, speed=40, now=now, **kw
    )


def drive(sim: MessagingSimulator, start: datetime, seconds: float, step: float = 0.5) -> list[Any]:
    out: list[Any] = []
    for i in range(1, int(seconds / step) + 1):
        now = start + timedelta(seconds=i * step)
        out += [(now, a) for a in sim.due(now)]
    return out


def category(body: dict[str, Any]) -> str:
    return str(body["category"][0]["coding"][0]["code"])


def nurse_message(
    patient: str, text: str, cid: str, code: str = "patient-thread"
) -> dict[str, Any]:
    return {
        "resourceType": "Communication",
        "id": cid,
        "extension": [{"url": THREAD_ID_URL, "valueString": f"{patient}/patient"}],
        "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": f"nurse-{cid}"}],
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": code}]}],
        "subject": {"reference": f"Patient/{patient}"},
        "sender": {"reference": "Practitioner/n1", "display": "Kari Sykepleier"},
        "recipient": [{"reference": f"Patient/{patient}"}],
        "sent": "2026-11-23T08:00:00Z",
        "payload": [{"contentString": text}],
    }


def test_deterministic_and_a_handful_an_hour(population: Population) -> None:
    hours = 3
    first = drive(simulator(population), T0, hours * 3600)
    again = drive(simulator(population), T0, hours * 3600)
    assert [(t, a.key, a.body) for t, a in first] == [(t, a.key, a.body) for t, a in again]
    per_hour = Counter(int((t - T0).total_seconds() // 3600) for t, _ in first)
    kinds = Counter(category(a.body) for _, a in first)
    # Defaults: ~4 questions and ~2 contact requests per real hour for 300 patients.
    assert 6 <= len(first) <= 40, kinds
    assert max(per_hour.values()) <= 15, per_hour
    assert 3 <= kinds["patient-thread"] and kinds["contact-request"] >= 1, kinds
    assert len({a.key for _, a in first}) == len(first)
    for _, action in first:
        body = action.body
        assert body["identifier"] == [{"system": MESSAGE_KEY_SYSTEM, "value": action.key}]
        assert body["subject"]["reference"].startswith("Patient/")
        if category(body) == "contact-request":
            assert body["sender"] == body["subject"]  # the patient asks: the rules alert on it
        assert body["sender"]["reference"].split("/")[0] in ("Patient", "RelatedPerson")
    # A different seed is a different (but as quiet) centre.
    other = MessagingSimulator.from_resources(
        population.patients,
        population.episodes,
        population.related_persons,
        seed=2,
        speed=40,
        now=T0,
    )
    assert [a.key for _, a in drive(other, T0, 3600)] != [a.key for _, a in first][:5]


def test_intent_detection() -> None:
    assert intent("Kan du ta en ny måling av blodtrykket?", "patient-thread") == "remeasure"
    assert intent("Hei", "remeasure-request") == "remeasure"
    assert intent("Kan vi ringe deg i ettermiddag?", "patient-thread") == "call"
    assert intent("Vi sender en lenke til videosamtale", "patient-thread") == "video"
    assert intent("Hvordan går det i dag?", "patient-thread") == "question"
    assert intent("Fint, da hører vi fra deg.", "patient-thread") == "general"


def test_replies_arrive_after_the_delay_in_the_thread(population: Population) -> None:
    sim = simulator(population, rates=Rates(questions_per_day=0, contact_requests_per_day=0))
    patients = [p["id"] for p in population.patients]
    texts = {
        "remeasure": "Kan du ta en ny måling nå?",
        "call": "Kan vi ringe deg i dag?",
        "video": "Vi vil gjerne ta en videosamtale med deg.",
    }
    sent: dict[str, tuple[str, str]] = {}
    for i, patient in enumerate(patients[:200]):
        want = list(texts)[i % 3]
        cid = f"nurse-msg-{i}"
        sim.observe("Communication", nurse_message(patient, texts[want], cid), T0)
        sent[cid] = (patient, want)
    sim.observe("Communication", nurse_message(patients[0], "igjen", "nurse-msg-0"), T0)  # seen
    assert sim.due(T0 + timedelta(seconds=29)) == []
    replies = drive(sim, T0 + timedelta(seconds=29), 600)
    assert sim.pending() == 0  # everything answered within 10 minutes
    assert 0.55 * len(sent) <= len(replies) <= 0.85 * len(sent)
    delays = sorted((t - T0).total_seconds() for t, _ in replies)
    assert delays[0] >= 30 and delays[-1] <= 600.5
    assert delays[len(delays) // 2] < 300  # skewed towards quick answers
    for _, action in replies:
        body = action.body
        (answered,) = body["inResponseTo"]
        cid = answered["reference"].split("/")[1]
        patient, want = sent[cid]
        assert action.key == f"sim-reply-{cid}"
        assert body["subject"]["reference"] == f"Patient/{patient}"
        assert body["extension"] == [{"url": THREAD_ID_URL, "valueString": f"{patient}/patient"}]
        assert category(body) == "patient-thread"
        assert body["recipient"][0]["reference"] == "Practitioner/n1"
        text = body["payload"][0]["contentString"]
        if body["sender"]["reference"].startswith("Patient/"):
            assert text in REPLIES[want]
    # Their own messages, colleague talk and other people's patients are not answered.
    quiet = simulator(population, rates=Rates(questions_per_day=0, contact_requests_per_day=0))
    own = nurse_message(patients[1], "Hei", "x1")
    own["sender"] = {"reference": f"Patient/{patients[1]}"}
    quiet.observe("Communication", own, T0)
    quiet.observe("Communication", nurse_message(patients[1], "Hei?", "x2", "colleague-thread"), T0)
    quiet.observe("Communication", nurse_message("someone-else", "Hei?", "x3"), T0)
    assert drive(quiet, T0, 700, step=10) == []


def _seed(store: Store, n: int = 12) -> Population:
    pop = build_population(n, seed=3, now=T0, history_days=0)
    store.bulk_load(pop.resources())
    return pop


def _service(store: Store) -> FhirService:
    service = FhirService(store, Broker())
    AlertEngine(store).attach(service)
    return service


def _search(store: Store, res_type: str, *params: tuple[str, str]) -> list[dict[str, Any]]:
    plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, ("_count", "1000")])
    return [st.resource() for st in store.search(plan).matches]


def test_contact_request_raises_an_alert_and_a_video_call_is_accepted(store: Store) -> None:
    pop = _seed(store)
    service = _service(store)
    sim = simulator(pop, rates=Rates(questions_per_day=0, contact_requests_per_day=0))
    patient = next(p for p in sim.patients.values() if not p.dementia)

    async def scenario() -> None:
        # A contact request (as the simulator writes it) becomes a yellow alert Task.
        key = f"sim-1-{patient.id}-contact-1"
        body = {
            "resourceType": "Communication",
            "extension": [{"url": THREAD_ID_URL, "valueString": f"{patient.id}/patient"}],
            "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
            "status": "completed",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": "contact-request"}]}],
            "subject": patient.person.ref(),
            "sender": patient.person.ref(),
            "payload": [{"contentString": "Kan dere ringe meg?"}],
        }
        assert await apply(service, [Action(0, "create", "Communication", body, key)], T0, []) == 1
        # A video invitation the console writes: patient needs-action.
        appointment = {
            "resourceType": "Appointment",
            "status": "booked",
            "start": "2026-11-23T08:00:00Z",
            "participant": [
                {"actor": {"reference": f"Patient/{patient.id}"}, "status": "needs-action"},
                {"actor": {"reference": "Practitioner/n1"}, "status": "accepted"},
            ],
        }
        stored = await service.create("Appointment", appointment)
        sim.observe("Appointment", stored.resource(), T0)
        assert sim.due(T0 + timedelta(seconds=3)) == []
        actions = sim.due(T0 + timedelta(seconds=16))
        assert [a.kind for a in actions] == ["accept"]
        assert await apply(service, actions, T0 + timedelta(seconds=16), sim.patients) == 2
        # Applying it again (a restart, a retry) changes nothing.
        assert await apply(service, actions, T0 + timedelta(seconds=17), sim.patients) == 0

    asyncio.run(scenario())
    tasks = _search(store, "Task", ("patient", f"Patient/{patient.id}"))
    assert [t["code"]["coding"][0]["code"] for t in tasks] == ["contact-request"]
    assert tasks[0]["priority"] == "urgent"
    (appointment,) = _search(store, "Appointment", ("patient", f"Patient/{patient.id}"))
    assert appointment["meta"]["versionId"] == "2"
    assert appointment["participant"][0]["status"] == "accepted"
    ready = [
        c
        for c in _search(store, "Communication", ("subject", f"Patient/{patient.id}"))
        if c["payload"][0]["contentString"] == READY
    ]
    assert len(ready) == 1 and ready[0]["sender"]["reference"] == f"Patient/{patient.id}"


def test_the_background_job_answers_through_the_write_path(store: Store) -> None:
    pop = _seed(store)
    service = _service(store)
    fast = Rates(
        questions_per_day=0,
        contact_requests_per_day=0,
        reply=1.0,
        reply_delay=(2.0, 4.0),  # simulated seconds: a tenth of a second at speed 40
    )
    now = datetime.now(UTC)
    sim = simulator(pop, now=now, rates=fast)
    patient = next(iter(sim.patients))

    async def scenario() -> dict[str, Any]:
        job = asyncio.create_task(run(sim, service, tick=0.02))
        await asyncio.sleep(0.05)
        nurse = nurse_message(patient, "Kan vi ringe deg?", "ignored")
        del nurse["id"]
        stored = await service.create("Communication", nurse)
        try:
            for _ in range(200):
                await asyncio.sleep(0.02)
                found = _search(
                    store, "Communication", ("in-response-to", f"Communication/{stored.res_id}")
                )
                if found:
                    return found[0]
            raise AssertionError("no answer")
        finally:
            job.cancel()

    reply = asyncio.run(scenario())
    assert reply["subject"]["reference"] == f"Patient/{patient}"
    assert reply["identifier"][0]["value"].startswith("sim-reply-")


def test_a_restart_does_not_duplicate_messages(store: Store) -> None:
    pop = _seed(store, 20)
    service = _service(store)
    chatty = Rates(questions_per_day=1.0, contact_requests_per_day=0.5)

    async def run_for(sim: MessagingSimulator, start: datetime, seconds: float) -> tuple[int, int]:
        actions = 0
        written = 0
        for i in range(1, int(seconds / 5) + 1):
            now = start + timedelta(seconds=i * 5)
            due = sim.due(now)
            actions += len(due)
            written += await apply(service, due, now, sim.patients)
        return actions, written

    first = simulator(pop, rates=chatty)
    actions, written = asyncio.run(run_for(first, T0, 1200))  # 20 min: 13 simulated hours
    assert actions == written > 5
    # Restarted 5 minutes in: the simulated clock starts again from real time, so the next
    # 10 minutes replay hours the first run already wrote.
    restart = T0 + timedelta(minutes=5)
    again = simulator(pop, now=restart, rates=chatty)
    actions, written = asyncio.run(run_for(again, restart, 600))
    assert actions > 0 and written == 0
    messages = _search(store, "Communication")
    keys = [c["identifier"][0]["value"] for c in messages]
    assert len(keys) == len(set(keys))


def test_relatives_are_seeded(population: Population) -> None:
    from server.sim.names import SURNAMES
    from server.sim.relatives import (
        RELATIONSHIPS,
        RELATIVE_ROLE_SYSTEM,
        ROLE_CODE_SYSTEM,
        age_on,
        has_dementia,
    )

    relatives = population.related_persons
    by_patient: dict[str, list[dict[str, Any]]] = {}
    for rel in relatives:
        by_patient.setdefault(rel["patient"]["reference"].split("/")[1], []).append(rel)
    assert 0.35 <= len(by_patient) / len(population.patients) <= 0.5
    assert len({r["id"] for r in relatives}) == len(relatives)
    today = T0.date()
    for patient in population.patients:
        age = age_on(patient["birthDate"], today)
        dementia = has_dementia(1, patient["id"], age)
        mine = by_patient.get(patient["id"], [])
        if age >= 85 or dementia:
            assert mine, (age, dementia)
        proxies = [
            r
            for r in mine
            if any(c["coding"][0]["system"] == RELATIVE_ROLE_SYSTEM for c in r["relationship"])
        ]
        assert len(proxies) == (1 if dementia else 0)
    for rel in relatives:
        role = rel["relationship"][0]["coding"][0]
        assert role["system"] == ROLE_CODE_SYSTEM and role["code"] in RELATIONSHIPS
        assert rel["gender"] == RELATIONSHIPS[role["code"]][2]
        assert rel["name"][0]["family"] in SURNAMES or " " in rel["name"][0]["family"]
        assert rel["telecom"][0]["value"].startswith("+47")
    again = build_population(300, seed=1, now=T0, history_days=1).related_persons
    assert again == relatives
