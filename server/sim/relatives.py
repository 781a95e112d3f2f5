"""Relatives (RelatedPerson) of the synthetic patients, and which patients have dementia.

About 40 % of patients have at least one relative registered: every patient aged 85 or more,
every patient with (simulated) dementia, and a share of the rest. A relative is a spouse
(v3-RoleCode ``WIFE`` / ``HUSB``) or a grown child (``DAU`` / ``SON``), now and then a sibling
(``SIS`` / ``BRO``), with a Norwegian name of their generation, a mobile number and an e-mail
address; a quarter of them have a second relative. Relatives "have their own login in the
patient app" (server.auth.patient_accounts).

Dementia is not a programme here but a property of the patient (a pure function of the seed,
the patient id and the age): such a patient does not use the app himself; the first relative
answers for them, marked with the (dho) relationship coding
``http://dho.example/fhir/CodeSystem/relative-role|proxy``.

Everything is deterministic from the seed and independent of the rest of the population's
random stream, so adding relatives changed no other seeded resource.
"""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any, Final

from server.sim.names import SURNAMES, ascii_fold, first_names
from server.sim.rand import mix, text_key, unit

ROLE_CODE_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATIVE_ROLE_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/relative-role"
PROXY: Final = "proxy"
ALWAYS_FROM_AGE: Final = 85
OTHERS_SHARE: Final = 0.34  # of patients under 85 without dementia
SECOND_RELATIVE: Final = 0.25

# code: (English display of v3-RoleCode, Norwegian text, gender)
RELATIONSHIPS: Final[dict[str, tuple[str, str, str]]] = {
    "DAU": ("natural daughter", "datter", "female"),
    "SON": ("natural son", "sønn", "male"),
    "WIFE": ("wife", "kone", "female"),
    "HUSB": ("husband", "ektemann", "male"),
    "SIS": ("sister", "søster", "female"),
    "BRO": ("brother", "bror", "male"),
}

_NAMESPACE: Final = uuid.UUID("5b0e4c64-2f59-4d0e-9d59-6a0f3c1de0a1")  # as population.py


def age_on(birth: str, today: date) -> int:
    born = date.fromisoformat(birth)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def has_dementia(seed: int, patient_id: str, age: int) -> bool:
    """Simulated dementia: none below 70, then 6 %, 15 % (80-89) and 30 % (90+)."""
    if age < 70:
        return False
    p = 0.06 if age < 80 else 0.15 if age < 90 else 0.30
    return unit(mix(seed, text_key(seed, patient_id), 31)) < p


def relative_id(seed: int, patient_id: str, n: int) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{seed}/RelatedPerson/{patient_id}/{n}"))


def _concept(code: str) -> dict[str, Any]:
    display, text, _ = RELATIONSHIPS[code]
    return {
        "coding": [{"system": ROLE_CODE_SYSTEM, "code": code, "display": display}],
        "text": text,
    }


def _proxy_concept() -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": RELATIVE_ROLE_SYSTEM,
                "code": PROXY,
                "display": "Svarer for pasienten i appen",
            }
        ],
        "text": "svarer for pasienten",
    }


def _pick_relationship(rng: random.Random, patient: dict[str, Any], age: int, n: int) -> str:
    gender = patient.get("gender")
    if n == 0 and age < 90 and rng.random() < 0.4:
        return "WIFE" if gender == "male" else "HUSB"
    if age < 75 and rng.random() < 0.12:
        return rng.choice(("SIS", "BRO"))
    return "DAU" if rng.random() < 0.6 else "SON"


def _relative(
    rng: random.Random,
    seed: int,
    patient: dict[str, Any],
    age: int,
    n: int,
    code: str,
    proxy: bool,
    today: date,
) -> dict[str, Any]:
    gender = RELATIONSHIPS[code][2]
    born_year = date.fromisoformat(patient["birthDate"]).year
    if code in ("WIFE", "HUSB"):
        year = born_year + rng.randint(-4, 3)
    elif code in ("SIS", "BRO"):
        year = born_year + rng.randint(-6, 6)
    else:
        year = born_year + rng.randint(24, 38)
    year = min(year, today.year - 18)
    given = rng.choice(first_names(gender, year)).split(" ")
    patient_family = str(patient["name"][0].get("family", ""))
    same_name = {"WIFE": 0.75, "HUSB": 0.9, "SIS": 0.3, "BRO": 0.9}.get(code, 0.55)
    family = patient_family if rng.random() < same_name else rng.choice(SURNAMES)
    text = f"{' '.join(given)} {family}"
    mail = ascii_fold(f"{given[0]}.{family}".lower()).replace(" ", "")
    relationship = [_concept(code)]
    if proxy:
        relationship.append(_proxy_concept())
    patient_ref = {"reference": f"Patient/{patient['id']}", "display": patient["name"][0]["text"]}
    return {
        "resourceType": "RelatedPerson",
        "id": relative_id(seed, str(patient["id"]), n),
        "active": True,
        "patient": patient_ref,
        "relationship": relationship,
        "name": [{"use": "official", "text": text, "family": family, "given": given}],
        "telecom": [
            {
                "system": "phone",
                "value": f"+47{rng.choice('49')}{rng.randint(0, 9999999):07d}",
                "use": "mobile",
            },
            {"system": "email", "value": f"{mail}{rng.randint(1, 99)}@epost.example"},
        ],
        "gender": gender,
    }


def build_relatives(
    patients: list[dict[str, Any]], *, seed: int, today: date
) -> list[dict[str, Any]]:
    """The RelatedPersons of ``patients`` (seeded Patient dicts), in patient order."""
    rng = random.Random(mix(seed, 5))
    out: list[dict[str, Any]] = []
    for patient in patients:
        patient_id = str(patient["id"])
        age = age_on(str(patient["birthDate"]), today)
        dementia = has_dementia(seed, patient_id, age)
        draw = rng.random()
        if not (dementia or age >= ALWAYS_FROM_AGE or draw < OTHERS_SHARE):
            continue
        count = 2 if rng.random() < SECOND_RELATIVE else 1
        taken: set[str] = set()
        for n in range(count):
            code = _pick_relationship(rng, patient, age, n)
            if code in taken and code in ("WIFE", "HUSB"):
                code = "DAU"
            taken.add(code)
            out.append(_relative(rng, seed, patient, age, n, code, dementia and n == 0, today))
    return out
