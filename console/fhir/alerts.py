"""Alert Tasks ↔ domain alerts, the resources an alert's life writes, and their HTTP calls.

Builders take the Task as the server sent it and return a modified deep copy, so elements the
console does not know survive a round trip. Every update is a version-aware PUT (If-Match); every
create that a retry could duplicate is a conditional create on an idempotency identifier.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
from collections.abc import AsyncGenerator, Iterable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, cast

from console.domain.alerts import (
    OUTCOME_NB,
    Alert,
    AlertNote,
    AlertRule,
    AlertStatus,
    AlertValue,
    Outcome,
    PatientAlerts,
    Principal,
    Priority,
    value_text_nb,
)
from console.domain.model import MeasurementKind, Patient
from console.fhir.client import FhirClient, SearchPage
from console.fhir.errors import FhirError, FhirMalformed
from console.fhir.mapping import LOINC_KINDS, parse_datetime, patient_from_fhir, reference_id

DHO = "http://dho.example/fhir"
RULE_SYSTEM = f"{DHO}/CodeSystem/alert-rule"
OUTCOME_SYSTEM = f"{DHO}/CodeSystem/alert-outcome"
INPUT_SYSTEM = f"{DHO}/CodeSystem/alert-input"
COMMUNICATION_CATEGORY_SYSTEM = f"{DHO}/CodeSystem/communication-category"
DOCUMENT_TYPE_SYSTEM = f"{DHO}/CodeSystem/document-type"
IDEMPOTENCY_SYSTEM = f"{DHO}/NamingSystem/idempotency-key"
SNOOZED_UNTIL_URL = f"{DHO}/StructureDefinition/snoozed-until"
CLAIMED_AT_URL = f"{DHO}/StructureDefinition/claimed-at"
ESCALATED_AT_URL = f"{DHO}/StructureDefinition/escalated-at"
ALERT_CLASS_URL = f"{DHO}/StructureDefinition/alert-class"
ALERT_SEVERITY_URL = f"{DHO}/StructureDefinition/alert-severity"
SUSPECT_VALUE_URL = f"{DHO}/StructureDefinition/suspect-value"
REMEASURE_URL = f"{DHO}/StructureDefinition/remeasure"
OUT_OF_HOURS_URL = f"{DHO}/StructureDefinition/out-of-hours"
SERVICE_CATEGORY_SYSTEM = f"{DHO}/CodeSystem/service-category"
LOINC = "http://loinc.org"
PROGRESS_NOTE = "11506-3"
REMEASURE = "remeasure-request"

PRIORITY_FROM_FHIR: dict[str, Priority] = {
    "routine": Priority.LOW,
    "urgent": Priority.MEDIUM,
    "asap": Priority.HIGH,
    "stat": Priority.HIGH,
}
PRIORITY_TO_FHIR: dict[Priority, str] = {
    Priority.LOW: "routine",
    Priority.MEDIUM: "urgent",
    Priority.HIGH: "asap",
}
SEVERITY: dict[Priority, str] = {
    Priority.HIGH: "high",
    Priority.MEDIUM: "moderate",
    Priority.LOW: "low",
}

#: Task statuses the queue loads.
OPEN_STATUSES = "requested,in-progress,on-hold"


def instant(when: datetime) -> str:
    """FHIR instant in UTC (no '+' to escape in queries)."""
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


# ----- Task → Alert ---------------------------------------------------------------------------


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, dict) and isinstance(concept.get("coding"), list):
        return [c for c in concept["coding"] if isinstance(c, dict)]
    return []


def _extension(resource: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


def _sub(ext: Mapping[str, Any] | None, url: str) -> Any:
    """The value of sub-extension `url` of a complex extension (None when absent)."""
    for sub in (ext or {}).get("extension") or ():
        if isinstance(sub, dict) and sub.get("url") == url:
            for key, value in sub.items():
                if key.startswith("value"):
                    return value
    return None


def _sub_time(ext: Mapping[str, Any] | None, url: str) -> datetime | None:
    value = _sub(ext, url)
    try:
        return parse_datetime(value) if isinstance(value, str) and value else None
    except FhirMalformed:
        return None


def _ext_time(resource: Mapping[str, Any], url: str) -> datetime | None:
    ext = _extension(resource, url)
    if ext is None:
        return None
    value = ext.get("valueDateTime") or ext.get("valueInstant")
    return parse_datetime(value) if value else None


def _optional_time(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) and value else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _input_name(entry: Mapping[str, Any]) -> str:
    concept = entry.get("type")
    for coding in _codings(concept):
        code = coding.get("code")
        if isinstance(code, str) and code:
            return code.lower()
    if isinstance(concept, dict) and isinstance(concept.get("text"), str):
        return str(concept["text"]).lower()
    return ""


#: Measurement names our rule engine writes into `type.text` (Bokmål), for Tasks that name the
#: measurement only so; a LOINC coding on the input wins.
_LABEL_KINDS = {
    "blodtrykk": MeasurementKind.BLOOD_PRESSURE,
    "puls": MeasurementKind.PULSE,
    "oksygenmetning (spo2)": MeasurementKind.SPO2,
    "oksygenmetning": MeasurementKind.SPO2,
    "kroppsvekt": MeasurementKind.WEIGHT,
    "vekt": MeasurementKind.WEIGHT,
    "kroppstemperatur": MeasurementKind.TEMPERATURE,
    "temperatur": MeasurementKind.TEMPERATURE,
    "blodsukker": MeasurementKind.GLUCOSE,
    "respirasjonsfrekvens": MeasurementKind.RESPIRATORY_RATE,
}
#: "gul: ..." / "rød: ..." before a questionnaire answer in the rule engine's valueString.
_LEVEL_PREFIX = re.compile(r"^\s*(gul|rød|yellow|red)\s*:\s*", re.IGNORECASE)


def _input_kind(entry: Mapping[str, Any], text: str) -> MeasurementKind | None:
    for coding in _codings(entry.get("type")):
        if coding.get("system") == LOINC and coding.get("code") in LOINC_KINDS:
            return LOINC_KINDS[str(coding["code"])]
    return _LABEL_KINDS.get(text.strip().casefold())


_COMPARATOR = re.compile(r"(<=|>=|≤|≥|<|>)")
_LEVEL_NAMES = {"red": "red", "rød": "red", "yellow": "yellow", "gul": "yellow"}


def _quantity_value(entry: Mapping[str, Any]) -> tuple[float | None, float | None, str]:
    """(value, second value, UCUM unit) of an input: valueQuantity, a number, or "172/95"."""
    quantity = entry.get("valueQuantity")
    if isinstance(quantity, dict):
        unit = str(quantity.get("code") or quantity.get("unit") or "")
        return _number(quantity.get("value")), None, unit
    for key in ("valueDecimal", "valueInteger"):
        if _number(entry.get(key)) is not None:
            return _number(entry.get(key)), None, ""
    text = entry.get("valueString")
    if isinstance(text, str):
        first, _, second = text.partition("/")
        try:
            return (
                float(first.replace(",", ".")),
                float(second.replace(",", ".")) if second else None,
                "",
            )
        except ValueError:
            pass
    return None, None, ""


def _groups(inputs: Any) -> list[list[dict[str, Any]]]:
    """`Task.input` split into breaches: each starts at a "trigger" entry (repeat breaches
    are appended to the same Task by the rule engine)."""
    groups: list[list[dict[str, Any]]] = []
    for entry in inputs if isinstance(inputs, list) else ():
        if not isinstance(entry, dict):
            continue
        if _input_name(entry) == "trigger" or not groups:
            groups.append([])
        groups[-1].append(entry)
    return groups


def _values(task: Mapping[str, Any], priority: Priority) -> tuple[AlertValue, ...]:
    """Values and the limits they crossed, one `AlertValue` per limit, grouped by breach.

    Per breach: "level" (valueCode red|yellow), "value" (valueQuantity; `type.text` names the
    component), "threshold" (valueString such as "rød: < 88 %", or a valueQuantity with a
    comparator) and "limit" (valueQuantity).
    """
    out: list[AlertValue] = []
    default_level = "red" if priority is Priority.HIGH else "yellow"
    for number, group in enumerate(_groups(task.get("input"))):
        level = ""
        values: dict[str, tuple[float | None, float | None, str]] = {}
        comparators: dict[str, str] = {}
        limits: list[tuple[str, float | None, str]] = []
        #: Inputs that are no number: a due time, a written answer or message.
        other: list[AlertValue] = []
        for entry in group:
            name = _input_name(entry)
            concept = entry.get("type")
            text = str(concept.get("text") or "") if isinstance(concept, dict) else ""
            if name in ("level", "band"):
                raw = entry.get("valueCode") or entry.get("valueString")
                level = _LEVEL_NAMES.get(str(raw).lower(), "") if raw else ""
            elif name == "due":
                due = _optional_time(entry.get("valueDateTime") or entry.get("valueInstant"))
                if due is not None:
                    other.append(AlertValue(due=due, component=text, kind=_input_kind(entry, text)))
            elif name in ("value", "observed", "observed-value", "measurement"):
                parsed = _quantity_value(entry)
                if parsed[0] is not None:
                    values.setdefault(text, parsed)
                elif isinstance(entry.get("valueString"), str) and entry["valueString"].strip():
                    written = entry["valueString"]
                    match = _LEVEL_PREFIX.match(written)
                    answer_level = _LEVEL_NAMES.get(match.group(1).lower(), "") if match else ""
                    other.append(
                        AlertValue(
                            text=written[match.end() :] if match else written,
                            component=text,
                            level=answer_level,
                        )
                    )
            elif name in ("value2", "diastolic") and values:
                first_key = next(iter(values))
                v1, _v2, unit = values[first_key]
                values[first_key] = (v1, _quantity_value(entry)[0], unit)
            elif name == "threshold":
                quantity = entry.get("valueQuantity")
                if isinstance(quantity, dict):
                    comparators[text] = str(quantity.get("comparator") or "")
                    limit, _x, unit = _quantity_value(entry)
                    limits.append((text, limit, unit))
                elif isinstance(entry.get("valueString"), str):
                    match = _COMPARATOR.search(entry["valueString"])
                    if match:
                        comparators[text] = match.group(1)
            elif name == "limit":
                limit, _x, unit = _quantity_value(entry)
                limits.append((text, limit, unit))
                quantity = entry.get("valueQuantity")
                if isinstance(quantity, dict) and quantity.get("comparator"):
                    comparators.setdefault(text, str(quantity["comparator"]))
        for extra in other:
            out.append(replace(extra, level=extra.level or level or default_level, breach=number))
        first = next(iter(values.values()), (None, None, ""))
        if limits:
            for text, limit, unit in limits:
                value, value2, vunit = values.get(text, first)
                out.append(
                    AlertValue(
                        value=value,
                        value2=value2,
                        unit=vunit or unit,
                        threshold=limit,
                        comparator=comparators.get(text, comparators.get("", "")),
                        level=level or default_level,
                        component=text,
                        breach=number,
                    )
                )
        else:
            for text, (value, value2, unit) in values.items():
                out.append(
                    AlertValue(
                        value=value,
                        value2=value2,
                        unit=unit,
                        level=level or default_level,
                        component=text,
                        breach=number,
                    )
                )
    return tuple(out)


def _triggers(task: Mapping[str, Any]) -> list[str]:
    refs = []
    for group in _groups(task.get("input")):
        for entry in group:
            if _input_name(entry) == "trigger":
                ref = entry.get("valueReference")
                if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
                    refs.append(ref["reference"])
    return refs


def _notes(task: Mapping[str, Any]) -> tuple[AlertNote, ...]:
    notes = []
    for note in task.get("note") or []:
        if not isinstance(note, dict) or not isinstance(note.get("text"), str):
            continue
        author = note.get("authorReference")
        name = ""
        author_id = ""
        if isinstance(author, dict):
            name = str(author.get("display") or "")
            author_id = reference_id(author) or ""
        elif isinstance(note.get("authorString"), str):
            name = note["authorString"]
        notes.append(
            AlertNote(
                text=note["text"],
                time=_optional_time(note.get("time")),
                author_id=author_id,
                author_name=name,
            )
        )
    return tuple(notes)


def alert_from_fhir(
    task: Mapping[str, Any], patients: Mapping[str, Patient] | None = None
) -> Alert | None:
    """Task → Alert, or None for Tasks that are not queue alerts (no rule code, no patient)."""
    if not isinstance(task, dict) or task.get("resourceType") != "Task":
        raise FhirMalformed("expected a Task")
    tid = task.get("id")
    if not isinstance(tid, str) or not tid:
        raise FhirMalformed("the Task has no id")
    rule: AlertRule | None = None
    rule_code = ""
    for coding in _codings(task.get("code")):
        if coding.get("system") == RULE_SYSTEM:
            rule_code = str(coding.get("code") or "")
            try:
                rule = AlertRule(rule_code)
            except ValueError:
                rule = AlertRule.OTHER
            break
    if rule is None:
        return None
    patient_id = reference_id(task.get("for"), "Patient")
    if patient_id is None:
        raise FhirMalformed(f"Task/{tid} has no Patient in 'for'")
    try:
        status = AlertStatus(str(task.get("status")))
    except ValueError:
        return None  # draft, received, failed...: not something the queue shows
    priority = PRIORITY_FROM_FHIR.get(str(task.get("priority") or "routine"), Priority.LOW)
    authored = task.get("authoredOn") or (task.get("meta") or {}).get("lastUpdated")
    if not authored:
        raise FhirMalformed(f"Task/{tid} has no authoredOn")
    patient = (patients or {}).get(patient_id)
    for_display = (task.get("for") or {}).get("display")
    name = patient.name if patient else (for_display if isinstance(for_display, str) else "")
    owner = task.get("owner") if isinstance(task.get("owner"), dict) else None
    owner_id = reference_id(owner) if owner else None
    recipients = ((task.get("restriction") or {}).get("recipient")) or []
    department = None
    for recipient in recipients:
        department = reference_id(recipient, "Organization")
        if department:
            break
    outcome: Outcome | None = None
    for coding in _codings(task.get("businessStatus")):
        if coding.get("system") == OUTCOME_SYSTEM:
            try:
                outcome = Outcome(str(coding.get("code")))
            except ValueError:
                outcome = None
    focus = []
    ref = task.get("focus")
    if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
        focus.append(ref["reference"])
    focus = list(dict.fromkeys([*focus, *_triggers(task)]))
    snoozed = _ext_time(task, SNOOZED_UNTIL_URL)
    if snoozed is None:
        period = (task.get("restriction") or {}).get("period") or {}
        snoozed = _optional_time(period.get("end")) if status is AlertStatus.SNOOZED else None
    description = task.get("description")
    meta = task.get("meta") or {}
    klass = _extension(task, ALERT_CLASS_URL)
    severity = _number(_sub(_extension(task, ALERT_SEVERITY_URL), "score")) or 0.0
    suspect = _extension(task, SUSPECT_VALUE_URL)
    remeasure = _extension(task, REMEASURE_URL)
    remeasure_state = ""
    if remeasure is not None:
        remeasure_state = str(_sub(remeasure, "result") or "pending")
    closed = _extension(task, OUT_OF_HOURS_URL)
    return Alert(
        id=tid,
        version=str(meta.get("versionId", "")),
        patient_id=patient_id,
        status=status,
        priority=priority,
        rule=rule,
        rule_code=rule_code,
        authored_on=parse_datetime(authored),
        patient_name=name,
        description=description if isinstance(description, str) else "",
        last_modified=_optional_time(task.get("lastModified")),
        department_id=department,
        owner_id=owner_id,
        owner_name=str(owner.get("display") or "") if owner else "",
        claimed_at=_ext_time(task, CLAIMED_AT_URL) or _optional_time(task.get("lastModified")),
        snoozed_until=snoozed,
        escalated_at=_ext_time(task, ESCALATED_AT_URL),
        focus=tuple(focus),
        values=_values(task, priority),
        notes=_notes(task),
        outcome=outcome,
        alert_class=str((klass or {}).get("valueCode") or "clinical"),
        severity=severity,
        suspect=str(_sub(suspect, "reason") or "") if suspect is not None else "",
        remeasure=remeasure_state,
        out_of_hours=closed is not None,
        closed_since=_sub_time(closed, "closedSince"),
        opens_at=_sub_time(closed, "opensAt"),
        advice=str(_sub(closed, "advice") or ""),
    )


def patients_by_id(resources: Iterable[Mapping[str, Any]]) -> dict[str, Patient]:
    out: dict[str, Patient] = {}
    for resource in resources:
        if resource.get("resourceType") == "Patient":
            try:
                patient = patient_from_fhir(resource)
            except FhirMalformed:
                continue
            out[patient.id] = patient
    return out


# ----- Task builders --------------------------------------------------------------------------


def _practitioner(principal: Principal) -> dict[str, str]:
    return {
        "reference": f"Practitioner/{principal.practitioner_id}",
        "display": principal.display_name,
    }


def _set_extension(task: dict[str, Any], url: str, when: datetime | None) -> None:
    extensions = [
        e for e in task.get("extension") or [] if not (isinstance(e, dict) and e.get("url") == url)
    ]
    if when is not None:
        extensions.append({"url": url, "valueDateTime": instant(when)})
    if extensions:
        task["extension"] = extensions
    else:
        task.pop("extension", None)


def _note(text: str, when: datetime, principal: Principal | None) -> dict[str, Any]:
    note: dict[str, Any] = {"text": text, "time": instant(when)}
    if principal is not None:
        note["authorReference"] = _practitioner(principal)
    else:
        note["authorString"] = "DHO-konsoll"
    return note


def _touch(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    out = copy.deepcopy(dict(task))
    out["lastModified"] = instant(now)
    return out


def _add_note(task: dict[str, Any], note: dict[str, Any]) -> None:
    task["note"] = [*(task.get("note") or []), note]


def _execution(
    task: dict[str, Any], *, start: datetime | None = None, end: datetime | None = None
) -> None:
    """`executionPeriod`: the first claim (kept through a release) and the end, so any FHIR
    client can tell when work on the alert began and ended (the lead's response times)."""
    period = dict(task.get("executionPeriod") or {})
    if start is not None and not period.get("start"):
        period["start"] = instant(start)
    if end is not None:
        period["end"] = instant(end)
    if period:
        task["executionPeriod"] = period


def claim_task(task: Mapping[str, Any], principal: Principal, now: datetime) -> dict[str, Any]:
    out = _touch(task, now)
    out["status"] = AlertStatus.CLAIMED.value
    out["owner"] = _practitioner(principal)
    _set_extension(out, CLAIMED_AT_URL, now)
    _execution(out, start=now)
    _set_extension(out, SNOOZED_UNTIL_URL, None)
    out.pop("statusReason", None)
    return out


def unclaim_task(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    out = _touch(task, now)
    out["status"] = AlertStatus.NEW.value
    out.pop("owner", None)
    _set_extension(out, CLAIMED_AT_URL, None)
    return out


def comment_task(
    task: Mapping[str, Any], principal: Principal, text: str, now: datetime
) -> dict[str, Any]:
    out = _touch(task, now)
    _add_note(out, _note(text, now, principal))
    return out


def snooze_task(
    task: Mapping[str, Any], principal: Principal, until: datetime, reason: str, now: datetime
) -> dict[str, Any]:
    out = _touch(task, now)
    out["status"] = AlertStatus.SNOOZED.value
    out["statusReason"] = {"text": reason}
    _set_extension(out, SNOOZED_UNTIL_URL, until)
    local = until.astimezone()
    text = f"Utsatt til {local:%H:%M}" + (f": {reason}" if reason else "")
    _add_note(out, _note(text, now, principal))
    return out


def wake_task(task: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A snooze is over: back to the queue (still claimed if someone owns it)."""
    out = _touch(task, now)
    out["status"] = AlertStatus.CLAIMED.value if out.get("owner") else AlertStatus.NEW.value
    out.pop("statusReason", None)
    _set_extension(out, SNOOZED_UNTIL_URL, None)
    return out


def forward_task(
    task: Mapping[str, Any],
    principal: Principal,
    now: datetime,
    *,
    department: tuple[str, str] | None = None,
    person: tuple[str, str] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Route to another department (back to new there) and/or hand to a person (their claim)."""
    out = _touch(task, now)
    targets = []
    if department is not None:
        dep_id, dep_name = department
        restriction = dict(out.get("restriction") or {})
        restriction["recipient"] = [{"reference": f"Organization/{dep_id}", "display": dep_name}]
        out["restriction"] = restriction
        out["status"] = AlertStatus.NEW.value
        out.pop("owner", None)
        _set_extension(out, CLAIMED_AT_URL, None)
        targets.append(dep_name)
    if person is not None:
        pid, pname = person
        out["owner"] = {"reference": f"Practitioner/{pid}", "display": pname}
        out["status"] = AlertStatus.CLAIMED.value
        _set_extension(out, CLAIMED_AT_URL, now)
        targets.append(pname)
    _set_extension(out, SNOOZED_UNTIL_URL, None)
    text = "Videresendt til " + " / ".join(targets) + (f": {note}" if note else "")
    _add_note(out, _note(text, now, principal))
    return out


def escalate_task(
    task: Mapping[str, Any], now: datetime, minutes: int, lead: tuple[str, str] | None = None
) -> dict[str, Any]:
    out = _touch(task, now)
    _set_extension(out, ESCALATED_AT_URL, now)
    if lead is not None:
        # The server's shape (docs/contract.md, "Escalation"): the lead joins the recipients.
        restriction = dict(out.get("restriction") or {})
        recipients = list(restriction.get("recipient") or [])
        ref = f"Practitioner/{lead[0]}"
        if all(r.get("reference") != ref for r in recipients if isinstance(r, dict)):
            recipients.append({"reference": ref, "display": lead[1]})
        restriction["recipient"] = recipients
        out["restriction"] = restriction
    who = f" til {lead[1]}" if lead else " til leder"
    _add_note(
        out,
        _note(f"Eskalert{who}: ikke tatt innen {minutes} min.", now, None),
    )
    return out


def resolve_task(
    task: Mapping[str, Any], principal: Principal, outcome: Outcome, comment: str, now: datetime
) -> dict[str, Any]:
    out = _touch(task, now)
    out["status"] = AlertStatus.COMPLETED.value
    out["businessStatus"] = {
        "coding": [
            {"system": OUTCOME_SYSTEM, "code": outcome.value, "display": OUTCOME_NB[outcome]}
        ],
        "text": OUTCOME_NB[outcome],
    }
    out["owner"] = _practitioner(principal)
    _set_extension(out, SNOOZED_UNTIL_URL, None)
    _execution(out, end=now)
    out.pop("statusReason", None)
    if comment.strip():
        _add_note(out, _note(comment.strip(), now, principal))
    return out


# ----- resources written when an alert is closed ----------------------------------------------


def idempotency_key(prefix: str, ids: Iterable[str], *extra: str) -> str:
    digest = hashlib.sha256("|".join([*sorted(ids), *extra]).encode()).hexdigest()[:24]
    return f"{prefix}-{digest}"


def _identifier(key: str) -> list[dict[str, str]]:
    return [{"system": IDEMPOTENCY_SYSTEM, "value": key}]


def if_none_exist(key: str) -> str:
    return f"identifier={IDEMPOTENCY_SYSTEM}|{key}"


def _focus_refs(card: PatientAlerts) -> list[dict[str, str]]:
    refs = dict.fromkeys(ref for alert in card.alerts for ref in alert.focus)
    return [{"reference": ref} for ref in refs]


def detected_issue(
    card: PatientAlerts,
    principal: Principal,
    outcome: Outcome,
    comment: str,
    now: datetime,
    key: str,
) -> dict[str, Any]:
    worst = card.alerts[0]
    findings = [value_text_nb(a.rule, v) for a in card.alerts for v in a.latest_values]
    findings += [a.description for a in card.alerts if not a.values and a.description]
    detail = "; ".join(f for f in findings if f)
    if comment.strip():
        detail = f"{detail}. {comment.strip()}" if detail else comment.strip()
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue",
        "identifier": _identifier(key),
        "status": "final",
        "code": {
            "coding": [{"system": RULE_SYSTEM, "code": worst.rule_code or worst.rule.value}],
            "text": worst.description or worst.rule.value,
        },
        "severity": SEVERITY[card.priority],
        "patient": {"reference": f"Patient/{card.patient_id}", "display": card.patient_name},
        "identifiedDateTime": instant(now),
        "author": _practitioner(principal),
        "implicated": _focus_refs(card),
        "detail": detail or OUTCOME_NB[outcome],
        "mitigation": [
            {
                "action": {
                    "coding": [{"system": OUTCOME_SYSTEM, "code": outcome.value}],
                    "text": OUTCOME_NB[outcome],
                },
                "date": instant(now),
                "author": _practitioner(principal),
            }
        ],
    }
    if not resource["implicated"]:
        del resource["implicated"]
    return resource


def composition(
    card: PatientAlerts,
    principal: Principal,
    note: str,
    now: datetime,
    key: str,
    detected_issue_ref: str | None = None,
) -> dict[str, Any]:
    """The draft journal note as a preliminary Composition (LOINC progress note + local code)."""
    body = "<br/>".join(html.escape(line) for line in note.splitlines())
    entries = _focus_refs(card)
    if detected_issue_ref:
        entries.append({"reference": detected_issue_ref})
    section: dict[str, Any] = {
        "title": "Journalnotat",
        "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>',
        },
    }
    if entries:
        section["entry"] = entries
    return {
        "resourceType": "Composition",
        "identifier": _identifier(key)[0],
        "status": "preliminary",
        "type": {
            "coding": [
                {"system": LOINC, "code": PROGRESS_NOTE, "display": "Progress note"},
                {"system": DOCUMENT_TYPE_SYSTEM, "code": "dho-note", "display": "DHO-notat"},
            ],
            "text": "DHO-notat",
        },
        "subject": {"reference": f"Patient/{card.patient_id}", "display": card.patient_name},
        "date": instant(now),
        "author": [_practitioner(principal)],
        "title": "Digital hjemmeoppfølging – journalnotat (utkast)",
        "section": [section],
    }


def composition_text(resource: Mapping[str, Any]) -> str:
    """The plain text of a Composition written by `composition` (for tests and re-display)."""
    div = ""
    for section in resource.get("section") or []:
        div = str(((section or {}).get("text") or {}).get("div") or "")
        break
    inner = div.split(">", 1)[-1].rsplit("</div>", 1)[0]
    return html.unescape(inner.replace("<br/>", "\n"))


def remeasure_request(
    alert: Alert, principal: Principal, text: str, now: datetime, key: str
) -> dict[str, Any]:
    """A message asking the patient to measure again (conditional create on `key`)."""
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "identifier": _identifier(key),
        "status": "completed",
        "category": [
            {
                "coding": [
                    {
                        "system": COMMUNICATION_CATEGORY_SYSTEM,
                        "code": REMEASURE,
                        "display": "Be om ny måling",
                    }
                ]
            }
        ],
        "subject": {"reference": f"Patient/{alert.patient_id}"},
        "recipient": [{"reference": f"Patient/{alert.patient_id}"}],
        "sender": _practitioner(principal),
        "sent": instant(now),
        "about": [{"reference": f"Task/{alert.id}"}, *({"reference": f} for f in alert.focus)],
        "payload": [{"contentString": text}],
    }
    return resource


