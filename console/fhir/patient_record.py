"""FHIR R4 JSON ↔ the patient view's domain types (`console.domain.patient_record`).

The plan format (ServiceRequest extensions `alert-thresholds` and `trend-threshold`,
`occurrenceTiming.repeat.timeOfDay`) is described in docs/contract.md. Writing a plan item back
changes only the threshold extensions of the edited levels and the times of day; everything
else in the ServiceRequest (grace periods, other extensions, text) is kept as it was read.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime, time
from typing import Any

from console.domain.model import Episode, MeasurementKind, Patient, Triage
from console.domain.news2 import News2, News2Parameter
from console.domain.patient_record import (
    AlertMark,
    AnswerItem,
    PatientHeader,
    PlanItem,
    QuestionnaireSummary,
    Relative,
)
from console.domain.series import Limits, Schedule, TrendRule, default_limits
from console.domain.triage import Band, PlanLimits, Thresholds
from console.fhir.errors import FhirMalformed
from console.fhir.mapping import (
    BP_DIASTOLIC,
    BP_SYSTOLIC,
    CANONICAL_UNIT,
    LOINC,
    LOINC_KINDS,
    _require_id,
    _version,
    parse_datetime,
    reference_id,
)

BASE = "http://dho.example/fhir"
ALERT_THRESHOLDS_URL = f"{BASE}/StructureDefinition/alert-thresholds"
TREND_THRESHOLD_URL = f"{BASE}/StructureDefinition/trend-threshold"
ALERT_ANSWER_URL = f"{BASE}/StructureDefinition/alert-answer"
ALERT_ANSWER_SYSTEM = f"{BASE}/CodeSystem/alert-answer"
ALERT_RULE_SYSTEM = f"{BASE}/CodeSystem/alert-rule"
UCUM = "http://unitsofmeasure.org"

_LEVELS = {"yellow": Triage.YELLOW, "red": Triage.RED}
_LEVEL_CODES = {Triage.YELLOW: "yellow", Triage.RED: "red"}
_DURATION = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0, "wk": 7 * 86400.0}
_UNIT_DISPLAY = {"mm[Hg]": "mmHg", "Cel": "°C"}

#: Alert rule codes (`Task.code`, docs/contract.md) → the measurement they are about.
RULE_KINDS: dict[str, MeasurementKind] = {
    "threshold-spo2": MeasurementKind.SPO2,
    "threshold-pulse": MeasurementKind.PULSE,
    "threshold-bp": MeasurementKind.BLOOD_PRESSURE,
    "threshold-temperature": MeasurementKind.TEMPERATURE,
    "threshold-glucose": MeasurementKind.GLUCOSE,
    "threshold-weight": MeasurementKind.WEIGHT,
    "threshold-respiration": MeasurementKind.RESPIRATORY_RATE,
    "trend-weight": MeasurementKind.WEIGHT,
}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _sub(ext: Mapping[str, Any], url: str) -> list[dict[str, Any]]:
    return [e for e in _dicts(ext.get("extension")) if e.get("url") == url]


def _number(ext: Mapping[str, Any], url: str) -> float | None:
    for e in _sub(ext, url):
        q = e.get("valueQuantity") or e.get("valueDuration") or {}
        value = q.get("value") if isinstance(q, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(e.get("valueDecimal"), int | float):
            return float(e["valueDecimal"])
    return None


def _seconds(ext: Mapping[str, Any], url: str, default_unit: str) -> float | None:
    for e in _sub(ext, url):
        q = e.get("valueDuration") or e.get("valueQuantity") or {}
        value = q.get("value") if isinstance(q, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        scale = _DURATION.get(str(q.get("code") or q.get("unit") or default_unit))
        if scale is not None:
            return float(value) * scale
    return None


def _level(ext: Mapping[str, Any]) -> Triage | None:
    for e in _sub(ext, "level"):
        code = e.get("valueCode") or (e.get("valueCoding") or {}).get("code")
        if code in _LEVELS:
            return _LEVELS[str(code)]
    return None


def _component(ext: Mapping[str, Any]) -> str | None:
    for e in _sub(ext, "component"):
        coding = e.get("valueCoding")
        if isinstance(coding, dict) and isinstance(coding.get("code"), str):
            return str(coding["code"])
    return None


def _kind_of(concept: Any) -> MeasurementKind | None:
    if isinstance(concept, dict):
        for coding in _dicts(concept.get("coding")):
            kind = LOINC_KINDS.get(str(coding.get("code")))
            if kind is not None and coding.get("system", LOINC) == LOINC:
                return kind
    return None


# -- ServiceRequest (one measurement of the plan) ----------------------------------------------


def plan_item_from_fhir(
    resource: Mapping[str, Any], programme: str | None = None
) -> PlanItem | None:
    """ServiceRequest → PlanItem; None if it is not an active measurement we show.

    Limits the ServiceRequest does not state fall back to the programme template and are then
    marked `is_default`. For blood pressure, `limits` are the systolic ones.
    """
    rid = _require_id(resource, "ServiceRequest")
    if resource.get("status") not in ("active", None):
        return None
    kind = _kind_of(resource.get("code"))
    if kind is None:
        return None
    bands: dict[str, dict[Triage, Band]] = {}
    trends: list[TrendRule] = []
    for ext in _dicts(resource.get("extension")):
        url = ext.get("url")
        level = _level(ext)
        if level is None:
            continue
        if url == ALERT_THRESHOLDS_URL:
            component = _component(ext) or BP_SYSTOLIC
            band = Band(_number(ext, "low"), _number(ext, "high"))
            bands.setdefault(component, {})[level] = band
        elif url == TREND_THRESHOLD_URL:
            delta = _number(ext, "delta")
            window = _seconds(ext, "window", "d")
            if delta is not None and window is not None:
                trends.append(TrendRule(level, delta, window))

    def limits_for(component: str, default: Limits) -> Limits:
        found = bands.get(component)
        if not found and not trends:
            return default
        if found:
            thresholds: Thresholds | None = Thresholds(
                yellow=found.get(Triage.YELLOW, Band()), red=found.get(Triage.RED, Band())
            )
        else:
            thresholds = default.thresholds
        return Limits(thresholds, tuple(trends), is_default=False)

    default = default_limits(kind, programme)
    limits = limits_for(BP_SYSTOLIC, default)
    limits2 = None
    if kind is MeasurementKind.BLOOD_PRESSURE and BP_DIASTOLIC in bands:
        limits2 = limits_for(BP_DIASTOLIC, Limits())
    meta = resource.get("meta") if isinstance(resource.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    updated = meta.get("lastUpdated")
    authored = resource.get("authoredOn")
    return PlanItem(
        id=rid,
        kind=kind,
        limits=limits,
        limits2=limits2,
        schedule=_schedule(resource.get("occurrenceTiming")),
        start=parse_datetime(authored) if isinstance(authored, str) else None,
        version=_version(resource),
        last_updated=parse_datetime(updated) if isinstance(updated, str) else None,
        changed_by=_changed_by(resource),
        resource=dict(resource),
    )


#: What one ServiceRequest says about limits: its measurement and its bands as
#: (component, level, band). A console keeps these, not the resources: 30,000 ServiceRequests
#: of a 10,000-patient centre are ~350 MB as dicts and a few MB as entries.
PlanEntry = tuple[MeasurementKind, tuple[tuple[str, Triage, Band], ...]]


def plan_entry(resource: Mapping[str, Any]) -> tuple[str, str, PlanEntry | None] | None:
    """(patient id, ServiceRequest id, its limits; None when it is not active or states no
    measurement), or None when it names no patient or id."""
    patient_id = reference_id(resource.get("subject"), "Patient")
    rid = resource.get("id")
    if patient_id is None or not rid:
        return None
    kind = _kind_of(resource.get("code"))
    if resource.get("status") not in ("active", None) or kind is None:
        return patient_id, str(rid), None
    bands: list[tuple[str, Triage, Band]] = []
    for ext in _dicts(resource.get("extension")):
        if ext.get("url") != ALERT_THRESHOLDS_URL:
            continue
        level = _level(ext)
        low, high = _number(ext, "low"), _number(ext, "high")
        if level is None or (low is None and high is None):
            continue
        bands.append((_component(ext) or BP_SYSTOLIC, level, Band(low, high)))
    return patient_id, str(rid), (kind, tuple(bands))


def plan_entries_from_fhir(
    resources: Iterable[Mapping[str, Any]],
) -> dict[str, dict[str, PlanEntry]]:
    """Patient id → ServiceRequest id → its limits (active ones only), in the given order."""
    out: dict[str, dict[str, PlanEntry]] = {}
    for resource in resources:
        found = plan_entry(resource)
        if found is not None and found[2] is not None:
            out.setdefault(found[0], {})[found[1]] = found[2]
    return out


def limits_from_entries(entries: Iterable[PlanEntry]) -> PlanLimits | None:
    """One patient's limits from her ServiceRequests' entries (None: the plan states none)."""
    kinds: dict[MeasurementKind, dict[str, dict[Triage, Band]]] = {}
    for kind, bands in entries:
        for component, level, band in bands:
            kinds.setdefault(kind, {}).setdefault(component, {})[level] = band
    if not kinds:
        return None
    limits: dict[MeasurementKind, Thresholds] = {}
    diastolic: Thresholds | None = None
    for kind, components in kinds.items():
        for component, found in components.items():
            thresholds = Thresholds(
                yellow=found.get(Triage.YELLOW, Band()), red=found.get(Triage.RED, Band())
            )
            if kind is MeasurementKind.BLOOD_PRESSURE and component == BP_DIASTOLIC:
                diastolic = thresholds
            else:
                limits[kind] = thresholds
    return PlanLimits(limits, diastolic)


def plan_limits_from_fhir(
    resources: Iterable[Mapping[str, Any]],
) -> dict[str, PlanLimits]:
    """Patient id → the limits their active ServiceRequests state (`alert-thresholds`).

    Only what a plan says counts: a ServiceRequest without threshold bands adds nothing, so
    the list judges that measurement on the template and says "standard limits" (the
    server's rules raise no threshold alert there either). Malformed ones are skipped.
    """
    out: dict[str, PlanLimits] = {}
    for patient_id, entries in plan_entries_from_fhir(resources).items():
        limits = limits_from_entries(entries.values())
        if limits is not None:
            out[patient_id] = limits
    return out


def _changed_by(resource: Mapping[str, Any]) -> str:
    """Who wrote this version, where the server says so (`meta.source`, else requester)."""
    meta = resource.get("meta")
    if isinstance(meta, dict):
        for ext in _dicts(meta.get("extension")):
            ref = ext.get("valueReference")
            if isinstance(ref, dict) and isinstance(ref.get("display"), str):
                return str(ref["display"])
        if isinstance(meta.get("source"), str):
            return str(meta["source"])
    requester = resource.get("requester")
    if isinstance(requester, dict) and isinstance(requester.get("display"), str):
        return str(requester["display"])
    return ""


def _schedule(timing: Any) -> Schedule | None:
    if not isinstance(timing, dict):
        return None
    repeat = timing.get("repeat")
    if not isinstance(repeat, dict):
        return None
    times: list[time] = []
    for text in repeat.get("timeOfDay") or []:
        try:
            times.append(time.fromisoformat(str(text)))
        except ValueError:
            raise FhirMalformed(f"not a FHIR time: {text!r}") from None
    period = repeat.get("period", 1)
    unit = repeat.get("periodUnit", "d")
    every = int(period) * 7 if unit == "wk" else int(period) if unit == "d" else 1
    return Schedule(tuple(sorted(times)), max(1, every))


def _quantity(kind: MeasurementKind, value: float) -> dict[str, Any]:
    unit = CANONICAL_UNIT[kind]
    decimals = (
        1
        if kind in (MeasurementKind.WEIGHT, MeasurementKind.TEMPERATURE, MeasurementKind.GLUCOSE)
        else 0
    )
    number: float | int = round(value, decimals) if decimals else round(value)
    return {"value": number, "unit": _UNIT_DISPLAY.get(unit, unit), "system": UCUM, "code": unit}


def _threshold_ext(
    kind: MeasurementKind, level: Triage, band: Band, component: str | None
) -> dict[str, Any]:
    subs: list[dict[str, Any]] = [{"url": "level", "valueCode": _LEVEL_CODES[level]}]
    if component is not None:
        subs.append({"url": "component", "valueCoding": {"system": LOINC, "code": component}})
    if band.low is not None:
        subs.append({"url": "low", "valueQuantity": _quantity(kind, band.low)})
    if band.high is not None:
        subs.append({"url": "high", "valueQuantity": _quantity(kind, band.high)})
    return {"url": ALERT_THRESHOLDS_URL, "extension": subs}


def plan_item_to_fhir(
    item: PlanItem,
    thresholds: Thresholds,
    schedule: Schedule | None,
    thresholds2: Thresholds | None = None,
) -> dict[str, Any]:
    """The ServiceRequest as read, with new threshold bands and times of day.

    Existing `alert-thresholds` extensions of the edited variable(s) are replaced; the other
    extensions stay in place. Bands without any bound are left out.
    """
    resource = copy.deepcopy(dict(item.resource))
    bp = item.kind is MeasurementKind.BLOOD_PRESSURE
    edited = {BP_SYSTOLIC} | ({BP_DIASTOLIC} if thresholds2 is not None else set())
    kept = []
    for ext in _dicts(resource.get("extension")):
        if ext.get("url") == ALERT_THRESHOLDS_URL and (
            not bp or (_component(ext) or BP_SYSTOLIC) in edited
        ):
            continue
        kept.append(ext)
    new: list[dict[str, Any]] = []
    pairs: list[tuple[Thresholds, str | None]] = [(thresholds, BP_SYSTOLIC if bp else None)]
    if thresholds2 is not None and bp:
        pairs.append((thresholds2, BP_DIASTOLIC))
    for limits, component in pairs:
        for level, band in ((Triage.RED, limits.red), (Triage.YELLOW, limits.yellow)):
            if band.low is not None or band.high is not None:
                new.append(_threshold_ext(item.kind, level, band, component))
    resource["extension"] = new + kept
    if schedule is not None:
        timing = resource.get("occurrenceTiming")
        timing = dict(timing) if isinstance(timing, dict) else {}
        repeat = dict(timing.get("repeat") or {})
        old = repeat.get("timeOfDay")
        tod = [t.isoformat(timespec="seconds") for t in sorted(set(schedule.times))]
        repeat["timeOfDay"] = tod
        repeat["frequency"] = len(tod)
        repeat.setdefault("period", schedule.every_days)
        repeat.setdefault("periodUnit", "d")
        timing["repeat"] = repeat
        if old != tod:
            timing.pop("code", None)  # its text described the old times
        resource["occurrenceTiming"] = timing
    return resource


# -- people around the patient -------------------------------------------------------------------


def _display(reference: Any) -> str:
    if isinstance(reference, dict) and isinstance(reference.get("display"), str):
        return str(reference["display"])
    return ""


def _human_name(names: Any) -> str:
    for name in _dicts(names):
        if isinstance(name.get("text"), str) and name["text"]:
            return str(name["text"])
        given = " ".join(str(g) for g in name.get("given") or [] if g)
        family = name.get("family") if isinstance(name.get("family"), str) else ""
        text = f"{given} {family}".strip()
        if text:
            return text
    return ""


def relative_from_fhir(resource: Mapping[str, Any]) -> Relative:
    _require_id(resource, "RelatedPerson")
    relationship = ""
    for concept in _dicts(resource.get("relationship")):
        if isinstance(concept.get("text"), str):
            relationship = str(concept["text"])
            break
        for coding in _dicts(concept.get("coding")):
            relationship = str(coding.get("display") or coding.get("code") or "")
            if relationship:
                break
        if relationship:
            break
    phone = ""
    for telecom in _dicts(resource.get("telecom")):
        if telecom.get("system") == "phone" and isinstance(telecom.get("value"), str):
            phone = str(telecom["value"])
            break
    return Relative(_human_name(resource.get("name")), relationship, phone)


def header_from_fhir(
    patient_resource: Mapping[str, Any],
    patient: Patient,
    episode_resource: Mapping[str, Any] | None,
    episode: Episode | None,
    *,
    department: str = "",
    relatives: tuple[Relative, ...] = (),
) -> PatientHeader:
    """Name etc. from the mapped Patient; GP and care manager are the references' displays."""
    gp = ", ".join(
        d for d in (_display(r) for r in _dicts(patient_resource.get("generalPractitioner"))) if d
    )
    manager = ""
    if episode_resource is not None:
        manager = _display(episode_resource.get("careManager"))
        if not department:
            department = _display(episode_resource.get("managingOrganization"))
    return PatientHeader(patient, episode, department, manager, gp, relatives)


# -- Task (alert) and QuestionnaireResponse --------------------------------------------------------


def alert_mark_from_fhir(
    resource: Mapping[str, Any], plan_kinds: Mapping[str, MeasurementKind] | None = None
) -> AlertMark | None:
    """Task → AlertMark at `authoredOn`; None for a Task that is not an alert (no time).

    The measurement comes from the rule code, else from a focused ServiceRequest of the plan
    (`plan_kinds`: ServiceRequest id → kind, for missing-measurement alerts).
    """
    rid = _require_id(resource, "Task")
    when = resource.get("authoredOn") or resource.get("lastModified")
    if not isinstance(when, str):
        return None
    rule = text = ""
    concept = resource.get("code")
    if isinstance(concept, dict):
        for coding in _dicts(concept.get("coding")):
            if coding.get("system") == ALERT_RULE_SYSTEM or not rule:
                rule = str(coding.get("code") or "")
                text = str(coding.get("display") or "")
        text = str(concept.get("text") or text)
    kind = RULE_KINDS.get(rule)
    focus = resource.get("focus")
    focus_ref = str(focus.get("reference", "")) if isinstance(focus, dict) else ""
    if kind is None and plan_kinds:
        sr = reference_id(focus, "ServiceRequest")
        if sr is not None:
            kind = plan_kinds.get(sr)
    if isinstance(resource.get("description"), str) and not text:
        text = str(resource["description"])
    return AlertMark(
        id=rid,
        time=parse_datetime(when),
        priority=str(resource.get("priority") or "routine"),
        status=str(resource.get("status") or ""),
        rule=rule,
        text=text,
        kind=kind,
        focus=focus_ref,
    )


def _answer_text(answer: Mapping[str, Any]) -> str:
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, dict):
            if "display" in value or "code" in value:
                return str(value.get("display") or value.get("code"))
            if "value" in value:
                return f"{value['value']} {value.get('unit', '')}".strip()
            return str(value.get("title") or value.get("reference") or "")
        if isinstance(value, bool):
            return "✓" if value else "✗"
        return str(value)
    return ""


