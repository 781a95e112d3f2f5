"""Topic-based Subscriptions (FHIR R4 Subscriptions Backport IG): model, matching, numbering.

A Subscription is an ordinary stored resource whose ``criteria`` is a topic URL; its filters come
from ``backport-filter-criteria`` extensions on ``criteria`` (``Observation?organization=...``).
The :class:`SubscriptionHub` of each API process

- keeps the active Subscriptions in memory (it sees every Subscription change on the broker,
  including those other workers make, through the fan-out bridge);
- numbers the changes *this* process commits, per subscription, in one small transaction per
  batch: ``subscription_state.events`` is the counter (its row lock makes numbers contiguous and
  in commit order even with several writers) and ``subscription_event`` keeps every number with
  the ``seq`` of the resource version, so ``$events`` can replay exactly what a client missed;
  on PostgreSQL the same transaction sends ``NOTIFY`` so other workers deliver it too;
- hands numbered events to the WebSocket bindings of this process (``subscription_api``), which
  fill any gap in the numbers from the database, so a binding never skips a number.

A create is numbered inside its own transaction, just before it commits
(:meth:`SubscriptionHub.inside_write`, through ``Store.create_groups``): its events and their
numbers are committed together, and on PostgreSQL the NOTIFY goes with that commit. Other
changes (updates, deletes, conditional creates) are numbered right after their commit, not inside
it: a process killed between the two commits loses those events for subscriptions (REST
catch-up by ``_lastUpdated`` still finds them). That window is one transaction long.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qsl

from anyio import to_thread
from sqlalchemy import Connection, delete, select

from server.api.broker import Broker, ChangeEvent
from server.clock import process_now_us
from server.store import Store
from server.store.errors import BadRequest, FhirError, InvalidResource
from server.store.fhirtime import format_instant, parse_instant_us
from server.store.registry import RESOURCE_TYPES
from server.store.schema import (
    idx_reference,
    resource,
    resource_history,
    subscription_event,
    subscription_state,
    subscription_token,
)

log = logging.getLogger("dho.subscriptions")

TOPIC_URL = "http://dho.example/fhir/SubscriptionTopic/resource-changes"
TOPIC_ID = "resource-changes"
BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
EXT_FILTER = f"{BACKPORT}/backport-filter-criteria"
EXT_CONTENT = f"{BACKPORT}/backport-payload-content"
EXT_HEARTBEAT = f"{BACKPORT}/backport-heartbeat-period"
EXT_MAX_COUNT = f"{BACKPORT}/backport-max-count"
EXT_FILTER_BY = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Subscription.filterBy"
PROFILE_STATUS = f"{BACKPORT}/backport-subscription-status-r4"
PROFILE_NOTIFICATION = f"{BACKPORT}/backport-subscription-notification-r4"

CONTENTS = ("empty", "id-only", "full-resource")
DEFAULT_CONTENT = "full-resource"
DEFAULT_MAX_COUNT = 100  # events per notification Bundle
MAX_MAX_COUNT = 1000
MAX_HEARTBEAT = 3600.0
FILTER_PARAMS = ("resource-type", "organization", "patient")
#: Types the topic reports when a Subscription names none (audit trail and the Subscriptions
#: themselves only when asked for explicitly).
DEFAULT_TYPES = frozenset(RESOURCE_TYPES) - {"AuditEvent", "Subscription"}
#: EpisodeOfCare statuses that tie a patient to its department.
EPISODE_LIVE = frozenset({"planned", "waitlist", "active", "onhold"})
PATIENT_REFS = ("subject", "for", "patient", "beneficiary")

NOTIFY_LIMIT = 7000  # bytes per NOTIFY payload (PostgreSQL's limit is 8000)
BINDING_BUFFER = 5000  # queued events per binding before it resyncs from the database


# ----- the Subscription resource ------------------------------------------------------------


def ref_id(value: Any, expected: str) -> str | None:
    """``Type/id``, an absolute URL ending so, or a bare id → the id (None if another type)."""
    if isinstance(value, dict):
        value = value.get("reference")
    if not isinstance(value, str) or not value:
        return None
    parts = value.rstrip("/").split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[-2] != expected:
        # ".../Observation/x/_history/2" and other shapes are not references to ``expected``
        return None
    return parts[-1]


@dataclass(frozen=True, slots=True)
class Filter:
    param: str  # "organization" | "patient"
    values: frozenset[str]

    def check(self, facts: EventFacts) -> bool:
        if self.param == "organization":
            return not self.values.isdisjoint(facts.departments())
        return facts.patient() in self.values


@dataclass(frozen=True, slots=True)
class Criteria:
    types: frozenset[str]
    common: tuple[Filter, ...] = ()
    by_type: Mapping[str, tuple[Filter, ...]] = field(default_factory=dict)

    def matches(self, facts: EventFacts) -> bool:
        res_type = facts.event.res_type
        if res_type not in self.types:
            return False
        for f in self.common:
            if not f.check(facts):
                return False
        specific = self.by_type.get(res_type)
        if specific:
            for f in specific:
                if not f.check(facts):
                    return False
        return True


@dataclass(frozen=True, slots=True)
class SubscriptionSpec:
    id: str
    status: str
    topic: str
    criteria: Criteria
    content: str
    heartbeat: float | None  # None: the server's default period
    max_count: int
    filters: tuple[str, ...]  # as written, for $status and errors


def _bad(message: str, path: str) -> InvalidResource:
    return InvalidResource(message, code="value", expression=[path])


def parse_filter(textual: str) -> tuple[str | None, list[tuple[str, frozenset[str]]]]:
    """``[Type?]param=v1,v2&param=...`` → (type or None, [(param, values)])."""
    where = "Subscription.criteria.extension"
    res_type: str | None = None
    query = textual.strip()
    if "?" in query:
        res_type, query = query.split("?", 1)
        res_type = res_type.rsplit("/", 1)[-1]
        if res_type not in RESOURCE_TYPES:
            raise _bad(f"filter {textual!r}: unknown resource type {res_type!r}", where)
    if not query:
        raise _bad(f"filter {textual!r} has no parameters", where)
    out: list[tuple[str, frozenset[str]]] = []
    for name, raw in parse_qsl(query, keep_blank_values=True):
        values = [v.strip() for v in raw.split(",") if v.strip()]
        if not values:
            raise _bad(f"filter {textual!r}: {name} has no value", where)
        if name in ("resource-type", "_type"):
            unknown = [v for v in values if v not in RESOURCE_TYPES]
            if unknown:
                raise _bad(f"filter {textual!r}: unknown resource type(s) {unknown}", where)
            out.append(("resource-type", frozenset(values)))
        elif name in ("organization", "patient"):
            target = "Organization" if name == "organization" else "Patient"
            ids = [ref_id(v, target) for v in values]
            if any(i is None for i in ids):
                raise _bad(f"filter {textual!r}: {name} must refer to a {target}", where)
            out.append((name, frozenset(i for i in ids if i)))
        else:
            raise _bad(
                f"filter {textual!r}: unsupported filter parameter {name!r}; the topic "
                f"{TOPIC_URL} can filter by {', '.join(FILTER_PARAMS)}",
                where,
            )
    return res_type, out


def build_criteria(filters: Sequence[str]) -> Criteria:
    """The filters are ANDed; ``Type?`` filters apply to that type and select it."""
    types: set[str] | None = None
    prefixed: set[str] = set()
    common: list[Filter] = []
    by_type: dict[str, list[Filter]] = {}
    for textual in filters:
        res_type, parts = parse_filter(textual)
        for name, values in parts:
            if name == "resource-type":
                types = set(values) if types is None else types & values
                continue
            f = Filter(name, values)
            if res_type is None:
                common.append(f)
            else:
                by_type.setdefault(res_type, []).append(f)
        if res_type is not None:
            prefixed.add(res_type)
    if types is None:
        types = prefixed or set(DEFAULT_TYPES)
    if not types:
        raise _bad("the resource-type filters exclude every type", "Subscription.criteria")
    return Criteria(frozenset(types), tuple(common), {k: tuple(v) for k, v in by_type.items()})


def _extensions(element: Any, url: str) -> list[dict[str, Any]]:
    if not isinstance(element, dict):
        return []
    exts = element.get("extension")
    if not isinstance(exts, list):
        return []
    return [e for e in exts if isinstance(e, dict) and e.get("url") == url]


def _filter_by(body: Mapping[str, Any]) -> list[str]:
    """R5 ``filterBy`` as the cross-version extension → ``Type?param=value`` strings."""
    out = []
    for ext in _extensions(body, EXT_FILTER_BY):
        parts = {
            e.get("url"): next((v for k, v in e.items() if k.startswith("value")), None)
            for e in ext.get("extension", [])
            if isinstance(e, dict)
        }
        param, value = parts.get("filterParameter"), parts.get("value")
        if not isinstance(param, str) or not isinstance(value, str):
            raise _bad("filterBy needs filterParameter and value", "Subscription.extension")
        comparator = parts.get("comparator") or parts.get("modifier")
        if comparator not in (None, "eq"):
            raise _bad(f"filterBy comparator {comparator!r} is not supported", "Subscription")
        res_type = parts.get("resourceType")
        prefix = f"{str(res_type).rsplit('/', 1)[-1]}?" if res_type else ""
        out.append(f"{prefix}{param}={value}")
    return out


def parse_subscription(body: Any, res_id: str = "", *, creating: bool = False) -> SubscriptionSpec:
    """Validate a backport-profile Subscription; 400 for a wrong shape, 422 for bad content."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object (a Subscription)", code="structure")
    if body.get("resourceType") != "Subscription":
        raise BadRequest(f"resourceType must be 'Subscription', not {body.get('resourceType')!r}")
    status = body.get("status")
    allowed = ("requested", "active") if creating else ("requested", "active", "error", "off")
    if status not in allowed:
        raise _bad(
            f"status must be one of {', '.join(allowed)}, not {status!r}", "Subscription.status"
        )
    topic = body.get("criteria")
    if topic != TOPIC_URL:
        raise InvalidResource(
            f"criteria must be a SubscriptionTopic this server offers ({TOPIC_URL}), not {topic!r}",
            code="not-supported",
            expression=["Subscription.criteria"],
        )
    channel = body.get("channel")
    if not isinstance(channel, dict):
        raise InvalidResource("channel is required", expression=["Subscription.channel"])
    if channel.get("type") != "websocket":
        raise InvalidResource(
            f"channel.type {channel.get('type')!r} is not supported; use 'websocket' "
            "(bind with $get-ws-binding-token)",
            code="not-supported",
            expression=["Subscription.channel.type"],
        )
    payload = channel.get("payload")
    if payload is not None and (not isinstance(payload, str) or "json" not in payload):
        raise _bad(
            f"channel.payload must be application/fhir+json, not {payload!r}",
            "Subscription.channel.payload",
        )
    content = DEFAULT_CONTENT
    for ext in _extensions(channel.get("_payload"), EXT_CONTENT):
        content = ext.get("valueCode", "")
        if content not in CONTENTS:
            raise _bad(
                f"payload content must be one of {', '.join(CONTENTS)}, not {content!r}",
                "Subscription.channel.payload.extension",
            )
    heartbeat: float | None = None
    for ext in _extensions(channel, EXT_HEARTBEAT):
        value = ext.get("valueUnsignedInt", ext.get("valueDecimal"))
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not 0 < value <= MAX_HEARTBEAT
        ):
            raise _bad(
                f"heartbeat period must be 1..{MAX_HEARTBEAT:g} seconds, not {value!r}",
                "Subscription.channel.extension",
            )
        heartbeat = float(value)
    max_count = DEFAULT_MAX_COUNT
    for ext in _extensions(channel, EXT_MAX_COUNT):
        value = ext.get("valuePositiveInt")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise _bad(f"max count must be a positive integer, not {value!r}", "Subscription")
        max_count = min(value, MAX_MAX_COUNT)
    end = body.get("end")
    if end is not None:
        try:
            end_us = parse_instant_us(end) if isinstance(end, str) else -1
        except Exception as exc:
            raise _bad(f"end is not an instant: {end!r}", "Subscription.end") from exc
        if creating and end_us <= time.time_ns() // 1000:
            raise _bad(f"end {end!r} is in the past", "Subscription.end")
    filters = [e.get("valueString") for e in _extensions(body.get("_criteria"), EXT_FILTER)]
    if any(not isinstance(f, str) for f in filters):
        raise _bad("filter criteria must be valueString", "Subscription.criteria.extension")
    all_filters = [str(f) for f in filters] + _filter_by(body)
    return SubscriptionSpec(
        id=res_id,
        status="active" if creating else str(status),
        topic=TOPIC_URL,
        criteria=build_criteria(all_filters),
        content=content,
        heartbeat=heartbeat,
        max_count=max_count,
        filters=tuple(all_filters),
    )


