"""A handled alert history for the review benchmark, until seeding replays a handled month.

The seeded population has measurements but (today) almost no handled alerts; this writes, for
every patient and day of the range, alert Tasks as the console leaves them after handling (the
shapes of docs/contract.md: rule code, priority, inputs per breach, claimed-at and
executionPeriod, owner, businessStatus, notes, escalated-at), plus patient messages, service
replies and video consultations. Deterministic from the seed.

The rates and times are assumptions, not measurements (they only have to make the data the
size and shape the review must handle): 0.25 alerts per patient-day (20 % high, 50 % medium, 30 %
adherence items, of which 60 % close themselves), claims after an exponential wait in opening
hours (high 10 min, medium 35 min, low 60 min; outside opening hours from the next opening),
resolves 5–40 min after the claim, 0.1 patient messages per patient-day (80 % answered), one
video consultation per 50 patient-days. Task JSON is ~1.5 KB, as the rule engine's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DHO = "http://dho.example/fhir"
OSLO = ZoneInfo("Europe/Oslo")
RULES = (
    "threshold-spo2",
    "threshold-pulse",
    "threshold-bp",
    "threshold-temperature",
    "trend-weight",
)
OUTCOMES = (
    ("contacted-patient", 0.45),
    ("measurement-error", 0.2),
    ("no-action-needed", 0.15),
    ("advised-gp", 0.12),
    ("referred-legevakt", 0.07),
    ("called-113", 0.01),
)
OPEN = (time(8, 0), time(15, 30))


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _next_open(t: datetime) -> datetime:
    local = t.astimezone(OSLO)
    day = local.date()
    while True:
        start = datetime.combine(day, OPEN[0], tzinfo=OSLO)
        end = datetime.combine(day, OPEN[1], tzinfo=OSLO)
        if day.weekday() < 5 and local < end:
            return max(local, start)
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), tzinfo=OSLO)


def _after_open_minutes(t: datetime, minutes: float) -> datetime:
    """`minutes` of opening hours after t."""
    current = _next_open(t)
    left = minutes
    while True:
        end = datetime.combine(current.astimezone(OSLO).date(), OPEN[1], tzinfo=OSLO)
        room = (end - current).total_seconds() / 60
        if left <= room:
            return current + timedelta(minutes=left)
        left -= room
        current = _next_open(end + timedelta(minutes=1))


#: Per rule: (component text, unit, limit, comparator, low, high) of the values it raises on.
VALUES = {
    "threshold-spo2": ("Oksygenmetning", "%", 90.0, "<", 80.0, 89.0),
    "threshold-pulse": ("Puls", "/min", 130.0, ">", 131.0, 160.0),
    "threshold-bp": ("Systolisk blodtrykk", "mm[Hg]", 180.0, ">", 181.0, 210.0),
    "threshold-temperature": ("Kroppstemperatur", "Cel", 39.0, ">=", 39.0, 40.5),
    "trend-weight": ("Vektøkning", "kg", 2.0, ">", 2.1, 3.5),
    "missing-measurement": ("Puls", "/min", 0.0, "", 0.0, 0.0),
}


def _inputs(rng: random.Random, rule: str, level: str, obs: str) -> list[dict[str, Any]]:
    def typ(code: str, text: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "coding": [{"system": f"{DHO}/CodeSystem/alert-input", "code": code}]
        }
        if text:
            out["text"] = text
        return out

    text, unit, limit, comparator, low, high = VALUES[rule]
    inputs: list[dict[str, Any]] = [
        {"type": typ("trigger"), "valueReference": {"reference": obs}},
        {"type": typ("level"), "valueCode": level},
    ]
    if rule == "missing-measurement":
        return inputs
    ucum = "http://unitsofmeasure.org"
    value = round(rng.uniform(low, high), 1)
    word = "rød" if level == "red" else "gul"
    inputs += [
        {
            "type": typ("value", text),
            "valueQuantity": {"value": value, "code": unit, "system": ucum},
        },
        {"type": typ("threshold", text), "valueString": f"{word}: {comparator} {limit:g}"},
        {
            "type": typ("limit", text),
            "valueQuantity": {
                "value": limit,
                "comparator": comparator,
                "code": unit,
                "system": ucum,
            },
        },
    ]
    return inputs


def _description(rule: str, inputs: list[dict[str, Any]]) -> str:
    if rule == "missing-measurement":
        return "Manglende måling: Puls"
    text = inputs[2]["type"]["text"]
    value = inputs[2]["valueQuantity"]["value"]
    return f"{text} {value:g} ({inputs[3]['valueString']})".replace(".", ",")


def handled_history(
    patients: list[tuple[str, str, str]],
    nurses: dict[str, list[tuple[str, str]]],
    *,
    start: datetime,
    end: datetime,
    seed: int = 12,
) -> Iterator[dict[str, Any]]:
    """Tasks, Communications and Encounters for (patient id, name, department) in [start, end)."""
    rng = random.Random(seed)
    days = int((end - start).total_seconds() // 86400)
    n = 0
    for pid, name, dep in patients:
        staff = nurses.get(dep) or next(iter(nurses.values()))
        for d in range(days):
            day = start + timedelta(days=d)
            count = sum(1 for _ in range(4) if rng.random() < 0.0625)
            for _ in range(count):
                n += 1
                authored = day + timedelta(minutes=rng.uniform(6 * 60, 22 * 60))
                if authored >= end:
                    continue
                kind = rng.random()
                adherence = kind >= 0.7
                priority = "asap" if kind < 0.2 else ("urgent" if kind < 0.7 else "routine")
                rule = "missing-measurement" if adherence else rng.choice(RULES)
                nurse_id, nurse_name = rng.choice(staff)
                task: dict[str, Any] = {
                    "resourceType": "Task",
                    "id": f"bench-task-{n}",
                    "identifier": [
                        {
                            "system": f"{DHO}/sid/alert-episode",
                            "value": f"{pid}|{rule}|{_iso(authored)}",
                        }
                    ],
                    "status": "completed",
                    "intent": "order",
                    "priority": priority,
                    "code": {"coding": [{"system": f"{DHO}/CodeSystem/alert-rule", "code": rule}]},
                    "for": {"reference": f"Patient/{pid}", "display": name},
                    "focus": {"reference": f"Observation/bench-obs-{n}"},
                    "authoredOn": _iso(authored),
                    "restriction": {"recipient": [{"reference": f"Organization/{dep}"}]},
                    "input": _inputs(
                        rng,
                        rule,
                        "red" if priority == "asap" else "yellow",
                        f"Observation/bench-obs-{n}",
                    ),
                }
                task["description"] = _description(rule, task["input"])
                if adherence and rng.random() < 0.6:
                    closed = authored + timedelta(hours=rng.uniform(0.5, 8))
                    task["status"] = "cancelled"
                    task["lastModified"] = _iso(min(closed, end))
                    yield task
                    continue
                mean = {"asap": 10, "urgent": 35, "routine": 60}[priority]
                claimed = _after_open_minutes(authored, rng.expovariate(1 / mean))
                resolved = claimed + timedelta(minutes=rng.uniform(5, 40))
                if claimed >= end:
                    task["status"] = "requested"
                    task["lastModified"] = _iso(authored)
                    yield task
                    continue
                who = {"reference": f"Practitioner/{nurse_id}", "display": nurse_name}
                task["owner"] = who
                task["extension"] = [
                    {"url": f"{DHO}/StructureDefinition/claimed-at", "valueDateTime": _iso(claimed)}
                ]
                if priority == "asap" and (claimed - authored) > timedelta(minutes=5):
                    task["extension"].append(
                        {
                            "url": f"{DHO}/StructureDefinition/escalated-at",
                            "valueDateTime": _iso(authored + timedelta(minutes=5)),
                        }
                    )
                if resolved >= end:
                    task["status"] = "in-progress"
                    task["executionPeriod"] = {"start": _iso(claimed)}
                    task["lastModified"] = _iso(claimed)
                    yield task
                    continue
                outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
                task["executionPeriod"] = {"start": _iso(claimed), "end": _iso(resolved)}
                task["lastModified"] = _iso(resolved)
                task["businessStatus"] = {
                    "coding": [{"system": f"{DHO}/CodeSystem/alert-outcome", "code": outcome}]
                }
                task["note"] = [
                    {
                        "text": "Ringte pasienten, som har det bra.",
                        "time": _iso(resolved),
                        "authorReference": who,
                    }
                ]
                yield task
            if rng.random() < 0.1:  # a patient message, mostly answered
                sent = day + timedelta(minutes=rng.uniform(8 * 60, 21 * 60))
                if sent < end:
                    n += 1
                    yield _message(
                        f"bench-msg-{n}", pid, f"Patient/{pid}", sent, read=rng.random() < 0.9
                    )
                    if rng.random() < 0.8:
                        reply = _after_open_minutes(sent, rng.uniform(10, 120))
                        if reply < end:
                            nurse_id, _ = rng.choice(staff)
                            yield _message(
                                f"bench-reply-{n}", pid, f"Practitioner/{nurse_id}", reply
                            )
            if rng.random() < 0.02:
                n += 1
                at = _after_open_minutes(day + timedelta(hours=9), rng.uniform(0, 300))
                if at < end:
                    nurse_id, _ = rng.choice(staff)
                    yield {
                        "resourceType": "Encounter",
                        "id": f"bench-visit-{n}",
                        "status": "finished",
                        "class": {
                            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                            "code": "VR",
                        },
                        "subject": {"reference": f"Patient/{pid}"},
                        "participant": [{"individual": {"reference": f"Practitioner/{nurse_id}"}}],
                        "period": {"start": _iso(at), "end": _iso(at + timedelta(minutes=12))},
                        "length": {
                            "value": 12,
                            "unit": "min",
                            "system": "http://unitsofmeasure.org",
                            "code": "min",
                        },
                    }


def _message(
    mid: str, pid: str, sender: str, sent: datetime, *, read: bool = False
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "resourceType": "Communication",
        "id": mid,
        "status": "completed",
        "category": [
            {
                "coding": [
                    {"system": f"{DHO}/CodeSystem/communication-category", "code": "patient-thread"}
                ]
            }
        ],
        "subject": {"reference": f"Patient/{pid}"},
        "sender": {"reference": sender},
        "recipient": [{"reference": f"Patient/{pid}"}],
        "sent": _iso(sent),
        "payload": [{"contentString": "Hei, jeg har målt igjen og det ser bedre ut nå."}],
    }
    if read:
        message["received"] = _iso(sent + timedelta(minutes=30))
    return message
