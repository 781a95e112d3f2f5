"""Topic-based Subscriptions (R4 backport): create/validate, binding tokens, the WebSocket
channel (handshake, heartbeat, numbered events), filters, $status and $events replay.

Runs in-process on SQLite and (when configured) PostgreSQL; heartbeat 0.3 s (conftest).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from server.api.broker import ChangeEvent
from server.api.subscriptions import (
    EXT_CONTENT,
    EXT_FILTER,
    EXT_HEARTBEAT,
    TOPIC_URL,
    build_criteria,
    notify_payloads,
)
from server.store import Store
from tests.server.inprocess import AppClient, WebSocketClosed, WsSession

LOINC = "http://loinc.org"


def post(client: AppClient, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"/fhir/{body['resourceType']}", json=body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def subscription(
    *filters: str, content: str | None = None, heartbeat: float | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Response centre live view",
        "criteria": TOPIC_URL,
        "channel": {"type": "websocket", "payload": "application/fhir+json"},
    }
    if filters:
        body["_criteria"] = {"extension": [{"url": EXT_FILTER, "valueString": f} for f in filters]}
    if content:
        body["channel"]["_payload"] = {"extension": [{"url": EXT_CONTENT, "valueCode": content}]}
    if heartbeat is not None:
        body["channel"]["extension"] = [{"url": EXT_HEARTBEAT, "valueUnsignedInt": heartbeat}]
    return body


def observation(pid: str, value: float = 70) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": "2026-11-22T10:00:00Z",
        "valueQuantity": {"value": value, "unit": "/min"},
    }


def params(body: dict[str, Any]) -> dict[str, Any]:
    """A Parameters resource as {name: value or [parts...]} (repeated names → list)."""
    out: dict[str, Any] = {}
    for p in body["parameter"]:
        value = p.get("part") or next(v for k, v in p.items() if k.startswith("value"))
        if p["name"] in out:
            prev = out[p["name"]]
            out[p["name"]] = [*(prev if isinstance(prev, list) else [prev]), value]
        else:
            out[p["name"]] = value
    return out


def status_of(bundle: dict[str, Any]) -> dict[str, Any]:
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "history", bundle
    return params(bundle["entry"][0]["resource"])


def event_numbers(bundle: dict[str, Any]) -> list[int]:
    events = [
        p for p in bundle["entry"][0]["resource"]["parameter"] if p["name"] == "notification-event"
    ]
    return [
        int(next(x["valueString"] for x in e["part"] if x["name"] == "event-number"))
        for e in events
    ]


def focus_ids(bundle: dict[str, Any]) -> list[str]:
    return [e["fullUrl"].rsplit("/", 1)[-1] for e in bundle["entry"][1:]]


def token_for(client: AppClient, sub_id: str) -> dict[str, Any]:
    r = client.post(f"/fhir/Subscription/{sub_id}/$get-ws-binding-token")
    assert r.status_code == 200, r.text
    return params(r.json())


def receive_until(ws: WsSession, kind: str, timeout: float = 5.0) -> dict[str, Any]:
    """The next frame of ``kind``; heartbeats in between are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        frame: dict[str, Any] = ws.receive_json(max(0.1, deadline - time.monotonic()))
        if status_of(frame)["type"] == kind:
            return frame
        assert status_of(frame)["type"] == "heartbeat", frame


def events(ws: WsSession, n: int, timeout: float = 5.0) -> list[tuple[int, str]]:
    """(event number, focus id) of the next ``n`` events, across Bundles."""
    out: list[tuple[int, str]] = []
    while len(out) < n:
        bundle = receive_until(ws, "event-notification", timeout)
        out += list(zip(event_numbers(bundle), focus_ids(bundle), strict=True))
    return out


