"""FHIR R4 JSON → `console.domain.model` types.

Plain functions over `dict`s so they are fast (the patient list maps 100k Observations on load)
and easy to test with recorded JSON. Anything we cannot make sense of raises `FhirMalformed`
with a reason; things that are valid FHIR but not for us (other codes, entered-in-error) map to
None so callers can skip them silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Generic, TypeVar

from console.domain.model import (
    Episode,
    Measurement,
    MeasurementKind,
    Organization,
    OrganizationKind,
    Patient,
)
from console.fhir.errors import FhirMalformed

log = logging.getLogger(__name__)

ORGANIZATION_KIND_SYSTEM = "http://dho.example/fhir/CodeSystem/organization-kind"
WATCHED_ORGANIZATION_URL = "http://dho.example/fhir/StructureDefinition/watched-organization"
PROGRAMME_SYSTEM = "http://dho.example/fhir/CodeSystem/programme"
FODSELSNUMMER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.4.1"
LOINC = "http://loinc.org"

BP_PANEL = "85354-9"
BP_SYSTOLIC = "8480-6"
BP_DIASTOLIC = "8462-4"

#: LOINC code → measurement kind (the BP panel and a standalone systolic both mean BP).
LOINC_KINDS: dict[str, MeasurementKind] = {
    BP_PANEL: MeasurementKind.BLOOD_PRESSURE,
    BP_SYSTOLIC: MeasurementKind.BLOOD_PRESSURE,
    "8867-4": MeasurementKind.PULSE,
    "2708-6": MeasurementKind.SPO2,
    "59408-5": MeasurementKind.SPO2,
    "29463-7": MeasurementKind.WEIGHT,
    "8310-5": MeasurementKind.TEMPERATURE,
    "15074-8": MeasurementKind.GLUCOSE,
    "9279-1": MeasurementKind.RESPIRATORY_RATE,
}

#: Canonical UCUM unit per kind; values are converted into it.
CANONICAL_UNIT: dict[MeasurementKind, str] = {
    MeasurementKind.BLOOD_PRESSURE: "mm[Hg]",
    MeasurementKind.PULSE: "/min",
    MeasurementKind.SPO2: "%",
    MeasurementKind.WEIGHT: "kg",
    MeasurementKind.TEMPERATURE: "Cel",
    MeasurementKind.GLUCOSE: "mmol/L",
    MeasurementKind.RESPIRATORY_RATE: "/min",
}

GLUCOSE_MG_PER_MMOL = 18.016


def _linear(factor: float) -> Callable[[float], float]:
    return lambda v: v * factor


def _f_to_c(v: float) -> float:
    return (v - 32.0) * 5.0 / 9.0


def _same(v: float) -> float:
    return v


# Per kind: unit as written (UCUM code or common display text) → conversion to canonical.
_CONVERSIONS: dict[MeasurementKind, dict[str, Callable[[float], float]]] = {
    MeasurementKind.BLOOD_PRESSURE: {"mm[Hg]": _same, "mmHg": _same, "kPa": _linear(7.50062)},
    MeasurementKind.PULSE: {"/min": _same, "{beats}/min": _same, "bpm": _same, "1/min": _same},
    MeasurementKind.RESPIRATORY_RATE: {
        "/min": _same,
        "{breaths}/min": _same,
        "1/min": _same,
    },
    MeasurementKind.SPO2: {"%": _same, "1": _linear(100.0)},
    MeasurementKind.WEIGHT: {
        "kg": _same,
        "g": _linear(0.001),
        "[lb_av]": _linear(0.45359237),
        "lb": _linear(0.45359237),
        "lbs": _linear(0.45359237),
    },
    MeasurementKind.TEMPERATURE: {"Cel": _same, "°C": _same, "[degF]": _f_to_c, "°F": _f_to_c},
    MeasurementKind.GLUCOSE: {
        "mmol/L": _same,
        "mmol/l": _same,
        "mg/dL": _linear(1.0 / GLUCOSE_MG_PER_MMOL),
        "mg/dl": _linear(1.0 / GLUCOSE_MG_PER_MMOL),
    },
}

_SKIP_STATUS = frozenset({"entered-in-error", "cancelled"})

#: Zone for FHIR dateTimes without an offset (date-only values): the console's home zone.
try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: tzinfo = ZoneInfo("Europe/Oslo")
except Exception:  # pragma: no cover - only without tz data
    LOCAL_TZ = UTC


# -- small parsers -------------------------------------------------------------------------


def reference_id(reference: Any, resource_type: str | None = None) -> str | None:
    """`Patient/abc`, `http://x/fhir/Patient/abc/_history/2` or `{"reference": ...}` → `abc`."""
    if isinstance(reference, dict):
        reference = reference.get("reference")
    if not isinstance(reference, str) or not reference:
        return None
    parts = reference.split("/")
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) < 2:
        return None
    if resource_type is not None and parts[-2] != resource_type:
        return None
    return parts[-1] or None


def parse_datetime(value: Any, *, tz: tzinfo = LOCAL_TZ) -> datetime:
    """FHIR dateTime/instant → aware datetime.

    FHIR allows `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and times without seconds; values without an
    offset (only legal for partial dates) are taken as midnight in the console's zone.
    """
    if not isinstance(value, str):
        raise FhirMalformed(f"not a FHIR dateTime: {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        n = len(value)
        try:
            if n == 4:
                parsed = datetime(int(value), 1, 1)
            elif n == 7 and value[4] == "-":
                parsed = datetime(int(value[:4]), int(value[5:7]), 1)
            else:
                raise
        except ValueError:
            raise FhirMalformed(f"not a FHIR dateTime: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def parse_date(value: Any) -> date | None:
    """FHIR date (possibly partial, `YYYY` / `YYYY-MM`) → date; partial dates take day 1."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FhirMalformed(f"not a FHIR date: {value!r}")
    try:
        if len(value) == 4:
            return date(int(value), 1, 1)
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1)
        return date.fromisoformat(value[:10])
    except ValueError:
        raise FhirMalformed(f"not a FHIR date: {value!r}") from None


def _require_id(resource: Mapping[str, Any], resource_type: str) -> str:
    if not isinstance(resource, dict):
        raise FhirMalformed(f"expected a {resource_type} object, got {type(resource).__name__}")
    actual = resource.get("resourceType")
    if actual != resource_type:
        raise FhirMalformed(f"expected a {resource_type}, got {actual or 'no resourceType'}")
    rid = resource.get("id")
    if not isinstance(rid, str) or not rid:
        raise FhirMalformed(f"the {resource_type} has no id")
    return rid


def _version(resource: Mapping[str, Any]) -> str:
    meta = resource.get("meta")
    if isinstance(meta, dict):
        vid = meta.get("versionId")
        if vid is not None:
            return str(vid)
    return ""


def _codings(concept: Any) -> list[dict[str, Any]]:
    if isinstance(concept, dict):
        codings = concept.get("coding")
        if isinstance(codings, list):
            return [c for c in codings if isinstance(c, dict)]
    return []


# -- resources -----------------------------------------------------------------------------


def organization_from_fhir(resource: Mapping[str, Any]) -> Organization:
    """Organization → kind (dho code system, else OTHER), parent, watched departments."""
    rid = _require_id(resource, "Organization")
    kind = OrganizationKind.OTHER
    types = resource.get("type")
    if isinstance(types, list):
        for concept in types:
            for coding in _codings(concept):
                if coding.get("system") == ORGANIZATION_KIND_SYSTEM:
                    try:
                        kind = OrganizationKind(str(coding.get("code")))
                    except ValueError:
                        kind = OrganizationKind.OTHER
                    break
    watches: list[str] = []
    extensions = resource.get("extension")
    if isinstance(extensions, list):
        for ext in extensions:
            if isinstance(ext, dict) and ext.get("url") == WATCHED_ORGANIZATION_URL:
                watched = reference_id(ext.get("valueReference"), "Organization")
                if watched is None:
                    raise FhirMalformed(
                        f"Organization/{rid}: a watched-organization extension has no "
                        "Organization reference"
                    )
                watches.append(watched)
    name = resource.get("name")
    return Organization(
        id=rid,
        name=name if isinstance(name, str) and name else rid,
        kind=kind,
        part_of=reference_id(resource.get("partOf"), "Organization"),
        watches=tuple(watches),
    )


def _pick_name(names: Any) -> dict[str, Any] | None:
    if not isinstance(names, list):
        return None
    candidates = [n for n in names if isinstance(n, dict)]
    for use in ("official", "usual"):
        for name in candidates:
            if name.get("use") == use:
                return name
    for name in candidates:
        if name.get("use") not in ("old", "anonymous"):
            return name
    return candidates[0] if candidates else None


def _preferred_language(communication: Any) -> str:
    """The preferred (else the first) `communication.language` code, e.g. "nn"."""
    if not isinstance(communication, list):
        return ""
    entries = [c for c in communication if isinstance(c, dict)]
    entries.sort(key=lambda c: not c.get("preferred"))
    for entry in entries:
        for coding in (entry.get("language") or {}).get("coding") or []:
            if isinstance(coding, dict) and isinstance(coding.get("code"), str):
                return str(coding["code"])
    return ""


def patient_from_fhir(resource: Mapping[str, Any]) -> Patient:
    """Patient → official (else first) name, fødselsnummer, birth date, gender, version."""
    rid = _require_id(resource, "Patient")
    given = family = ""
    name = _pick_name(resource.get("name"))
    if name is not None:
        given_list = name.get("given")
        if isinstance(given_list, list):
            given = " ".join(str(g) for g in given_list if g)
        fam = name.get("family")
        if isinstance(fam, str):
            family = fam
        if not given and not family and isinstance(name.get("text"), str):
            family = name["text"]
    fnr = None
    identifiers = resource.get("identifier")
    if isinstance(identifiers, list):
        for ident in identifiers:
            if isinstance(ident, dict) and ident.get("system") == FODSELSNUMMER_SYSTEM:
                value = ident.get("value")
                if isinstance(value, str):
                    fnr = value
                    break
    gender = resource.get("gender")
    return Patient(
        language=_preferred_language(resource.get("communication")),
        id=rid,
        given=given,
        family=family,
        birth_date=parse_date(resource.get("birthDate")),
        fodselsnummer=fnr,
        gender=gender if isinstance(gender, str) else None,
        version=_version(resource),
    )


def episode_from_fhir(resource: Mapping[str, Any]) -> Episode:
    """EpisodeOfCare → patient, department (managingOrganization), programme code + display."""
    rid = _require_id(resource, "EpisodeOfCare")
    patient_id = reference_id(resource.get("patient"), "Patient")
    if patient_id is None:
        raise FhirMalformed(f"EpisodeOfCare/{rid} has no patient reference")
    programme = display = ""
    fallback: tuple[str, str] | None = None
    types = resource.get("type")
    if isinstance(types, list):
        for concept in types:
            for coding in _codings(concept):
                code = str(coding.get("code") or "")
                text = str(coding.get("display") or "")
                if coding.get("system") == PROGRAMME_SYSTEM and code:
                    programme, display = code, text
                    break
                if fallback is None and (code or text):
                    fallback = (code or text, text or code)
            if programme:
                break
        if not programme:
            if fallback is not None:
                programme, display = fallback
            else:
                for concept in types:
                    if isinstance(concept, dict) and isinstance(concept.get("text"), str):
                        programme = display = concept["text"]
                        break
    if programme and not display:
        display = programme
    status = resource.get("status")
    return Episode(
        id=rid,
        patient_id=patient_id,
        department_id=reference_id(resource.get("managingOrganization"), "Organization"),
        programme=programme,
        programme_display=display,
        status=status if isinstance(status, str) else "active",
        version=_version(resource),
    )


def _quantity(q: Any, kind: MeasurementKind, where: str) -> float:
    if not isinstance(q, dict):
        raise FhirMalformed(f"{where} has no valueQuantity")
    value = q.get("value")
    if type(value) is not float and type(value) is not int:
        raise FhirMalformed(f"{where} has no numeric value")
    unit = q.get("code") or q.get("unit")
    if unit is None or unit == CANONICAL_UNIT[kind]:
        return float(value)
    if not isinstance(unit, str):
        raise FhirMalformed(f"{where}: the unit is not a string")
    convert = _CONVERSIONS[kind].get(unit)
    if convert is None:
        display = q.get("unit")
        convert = _CONVERSIONS[kind].get(display) if isinstance(display, str) else None
        if convert is None:
            raise FhirMalformed(f"{where}: unit {unit!r} is not a known unit for {kind.value}")
    return convert(float(value))


def measurement_from_fhir(obs: Mapping[str, Any]) -> Measurement | None:
    """Observation → Measurement in the canonical unit, or None if it is not one of ours.

    None for: codes we do not show, status entered-in-error/cancelled, and observations that
    say why they have no value (dataAbsentReason). Raises FhirMalformed otherwise.
    """
    if not isinstance(obs, dict) or obs.get("resourceType") != "Observation":
        raise FhirMalformed("expected an Observation")
    if obs.get("status") in _SKIP_STATUS:
        return None
    kind: MeasurementKind | None = None
    code = ""
    concept = obs.get("code")
    if isinstance(concept, dict):
        codings = concept.get("coding")
        if isinstance(codings, list):
            for coding in codings:
                if isinstance(coding, dict):
                    c = coding.get("code")
                    if not isinstance(c, str):
                        continue
                    k = LOINC_KINDS.get(c)
                    if k is not None and coding.get("system", LOINC) == LOINC:
                        kind, code = k, c
                        break
    if kind is None:
        return None
    oid = obs.get("id")
    if not isinstance(oid, str) or not oid:
        raise FhirMalformed("the Observation has no id")
    where = f"Observation/{oid}"
    patient_id = reference_id(obs.get("subject"), "Patient")
    if patient_id is None:
        raise FhirMalformed(f"{where} has no Patient subject")

    when = obs.get("effectiveDateTime")
    if when is None:
        period = obs.get("effectivePeriod")
        if isinstance(period, dict):
            when = period.get("start")
        if when is None:
            when = obs.get("effectiveInstant") or obs.get("issued")
    if when is None:
        raise FhirMalformed(f"{where} has no effective time")
    time = parse_datetime(when)

    value2: float | None = None
    if code == BP_PANEL:
        systolic = diastolic = None
        components = obs.get("component")
        if isinstance(components, list):
            for comp in components:
                if not isinstance(comp, dict):
                    continue
                for coding in _codings(comp.get("code")):
                    c = coding.get("code")
                    if c == BP_SYSTOLIC:
                        systolic = comp
                    elif c == BP_DIASTOLIC:
                        diastolic = comp
        if systolic is None:
            if obs.get("dataAbsentReason") is not None:
                return None
            raise FhirMalformed(f"{where}: blood pressure panel without a systolic component")
        if systolic.get("dataAbsentReason") is not None:
            return None
        value = _quantity(systolic.get("valueQuantity"), kind, f"{where} systolic")
        if diastolic is not None and diastolic.get("dataAbsentReason") is None:
            value2 = _quantity(diastolic.get("valueQuantity"), kind, f"{where} diastolic")
    else:
        q = obs.get("valueQuantity")
        if q is None and obs.get("dataAbsentReason") is not None:
            return None
        value = _quantity(q, kind, where)

    return Measurement(
        patient_id=patient_id,
        kind=kind,
        value=value,
        time=time,
        unit=CANONICAL_UNIT[kind],
        value2=value2,
        observation_id=oid,
        version=_version(obs),
    )


# -- batches ---------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(slots=True)
class MappingReport(Generic[T]):
    """Result of mapping many resources: what mapped, and what was skipped and why."""

    items: list[T] = field(default_factory=list)
    skipped: int = 0
    #: First few reasons, for a log line or a "n entries could not be read" notice.
    reasons: list[str] = field(default_factory=list)


def map_resources(
    resources: Iterable[Mapping[str, Any]],
    mapper: Callable[[Mapping[str, Any]], T | None],
    *,
    max_reasons: int = 10,
) -> MappingReport[T]:
    """Map a batch; a malformed resource is counted and skipped, never fatal for the batch."""
    report: MappingReport[T] = MappingReport()
    append = report.items.append
    for resource in resources:
        try:
            item = mapper(resource)
        except FhirMalformed as exc:
            report.skipped += 1
            if len(report.reasons) < max_reasons:
                report.reasons.append(str(exc))
            continue
        if item is not None:
            append(item)
    if report.skipped:
        log.warning("skipped %d malformed resources: %s", report.skipped, report.reasons[:3])
    return report
