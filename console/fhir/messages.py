"""Communication, Appointment and Encounter for messaging and video: builders, mapping, HTTP.

Shapes are documented in docs/contract.md, "Messaging and video". Builders return plain dicts;
`*_from_fhir` map into `console.domain.messages` (None for resources that are not ours,
`FhirMalformed` for ones we cannot read); `MessageStore` is the only place that calls the server
for these use cases.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from console.domain.messages import (
    THREAD_CATEGORIES,
    Category,
    Message,
    MessagingUser,
    Party,
    PartyKind,
    QuickReply,
    ThreadKind,
    VideoCall,
    default_thread_id,
    thread_of,
)
from console.domain.patient_texts import LANGUAGES as PATIENT_LANGUAGES
from console.domain.patient_texts import Purpose, TemplateKey
from console.fhir.client import FhirClient
from console.fhir.errors import FhirHttpError, FhirMalformed
from console.fhir.mapping import parse_datetime, reference_id

log = logging.getLogger(__name__)

DHO = "http://dho.example/fhir"
CATEGORY_SYSTEM = f"{DHO}/CodeSystem/communication-category"
THREAD_ID_URL = f"{DHO}/StructureDefinition/thread-id"
READ_BY_URL = f"{DHO}/StructureDefinition/read-by"
SENDER_ORGANIZATION_URL = f"{DHO}/StructureDefinition/sender-organization"
MESSAGE_KEY_SYSTEM = f"{DHO}/sid/message-key"
MEETING_URL_URL = f"{DHO}/StructureDefinition/meeting-url"
OUTCOME_NOTE_URL = f"{DHO}/StructureDefinition/outcome-note"
VISIT_TYPE_SYSTEM = f"{DHO}/CodeSystem/visit-type"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
UCUM = "http://unitsofmeasure.org"

CATEGORY_DISPLAY: Mapping[Category, str] = {
    Category.PATIENT_THREAD: "Melding med pasient og pårørende",
    Category.COLLEAGUE_THREAD: "Samhandling mellom tjenester",
    Category.CONTACT_REQUEST: "Pasienten ber om kontakt",
    Category.REMEASURE_REQUEST: "Be om ny måling",
    Category.QUICK_REPLY_TEMPLATE: "Hurtigsvar",
    Category.PATIENT_MESSAGE_TEMPLATE: "Meldingsmal til pasienter",
}
PATIENT_MESSAGE_SYSTEM = f"{DHO}/CodeSystem/patient-message"

_PARTY_KINDS = {k.value: k for k in PartyKind if k is not PartyKind.UNKNOWN}
_SKIP_STATUS = frozenset({"entered-in-error", "preparation", "stopped"})


def instant(when: datetime) -> str:
    """FHIR instant in UTC with milliseconds (no '+' to escape in queries)."""
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def if_none_exist(key: str) -> str:
    """The `If-None-Exist` query that makes a message's create idempotent."""
    return f"identifier={MESSAGE_KEY_SYSTEM}|{key}"


def category_concept(category: Category) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": CATEGORY_SYSTEM,
                "code": category.value,
                "display": CATEGORY_DISPLAY[category],
            }
        ]
    }


def category_param(kind: ThreadKind) -> str:
    """`category=` value (comma = OR) listing every category of a thread."""
    return ",".join(f"{CATEGORY_SYSTEM}|{c.value}" for c in THREAD_CATEGORIES[kind])


def _ref(party: Party) -> dict[str, str]:
    out = {"reference": party.reference}
    if party.name:
        out["display"] = party.name
    return out


# ----- builders ----------------------------------------------------------------------------


