"""The seeded population: organisations, staff, patients, episodes and the Observation history."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from server.sim.identity import FNR_SYSTEM, HPR_SYSTEM, parse_fodselsnummer
from server.sim.population import (
    DEPARTMENTS,
    ORGANIZATION_KIND_SYSTEM,
    PRACTITIONER_ROLE_SYSTEM,
    PROGRAMME_SYSTEM,
    PROGRAMMES,
    WATCHED_ORGANIZATION_URL,
    Population,
    build_population,
)
from server.sim.programmes import MEASUREMENT_BY_LOINC, MEASUREMENTS

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
FHIR_ID = re.compile(r"^[A-Za-z0-9\-\.]{1,64}$")
INSTANT_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
UNITS = {
    "85354-9": "mm[Hg]",
    "8867-4": "/min",
    "2708-6": "%",
    "29463-7": "kg",
    "8310-5": "Cel",
    "15074-8": "mmol/L",
    "9279-1": "/min",
}


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population(300, seed=1, now=NOW)


@pytest.fixture(scope="module")
def history(population: Population) -> list[dict[str, Any]]:
    return list(population.history())


def references(node: Any) -> Iterator[str]:
    """Every `reference` string anywhere in a resource."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def coding(concept: dict[str, Any], system: str) -> dict[str, Any]:
    return next(c for c in concept["coding"] if c["system"] == system)


def test_organizations_match_the_contract(population: Population) -> None:
    orgs = {o["id"]: o for o in population.organizations}
    kinds = {
        o["name"]: coding(o["type"][0], ORGANIZATION_KIND_SYSTEM)["code"]
        for o in population.organizations
    }
    assert kinds == {
        "Stavanger kommune": "municipality",
        "Sandnes kommune": "municipality",
        "Sola kommune": "municipality",
        "Hjemmesykepleien Stavanger sentrum": "department",
        "Hjemmesykepleien Sandnes": "department",
        "Frisklivssentralen Sandnes": "department",
        "Interkommunalt rehabiliteringsteam (IKART)": "department",
        "Oppfølgingstjenesten Madla legesenter": "department",
        "Felles responssenter Sør-Rogaland": "response-centre",
        "Responssenter Hjemmesykepleien Sandnes": "response-centre",
    }
    by_name = {o["name"]: o for o in population.organizations}
    assert by_name["Interkommunalt rehabiliteringsteam (IKART)"]["partOf"]["reference"] == (
        "Organization/stavanger-kommune"
    )
    assert by_name["Oppfølgingstjenesten Madla legesenter"]["partOf"]["reference"] == (
        "Organization/stavanger-kommune"
    )
    for dept in (o for o in orgs.values() if kinds[o["name"]] == "department"):
        assert dept["identifier"][0]["value"]
        parent = orgs[dept["partOf"]["reference"].split("/")[1]]
        assert kinds[parent["name"]] == "municipality"

    def watched(name: str) -> set[str]:
        return {
            e["valueReference"]["reference"]
            for e in by_name[name]["extension"]
            if e["url"] == WATCHED_ORGANIZATION_URL
        }

    departments = {f"Organization/{d.id}" for d in DEPARTMENTS}
    assert watched("Felles responssenter Sør-Rogaland") == departments
    assert watched("Responssenter Hjemmesykepleien Sandnes") == {
        "Organization/hjemmesykepleien-sandnes"
    }
    # Parents (and watched departments) come before the organisations that point at them.
    seen: set[str] = set()
    for org in population.organizations:
        assert set(references(org)) <= seen
        seen.add(f"Organization/{org['id']}")


def test_resources_are_structurally_sound(population: Population) -> None:
    existing = {f"{r['resourceType']}/{r['id']}" for r in population.resources()}
    assert len(existing) == sum(1 for _ in population.resources())  # ids unique
    for resource in population.resources():
        assert resource["resourceType"] in {
            "Organization",
            "Practitioner",
            "PractitionerRole",
            "Patient",
            "RelatedPerson",
            "EpisodeOfCare",
            "CarePlan",
            "ServiceRequest",
        }
        assert FHIR_ID.match(resource["id"])
        assert "meta" not in resource
        for ref in references(resource):
            assert ref in existing, f"{resource['resourceType']}/{resource['id']} -> {ref}"


