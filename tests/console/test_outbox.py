"""Outbox: retry-safe sending through `httpx.MockTransport` (FakeFhir)."""

from __future__ import annotations

import asyncio

import httpx
from pytestqt.qtbot import QtBot

from console.domain.messages import Delivery, OutgoingMessage, ThreadKind, new_message_key
from console.fhir.messages import MESSAGE_KEY_SYSTEM, MessageStore, message_resource
from console.services.outbox import Outbox, unsent_warning
from tests.console.test_messaging_fhir import ME, NOW, FakeFhir, outcome


def compose(text: str = "Vi ringer deg i dag.") -> OutgoingMessage:
    key = new_message_key()
    resource = message_resource(
        patient_id="p1", thread=ThreadKind.PATIENT, text=text, me=ME, key=key, sent=NOW
    )
    return OutgoingMessage(key, "p1", ThreadKind.PATIENT, text, NOW, resource)


async def wait_for(predicate: object, within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():  # type: ignore[operator]
        if loop.time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


def test_send_during_outage_is_delivered_exactly_once_with_one_key(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = FakeFhir()
    fhir.fail_requests = 4
    states: list[Delivery] = []

    async def scenario() -> None:
        client = fhir.client()
        outbox = Outbox(MessageStore(client), backoff_initial=0.01, backoff_max=0.02)
        outbox.changed.connect(lambda m: states.append(m.state))
        message = outbox.submit(compose())
        assert message.state is Delivery.SENDING and outbox.pending_count() == 1
        await asyncio.sleep(0.005)
        assert message.state is Delivery.SENDING  # still failing: shown as "sending"
        await wait_for(lambda: message.state is Delivery.SENT)
        assert outbox.pending_count() == 0
        assert message.attempts == 5
        await outbox.aclose()
        await client.aclose()
        keys = {r.headers["If-None-Exist"] for r in fhir.requests if r.method == "POST"}
        assert keys == {f"identifier={MESSAGE_KEY_SYSTEM}|{message.key}"}
        assert sum(1 for r in fhir.requests if r.method == "POST") == 5
        assert len(fhir.of_type("Communication")) == 1
        assert message.stored_id == fhir.of_type("Communication")[0]["id"]

    qloop.run_until_complete(scenario())
    assert states[0] is Delivery.SENDING and states[-1] is Delivery.SENT
    assert Delivery.FAILED not in states


def test_lost_answer_is_not_stored_twice(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    """The first POST reaches the server but its answer is lost: the retry finds it."""
    fhir = FakeFhir()
    lost = {"n": 0}

    def lose_first_answer(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST" and lost["n"] == 0:
            lost["n"] += 1
            fhir.fail_with = None
            fhir.handler(request)  # stored ...
            raise httpx.ReadError("connection reset", request=request)  # ... answer lost
        return None

    fhir.fail_with = lose_first_answer

    async def scenario() -> None:
        client = fhir.client()
        outbox = Outbox(MessageStore(client), backoff_initial=0.01)
        message = outbox.submit(compose())
        await wait_for(lambda: message.state is Delivery.SENT)
        await outbox.aclose()
        await client.aclose()

    qloop.run_until_complete(scenario())
    assert len(fhir.of_type("Communication")) == 1


def test_refusal_fails_keeps_text_and_resends_with_same_key(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    fhir = FakeFhir()
    fhir.fail_with = lambda request: outcome(422, "payload too long")

    async def scenario() -> None:
        client = fhir.client()
        outbox = Outbox(MessageStore(client), backoff_initial=0.01)
        message = outbox.submit(compose("Viktig beskjed"))
        await wait_for(lambda: message.state is Delivery.FAILED)
        assert message.attempts == 1  # a refusal is not retried
        assert message.text == "Viktig beskjed" and "Payload too long" in message.error
        assert outbox.pending_count() == 1
        assert "1" in unsent_warning(1)
        fhir.fail_with = None
        again = outbox.retry(message.key, "Viktig beskjed (rettet)")
        assert again is message and message.state is Delivery.SENDING
        await wait_for(lambda: message.state is Delivery.SENT)
        await outbox.aclose()
        await client.aclose()
        stored = fhir.of_type("Communication")
        assert len(stored) == 1
        assert stored[0]["payload"] == [{"contentString": "Viktig beskjed (rettet)"}]
        assert stored[0]["identifier"][0]["value"] == message.key

    qloop.run_until_complete(scenario())


def test_gives_up_after_the_deadline(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fhir = FakeFhir()
    fhir.fail_requests = 10_000

    async def scenario() -> None:
        client = fhir.client()
        outbox = Outbox(MessageStore(client), backoff_initial=0.01, give_up_after=0.1)
        message = outbox.submit(compose())
        await wait_for(lambda: message.state is Delivery.FAILED)
        assert outbox.pending_count() == 1 and message.text
        outbox.discard(message.key)
        assert outbox.pending_count() == 0
        await outbox.aclose()
        await client.aclose()

    qloop.run_until_complete(scenario())


def test_nudge_retries_at_once(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    fhir = FakeFhir()
    fhir.fail_requests = 1

    async def scenario() -> None:
        client = fhir.client()
        outbox = Outbox(MessageStore(client), backoff_initial=30.0)
        message = outbox.submit(compose())
        await wait_for(lambda: message.attempts == 1 and message.error != "")
        outbox.nudge()  # e.g. the live feed is live again
        await wait_for(lambda: message.state is Delivery.SENT, within=2.0)
        await outbox.aclose()
        await client.aclose()

    qloop.run_until_complete(scenario())