def message_resource(
    *,
    patient_id: str,
    thread: ThreadKind,
    text: str,
    me: MessagingUser,
    key: str,
    sent: datetime,
    recipients: Sequence[Party] = (),
    in_response_to: str | None = None,
    thread_id: str | None = None,
    category: Category | None = None,
) -> dict[str, Any]:
    """A message from this console's user, ready for a conditional create on `key`.

    Patient thread: to the patient and the given relatives. Colleague thread: to the given
    services (organizations); our own service is recorded as having read it already.
    """
    if category is None:
        category = (
            Category.PATIENT_THREAD if thread is ThreadKind.PATIENT else Category.COLLEAGUE_THREAD
        )
    if thread_of(category) is not thread:
        raise ValueError(f"category {category} does not belong to the {thread} thread")
    sender = _ref(me.practitioner)
    if me.organization_name:
        sender["display"] = f"{me.name} ({me.organization_name})"
    to = list(recipients)
    if thread is ThreadKind.PATIENT and not any(p.kind is PartyKind.PATIENT for p in to):
        to.insert(0, Party(PartyKind.PATIENT, patient_id))
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "extension": [
            {
                "url": THREAD_ID_URL,
                "valueString": thread_id or default_thread_id(patient_id, thread),
            }
        ],
        "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
        "status": "completed",
        "category": [category_concept(category)],
        "subject": {"reference": f"Patient/{patient_id}"},
        "sent": instant(sent),
        "sender": sender,
        "recipient": [_ref(p) for p in to],
        "payload": [{"contentString": text}],
    }
    if in_response_to:
        resource["inResponseTo"] = [{"reference": f"Communication/{in_response_to}"}]
    if thread is ThreadKind.COLLEAGUE:
        resource["extension"].append(_read_by(me.reader, sent))
        if me.organization_id:
            org = {"reference": f"Organization/{me.organization_id}"}
            if me.organization_name:
                org["display"] = me.organization_name
            resource["extension"].append({"url": SENDER_ORGANIZATION_URL, "valueReference": org})
    return resource


def _read_by(reader: str, when: datetime) -> dict[str, Any]:
    return {
        "url": READ_BY_URL,
        "extension": [
            {"url": "reader", "valueReference": {"reference": reader}},
            {"url": "time", "valueDateTime": instant(when)},
        ],
    }


def with_read_marker(resource: Mapping[str, Any], reader: str, when: datetime) -> dict[str, Any]:
    """A copy of a message marked as read by the service: `received` on patient-thread messages
    (the first read wins), a `read-by` entry for `reader` on colleague-thread messages."""
    out = dict(resource)
    category = _category(resource)
    if category is not None and thread_of(category) is ThreadKind.COLLEAGUE:
        if reader not in _readers(resource):
            out["extension"] = [*(resource.get("extension") or []), _read_by(reader, when)]
    elif not resource.get("received"):
        out["received"] = instant(when)
    return out


def is_marked_read(resource: Mapping[str, Any], reader: str) -> bool:
    category = _category(resource)
    if category is not None and thread_of(category) is ThreadKind.COLLEAGUE:
        return reader in _readers(resource)
    return bool(resource.get("received"))


def template_resource(department_id: str, text: str, me: MessagingUser) -> dict[str, Any]:
    """A department's quick-reply template: a Communication in `preparation` from the department
    (`sender` = Organization), never sent, found with `category` + `sender` + `status`."""
    return {
        "resourceType": "Communication",
        "status": "preparation",
        "category": [category_concept(Category.QUICK_REPLY_TEMPLATE)],
        "sender": {"reference": f"Organization/{department_id}"},
        "note": [{"authorReference": _ref(me.practitioner), "text": "Hurtigsvar for avdelingen"}],
        "payload": [{"contentString": text}],
    }


def template_from_fhir(resource: Mapping[str, Any]) -> QuickReply | None:
    if resource.get("resourceType") != "Communication" or resource.get("status") != "preparation":
        return None
    if _category(resource) is not Category.QUICK_REPLY_TEMPLATE:
        return None
    text = _payload_text(resource)
    if not text:
        return None
    return QuickReply(
        text=text,
        id=str(resource.get("id", "")),
        version=_version(resource),
        department_id=reference_id(resource.get("sender"), "Organization") or "",
    )


def patient_text_resource(
    department_id: str, key: TemplateKey, text: str, me: MessagingUser
) -> dict[str, Any]:
    """A department's wording of one message to patients, in one language: a Communication in
    `preparation` from the department, `topic` = the purpose, `language` = nb | nn | en."""
    return {
        "resourceType": "Communication",
        "language": key.language,
        "status": "preparation",
        "category": [category_concept(Category.PATIENT_MESSAGE_TEMPLATE)],
        "topic": {"coding": [{"system": PATIENT_MESSAGE_SYSTEM, "code": key.purpose.value}]},
        "sender": {"reference": f"Organization/{department_id}"},
        "note": [{"authorReference": _ref(me.practitioner), "text": "Meldingsmal for avdelingen"}],
        "payload": [{"contentString": text}],
    }


