"""Alert Tasks the console raises itself (servers without rules), in the server's Task shape.

`console.domain.alert_rules` finds breaches; this module reads what they need (the
Observation's values, the patient's ServiceRequests) and writes the Task exactly as the
reference backend's rules would (server/rules/engine.py `new_task`, `merge_into_task`;
docs/contract.md "Alert Task"):

- no open Task for the patient and rule: a **conditional create** keyed by the alert-episode
  identifier `<patient>|<rule>|<Observation time>` (`If-None-Exist`), so two consoles seeing
  the same Observation store one Task;
- an open one: the breach is appended to its `input` with a version-aware PUT; on 412 the
  Task is read again and the breach added only if it is not there yet.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from console.domain.alert_rules import (
    AFTER_HANDLING_WINDOW,
    LEVEL_DISPLAY,
    LEVEL_RANK,
    NOT_HANDLED_OUTCOMES,
    PRIORITY_RANK,
    VARIABLES,
    WORSE_BY,
    Finding,
    number,
    rounded,
)
from console.domain.alert_rules import KIND_VARIABLES as _KIND_VARIABLES
from console.domain.triage import Thresholds
from console.fhir.client import FhirClient
from console.fhir.errors import FhirHttpError, FhirMalformed
from console.fhir.patient_record import plan_item_from_fhir

DHO = "http://dho.example/fhir"
OSLO = ZoneInfo("Europe/Oslo")
ALERT_RULE_SYSTEM = f"{DHO}/CodeSystem/alert-rule"
ALERT_INPUT_SYSTEM = f"{DHO}/CodeSystem/alert-input"
ALERT_EPISODE_SYSTEM = f"{DHO}/sid/alert-episode"
ALERT_CLASS_URL = f"{DHO}/StructureDefinition/alert-class"
ALERT_SEVERITY_URL = f"{DHO}/StructureDefinition/alert-severity"
SUSPECT_VALUE_URL = f"{DHO}/StructureDefinition/suspect-value"
UCUM = "http://unitsofmeasure.org"
#: Task statuses in which an alert is still open (a new breach updates it).
OPEN_STATUSES = ("requested", "received", "accepted", "ready", "in-progress", "on-hold")

RULES: dict[str, str] = {
    "threshold-spo2": "Oksygenmetning utenfor grense",
    "threshold-pulse": "Puls utenfor grense",
    "threshold-bp": "Blodtrykk utenfor grense",
    "threshold-temperature": "Temperatur utenfor grense",
    "threshold-glucose": "Blodsukker utenfor grense",
    "threshold-weight": "Vekt utenfor grense",
    "threshold-respiration": "Respirasjonsfrekvens utenfor grense",
}
INPUT_DISPLAY = {
    "trigger": "Utløst av",
    "level": "Nivå",
    "value": "Målt verdi",
    "value2": "Diastolisk",
    "threshold": "Grense",
    "limit": "Grenseverdi",
}
VARIABLE_OF_LOINC = {
    "2708-6": "spo2",
    "59408-5": "spo2",
    "8867-4": "pulse",
    "8480-6": "sys",
    "8462-4": "dia",
    "29463-7": "weight",
    "8310-5": "temp",
    "15074-8": "glucose",
    "9279-1": "resp",
}


def instant(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def observation_values(obs: Mapping[str, Any]) -> dict[str, float]:
    """Variable → value of a vital-signs Observation (both blood pressure components)."""
    out: dict[str, float] = {}
    code = obs.get("code") if isinstance(obs.get("code"), dict) else {}
    var = None
    for coding in (code or {}).get("coding") or []:
        var = VARIABLE_OF_LOINC.get(str((coding or {}).get("code")))
        if var is not None:
            break
    quantity = obs.get("valueQuantity")
    if var is not None and isinstance(quantity, dict):
        value = _number(quantity.get("value"))
        if value is not None:
            out[var] = value
    for component in obs.get("component") or []:
        if not isinstance(component, dict):
            continue
        for coding in (component.get("code") or {}).get("coding") or []:
            cvar = VARIABLE_OF_LOINC.get(str((coding or {}).get("code")))
            if cvar is not None:
                value = _number((component.get("valueQuantity") or {}).get("value"))
                if value is not None:
                    out[cvar] = value
                break
    return out


def plan_limits(service_requests: Sequence[Mapping[str, Any]]) -> dict[str, Thresholds]:
    """Variable → the patient's own thresholds (templates do not count)."""
    out: dict[str, Thresholds] = {}
    for resource in service_requests:
        try:
            item = plan_item_from_fhir(resource)
        except FhirMalformed:
            continue
        if item is None:
            continue
        names = _KIND_VARIABLES.get(item.kind, ())
        for var, limits in zip(names, (item.limits, item.limits2), strict=False):
            if limits is not None and not limits.is_default and limits.thresholds is not None:
                out[var] = limits.thresholds
    return out


