"""The synthetic response centre seeded on first start: organisations, staff, patients, history.

Everything is deterministic from the seed (ids included), so a test, a training scenario or a
bug report can reproduce a population exactly. Resources are FHIR R4 JSON dicts with ids and
without `meta` (the store sets that). The Observation history is generated lazily, one local
day at a time, because 10,000 patients x 30 days is over a million Observations.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, Final

from server.sim.identity import FNR_SYSTEM, HPR_SYSTEM, fodselsnummer, hpr_number
from server.sim.names import (
    ALL_STREETS,
    MUNICIPALITY_NAMES,
    SANDNES,
    SOLA,
    STAVANGER_MADLA,
    STAVANGER_SENTRUM,
    SURNAMES,
    Street,
    ascii_fold,
    first_names,
)
from server.sim.observations import BUILDERS, iso_utc, iso_utc_datetime
from server.sim.programmes import (
    MEASUREMENTS,
    PROGRAMME_SYSTEM,
    PROGRAMMES,
    Measurement,
    Programme,
    Session,
)
from server.sim.rand import mix, unit
from server.sim.schedule import PatientSchedule, local_day, parse_instant

__all__ = [
    "DEPARTMENTS",
    "MEASUREMENTS",
    "ORGANIZATION_KIND_SYSTEM",
    "PRACTITIONER_ROLE_SYSTEM",
    "PROGRAMMES",
    "PROGRAMME_SYSTEM",
    "WATCHED_ORGANIZATION_URL",
    "Department",
    "Measurement",
    "Population",
    "Programme",
    "Session",
    "build_population",
]

ORGANIZATION_KIND_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/organization-kind"
WATCHED_ORGANIZATION_URL: Final = "http://dho.example/fhir/StructureDefinition/watched-organization"
PRACTITIONER_ROLE_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/practitioner-role"
# (dho) identifier systems that are not national registers.
MUNICIPALITY_NUMBER_SYSTEM: Final = "http://dho.example/fhir/sid/kommunenummer"
DEPARTMENT_SYSTEM: Final = "http://dho.example/fhir/sid/department"
USERNAME_SYSTEM: Final = "http://dho.example/fhir/sid/username"

DISCHARGE_SHARE: Final = 0.04
_NAMESPACE: Final = uuid.UUID("5b0e4c64-2f59-4d0e-9d59-6a0f3c1de0a1")

_ORG_KIND_DISPLAY: Final = {
    "municipality": "Kommune",
    "department": "Avdeling",
    "response-centre": "Responssenter",
}
ROLE_DISPLAY: Final = {
    "nurse": "Sykepleier",
    "lead": "Leder",
    "superuser": "Superbruker",
    "admin": "Administrator",
}


@dataclass(frozen=True, slots=True)
class Department:
    """A department that follows patients: who it serves, where they live, how many nurses."""

    id: str
    name: str
    code: str
    municipality: str
    share: float  # share of all patients
    programmes: tuple[tuple[str, float], ...]
    streets: tuple[Street, ...]
    nurses: int


_HOME_NURSING: Final = (("copd", 0.4), ("heart-failure", 0.35), ("cancer", 0.25))
DEPARTMENTS: Final[tuple[Department, ...]] = (
    Department(
        "hjemmesykepleien-stavanger-sentrum",
        "Hjemmesykepleien Stavanger sentrum",
        "HSP-STV-SENTRUM",
        "stavanger-kommune",
        0.28,
        _HOME_NURSING,
        STAVANGER_SENTRUM,
        3,
    ),
    Department(
        "hjemmesykepleien-sandnes",
        "Hjemmesykepleien Sandnes",
        "HSP-SNS",
        "sandnes-kommune",
        0.24,
        _HOME_NURSING,
        SANDNES,
        3,
    ),
    Department(
        "frisklivssentralen-sandnes",
        "Frisklivssentralen Sandnes",
        "FLS-SNS",
        "sandnes-kommune",
        0.14,
        (("hypertension", 0.55), ("diabetes-t2", 0.45)),
        SANDNES,
        2,
    ),
    Department(
        "ikart",
        "Interkommunalt rehabiliteringsteam (IKART)",
        "IKART",
        "stavanger-kommune",
        0.12,
        (("rehabilitation", 1.0),),
        ALL_STREETS,
        2,
    ),
    Department(
        "oppfolgingstjenesten-madla-legesenter",
        "Oppfølgingstjenesten Madla legesenter",
        "OPF-MADLA-LS",
        "stavanger-kommune",
        0.22,
        (("hypertension", 0.35), ("diabetes-t2", 0.35), ("heart-failure", 0.3)),
        STAVANGER_MADLA + SOLA,
        2,
    ),
)
_MUNICIPALITY_NUMBERS: Final = {
    "stavanger-kommune": "1103",
    "sandnes-kommune": "1108",
    "sola-kommune": "1124",
}
# (id, name, host municipality, watched department ids)
RESPONSE_CENTRES: Final[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = (
    (
        "felles-responssenter-sor-rogaland",
        "Felles responssenter Sør-Rogaland",
        "stavanger-kommune",
        tuple(d.id for d in DEPARTMENTS),
    ),
    (
        "responssenter-hjemmesykepleien-sandnes",
        "Responssenter Hjemmesykepleien Sandnes",
        "sandnes-kommune",
        ("hjemmesykepleien-sandnes",),
    ),
)


def _ref(resource_type: str, resource_id: str, display: str | None = None) -> dict[str, str]:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display is not None:
        ref["display"] = display
    return ref


def _org_type(kind: str) -> list[dict[str, Any]]:
    return [
        {
            "coding": [
                {
                    "system": ORGANIZATION_KIND_SYSTEM,
                    "code": kind,
                    "display": _ORG_KIND_DISPLAY[kind],
                }
            ]
        }
    ]


def build_organizations() -> list[dict[str, Any]]:
    """The organisations of docs/contract.md, parents before children."""
    orgs: list[dict[str, Any]] = []
    for org_id, number in _MUNICIPALITY_NUMBERS.items():
        orgs.append(
            {
                "resourceType": "Organization",
                "id": org_id,
                "active": True,
                "identifier": [{"system": MUNICIPALITY_NUMBER_SYSTEM, "value": number}],
                "type": _org_type("municipality"),
                "name": f"{MUNICIPALITY_NAMES[org_id]} kommune",
            }
        )
    names = {o["id"]: o["name"] for o in orgs}
    for dept in DEPARTMENTS:
        orgs.append(
            {
                "resourceType": "Organization",
                "id": dept.id,
                "active": True,
                "identifier": [{"system": DEPARTMENT_SYSTEM, "value": dept.code}],
                "type": _org_type("department"),
                "name": dept.name,
                "partOf": _ref("Organization", dept.municipality, names[dept.municipality]),
            }
        )
        names[dept.id] = dept.name
    for centre_id, name, host, watched in RESPONSE_CENTRES:
        orgs.append(
            {
                "resourceType": "Organization",
                "id": centre_id,
                "extension": [
                    {
                        "url": WATCHED_ORGANIZATION_URL,
                        "valueReference": _ref("Organization", dept_id, names[dept_id]),
                    }
                    for dept_id in watched
                ],
                "active": True,
                "type": _org_type("response-centre"),
                "name": name,
                "partOf": _ref("Organization", host, names[host]),
            }
        )
    return orgs


def _uuid(seed: int, kind: str, n: int | str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{seed}/{kind}/{n}"))


def _plan_id(seed: int, patient_index: int, suffix: str) -> str:
    return _uuid(seed, "plan", f"{patient_index}/{suffix}")


@dataclass
class Population:
    """Seed data for the reference backend: FHIR resources plus a lazy Observation history."""

    organizations: list[dict[str, Any]]
    practitioners: list[dict[str, Any]]
    practitioner_roles: list[dict[str, Any]]
    patients: list[dict[str, Any]]
    episodes: list[dict[str, Any]]
    seed: int = 1
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    history_days: int = 30
    schedules: list[PatientSchedule] = field(default_factory=list, repr=False)
    # Each patient's CarePlan followed by its ServiceRequests (server.sim.plans).
    plans: list[dict[str, Any]] = field(default_factory=list)
    # Relatives of about 40 % of the patients (server.sim.relatives).
    related_persons: list[dict[str, Any]] = field(default_factory=list)

    def resources(self) -> Iterator[dict[str, Any]]:
        """Every non-Observation resource, in an order where references point backwards
        (except CarePlan.activity, which points at the ServiceRequests that follow it)."""
        yield from self.organizations
        yield from self.practitioners
        yield from self.practitioner_roles
        yield from self.patients
        yield from self.related_persons
        yield from self.episodes
        yield from self.plans

    def history(self) -> Iterator[dict[str, Any]]:
        """Observations for the last `history_days` up to `now`, in time order, lazily.

        Generated one Europe/Oslo day at a time (sorted within the day), so memory stays at one
        day's worth whatever the population size. Ids are "<patient id>-<kind>-<epoch s>".
        """
        end = self.now.timestamp()
        start = end - self.history_days * 86400.0
        builders = BUILDERS
        first, last = local_day(start), local_day(end)
        schedules = self.schedules
        for day in range(first, last + 1):
            rng = random.Random(mix(self.seed, 7, day))
            events: list[tuple[int, int, int, str, Any]] = []
            seq = 0
            for index, patient in enumerate(schedules):
                if patient.is_away(day):
                    continue
                sessions = patient.programme.sessions
                measure = patient.physiology.measure
                for s in range(len(sessions)):
                    for slot in patient.slots_on(s, day):
                        t = int(slot)
                        if t < start or t > end or not patient.takes(t, rng.random()):
                            continue
                        for kind in sessions[s].kinds:
                            events.append((t, index, seq, kind, measure(kind, t, rng)))
                            seq += 1
            events.sort()
            day_prefix = ""
            day_start = -1
            for t, index, _, kind, value in events:
                if t - day_start >= 86400 or t < day_start:
                    day_start = t - t % 86400
                    day_prefix = iso_utc(day_start)[:11]
                seconds = t - day_start
                hh, mm, ss = seconds // 3600, seconds // 60 % 60, seconds % 60
                effective = f"{day_prefix}{hh:02d}:{mm:02d}:{ss:02d}Z"
                patient = schedules[index]
                yield builders[kind](
                    patient.subject, effective, value, f"{patient.patient_id}-{kind}-{t}"
                )


def _apportion(n: int, weights: list[float]) -> list[int]:
    """Split n into integer counts proportional to weights (largest remainder)."""
    total = sum(weights)
    raw = [n * w / total for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _person_name(rng: random.Random, gender: str, birth_year: int) -> tuple[list[str], str]:
    given = rng.choice(first_names(gender, birth_year))
    family = rng.choice(SURNAMES)
    if rng.random() < 0.06:  # a few double surnames
        other = rng.choice(SURNAMES)
        if other != family:
            family = f"{other} {family}"
    return given.split(" "), family


def _human_name(given: list[str], family: str) -> dict[str, Any]:
    return {
        "use": "official",
        "text": f"{' '.join(given)} {family}",
        "family": family,
        "given": given,
    }


def _mobile(rng: random.Random) -> str:
    return f"+47{rng.choice('49')}{rng.randint(0, 9999999):07d}"


def _address(rng: random.Random, street: Street) -> dict[str, Any]:
    number = rng.randint(1, street.max_number)
    letter = rng.choice("ABC") if rng.random() < 0.1 else ""
    return {
        "use": "home",
        "type": "physical",
        "line": [f"{street.name} {number}{letter}"],
        "city": street.city,
        "district": MUNICIPALITY_NAMES[street.municipality],
        "postalCode": street.postcode,
        "country": "NO",
    }


def _build_staff(
    seed: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, list[tuple[str, str]]]]:
    """Practitioners, their roles, and each department's nurses as (id, name)."""
    rng = random.Random(mix(seed, 1))
    taken_hpr: set[str] = set()
    taken_users: set[str] = set()
    practitioners: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    nurses: dict[str, list[tuple[str, str]]] = {d.id: [] for d in DEPARTMENTS}
    staff: list[tuple[str, str, str | None]] = []  # (role, organisation, fixed user name)
    for dept in DEPARTMENTS:
        staff += [("nurse", dept.id, None)] * dept.nurses
    staff += [
        ("lead", "felles-responssenter-sor-rogaland", None),
        ("lead", "hjemmesykepleien-sandnes", None),
        ("superuser", "felles-responssenter-sor-rogaland", None),
        ("admin", "felles-responssenter-sor-rogaland", "admin"),
        # Last, so the staff above keep their names: a nurse of the shared centre, who sees
        # every department it watches (server/auth scoping).
        ("nurse", "felles-responssenter-sor-rogaland", None),
    ]
    for n, (role, org, fixed_user) in enumerate(staff):
        gender = "female" if rng.random() < 0.8 else "male"
        given, family = _person_name(rng, gender, rng.randint(1965, 2000))
        user = fixed_user or ascii_fold(f"{given[0]}.{family}".lower())
        while user in taken_users:
            user = f"{user}{rng.randint(2, 9)}"
        taken_users.add(user)
        practitioner_id = _uuid(seed, "Practitioner", n)
        identifiers = [{"system": USERNAME_SYSTEM, "value": user}]
        if role != "admin":
            identifiers.insert(0, {"system": HPR_SYSTEM, "value": hpr_number(rng, taken_hpr)})
        name = _human_name(given, family)
        practitioners.append(
            {
                "resourceType": "Practitioner",
                "id": practitioner_id,
                "identifier": identifiers,
                "active": True,
                "name": [name],
                "telecom": [{"system": "phone", "value": _mobile(rng), "use": "work"}],
                "gender": gender,
            }
        )
        roles.append(
            {
                "resourceType": "PractitionerRole",
                "id": _uuid(seed, "PractitionerRole", n),
                "active": True,
                "practitioner": _ref("Practitioner", practitioner_id, name["text"]),
                "organization": _ref("Organization", org),
                "code": [
                    {
                        "coding": [
                            {
                                "system": PRACTITIONER_ROLE_SYSTEM,
                                "code": role,
                                "display": ROLE_DISPLAY[role],
                            }
                        ]
                    }
                ],
            }
        )
        if role == "nurse" and org in nurses:
            nurses[org].append((practitioner_id, name["text"]))
    return practitioners, roles, nurses