def patient_text_from_fhir(resource: Mapping[str, Any]) -> tuple[TemplateKey, QuickReply] | None:
    """(purpose and language, the stored text with its id and version), or None."""
    if resource.get("status") != "preparation":
        return None
    if _category(resource) is not Category.PATIENT_MESSAGE_TEMPLATE:
        return None
    purpose = None
    for coding in (resource.get("topic") or {}).get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == PATIENT_MESSAGE_SYSTEM:
            try:
                purpose = Purpose(str(coding.get("code")))
            except ValueError:
                return None
    language = str(resource.get("language") or "")
    text = _payload_text(resource)
    if purpose is None or language not in PATIENT_LANGUAGES or not text:
        return None
    stored = QuickReply(
        text=text,
        id=str(resource.get("id", "")),
        version=_version(resource),
        department_id=reference_id(resource.get("sender"), "Organization") or "",
    )
    return TemplateKey(purpose, language), stored


def appointment_resource(
    *,
    patient_id: str,
    me: MessagingUser,
    url: str,
    start: datetime,
    key: str,
    relative_id: str | None = None,
    minutes: int = 30,
) -> dict[str, Any]:
    """A booked video visit starting now: patient needs-action, practitioner accepted."""
    participants: list[dict[str, Any]] = [
        {
            "actor": {"reference": f"Patient/{patient_id}"},
            "required": "required",
            "status": "needs-action",
        },
        {"actor": _ref(me.practitioner), "required": "required", "status": "accepted"},
    ]
    if relative_id:
        participants.append(
            {
                "actor": {"reference": f"RelatedPerson/{relative_id}"},
                "required": "optional",
                "status": "needs-action",
            }
        )
    video = {"coding": [{"system": VISIT_TYPE_SYSTEM, "code": "video", "display": "Video"}]}
    return {
        "resourceType": "Appointment",
        "extension": [{"url": MEETING_URL_URL, "valueUrl": url}],
        "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
        "status": "booked",
        "serviceType": [video],
        "appointmentType": video,
        "description": "Videosamtale",
        "start": instant(start),
        "end": instant(start + timedelta(minutes=minutes)),
        "created": instant(start),
        "comment": url,
        "participant": participants,
    }


def encounter_resource(
    *,
    patient_id: str,
    appointment_id: str,
    me: MessagingUser,
    start: datetime,
    key: str,
) -> dict[str, Any]:
    """The video visit as it happens: class VR (virtual), in progress."""
    return {
        "resourceType": "Encounter",
        "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
        "status": "in-progress",
        "class": {"system": ACT_CODE_SYSTEM, "code": "VR", "display": "virtual"},
        "subject": {"reference": f"Patient/{patient_id}"},
        "participant": [{"individual": _ref(me.practitioner)}],
        "appointment": [{"reference": f"Appointment/{appointment_id}"}],
        "period": {"start": instant(start)},
    }


def ended_encounter(resource: Mapping[str, Any], end: datetime, note: str) -> dict[str, Any]:
    """The Encounter finished at `end`, with its length in minutes and the outcome note."""
    out = dict(resource)
    period = dict(resource.get("period") or {})
    period["end"] = instant(end)
    out["period"] = period
    out["status"] = "finished"
    start_text = period.get("start")
    if isinstance(start_text, str):
        seconds = (end - parse_datetime(start_text)).total_seconds()
        out["length"] = {
            "value": round(max(0.0, seconds) / 60.0, 1),
            "unit": "min",
            "system": UCUM,
            "code": "min",
        }
    extensions = [e for e in resource.get("extension") or [] if e.get("url") != OUTCOME_NOTE_URL]
    if note.strip():
        extensions.append({"url": OUTCOME_NOTE_URL, "valueString": note.strip()})
    if extensions:
        out["extension"] = extensions
    return out


def fulfilled_appointment(resource: Mapping[str, Any], end: datetime) -> dict[str, Any]:
    out = dict(resource)
    out["status"] = "fulfilled"
    out["end"] = instant(end)
    return out


