"""AuditEvents for every read and write of patient data through the API.

Request handlers only *record* what happened (:meth:`AuditLog.record`: append to a list, no
I/O); a background job turns the records into AuditEvent resources and stores them in batches,
off the request path, and flushes what is left when the server stops.

One AuditEvent per patient per request: a read of Patient/X leaves exactly one; a search whose
page holds data of 20 patients leaves 20, each naming its patient (``entity[0]``, role Patient)
and up to :data:`MAX_ENTITIES` of the resources returned for that patient (more are counted in
``entity[0].detail``). Live pushes are merged per agent and patient per flush
(:func:`coalesce_pushes`). AuditEvents are written straight to the store: they are not announced on
the notification broker (no WebSocket traffic, no loops), and reading them is not audited.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
from anyio import to_thread

from server.auth.principal import Principal
from server.auth.scope import is_patient_data, patients_of
from server.clock import process_now_us
from server.store import Store
from server.store.fhirtime import format_instant

log = logging.getLogger("dho.audit")

HPR_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.4"
ROLE_SYSTEM = "http://dho.example/fhir/CodeSystem/practitioner-role"
CLIENT_ID_SYSTEM = "http://dho.example/fhir/sid/client-id"
AGENT_ORGANIZATION_URL = "http://dho.example/fhir/StructureDefinition/agent-organization"
MAX_ENTITIES = 20
BATCH = 500  # records queued before a flush is woken early
#: AuditEvents per write transaction. A flush of a busy half-second (hundreds of live pushes)
#: in one transaction held the store's write lock ~50 ms (86 µs an event), and every POST
#: behind it waited: the tail of POST -> WebSocket. In chunks, a POST waits for one chunk.
WRITE_CHUNK = 50
INTERVAL = 0.5  # seconds between flushes
#: Seconds of building AuditEvents between two hand-overs of the GIL. A flush of a half-second
#: of searches parses ~8,000 resources (60-100 ms of CPU); a request thread waiting for the GIL
#: meanwhile got it only at CPython's switch interval (5 ms), at each of its many hand-overs
#: between the event loop and the store's threads: one search in 80 took 50-100 ms.
YIELD_EVERY = 0.001

_ACTIONS = {
    "read": "R",
    "vread": "R",
    "history-instance": "R",
    "search-type": "R",
    "create": "C",
    "update": "U",
    "patch": "U",
    "delete": "D",
    "live-push": "R",
    "unlock-sign-in": "E",
}
#: Interactions outside FHIR's restful-interaction code system (coded in our own).
DHO_INTERACTION_SYSTEM = "http://dho.example/fhir/CodeSystem/audit-interaction"
_DHO_INTERACTIONS = frozenset({"live-push", "patient-move", "unlock-sign-in"})


@dataclass
class Record:
    """One request's access to patient data, as the handler saw it."""

    principal: Principal
    interaction: str  # read | vread | search-type | create | update | delete
    address: str | None
    resources: list[tuple[str, str]] = field(default_factory=list)  # (type, JSON text)
    denied_patients: list[str] = field(default_factory=list)  # outcome 4 when set
    query: str | None = None
    #: Patients given a department they did not belong to: (patient, before, new organization).
    moves: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    #: An act on an account, not on patient data (a lead unlocking a colleague's sign-in):
    #: the reference it was done to, e.g. "Practitioner/<id>".
    account: str | None = None
    recorded_us: int = field(default_factory=process_now_us)  # the server's clock
    #: Set when the record stands for several live pushes merged at a flush
    #: (:func:`coalesce_pushes`): the first push's time; ``recorded_us`` is the last's.
    first_us: int | None = None


def _coding(system: str, code: str, display: str | None = None) -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _agents(principal: Principal, address: str | None) -> list[dict[str, Any]]:
    network = {"address": address, "type": "2"} if address else None
    application: dict[str, Any] = {
        "type": {
            "coding": [
                _coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application")
            ]
        },
        "who": {
            "identifier": {"system": CLIENT_ID_SYSTEM, "value": principal.client_id},
            "display": principal.client_id,
        },
        "requestor": principal.is_service,
    }
    if principal.is_service:
        if network:
            application["network"] = network
        return [application]
    who: dict[str, Any] = {"reference": principal.reference or f"Practitioner/{principal.sub}"}
    if principal.name:
        who["display"] = principal.name
    if principal.hpr:
        who["identifier"] = {"system": HPR_SYSTEM, "value": principal.hpr}
    user: dict[str, Any] = {
        "type": {
            "coding": [
                _coding(
                    "http://terminology.hl7.org/CodeSystem/extra-security-role-type",
                    "humanuser",
                    "human user",
                )
            ]
        },
        "who": who,
        "requestor": True,
    }
    if principal.roles:  # none for a patient-app user
        user["role"] = [{"coding": [_coding(ROLE_SYSTEM, role)]} for role in principal.roles]
    if principal.organizations:
        user["extension"] = [
            {"url": AGENT_ORGANIZATION_URL, "valueReference": {"reference": f"Organization/{o}"}}
            for o in principal.organizations
        ]
    if principal.username:
        user["altId"] = principal.username
    if principal.name:
        user["name"] = principal.name
    if network:
        user["network"] = network
    return [user, application]


