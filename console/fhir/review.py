"""Where the lead's review gets its facts: standard FHIR searches, or `$review-stats`.

Two sources, one result (`ReviewFacts`):

- **Standard searches**, for any FHIR R4 server holding the resources: EpisodeOfCare,
  ServiceRequest (timing), Patient, Practitioner(Role), Organization once; then per chunk of
  the range Task (`authored-on`), Observation (`date`, `_elements`), Communication (`sent`)
  and Encounter (`date`, class VR). Pages are decoded and mapped in a worker thread
  (`FhirClient.search_mapped`), so the UI thread never parses a page.
- **`GET [base]/$review-stats?part=people|activity&start=&end=`** (dho), when the
  CapabilityStatement lists `review-stats` in `rest[0].operation`: the same facts, assembled
  by the reference backend from its tables. `tests/server/test_review_stats.py` checks that
  both give identical facts on the same data; the figures are computed from them once, in
  `console/domain/review.py`.

The mapping rules below are the definition of each fact; `server/api/review_route.py` follows
them too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar

from console.domain.alerts import Priority
from console.domain.review import (
    AlertFact,
    EpisodeFact,
    MessageFact,
    ReviewFacts,
    ScheduleFact,
    VisitFact,
)
from console.domain.service_hours import OSLO, WEEKDAYS, OpeningHours
from console.fhir.alerts import (
    CLAIMED_AT_URL,
    COMMUNICATION_CATEGORY_SYSTEM,
    ESCALATED_AT_URL,
    OUTCOME_SYSTEM,
    PRIORITY_FROM_FHIR,
    RULE_SYSTEM,
    instant,
)
from console.fhir.client import FhirClient
from console.fhir.errors import FhirMalformed
from console.fhir.mapping import LOINC, LOINC_KINDS, PROGRAMME_SYSTEM, reference_id

T = TypeVar("T")

REVIEW_OPERATION = "review-stats"
#: Version of the `$review-stats` answer this console reads.
FACTS_VERSION = 1
PAGE = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ROLE_SYSTEM = "http://dho.example/fhir/CodeSystem/practitioner-role"
ALERT_CLASS_URL = "http://dho.example/fhir/StructureDefinition/alert-class"
VR = "VR"
#: Message categories of the patient thread and of the colleague thread.
PATIENT_THREAD = ("patient-thread", "contact-request", "remeasure-request")
COLLEAGUE_THREAD = "colleague-thread"
#: Task statuses that are not alerts for the review.
_SKIP_TASK = frozenset({"draft", "entered-in-error"})
_SKIP_SR = frozenset({"draft", "entered-in-error"})
_SKIP_OBS = frozenset({"entered-in-error", "cancelled"})
_ENDED_TASK = frozenset({"completed", "cancelled", "failed", "rejected"})


# ----- small helpers, the same rules as server/api/review_route.py ----------------------------


def fact_time(value: Any) -> float | None:
    """A FHIR date/dateTime/instant as epoch seconds: exact for full instants, the start (UTC)
    of the period for partial dates, as the reference backend indexes them."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            if len(value) == 4:
                parsed = datetime(int(value), 1, 1)
            elif len(value) == 7:
                parsed = datetime(int(value[:4]), int(value[5:7]), 1)
            else:
                return None
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    delta = parsed - EPOCH
    return ((delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds) / 1_000_000


def local_day(t: float) -> int:
    """Ordinal of the Europe/Oslo calendar day of epoch seconds `t`."""
    return datetime.fromtimestamp(t, OSLO).date().toordinal()


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, dict) and isinstance(concept.get("coding"), list):
        return [c for c in concept["coding"] if isinstance(c, dict)]
    return []


def _ext(resource: Mapping[str, Any], url: str) -> float | None:
    for ext in resource.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == url:
            return fact_time(ext.get("valueDateTime") or ext.get("valueInstant"))
    return None


def _period(resource: Mapping[str, Any], key: str) -> tuple[float | None, float | None]:
    period = resource.get(key)
    if not isinstance(period, dict):
        return None, None
    return fact_time(period.get("start")), fact_time(period.get("end"))


def _last_updated(resource: Mapping[str, Any]) -> float | None:
    meta = resource.get("meta")
    return fact_time(meta.get("lastUpdated")) if isinstance(meta, dict) else None