# ----- HTTP -----------------------------------------------------------------------------------


class AlertStore:
    """The alert use cases' HTTP calls, all through the one `FhirClient`."""

    def __init__(self, client: FhirClient, *, page_size: int = 200) -> None:
        self._client = client
        self._page_size = page_size

    async def leads(self) -> list[tuple[str, str, str]]:
        """(practitioner id, name, organization id) of every department lead we may see."""
        result = await self._client.search_all(
            "PractitionerRole",
            {"role": "lead", "_include": "PractitionerRole:practitioner", "_count": "200"},
        )
        names: dict[str, str] = {}
        for practitioner in result.included:
            if practitioner.get("resourceType") != "Practitioner":
                continue
            name = (practitioner.get("name") or [{}])[0]
            text = name.get("text") or " ".join([*name.get("given", []), name.get("family", "")])
            names[str(practitioner.get("id"))] = text.strip()
        out = []
        for role in result.matches:
            pid = reference_id(role.get("practitioner"), "Practitioner")
            org = reference_id(role.get("organization"), "Organization") or ""
            if pid:
                out.append((pid, names.get(pid, pid), org))
        return out

    async def _departments(self, departments: Sequence[str] | None) -> list[tuple[str, str]]:
        """Narrow to departments on the server only where it declares how (our `organization`
        extension). R4 Task has no such parameter: then every open Task the server lets us see
        is read and the caller keeps its departments' (by `restriction.recipient`, or the
        patient's EpisodeOfCare), so nothing is asked that the server would refuse."""
        if not departments:
            return []
        try:
            caps = await self._client.capabilities()
        except FhirError:  # no usable statement: ask nothing it might not know
            return []
        if not caps.supports_search_param("Task", "organization"):
            return []
        return [("organization", ",".join(f"Organization/{d}" for d in departments))]

    async def open_tasks(
        self, departments: Sequence[str] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Patient]]:
        params = [
            ("status", OPEN_STATUSES),
            *await self._departments(departments),
            ("_include", "Task:patient"),
            ("_count", str(self._page_size)),
        ]
        result = await self._client.search_all("Task", params)
        return result.matches, patients_by_id(result.included)

    async def tasks_since(
        self, departments: Sequence[str] | None, since: datetime
    ) -> tuple[list[dict[str, Any]], dict[str, Patient]]:
        params = [
            ("authored-on", f"ge{instant(since)}"),
            *await self._departments(departments),
            ("_include", "Task:patient"),
            ("_count", str(self._page_size)),
        ]
        result = await self._client.search_all("Task", params)
        return result.matches, patients_by_id(result.included)

    async def capabilities(self) -> Any:
        return await self._client.capabilities()

    async def healthcare_services(self) -> list[dict[str, Any]]:
        """The response centres' HealthcareServices (their service hours); [] when the
        server has none (then the default hours apply)."""
        caps = await self._client.capabilities()
        if not caps.supports_resource("HealthcareService"):
            return []
        result = await self._client.search_all(
            "HealthcareService",
            [("service-category", f"{SERVICE_CATEGORY_SYSTEM}|response-centre"), ("_count", "100")],
        )
        return result.matches

    async def tasks_closed_since(
        self, departments: Sequence[str] | None, since: datetime
    ) -> tuple[list[dict[str, Any]], dict[str, Patient]]:
        """Tasks completed or cancelled since `since` (raised before it too): the handover's
        "resolved this shift"."""
        params = [
            ("status", "completed,cancelled"),
            ("_lastUpdated", f"ge{instant(since)}"),
            *await self._departments(departments),
            ("_include", "Task:patient"),
            ("_count", str(self._page_size)),
        ]
        result = await self._client.search_all("Task", params)
        return result.matches, patients_by_id(result.included)

    async def patients(self, ids: Sequence[str]) -> dict[str, Patient]:
        if not ids:
            return {}
        result = await self._client.search_all(
            "Patient", [("_id", ",".join(ids)), ("_count", str(len(ids)))]
        )
        return patients_by_id(result.matches)

    async def recent_observations(
        self, patient_id: str, codes: Sequence[str], count: int = 10
    ) -> list[dict[str, Any]]:
        params = [
            ("patient", f"Patient/{patient_id}"),
            ("code", ",".join(f"{LOINC}|{c}" for c in codes)),
            ("_sort", "-date"),
            ("_count", str(count)),
        ]
        # Only the first page: the newest `count` values are enough.
        generator = cast(
            AsyncGenerator[SearchPage, None], self._client.search_pages("Observation", params)
        )
        async with aclosing(generator) as pages:
            async for page in pages:
                return page.matches
        return []

    async def read(self, task_id: str) -> dict[str, Any]:
        return await self._client.read("Task", task_id)

    async def update(self, resource: Mapping[str, Any]) -> dict[str, Any]:
        version = str((resource.get("meta") or {}).get("versionId") or "")
        if not version:
            raise ValueError("an update needs the version it was based on (meta.versionId)")
        return await self._client.update(resource, if_match=version)

    async def create_once(self, resource: Mapping[str, Any], key: str) -> dict[str, Any]:
        return await self._client.create(resource, if_none_exist=if_none_exist(key))