def video_call_from_fhir(
    encounter: Mapping[str, Any], appointment: Mapping[str, Any] | None
) -> VideoCall | None:
    """Encounter (class VR) + its Appointment → VideoCall; None for other encounters."""
    klass = encounter.get("class")
    if not isinstance(klass, dict) or klass.get("code") != "VR":
        return None
    patient_id = reference_id(encounter.get("subject"), "Patient")
    period = encounter.get("period") or {}
    if not patient_id or not isinstance(period, dict) or "start" not in period:
        raise FhirMalformed("a video Encounter needs subject and period.start")
    url = ""
    relative_id = None
    appointment_id = ""
    appointment_version = ""
    if appointment is not None:
        appointment_id = str(appointment.get("id", ""))
        appointment_version = _version(appointment)
        for ext in appointment.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") == MEETING_URL_URL:
                url = str(ext.get("valueUrl") or "")
        for participant in appointment.get("participant") or []:
            rid = reference_id((participant or {}).get("actor"), "RelatedPerson")
            if rid:
                relative_id = rid
    note = ""
    for ext in encounter.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == OUTCOME_NOTE_URL:
            note = str(ext.get("valueString") or "")
    practitioner = ""
    for participant in encounter.get("participant") or []:
        individual = (participant or {}).get("individual") or {}
        if isinstance(individual, dict) and individual.get("display"):
            practitioner = str(individual["display"])
    end = period.get("end")
    return VideoCall(
        patient_id=patient_id,
        url=url,
        started=parse_datetime(period["start"]),
        appointment_id=appointment_id,
        appointment_version=appointment_version,
        encounter_id=str(encounter.get("id", "")),
        encounter_version=_version(encounter),
        ended=parse_datetime(end) if end else None,
        outcome=note,
        relative_id=relative_id,
        practitioner_name=practitioner,
    )


# ----- mapping -------------------------------------------------------------------------------


def _version(resource: Mapping[str, Any]) -> str:
    meta = resource.get("meta")
    if isinstance(meta, dict) and meta.get("versionId") is not None:
        return str(meta["versionId"])
    return ""


def _category(resource: Mapping[str, Any]) -> Category | None:
    for concept in resource.get("category") or []:
        for coding in (concept or {}).get("coding") or []:
            if isinstance(coding, dict) and coding.get("system") == CATEGORY_SYSTEM:
                try:
                    return Category(str(coding.get("code")))
                except ValueError:
                    continue
    return None


def _payload_text(resource: Mapping[str, Any]) -> str:
    texts = [
        str(p["contentString"])
        for p in resource.get("payload") or []
        if isinstance(p, dict) and p.get("contentString")
    ]
    return "\n".join(texts)


def _readers(resource: Mapping[str, Any]) -> frozenset[str]:
    readers: set[str] = set()
    for ext in resource.get("extension") or []:
        if not isinstance(ext, dict) or ext.get("url") != READ_BY_URL:
            continue
        for sub in ext.get("extension") or []:
            if isinstance(sub, dict) and sub.get("url") == "reader":
                ref = (sub.get("valueReference") or {}).get("reference")
                if isinstance(ref, str):
                    readers.add(ref)
    return frozenset(readers)


def party_from_reference(reference: Any, known: Mapping[str, Party] | None = None) -> Party:
    """A sender/recipient reference → Party, using `known` (from included resources)."""
    ref = reference.get("reference") if isinstance(reference, dict) else None
    display = str(reference.get("display") or "") if isinstance(reference, dict) else ""
    if not isinstance(ref, str) or "/" not in ref:
        return Party(PartyKind.UNKNOWN, "", display)
    parts = ref.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    rtype, rid = parts[-2], parts[-1]
    kind = _PARTY_KINDS.get(rtype, PartyKind.UNKNOWN)
    found = (known or {}).get(f"{rtype}/{rid}")
    if found is not None:
        return Party(kind, rid, found.name or display, found.relationship)
    return Party(kind, rid, display)


def _human_name(names: Any) -> str:
    if not isinstance(names, list):
        return ""
    for name in names:
        if not isinstance(name, dict):
            continue
        if name.get("text"):
            return str(name["text"])
        given = " ".join(str(g) for g in name.get("given") or [])
        return " ".join(p for p in (given, str(name.get("family") or "")) if p)
    return ""