def test_staff_have_hpr_numbers_roles_and_organisations(population: Population) -> None:
    roles: Counter[str] = Counter()
    practitioners = {p["id"]: p for p in population.practitioners}
    for role in population.practitioner_roles:
        code = coding(role["code"][0], PRACTITIONER_ROLE_SYSTEM)["code"]
        roles[code] += 1
        practitioner = practitioners[role["practitioner"]["reference"].split("/")[1]]
        systems = {i["system"]: i["value"] for i in practitioner["identifier"]}
        if code != "admin":
            assert re.fullmatch(r"\d{7,9}", systems[HPR_SYSTEM])
        assert practitioner["name"][0]["family"] and practitioner["name"][0]["given"]
    assert roles == {"nurse": 13, "lead": 2, "superuser": 1, "admin": 1}
    users = [
        i["value"]
        for p in population.practitioners
        for i in p["identifier"]
        if i["system"].endswith("/username")
    ]
    assert "admin" in users and len(set(users)) == len(users)


def test_patients_have_valid_identity_and_plausible_ages(population: Population) -> None:
    assert len(population.patients) == 300
    programme = {
        e["patient"]["reference"]: coding(e["type"][0], PROGRAMME_SYSTEM)["code"]
        for e in population.episodes
    }
    fnrs = set()
    for patient in population.patients:
        (identifier,) = patient["identifier"]
        assert identifier["system"] == FNR_SYSTEM
        parsed = parse_fodselsnummer(identifier["value"])
        assert parsed is not None
        born, gender, synthetic = parsed
        assert synthetic and gender == patient["gender"]
        assert born.isoformat() == patient["birthDate"]
        fnrs.add(identifier["value"])
        low, _, high = PROGRAMMES[programme[f"Patient/{patient['id']}"]].ages
        age = (NOW.date() - born).days / 365.25
        assert low - 0.01 <= age <= high + 1.01
        assert re.fullmatch(r"\+47[49]\d{7}", patient["telecom"][0]["value"])
        address = patient["address"][0]
        assert re.fullmatch(r"\d{4}", address["postalCode"])
        assert address["city"] in {
            "Stavanger",
            "Hafrsfjord",
            "Hundvåg",
            "Sandnes",
            "Sola",
            "Tananger",
        }
        assert patient["name"][0]["given"] and patient["name"][0]["family"]
    assert len(fnrs) == 300
    text = " ".join(p["name"][0]["text"] for p in population.patients)
    assert re.search("[æøåÆØÅ]", text)
    genders = Counter(p["gender"] for p in population.patients)
    assert genders["male"] > 100 and genders["female"] > 100


def test_patients_are_distributed_over_departments_and_programmes(
    population: Population,
) -> None:
    expected = {d.id: {code for code, _ in d.programmes} for d in DEPARTMENTS}
    per_department: Counter[str] = Counter()
    per_programme: Counter[str] = Counter()
    patients_with_episode: Counter[str] = Counter()
    roles = {
        r["practitioner"]["reference"]: r["organization"]["reference"]
        for r in population.practitioner_roles
        if coding(r["code"][0], PRACTITIONER_ROLE_SYSTEM)["code"] == "nurse"
    }
    finished = [e for e in population.episodes if e["status"] == "finished"]
    assert 0 < len(finished) < 0.08 * len(population.episodes)  # discharged during the month
    assert all(e["period"]["end"] > e["period"]["start"] for e in finished)
    for episode in population.episodes:
        assert episode["status"] in ("active", "finished")
        dept = episode["managingOrganization"]["reference"].split("/")[1]
        prog = coding(episode["type"][0], PROGRAMME_SYSTEM)
        assert prog["display"] == PROGRAMMES[prog["code"]].display
        assert prog["code"] in expected[dept]
        per_department[dept] += 1
        per_programme[prog["code"]] += 1
        patients_with_episode[episode["patient"]["reference"]] += 1
        assert roles[episode["careManager"]["reference"]] == f"Organization/{dept}"
        start = datetime.fromisoformat(episode["period"]["start"].replace("Z", "+00:00"))
        assert NOW - timedelta(days=800) < start < NOW
    assert set(patients_with_episode.values()) == {1} and len(patients_with_episode) == 300
    for dept in DEPARTMENTS:
        assert abs(per_department[dept.id] - 300 * dept.share) <= 1
    assert set(per_programme) == set(PROGRAMMES)
    assert per_programme["rehabilitation"] == per_department["ikart"]
    displays = {p.code: p.display for p in PROGRAMMES.values()}
    assert displays == {
        "copd": "KOLS",
        "heart-failure": "Hjertesvikt",
        "diabetes-t2": "Diabetes type 2",
        "hypertension": "Hypertensjon",
        "cancer": "Kreftoppfølging",
        "rehabilitation": "Rehabilitering",
    }


