"""AuditEvents: one per patient per read, with who (Practitioner, HPR, role, organization),
from where and through which client; readable by leads and admins only; written off the
request path and flushed on shutdown; never announced on the WebSocket."""

from __future__ import annotations

import base64
import json
from typing import Any

from server.auth.context import AuthSettings
from server.store import Store
from tests.server.inprocess import AppClient, serve_in_thread
from tests.server.test_auth_helpers import (
    HPR_SYSTEM,
    ROLE_SYSTEM,
    SHARED_CENTRE,
    Seeded,
    auth_client,
    flush_audit,
    seeded,
    token_headers,
)

__all__ = ["auth_client", "seeded"]  # fixtures

SANDNES = "hjemmesykepleien-sandnes"


def _audit(client: AppClient, query: str) -> list[dict[str, Any]]:
    admin = token_headers(client, "admin")
    bundle = client.get(f"/fhir/AuditEvent?{query}&_count=1000", headers=admin).json()
    return [e["resource"] for e in bundle.get("entry", [])]


def test_a_patient_read_leaves_exactly_one_audit_event(
    auth_client: AppClient, seeded: Seeded
) -> None:
    staff = seeded.user("nurse", SANDNES)
    nurse = token_headers(auth_client, staff.username)
    patient = sorted(seeded.patients_of(SANDNES))[0]
    assert auth_client.get(f"/fhir/Patient/{patient}", headers=nurse).status_code == 200
    assert flush_audit(auth_client) == 1
    (event,) = _audit(auth_client, f"patient={patient}")
    assert event["type"]["code"] == "rest"
    assert event["subtype"][0]["code"] == "read"
    assert event["action"] == "R" and event["outcome"] == "0"
    assert event["recorded"].endswith("Z")
    user, app = event["agent"]
    assert user["who"]["reference"] == f"Practitioner/{staff.practitioner_id}"
    assert user["who"]["display"] == staff.name
    assert user["who"]["identifier"] == {"system": HPR_SYSTEM, "value": staff.hpr}
    assert user["role"][0]["coding"][0] == {"system": ROLE_SYSTEM, "code": "nurse"}
    assert user["extension"][0]["valueReference"]["reference"] == f"Organization/{SANDNES}"
    assert user["requestor"] is True and user["altId"] == staff.username
    assert user["network"] == {"address": "127.0.0.1", "type": "2"}
    assert app["who"]["identifier"]["value"] == "dho-console" and app["requestor"] is False
    assert event["source"]["observer"]["identifier"]["value"] == "dho-server"
    assert event["entity"][0]["what"]["reference"] == f"Patient/{patient}"
    assert event["entity"][0]["role"]["code"] == "1"


def test_a_search_leaves_one_event_per_patient(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    bundle = auth_client.get("/fhir/Observation?_count=200", headers=nurse).json()
    patients = {e["resource"]["subject"]["reference"] for e in bundle["entry"]}
    assert len(patients) > 1
    assert flush_audit(auth_client) == len(patients)
    events = _audit(auth_client, "type=rest")
    assert sorted(e["entity"][0]["what"]["reference"] for e in events) == sorted(patients)
    for event in events:
        assert event["subtype"][0]["code"] == "search-type"
        query = next(x for x in event["entity"] if "query" in x)["query"]
        assert base64.b64decode(query).decode().startswith("/fhir/Observation?_count=200")
        touched = [x["what"]["reference"] for x in event["entity"][1:] if "what" in x]
        assert touched and all(t.startswith("Observation/") for t in touched)


def test_writes_and_denials_are_audited(auth_client: AppClient, seeded: Seeded) -> None:
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of("ikart"))[0]
    comm = {
        "resourceType": "Communication",
        "status": "completed",
        "subject": {"reference": f"Patient/{own}"},
        "payload": [{"contentString": "Hei, hvordan går det?"}],
    }
    assert auth_client.post("/fhir/Communication", json=comm, headers=nurse).status_code == 201
    assert auth_client.get(f"/fhir/Patient/{other}", headers=nurse).status_code == 404
    flush_audit(auth_client)
    (created,) = _audit(auth_client, f"patient={own}")
    assert created["action"] == "C" and created["subtype"][0]["code"] == "create"
    assert created["entity"][1]["what"]["reference"].startswith("Communication/")
    (denied,) = _audit(auth_client, f"patient={other}")
    assert denied["outcome"] == "4"