@pytest.fixture
def world(client: AppClient) -> dict[str, str]:
    """Two departments, a patient in each (with an active EpisodeOfCare there)."""
    out: dict[str, str] = {}
    for key in ("a", "b"):
        dept = post(client, {"resourceType": "Organization", "name": f"Department {key}"})
        out[f"dept_{key}"] = dept["id"]
        pat = post(
            client,
            {
                "resourceType": "Patient",
                "name": [{"family": f"Patient {key}"}],
                "managingOrganization": {"reference": f"Organization/{dept['id']}"},
            },
        )
        out[f"pat_{key}"] = pat["id"]
        post(
            client,
            {
                "resourceType": "EpisodeOfCare",
                "status": "active",
                "patient": {"reference": f"Patient/{pat['id']}"},
                "managingOrganization": {"reference": f"Organization/{dept['id']}"},
            },
        )
    # A patient with no Patient.managingOrganization: only the episode ties it to department a.
    pat = post(client, {"resourceType": "Patient", "name": [{"family": "Episode only"}]})
    out["pat_c"] = pat["id"]
    post(
        client,
        {
            "resourceType": "EpisodeOfCare",
            "status": "active",
            "patient": {"reference": f"Patient/{pat['id']}"},
            "managingOrganization": {"reference": f"Organization/{out['dept_a']}"},
        },
    )
    return out


@pytest.fixture
def bound(client: AppClient) -> Iterator[Any]:
    """``bound(sub_id)`` → an open /ws/subscriptions socket after its handshake."""
    stack: list[Any] = []

    def bind(sub_id: str) -> tuple[WsSession, dict[str, Any]]:
        token = token_for(client, sub_id)
        cm = client.websocket_connect("/ws/subscriptions")
        ws = cm.__enter__()
        stack.append(cm)
        ws.conn.send(f"bind-with-token {token['token']}")
        hello = ws.receive_json()
        return ws, hello

    yield bind
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


# ----- pure parts ------------------------------------------------------------------------


def test_criteria_types_and_prefixes() -> None:
    c = build_criteria(["Observation?organization=Organization/x", "Task?organization=x"])
    assert c.types == {"Observation", "Task"}
    assert [f.values for f in c.by_type["Task"]] == [frozenset({"x"})]
    c = build_criteria(["resource-type=Observation,Task", "organization=Organization/x,y"])
    assert c.types == {"Observation", "Task"} and c.common[0].values == {"x", "y"}
    assert "AuditEvent" not in build_criteria([]).types


def test_notify_payloads_stay_small() -> None:
    ev = ChangeEvent(1, "create", "Observation", "x", 1, "2026-01-01T00:00:00Z", "{}")
    numbered = {f"sub{i:03d}": [(n, ev) for n in range(1, 3)] for i in range(400)}
    seqs = range(1, 20_000, 2)  # no ranges to merge: worst case
    payloads = notify_payloads("origin", seqs, numbered)
    assert len(payloads) > 1 and all(len(p.encode()) < 8000 for p in payloads)
    merged = [json.loads(p) for p in payloads]
    assert sum(len(m["q"]) for m in merged) == 10_000
    assert sum(len(m["n"]) for m in merged) == 400
    assert notify_payloads("o", [5, 6, 7, 9], {}) == ['{"o":"o","q":[[5,7],[9,9]],"n":[]}']


# ----- REST --------------------------------------------------------------------------------


def test_topic_is_listed(client: AppClient) -> None:
    bundle = client.get("/fhir/SubscriptionTopic").json()
    assert bundle["entry"][0]["resource"]["url"] == TOPIC_URL
    filters = {f["filterParameter"] for f in bundle["entry"][0]["resource"]["canFilterBy"]}
    assert filters == {"resource-type", "organization", "patient"}
    assert client.get("/fhir/SubscriptionTopic/resource-changes").json()["url"] == TOPIC_URL
    assert client.get("/fhir/SubscriptionTopic/nope").status_code == 404


