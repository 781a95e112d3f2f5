"""FHIR → domain mapping, with hand-written FHIR R4 examples recorded under fixtures/."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.domain.model import MeasurementKind, OrganizationKind
from console.fhir.errors import FhirMalformed
from console.fhir.mapping import (
    LOCAL_TZ,
    episode_from_fhir,
    map_resources,
    measurement_from_fhir,
    organization_from_fhir,
    parse_datetime,
    patient_from_fhir,
    reference_id,
)

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_blood_pressure_panel() -> None:
    m = measurement_from_fhir(load("observation-bp-panel.json"))
    assert m is not None
    assert m.kind is MeasurementKind.BLOOD_PRESSURE
    assert (m.value, m.value2, m.unit) == (152.0, 91.0, "mm[Hg]")
    assert m.patient_id == "pat-1"
    assert m.time == datetime(2026, 11, 22, 7, 15, tzinfo=UTC)
    assert (m.observation_id, m.version) == ("bp-1", "2")


def test_standalone_systolic_is_blood_pressure() -> None:
    obs = load("observation-spo2.json")
    obs["code"] = {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]}
    obs["valueQuantity"] = {"value": 140, "code": "mm[Hg]"}
    m = measurement_from_fhir(obs)
    assert m is not None and m.kind is MeasurementKind.BLOOD_PRESSURE
    assert (m.value, m.value2) == (140.0, None)


def test_spo2_with_both_codes() -> None:
    m = measurement_from_fhir(load("observation-spo2.json"))
    assert m is not None
    assert (m.kind, m.value, m.unit) == (MeasurementKind.SPO2, 93.0, "%")
    assert m.time.tzinfo is not None


def test_spo2_only_pulse_oximetry_code_and_fraction() -> None:
    obs = load("observation-spo2.json")
    obs["code"]["coding"] = obs["code"]["coding"][1:]
    obs["valueQuantity"] = {"value": 0.95, "code": "1"}
    m = measurement_from_fhir(obs)
    assert m is not None and m.kind is MeasurementKind.SPO2
    assert m.value == pytest.approx(95.0)


def test_weight_in_pounds_from_period_and_absolute_subject() -> None:
    m = measurement_from_fhir(load("observation-weight-lb.json"))
    assert m is not None
    assert m.kind is MeasurementKind.WEIGHT and m.unit == "kg"
    assert m.value == pytest.approx(83.91, abs=0.01)
    assert m.patient_id == "pat-2"
    assert m.time == datetime(2026, 11, 21, 6, 30, tzinfo=UTC)


def test_glucose_mg_per_dl_is_converted() -> None:
    m = measurement_from_fhir(load("observation-glucose-mgdl.json"))
    assert m is not None
    assert (m.kind, m.unit) == (MeasurementKind.GLUCOSE, "mmol/L")
    assert m.value == pytest.approx(10.0, abs=1e-6)


def test_temperature_fahrenheit_and_date_only() -> None:
    m = measurement_from_fhir(load("observation-temperature-date-only.json"))
    assert m is not None
    assert m.value == pytest.approx(38.0)
    assert m.unit == "Cel"
    assert m.time == datetime(2026, 11, 20, tzinfo=LOCAL_TZ)
    assert m.version == ""


def test_grams_and_issued_fallback() -> None:
    obs = load("observation-weight-lb.json")
    del obs["effectivePeriod"]
    obs["issued"] = "2026-11-21T07:31:02.5+01:00"
    obs["valueQuantity"] = {"value": 80500, "code": "g"}
    m = measurement_from_fhir(obs)
    assert m is not None and m.value == pytest.approx(80.5)
    assert m.time == datetime(2026, 11, 21, 6, 31, 2, 500000, tzinfo=UTC)


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled"])
def test_skipped_statuses(status: str) -> None:
    obs = load("observation-bp-panel.json")
    obs["status"] = status
    assert measurement_from_fhir(obs) is None


def test_unknown_code_and_data_absent_are_not_errors() -> None:
    obs = load("observation-spo2.json")
    obs["code"] = {"coding": [{"system": "http://loinc.org", "code": "8302-2"}]}
    assert measurement_from_fhir(obs) is None
    obs = load("observation-spo2.json")
    del obs["valueQuantity"]
    obs["dataAbsentReason"] = {"coding": [{"code": "not-performed"}]}
    assert measurement_from_fhir(obs) is None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda o: o.pop("subject"), "no Patient subject"),
        (lambda o: o.update(subject={"reference": "Group/g1"}), "no Patient subject"),
        (lambda o: o.pop("effectiveDateTime"), "no effective time"),
        (lambda o: o.update(effectiveDateTime="yesterday"), "not a FHIR dateTime"),
        (lambda o: o.pop("valueQuantity"), "no valueQuantity"),
        (lambda o: o["valueQuantity"].update(value="93"), "no numeric value"),
        (lambda o: o["valueQuantity"].update(value=True), "no numeric value"),
        (lambda o: o["valueQuantity"].update(code="mg", unit="mg"), "unit 'mg'"),
        (lambda o: o.pop("id"), "no id"),
    ],
)
def test_malformed_observation(change: Any, reason: str) -> None:
    obs = load("observation-spo2.json")
    change(obs)
    with pytest.raises(FhirMalformed, match=reason):
        measurement_from_fhir(obs)


def test_bp_panel_without_systolic_is_malformed() -> None:
    obs = load("observation-bp-panel.json")
    obs["component"] = obs["component"][1:]
    with pytest.raises(FhirMalformed, match="systolic"):
        measurement_from_fhir(obs)


def test_not_an_observation() -> None:
    with pytest.raises(FhirMalformed, match="Observation"):
        measurement_from_fhir(load("patient-two-names.json"))


def test_patient_with_two_names_uses_official() -> None:
    p = patient_from_fhir(load("patient-two-names.json"))
    assert (p.given, p.family) == ("Kari Elisabeth", "Nordmann")
    assert p.name == "Nordmann, Kari Elisabeth"
    assert p.fodselsnummer == "13825099039"
    assert p.birth_date == date(1950, 2, 13)
    assert (p.gender, p.version) == ("female", "4")


def test_patient_minimal_and_first_name_fallback() -> None:
    p = patient_from_fhir(
        {"resourceType": "Patient", "id": "x", "name": [{"given": ["Ola"], "family": "Dunk"}]}
    )
    assert (p.given, p.family, p.birth_date, p.fodselsnummer, p.version) == (
        "Ola",
        "Dunk",
        None,
        None,
        "",
    )
    p = patient_from_fhir({"resourceType": "Patient", "id": "y", "birthDate": "1948"})
    assert p.birth_date == date(1948, 1, 1) and p.name == ""


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "Patient"},
        {"resourceType": "Practitioner", "id": "x"},
        {"resourceType": "Patient", "id": "x", "birthDate": "13.02.1950"},
    ],
)
def test_malformed_patient(resource: dict[str, Any]) -> None:
    with pytest.raises(FhirMalformed):
        patient_from_fhir(resource)


def test_episode_of_care() -> None:
    e = episode_from_fhir(load("episodeofcare.json"))
    assert (e.id, e.patient_id, e.department_id) == ("eoc-1", "pat-1", "dep-hss")
    assert (e.programme, e.programme_display, e.status, e.version) == (
        "copd",
        "KOLS",
        "active",
        "1",
    )


def test_episode_programme_fallbacks() -> None:
    eoc = load("episodeofcare.json")
    eoc["type"] = [{"coding": [{"system": "http://snomed.info/sct", "code": "13645005"}]}]
    assert episode_from_fhir(eoc).programme == "13645005"
    eoc["type"] = [{"text": "Hjerterehabilitering"}]
    e = episode_from_fhir(eoc)
    assert (e.programme, e.programme_display) == ("Hjerterehabilitering", "Hjerterehabilitering")
    del eoc["type"], eoc["managingOrganization"]
    e = episode_from_fhir(eoc)
    assert (e.programme, e.department_id) == ("", None)
    del eoc["patient"]
    with pytest.raises(FhirMalformed, match="patient"):
        episode_from_fhir(eoc)


def test_response_centre_organization() -> None:
    o = organization_from_fhir(load("organization-response-centre.json"))
    assert o.kind is OrganizationKind.RESPONSE_CENTRE
    assert o.name == "Felles responssenter Sør-Rogaland"
    assert o.part_of == "mun-stavanger"
    assert o.watches == ("dep-hss", "dep-hsn")


def test_organization_other_kind_and_bad_extension() -> None:
    org = load("organization-response-centre.json")
    org["type"] = org["type"][:1]
    assert organization_from_fhir(org).kind is OrganizationKind.OTHER
    org["type"] = [{"coding": [{"system": org_kind_system(), "code": "hospital"}]}]
    assert organization_from_fhir(org).kind is OrganizationKind.OTHER
    org["extension"][0] = {
        "url": "http://dho.example/fhir/StructureDefinition/watched-organization",
        "valueString": "dep-hss",
    }
    with pytest.raises(FhirMalformed, match="watched-organization"):
        organization_from_fhir(org)


def org_kind_system() -> str:
    return "http://dho.example/fhir/CodeSystem/organization-kind"


def test_reference_id_forms() -> None:
    assert reference_id("Patient/a") == "a"
    assert reference_id({"reference": "http://h/fhir/Patient/a/_history/3"}, "Patient") == "a"
    assert reference_id("Organization/a", "Patient") is None
    assert reference_id("#contained") is None
    assert reference_id(None) is None


def test_parse_datetime_forms() -> None:
    assert parse_datetime("2026-11-22T10:00+01:00") == datetime(2026, 11, 22, 9, tzinfo=UTC)
    assert parse_datetime("2026-11") == datetime(2026, 11, 1, tzinfo=LOCAL_TZ)
    assert parse_datetime("2026-11-22T10:00:00.123456-05:00").utcoffset() == timedelta(hours=-5)
    assert parse_datetime("2026-11-22", tz=UTC).tzinfo is UTC


def test_map_resources_skips_and_counts_malformed() -> None:
    bundle = load("bundle-with-malformed.json")
    resources = [e["resource"] for e in bundle["entry"]]
    report = map_resources(resources[:1] + resources[2:4], measurement_from_fhir)
    assert [m.observation_id for m in report.items] == ["a", "d"]
    assert report.skipped == 1
    assert "Observation" in report.reasons[0]


def test_mapping_speed_100k_observations() -> None:
    """The patient list maps a whole day of data on load; it must stay well under 2 s."""
    templates = [
        load(n)
        for n in (
            "observation-bp-panel.json",
            "observation-spo2.json",
            "observation-weight-lb.json",
            "observation-glucose-mgdl.json",
        )
    ]
    observations = []
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(10_000):
        obs = copy.deepcopy(templates[i % 4])
        obs["id"] = f"o{i}"
        obs.pop("effectivePeriod", None)
        obs["effectiveDateTime"] = (start + timedelta(seconds=i)).isoformat()
        observations.append(obs)
    report = map_resources(observations, measurement_from_fhir)
    assert len(report.items) == 10_000 and report.skipped == 0
    # The speed (100,000 in well under 2 s) is measured in benchmarks/mapping.py.