def test_only_leads_and_admins_read_audit_events(auth_client: AppClient, seeded: Seeded) -> None:
    own = sorted(seeded.patients_of(SANDNES))[0]
    other = sorted(seeded.patients_of("ikart"))[0]
    centre_nurse = token_headers(auth_client, seeded.user("nurse", SHARED_CENTRE).username)
    for patient in (own, other):
        auth_client.get(f"/fhir/Patient/{patient}", headers=centre_nurse)
    flush_audit(auth_client)
    nurse = token_headers(auth_client, seeded.user("nurse", SANDNES).username)
    assert auth_client.get("/fhir/AuditEvent", headers=nurse).status_code == 403
    lead = token_headers(auth_client, seeded.user("lead", SANDNES).username)
    r = auth_client.get("/fhir/AuditEvent?_count=100", headers=lead)
    assert r.status_code == 200
    # A department lead sees the audit trail of their own patients only.
    seen = {e["resource"]["entity"][0]["what"]["reference"] for e in r.json()["entry"]}
    assert seen == {f"Patient/{own}"}
    agent = seeded.user("nurse", SHARED_CENTRE).practitioner_id
    by_agent = auth_client.get(
        f"/fhir/AuditEvent?agent=Practitioner/{agent}&date=ge2020-01-01",
        headers=token_headers(auth_client, "admin"),
    ).json()
    assert by_agent["total"] == 2
    # Reading the audit trail leaves no further AuditEvents.
    assert flush_audit(auth_client) == 0


def test_audit_events_are_not_notified(auth_client: AppClient, seeded: Seeded) -> None:
    token = token_headers(auth_client, "admin")["Authorization"].split()[1]
    patient = sorted(seeded.all_patients)[0]
    with auth_client.websocket_connect(f"/ws/notifications?access_token={token}") as ws:
        assert ws.receive_json()["type"] == "handshake"
        auth_client.get(f"/fhir/Patient/{patient}", headers={"Authorization": f"Bearer {token}"})
        assert flush_audit(auth_client) == 1
        for _ in range(2):
            message = ws.receive_json(timeout=2)
            assert message["type"] == "heartbeat"


def test_pending_audit_events_are_flushed_on_shutdown(store: Store, seeded: Seeded) -> None:
    settings = AuthSettings(enabled=True, audit_interval=3600)
    patient = sorted(seeded.all_patients)[0]
    with serve_in_thread(store, auth=settings) as client:
        r = client.get(f"/fhir/Patient/{patient}", headers=token_headers(client, "admin"))
        assert r.status_code == 200
        assert client.app.state.auth.audit.pending() == 1
    assert store.count("AuditEvent") == 1


def test_auth_off_writes_no_audit_events(store: Store, seeded: Seeded) -> None:
    patient = sorted(seeded.all_patients)[0]
    with serve_in_thread(store) as client:
        assert client.get(f"/fhir/Patient/{patient}").status_code == 200
        assert client.app.state.auth.audit is None
    assert store.count("AuditEvent") == 0


def _observation(patient: str, value: float) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2026-01-01T10:00:00Z",
        "valueQuantity": {"value": value, "unit": "/min"},
    }


def _pushes(client: AppClient, patient: str, practitioner: str) -> list[dict[str, Any]]:
    return [
        e
        for e in _audit(client, f"patient={patient}")
        if e["subtype"][0]["code"] == "live-push"
        and e["agent"][0]["who"]["reference"] == f"Practitioner/{practitioner}"
    ]