def _quantity(var: str, value: float) -> dict[str, Any]:
    v = VARIABLES[var]
    return {
        "value": rounded(value, v.decimals),
        "unit": v.unit_display,
        "system": UCUM,
        "code": v.unit,
    }


def _input(kind: str, text: str | None = None, **value: Any) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "coding": [{"system": ALERT_INPUT_SYSTEM, "code": kind, "display": INPUT_DISPLAY[kind]}]
    }
    if text:
        concept["text"] = text
    return {"type": concept, **value}


def finding_inputs(f: Finding) -> list[dict[str, Any]]:
    """The breach as `Task.input` entries, in the server's order."""
    inputs = [
        _input("trigger", valueReference={"reference": f.focus}),
        _input("level", valueCode=f.level),
    ]
    if f.rule == "threshold-bp":
        values = dict(f.values)
        inputs += [
            _input(code, VARIABLES[k].label, valueQuantity=_quantity(k, values[k]))
            for code, k in (("value", "sys"), ("value2", "dia"))
            if k in values
        ]
    else:
        var, value = f.values[0]
        inputs.append(_input("value", VARIABLES[var].label, valueQuantity=_quantity(var, value)))
    for hit in f.hits:
        hv = VARIABLES[hit.var]
        limit = f"{hit.op} {number(hit.limit, hv.decimals)}"
        inputs.append(
            _input(
                "threshold",
                hv.label,
                valueString=f"{LEVEL_DISPLAY[hit.level]}: "
                + (f"{limit} {hv.unit_display}" if hv.unit_display else limit),
            )
        )
    worst = f.hits[0]
    inputs.append(
        _input(
            "limit",
            VARIABLES[worst.var].label,
            valueQuantity={**_quantity(worst.var, worst.limit), "comparator": worst.op},
        )
    )
    return inputs


def severity_extension(f: Finding) -> dict[str, Any]:
    """The queue's ordering score, as the server's rules write it (no NEWS2 part)."""
    return {
        "url": ALERT_SEVERITY_URL,
        "extension": [
            {"url": "score", "valueDecimal": f.severity},
            {"url": "distance", "valueDecimal": f.distance},
        ],
    }


def task_severity(task: Mapping[str, Any]) -> float:
    for ext in task.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == ALERT_SEVERITY_URL:
            for sub in ext.get("extension") or ():
                value = sub.get("valueDecimal") if isinstance(sub, dict) else None
                if sub.get("url") == "score" and isinstance(value, int | float):
                    return float(value)
    return 0.0


def new_task(f: Finding, department: Mapping[str, str] | None, now: datetime) -> dict[str, Any]:
    """The alert Task for a finding with no open Task for its patient and rule."""
    stamp = instant(now)
    task: dict[str, Any] = {
        "resourceType": "Task",
        "extension": [
            {"url": ALERT_CLASS_URL, "valueCode": f.alert_class},
            severity_extension(f),
        ],
        "identifier": [{"system": ALERT_EPISODE_SYSTEM, "value": f.episode_id}],
        "status": "requested",
        "intent": "order",
        "priority": f.priority,
        "code": {
            "coding": [{"system": ALERT_RULE_SYSTEM, "code": f.rule, "display": RULES[f.rule]}],
            "text": RULES[f.rule],
        },
        "description": f.description,
        "focus": {"reference": f.focus},
        "for": {"reference": f"Patient/{f.patient_id}"},
        "authoredOn": stamp,
        "lastModified": stamp,
    }
    if f.suspect:
        task["extension"].append(suspect_extension(f))
    if department:
        task["restriction"] = {"recipient": [dict(department)]}
    task["input"] = finding_inputs(f)
    return task