def test_same_seed_same_population_and_history(population: Population) -> None:
    again = build_population(300, seed=1, now=NOW)
    assert list(again.resources()) == list(population.resources())
    assert list(itertools.islice(again.history(), 3000)) == list(
        itertools.islice(population.history(), 3000)
    )
    other = build_population(300, seed=2, now=NOW)
    assert {p["id"] for p in other.patients}.isdisjoint({p["id"] for p in population.patients})


def test_history_observations_follow_the_contract(
    population: Population, history: list[dict[str, Any]]
) -> None:
    programme = {
        e["patient"]["reference"]: PROGRAMMES[coding(e["type"][0], PROGRAMME_SYSTEM)["code"]]
        for e in population.episodes
    }
    enrolled = {e["patient"]["reference"]: e["period"]["start"] for e in population.episodes}
    ids = set()
    kinds: Counter[str] = Counter()
    for obs in history:
        assert obs["resourceType"] == "Observation" and "meta" not in obs
        assert FHIR_ID.match(obs["id"])
        ids.add(obs["id"])
        assert obs["status"] == "final"
        (category,) = obs["category"]
        assert category["coding"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "vital-signs",
            "display": "Vital Signs",
        }
        codes = [c["code"] for c in obs["code"]["coding"]]
        assert all(
            c["system"] == "http://loinc.org" and c["display"] for c in obs["code"]["coding"]
        )
        assert obs["code"]["text"]
        kind = MEASUREMENT_BY_LOINC[codes[0]]
        kinds[kind] += 1
        assert kind in programme[obs["subject"]["reference"]].measurements
        assert INSTANT_Z.match(obs["effectiveDateTime"])
        assert obs["effectiveDateTime"] >= enrolled[obs["subject"]["reference"]]
        if codes[0] == "2708-6":
            assert codes == ["2708-6", "59408-5"]
        else:
            assert len(codes) == 1
        if codes[0] == "85354-9":
            assert "valueQuantity" not in obs
            systolic, diastolic = obs["component"]
            assert systolic["code"]["coding"][0]["code"] == "8480-6"
            assert diastolic["code"]["coding"][0]["code"] == "8462-4"
            for component in (systolic, diastolic):
                q = component["valueQuantity"]
                assert q["system"] == "http://unitsofmeasure.org" and q["code"] == "mm[Hg]"
                assert isinstance(q["value"], int)
            assert systolic["valueQuantity"]["value"] > diastolic["valueQuantity"]["value"]
        else:
            q = obs["valueQuantity"]
            assert q["system"] == "http://unitsofmeasure.org"
            assert q["code"] == UNITS[codes[0]] == MEASUREMENTS[kind].unit
            assert q["unit"]
            if kind in ("spo2", "pulse", "resp"):
                assert isinstance(q["value"], int)
            else:
                assert round(q["value"], 1) == q["value"]
            if kind == "spo2":
                assert 50 <= q["value"] <= 100
    assert len(ids) == len(history)
    assert set(kinds) == {"bp", "pulse", "spo2", "weight", "temp", "glucose"}


def test_history_spans_the_window_in_time_order(
    population: Population, history: list[dict[str, Any]]
) -> None:
    times = [o["effectiveDateTime"] for o in history]
    assert times == sorted(times)
    first = datetime.fromisoformat(times[0].replace("Z", "+00:00"))
    last = datetime.fromisoformat(times[-1].replace("Z", "+00:00"))
    assert NOW - timedelta(days=30) <= first < NOW - timedelta(days=29, hours=12)
    assert NOW - timedelta(hours=6) < last <= NOW
    per_patient_day = len(history) / 300 / 30
    assert 2.5 < per_patient_day < 4.5
    # Some patients miss measurements: not everyone has every scheduled slot.
    per_patient = Counter(o["subject"]["reference"] for o in history)
    assert len(per_patient) >= 290
    assert min(per_patient.values()) < max(per_patient.values())


def test_history_is_a_generator(population: Population) -> None:
    stream = population.history()
    assert iter(stream) is stream
    assert next(stream)["resourceType"] == "Observation"


def test_measurement_errors_and_abnormal_values_occur(history: list[dict[str, Any]]) -> None:
    spo2 = [
        o["valueQuantity"]["value"] for o in history if o["code"]["coding"][0]["code"] == "2708-6"
    ]
    assert any(v < 80 for v in spo2)  # device errors (cold finger) happen, rarely
    assert sum(v < 80 for v in spo2) < 0.02 * len(spo2)
    temps = [
        o["valueQuantity"]["value"] for o in history if o["code"]["coding"][0]["code"] == "8310-5"
    ]
    assert any(v >= 38.0 for v in temps)  # fever episodes