def party_from_fhir(resource: Mapping[str, Any]) -> Party | None:
    """Patient / RelatedPerson / Practitioner / Organization → Party (with relationship)."""
    rtype = resource.get("resourceType")
    kind = _PARTY_KINDS.get(str(rtype))
    rid = resource.get("id")
    if kind is None or not isinstance(rid, str):
        return None
    if kind is PartyKind.ORGANIZATION:
        return Party(kind, rid, str(resource.get("name") or ""))
    relationship = ""
    if kind is PartyKind.RELATIVE:
        for concept in resource.get("relationship") or []:
            if not isinstance(concept, dict):
                continue
            codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
            relationship = str(
                (codings[0].get("code") if codings else None) or concept.get("text") or ""
            )
            if relationship:
                break
    return Party(kind, rid, _human_name(resource.get("name")), relationship)


def parties_by_reference(resources: Iterable[Mapping[str, Any]]) -> dict[str, Party]:
    out: dict[str, Party] = {}
    for resource in resources:
        party = party_from_fhir(resource)
        if party is not None:
            out[party.reference] = party
    return out


def message_from_fhir(
    resource: Mapping[str, Any], known: Mapping[str, Party] | None = None
) -> Message | None:
    """Communication → Message; None when it is not a thread message about a patient."""
    if resource.get("resourceType") != "Communication":
        raise FhirMalformed(f"expected a Communication, got {resource.get('resourceType')}")
    rid = resource.get("id")
    if not isinstance(rid, str) or not rid:
        raise FhirMalformed("the Communication has no id")
    category = _category(resource)
    thread = thread_of(category) if category is not None else None
    if category is None or thread is None or resource.get("status") in _SKIP_STATUS:
        return None
    patient_id = reference_id(resource.get("subject"), "Patient")
    sender = party_from_reference(resource.get("sender"), known)
    if patient_id is None and sender.kind is PartyKind.PATIENT:
        patient_id = sender.id
    if not patient_id:
        return None
    sent_text = resource.get("sent") or (resource.get("meta") or {}).get("lastUpdated")
    received_text = resource.get("received")
    thread_id = ""
    sender_org = ""
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == THREAD_ID_URL:
            thread_id = str(ext.get("valueString") or "")
        elif isinstance(ext, dict) and ext.get("url") == SENDER_ORGANIZATION_URL:
            org_id = reference_id(ext.get("valueReference"), "Organization")
            sender_org = f"Organization/{org_id}" if org_id else ""
    key = ""
    for ident in resource.get("identifier") or []:
        if isinstance(ident, dict) and ident.get("system") == MESSAGE_KEY_SYSTEM:
            key = str(ident.get("value") or "")
    reply_to = None
    for ref in resource.get("inResponseTo") or []:
        reply_to = reference_id(ref, "Communication") or reply_to
    return Message(
        id=rid,
        patient_id=patient_id,
        thread=thread,
        category=category,
        sender=sender,
        sent=parse_datetime(sent_text),
        text=_payload_text(resource),
        version=_version(resource),
        thread_id=thread_id or default_thread_id(patient_id, thread),
        recipients=tuple(party_from_reference(r, known) for r in resource.get("recipient") or []),
        received=parse_datetime(received_text) if received_text else None,
        read_by=_readers(resource),
        in_response_to=reply_to,
        key=key,
        status=str(resource.get("status") or ""),
        sender_organization=sender_org,
        updated=_updated(resource),
    )


def _updated(resource: Mapping[str, Any]) -> datetime | None:
    meta = resource.get("meta")
    stamp = meta.get("lastUpdated") if isinstance(meta, dict) else None
    if not isinstance(stamp, str):
        return None
    try:
        return parse_datetime(stamp)
    except FhirMalformed:
        return None


# ----- HTTP ------------------------------------------------------------------------------------