def _flag(holder: Mapping[str, Any]) -> bool:
    """Flagged yellow or red, in either documented form: the answer's coding is from the
    ``alert-answer`` code system (the coded-answer form), or it carries the ``alert-answer``
    extension copied from the Questionnaire's answerOption (the extension form)."""
    coding = holder.get("valueCoding")
    if (
        isinstance(coding, dict)
        and coding.get("system") == ALERT_ANSWER_SYSTEM
        and coding.get("code") in ("yellow", "red")
    ):
        return True
    return any(
        ext.get("url") == ALERT_ANSWER_URL and ext.get("valueCode") in ("yellow", "red")
        for ext in _dicts(holder.get("extension"))
    )


def _answers(items: Any, out: list[AnswerItem]) -> None:
    for item in _dicts(items):
        question = str(item.get("text") or item.get("linkId") or "")
        texts: list[str] = []
        flagged = _flag(item)
        for answer in _dicts(item.get("answer")):
            texts.append(_answer_text(answer))
            flagged = flagged or _flag(answer)
            _answers(answer.get("item"), out)
        if texts:
            out.append(AnswerItem(question, ", ".join(t for t in texts if t), flagged))
        _answers(item.get("item"), out)


TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"


def questionnaire_titles(resources: Iterable[Mapping[str, Any]], language: str) -> dict[str, str]:
    """Canonical URL (and ``url|version``) → title of each Questionnaire, in `language` where
    the Questionnaire has a translation of its title (the FHIR ``translation`` extension on
    ``_title``; ``nb`` also takes ``no``), else its title, else its name."""
    wanted = {language.lower(), *(("no",) if language.lower() == "nb" else ())}
    out: dict[str, str] = {}
    for res in resources:
        url = res.get("url")
        if not isinstance(url, str) or not url:
            continue
        title = res.get("title") or res.get("name") or ""
        for ext in _dicts((res.get("_title") or {}).get("extension")):
            if ext.get("url") != TRANSLATION_URL:
                continue
            parts = {
                str(sub.get("url")): sub.get("valueCode") or sub.get("valueString")
                for sub in _dicts(ext.get("extension"))
            }
            lang = str(parts.get("lang") or "").lower()
            if (lang in wanted or lang.split("-", 1)[0] in wanted) and parts.get("content"):
                title = str(parts["content"])
                break
        if isinstance(title, str) and title:
            out[url] = title
            if isinstance(res.get("version"), str):
                out[f"{url}|{res['version']}"] = title
    return out