def topic_resource(base: str) -> dict[str, Any]:
    """The topic, shaped as an R4B/R5 SubscriptionTopic (R4 has no such resource) **(dho)**."""
    return {
        "resourceType": "SubscriptionTopic",
        "id": TOPIC_ID,
        "url": TOPIC_URL,
        "title": "Resource changes",
        "status": "active",
        "description": (
            "Every create, update and delete of the resources the response centre follows. "
            "Filter by resource-type, by organization (the department: Patient and "
            "EpisodeOfCare by managingOrganization, everything about a patient by the "
            "departments of the patient's open EpisodeOfCare) and by patient."
        ),
        "resourceTrigger": [
            {
                "resource": f"http://hl7.org/fhir/StructureDefinition/{name}",
                "supportedInteraction": ["create", "update", "delete"],
            }
            for name in sorted(DEFAULT_TYPES)
        ],
        "canFilterBy": [
            {
                "filterParameter": "resource-type",
                "description": "Comma-separated resource types (or prefix a filter: Task?...)",
            },
            {
                "filterParameter": "organization",
                "description": "Organization/<department>[,Organization/<other>] (any of)",
            },
            {"filterParameter": "patient", "description": "Patient/<id>[,...] (any of)"},
        ],
        "extension": [{"url": f"{base}/StructureDefinition/topic-base", "valueUrl": base}],
    }