def human_name(names: Any, *, family_first: bool) -> str:
    """The official (else usual, else first current) name: "Family, Given" or "Given Family"."""
    if not isinstance(names, list):
        return ""
    candidates = [n for n in names if isinstance(n, dict)]
    chosen = None
    for use in ("official", "usual"):
        chosen = chosen or next((n for n in candidates if n.get("use") == use), None)
    chosen = chosen or next(
        (n for n in candidates if n.get("use") not in ("old", "anonymous")), None
    )
    chosen = chosen or (candidates[0] if candidates else None)
    if chosen is None:
        return ""
    given = " ".join(str(g) for g in chosen.get("given") or () if isinstance(g, str) and g)
    family = chosen.get("family") if isinstance(chosen.get("family"), str) else ""
    if not given and not family:
        text = chosen.get("text")
        return text if isinstance(text, str) else ""
    if family_first:
        return f"{family}, {given}" if given and family else family or given
    return f"{given} {family}".strip()


def measurement_kind(code: Any) -> str | None:
    """The measurement kind of an Observation or ServiceRequest `code` (LOINC), or None."""
    for coding in _codings(code):
        kind = LOINC_KINDS.get(str(coding.get("code") or ""))
        if kind is not None and coding.get("system", LOINC) == LOINC:
            return kind.value
    return None


# ----- resource → fact -------------------------------------------------------------------------


def alert_fact(task: Mapping[str, Any]) -> AlertFact | None:
    """A Task with an alert-rule code → AlertFact (None for other Tasks).

    First claim: `executionPeriod.start`, else the `claimed-at` extension, else (in progress)
    `lastModified`. End: `executionPeriod.end`, else `lastModified`, else `meta.lastUpdated`,
    once the status is completed, cancelled, failed or rejected.
    """
    status = task.get("status")
    if not isinstance(status, str) or status in _SKIP_TASK:
        return None
    rule = next(
        (str(c.get("code")) for c in _codings(task.get("code")) if c.get("system") == RULE_SYSTEM),
        None,
    )
    tid = task.get("id")
    patient = reference_id(task.get("for"), "Patient")
    authored = fact_time(task.get("authoredOn"))
    if not rule or not isinstance(tid, str) or patient is None or authored is None:
        return None
    started, ended = _period(task, "executionPeriod")
    modified = fact_time(task.get("lastModified"))
    claimed = started if started is not None else _ext(task, CLAIMED_AT_URL)
    if claimed is None and status == "in-progress":
        claimed = modified
    resolved = None
    if status in _ENDED_TASK:
        resolved = ended if ended is not None else modified
        if resolved is None:
            resolved = _last_updated(task)
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
        org = reference_id(recipient, "Organization")
        if org and department is None:
            department = org
        person = reference_id(recipient, "Practitioner")
        if person:
            leads.append(person)
    priority = PRIORITY_FROM_FHIR.get(str(task.get("priority") or "routine"), Priority.LOW)
    return AlertFact(
        id=tid,
        patient_id=patient,
        department_id=department,
        priority=priority,
        rule=rule,
        authored=authored,
        status=status,
        claimed=claimed,
        resolved=resolved,
        outcome=outcome,
        owner_id=reference_id(task.get("owner"), "Practitioner"),
        escalated=_ext(task, ESCALATED_AT_URL),
        escalated_to=tuple(leads),
        adherence=_class(task) == "adherence",
    )


def _class(task: Mapping[str, Any]) -> str | None:
    """The `alert-class` extension (clinical | adherence) the server's rules set, if any."""
    for ext in task.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == ALERT_CLASS_URL:
            code = ext.get("valueCode")
            return code if isinstance(code, str) else None
    return None


def episode_fact(resource: Mapping[str, Any]) -> EpisodeFact | None:
    rid = resource.get("id")
    patient = reference_id(resource.get("patient"), "Patient")
    status = resource.get("status")
    if not isinstance(rid, str) or patient is None or not isinstance(status, str):
        return None
    programme = display = ""
    for concept in resource.get("type") or ():
        for coding in _codings(concept):
            if coding.get("system") == PROGRAMME_SYSTEM and coding.get("code"):
                programme = str(coding["code"])
                display = str(coding.get("display") or concept.get("text") or programme)
                break
        if programme:
            break
    start, end = _period(resource, "period")
    if end is None and status in ("finished", "cancelled"):
        end = _last_updated(resource)
    manager = resource.get("careManager")
    return EpisodeFact(
        id=rid,
        patient_id=patient,
        department_id=reference_id(resource.get("managingOrganization"), "Organization"),
        programme=programme,
        programme_display=display,
        status=status,
        start=start,
        end=end,
        care_manager_id=reference_id(manager, "Practitioner"),
        care_manager_name=str(manager.get("display") or "") if isinstance(manager, dict) else "",
    )


