"""FHIR resources for a scenario's patients and events: the same shapes the seeded centre and
the simulators write (server/sim), so the ordinary rules, console and scoping treat them like
any patient. Every resource carries the training tag (:data:`TRAINING_TAG`)."""

from __future__ import annotations

import hashlib
import random
from datetime import date, time
from typing import Any, Final

from server.rules.codes import CAREPLAN_TITLE, OUT_OF_HOURS_ADVICE_URL, RED, YELLOW
from server.rules.plan import (
    Band,
    grace_extensions,
    occurrence_timing,
    thresholds_extensions,
    trend_extensions,
    variables_of,
)
from server.sim.identity import FNR_SYSTEM, fodselsnummer
from server.sim.messaging import CATEGORY_SYSTEM, MESSAGE_KEY_SYSTEM, THREAD_ID_URL
from server.sim.observations import BUILDERS, iso_utc
from server.sim.plans import COPD_SPO2, TEMPLATES, WEIGHT_TREND
from server.sim.programmes import LOINC, MEASUREMENTS, PROGRAMMES, SPO2, WEIGHT
from server.sim.questionnaires import (
    _FOMS,
    QUESTIONNAIRE_BASE,
    _answer,
    _item,
    _options,
)
from server.sim.relatives import PROXY, RELATIONSHIPS, RELATIVE_ROLE_SYSTEM, ROLE_CODE_SYSTEM

TRAINING_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/training"
TRAINING_TAG: Final = {"system": TRAINING_SYSTEM, "code": "scenario", "display": "Trening"}
# Which scenario instance a resource belongs to: "<session>/<trainee or ->/<scenario>".
INSTANCE_SYSTEM: Final = "http://dho.example/fhir/sid/training-instance"
SENDER_ORG_URL: Final = "http://dho.example/fhir/StructureDefinition/sender-organization"
PROGRAMME_DISPLAY_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/programme"
# The department a programme's scenario patient belongs to unless the file names one.
DEFAULT_DEPARTMENT: Final = {
    "copd": "hjemmesykepleien-sandnes",
    "heart-failure": "hjemmesykepleien-stavanger-sentrum",
    "cancer": "hjemmesykepleien-sandnes",
    "diabetes-t2": "oppfolgingstjenesten-madla-legesenter",
    "hypertension": "frisklivssentralen-sandnes",
    "rehabilitation": "ikart",
}
BASELINE_DEFAULT: Final = {
    "spo2": 96.0,
    "pulse": 72.0,
    "sys": 132.0,
    "dia": 80.0,
    "temp": 36.8,
    "weight": 78.0,
    "glucose": 7.0,
}


def tagged(resource: dict[str, Any]) -> dict[str, Any]:
    return {**resource, "meta": {"tag": [dict(TRAINING_TAG)]}}


def _ref(res_type: str, res_id: str, display: str | None = None) -> dict[str, str]:
    out = {"reference": f"{res_type}/{res_id}"}
    if display:
        out["display"] = display
    return out


def full_name(p: dict[str, Any]) -> str:
    return f"{p['given']} {p['family']}"


def patient_resource(
    p: dict[str, Any], department: dict[str, str], instance: str
) -> dict[str, Any]:
    """A Patient as population.py writes one (synthetic fødselsnummer, GP, department)."""
    born = date.fromisoformat(p["birth_date"])
    rng = random.Random(int(hashlib.sha256(f"{instance}/{p['key']}".encode()).hexdigest()[:12], 16))
    name = full_name(p)
    res: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [
            {
                "use": "official",
                "system": FNR_SYSTEM,
                "value": fodselsnummer(born, p["gender"], rng),
            },
            {"system": INSTANCE_SYSTEM, "value": f"{instance}/{p['key']}"},
        ],
        "active": True,
        "name": [
            {"use": "official", "text": name, "family": p["family"], "given": p["given"].split()}
        ],
        "telecom": [
            {"system": "phone", "value": f"+479{rng.randint(0, 9999999):07d}", "use": "mobile"}
        ],
        "gender": p["gender"],
        "birthDate": p["birth_date"],
        "generalPractitioner": [{"display": "Fastlege Trening Treningsen"}],
        "managingOrganization": department,
    }
    language = p.get("language")
    if language:
        res["communication"] = [
            {
                "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": language}]},
                "preferred": True,
            }
        ]
    return tagged(res)


