"""``GET /fhir/$review-stats?part=activity&start=&end=``: the lead's review facts, fast (dho).

The console can compute its review from standard searches (``console/fhir/review.py``); this
operation gives the bulky part of the same facts in one answer per chunk of the range, so
a quarter of a 2,000-patient centre takes seconds instead of minutes:

- ``alerts``: one row per alert Task authored in [start, end) (a Task with an alert-rule code);
- ``measurements``: Observations taken in [start, end), counted per patient, measurement
  kind and Europe/Oslo day (one SQL query, no Observation is parsed);
- ``messages``: patient-thread and colleague-thread Communications sent in [start, end);
- ``visits``: video consultations (Encounter class VR) starting in [start, end).

The rows follow the mapping rules of ``console/fhir/review.py`` exactly (the selection is the
same SQL a standard search runs, scoped by ``guard.restrict_search``);
``tests/server/test_review_stats.py`` checks that both give the same facts. Only leads,
superusers and administrators may call it (``server/auth/lead_access.py``); for a superuser
who did what (owners, senders) is withheld and ``per-nurse`` is false. Every patient in the
answer gets an AuditEvent, as for a search.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, exists, func, literal, not_, select
from sqlalchemy.sql.elements import ColumnElement
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from server.api.fhir import fhir_response, service
from server.api.review_cache import ReviewCache, day_bounds
from server.auth import guard
from server.auth.lead_access import review_access
from server.rules.codes import ALERT_RULE_SYSTEM, BASE, COMMUNICATION_CATEGORY_SYSTEM
from server.store import Stored
from server.store import search as s
from server.store.errors import BadRequest, NotFound, UnknownParameter
from server.store.fhirtime import DateFormatError, parse_range
from server.store.registry import RESOURCE_TYPES
from server.store.schema import idx_reference, idx_token, resource

OPERATION: Final = "review-stats"
DEFINITION: Final = f"{BASE}/OperationDefinition/review-stats"
VERSION: Final = 1
OSLO: Final = ZoneInfo("Europe/Oslo")
LOINC: Final = "http://loinc.org"
OUTCOME_SYSTEM: Final = f"{BASE}/CodeSystem/alert-outcome"
CLAIMED_AT_URL: Final = f"{BASE}/StructureDefinition/claimed-at"
ESCALATED_AT_URL: Final = f"{BASE}/StructureDefinition/escalated-at"
ALERT_CLASS_URL: Final = f"{BASE}/StructureDefinition/alert-class"
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PATIENT_THREAD: Final = ("patient-thread", "contact-request", "remeasure-request")
COLLEAGUE_THREAD: Final = "colleague-thread"
PRIORITY: Final = {"routine": 1, "urgent": 2, "asap": 3, "stat": 3}
#: LOINC code → measurement kind, as the console's LOINC_KINDS.
KINDS: Final = {
    "85354-9": "blood-pressure",
    "8480-6": "blood-pressure",
    "8867-4": "pulse",
    "2708-6": "spo2",
    "59408-5": "spo2",
    "29463-7": "weight",
    "8310-5": "temperature",
    "15074-8": "glucose",
    "9279-1": "respiratory-rate",
}
_PARAMS: Final = {"part", "start", "end", "_format", "_pretty"}
_ENDED: Final = frozenset({"completed", "cancelled", "failed", "rejected"})
_EPOCH_ORDINAL: Final = date(1970, 1, 1).toordinal()
DAY_US: Final = 86_400_000_000


# ----- the mapping rules of console/fhir/review.py ---------------------------------------------


def _time(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_range(value)[0] / 1_000_000
    except DateFormatError:
        return None


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, dict) and isinstance(concept.get("coding"), list):
        return [c for c in concept["coding"] if isinstance(c, dict)]
    return []


def _ref_id(ref: Any, kind: str) -> str | None:
    value = ref.get("reference") if isinstance(ref, dict) else None
    if not isinstance(value, str):
        return None
    parts = value.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) < 2 or parts[-2] != kind or not parts[-1]:
        return None
    return parts[-1]


def _ext_time(res: Mapping[str, Any], url: str) -> float | None:
    for ext in res.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == url:
            return _time(ext.get("valueDateTime") or ext.get("valueInstant"))
    return None


def _period(res: Mapping[str, Any], key: str) -> tuple[float | None, float | None]:
    period = res.get(key)
    if not isinstance(period, dict):
        return None, None
    return _time(period.get("start")), _time(period.get("end"))


def alert_row(task: Mapping[str, Any], per_nurse: bool) -> list[Any] | None:
    status = task.get("status")
    if not isinstance(status, str) or status in ("draft", "entered-in-error"):
        return None
    rule = next(
        (
            str(c.get("code"))
            for c in _codings(task.get("code"))
            if c.get("system") == ALERT_RULE_SYSTEM
        ),
        None,
    )
    tid = task.get("id")
    patient = _ref_id(task.get("for"), "Patient")
    authored = _time(task.get("authoredOn"))
    if not rule or not isinstance(tid, str) or patient is None or authored is None:
        return None
    started, ended = _period(task, "executionPeriod")
    modified = _time(task.get("lastModified"))
    claimed = started if started is not None else _ext_time(task, CLAIMED_AT_URL)
    if claimed is None and status == "in-progress":
        claimed = modified
    resolved = None
    if status in _ENDED:
        resolved = ended if ended is not None else modified
        if resolved is None:
            meta = task.get("meta")
            resolved = _time(meta.get("lastUpdated")) if isinstance(meta, dict) else None
    outcome = None
    if status == "completed":
        outcome = next(
            (
                str(c.get("code"))
                for c in _codings(task.get("businessStatus"))
                if c.get("system") == OUTCOME_SYSTEM and c.get("code")
            ),
            None,
        )
    department = None
    leads: list[str] = []
    restriction = task.get("restriction")
    for recipient in (
        restriction.get("recipient") if isinstance(restriction, dict) else None
    ) or ():
        org = _ref_id(recipient, "Organization")
        if org and department is None:
            department = org
        lead = _ref_id(recipient, "Practitioner")
        if lead:
            leads.append(lead)
    owner = _ref_id(task.get("owner"), "Practitioner")
    return [
        tid,
        patient,
        department,
        PRIORITY.get(str(task.get("priority") or "routine"), 1),
        rule,
        authored,
        status,
        claimed,
        resolved,
        outcome,
        owner if per_nurse else None,
        _ext_time(task, ESCALATED_AT_URL),
        leads if per_nurse else [],
        any(
            isinstance(e, dict)
            and e.get("url") == ALERT_CLASS_URL
            and e.get("valueCode") == "adherence"
            for e in task.get("extension") or ()
        ),
    ]


def message_row(res: Mapping[str, Any], per_nurse: bool) -> list[Any] | None:
    category = next(
        (
            str(c["code"])
            for concept in res.get("category") or ()
            for c in _codings(concept)
            if c.get("system") == COMMUNICATION_CATEGORY_SYSTEM and c.get("code")
        ),
        None,
    )
    patient = _ref_id(res.get("subject"), "Patient")
    sent = _time(res.get("sent"))
    if patient is None or sent is None or category is None:
        return None
    if res.get("status") in ("preparation", "entered-in-error", "not-done"):
        return None
    sender = res.get("sender")
    ref = sender.get("reference") if isinstance(sender, dict) else None
    kind = ref.split("/")[-2] if isinstance(ref, str) and ref.count("/") >= 1 else None
    if category == COLLEAGUE_THREAD:
        direction = "colleague"
    elif category not in PATIENT_THREAD:
        return None
    elif kind in ("Patient", "RelatedPerson") or (kind is None and category == "contact-request"):
        direction = "in"
    elif kind in ("Practitioner", "Organization", "PractitionerRole"):
        direction = "out"
    else:
        return None
    sender_id = _ref_id(sender, "Practitioner") if per_nurse else None
    return [patient, sent, direction, sender_id, bool(res.get("received"))]


def visit_row(res: Mapping[str, Any], per_nurse: bool) -> list[Any] | None:
    klass = res.get("class")
    if not isinstance(klass, dict) or klass.get("code") != "VR":
        return None
    patient = _ref_id(res.get("subject"), "Patient")
    start, end = _period(res, "period")
    status = res.get("status")
    if patient is None or start is None or not isinstance(status, str):
        return None
    practitioner = None
    for participant in res.get("participant") or ():
        if isinstance(participant, dict):
            practitioner = _ref_id(participant.get("individual"), "Practitioner")
            if practitioner:
                break
    minutes = None
    length = res.get("length")
    if isinstance(length, dict) and isinstance(length.get("value"), int | float):
        if (length.get("code") or length.get("unit")) == "min":
            minutes = float(length["value"])
    if minutes is None and end is not None:
        minutes = (end - start) / 60.0
    return [patient, start, status, practitioner if per_nurse else None, minutes]


# ----- SQL -------------------------------------------------------------------------------------


HOUR_US: Final = 3_600_000_000


def _offset_us(t_us: int) -> int:
    offset = datetime.fromtimestamp(t_us / 1e6, OSLO).utcoffset() or timedelta()
    return int(offset.total_seconds()) * 1_000_000


def _utc_offsets(a_us: int, b_us: int) -> list[tuple[int, int]]:
    """(until_us, offset_us) pieces covering [a, b): Europe/Oslo changes its offset on whole
    UTC hours, so stepping hour by hour finds every change exactly."""
    pieces: list[tuple[int, int]] = []
    current = _offset_us(a_us)
    t = a_us - a_us % HOUR_US
    while t < b_us:
        t += HOUR_US
        offset = _offset_us(t)
        if offset != current:
            pieces.append((t, current))
            current = offset
    pieces.append((b_us, current))
    return pieces


def _local_day_expr(column: ColumnElement[Any], a_us: int, b_us: int) -> ColumnElement[Any]:
    """The Europe/Oslo day ordinal of a microsecond column (exact across DST changes)."""
    pieces = _utc_offsets(a_us, b_us)
    whens = [
        (column < until, (column + offset) // DAY_US + _EPOCH_ORDINAL)
        for until, offset in pieces[:-1]
    ]
    last = (column + pieces[-1][1]) // DAY_US + _EPOCH_ORDINAL
    return case(*whens, else_=last) if whens else last


def _count_measurements(svc: Any, a_us: int, b_us: int) -> dict[date, dict[str, int]]:
    """{"patient|kind": count} per Europe/Oslo day of every Observation taken in [a, b), all
    patients (scope is applied when answering)."""
    ref = idx_reference.alias("rv_subject")
    tok = idx_token.alias("rv_code")
    status = idx_token.alias("rv_status")
    kind = case(*((tok.c.code == code, literal(k)) for code, k in KINDS.items()))
    day = _local_day_expr(resource.c.date_start, a_us, b_us)
    skipped = exists(
        select(literal(1)).where(
            status.c.res_pk == resource.c.pk,
            status.c.res_type == "Observation",
            status.c.param == "status",
            status.c.code.in_(("entered-in-error", "cancelled")),
        )
    )
    q = (
        select(ref.c.target_id, kind, day, func.count(resource.c.pk.distinct()))
        .select_from(
            resource.join(
                ref,
                and_(
                    ref.c.res_pk == resource.c.pk,
                    ref.c.res_type == "Observation",
                    ref.c.param == "subject",
                    ref.c.target_type == "Patient",
                ),
            ).join(
                tok,
                and_(
                    tok.c.res_pk == resource.c.pk,
                    tok.c.res_type == "Observation",
                    tok.c.param == "code",
                    # `|| ''`: tested per row found by the date range, not used to drive the
                    # query through the code index (server/auth/scope.py does the same).
                    tok.c.system.concat("").in_((LOINC, "")),
                    tok.c.code.concat("").in_(sorted(KINDS)),
                ),
            )
        )
        .where(
            resource.c.res_type == "Observation",
            s.no_deleted(),
            not_(skipped),
            resource.c.date_start >= a_us,
            resource.c.date_start < b_us,
        )
        .group_by(ref.c.target_id, kind, day)
    )
    out: dict[date, dict[str, int]] = {}
    with svc.store.engine.connect() as conn:
        for patient, k, d, n in conn.execute(q):
            out.setdefault(date.fromordinal(int(d)), {})[f"{patient}|{k}"] = int(n)
    return out


def _measurements(
    svc: Any, cache: ReviewCache, a_us: int, b_us: int, patients: frozenset[str] | None
) -> list[list[Any]]:
    """The `measurements` table for [a, b): whole days from the cache, partial days counted."""
    first = datetime.fromtimestamp(a_us / 1e6, OSLO).date()
    last = datetime.fromtimestamp((b_us - 1) / 1e6, OSLO).date()
    whole: list[date] = []
    per_day: dict[date, dict[str, int]] = {}
    day = first
    while day <= last:
        lo, hi = day_bounds(day)
        if lo >= a_us and hi <= b_us:
            whole.append(day)
        else:
            part = _count_measurements(svc, max(lo, a_us), min(hi, b_us))
            per_day[day] = part.get(day, {})
        day += timedelta(days=1)
    per_day.update(cache.day_counts(whole, lambda lo, hi: _count_measurements(svc, lo, hi)))
    by_key: dict[str, list[int]] = {}
    for day, rows in sorted(per_day.items()):
        ordinal = day.toordinal()
        for key, n in rows.items():
            if patients is None or key[: key.index("|")] in patients:
                by_key.setdefault(key, []).extend((ordinal, n))
    return [[key, pairs] for key, pairs in sorted(by_key.items())]


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _alert_key(row: list[Any]) -> tuple[str, float]:
    """(patient, authored) of an alert row."""
    return str(row[1]), float(row[5])


def _first_key(row: list[Any]) -> tuple[str, float]:
    """(patient, time) of a message or video row."""
    return str(row[0]), float(row[1])


class _Svc:
    """What `_count_measurements` needs of the API's service: the store."""

    def __init__(self, store: Any) -> None:
        self.store = store