def _time_of_day(value: Any) -> time | None:
    if not isinstance(value, str):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        return None


def schedule_fact(resource: Mapping[str, Any]) -> ScheduleFact | None:
    """A measurement ServiceRequest → its schedule: `occurrenceTiming.repeat` with `timeOfDay`,
    or `frequency` per `period` `periodUnit` (h, d, wk, mo); from `boundsPeriod.start` (else
    `authoredOn`) to `boundsPeriod.end` (else, once completed or revoked, its last change)."""
    status = resource.get("status")
    patient = reference_id(resource.get("subject"), "Patient")
    kind = measurement_kind(resource.get("code"))
    if not isinstance(status, str) or status in _SKIP_SR or patient is None or kind is None:
        return None
    timing = resource.get("occurrenceTiming")
    repeat = timing.get("repeat") if isinstance(timing, dict) else None
    repeat = repeat if isinstance(repeat, dict) else {}
    times = tuple(sorted(t for t in (_time_of_day(v) for v in repeat.get("timeOfDay") or ()) if t))
    frequency = repeat.get("frequency")
    frequency = frequency if isinstance(frequency, int) and frequency > 0 else 1
    period = repeat.get("period")
    period = period if isinstance(period, int | float) and period > 0 else 1
    unit = repeat.get("periodUnit") or "d"
    period_days = 1
    if unit == "h":
        per_day = max(1, round(frequency * 24 / period))
    elif unit in ("d", "wk", "mo", "a"):
        per_day = frequency
        period_days = max(1, round(period * {"d": 1, "wk": 7, "mo": 30, "a": 365}[unit]))
    else:
        per_day = frequency
    if not times:
        times = (time(12, 0),) * per_day
    bounds = repeat.get("boundsPeriod")
    start = end = None
    if isinstance(bounds, dict):
        start, end = fact_time(bounds.get("start")), fact_time(bounds.get("end"))
    if start is None:
        start = fact_time(resource.get("authoredOn"))
    if end is None and status in ("completed", "revoked"):
        end = _last_updated(resource)
    return ScheduleFact(patient, kind, times, period_days, start, end)


def observation_key(obs: Mapping[str, Any]) -> tuple[str, str, int] | None:
    """(patient, kind, local day) of a measurement, or None."""
    status = obs.get("status")
    if isinstance(status, str) and status in _SKIP_OBS:
        return None
    patient = reference_id(obs.get("subject"), "Patient")
    kind = measurement_kind(obs.get("code"))
    when = obs.get("effectiveDateTime") or obs.get("effectiveInstant")
    if when is None and isinstance(obs.get("effectivePeriod"), dict):
        when = obs["effectivePeriod"].get("start")
    t = fact_time(when)
    if patient is None or kind is None or t is None:
        return None
    return patient, kind, local_day(t)


def _category(resource: Mapping[str, Any]) -> str | None:
    for concept in resource.get("category") or ():
        for coding in _codings(concept):
            if coding.get("system") == COMMUNICATION_CATEGORY_SYSTEM and coding.get("code"):
                return str(coding["code"])
    return None


def message_fact(resource: Mapping[str, Any]) -> MessageFact | None:
    """A message of a patient thread or the colleague thread. From the patient or a relative
    (sender Patient or RelatedPerson, or no sender on a contact request) it is "in"; from a
    Practitioner or Organization "out"; read when `received` is set."""
    category = _category(resource)
    patient = reference_id(resource.get("subject"), "Patient")
    sent = fact_time(resource.get("sent"))
    if patient is None or sent is None or category is None:
        return None
    if resource.get("status") in ("preparation", "entered-in-error", "not-done"):
        return None
    sender = resource.get("sender")
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
    return MessageFact(
        patient_id=patient,
        sent=sent,
        direction=direction,
        sender_id=reference_id(sender, "Practitioner"),
        read=bool(resource.get("received")),
    )