SOURCE = {
    "site": "dho-server",
    "observer": {
        "identifier": {"system": "http://dho.example/fhir/sid/system", "value": "dho-server"},
        "display": "DHO referansebackend",
    },
    "type": [
        _coding(
            "http://terminology.hl7.org/CodeSystem/security-source-type",
            "4",
            "Application Server",
        )
    ],
}


def audit_event(
    record: Record, patient: str, touched: list[tuple[str, str, str | None]], *, outcome: str
) -> dict[str, Any]:
    """The AuditEvent of ``record`` for one patient; ``touched`` = (type, id, version)."""
    patient_entity: dict[str, Any] = {
        "what": {"reference": f"Patient/{patient}"},
        "type": _coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
        "role": _coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
    }
    if len(touched) > MAX_ENTITIES:
        patient_entity["detail"] = [{"type": "resources", "valueString": str(len(touched))}]
    entities = [patient_entity]
    for res_type, res_id, version in touched[:MAX_ENTITIES]:
        if res_type == "Patient" and res_id == patient and version is None:
            continue
        ref = f"{res_type}/{res_id}" + (f"/_history/{version}" if version else "")
        entities.append(
            {
                "what": {"reference": ref},
                "type": _coding(
                    "http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"
                ),
                "role": _coding(
                    "http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"
                ),
            }
        )
    if record.query:
        entities.append(
            {
                "type": _coding(
                    "http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"
                ),
                "role": _coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"),
                "query": base64.b64encode(record.query.encode()).decode(),
            }
        )
    event: dict[str, Any] = {
        "resourceType": "AuditEvent",
        "type": _coding(
            "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"
        ),
        "subtype": [
            _coding(
                DHO_INTERACTION_SYSTEM
                if record.interaction in _DHO_INTERACTIONS
                else "http://hl7.org/fhir/restful-interaction",
                record.interaction,
                record.interaction,
            )
        ],
        "action": _ACTIONS.get(record.interaction, "E"),
        "recorded": format_instant(record.recorded_us),
        "outcome": outcome,
        "agent": _agents(record.principal, record.address),
        "source": SOURCE,
        "entity": entities,
    }
    if record.first_us is not None and record.first_us < record.recorded_us:
        event["period"] = {
            "start": format_instant(record.first_us),
            "end": format_instant(record.recorded_us),
        }
    return event


def _loads(text: str) -> Any:
    """Parse stored JSON text; orjson is ~2x as fast as json (the flush parses every audited
    resource), and json decides whatever orjson refuses (NaN), so the result is the same."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def account_event(record: Record, account: str) -> dict[str, Any]:
    """An act on a colleague's account (who unlocked whose sign-in, when, from where)."""
    return {
        "resourceType": "AuditEvent",
        "type": _coding(
            "http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"
        ),
        "subtype": [_coding(DHO_INTERACTION_SYSTEM, record.interaction, record.interaction)],
        "action": _ACTIONS.get(record.interaction, "E"),
        "recorded": format_instant(record.recorded_us),
        "outcome": "0",
        "agent": _agents(record.principal, record.address),
        "source": SOURCE,
        "entity": [
            {
                "what": {"reference": account},
                "type": _coding(
                    "http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"
                ),
                "role": _coding(
                    "http://terminology.hl7.org/CodeSystem/object-role", "4", "Domain Resource"
                ),
            }
        ],
    }


def coalesce_pushes(records: list[Record]) -> list[Record]:
    """The live pushes among ``records`` merged into one record per agent (principal and
    address), in the order of each agent's first push; other records unchanged.

    A WebSocket pushes one batch per commit, so a console watching a busy patient left an
    AuditEvent per patient for every measurement: ten consoles made ten AuditEvents per POST,
    and storing them under the write lock was the tail of POST -> WebSocket. Merged per flush
    (every :data:`INTERVAL` s) the trail still names every pushed resource for each patient
    (as a search's does: up to :data:`MAX_ENTITIES`, the rest counted), and ``period`` says
    from when to when the pushes went out."""
    out: list[Record] = []
    merged: dict[tuple[Principal, str | None], Record] = {}
    for record in records:
        if (
            record.interaction != "live-push"
            or record.denied_patients
            or record.moves
            or record.account
        ):
            out.append(record)
            continue
        key = (record.principal, record.address)
        into = merged.get(key)
        if into is None:
            into = Record(
                record.principal,
                "live-push",
                record.address,
                resources=list(record.resources),
                recorded_us=record.recorded_us,
                first_us=record.recorded_us,
            )
            merged[key] = into
            out.append(into)
            continue
        into.resources.extend(record.resources)
        first = into.first_us if into.first_us is not None else into.recorded_us
        into.first_us = min(first, record.recorded_us)
        into.recorded_us = max(into.recorded_us, record.recorded_us)
    return out