def episode_resource(
    p: dict[str, Any], patient_id: str, department: dict[str, str], start: float
) -> dict[str, Any]:
    programme = PROGRAMMES[p["programme"]]
    return tagged(
        {
            "resourceType": "EpisodeOfCare",
            "status": "active",
            "type": [{"coding": [programme.coding()], "text": programme.display}],
            "patient": _ref("Patient", patient_id, full_name(p)),
            "managingOrganization": department,
            "period": {"start": iso_utc(start)},
        }
    )


def relative_resources(p: dict[str, Any], patient_id: str) -> list[dict[str, Any]]:
    out = []
    for r in p.get("relatives") or ():
        english, _norsk, gender = RELATIONSHIPS[r["relationship"]]
        relationship = [
            {
                "coding": [
                    {"system": ROLE_CODE_SYSTEM, "code": r["relationship"], "display": english}
                ]
            }
        ]
        if r.get("proxy"):
            relationship.append(
                {"coding": [{"system": RELATIVE_ROLE_SYSTEM, "code": PROXY, "display": "Fullmakt"}]}
            )
        out.append(
            tagged(
                {
                    "resourceType": "RelatedPerson",
                    "active": True,
                    "patient": _ref("Patient", patient_id, full_name(p)),
                    "relationship": relationship,
                    "name": [
                        {
                            "use": "official",
                            "text": f"{r['given']} {r['family']}",
                            "family": r["family"],
                            "given": r["given"].split(),
                        }
                    ],
                    "gender": gender,
                }
            )
        )
    return out


# How far a patient's ordinary values wander (the runner's routine measurements).
JITTER: Final = {
    "spo2": 1.0,
    "pulse": 3.0,
    "sys": 5.0,
    "dia": 3.0,
    "temp": 0.2,
    "weight": 0.2,
    "glucose": 0.6,
}


def bands_for(var: str, p: dict[str, Any]) -> tuple[Band, ...]:
    """The domain's default template for `var` (COPD SpO2 for COPD), moved outwards where the
    patient's baseline sits too close (as the GP does after the trial period, server/sim/plans),
    then overridden by the file's own thresholds."""
    template = COPD_SPO2 if (var == SPO2 and p["programme"] == "copd") else TEMPLATES.get(var)
    own = (p.get("thresholds") or {}).get(var) or {}
    if template is None and not own:
        return ()
    y_low, r_low, y_high, r_high = template or (None, None, None, None)
    base = (p.get("baseline") or {}).get(var)
    if base is not None and template is not None:
        margin = 2.5 * JITTER[var]
        step = 0.1 if var in ("temp", "glucose", "weight") else 1.0
        if y_low is not None and base - margin < y_low:
            y_low = round(base - margin, 1) if step < 1 else float(int(base - margin))
            if r_low is not None and r_low >= y_low:
                r_low = round(y_low - step, 1)
        if y_high is not None and base + margin > y_high:
            y_high = round(base + margin, 1) if step < 1 else float(int(base + margin) + 1)
            if r_high is not None and r_high <= y_high:
                r_high = round(y_high + step, 1)
    red = own.get("red") or {}
    yellow = own.get("yellow") or {}
    bands = [Band(RED, red.get("low", r_low), red.get("high", r_high))]
    y_low, y_high = yellow.get("low", y_low), yellow.get("high", y_high)
    if y_low is not None or y_high is not None:
        bands.append(Band(YELLOW, y_low, y_high))
    return tuple(bands)


def schedule_of(programme: str) -> list[tuple[str, tuple[time, ...], int]]:
    """(measurement, local times, every n days) of a programme, one entry per measurement."""
    merged: dict[tuple[str, int], set[time]] = {}
    for session in PROGRAMMES[programme].sessions:
        for kind in session.kinds:
            merged.setdefault((kind, session.every_days), set()).update(session.times)
    return [(kind, tuple(sorted(times)), every) for (kind, every), times in merged.items()]


def careplan_resource(
    p: dict[str, Any], patient_id: str, episode_id: str, start: float
) -> dict[str, Any]:
    programme = PROGRAMMES[p["programme"]]
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "title": CAREPLAN_TITLE,
        "description": f"{CAREPLAN_TITLE} – {programme.display}",
        "subject": _ref("Patient", patient_id),
        "period": {"start": iso_utc(start)},
        "supportingInfo": [_ref("EpisodeOfCare", episode_id)],
    }
    if p.get("out_of_hours_advice"):
        plan["extension"] = [
            {"url": OUT_OF_HOURS_ADVICE_URL, "valueString": p["out_of_hours_advice"]}
        ]
    return tagged(plan)


