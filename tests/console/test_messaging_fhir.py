"""Messaging FHIR shapes (builders, mapping) and `FakeFhir`, an in-memory FHIR server for
`httpx.MockTransport` that the messaging, outbox and video tests share.

FakeFhir implements just what the messaging code uses: create with `If-None-Exist` on
`identifier`, version-aware PUT (412 on a stale `If-Match`, 428 without one), read, and search
on Communication / RelatedPerson / EpisodeOfCare / Encounter with the parameters we send.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from console.domain.messages import (
    Category,
    MessagingUser,
    PartyKind,
    ThreadKind,
    count_unread,
    is_unread,
    meeting_url,
    merge,
    new_room_name,
    unread_by_patient,
    window_title,
)
from console.fhir.client import FhirClient
from console.fhir.messages import (
    CATEGORY_SYSTEM,
    MESSAGE_KEY_SYSTEM,
    READ_BY_URL,
    THREAD_ID_URL,
    appointment_resource,
    encounter_resource,
    ended_encounter,
    message_from_fhir,
    message_resource,
    parties_by_reference,
    video_call_from_fhir,
    with_read_marker,
)

BASE = "http://127.0.0.1:9/fhir"  # never contacted: the MockTransport answers
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ME = MessagingUser("pr-1", "Kari Lie", "dep-a", "Hjemmesykepleien Sandnes")


def outcome(status: int, text: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": "processing", "diagnostics": text}],
        },
    )


def communication(
    cid: str,
    *,
    patient: str = "p1",
    sender: str = "Patient/p1",
    category: str = "patient-thread",
    text: str = "Hei",
    minutes: int = 0,
    received: bool = False,
    version: str = "1",
    read_by: tuple[str, ...] = (),
    sender_display: str = "",
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": cid,
        "meta": {"versionId": version},
        "status": "completed",
        "extension": [{"url": THREAD_ID_URL, "valueString": f"{patient}/patient"}],
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
        "subject": {"reference": f"Patient/{patient}"},
        "sender": {"reference": sender, **({"display": sender_display} if sender_display else {})},
        "sent": (NOW + timedelta(minutes=minutes)).isoformat(),
        "payload": [{"contentString": text}],
    }
    if received:
        resource["received"] = (NOW + timedelta(minutes=minutes + 1)).isoformat()
    for reader in read_by:
        resource["extension"].append(
            {
                "url": READ_BY_URL,
                "extension": [{"url": "reader", "valueReference": {"reference": reader}}],
            }
        )
    return resource


class FakeFhir:
    """In-memory FHIR server. `fail_next(n)` makes the next n requests raise ConnectError."""

    def __init__(self) -> None:
        self.resources: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[httpx.Request] = []
        self.fail_requests = 0
        self.fail_with: Callable[[httpx.Request], httpx.Response | None] | None = None
        self._next_id = 0

    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        resource = json.loads(json.dumps(resource))
        resource.setdefault("meta", {}).setdefault("versionId", "1")
        self.resources[(resource["resourceType"], resource["id"])] = resource
        return resource

    def of_type(self, rtype: str) -> list[dict[str, Any]]:
        return [r for (t, _), r in self.resources.items() if t == rtype]

    def client(self) -> FhirClient:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handler))
        return FhirClient(BASE, http=http, retries=0, retry_backoff=0.0)

    # ----- HTTP -------------------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_requests > 0:
            self.fail_requests -= 1
            raise httpx.ConnectError("connection refused", request=request)
        if self.fail_with is not None:
            forced = self.fail_with(request)
            if forced is not None:
                return forced
        parts = request.url.path.split("/fhir/", 1)[1].split("/")
        if request.method == "POST":
            return self._create(parts[0], request)
        if request.method == "PUT":
            return self._update(parts[0], parts[1], request)
        if len(parts) == 2:
            found = self.resources.get((parts[0], parts[1]))
            if found is None:
                return outcome(404, "not found")
            return httpx.Response(200, json=found)
        return self._search(parts[0], request)

    def _create(self, rtype: str, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        condition = request.headers.get("If-None-Exist")
        if condition:
            system, _, value = condition.split("=", 1)[1].partition("|")
            for existing in self.of_type(rtype):
                for ident in existing.get("identifier") or []:
                    if ident.get("system") == system and ident.get("value") == value:
                        return httpx.Response(200, json=existing)
        self._next_id += 1
        body["id"] = f"{rtype.lower()}-{self._next_id}"
        body["meta"] = {"versionId": "1", "lastUpdated": NOW.isoformat()}
        self.resources[(rtype, body["id"])] = body
        return httpx.Response(201, json=body, headers={"ETag": 'W/"1"'})

    def _update(self, rtype: str, rid: str, request: httpx.Request) -> httpx.Response:
        current = self.resources.get((rtype, rid))
        if current is None:
            return outcome(404, "not found")
        tag = request.headers.get("If-Match")
        if tag is None:
            return outcome(428, "If-Match required")
        if tag != f'W/"{current["meta"]["versionId"]}"':
            return outcome(412, "stale version")
        body = json.loads(request.content)
        body["meta"] = {"versionId": str(int(current["meta"]["versionId"]) + 1)}
        self.resources[(rtype, rid)] = body
        return httpx.Response(200, json=body)

    def _search(self, rtype: str, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        matches = self.of_type(rtype)

        def ref_ok(resource: dict[str, Any], key: str, name: str) -> bool:
            wanted = params.get(name)
            if wanted is None:
                return True
            value = resource.get(key)
            refs = value if isinstance(value, list) else [value]
            return any((r or {}).get("reference") in wanted.split(",") for r in refs)

        if rtype == "Communication":
            cats = params.get("category")
            if cats:
                codes = {c.split("|")[-1] for c in cats.split(",")}
                matches = [
                    r
                    for r in matches
                    if any(
                        c.get("code") in codes
                        for cat in r.get("category", [])
                        for c in cat["coding"]
                    )
                ]
            matches = [r for r in matches if ref_ok(r, "subject", "subject")]
            matches = [r for r in matches if ref_ok(r, "sender", "sender")]
            if params.get("status"):
                matches = [r for r in matches if r.get("status") == params["status"]]
            matches.sort(key=lambda r: r.get("sent", ""))
        elif rtype == "RelatedPerson":
            matches = [r for r in matches if ref_ok(r, "patient", "patient")]
        elif rtype == "EpisodeOfCare":
            matches = [r for r in matches if ref_ok(r, "patient", "patient")]
        elif rtype == "Encounter":
            matches = [r for r in matches if ref_ok(r, "subject", "subject")]
        included: list[dict[str, Any]] = []
        include = params.get("_include")
        if include == "Encounter:appointment":
            for r in matches:
                for ref in r.get("appointment", []):
                    found = self.resources.get(tuple(ref["reference"].split("/")))  # type: ignore[arg-type]
                    if found:
                        included.append(found)
        bundle = {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(matches),
            "entry": [{"resource": r, "search": {"mode": "match"}} for r in matches]
            + [{"resource": r, "search": {"mode": "include"}} for r in included],
        }
        return httpx.Response(200, json=bundle)


# ----- tests of the shapes -----------------------------------------------------------------------


def test_message_resource_carries_thread_id_key_and_category() -> None:
    resource = message_resource(
        patient_id="p1", thread=ThreadKind.PATIENT, text="Hei", me=ME, key="k1", sent=NOW
    )
    assert resource["identifier"] == [{"system": MESSAGE_KEY_SYSTEM, "value": "k1"}]
    assert resource["extension"][0] == {"url": THREAD_ID_URL, "valueString": "p1/patient"}
    assert resource["category"][0]["coding"][0]["code"] == "patient-thread"
    assert resource["recipient"][0] == {"reference": "Patient/p1"}
    assert resource["sender"]["reference"] == "Practitioner/pr-1"
    message = message_from_fhir({**resource, "id": "c1"})
    assert message is not None and message.thread is ThreadKind.PATIENT
    assert message.key == "k1" and message.sender.kind is PartyKind.PRACTITIONER


def test_colleague_message_is_read_by_own_service_and_names_it() -> None:
    resource = message_resource(
        patient_id="p1", thread=ThreadKind.COLLEAGUE, text="Notat", me=ME, key="k", sent=NOW
    )
    assert not any(r["reference"] == "Patient/p1" for r in resource["recipient"])
    message = message_from_fhir({**resource, "id": "c1"})
    assert message is not None and message.thread is ThreadKind.COLLEAGUE
    assert message.written_by(ME)
    assert not is_unread(message, ME.reader)
    other = MessagingUser("pr-9", "Per", "ikart")
    assert is_unread(message, other.reader)
    assert not message.written_by(other)


def test_wrong_category_for_thread_is_refused() -> None:
    with pytest.raises(ValueError):
        message_resource(
            patient_id="p1",
            thread=ThreadKind.COLLEAGUE,
            text="x",
            me=ME,
            key="k",
            sent=NOW,
            category=Category.PATIENT_THREAD,
        )


def test_unread_rules_and_counts() -> None:
    reader = ME.reader
    msgs = [
        message_from_fhir(communication("a")),  # from patient, unread
        message_from_fhir(communication("b", received=True)),  # read
        message_from_fhir(communication("c", sender="RelatedPerson/r1")),  # relative, unread
        message_from_fhir(communication("d", sender="Practitioner/pr-1")),  # ours: never unread
        message_from_fhir(communication("e", category="colleague-thread", sender="Practitioner/x")),
        message_from_fhir(
            communication(
                "f", category="colleague-thread", sender="Practitioner/x", read_by=(reader,)
            )
        ),
        message_from_fhir(communication("g", patient="p2", category="contact-request")),
    ]
    messages = [m for m in msgs if m is not None]
    assert len(messages) == 7
    assert [m.id for m in messages if is_unread(m, reader)] == ["a", "c", "e", "g"]
    assert count_unread(messages, reader) == 4
    assert unread_by_patient(messages, reader) == {"p1": 3, "p2": 1}
    assert window_title("DHO responssenter", 3) == "(3) DHO responssenter"
    assert window_title("DHO responssenter", 0) == "DHO responssenter"


def test_merge_keeps_newest_version_in_sent_order() -> None:
    a1 = message_from_fhir(communication("a", minutes=5))
    a2 = message_from_fhir(communication("a", minutes=5, received=True, version="2"))
    b = message_from_fhir(communication("b", minutes=1))
    assert a1 and a2 and b
    assert [m.id for m in merge([a2], [a1, b])] == ["b", "a"]
    assert merge([a2], [a1])[0].received is not None


def test_read_marker_received_or_read_by() -> None:
    patient_msg = communication("a")
    assert "received" in with_read_marker(patient_msg, ME.reader, NOW)
    colleague = communication("b", category="colleague-thread", sender="Practitioner/x")
    marked = with_read_marker(colleague, ME.reader, NOW)
    assert "received" not in marked
    message = message_from_fhir(marked)
    assert message is not None and ME.reader in message.read_by


def test_sender_parties_resolve_relationship_from_included_resources() -> None:
    related = {
        "resourceType": "RelatedPerson",
        "id": "r1",
        "patient": {"reference": "Patient/p1"},
        "name": [{"given": ["Anne"], "family": "Hansen"}],
        "relationship": [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "DAU"}
                ]
            }
        ],
    }
    known = parties_by_reference([related])
    message = message_from_fhir(communication("c", sender="RelatedPerson/r1"), known)
    assert message is not None
    assert message.sender.name == "Anne Hansen" and message.sender.relationship == "DAU"


def test_video_shapes_and_room_names() -> None:
    rooms = {new_room_name() for _ in range(50)}
    assert len(rooms) == 50 and all(r.startswith("dho-") and len(r) >= 4 + 22 for r in rooms)
    url = meeting_url("https://{host}/{room}", "dho-abc", "video.kommune.example")
    assert url == "https://video.kommune.example/dho-abc"
    with pytest.raises(ValueError):
        meeting_url("https://example/x", "room")
    appt = appointment_resource(
        patient_id="p1", me=ME, url=url, start=NOW, key="k", relative_id="r1"
    )
    assert appt["status"] == "booked"
    statuses = {p["actor"]["reference"]: p["status"] for p in appt["participant"]}
    assert statuses == {
        "Patient/p1": "needs-action",
        "Practitioner/pr-1": "accepted",
        "RelatedPerson/r1": "needs-action",
    }
    appt = {**appt, "id": "a1", "meta": {"versionId": "1"}}
    enc = encounter_resource(patient_id="p1", appointment_id="a1", me=ME, start=NOW, key="k2")
    assert enc["class"]["code"] == "VR" and enc["status"] == "in-progress"
    enc = {**enc, "id": "e1", "meta": {"versionId": "1"}}
    call = video_call_from_fhir(enc, appt)
    assert call is not None and call.url == url and call.active and call.relative_id == "r1"
    done = ended_encounter(enc, NOW + timedelta(minutes=12, seconds=30), "Gikk fint")
    assert done["status"] == "finished" and done["length"]["value"] == 12.5
    ended = video_call_from_fhir(done, appt)
    assert ended is not None and ended.outcome == "Gikk fint"
    assert ended.duration == timedelta(minutes=12, seconds=30)


def test_recent_messages_for_thousands_of_patients_keep_the_url_short(
    qloop: asyncio.AbstractEventLoop,
) -> None:
    """A centre's patient ids must not go into the URL; the answer is filtered here instead."""
    from datetime import UTC, datetime

    import httpx

    from console.fhir.client import FhirClient
    from console.fhir.messages import MessageStore

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        entries = [
            {
                "resource": {
                    "resourceType": "Communication",
                    "id": f"c{i}",
                    "status": "completed",
                    "subject": {"reference": f"Patient/p{i}"},
                },
                "search": {"mode": "match"},
            }
            for i in (1, 2, 9999)
        ]
        return httpx.Response(
            200, json={"resourceType": "Bundle", "type": "searchset", "entry": entries}
        )

    async def scenario() -> list[dict[str, object]]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        client = FhirClient("http://fhir.test/fhir", http=http)
        try:
            return await MessageStore(client).recent(
                datetime(2026, 11, 1, tzinfo=UTC), [f"p{i}" for i in range(5000)]
            )
        finally:
            await http.aclose()

    found = qloop.run_until_complete(scenario())
    assert "subject" not in seen[0].url.params
    assert len(str(seen[0].url)) < 500
    assert sorted(r["id"] for r in found) == ["c1", "c2"]  # p9999 is not ours