class Pacer:
    """Hands the GIL over (``time.sleep(0)``) once ``every`` seconds of work have passed."""

    def __init__(self, every: float) -> None:
        self.every = every
        self._mark = time.perf_counter()

    def tick(self) -> None:
        now = time.perf_counter()
        if now - self._mark > self.every:
            time.sleep(0)
            self._mark = time.perf_counter()


def events_of(record: Record, pacer: Pacer | None = None) -> list[dict[str, Any]]:
    """One AuditEvent per patient touched (or denied) by ``record``; one for an account act."""
    if record.account:
        return [account_event(record, record.account)]
    if record.denied_patients:
        return [
            audit_event(record, p, [], outcome="4") for p in dict.fromkeys(record.denied_patients)
        ]
    by_patient: dict[str, dict[tuple[str, str, str | None], None]] = {}
    # The same resource pushed on two sockets of one agent is one access in the trail.
    for res_type, text in dict.fromkeys(record.resources):
        if not is_patient_data(res_type):
            continue
        if pacer is not None:
            pacer.tick()
        try:
            data = _loads(text)
        except ValueError:
            continue
        version = (data.get("meta") or {}).get("versionId")
        touched = (res_type, str(data.get("id")), str(version) if version else None)
        for patient in patients_of(res_type, data):
            by_patient.setdefault(patient, {})[touched] = None
    out = [audit_event(record, p, list(t), outcome="0") for p, t in by_patient.items()]
    for patient, before, to in record.moves:
        out.append(move_event(record, patient, before, to))
    return out


def move_event(record: Record, patient: str, before: tuple[str, ...], to: str) -> dict[str, Any]:
    """A patient given a department she did not belong to (enrolment elsewhere, a move)."""
    event = audit_event(record, patient, [], outcome="0")
    event["subtype"] = [_coding(DHO_INTERACTION_SYSTEM, "patient-move", "patient-move")]
    event["action"] = "U"
    details = [{"type": "moved-to", "valueString": f"Organization/{to}"}]
    details += [{"type": "moved-from", "valueString": f"Organization/{o}"} for o in before]
    event["entity"][0]["detail"] = [*event["entity"][0].get("detail", []), *details]
    return event


class AuditLog:
    """Collects :class:`Record` s and stores them as AuditEvents in the background."""

    def __init__(self, store: Store, *, interval: float = INTERVAL) -> None:
        self.store = store
        self.interval = interval
        self._pending: list[Record] = []
        self._retry: list[dict[str, Any]] = []  # built but not stored (the store failed)
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake: asyncio.Event | None = None
        self.written = 0

    def record(self, record: Record) -> None:
        """Queue a record (no I/O; safe from any thread)."""
        with self._lock:
            self._pending.append(record)
            many = len(self._pending) >= BATCH
        if many and self._wake is not None:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Store everything queued so far; returns the number of AuditEvents written."""
        with self._flush_lock:
            with self._lock:
                records, self._pending = self._pending, []
            events, self._retry = self._retry, []
            pacer = Pacer(YIELD_EVERY)
            for record in coalesce_pushes(records):
                events.extend(events_of(record, pacer))
            for start in range(0, len(events), WRITE_CHUNK):
                if start:
                    time.sleep(0)  # let a request waiting for the write lock take it first
                chunk = events[start : start + WRITE_CHUNK]
                try:
                    self.store.create_many([("AuditEvent", e) for e in chunk], validate=False)
                except Exception:
                    self._retry = events[start:]
                    raise
                self.written += len(chunk)
            return len(events)

    async def run(self, _service: object = None) -> None:
        """Background job: flush every ``interval`` s (sooner when a batch is full); on
        cancellation (server shutdown) flush what is left."""
        self._wake = asyncio.Event()
        try:
            while True:
                try:
                    await asyncio.wait_for(self._wake.wait(), self.interval)
                except TimeoutError:
                    pass
                self._wake.clear()
                try:
                    await to_thread.run_sync(self.flush)
                except Exception:
                    log.exception("writing AuditEvents failed; will retry")
        finally:
            try:
                self.flush()
            except Exception:
                log.exception("final AuditEvent flush failed; %d events lost", len(self._retry))