def test_live_pushes_are_audited_per_patient(auth_client: AppClient, seeded: Seeded) -> None:
    """What the notification WebSocket pushes to a nurse is an access like a read."""
    from websockets.sync.client import connect

    nurse_user = seeded.user("nurse", SANDNES)
    nurse = token_headers(auth_client, nurse_user.username)
    admin = token_headers(auth_client, "admin")
    mine = sorted(seeded.patients_of(SANDNES))[:2]
    other = sorted(seeded.patients_of("ikart"))[0]
    flush_audit(auth_client)
    url = auth_client.ws_base + "/ws/notifications?types=Observation"
    with connect(url, additional_headers=nurse, open_timeout=5) as ws:
        assert '"handshake"' in str(ws.recv(timeout=5))
        sent = [
            auth_client.post("/fhir/Observation", json=_observation(p, 60 + i), headers=admin)
            for i, p in enumerate([mine[0], mine[1], other, mine[0]])
        ]
        assert all(r.status_code == 201 for r in sent)
        received = 0
        while received < 3:
            if '"event-notification"' in str(ws.recv(timeout=5)):
                received += 1
    flush_audit(auth_client)
    for patient, pushed in ((mine[0], 2), (mine[1], 1)):
        events = _pushes(auth_client, patient, nurse_user.practitioner_id)
        # At most one AuditEvent per pushed batch (merged per flush), at least one.
        assert 1 <= len(events) <= pushed, events
        for event in events:
            assert event["entity"][0]["what"]["reference"] == f"Patient/{patient}"
            assert event["action"] == "R"
            assert all(
                e["what"]["reference"].startswith("Observation/") for e in event["entity"][1:]
            )
    assert _pushes(auth_client, other, nurse_user.practitioner_id) == []  # never pushed


def test_subscription_channel_pushes_are_audited(auth_client: AppClient, seeded: Seeded) -> None:
    from tests.server.test_subscriptions import params, receive_until, subscription

    nurse_user = seeded.user("nurse", SANDNES)
    nurse = token_headers(auth_client, nurse_user.username)
    admin = token_headers(auth_client, "admin")
    patient = sorted(seeded.patients_of(SANDNES))[0]
    sub = auth_client.post(
        "/fhir/Subscription", json=subscription("resource-type=Observation"), headers=nurse
    )
    assert sub.status_code == 201, sub.text
    r = auth_client.post(
        f"/fhir/Subscription/{sub.json()['id']}/$get-ws-binding-token", headers=nurse
    )
    token = params(r.json())["token"]
    flush_audit(auth_client)
    from websockets.sync.client import connect

    from tests.server.inprocess import WsSession

    url = auth_client.ws_base + "/ws/subscriptions"
    with connect(url, additional_headers=nurse, open_timeout=5) as conn:
        ws = WsSession(conn)
        conn.send(f"bind-with-token {token}")
        receive_until(ws, "handshake")
        created = auth_client.post(
            "/fhir/Observation", json=_observation(patient, 80), headers=admin
        ).json()
        receive_until(ws, "event-notification")
    flush_audit(auth_client)
    (event,) = _pushes(auth_client, patient, nurse_user.practitioner_id)
    pushed = {e["what"]["reference"].split("/_history")[0] for e in event["entity"]}
    assert f"Observation/{created['id']}" in pushed


def test_a_large_flush_is_written_in_chunks_and_keeps_every_event(store: Store) -> None:
    """A busy half-second's records are stored in transactions of WRITE_CHUNK events, so a
    request waiting for the store's write lock waits for one chunk, not the whole flush."""
    from server.auth.audit import WRITE_CHUNK, AuditLog, Record
    from server.auth.principal import Principal

    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    obs = store.create(
        "Observation",
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {"text": "puls"},
            "subject": {"reference": f"Patient/{pid}"},
        },
    )
    log = AuditLog(store)
    chunks: list[int] = []
    real = store.create_many

    def counted(items: Any, **kwargs: Any) -> Any:
        chunks.append(len(items))
        return real(items, **kwargs)

    store.create_many = counted  # type: ignore[method-assign]
    principal = Principal("service", "svc", "dho-integration")
    n = 2 * WRITE_CHUNK + 7
    for i in range(n):  # n consoles (addresses): pushes of one agent are merged
        log.record(
            Record(principal, "live-push", f"10.0.0.{i}", resources=[("Observation", obs.data)])
        )
    assert log.flush() == n
    assert chunks == [WRITE_CHUNK, WRITE_CHUNK, 7]
    assert store.count("AuditEvent") == n


