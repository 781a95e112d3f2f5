"""AlertService against an in-memory FHIR server: load, live batches, every action, races."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from console.domain.alerts import AlertStatus, Outcome
from console.fhir.alerts import (
    CLAIMED_AT_URL,
    ESCALATED_AT_URL,
    IDEMPOTENCY_SYSTEM,
    claim_task,
    composition_text,
)
from console.services.alerts import AlertService, ResolveResult
from console.state.alert_queue import AlertQueueModel, Role
from tests.console.alert_tasks import KARI, ME, NOW, FakeFhir, patient, task


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def setup(
    fake: FakeFhir, clock: Clock | None = None, **kw: Any
) -> tuple[AlertService, AlertQueueModel]:
    clock = clock or Clock()
    model = AlertQueueModel(now=clock)
    service = AlertService(
        fake.client(), model, ME, now=clock, batch_interval_ms=10, tick_ms=60_000, **kw
    )
    return service, model


def run(
    loop: asyncio.AbstractEventLoop,
    service: AlertService,
    body: Callable[[], Coroutine[Any, Any, None]],
) -> None:
    async def wrapped() -> None:
        try:
            await body()
        finally:
            await service.stop()

    loop.run_until_complete(wrapped())


def puts(fake: FakeFhir) -> list[Any]:
    return [r for r in fake.requests if r.method == "PUT"]


def posts(fake: FakeFhir, rtype: str) -> list[Any]:
    return [r for r in fake.requests if r.method == "POST" and r.url.path.endswith(rtype)]


def world() -> FakeFhir:
    return FakeFhir(
        patient("p1", "Kari", "Hansen"),
        patient("p2", "Per", "Olsen"),
        task("t1", "p1", minutes_ago=3),
        task(
            "t2",
            "p1",
            rule="threshold-pulse",
            priority="urgent",
            value=121,
            threshold=110,
            comparator=">",
            minutes_ago=20,
        ),
        task("t3", "p2", priority="routine", minutes_ago=40),
        task("t9", "p2", status="completed", minutes_ago=50),
    )


def test_load_bundles_per_patient_with_names(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, model = setup(fake)

    async def body() -> None:
        assert await service.load(["dep-a"]) == 3
        assert [model.index(r).data(Role.PATIENT_ID) for r in range(model.rowCount())] == [
            "p1",
            "p2",
        ]
        assert model.card_for("p1").patient_name == "Hansen, Kari"
        search = next(r for r in fake.requests if r.url.path.endswith("/Task"))
        assert search.url.params["status"] == "requested,in-progress,on-hold"
        assert search.url.params["organization"] == "Organization/dep-a"
        assert search.url.params["_include"] == "Task:patient"

    run(qloop, service, body)


def test_claim_is_a_version_aware_put(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = world()
    service, model = setup(fake)
    done: list[tuple[str, str]] = []
    service.done.connect(lambda a, p: done.append((a, p)))

    async def body() -> None:
        await service.load(None)
        assert await service.claim("p1")
        assert [r.headers["If-Match"] for r in puts(fake)] == ['W/"1"', 'W/"1"']
        stored = fake.store[("Task", "t1")]
        assert stored["status"] == "in-progress"
        assert stored["owner"]["reference"] == "Practitioner/prac-me"
        assert stored["meta"]["versionId"] == "2"
        card = model.card_for("p1")
        assert card.status is AlertStatus.CLAIMED and card.owner_name == "Ola Sykepleier"
        assert done == [("claim", "p1")]
        # Claiming again is a no-op (no write); unclaiming puts it back.
        assert await service.claim("p1")
        assert len(puts(fake)) == 2
        assert await service.unclaim("p1")
        assert fake.store[("Task", "t1")]["status"] == "requested"
        assert "owner" not in fake.store[("Task", "t1")]

    run(qloop, service, body)


def test_a_colleagues_claim_wins_and_is_shown_never_overwritten(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, model = setup(fake)
    conflicts: list[tuple[str, str]] = []
    service.conflict.connect(lambda p, m: conflicts.append((p, m)))

    async def body() -> None:
        await service.load(None)
        # Kari claims t3 a second before us (the server has version 2 now).
        fake.put_direct(claim_task(fake.store[("Task", "t3")], KARI, NOW))
        assert not await service.claim("p2")
        stored = fake.store[("Task", "t3")]
        assert stored["owner"]["display"] == "Kari Nordmann"  # not overwritten
        assert stored["meta"]["versionId"] == "2"
        (put,) = puts(fake)
        assert put.headers["If-Match"] == 'W/"1"'
        local = NOW.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M")  # the centre's zone
        assert conflicts == [("p2", f"Claimed by Kari Nordmann at {local}")]
        # The queue now shows the winner.
        card = model.card_for("p2")
        assert card.owner_name == "Kari Nordmann"
        data = model.index(model.row_of("p2")).data(Role.CARD)
        assert data.state_text == f"Claimed by Kari Nordmann at {local}"

    run(qloop, service, body)


def test_a_stale_version_that_is_still_free_is_claimed_after_a_refetch(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, _model = setup(fake)

    async def body() -> None:
        await service.load(None)
        bumped = dict(fake.store[("Task", "t3")], description="ny måling")
        fake.put_direct(bumped)  # the rule engine appended a breach: version 2, still free
        assert await service.claim("p2")
        assert [r.headers["If-Match"] for r in puts(fake)] == ['W/"1"', 'W/"2"']
        assert fake.store[("Task", "t3")]["owner"]["display"] == "Ola Sykepleier"

    run(qloop, service, body)


def test_resolve_writes_task_detected_issue_and_composition_once(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    fake.lose_response_once.add("Composition")
    service, model = setup(fake)
    results: list[ResolveResult] = []
    service.resolved.connect(results.append)

    async def body() -> None:
        await service.load(None)
        await service.claim("p1")
        result = await service.resolve("p1", Outcome.CONTACTED_PATIENT, "Ringte, føler seg bedre")
        assert result is not None and not result.pending
        for tid in ("t1", "t2"):
            stored = fake.store[("Task", tid)]
            assert stored["status"] == "completed"
            assert stored["businessStatus"]["coding"][0]["code"] == "contacted-patient"
        resolve_puts = puts(fake)[2:]
        assert [r.headers["If-Match"] for r in resolve_puts] == ['W/"2"', 'W/"2"']
        (issue_post,) = posts(fake, "DetectedIssue")
        comp_post = posts(fake, "Composition")[0]
        assert issue_post.headers["If-None-Exist"].startswith(f"identifier={IDEMPOTENCY_SYSTEM}|")
        assert comp_post.headers["If-None-Exist"].startswith(f"identifier={IDEMPOTENCY_SYSTEM}|")
        issue = json.loads(issue_post.content)
        assert issue["patient"]["reference"] == "Patient/p1"
        assert {i["reference"] for i in issue["implicated"]} == {
            "Observation/obs-t1",
            "Observation/obs-t2",
        }
        (comp,) = fake.of_type("Composition")
        text = composition_text(comp)
        assert text == result.note
        assert "SpO₂ 86 % (grense < 88 %)" in text and "Puls 121 /min (grense > 110 /min)" in text
        assert "Tiltak: Pasienten kontaktet." in text and "Sykepleier: Ola Sykepleier." in text
        assert model.card_for("p1") is None
        assert results == [result]
        # The Composition's first answer was lost (timeout after the server stored it); the
        # client retried the conditional create, which found it: still exactly one.
        assert len(posts(fake, "Composition")) == 2
        assert len(fake.of_type("DetectedIssue")) == 1 and len(fake.of_type("Composition")) == 1

    run(qloop, service, body)


def test_resolving_an_alert_a_colleague_holds_is_refused(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, _model = setup(fake)
    conflicts: list[str] = []
    service.conflict.connect(lambda _p, m: conflicts.append(m))

    async def body() -> None:
        await service.load(None)
        fake.put_direct(claim_task(fake.store[("Task", "t3")], KARI, NOW))
        assert await service.resolve("p2", Outcome.NO_ACTION, "") is None
        assert fake.store[("Task", "t3")]["status"] == "in-progress"
        assert not fake.of_type("DetectedIssue") and not fake.of_type("Composition")
        assert conflicts and conflicts[0].startswith("Claimed by Kari Nordmann")

    run(qloop, service, body)


def test_comment_snooze_forward_and_remeasure(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    clock = Clock()
    service, model = setup(fake, clock)

    async def body() -> None:
        await service.load(None)
        assert await service.comment("p2", "Prøver å ringe igjen kl 11")
        note = fake.store[("Task", "t3")]["note"][-1]
        assert note["text"] == "Prøver å ringe igjen kl 11"
        assert note["authorReference"]["reference"] == "Practitioner/prac-me"
        until = NOW + timedelta(minutes=30)
        assert await service.snooze("p2", until, "Venter på ny måling")
        stored = fake.store[("Task", "t3")]
        assert stored["status"] == "on-hold"
        assert model.card_for("p2").snoozed
        # The clock returns it to the queue when the snooze is over.
        clock.now = until + timedelta(seconds=1)
        service.tick()
        await asyncio.sleep(0.05)
        assert fake.store[("Task", "t3")]["status"] == "requested"
        assert not model.card_for("p2").snoozed
        assert await service.forward(
            "p2", ("dep-b", "Hjemmesykepleien Sandnes"), None, "Deres pasient"
        )
        moved = fake.store[("Task", "t3")]
        assert moved["restriction"]["recipient"][0]["reference"] == "Organization/dep-b"
        assert await service.request_new_measurement("p1")
        (post,) = posts(fake, "Communication")
        assert post.headers["If-None-Exist"].startswith(f"identifier={IDEMPOTENCY_SYSTEM}|")
        message = json.loads(post.content)
        assert message["category"][0]["coding"][0]["code"] == "remeasure-request"
        assert message["recipient"] == [{"reference": "Patient/p1"}]
        text = message["payload"][0]["contentString"]
        assert "måle én gang til" in text  # Bokmål: the patient's language by default
        assert text.endswith("Hilsen Ola Sykepleier, oppfølgingstjenesten")
        assert await service.request_new_measurement("p1")  # asked twice: still one message
        assert len(fake.of_type("Communication")) == 1

    run(qloop, service, body)


def test_forwarded_out_of_the_watched_departments_leaves_the_queue(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, model = setup(fake)

    async def body() -> None:
        await service.load(["dep-a"])
        assert await service.forward("p2", ("dep-b", "Sandnes"), None, "")
        assert model.card_for("p2") is None

    run(qloop, service, body)


def test_escalation_on_a_fake_clock_records_once_and_notifies_the_lead(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    clock = Clock()
    service, model = setup(fake, clock, lead=("prac-lead", "Lise Leder"))
    escalated: list[str] = []
    service.escalated.connect(escalated.append)

    async def body() -> None:
        await service.load(None)
        service.tick()
        await asyncio.sleep(0.02)
        assert escalated == []  # t1 is 3 minutes old
        clock.now = NOW + timedelta(minutes=2)
        service.tick()
        await asyncio.sleep(0.05)
        assert escalated == ["p1"]
        stored = fake.store[("Task", "t1")]
        assert any(e["url"] == ESCALATED_AT_URL for e in stored["extension"])
        assert "Eskalert til Lise Leder" in stored["note"][-1]["text"]
        (lead_message,) = fake.of_type("Communication")
        assert lead_message["recipient"] == [{"reference": "Practitioner/prac-lead"}]
        assert model.index(model.row_of("p1")).data(Role.CARD).badge == "Escalated"
        clock.now += timedelta(minutes=1)
        service.tick()
        await asyncio.sleep(0.02)
        assert escalated == ["p1"]
        assert len([p for p in puts(fake) if p.url.path.endswith("t1")]) == 1

    run(qloop, service, body)


def test_an_escalation_the_server_refuses_for_now_is_kept_and_sent_later(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    """409 after every retry of the client (a busy server): the lead's message is not lost;
    the nurse is told once, and the clock sends it when the server takes it again."""
    fake = world()
    fake.conflict_creates["Communication"] = 3  # the first try and the client's two retries
    clock = Clock()
    service, _model = setup(fake, clock, lead=("prac-lead", "Lise Leder"))
    failures: list[str] = []
    service.failed.connect(failures.append)

    async def body() -> None:
        await service.load(None)
        clock.now = NOW + timedelta(minutes=2)
        service.tick()
        await asyncio.sleep(0.1)
        assert fake.of_type("Communication") == []
        assert service.pending_escalations == 1
        assert len(failures) == 1 and "sent again" in failures[0]
        clock.now += timedelta(seconds=6)
        service.tick()
        await asyncio.sleep(0.1)
        (lead_message,) = fake.of_type("Communication")
        assert lead_message["recipient"] == [{"reference": "Practitioner/prac-lead"}]
        assert service.pending_escalations == 0
        assert len(failures) == 1

    run(qloop, service, body)


def test_live_tasks_arrive_in_one_batch(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fake = world()
    service, model = setup(fake)

    async def body() -> None:
        await service.load(None)
        resets: list[int] = []
        model.dataChanged.connect(lambda *_: resets.append(1))
        claimed = claim_task(fake.store[("Task", "t1")], KARI, NOW)
        claimed["meta"] = {"versionId": "2"}
        new = task("t5", "p3", minutes_ago=1, name="Berg, Anne")
        service.receive([claimed, new, {"resourceType": "Observation", "id": "x"}])
        await asyncio.sleep(0.1)
        assert len(resets) == 1
        assert model.card_for("p3") is not None
        assert model.card_for("p1").owner_name == "Kari Nordmann"
        stored_claim = [e for e in claimed["extension"] if e["url"] == CLAIMED_AT_URL]
        assert stored_claim

    run(qloop, service, body)


def test_a_suspect_check_in_flight_does_not_hold_up_stopping(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fake = world()
    service, _model = setup(fake)

    async def body() -> None:
        await service.load(["dep-a"])
        service.request_suspect_check("p1")
        await asyncio.sleep(0)
        await asyncio.wait_for(service.stop(), 5)

    qloop.run_until_complete(body())
    assert not service.suspect_known("p1")