def questionnaire_from_fhir(
    resource: Mapping[str, Any], titles: Mapping[str, str] | None = None
) -> QuestionnaireSummary:
    """QuestionnaireResponse → date, title (Questionnaire title if known) and answers."""
    rid = _require_id(resource, "QuestionnaireResponse")
    canonical = str(resource.get("questionnaire") or "")
    title = (titles or {}).get(canonical, "") or (titles or {}).get(canonical.split("|", 1)[0], "")
    if not title:
        for ext in _dicts(resource.get("_questionnaire", {}).get("extension")):
            if isinstance(ext.get("valueString"), str):
                title = str(ext["valueString"])
        title = title or canonical.rstrip("/").rsplit("/", 1)[-1].split("|", 1)[0]
    authored = resource.get("authored")
    answers: list[AnswerItem] = []
    _answers(resource.get("item"), answers)
    return QuestionnaireSummary(
        rid,
        parse_datetime(authored) if isinstance(authored, str) else None,
        title,
        tuple(answers),
    )


# -- $news2 --------------------------------------------------------------------------------------

_NEWS2_NAMES: dict[str, News2Parameter] = {
    "respiration-rate": News2Parameter.RESPIRATION_RATE,
    "respiratory-rate": News2Parameter.RESPIRATION_RATE,
    "resp": News2Parameter.RESPIRATION_RATE,
    "9279-1": News2Parameter.RESPIRATION_RATE,
    "spo2": News2Parameter.SPO2,
    "2708-6": News2Parameter.SPO2,
    "59408-5": News2Parameter.SPO2,
    "air-or-oxygen": News2Parameter.AIR_OR_OXYGEN,
    "oxygen": News2Parameter.AIR_OR_OXYGEN,
    "supplemental-oxygen": News2Parameter.AIR_OR_OXYGEN,
    "systolic-bp": News2Parameter.SYSTOLIC_BP,
    "sys": News2Parameter.SYSTOLIC_BP,
    "8480-6": News2Parameter.SYSTOLIC_BP,
    "pulse": News2Parameter.PULSE,
    "heart-rate": News2Parameter.PULSE,
    "8867-4": News2Parameter.PULSE,
    "consciousness": News2Parameter.CONSCIOUSNESS,
    "acvpu": News2Parameter.CONSCIOUSNESS,
    "temperature": News2Parameter.TEMPERATURE,
    "temp": News2Parameter.TEMPERATURE,
    "8310-5": News2Parameter.TEMPERATURE,
}