def test_live_pushes_of_one_flush_are_one_audit_event_per_agent_and_patient(
    store: Store,
) -> None:
    """Ten consoles watching a patient who measures every few seconds left ten AuditEvents
    per measurement; merged per flush each agent leaves one per patient, naming every pushed
    resource, with the period the pushes went out in."""
    from server.auth.audit import AuditLog, Record
    from server.auth.principal import Principal

    ann, bob = (store.create("Patient", {"resourceType": "Patient"}).res_id for _ in range(2))

    def obs(pid: str) -> str:
        return store.create("Observation", _observation(pid, 70)).data

    a1, a2, b1 = obs(ann), obs(ann), obs(bob)
    nurse = Principal("user", "nurse-1", "dho-console", username="kari")
    other = Principal("user", "nurse-2", "dho-console", username="ola")
    log = AuditLog(store)
    log.record(
        Record(nurse, "live-push", "10.0.0.1", resources=[("Observation", a1)], recorded_us=1_000)
    )
    log.record(
        Record(
            nurse,
            "live-push",
            "10.0.0.1",
            resources=[("Observation", a2), ("Observation", b1)],
            recorded_us=3_000,
        )
    )
    log.record(
        Record(nurse, "live-push", "10.0.0.1", resources=[("Observation", a2)], recorded_us=2_000)
    )  # the same resource on a second socket
    log.record(
        Record(other, "live-push", "10.0.0.2", resources=[("Observation", a1)], recorded_us=2_500)
    )
    log.record(
        Record(nurse, "read", "10.0.0.1", resources=[("Observation", a1)], recorded_us=2_600)
    )  # not a push: its own event
    assert log.flush() == 4
    events = store.all_of_type("AuditEvent")
    pushes = {
        (e["agent"][0]["who"]["reference"], e["entity"][0]["what"]["reference"]): e
        for e in events
        if e["subtype"][0]["code"] == "live-push"
    }
    assert set(pushes) == {
        ("Practitioner/nurse-1", f"Patient/{ann}"),
        ("Practitioner/nurse-1", f"Patient/{bob}"),
        ("Practitioner/nurse-2", f"Patient/{ann}"),
    }
    merged = pushes[("Practitioner/nurse-1", f"Patient/{ann}")]
    ids = [e["what"]["reference"].split("/")[1] for e in merged["entity"][1:]]
    assert sorted(ids) == sorted(json.loads(t)["id"] for t in (a1, a2))
    assert merged["period"]["start"] < merged["period"]["end"] == merged["recorded"]
    assert "period" not in pushes[("Practitioner/nurse-2", f"Patient/{ann}")]
    assert [e["subtype"][0]["code"] for e in events].count("read") == 1


def test_building_a_flush_hands_the_gil_over_between_resources(
    store: Store, monkeypatch: Any
) -> None:
    """A flush of a half-second of searches parses thousands of resources; it gives the GIL
    up (``time.sleep(0)``) every YIELD_EVERY seconds so a request thread waiting for it is not
    held to CPython's 5 ms switch interval at each hand-over (one search in 80 took 50-100 ms).
    With YIELD_EVERY 0 it hands over once per resource, and every resource is still named."""
    import server.auth.audit as audit
    from server.auth.principal import Principal

    pid = store.create("Patient", {"resourceType": "Patient"}).res_id
    texts = [
        store.create(
            "Observation",
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"text": "puls"},
                "subject": {"reference": f"Patient/{pid}"},
            },
        ).data
        for _ in range(12)
    ]
    pauses: list[float] = []
    monkeypatch.setattr(audit, "YIELD_EVERY", 0.0)
    monkeypatch.setattr(audit.time, "sleep", pauses.append)
    log = audit.AuditLog(store)
    principal = Principal("service", "svc", "dho-integration")
    log.record(
        audit.Record(
            principal, "search-type", "10.0.0.1", resources=[("Observation", t) for t in texts]
        )
    )
    assert log.flush() == 1
    assert pauses.count(0) >= len(texts)
    (event,) = store.all_of_type("AuditEvent")
    assert len(event["entity"]) == 1 + len(texts)