def suspect_extension(f: Finding) -> dict[str, Any]:
    """As server/rules/decide.py writes it: why, which value, whether past a critical limit."""
    return {
        "url": SUSPECT_VALUE_URL,
        "extension": [
            {"url": "reason", "valueCode": f.suspect},
            {"url": "observation", "valueReference": {"reference": f.focus}},
            {"url": "critical", "valueBoolean": False},
        ],
    }


def _input_code(entry: Mapping[str, Any]) -> str | None:
    for coding in (entry.get("type") or {}).get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == ALERT_INPUT_SYSTEM:
            return str(coding.get("code"))
    return None


def already_covered(task: Mapping[str, Any], f: Finding) -> bool:
    """Whether the Task already holds this breach (same trigger, the level or worse)."""
    focus, level = None, 0
    for entry in task.get("input") or []:
        if not isinstance(entry, dict):
            continue
        code = _input_code(entry)
        if code == "trigger":
            focus = (entry.get("valueReference") or {}).get("reference")
            level = 0
        elif code == "level":
            level = LEVEL_RANK.get(str(entry.get("valueCode")), 0)
            if focus == f.focus and level >= LEVEL_RANK[f.level]:
                return True
    return False


def merge_into_task(task: Mapping[str, Any], f: Finding, now: datetime) -> dict[str, Any] | None:
    """The open Task with a repeat breach appended, or None when it already has it."""
    if already_covered(task, f):
        return None
    updated = copy.deepcopy(dict(task))
    updated["input"] = [*(updated.get("input") or []), *finding_inputs(f)]
    current = PRIORITY_RANK.get(str(updated.get("priority", "routine")), 0)
    if PRIORITY_RANK[f.priority] > current:
        updated["priority"] = f.priority
    if PRIORITY_RANK[f.priority] >= current:
        updated["description"] = f.description
    if f.severity > task_severity(updated) or PRIORITY_RANK[f.priority] > current:
        kept = [
            e
            for e in updated.get("extension") or ()
            if not (isinstance(e, dict) and e.get("url") == ALERT_SEVERITY_URL)
        ]
        updated["extension"] = [*kept, severity_extension(f)]
    if f.suspect and not any(
        isinstance(e, dict) and e.get("url") == SUSPECT_VALUE_URL
        for e in updated.get("extension") or ()
    ):
        # A suspect value joining an open card marks it, as a new card would be marked: the
        # nurse is told the newest value may be a measurement error.
        updated["extension"] = [*(updated.get("extension") or ()), suspect_extension(f)]
    updated["lastModified"] = instant(now)
    return updated


def _handled_at(task: Mapping[str, Any]) -> datetime | None:
    if task.get("status") != "completed":
        return None
    when = (task.get("executionPeriod") or {}).get("end") or task.get("lastModified")
    if not isinstance(when, str):
        return None
    try:
        return datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return None


def suppressed_after_handling(handled: Mapping[str, Any] | None, f: Finding, now: datetime) -> bool:
    """The server's rule (server/rules/decide.py): a repeat within 24 h after a nurse
    completed the alert, no higher priority and less than one gap further past the limit,
    joins the handled card; never after "measurement error"."""
    if handled is None:
        return False
    at = _handled_at(handled)
    outcome = next(
        (
            str(c.get("code"))
            for c in (handled.get("businessStatus") or {}).get("coding") or []
            if isinstance(c, dict)
        ),
        None,
    )
    if at is None or outcome in NOT_HANDLED_OUTCOMES:
        return False
    if not 0 <= (now - at).total_seconds() <= AFTER_HANDLING_WINDOW:
        return False
    if PRIORITY_RANK[f.priority] > PRIORITY_RANK.get(str(handled.get("priority")), 0):
        return False
    return f.severity < task_severity(handled) + WORSE_BY