def prime_review_cache(store: Any, a_us: int, b_us: int) -> ReviewCache:
    """Count and parse [a, b) into the review tables now (seeding: the bulk write path), so
    the first review of a freshly seeded centre is as quick as a later one. Every patient, as
    a lead sees them; the caller's scope is applied when answering, as always."""
    cache = ReviewCache(store)
    svc = _Svc(store)
    first = datetime.fromtimestamp(a_us / 1e6, OSLO).date()
    last = datetime.fromtimestamp((b_us - 1) / 1e6, OSLO).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    cache.day_counts(days, lambda lo, hi: _count_measurements(svc, lo, hi))
    window = [("ge" + _iso(a_us)), ("lt" + _iso(b_us))]
    for name, param, mapper, key in (
        ("Task", "authored-on", lambda t: alert_row(t, True), _alert_key),
        ("Communication", "sent", lambda m: message_row(m, True), _first_key),
        ("Encounter", "date", lambda v: visit_row(v, True), _first_key),
    ):
        plan = _plan(name, [(param, w) for w in window])
        cache.rows(name, [*plan.conditions, resource.c.date_start >= a_us], mapper, key)
    return cache


def _iso(t_us: int) -> str:
    return datetime.fromtimestamp(t_us / 1e6, OSLO).isoformat()