def visit_fact(resource: Mapping[str, Any]) -> VisitFact | None:
    """A video consultation: Encounter with class VR."""
    klass = resource.get("class")
    if not isinstance(klass, dict) or klass.get("code") != VR:
        return None
    patient = reference_id(resource.get("subject"), "Patient")
    start, end = _period(resource, "period")
    status = resource.get("status")
    if patient is None or start is None or not isinstance(status, str):
        return None
    practitioner = None
    for participant in resource.get("participant") or ():
        if isinstance(participant, dict):
            practitioner = reference_id(participant.get("individual"), "Practitioner")
            if practitioner:
                break
    minutes = None
    length = resource.get("length")
    if isinstance(length, dict) and isinstance(length.get("value"), int | float):
        if (length.get("code") or length.get("unit")) == "min":
            minutes = float(length["value"])
    if minutes is None and end is not None:
        minutes = (end - start) / 60.0
    return VisitFact(patient, start, status, practitioner, minutes)


def role_rows(resource: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    practitioner = reference_id(resource.get("practitioner"), "Practitioner")
    org = reference_id(resource.get("organization"), "Organization")
    if practitioner is None or org is None or resource.get("active") is False:
        return []
    return [
        (practitioner, str(c["code"]), org)
        for concept in resource.get("code") or ()
        for c in _codings(concept)
        if c.get("system") == ROLE_SYSTEM and c.get("code")
    ]


def opening_hours(services: Iterable[Mapping[str, Any]]) -> OpeningHours:
    """Opening hours from a centre's HealthcareService(s); the default without any."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    closed: list[tuple[datetime, datetime]] = []
    notes: list[str] = []
    ids: list[str] = []
    for service in services:
        if service.get("active") is False:
            continue
        ids.append(str(service.get("id") or ""))
        for available in service.get("availableTime") or ():
            if not isinstance(available, dict):
                continue
            if available.get("allDay"):
                start, end = time(0, 0), time(0, 0)
            else:
                start_t = _time_of_day(available.get("availableStartTime"))
                end_t = _time_of_day(available.get("availableEndTime"))
                if start_t is None or end_t is None:
                    continue
                start, end = start_t, end_t
            for day in available.get("daysOfWeek") or ():
                if day in WEEKDAYS:
                    weekly.setdefault(WEEKDAYS.index(day), []).append((start, end))
        for gap in service.get("notAvailable") or ():
            if not isinstance(gap, dict) or not isinstance(gap.get("during"), dict):
                continue
            a, b = fact_time(gap["during"].get("start")), fact_time(gap["during"].get("end"))
            if a is None:
                continue
            end_dt = (
                datetime.fromtimestamp(b, OSLO)
                if b is not None
                else datetime.max.replace(tzinfo=UTC)
            )
            if b is not None and len(str(gap["during"].get("end"))) == 10:
                end_dt += timedelta(days=1)  # a date-only end closes the whole day
            closed.append((datetime.fromtimestamp(a, OSLO), end_dt))
            notes.append(str(gap.get("description") or ""))
    if not weekly:
        return OpeningHours.default()
    return OpeningHours(
        {d: tuple(sorted(v)) for d, v in weekly.items()},
        closed=tuple(closed),
        source="HealthcareService/" + ",".join(i for i in ids if i),
        closed_notes=tuple(notes),
    )


# ----- pages → facts (run in a worker thread) --------------------------------------------------


def _people_page(resources: Sequence[Mapping[str, Any]]) -> ReviewFacts:
    facts = ReviewFacts()
    for r in resources:
        kind = r.get("resourceType")
        if kind == "EpisodeOfCare":
            episode = episode_fact(r)
            if episode is not None:
                facts.episodes.append(episode)
        elif kind == "ServiceRequest":
            schedule = schedule_fact(r)
            if schedule is not None:
                facts.schedules.append(schedule)
        elif kind == "Patient" and isinstance(r.get("id"), str):
            facts.patients[r["id"]] = human_name(r.get("name"), family_first=True)
        elif kind == "Practitioner" and isinstance(r.get("id"), str):
            facts.practitioners[r["id"]] = human_name(r.get("name"), family_first=False)
        elif kind == "PractitionerRole":
            facts.roles.extend(role_rows(r))
        elif kind == "Organization" and isinstance(r.get("id"), str):
            facts.organizations[r["id"]] = str(r.get("name") or r["id"])
    return facts


def _activity_page(resources: Sequence[Mapping[str, Any]]) -> ReviewFacts:
    facts = ReviewFacts()
    counts = facts.measurements
    for r in resources:
        kind = r.get("resourceType")
        if kind == "Observation":
            key = observation_key(r)
            if key is not None:
                days = counts.setdefault((key[0], key[1]), {})
                days[key[2]] = days.get(key[2], 0) + 1
        elif kind == "Task":
            alert = alert_fact(r)
            if alert is not None:
                facts.alerts.append(alert)
        elif kind == "Communication":
            message = message_fact(r)
            if message is not None:
                facts.messages.append(message)
        elif kind == "Encounter":
            visit = visit_fact(r)
            if visit is not None:
                facts.visits.append(visit)
    return facts


def _merge(into: ReviewFacts, part: ReviewFacts) -> None:
    """Fold pages of one request (unlike `ReviewFacts.add`, lists are appended)."""
    into.alerts.extend(part.alerts)
    into.episodes.extend(part.episodes)
    into.schedules.extend(part.schedules)
    for key, days in part.measurements.items():
        mine = into.measurements.setdefault(key, {})
        for day, n in days.items():
            mine[day] = mine.get(day, 0) + n
    into.messages.extend(part.messages)
    into.visits.extend(part.visits)
    into.patients.update(part.patients)
    into.practitioners.update(part.practitioners)
    into.roles.extend(part.roles)
    into.organizations.update(part.organizations)


# ----- $review-stats answer → facts ------------------------------------------------------------


def _table(body: Mapping[str, Any], name: str) -> list[Any]:
    for parameter in body.get("parameter") or ():
        if isinstance(parameter, dict) and parameter.get("name") == name:
            value = parameter.get("valueString")
            if not isinstance(value, str):
                raise FhirMalformed(f"$review-stats: {name} is not a valueString")
            rows = json.loads(value)
            if not isinstance(rows, list):
                raise FhirMalformed(f"$review-stats: {name} is not a JSON list")
            return rows
    return []


def _flag(body: Mapping[str, Any], name: str) -> Any:
    for parameter in body.get("parameter") or ():
        if isinstance(parameter, dict) and parameter.get("name") == name:
            for key, value in parameter.items():
                if key.startswith("value"):
                    return value
    return None


def facts_from_stats(body: Mapping[str, Any]) -> ReviewFacts:
    """Decode a `$review-stats` Parameters (docs/contract.md, "Lead's review"): the activity
    of one chunk of the range (enrolments, plans and names come from standard searches)."""
    if body.get("resourceType") != "Parameters":
        raise FhirMalformed("$review-stats did not answer a Parameters resource")
    version = _flag(body, "version")
    if version != FACTS_VERSION:
        raise FhirMalformed(f"$review-stats answered version {version}, not {FACTS_VERSION}")
    try:
        facts = ReviewFacts(per_nurse=bool(_flag(body, "per-nurse")))
        for row in _table(body, "alerts"):
            if len(row) != 14:
                raise ValueError(f"an alert row has {len(row)} fields, not 14")
            facts.alerts.append(
                AlertFact(
                    id=row[0],
                    patient_id=row[1],
                    department_id=row[2],
                    priority=Priority(row[3]),
                    rule=row[4],
                    authored=row[5],
                    status=row[6],
                    claimed=row[7],
                    resolved=row[8],
                    outcome=row[9],
                    owner_id=row[10],
                    escalated=row[11],
                    escalated_to=tuple(row[12]),
                    adherence=bool(row[13]),
                )
            )
        for key, pairs in _table(body, "measurements"):
            patient, _, kind = key.partition("|")
            facts.measurements[(patient, kind)] = dict(zip(pairs[::2], pairs[1::2], strict=True))
        for row in _table(body, "messages"):
            facts.messages.append(MessageFact(*row))
        for row in _table(body, "visits"):
            facts.visits.append(VisitFact(*row))
    except (TypeError, ValueError) as exc:
        raise FhirMalformed(f"$review-stats answer not understood: {exc}") from exc
    return facts


# ----- the HTTP side ---------------------------------------------------------------------------


class ReviewStore:
    """The review's searches, all through the one FhirClient."""

    def __init__(self, client: FhirClient, *, page_size: int = PAGE) -> None:
        self._client = client
        self._page = str(page_size)

    async def has_stats_operation(self) -> bool:
        caps = await self._client.capabilities()
        return caps.supports_operation(REVIEW_OPERATION)

    async def stats(self, part: str, start: datetime, end: datetime) -> ReviewFacts:
        params = [("part", part), ("start", instant(start)), ("end", instant(end))]
        return await self._client.operation_mapped("$" + REVIEW_OPERATION, params, facts_from_stats)

    async def _collect(
        self,
        resource_type: str,
        params: list[tuple[str, str]],
        mapper: Callable[[Sequence[Mapping[str, Any]]], ReviewFacts],
        into: ReviewFacts,
    ) -> None:
        caps = await self._client.capabilities()
        if not caps.supports_resource(resource_type):
            return
        async for part in self._client.search_mapped(
            resource_type, [*params, ("_count", self._page)], mapper
        ):
            _merge(into, part)

    async def people(self) -> ReviewFacts:
        """Enrolments, plans, names and roles: everything the server lets us see."""
        facts = ReviewFacts()
        searches: list[tuple[str, list[tuple[str, str]]]] = [
            ("Organization", []),
            ("PractitionerRole", []),
            ("Practitioner", [("_elements", "name")]),
            ("Patient", [("_elements", "name")]),
            ("EpisodeOfCare", []),
            ("ServiceRequest", [("_elements", "status,code,subject,occurrenceTiming,authoredOn")]),
        ]
        # At once: the server works on one search while this side decodes another.
        parts = [ReviewFacts() for _ in searches]
        await asyncio.gather(
            *(
                self._collect(resource_type, params, _people_page, part)
                for (resource_type, params), part in zip(searches, parts, strict=True)
            )
        )
        for part in parts:
            _merge(facts, part)
        return facts

    async def activity(self, start: datetime, end: datetime) -> ReviewFacts:
        """Alerts raised, measurements taken, messages sent and video calls in [start, end)."""
        facts = ReviewFacts()
        a, b = instant(start), instant(end)
        categories = ",".join(
            f"{COMMUNICATION_CATEGORY_SYSTEM}|{c}" for c in (*PATIENT_THREAD, COLLEAGUE_THREAD)
        )
        searches: list[tuple[str, list[tuple[str, str]]]] = [
            ("Task", [("authored-on", f"ge{a}"), ("authored-on", f"lt{b}")]),
            (
                "Observation",
                [
                    ("date", f"ge{a}"),
                    ("date", f"lt{b}"),
                    ("_elements", "status,code,subject,effectiveDateTime,effectivePeriod"),
                ],
            ),
            (
                "Communication",
                [
                    ("sent", f"ge{a}"),
                    ("sent", f"lt{b}"),
                    ("category", categories),
                    ("_elements", "status,category,subject,sender,sent,received"),
                ],
            ),
            (
                "Encounter",
                [
                    ("date", f"ge{a}"),
                    ("date", f"lt{b}"),
                    ("class", "http://terminology.hl7.org/CodeSystem/v3-ActCode|VR"),
                ],
            ),
        ]
        for resource_type, params in searches:
            await self._collect(resource_type, params, _activity_page, facts)
        # `date` on a Period matches what overlaps; keep the visits that started in range.
        lo, hi = start.timestamp(), end.timestamp()
        facts.visits = [v for v in facts.visits if lo <= v.start < hi]
        facts.messages = [m for m in facts.messages if lo <= m.sent < hi]
        return facts

    async def opening_hours(self, centre_id: str | None) -> OpeningHours:
        caps = await self._client.capabilities()
        if centre_id is None or not caps.supports_resource("HealthcareService"):
            return OpeningHours.default()
        result = await self._client.search_all(
            "HealthcareService", [("organization", f"Organization/{centre_id}")]
        )
        return opening_hours(result.matches)


__all__ = [
    "REVIEW_OPERATION",
    "ReviewStore",
    "alert_fact",
    "episode_fact",
    "fact_time",
    "facts_from_stats",
    "message_fact",
    "observation_key",
    "opening_hours",
    "schedule_fact",
    "visit_fact",
]