def _news2_parameter(value: Any) -> News2Parameter | None:
    if isinstance(value, dict):
        value = value.get("code") or value.get("display")
    return _NEWS2_NAMES.get(str(value).strip().lower()) if value is not None else None


def news2_from_fhir(resource: Mapping[str, Any]) -> News2:
    """The answer of `Patient/{id}/$news2`: a Parameters (`score`, `partial`, `missing`,
    `component` parts) or an Observation (valueInteger + components)."""
    rtype = resource.get("resourceType")
    score: int | None = None
    missing: list[News2Parameter] = []
    parts: dict[News2Parameter, int] = {}
    as_of: datetime | None = None
    if rtype == "Parameters":
        for p in _dicts(resource.get("parameter")):
            name = p.get("name")
            if name in ("score", "total") and isinstance(p.get("valueInteger"), int):
                score = int(p["valueInteger"])
            elif name == "missing":
                parameter = _news2_parameter(
                    p.get("valueCode") or p.get("valueString") or p.get("valueCoding")
                )
                if parameter is not None and parameter not in missing:
                    missing.append(parameter)
            elif name in ("date", "effective", "asOf") and isinstance(p.get("valueDateTime"), str):
                as_of = parse_datetime(p["valueDateTime"])
            elif name in ("component", "parameter", "part"):
                sub = {q.get("name"): q for q in _dicts(p.get("part"))}
                parameter = None
                for key in ("name", "code", "parameter"):
                    if key in sub:
                        q = sub[key]
                        parameter = _news2_parameter(
                            q.get("valueCode") or q.get("valueString") or q.get("valueCoding")
                        )
                points = sub.get("score", {}).get("valueInteger")
                if parameter is not None and isinstance(points, int):
                    parts[parameter] = points
    elif rtype == "Observation":
        value = resource.get("valueInteger")
        if value is None and isinstance(resource.get("valueQuantity"), dict):
            value = resource["valueQuantity"].get("value")
        if isinstance(value, int | float):
            score = int(value)
        for comp in _dicts(resource.get("component")):
            parameter = _news2_parameter(
                next(iter(_dicts((comp.get("code") or {}).get("coding"))), None)
            )
            if parameter is None:
                continue
            if comp.get("dataAbsentReason") is not None:
                missing.append(parameter)
            elif isinstance(comp.get("valueInteger"), int):
                parts[parameter] = int(comp["valueInteger"])
        when = resource.get("effectiveDateTime")
        as_of = parse_datetime(when) if isinstance(when, str) else None
    else:
        raise FhirMalformed(f"$news2 answered a {rtype or 'resource without a type'}")
    if score is None:
        raise FhirMalformed("$news2 answered without a score")
    return News2(score, parts, tuple(missing), "server", as_of)