def _cache(request: Request) -> ReviewCache:
    """The app's cache, made (and told about every write) on first use."""
    state = request.app.state
    cache = getattr(state, "review_cache", None)
    if not isinstance(cache, ReviewCache):
        cache = ReviewCache(service(request).store)
        state.review_cache = cache
        state.broker.add_listener(cache.changed)
    return cache


def _plan(name: str, params: list[tuple[str, str]]) -> s.SearchPlan:
    return s.plan_search(RESOURCE_TYPES[name], params)


def _instant(params: Mapping[str, str], name: str) -> tuple[int, str]:
    value = params.get(name)
    if not value:
        raise BadRequest(f"$review-stats needs {name}=<instant>")
    try:
        return parse_range(value)[0], value
    except DateFormatError as exc:
        raise BadRequest(f"{name} must be a FHIR instant: {exc}") from exc


async def review_stats(request: Request) -> Response:
    if not request.app.state.profile.extensions:
        raise NotFound("$review-stats is not offered by this server profile")
    per_nurse = review_access(request)
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name not in _PARAMS:
            raise UnknownParameter(
                f"unknown $review-stats parameter {name!r}; supported: part, start, end"
            )
        params[name] = value
    part = params.get("part", "activity")
    if part != "activity":
        raise BadRequest(
            "part must be 'activity' (enrolments, plans and names come from standard searches)"
        )
    a_us, a = _instant(params, "start")
    b_us, b = _instant(params, "end")
    if b_us <= a_us:
        raise BadRequest("end must be after start")
    if b_us - a_us > 100 * DAY_US:
        raise BadRequest("ask for at most 100 days at a time (the console asks week by week)")
    window = [("ge" + a), ("lt" + b)]
    # Only the date windows go into SQL: every row of the window is mapped, and rows that are
    # not alerts, thread messages or video calls are dropped while mapping, as the console
    # drops them from its searches. (A token condition here makes SQLite walk every Task's or
    # Communication's codes instead of the date range: seconds instead of tenths.)
    tasks = _plan("Task", [("authored-on", w) for w in window])
    messages = _plan("Communication", [("sent", w) for w in window])
    visits = _plan("Encounter", [("date", w) for w in window])
    for plan in (tasks, messages, visits):
        await guard.restrict_search(request, plan)
        # The facts only keep what starts in [start, end) (as the console filters its search
        # results); saying so lets the date index bound the scan from below too (the FHIR
        # `ge` test alone is on the value's end, which no index holds).
        plan.conditions.append(resource.c.date_start >= a_us)
    svc = service(request)
    lo, hi = a_us / 1e6, b_us / 1e6

    scoped = await guard.restrict_patients(request, None)
    in_scope = None if scoped is None else frozenset(scoped)
    cache = _cache(request)

    def run() -> tuple[str, set[str]]:
        # Rows are cached as a lead sees them (as JSON text, never decoded again for a lead);
        # who did what is blanked after for others.
        alerts = cache.rows("Task", tasks.conditions, lambda t: alert_row(t, True), _alert_key)
        sent = cache.rows(
            "Communication", messages.conditions, lambda m: message_row(m, True), _first_key
        )
        calls = cache.rows("Encounter", visits.conditions, lambda v: visit_row(v, True), _first_key)
        # Facts are (JSON text, patient, time).
        sent = [f for f in sent if lo <= f[2] < hi]
        calls = [f for f in calls if lo <= f[2] < hi]
        texts = {
            "alerts": [f[0] for f in alerts],
            "messages": [f[0] for f in sent],
            "visits": [f[0] for f in calls],
        }
        if not per_nurse:
            texts["alerts"] = [
                _dumps([*r[:10], None, r[11], [], r[13]]) for r in map(json.loads, texts["alerts"])
            ]
            for name in ("messages", "visits"):
                texts[name] = [_dumps([*r[:3], None, r[4]]) for r in map(json.loads, texts[name])]
        counts = _measurements(svc, cache, a_us, b_us, in_scope)
        patients = {f[1] for f in alerts} | {f[1] for f in sent} | {f[1] for f in calls}
        patients |= {key.partition("|")[0] for key, _ in counts}
        body = {
            "resourceType": "Parameters",
            "parameter": [
                {"name": "version", "valueInteger": VERSION},
                {"name": "per-nurse", "valueBoolean": per_nurse},
                {"name": "start", "valueInstant": a},
                {"name": "end", "valueInstant": b},
                {"name": "alerts", "valueString": "[" + ",".join(texts["alerts"]) + "]"},
                {"name": "measurements", "valueString": _dumps(counts)},
                {"name": "messages", "valueString": "[" + ",".join(texts["messages"]) + "]"},
                {"name": "visits", "valueString": "[" + ",".join(texts["visits"]) + "]"},
            ],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")), patients

    text, patients = await svc.run(run)
    if patients:
        touched = [
            Stored("Patient", p, 0, 0, 0, json.dumps({"resourceType": "Patient", "id": p}))
            for p in sorted(patients)
        ]
        guard.audit_results(request, "operation", touched, query=True)
    return fhir_response(text)


def review_route() -> Route:
    return Route(f"/fhir/${OPERATION}", review_stats, methods=["GET"])


__all__ = ["DEFINITION", "OPERATION", "prime_review_cache", "review_route", "review_stats"]