# ----- facts about one change, computed lazily for filters ----------------------------------


class Departments:
    """Which departments (Organization ids) each patient belongs to; thread-safe cache.

    Loaded from the database on first use, then kept current from the change stream
    (``observe``, for this and other workers' changes); unknown patients are looked up.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.RLock()
        self._loaded = False
        self._episodes: dict[str, tuple[str, str, bool]] = {}  # id → (patient, dept, live)
        self._patient_episodes: dict[str, set[str]] = {}
        self._patient_org: dict[str, str | None] = {}

    def _apply_episode(self, eid: str, res: Mapping[str, Any] | None) -> None:
        old = self._episodes.pop(eid, None)
        if old is not None:
            self._patient_episodes.get(old[0], set()).discard(eid)
        if res is None:
            return
        patient = ref_id(res.get("patient"), "Patient")
        dept = ref_id(res.get("managingOrganization"), "Organization")
        if patient and dept:
            self._episodes[eid] = (patient, dept, res.get("status") in EPISODE_LIVE)
            self._patient_episodes.setdefault(patient, set()).add(eid)

    def _apply_patient(self, pid: str, res: Mapping[str, Any] | None) -> None:
        self._patient_org[pid] = (
            ref_id(res.get("managingOrganization"), "Organization") if res else None
        )

    def _load(self) -> None:
        with self._store.reading() as conn:
            rows = conn.execute(
                select(resource.c.res_type, resource.c.res_id, resource.c.data).where(
                    resource.c.res_type.in_(("EpisodeOfCare", "Patient")),
                    resource.c.deleted.is_(False),
                )
            ).all()
        for res_type, res_id, data in rows:
            res = _loads(data)
            if res_type == "EpisodeOfCare":
                self._apply_episode(res_id, res)
            else:
                self._apply_patient(res_id, res)
        self._loaded = True

    def observe(self, event: ChangeEvent) -> None:
        if event.res_type not in ("EpisodeOfCare", "Patient"):
            return
        with self._lock:
            if not self._loaded:
                return  # the load will read the committed state
            res = None if event.action == "delete" else _loads(event.data)
            if event.res_type == "EpisodeOfCare":
                self._apply_episode(event.res_id, res)
            else:
                self._apply_patient(event.res_id, res)

    def _look_up(self, pid: str) -> None:
        r, ref = resource.c, idx_reference.c
        with self._store.reading() as conn:
            patient = conn.execute(
                select(r.data).where(r.res_type == "Patient", r.res_id == pid, r.deleted.is_(False))
            ).scalar()
            episodes = conn.execute(
                select(r.res_id, r.data).where(
                    r.res_type == "EpisodeOfCare",
                    r.deleted.is_(False),
                    r.pk.in_(
                        select(ref.res_pk).where(
                            ref.res_type == "EpisodeOfCare",
                            ref.param == "patient",
                            ref.target_id == pid,
                        )
                    ),
                )
            ).all()
        self._apply_patient(pid, _loads(patient) if patient else None)
        for eid, data in episodes:
            self._apply_episode(eid, _loads(data))

    def of_patient(self, pid: str) -> frozenset[str]:
        with self._lock:
            if not self._loaded:
                self._load()
            if pid not in self._patient_org and pid not in self._patient_episodes:
                self._look_up(pid)
            depts = {
                self._episodes[e][1]
                for e in self._patient_episodes.get(pid, ())
                if self._episodes[e][2]
            }
            org = self._patient_org.get(pid)
            if org:
                depts.add(org)
            return frozenset(depts)


def _loads(data: str | None) -> dict[str, Any]:
    if not data:
        return {}
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class EventFacts:
    """The patient and departments of one change, parsed at most once for all subscriptions."""

    __slots__ = ("_depts", "_patient", "_res", "departments_index", "event")

    def __init__(self, event: ChangeEvent, departments_index: Departments) -> None:
        self.event = event
        self.departments_index = departments_index
        self._res: dict[str, Any] | None = None
        self._patient: str | bool | None = False
        self._depts: frozenset[str] | None = None

    def resource(self) -> dict[str, Any]:
        if self._res is None:
            self._res = _loads(self.event.data)
        return self._res

    def patient(self) -> str | None:
        if self._patient is False:
            ev = self.event
            if ev.res_type == "Patient":
                self._patient = ev.res_id
            else:
                res = self.resource()
                self._patient = next(
                    (p for k in PATIENT_REFS if (p := ref_id(res.get(k), "Patient"))), None
                )
        return self._patient if isinstance(self._patient, str) else None

    def departments(self) -> frozenset[str]:
        if self._depts is None:
            ev = self.event
            res = self.resource()
            own = ref_id(res.get("managingOrganization"), "Organization")
            if ev.res_type == "Organization":
                self._depts = frozenset({ev.res_id})
            elif ev.res_type == "EpisodeOfCare":
                self._depts = frozenset({own} if own else ())
            else:
                pid = self.patient()
                depts = self.departments_index.of_patient(pid) if pid else frozenset()
                self._depts = depts | {own} if own else depts
        return self._depts


# ----- notification Bundles (string-built: resources are never re-serialised) ---------------

Numbered = tuple[int, ChangeEvent]


def _request(ev: ChangeEvent) -> tuple[str, str, str]:
    if ev.action == "delete":
        return "DELETE", f"{ev.res_type}/{ev.res_id}", "204"
    if ev.action == "create":
        return "POST", ev.res_type, "201"
    return "PUT", f"{ev.res_type}/{ev.res_id}", "200"


def status_parameters(
    base: str,
    spec: SubscriptionSpec,
    kind: str,
    events_since: int,
    numbered: Sequence[Numbered] = (),
    *,
    content: str | None = None,
    status: str | None = None,
    hidden: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """The R4 backport SubscriptionStatus (a Parameters resource).

    ``hidden`` event numbers (outside the reader's departments) keep their number and timestamp
    but lose their focus, so the numbering stays gap-free without saying what changed.
    """
    content = content or spec.content
    params: list[dict[str, Any]] = [
        {"name": "subscription", "valueReference": {"reference": f"{base}/Subscription/{spec.id}"}},
        {"name": "topic", "valueCanonical": spec.topic},
        {"name": "status", "valueCode": status or spec.status},
        {"name": "type", "valueCode": kind},
        {"name": "events-since-subscription-start", "valueString": str(events_since)},
    ]
    for number, ev in numbered:
        part: list[dict[str, Any]] = [
            {"name": "event-number", "valueString": str(number)},
            {"name": "timestamp", "valueInstant": ev.last_updated},
        ]
        if content != "empty" and number not in hidden:
            part.append(
                {
                    "name": "focus",
                    "valueReference": {"reference": f"{base}/{ev.res_type}/{ev.res_id}"},
                }
            )
        params.append({"name": "notification-event", "part": part})
    return {
        "resourceType": "Parameters",
        "id": _uuid(),
        "meta": {"profile": [PROFILE_STATUS]},
        "parameter": params,
    }


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def notification_bundle(
    base: str,
    spec: SubscriptionSpec,
    kind: str,
    events_since: int,
    numbered: Sequence[Numbered] = (),
    *,
    content: str | None = None,
    status: str | None = None,
    hidden: frozenset[int] = frozenset(),
) -> str:
    """A ``history`` Bundle: the SubscriptionStatus first, then one entry per visible event."""
    content = content or spec.content
    params = status_parameters(
        base, spec, kind, events_since, numbered, content=content, status=status, hidden=hidden
    )
    head = json.dumps(
        {
            "resourceType": "Bundle",
            "id": _uuid(),
            "meta": {"profile": [PROFILE_NOTIFICATION]},
            "type": "history",
            "timestamp": format_instant(process_now_us()),  # the server clock
        },
        ensure_ascii=False,
    )[:-1]
    entries = [
        json.dumps(
            {
                "fullUrl": f"urn:uuid:{params['id']}",
                "resource": params,
                "request": {"method": "GET", "url": f"{base}/Subscription/{spec.id}/$status"},
                "response": {"status": "200"},
            },
            ensure_ascii=False,
        )
    ]
    if content != "empty":
        for number, ev in numbered:
            if number in hidden:
                continue
            method, url, code = _request(ev)
            body = f',"resource":{ev.data}' if content == "full-resource" and ev.data else ""
            entries.append(
                f'{{"fullUrl":"{base}/{ev.res_type}/{ev.res_id}"{body},'
                f'"request":{{"method":"{method}","url":"{url}"}},'
                f'"response":{{"status":"{code}","etag":"W/\\"{ev.version_id}\\"",'
                f'"lastModified":"{ev.last_updated}"}}}}'
            )
    return head + ',"entry":[' + ",".join(entries) + "]}"


def hidden_events(store: Store, items: Sequence[Numbered], orgs: frozenset[str]) -> frozenset[int]:
    """Numbers of the events about patients outside ``orgs`` (the reader's departments).

    The same rules as reads (``server.auth``): patient data is visible when one of its patients
    belongs to the departments; patient data about no patient only when its type allows that.
    Blocking (one indexed query per batch); run it in a worker thread.
    """
    from server.auth.scope import COMPARTMENTS, is_patient_data, patients_in_scope, patients_of

    hidden: set[int] = set()
    wanted: dict[int, list[str]] = {}
    for number, ev in items:
        if not is_patient_data(ev.res_type):
            continue
        res = _loads(ev.data)
        if not res:
            hidden.add(number)  # nothing to check it against (a deletion): say nothing
            continue
        patients = patients_of(ev.res_type, res)
        if patients:
            wanted[number] = patients
        elif ev.res_type == "Patient" or COMPARTMENTS[ev.res_type].always:
            hidden.add(number)
    if wanted:
        every = sorted({p for ps in wanted.values() for p in ps})
        allowed = patients_in_scope(store, every, orgs)
        hidden.update(n for n, ps in wanted.items() if allowed.isdisjoint(ps))
    return frozenset(hidden)


# ----- database -----------------------------------------------------------------------------


def _ranges(seqs: Iterable[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for s in sorted(set(seqs)):
        if out and out[-1][1] == s - 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


#: An event is carried in the NOTIFY itself when its item is at most this many bytes; a larger
#: one goes as its seq, and the other workers read it back.
INLINE_LIMIT = 3000


def notify_payloads(
    origin: str,
    events: Iterable[ChangeEvent | int],
    numbered: Mapping[str, Sequence[Numbered]],
) -> list[str]:
    """The JSON messages telling the other workers of a commit, each under NOTIFY_LIMIT bytes.

    An event small enough goes whole (``e``: seq, action, type, id, version, lastUpdated, the
    stored text), so the worker that hears it need not read it back (a thread hop and a query
    per commit, on both cores' time); a larger one, or a bare seq, goes as a range (``q``).
    Each subscription's new numbers (``n``) carry the seqs they number, so a receiver that has
    those events builds the notifications without reading ``subscription_event``."""
    items: list[tuple[str, Any, int]] = []
    seqs: list[int] = []
    for ev in events:
        if isinstance(ev, int):
            seqs.append(ev)
            continue
        item = [ev.seq, ev.action, ev.res_type, ev.res_id, ev.version_id, ev.last_updated, ev.data]
        size = len(json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode()) + 1
        if size <= INLINE_LIMIT:
            items.append(("e", item, size))
        else:
            seqs.append(ev.seq)
    items += [("q", r, len(json.dumps(r)) + 1) for r in _ranges(seqs)]
    for sub, nums in numbered.items():
        if not nums:
            continue
        entry: list[Any] = [sub, nums[0][0], nums[-1][0]]  # numbers are consecutive
        with_seqs = [*entry, [ev.seq for _, ev in nums]]
        if len(json.dumps(with_seqs)) < NOTIFY_LIMIT // 4:
            entry = with_seqs
        items.append(("n", entry, len(json.dumps(entry)) + 1))
    out: list[str] = []

    def emit(current: dict[str, list[Any]]) -> None:
        body = {"o": origin, "q": current["q"], "n": current["n"]}
        if current["e"]:
            body["e"] = current["e"]
        out.append(json.dumps(body, ensure_ascii=False, separators=(",", ":")))

    current: dict[str, list[Any]] = {"q": [], "n": [], "e": []}
    size = 0
    for key, value, piece in items:
        if size + piece > NOTIFY_LIMIT - 100 and any(current.values()):
            emit(current)
            current, size = {"q": [], "n": [], "e": []}, 0
        current[key].append(value)
        size += piece
    if any(current.values()):
        emit(current)
    return out


def _action(version_id: int, deleted: bool) -> str:
    return "delete" if deleted else ("create" if version_id == 1 else "update")


def events_by_seq(conn: Connection, seqs: Sequence[int]) -> dict[int, ChangeEvent]:
    """The resource versions with these change numbers (current or superseded)."""
    found: dict[int, ChangeEvent] = {}
    wanted = sorted(set(seqs))
    for table in (resource, resource_history):
        missing = [s for s in wanted if s not in found]
        for i in range(0, len(missing), 500):
            chunk = missing[i : i + 500]
            c = table.c
            rows = conn.execute(
                select(
                    c.seq, c.res_type, c.res_id, c.version_id, c.last_updated, c.deleted, c.data
                ).where(c.seq.in_(chunk))
            ).all()
            for row in rows:
                found[row.seq] = ChangeEvent(
                    row.seq,
                    _action(row.version_id, bool(row.deleted)),
                    row.res_type,
                    row.res_id,
                    row.version_id,
                    format_instant(row.last_updated),
                    "" if row.deleted else row.data,
                )
        if len(found) == len(wanted):
            break
    return found


def events_in_ranges(conn: Connection, ranges: Sequence[Sequence[int]]) -> list[ChangeEvent]:
    seqs = [s for a, b in ranges for s in range(int(a), int(b) + 1)]
    found = events_by_seq(conn, seqs)
    return [found[s] for s in sorted(found)]


def replay(
    conn: Connection, sub_id: str, first: int, last: int, *, with_data: bool, limit: int = 1000
) -> list[Numbered]:
    """Events ``first``..``last`` (inclusive) of a subscription, in order, at most ``limit``."""
    e = subscription_event.c
    rows = conn.execute(
        select(e.event_number, e.seq, e.res_type, e.res_id, e.version_id, e.action, e.timestamp)
        .where(e.sub_id == sub_id, e.event_number >= first, e.event_number <= last)
        .order_by(e.event_number)
        .limit(limit)
    ).all()
    data: dict[int, ChangeEvent] = {}
    if with_data and rows:
        data = events_by_seq(conn, [r.seq for r in rows])
    out: list[Numbered] = []
    for r in rows:
        found = data.get(r.seq)
        out.append(
            (
                r.event_number,
                ChangeEvent(
                    r.seq,
                    r.action,
                    r.res_type,
                    r.res_id,
                    r.version_id,
                    r.timestamp,
                    found.data if found is not None else "",
                ),
            )
        )
    return out


def event_count(conn: Connection, sub_id: str) -> int:
    n = conn.execute(
        select(subscription_state.c.events).where(subscription_state.c.sub_id == sub_id)
    ).scalar()
    return int(n or 0)


def ensure_state(conn: Connection, sub_id: str) -> None:
    insert: Any
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    conn.execute(
        insert(subscription_state).values(sub_id=sub_id, events=0).on_conflict_do_nothing()
    )


def _bump(conn: Connection, sub_id: str, k: int) -> int:
    """Reserve ``k`` numbers; the row stays locked (serialising other writers) until commit.

    Plain driver SQL: building Core statements per call cost more than running them.
    """
    ph = "?" if conn.dialect.name == "sqlite" else "%s"
    sql = (
        f"UPDATE subscription_state SET events = events + {ph} WHERE sub_id = {ph} RETURNING events"
    )
    last = conn.exec_driver_sql(sql, (k, sub_id)).scalar()
    if last is None:
        ensure_state(conn, sub_id)
        last = conn.exec_driver_sql(sql, (k, sub_id)).scalar_one()
    return int(last)


def _bump_many(conn: Connection, counts: Mapping[str, int]) -> dict[str, int]:
    """``_bump`` for several subscriptions in two statements (lock in id order, then add)."""
    ids = sorted(counts)
    if len(ids) == 1:
        return {ids[0]: _bump(conn, ids[0], counts[ids[0]])}
    sqlite = conn.dialect.name == "sqlite"
    ph = "?" if sqlite else "%s"
    case = " ".join(f"WHEN {ph} THEN {ph}" for _ in ids)
    if sqlite:
        sql = (
            f"UPDATE subscription_state SET events = events + CASE sub_id {case} ELSE 0 END "
            f"WHERE sub_id IN ({', '.join([ph] * len(ids))}) RETURNING sub_id, events"
        )
    else:
        # The rows are locked in one order for every writer (no deadlocks), by the CTE, which
        # runs first, in the same round trip as the update.
        sql = (
            "WITH locked AS (SELECT sub_id FROM subscription_state WHERE sub_id = ANY(%s) "
            "ORDER BY sub_id FOR UPDATE) "
            f"UPDATE subscription_state SET events = events + CASE sub_id {case} ELSE 0 END "
            "WHERE sub_id IN (SELECT sub_id FROM locked) RETURNING sub_id, events"
        )
    params: list[Any] = [x for i in ids for x in (i, counts[i])]
    params = [ids, *params] if not sqlite else [*params, *ids]
    out = {str(r[0]): int(r[1]) for r in conn.exec_driver_sql(sql, tuple(params))}
    for missing in (i for i in ids if i not in out):
        out[missing] = _bump(conn, missing, counts[missing])
    return out


_INSERT_EVENTS = (
    "INSERT INTO subscription_event "
    "(sub_id, event_number, seq, res_type, res_id, version_id, action, timestamp) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)  # PostgreSQL's placeholders; SQLite's are put in by _insert_events


def _insert_events(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    ph = "?" if conn.dialect.name == "sqlite" else "%s"
    conn.exec_driver_sql(_INSERT_EVENTS % ((ph,) * 8), rows)


#: Types whose creation changes what a batch matches (department index, active Subscriptions).
ANNOUNCED_FIRST: Final = frozenset({"EpisodeOfCare", "Patient", "Subscription"})
#: What numbering inside a create's transaction did: the seqs it covered, and the numbers.
InsideNumbers = tuple[frozenset[int], dict[str, list[Numbered]]]


@dataclass(frozen=True, slots=True)
class TokenGrant:
    sub_ids: tuple[str, ...]
    scope: Any


def issue_token(
    conn: Connection, token: str, sub_ids: Sequence[str], expires_us: int, scope: Any
) -> None:
    now = time.time_ns() // 1000
    conn.execute(delete(subscription_token).where(subscription_token.c.expires < now - 60e6))
    conn.execute(
        subscription_token.insert().values(
            token=token,
            sub_ids=",".join(sub_ids),
            expires=expires_us,
            scope=None if scope is None else json.dumps(scope),
        )
    )


def consume_token(conn: Connection, token: str) -> TokenGrant | None:
    """Single use: the row is deleted; None if unknown, used or expired."""
    t = subscription_token.c
    row = conn.execute(select(t.sub_ids, t.expires, t.scope).where(t.token == token)).first()
    if row is None:
        return None
    gone = conn.execute(delete(subscription_token).where(t.token == token)).rowcount
    if gone != 1 or row.expires <= time.time_ns() // 1000:
        return None
    scope = json.loads(row.scope) if row.scope else None
    return TokenGrant(tuple(s for s in row.sub_ids.split(",") if s), scope)


# ----- live delivery to the WebSocket bindings of this process ------------------------------


class Binding:
    """One Subscription bound on one WebSocket: a bounded queue of numbered events."""

    def __init__(self, spec: SubscriptionSpec, wake: asyncio.Event) -> None:
        self.spec = spec
        self.wake = wake
        self.last_sent = 0
        self.last_frame = 0.0
        self.resync = False
        self.ended = False
        #: The departments of whoever asked for the binding token (None: unrestricted).
        self.scope: frozenset[str] | None = None
        self._queue: deque[Numbered] = deque()

    def offer(self, items: Sequence[Numbered]) -> None:
        if self.resync:
            return
        if len(self._queue) + len(items) > BINDING_BUFFER:
            self._queue.clear()
            self.resync = True  # the session refills from the database
        else:
            self._queue.extend(items)
        self.wake.set()

    def take(self) -> list[Numbered]:
        items = list(self._queue)
        self._queue.clear()
        return items


class SubscriptionHub:
    """Registry of active Subscriptions, per-subscription numbering, and local delivery."""

    def __init__(
        self,
        store: Store,
        broker: Broker,
        *,
        default_heartbeat: float = 10.0,
        token_ttl: float = 60.0,
    ) -> None:
        self.store = store
        self.broker = broker
        self.default_heartbeat = default_heartbeat
        self.token_ttl = token_ttl
        self.departments = Departments(store)
        self.origin = _uuid()
        #: Set by the fan-out bridge on PostgreSQL: numbering transactions NOTIFY it.
        self.notify_channel: str | None = None
        self._specs: dict[str, SubscriptionSpec] = {}
        self._bindings: dict[str, set[Binding]] = {}
        self._pending: list[ChangeEvent] = []
        #: Seqs of the batch :meth:`publish_numbered` is announcing: numbered already.
        self._numbered: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        #: Seconds spent numbering (for measurements) and batches numbered.
        self.numbering_seconds = 0.0
        self.numbering_batches = 0

    # -- lifecycle --

    async def start(self) -> None:
        self._wake = asyncio.Event()
        stored = await to_thread.run_sync(self.store.all_of_type, "Subscription")
        for res in stored:
            self._register(res)
        if self._specs:
            await to_thread.run_sync(self._ensure_states, list(self._specs))
        self.broker.add_listener(self._on_publish)
        self._task = asyncio.create_task(self._numbering(), name="subscription-numbering")

    async def stop(self) -> None:
        self.broker.remove_listener(self._on_publish)
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(task, 3.0)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _ensure_states(self, ids: list[str]) -> None:
        with self.store.engine.begin() as conn:
            for sub_id in ids:
                ensure_state(conn, sub_id)

    # -- registry --

    def spec(self, sub_id: str) -> SubscriptionSpec | None:
        return self._specs.get(sub_id)

    @property
    def active(self) -> list[SubscriptionSpec]:
        return list(self._specs.values())

    def _register(self, res: Mapping[str, Any]) -> None:
        sub_id = str(res.get("id", ""))
        try:
            spec = parse_subscription(res, sub_id)
        except FhirError as exc:
            log.warning("Subscription/%s is not usable: %s", sub_id, exc.diagnostics)
            self._unregister(sub_id)
            return
        if spec.status != "active":
            self._unregister(sub_id)
            return
        self._specs[sub_id] = spec
        for binding in self._bindings.get(sub_id, ()):
            binding.spec = spec

    def _unregister(self, sub_id: str) -> None:
        self._specs.pop(sub_id, None)
        for binding in self._bindings.pop(sub_id, set()):
            binding.ended = True
            binding.wake.set()

    def _on_publish(self, batch: list[ChangeEvent], local: bool) -> None:
        for ev in batch:
            if ev.res_type == "Subscription":
                if ev.action == "delete" or not ev.data:
                    self._unregister(ev.res_id)
                else:
                    self._register(_loads(ev.data))
            elif ev.res_type in ("EpisodeOfCare", "Patient"):
                self.departments.observe(ev)
        if local and (self._specs or self.notify_channel):
            fresh = [ev for ev in batch if ev.seq not in self._numbered]
            if fresh:
                self._pending.extend(fresh)
                self._wake.set()

    # -- numbering (the writing process) --

    async def _numbering(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._pending:
                if self._stopping:
                    return
                continue
            batch, self._pending = self._pending, []
            specs = list(self._specs.values())
            numbered: dict[str, list[Numbered]] = {}
            for attempt in range(3):
                try:
                    t0 = time.perf_counter()
                    numbered = await to_thread.run_sync(self.number, specs, batch)
                    self.numbering_seconds += time.perf_counter() - t0
                    self.numbering_batches += 1
                    break
                except Exception:
                    log.exception("numbering %d changes failed (attempt %d)", len(batch), attempt)
                    await asyncio.sleep(0.2 * (attempt + 1))
            for sub_id, items in numbered.items():
                self.deliver(sub_id, items)
            if self._stopping and not self._pending:
                return

    def number(
        self, specs: Sequence[SubscriptionSpec], batch: Sequence[ChangeEvent]
    ) -> dict[str, list[Numbered]]:
        """Match, number and record one batch (worker thread); NOTIFY other workers."""
        matched = self._match(specs, batch)
        channel = self.notify_channel
        if not matched:
            if channel is not None:  # nothing to number: the other workers' NOTIFY alone
                self.store.notify(channel, notify_payloads(self.origin, batch, {}))
            return {}
        with self.store.engine.begin() as conn:
            return self._number_on(conn, matched, batch, channel)

    def _match(
        self, specs: Sequence[SubscriptionSpec], batch: Sequence[ChangeEvent]
    ) -> dict[str, list[ChangeEvent]]:
        matched: dict[str, list[ChangeEvent]] = {}
        if specs:
            facts = [EventFacts(ev, self.departments) for ev in batch]
            for spec in specs:
                hits = [f.event for f in facts if spec.criteria.matches(f)]
                if hits:
                    matched[spec.id] = hits
        return matched

    def _number_on(
        self,
        conn: Connection,
        matched: Mapping[str, list[ChangeEvent]],
        batch: Sequence[ChangeEvent],
        channel: str | None,
    ) -> dict[str, list[Numbered]]:
        """Number ``matched`` and NOTIFY ``batch`` in ``conn``'s transaction."""
        out: dict[str, list[Numbered]] = {}
        rows: list[tuple[Any, ...]] = []
        lasts = _bump_many(conn, {k: len(v) for k, v in matched.items()}) if matched else {}
        for sub_id in sorted(matched):
            evs = matched[sub_id]
            last = lasts[sub_id]
            items = list(zip(range(last - len(evs) + 1, last + 1), evs, strict=True))
            out[sub_id] = items
            rows.extend(
                (
                    sub_id,
                    n,
                    ev.seq,
                    ev.res_type,
                    ev.res_id,
                    ev.version_id,
                    ev.action,
                    ev.last_updated,
                )
                for n, ev in items
            )
        if channel is None:
            if rows:
                _insert_events(conn, rows)
            return out
        # PostgreSQL: the event rows and the NOTIFY in one round trip.
        statements: list[tuple[str, Any]] = [(_INSERT_EVENTS, rows)] if rows else []
        payloads = notify_payloads(self.origin, batch, out)
        statements.append(("SELECT pg_notify(%s, %s)", [(channel, p) for p in payloads]))
        self.store.pipelined(conn, statements)
        return out

    # -- numbering inside the writer's transaction (creates) --

    def inside_write(
        self,
    ) -> Callable[[Connection, Sequence[ChangeEvent]], InsideNumbers | None] | None:
        """Numbering to run inside a create's own transaction, just before it commits (or
        None when nothing listens). Called on the event loop: the active Subscriptions are
        read here, not in the writing thread.

        Numbered there, a create's events reach its bindings and the other workers (the NOTIFY
        goes with the commit) as soon as it has committed, without a second transaction and
        a thread hop of its own: on PostgreSQL with two workers that second transaction was
        about 4 ms of a POST's 7–8 ms to a Subscription's socket. The counter rows stay locked
        from the bump to the commit, which is the end of the transaction (microseconds of
        work), so writers of other workers wait no longer than the commit itself.
        """
        if self._task is None or not (self._specs or self.notify_channel):
            return None
        specs = list(self._specs.values())
        channel = self.notify_channel

        def inside(conn: Connection, batch: Sequence[ChangeEvent]) -> InsideNumbers | None:
            if any(ev.res_type in ANNOUNCED_FIRST for ev in batch):
                # A new episode changes which department a patient's data belongs to, and a new
                # Subscription which ones are active, but the hub learns either only when the
                # commit is announced: such a batch is numbered after it, as every batch was.
                return None
            try:
                matched = self._match(specs, batch)
            except Exception:  # never fail a create for it: the numbering task takes them
                log.exception("matching %d created resources failed", len(batch))
                return None
            out = self._number_on(conn, matched, batch, channel)
            return frozenset(ev.seq for ev in batch), out

        return inside

    def publish_numbered(
        self, events: list[ChangeEvent], numbered: Iterable[InsideNumbers | None]
    ) -> None:
        """Announce committed events; those :meth:`inside_write` numbered are not numbered
        again (the others, if its matching failed, go to the numbering task)."""
        parts = [part for part in numbered if part is not None]
        self._numbered = {seq for seqs, _ in parts for seq in seqs}
        try:
            self.broker.publish(events)
        finally:
            self._numbered = set()
        for _seqs, out in parts:
            for sub_id, items in out.items():
                self.deliver(sub_id, items)

    # -- delivery --

    def bind(self, spec: SubscriptionSpec, wake: asyncio.Event) -> Binding:
        binding = Binding(spec, wake)
        self._bindings.setdefault(spec.id, set()).add(binding)
        return binding

    def unbind(self, binding: Binding) -> None:
        group = self._bindings.get(binding.spec.id)
        if group is not None:
            group.discard(binding)
            if not group:
                del self._bindings[binding.spec.id]

    def has_bindings(self, sub_id: str) -> bool:
        return sub_id in self._bindings

    def deliver(self, sub_id: str, items: Sequence[Numbered]) -> None:
        for binding in self._bindings.get(sub_id, ()):
            binding.offer(items)

    def resync_all(self) -> None:
        """After a lost fan-out connection: every binding refills from the database."""
        for group in self._bindings.values():
            for binding in group:
                binding.resync = True
                binding.wake.set()

    # -- database helpers for the API (blocking; call through ``run``) --

    async def run(self, fn: Any, *args: Any) -> Any:
        return await to_thread.run_sync(fn, *args)

    def count(self, sub_id: str) -> int:
        with self.store.reading() as conn:
            return event_count(conn, sub_id)

    def replay(
        self, sub_id: str, first: int, last: int, *, with_data: bool = True, limit: int = 1000
    ) -> list[Numbered]:
        with self.store.reading() as conn:
            return replay(conn, sub_id, first, last, with_data=with_data, limit=limit)

    def ensure(self, sub_id: str) -> None:
        self._ensure_states([sub_id])

    def issue(self, token: str, sub_ids: Sequence[str], expires_us: int, scope: Any) -> None:
        with self.store.engine.begin() as conn:
            issue_token(conn, token, sub_ids, expires_us, scope)

    def consume(self, token: str) -> TokenGrant | None:
        with self.store.engine.begin() as conn:
            return consume_token(conn, token)