def service_requests(
    p: dict[str, Any], patient_id: str, careplan_id: str, start: float
) -> list[dict[str, Any]]:
    out = []
    for kind, times, every in schedule_of(p["programme"]):
        m = MEASUREMENTS[kind]
        extensions: list[dict[str, Any]] = []
        for var in variables_of(kind):
            extensions += thresholds_extensions(var, bands_for(var, p), component=kind == "bp")
        if kind == WEIGHT and p["programme"] == "heart-failure":
            extensions += trend_extensions(WEIGHT, WEIGHT_TREND)
        extensions += grace_extensions()
        out.append(
            tagged(
                {
                    "resourceType": "ServiceRequest",
                    "extension": extensions,
                    "status": "active",
                    "intent": "plan",
                    "code": {
                        "coding": [
                            {"system": LOINC, "code": c, "display": d} for c, d in m.codings
                        ],
                        "text": m.text,
                    },
                    "subject": _ref("Patient", patient_id),
                    "basedOn": [_ref("CarePlan", careplan_id, CAREPLAN_TITLE)],
                    "occurrenceTiming": occurrence_timing(times, every),
                    "authoredOn": iso_utc(start),
                }
            )
        )
    return out


def observation(patient_id: str, kind: str, value: Any, at: float) -> dict[str, Any]:
    return tagged(BUILDERS[kind](f"Patient/{patient_id}", iso_utc(at), value, None))


def questionnaire_response(
    patient_id: str, form: str, answers: dict[str, Any], at: float
) -> dict[str, Any]:
    """A completed QuestionnaireResponse as the app writes it (flags copied from the options);
    a CAT form gets its sum."""
    items = []
    for item in _FOMS[form]["item"]:
        link = item["linkId"]
        if link in answers:
            if item.get("answerOption"):
                option = next(
                    o
                    for o in _options(form, link)
                    if o["valueCoding"]["code"] == str(answers[link])
                )
                answer = _answer(option)
            elif isinstance(answers[link], int):
                answer = {"valueInteger": answers[link]}
            else:
                answer = {"valueString": str(answers[link])}
            items.append(_item(form, link, answer))
        elif link == "cat-sum":
            cat = [v for k, v in answers.items() if k.startswith("cat") and isinstance(v, int)]
            if cat:
                items.append(_item(form, link, {"valueInteger": sum(cat)}))
    return tagged(
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{QUESTIONNAIRE_BASE}/{form}",
            "status": "completed",
            "subject": _ref("Patient", patient_id),
            "authored": iso_utc(at),
            "author": _ref("Patient", patient_id),
            "item": items,
        }
    )


def message(
    patient_id: str,
    sender: dict[str, str],
    category: str,
    text: str,
    at: float,
    key: str,
    *,
    colleague: bool = False,
    organization: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Communication in the patient's (or the colleague) thread, as server/sim/messaging."""
    thread = f"{patient_id}/colleague" if colleague else f"{patient_id}/patient"
    extensions: list[dict[str, Any]] = [{"url": THREAD_ID_URL, "valueString": thread}]
    if organization is not None:
        extensions.append({"url": SENDER_ORG_URL, "valueReference": organization})
    return tagged(
        {
            "resourceType": "Communication",
            "extension": extensions,
            "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": key}],
            "status": "completed",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
            "subject": _ref("Patient", patient_id),
            "sender": sender,
            "sent": iso_utc(at),
            "payload": [{"contentString": text}],
        }
    )


ORGANIZATION_KEY_SYSTEM: Final = "http://dho.example/fhir/sid/training-organization"


def organization(org_key: str, name: str) -> dict[str, Any]:
    """Another service writing in the colleague thread (the hospital ward, say); created once
    per key (conditional create on :data:`ORGANIZATION_KEY_SYSTEM`)."""
    return tagged(
        {
            "resourceType": "Organization",
            "identifier": [{"system": ORGANIZATION_KEY_SYSTEM, "value": org_key}],
            "active": True,
            "name": name,
        }
    )


def colleague(name: str, instance: str) -> dict[str, Any]:
    """The simulated second nurse of a race scenario."""
    given, _, family = name.rpartition(" ")
    return tagged(
        {
            "resourceType": "Practitioner",
            "identifier": [{"system": INSTANCE_SYSTEM, "value": f"{instance}/colleague"}],
            "active": True,
            "name": [{"use": "official", "text": name, "family": family, "given": given.split()}],
        }
    )