def _birth_date(rng: random.Random, programme: Programme, today: date) -> date:
    low, mode, high = programme.ages
    age_days = rng.triangular(low, high + 1, mode) * 365.25
    return today - timedelta(days=int(age_days))


def _gender_for(programme: str, rng: random.Random) -> str:
    # COPD and heart failure are a little more common in men; near even otherwise.
    p_male = {"copd": 0.5, "heart-failure": 0.58, "hypertension": 0.52}.get(programme, 0.48)
    return "male" if rng.random() < p_male else "female"


def build_population(
    n_patients: int = 300, *, seed: int = 1, now: datetime, history_days: int = 30
) -> Population:
    """A deterministic synthetic population of `n_patients` patients as of `now`.

    The same (n_patients, seed, now, history_days) always gives identical resources and
    history; a different seed gives different ids, so populations never collide.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    # Late import: plans use server.rules, which imports server.sim (the package) itself.
    from server.sim.plans import build_plan
    from server.sim.relatives import build_relatives

    organizations = build_organizations()
    org_names = {o["id"]: o["name"] for o in organizations}
    practitioners, roles, nurses = _build_staff(seed)
    rng = random.Random(mix(seed, 2))
    today = now.astimezone(UTC).date()

    slots: list[tuple[Department, str]] = []
    for dept, count in zip(
        DEPARTMENTS, _apportion(n_patients, [d.share for d in DEPARTMENTS]), strict=True
    ):
        programme_counts = _apportion(count, [w for _, w in dept.programmes])
        for (prog_code, _), k in zip(dept.programmes, programme_counts, strict=True):
            slots += [(dept, prog_code)] * k
    rng.shuffle(slots)

    patients: list[dict[str, Any]] = []
    episodes: list[dict[str, Any]] = []
    schedules: list[PatientSchedule] = []
    plans: list[dict[str, Any]] = []
    gps = []
    for i in range(24):
        given, family = _person_name(rng, "female" if i % 2 else "male", rng.randint(1955, 1990))
        gps.append(f"Fastlege {' '.join(given)} {family}")
    for i, (dept, code) in enumerate(slots):
        programme = PROGRAMMES[code]
        gender = _gender_for(code, rng)
        born = _birth_date(rng, programme, today)
        given, family = _person_name(rng, gender, born.year)
        patient_id = _uuid(seed, "Patient", i)
        name = _human_name(given, family)
        street = rng.choice(dept.streets)
        patient: dict[str, Any] = {
            "resourceType": "Patient",
            "id": patient_id,
            "identifier": [
                {"use": "official", "system": FNR_SYSTEM, "value": fodselsnummer(born, gender, rng)}
            ],
            "active": True,
            "name": [name],
            "telecom": [{"system": "phone", "value": _mobile(rng), "use": "mobile"}],
            "gender": gender,
            "birthDate": born.isoformat(),
            "address": [_address(rng, street)],
            "generalPractitioner": [{"display": rng.choice(gps)}],
            "managingOrganization": _ref("Organization", dept.id, dept.name),
        }
        patients.append(patient)
        # Most were enrolled long ago; some recently, so their history starts mid-window.
        days_ago = rng.uniform(2, 30) if rng.random() < 0.12 else rng.uniform(31, 720)
        enrolled_day = today - timedelta(days=int(days_ago))
        enrolled = datetime(
            enrolled_day.year,
            enrolled_day.month,
            enrolled_day.day,
            rng.randint(7, 13),
            rng.choice((0, 15, 30, 45)),
            tzinfo=UTC,
        )
        nurse_id, nurse_name = nurses[dept.id][i % len(nurses[dept.id])]
        episodes.append(
            {
                "resourceType": "EpisodeOfCare",
                "id": _uuid(seed, "EpisodeOfCare", i),
                "status": "active",
                "type": [{"coding": [programme.coding()], "text": programme.display}],
                "patient": _ref("Patient", patient_id, name["text"]),
                "managingOrganization": _ref("Organization", dept.id, org_names[dept.id]),
                "period": {"start": iso_utc_datetime(enrolled)},
                "careManager": _ref("Practitioner", nurse_id, nurse_name),
            }
        )
        # About 4 % were discharged from the follow-up during the history window (at least two
        # days after they were enrolled): finished episode, completed plan, no more measuring.
        discharged: float | None = None
        h = mix(seed, 77, i)
        window_start = now.timestamp() - history_days * 86400.0
        if unit(h) < DISCHARGE_SHARE:
            earliest = max(window_start, enrolled.timestamp() + 2 * 86400.0)
            latest = now.timestamp() - 86400.0
            if earliest < latest:
                discharged = earliest + unit(mix(h, 1)) * (latest - earliest)
        schedule = PatientSchedule(
            patient_id,
            code,
            seed=seed,
            gender=gender,
            enrolled=enrolled.timestamp(),
            discharged=discharged,
        )
        schedules.append(schedule)
        patient_plan = build_plan(schedule, episodes[-1], new_id=partial(_plan_id, seed, i))
        if discharged is not None:
            end = iso_utc(discharged)
            episodes[-1]["status"] = "finished"
            episodes[-1]["period"]["end"] = end
            for res in patient_plan:
                res["status"] = "completed"
                if res["resourceType"] == "CarePlan":
                    res["period"]["end"] = end
        plans += patient_plan
    return Population(
        organizations=organizations,
        practitioners=practitioners,
        practitioner_roles=roles,
        patients=patients,
        episodes=episodes,
        seed=seed,
        now=now,
        history_days=history_days,
        schedules=schedules,
        plans=plans,
        related_persons=build_relatives(patients, seed=seed, today=today),
    )


def programme_of(episode: dict[str, Any]) -> str | None:
    """The programme code of an EpisodeOfCare dict, or None if it has none we know."""
    for concept in episode.get("type", ()):
        for coding in concept.get("coding", ()):
            if coding.get("system") == PROGRAMME_SYSTEM and coding.get("code") in PROGRAMMES:
                return str(coding["code"])
    return None


def enrolled_at(episode: dict[str, Any]) -> float | None:
    """Epoch seconds of an EpisodeOfCare's period.start, if it has one."""
    start = episode.get("period", {}).get("start")
    return parse_instant(start) if isinstance(start, str) else None
