"""MessagingService and ThreadModel through `httpx.MockTransport` (FakeFhir)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.domain.messages import Delivery, ThreadKind
from console.fhir.messages import MessageStore
from console.services.messaging import MarkReadError, MessagingService
from console.state.threads import Role, ThreadModel
from tests.console.test_messaging_fhir import ME, NOW, FakeFhir, communication, outcome
from tests.console.test_outbox import wait_for
from widgets.message_bubble import BubbleData, BubbleStyle, Side

RELATIVE = {
    "resourceType": "RelatedPerson",
    "id": "r1",
    "patient": {"reference": "Patient/p1"},
    "name": [{"given": ["Anne"], "family": "Hansen"}],
    "relationship": [
        {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "DAU"}]}
    ],
}


def seeded() -> FakeFhir:
    fhir = FakeFhir()
    fhir.add(RELATIVE)
    fhir.add(communication("m1", text="Jeg er tung i pusten i dag", minutes=1))
    fhir.add(communication("m2", sender="RelatedPerson/r1", text="Mor sover dårlig", minutes=2))
    fhir.add(
        communication(
            "m3",
            sender="Practitioner/pr-1",
            sender_display="Kari Lie",
            text="Takk, vi ringer",
            minutes=3,
        )
    )
    fhir.add(communication("m4", category="contact-request", text="Ring meg", minutes=4))
    fhir.add(
        communication(
            "c1",
            category="colleague-thread",
            sender="Practitioner/gp",
            sender_display="Lege Ola Berg (Madla legesenter)",
            text="Økt vanndrivende fra i dag",
            minutes=5,
        )
    )
    fhir.add(communication("x1", patient="p2", text="Annen pasient", minutes=1))
    return fhir


def service_for(fhir: FakeFhir) -> tuple[MessagingService, object]:
    client = fhir.client()
    service = MessagingService(MessageStore(client), ME, batch_interval_ms=10, now=lambda: NOW)
    return service, client


def test_thread_loads_in_order_with_sender_labels_and_no_colleague_messages(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        patient = await service.load_thread("p1", ThreadKind.PATIENT)
        colleague = await service.load_thread("p1", ThreadKind.COLLEAGUE)
        assert [m.id for m in patient] == ["m1", "m2", "m3", "m4"]
        assert [m.id for m in colleague] == ["c1"]
        assert [p.name for p in service.relatives("p1")] == ["Anne Hansen"]
        search = next(
            r
            for r in fhir.requests
            if r.url.path.endswith("/Communication") and "patient-thread" in str(r.url)
        )
        assert search.url.params["_sort"] == "sent"
        assert search.url.params["subject"] == "Patient/p1"
        assert "colleague-thread" not in search.url.params["category"]
        assert "_count" in search.url.params

        model = ThreadModel(ThreadKind.PATIENT, me=ME, now=lambda: NOW)
        model.set_thread(patient, service.outgoing("p1", ThreadKind.PATIENT))
        bubbles = [model.index(i).data(Role.BUBBLE) for i in range(model.rowCount())]
        assert all(isinstance(b, BubbleData) for b in bubbles)
        assert bubbles[0].header.startswith("Patient ·")
        assert bubbles[1].header.startswith("Relative: Anne Hansen (daughter) ·")
        assert bubbles[2].header.startswith("Nurse Kari Lie ·")
        assert bubbles[3].badge == "Asks to be contacted"
        assert [b.side for b in bubbles] == [Side.LEFT, Side.LEFT, Side.RIGHT, Side.LEFT]
        assert bubbles[1].style is BubbleStyle.RELATIVE and bubbles[1].style.dashed
        assert bubbles[0].unread_mark == "New" and bubbles[0].status == "Not read yet"
        text = model.index(1).data(0)  # DisplayRole: the whole bubble for screen readers
        assert "Mor sover dårlig" in text and "Relative" in text
        assert all("Økt vanndrivende" not in b.text for b in bubbles)

        colleague_model = ThreadModel(ThreadKind.COLLEAGUE, me=ME, now=lambda: NOW)
        colleague_model.set_thread(colleague, [])
        bubble = colleague_model.index(0).data(Role.BUBBLE)
        assert bubble.header.startswith("Lege Ola Berg (Madla legesenter)")
        assert bubble.side is Side.LEFT and bubble.style is BubbleStyle.COLLEAGUE
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_unread_counts_and_mark_read_with_if_match(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()
    per_patient: list[tuple[str, int]] = []
    totals: list[int] = []

    async def scenario() -> None:
        service, client = service_for(fhir)
        service.unread_changed.connect(lambda p, n: per_patient.append((p, n)))
        service.total_unread_changed.connect(totals.append)
        counts = await service.load_unread()
        assert counts == {"p1": 4, "p2": 1}  # m1, m2, m4 + colleague c1; x1
        assert totals[-1] == 5
        await service.load_thread("p1", ThreadKind.PATIENT)
        marked = await service.mark_read("p1", ThreadKind.PATIENT)
        assert marked == 3
        assert service.unread("p1") == 1  # the colleague thread is still unread
        assert totals[-1] == 2
        puts = [r for r in fhir.requests if r.method == "PUT"]
        assert len(puts) == 3
        assert all(r.headers["If-Match"] == 'W/"1"' for r in puts)
        assert all(json.loads(r.content)["received"] for r in puts)
        assert fhir.resources[("Communication", "m3")].get("received") is None  # ours: untouched
        await service.load_thread("p1", ThreadKind.COLLEAGUE)
        await service.mark_read("p1", ThreadKind.COLLEAGUE)
        assert service.unread("p1") == 0 and totals[-1] == 1
        stored = fhir.resources[("Communication", "c1")]
        assert "received" not in stored  # read-by, not received, in the colleague thread
        assert any("read-by" in e["url"] for e in stored["extension"])
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())
    assert ("p1", 0) in per_patient


def test_mark_read_retries_once_after_412(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        await service.load_thread("p1", ThreadKind.PATIENT)
        # A colleague edits m1 after we loaded it: our first PUT is stale.
        stale = fhir.resources[("Communication", "m1")]
        fhir.resources[("Communication", "m1")] = {**stale, "meta": {"versionId": "2"}}
        await service.mark_read("p1", ThreadKind.PATIENT)
        puts = [r for r in fhir.requests if r.method == "PUT" and r.url.path.endswith("/m1")]
        assert [r.headers["If-Match"] for r in puts] == ['W/"1"', 'W/"2"']
        assert fhir.resources[("Communication", "m1")]["meta"]["versionId"] == "3"
        assert service.unread("p1") == 0 or service.unread("p1") == 1  # colleague c1 not loaded
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_mark_read_failure_is_raised_not_swallowed(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        await service.load_thread("p1", ThreadKind.PATIENT)
        fhir.fail_with = lambda r: (
            outcome(403, "not your department") if r.method == "PUT" else None
        )
        with pytest.raises(MarkReadError) as info:
            await service.mark_read("p1", ThreadKind.PATIENT)
        assert info.value.failures == 3 and "Not your department" in str(info.value)
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_live_changes_are_batched_and_keep_threads_apart(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        await service.load_thread("p1", ThreadKind.PATIENT)
        changed: list[tuple[str, str]] = []
        service.thread_changed.connect(lambda p, k: changed.append((p, k)))
        service.receive(
            [
                communication("m5", text="Ny måling tatt", minutes=6),
                communication("c2", category="colleague-thread", sender="Organization/ikart"),
                {"resourceType": "Observation", "id": "o1"},
            ]
        )
        assert changed == []  # nothing until the clock ticks
        with qtbot.waitSignal(service.total_unread_changed, timeout=2000):
            pass
        assert sorted(changed) == [("p1", "colleague"), ("p1", "patient")]
        assert [m.id for m in service.messages("p1", ThreadKind.PATIENT)][-1] == "m5"
        assert [m.id for m in service.messages("p1", ThreadKind.COLLEAGUE)] == ["c2"]
        # an older version arriving late never replaces a newer one
        newer = communication("m5", text="Ny måling tatt", minutes=6, received=True, version="2")
        service.receive([newer])
        service.flush()
        service.receive([communication("m5", text="Ny måling tatt", minutes=6)])
        service.flush()
        m5 = next(m for m in service.messages("p1", ThreadKind.PATIENT) if m.id == "m5")
        assert m5.version == "2" and m5.received is not None
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_reply_goes_through_outbox_and_shows_as_sending_then_stored(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()
    fhir.fail_requests = 0

    async def scenario() -> None:
        service, client = service_for(fhir)
        await service.load_thread("p1", ThreadKind.PATIENT)
        service.outbox._backoff_initial = 0.01
        fhir.fail_requests = 2
        relative = service.relatives("p1")[0]
        outgoing = service.send(
            "p1", ThreadKind.PATIENT, "  Vi ringer deg i dag.  ", recipients=[relative]
        )
        model = ThreadModel(ThreadKind.PATIENT, me=ME, now=lambda: NOW)
        model.set_thread(
            service.messages("p1", ThreadKind.PATIENT), service.outgoing("p1", ThreadKind.PATIENT)
        )
        last = model.index(model.rowCount() - 1).data(Role.BUBBLE)
        assert last.status == "Sending …" and last.pending and last.side is Side.RIGHT
        assert service.pending_count() == 1
        await wait_for(lambda: outgoing.state is Delivery.SENT)
        assert service.outgoing("p1", ThreadKind.PATIENT) == []
        mine = [m for m in service.messages("p1", ThreadKind.PATIENT) if m.key == outgoing.key]
        assert len(mine) == 1 and mine[0].text == "Vi ringer deg i dag."
        stored = fhir.resources[("Communication", mine[0].id)]
        assert {r["reference"] for r in stored["recipient"]} == {"Patient/p1", "RelatedPerson/r1"}
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_quick_replies_default_then_saved_per_department(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = seeded()

    async def scenario() -> None:
        service, client = service_for(fhir)
        replies, from_server = await service.quick_replies("dep-a")
        assert not from_server and replies and all(not r.id for r in replies)
        saved = await service.save_quick_replies(
            "dep-a", replies, ["Takk for målingen, vi ringer deg i løpet av dagen.", "Ring 113"]
        )
        assert {r.text for r in saved} == {
            "Takk for målingen, vi ringer deg i løpet av dagen.",
            "Ring 113",
        }
        assert all(r.id and r.department_id == "dep-a" for r in saved)
        again = await service.save_quick_replies("dep-a", saved, ["Ring 113"])
        assert [r.text for r in again] == ["Ring 113"]
        stopped = [r for r in fhir.of_type("Communication") if r.get("status") == "stopped"]
        assert len(stopped) == 1
        _, from_server = await service.quick_replies("dep-b")
        assert not from_server
        await service.aclose()
        await client.aclose()  # type: ignore[attr-defined]

    qloop.run_until_complete(scenario())


def test_patient_side_of_the_model_never_lists_colleague_categories() -> None:
    from console.domain.messages import THREAD_CATEGORIES, Category

    assert Category.COLLEAGUE_THREAD not in THREAD_CATEGORIES[ThreadKind.PATIENT]
    assert set(THREAD_CATEGORIES[ThreadKind.COLLEAGUE]) == {Category.COLLEAGUE_THREAD}


def test_unknown_request_paths_answer_404() -> None:
    fhir = FakeFhir()
    request = httpx.Request("GET", "http://127.0.0.1:9/fhir/Communication/none")
    assert fhir.handler(request).status_code == 404