class MessageStore:
    """The messaging and video use cases' server calls, all through the one `FhirClient`."""

    def __init__(self, client: FhirClient, *, page_size: int = 100) -> None:
        self.client = client
        self.page_size = page_size

    async def thread(
        self, patient_id: str, kind: ThreadKind
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Every message of a patient's thread, oldest first (all pages), and the senders."""
        params = [
            ("subject", f"Patient/{patient_id}"),
            ("category", category_param(kind)),
            ("_sort", "sent"),
            ("_include", "Communication:sender"),
            ("_count", str(self.page_size)),
        ]
        result = await self.client.search_all("Communication", params)
        return result.matches, result.included

    async def recent(
        self, since: datetime, patient_ids: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Messages of both threads sent since `since` (for the unread counts at start)."""
        categories = f"{category_param(ThreadKind.PATIENT)},{category_param(ThreadKind.COLLEAGUE)}"
        params = [
            ("category", categories),
            ("sent", f"ge{instant(since)}"),
            ("_count", "1000"),
        ]
        # Name the patients only when they are few: a centre's thousands of ids would make a
        # URL servers refuse. The server scopes the search to our departments anyway, and
        # the rest is filtered here.
        wanted = set(patient_ids or ())
        if wanted and len(wanted) <= 50:
            params.append(("subject", ",".join(f"Patient/{p}" for p in sorted(wanted))))
        result = await self.client.search_all("Communication", params)
        if not wanted:
            return result.matches
        return [r for r in result.matches if reference_id(r.get("subject"), "Patient") in wanted]

    async def related_persons(self, patient_id: str) -> list[dict[str, Any]]:
        result = await self.client.search_all(
            "RelatedPerson", {"patient": f"Patient/{patient_id}", "_count": "50"}
        )
        return [r for r in result.matches if r.get("active", True) is not False]

    async def patient_department(self, patient_id: str) -> str | None:
        result = await self.client.search_all(
            "EpisodeOfCare", {"patient": f"Patient/{patient_id}", "status": "active"}
        )
        for episode in result.matches:
            dep = reference_id(episode.get("managingOrganization"), "Organization")
            if dep:
                return dep
        return None

    async def create_once(self, resource: Mapping[str, Any], key: str) -> dict[str, Any]:
        return await self.client.create(resource, if_none_exist=if_none_exist(key))

    async def create(self, resource: Mapping[str, Any]) -> dict[str, Any]:
        return await self.client.create(resource)

    async def update_with_retry(
        self,
        resource: Mapping[str, Any],
        change: Callable[[Mapping[str, Any]], dict[str, Any] | None],
    ) -> dict[str, Any]:
        """Version-aware update of `change(resource)`; on 412 re-read, re-apply, try once more.

        `change` returns None when nothing needs writing (e.g. a colleague marked it first);
        the current version is then returned as is.
        """
        current: Mapping[str, Any] = resource
        for attempt in range(2):
            changed = change(current)
            if changed is None:
                return dict(current)
            version = _version(current)
            if not version:
                raise ValueError("an update needs the version it was based on (meta.versionId)")
            try:
                return await self.client.update(changed, if_match=version)
            except FhirHttpError as exc:
                if exc.status != 412 or attempt == 1:
                    raise
                log.info("412 on %s/%s; re-reading", resource["resourceType"], resource["id"])
                current = await self.client.read(str(resource["resourceType"]), str(resource["id"]))
        raise AssertionError("unreachable")  # pragma: no cover

    async def templates(self, department_id: str) -> list[dict[str, Any]]:
        params = [
            ("category", f"{CATEGORY_SYSTEM}|{Category.QUICK_REPLY_TEMPLATE.value}"),
            ("sender", f"Organization/{department_id}"),
            ("status", "preparation"),
            ("_count", "100"),
        ]
        result = await self.client.search_all("Communication", params)
        return result.matches

    async def patient_texts(self, department_id: str) -> list[dict[str, Any]]:
        params = [
            ("category", f"{CATEGORY_SYSTEM}|{Category.PATIENT_MESSAGE_TEMPLATE.value}"),
            ("sender", f"Organization/{department_id}"),
            ("status", "preparation"),
            ("_count", "100"),
        ]
        result = await self.client.search_all("Communication", params)
        return result.matches

    async def read(self, resource_type: str, resource_id: str) -> dict[str, Any]:
        return await self.client.read(resource_type, resource_id)

    async def video_calls(
        self, patient_id: str
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """The patient's video Encounters, newest first, with their Appointments by id."""
        params = [
            ("subject", f"Patient/{patient_id}"),
            ("class", f"{ACT_CODE_SYSTEM}|VR"),
            ("_sort", "-date"),
            ("_include", "Encounter:appointment"),
            ("_count", "100"),
        ]
        result = await self.client.search_all("Encounter", params)
        appointments = {
            str(r["id"]): r for r in result.included if r.get("resourceType") == "Appointment"
        }
        return result.matches, appointments