def test_create_subscription_and_validation(client: AppClient) -> None:
    created = post(client, subscription("Observation?organization=Organization/x"))
    assert created["status"] == "active" and created["id"]
    assert client.get(f"/fhir/Subscription/{created['id']}").json()["status"] == "active"

    def refused(body: Any, status: int, text: str) -> None:
        r = client.post("/fhir/Subscription", json=body)
        assert r.status_code == status, r.text
        outcome = r.json()
        assert outcome["resourceType"] == "OperationOutcome"
        assert text in outcome["issue"][0]["diagnostics"], outcome

    refused([1], 400, "JSON object")
    refused({**subscription(), "resourceType": "Patient"}, 400, "resourceType")
    refused({**subscription(), "criteria": "Observation?code=x"}, 422, "SubscriptionTopic")
    refused({**subscription(), "status": "off"}, 422, "status")
    rest_hook = subscription()
    rest_hook["channel"]["type"] = "rest-hook"
    refused(rest_hook, 422, "websocket")
    refused(subscription("Observation?code=8867-4"), 422, "unsupported filter parameter")
    refused(subscription("Unicorn?organization=x"), 422, "unknown resource type")
    refused(subscription("organization=Patient/x"), 422, "must refer to a Organization")
    refused(subscription(content="everything"), 422, "payload content")
    refused(subscription(heartbeat=0), 422, "heartbeat")
    refused({**subscription(), "end": "2001-01-01T00:00:00Z"}, 422, "past")
    refused({k: v for k, v in subscription().items() if k != "reason"}, 422, "reason")
    r = client.post(
        "/fhir/Subscription", content=b"{", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400


def test_binding_token_is_single_use_and_expires(client: AppClient, store: Store) -> None:
    sub = post(client, subscription())
    token = token_for(client, sub["id"])
    assert token["subscription"] == sub["id"]
    assert token["websocket-url"].endswith("/ws/subscriptions")
    assert token["expiration"].endswith("Z")
    assert client.get("/fhir/Subscription/nope/$get-ws-binding-token").status_code == 404
    with client.websocket_connect("/ws/subscriptions") as ws:
        ws.conn.send(f"bind-with-token {token['token']}")
        assert status_of(ws.receive_json())["type"] == "handshake"
    with client.websocket_connect("/ws/subscriptions") as ws:  # second use
        ws.conn.send(f"bind-with-token {token['token']}")
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive_json()
        assert closed.value.code == 1008
    expired = token_for(client, sub["id"])
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE subscription_token SET expires = 0")
    with client.websocket_connect("/ws/subscriptions") as ws:
        ws.conn.send(f"bind-with-token {expired['token']}")
        with pytest.raises(WebSocketClosed) as closed:
            ws.receive_json()
        assert closed.value.code == 1008
    with client.websocket_connect("/ws/subscriptions") as ws:
        ws.conn.send("hello")
        with pytest.raises(WebSocketClosed):
            ws.receive_json()


def test_handshake_events_and_heartbeat(
    client: AppClient, world: dict[str, str], bound: Any
) -> None:
    sub = post(client, subscription("resource-type=Observation"))
    ws, hello = bound(sub["id"])
    st = status_of(hello)
    assert st["type"] == "handshake" and st["status"] == "active"
    assert st["events-since-subscription-start"] == "0"
    assert st["topic"] == TOPIC_URL
    assert st["subscription"]["reference"].endswith(f"/Subscription/{sub['id']}")
    o1 = post(client, observation(world["pat_a"]))
    post(client, {"resourceType": "Organization", "name": "not an Observation"})
    o2 = post(client, observation(world["pat_b"]))
    got = events(ws, 2)
    assert got == [(1, o1["id"]), (2, o2["id"])]
    beat = receive_until(ws, "heartbeat", timeout=2)
    assert status_of(beat)["events-since-subscription-start"] == "2"
    assert len(beat["entry"]) == 1
    # The notification carries the resource itself (full-resource by default).
    o3 = post(client, observation(world["pat_a"], 99))
    bundle = receive_until(ws, "event-notification")
    entry = bundle["entry"][1]
    assert entry["resource"]["id"] == o3["id"] and entry["resource"]["valueQuantity"]["value"] == 99
    assert entry["request"] == {"method": "POST", "url": "Observation"}
    event = next(
        p for p in bundle["entry"][0]["resource"]["parameter"] if p["name"] == "notification-event"
    )
    parts = {p["name"]: p for p in event["part"]}
    assert parts["event-number"]["valueString"] == "3"
    assert parts["focus"]["valueReference"]["reference"].endswith(f"/Observation/{o3['id']}")
    assert parts["timestamp"]["valueInstant"] == o3["meta"]["lastUpdated"]


def test_filters_by_organization_and_type(
    client: AppClient, world: dict[str, str], bound: Any
) -> None:
    dept_a = world["dept_a"]
    only_a = post(client, subscription(f"Observation?organization=Organization/{dept_a}"))
    patients_a = post(
        client,
        subscription(
            f"resource-type=Patient,EpisodeOfCare&organization={dept_a}", content="id-only"
        ),
    )
    ws_a, _ = bound(only_a["id"])
    ws_p, _ = bound(patients_a["id"])
    mine = [post(client, observation(world["pat_a"]))["id"]]
    post(client, observation(world["pat_b"]))  # department b: not for us
    mine.append(post(client, observation(world["pat_c"]))["id"])  # via its episode only
    new_patient = post(
        client,
        {
            "resourceType": "Patient",
            "name": [{"family": "New"}],
            "managingOrganization": {"reference": f"Organization/{dept_a}"},
        },
    )
    post(client, {"resourceType": "Patient", "name": [{"family": "Elsewhere"}]})
    episode = post(
        client,
        {
            "resourceType": "EpisodeOfCare",
            "status": "active",
            "patient": {"reference": f"Patient/{world['pat_b']}"},
            "managingOrganization": {"reference": f"Organization/{dept_a}"},
        },
    )
    # pat_b now also has an episode at department a: its Observations are ours too.
    mine.append(post(client, observation(world["pat_b"]))["id"])
    assert events(ws_a, 3) == [(1, mine[0]), (2, mine[1]), (3, mine[2])]
    bundle = receive_until(ws_p, "event-notification")
    got = [e["fullUrl"].rsplit("/", 2)[-2:] for e in bundle["entry"][1:]]
    while len(got) < 2:
        bundle = receive_until(ws_p, "event-notification")
        got += [e["fullUrl"].rsplit("/", 2)[-2:] for e in bundle["entry"][1:]]
    assert got == [["Patient", new_patient["id"]], ["EpisodeOfCare", episode["id"]]]
    assert "resource" not in bundle["entry"][1]  # id-only
    # Nothing else arrives: only heartbeats.
    assert status_of(ws_a.receive_json(1))["type"] == "heartbeat"


def test_missed_events_are_replayed_exactly_then_live(
    client: AppClient, world: dict[str, str], bound: Any
) -> None:
    sub = post(client, subscription(f"Observation?organization={world['dept_a']}"))
    ws, _ = bound(sub["id"])
    seen = events(ws, 1, timeout=5) if post(client, observation(world["pat_a"])) else []
    last_seen = seen[-1][0]
    ws.conn.close()  # the client goes away ...
    missed = []
    for i in range(7):  # ... and misses K = 7 events (plus some of department b)
        missed.append(post(client, observation(world["pat_a"], 60 + i))["id"])
        post(client, observation(world["pat_b"]))
    # Creates are numbered in their own commit (test_a_create_is_numbered_in_its_own_commit);
    # the bounded wait only keeps this test about replay, whatever path numbered them.
    deadline = time.monotonic() + 5
    while True:
        r = client.get(
            f"/fhir/Subscription/{sub['id']}/$events", params={"eventsSinceNumber": last_seen + 1}
        )
        assert r.status_code == 200, r.text
        replay = r.json()
        st = status_of(replay)
        if st["events-since-subscription-start"] == "8" or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert st["type"] == "query-event" and st["events-since-subscription-start"] == "8"
    assert event_numbers(replay) == list(range(last_seen + 1, last_seen + 8))
    assert [e["resource"]["id"] for e in replay["entry"][1:]] == missed
    # A window, and the other payload styles.
    part = client.get(
        f"/fhir/Subscription/{sub['id']}/$events",
        params={"eventsSinceNumber": 3, "eventsUntilNumber": 4, "content": "id-only"},
    ).json()
    assert event_numbers(part) == [3, 4] and focus_ids(part) == missed[1:3]
    assert "resource" not in part["entry"][1]
    empty = client.get(f"/fhir/Subscription/{sub['id']}/$events?content=empty").json()
    assert event_numbers(empty) == list(range(1, 9)) and len(empty["entry"]) == 1
    assert (
        client.get(f"/fhir/Subscription/{sub['id']}/$events?eventsSinceNumber=x").status_code == 400
    )
    # Reconnecting continues the numbering live.
    ws2, hello = bound(sub["id"])
    assert status_of(hello)["events-since-subscription-start"] == "8"
    nxt = post(client, observation(world["pat_a"]))
    assert events(ws2, 1) == [(9, nxt["id"])]


def test_status_counts(client: AppClient, world: dict[str, str]) -> None:
    sub = post(client, subscription(f"Observation?patient=Patient/{world['pat_b']}"))
    for _ in range(3):
        post(client, observation(world["pat_b"]))
        post(client, observation(world["pat_a"]))
    deadline = time.monotonic() + 5
    while True:
        bundle = client.get(f"/fhir/Subscription/{sub['id']}/$status").json()
        assert bundle["type"] == "searchset"
        st = params(bundle["entry"][0]["resource"])
        if st["events-since-subscription-start"] == "3" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert st["type"] == "query-status" and st["status"] == "active"
    assert st["events-since-subscription-start"] == "3"
    assert client.get("/fhir/Subscription/nope/$status").status_code == 404


def test_a_create_is_numbered_in_its_own_commit(store: Store) -> None:
    """Creates are numbered inside their own transaction, not by the hub's numbering task
    after it: the moment ``create`` returns, the event is stored with its number (no second
    transaction, whose thread hop and commit were about half of a POST's latency to a
    Subscription's socket on PostgreSQL, and no crash window between two commits), and the
    binding has it. Updates are still numbered after their commit."""
    import asyncio

    from server.api.broker import Broker
    from server.api.service import FhirService
    from server.api.subscriptions import SubscriptionHub, event_count

    async def scenario() -> None:
        broker = Broker()
        service = FhirService(store, broker)
        hub = SubscriptionHub(store, broker, default_heartbeat=60)
        await hub.start()
        service.numbering = hub
        after_commit: list[list[str]] = []
        numbered_after = hub.number

        def number(specs: Any, batch: Any) -> Any:
            after_commit.append([ev.res_type for ev in batch])
            return numbered_after(specs, batch)

        hub.number = number  # type: ignore[method-assign]
        try:
            body = {**subscription("Observation?patient=Patient/p1"), "status": "active"}
            sub = await service.create("Subscription", body)
            wake = asyncio.Event()
            binding = hub.bind(hub.active[0], wake)
            for i in range(3):
                st = await service.create("Observation", observation("p1", 60 + i))
                with store.reading() as conn:
                    assert event_count(conn, sub.res_id) == i + 1  # at once
                taken = binding.take()
                assert [(n, ev.res_id) for n, ev in taken] == [(i + 1, st.res_id)]
            await service.create("Observation", observation("p2"))  # matches nothing
            with store.reading() as conn:
                assert event_count(conn, sub.res_id) == 3
            assert not any("Observation" in b for b in after_commit)
            # An update goes the old way: numbered by the hub just after its commit.
            obs = store.read("Observation", st.res_id)
            assert obs is not None
            await service.update(
                "Observation", st.res_id, {**obs.resource(), "status": "amended"}, obs.version_id
            )
            for _ in range(100):
                if any("Observation" in b for b in after_commit):
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            with store.reading() as conn:
                assert event_count(conn, sub.res_id) == 4
            # Should matching fail inside the create's transaction, the create still commits
            # and the numbering task numbers it.
            matching = hub._match
            failures = [RuntimeError("matching broke")]

            def broken(specs: Any, batch: Any) -> Any:
                if failures:
                    raise failures.pop()
                return matching(specs, batch)

            hub._match = broken  # type: ignore[method-assign]
            late = await service.create("Observation", observation("p1", 99))
            for _ in range(200):
                with store.reading() as conn:
                    if event_count(conn, sub.res_id) == 5:
                        break
                await asyncio.sleep(0.01)
            assert not failures
            with store.reading() as conn:
                assert event_count(conn, sub.res_id) == 5
            assert [ev.res_id for _n, ev in binding.take()][-1] == late.res_id
            # A new patient's episode and her first value in one transaction: the episode puts
            # the value in the department, so it is numbered once the commit is announced.
            dept = await service.create(
                "Subscription", {**subscription("Observation?organization=d9"), "status": "active"}
            )
            wanted = hub.bind(hub.spec(dept.res_id), wake)  # type: ignore[arg-type]
            episode = {
                "resourceType": "EpisodeOfCare",
                "status": "active",
                "patient": {"reference": "Patient/p9"},
                "managingOrganization": {"reference": "Organization/d9"},
            }
            _ep, first = await service.create_many(
                [("EpisodeOfCare", episode), ("Observation", observation("p9"))]
            )
            for _ in range(200):
                if wanted._queue:
                    break
                await asyncio.sleep(0.01)
            assert [(n, ev.res_id) for n, ev in wanted.take()] == [(1, first.res_id)]
        finally:
            service.numbering = None
            await hub.stop()

    asyncio.run(scenario())


def test_old_notifications_endpoint_unchanged(client: AppClient, world: dict[str, str]) -> None:
    post(client, subscription())  # subscriptions do not disturb the issue-2 endpoint
    with client.websocket_connect("/ws/notifications?types=Observation") as ws:
        assert ws.receive_json()["type"] == "handshake"
        o = post(client, observation(world["pat_a"]))
        event = ws.receive_json()
        assert event["type"] == "event-notification" and event["eventNumber"] == 1
        assert event["resource"]["id"] == o["id"]


def test_events_outside_the_readers_departments_are_masked(store: Store) -> None:
    """With auth on, a nurse of department a sees department b's events as bare numbers."""
    from server.auth.context import AuthSettings
    from server.auth.principal import ADMIN, NURSE, Principal, RoleAssignment
    from tests.server.inprocess import serve_in_thread

    with serve_in_thread(store, heartbeat=0.3, auth=AuthSettings(enabled=True)) as client:
        ctx = client.app.state.auth

        def headers(role: str, org: str) -> dict[str, str]:
            who = Principal(
                "user", f"p-{role}", "dho-console", assignments=(RoleAssignment(role, org),)
            )
            return {"Authorization": f"Bearer {ctx.issue(who)}"}

        admin = headers(ADMIN, "x")

        def create(body: dict[str, Any], h: dict[str, str] = admin) -> dict[str, Any]:
            r = client.post(f"/fhir/{body['resourceType']}", json=body, headers=h)
            assert r.status_code == 201, r.text
            result: dict[str, Any] = r.json()
            return result

        pats = {}
        for key in ("a", "b"):
            dept = create({"resourceType": "Organization", "name": f"Department {key}"})["id"]
            ref = {"reference": f"Organization/{dept}"}
            pats[key] = create({"resourceType": "Patient", "managingOrganization": ref})["id"]
            if key == "a":
                nurse = headers(NURSE, dept)
        sub = create(subscription("resource-type=Observation"), nurse)
        r = client.post(f"/fhir/Subscription/{sub['id']}/$get-ws-binding-token", headers=nurse)
        token = params(r.json())["token"]
        access = nurse["Authorization"].split()[1]  # browsers cannot set WebSocket headers
        with client.websocket_connect(f"/ws/subscriptions?access_token={access}") as ws:
            ws.conn.send(f"bind-with-token {token}")
            assert status_of(ws.receive_json())["type"] == "handshake"
            mine = create(observation(pats["a"]))
            create(observation(pats["b"]))
            got: list[dict[str, Any]] = []
            while sum(len(event_numbers(b)) for b in got) < 2:
                got.append(receive_until(ws, "event-notification"))
        assert [n for b in got for n in event_numbers(b)] == [1, 2]
        assert [i for b in got for i in focus_ids(b)] == [mine["id"]]  # b's: number only
        replay = client.get(f"/fhir/Subscription/{sub['id']}/$events", headers=nurse).json()
        assert event_numbers(replay) == [1, 2] and focus_ids(replay) == [mine["id"]]
        everything = client.get(f"/fhir/Subscription/{sub['id']}/$events", headers=admin).json()
        assert len(focus_ids(everything)) == 2