def add_after_handling(
    handled: Mapping[str, Any], f: Finding, now: datetime
) -> dict[str, Any] | None:
    """The handled card with the repeat's values and a note (status unchanged), or None."""
    if already_covered(handled, f):
        return None
    updated = copy.deepcopy(dict(handled))
    updated["input"] = [*(updated.get("input") or []), *finding_inputs(f)]
    stamp = instant(now)
    updated["lastModified"] = stamp
    clock = now.astimezone(OSLO).strftime("%H:%M")
    updated["note"] = [
        *(updated.get("note") or []),
        {
            "authorString": "DHO (automatisk)",
            "time": stamp,
            "text": f"Ny verdi kl. {clock} etter at varselet ble behandlet, ikke verre: "
            f"{f.description}. Lagt til her, ikke nytt kort.",
        },
    ]
    return updated


class ConsoleAlertStore:
    """The HTTP calls of console-raised alerts (standard R4 searches only)."""

    def __init__(self, client: FhirClient) -> None:
        self._client = client

    async def service_requests(self, patient_id: str) -> list[dict[str, Any]]:
        result = await self._client.search_all(
            "ServiceRequest",
            [("subject", f"Patient/{patient_id}"), ("status", "active"), ("_count", "100")],
        )
        return result.matches

    async def open_task(self, patient_id: str, rule: str) -> dict[str, Any] | None:
        result = await self._client.search_all(
            "Task",
            [
                ("patient", f"Patient/{patient_id}"),
                ("code", f"{ALERT_RULE_SYSTEM}|{rule}"),
                ("status", ",".join(OPEN_STATUSES)),
                ("_count", "10"),
            ],
        )
        return result.matches[0] if result.matches else None

    async def handled_task(self, patient_id: str, rule: str) -> dict[str, Any] | None:
        """The patient's latest completed alert for the rule (after-handling rule)."""
        result = await self._client.search_all(
            "Task",
            [
                ("patient", f"Patient/{patient_id}"),
                ("code", f"{ALERT_RULE_SYSTEM}|{rule}"),
                ("status", "completed"),
                ("_sort", "-_lastUpdated"),
                ("_count", "1"),
            ],
        )
        return result.matches[0] if result.matches else None

    async def create(self, task: Mapping[str, Any], episode_id: str) -> dict[str, Any]:
        # A query string: "+" in an instant ("+00:00") must be %2B, or it reads as a space and
        # matches nothing, and two consoles would each create the Task.
        value = quote(f"{ALERT_EPISODE_SYSTEM}|{episode_id}", safe="|:/")
        return await self._client.create(task, if_none_exist=f"identifier={value}")

    async def update(self, task: Mapping[str, Any]) -> dict[str, Any]:
        version = str((task.get("meta") or {}).get("versionId") or "")
        return await self._client.update(task, if_match=version)

    async def read(self, task_id: str) -> dict[str, Any]:
        return await self._client.read("Task", task_id)

    async def raise_alert(
        self, f: Finding, department: Mapping[str, str] | None, now: datetime
    ) -> dict[str, Any] | None:
        """Create or extend the patient's open Task for the rule (or, as the server does, add
        a repeat that is not worse to the card a nurse has just handled); the stored Task, or
        None when nothing needed writing. A colleague's console racing us is resolved by the
        conditional create and If-Match (re-read on 412)."""
        current = await self.open_task(f.patient_id, f.rule)
        for _ in range(3):
            if current is None:
                handled = await self.handled_task(f.patient_id, f.rule)
                if suppressed_after_handling(handled, f, now):
                    assert handled is not None
                    added = add_after_handling(handled, f, now)
                    if added is None:
                        return None
                    try:
                        return await self.update(added)
                    except FhirHttpError as exc:
                        if exc.status not in (409, 412):
                            raise
                        continue  # changed meanwhile (reopened?): look again
                return await self.create(new_task(f, department, now), f.episode_id)
            merged = merge_into_task(current, f, now)
            if merged is None:
                return None
            try:
                return await self.update(merged)
            except FhirHttpError as exc:
                if exc.status not in (409, 412):
                    raise
                current = await self.read(str(current["id"]))
                if current.get("status") not in OPEN_STATUSES:
                    current = None
        return None
