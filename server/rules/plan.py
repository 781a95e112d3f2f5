"""A patient's plan as the alert engine sees it, read from (and written to) FHIR.

The egenbehandlingsplan is a CarePlan with one ServiceRequest per scheduled measurement. Each
ServiceRequest carries the patient's own limits as extensions (docs/contract.md):

- ``alert-thresholds`` (repeated, one per level and component): sub-extensions ``level``
  (valueCode yellow | red), ``low`` and/or ``high`` (valueQuantity; the values from low to high,
  inclusive, are acceptable at that level) and, for blood pressure, ``component`` (valueCoding,
  LOINC 8480-6 systolic or 8462-4 diastolic);
- ``trend-threshold`` (repeated): ``level``, ``delta`` (valueQuantity, a rise in kg) and
  ``window`` (valueDuration in days);
- ``trend-threshold`` may carry ``direction`` (valueCode ``rise``, the default, or ``fall``:
  weight loss, rule ``trend-weight-loss``);
- ``missing-measurement-grace`` (repeated): ``level`` and ``after`` (valueDuration in hours past
  the scheduled time). Levels: ``reminder`` (an automatic message to the patient), ``adherence``
  (a low-priority adherence item), ``urgent`` (only a plan can make a long silence urgent: the
  item becomes a medium-priority card). The old levels read as ``yellow`` = ``adherence`` and
  ``red`` = nothing (a silence is never red by default);
- ``critical-limits`` (repeated per component): ``low``/``high`` (valueQuantity) past which a
  value is never held back as suspect; defaults in :data:`CRITICAL_DEFAULTS`;
- ``suspect-hold`` (valueDuration minutes): how long a suspect (or unconfirmed yellow) value's
  alert waits for a re-measurement (default 45 min);
- ``yellow-confirmation`` (valueBoolean, default false): a yellow value is re-measured before
  it reaches a nurse; a second value past the limit (or one in the 48 h before) confirms it.

On the CarePlan: ``out-of-hours-advice`` (valueString), what the patient is told when a red
value comes while the response centre is closed (default :data:`DEFAULT_ADVICE`).

``occurrenceTiming.repeat`` gives the schedule: ``timeOfDay`` (Europe/Oslo wall-clock), ``period``
and ``periodUnit = d``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Final, TypeVar

from server.rules.codes import (
    ALERT_THRESHOLDS_URL,
    CRITICAL_LIMITS_URL,
    LEVEL_RANK,
    MISSING_GRACE_URL,
    NEWS2_SCALE2_URL,
    OUT_OF_HOURS_ADVICE_URL,
    SUSPECT_HOLD_URL,
    TREND_THRESHOLD_URL,
    YELLOW_CONFIRMATION_URL,
)
from server.sim.programmes import LOINC, MEASUREMENT_BY_LOINC, MEASUREMENTS, UCUM
from server.sim.schedule import parse_instant

HOUR: Final = 3600.0
DAY: Final = 86400.0

SYSTOLIC: Final = "8480-6"
DIASTOLIC: Final = "8462-4"


@dataclass(frozen=True, slots=True)
class Variable:
    """One number the rules look at (blood pressure is two), with how to show it in Bokmål."""

    key: str
    label: str
    unit: str  # UCUM
    unit_display: str
    decimals: int
    rule: str


VARIABLES: Final[dict[str, Variable]] = {
    v.key: v
    for v in (
        Variable("spo2", "SpO₂", "%", "%", 0, "threshold-spo2"),
        Variable("pulse", "Puls", "/min", "/min", 0, "threshold-pulse"),
        Variable("sys", "Systolisk blodtrykk", "mm[Hg]", "mmHg", 0, "threshold-bp"),
        Variable("dia", "Diastolisk blodtrykk", "mm[Hg]", "mmHg", 0, "threshold-bp"),
        Variable("weight", "Vekt", "kg", "kg", 1, "threshold-weight"),
        Variable("temp", "Temperatur", "Cel", "°C", 1, "threshold-temperature"),
        Variable("glucose", "Blodsukker", "mmol/L", "mmol/L", 1, "threshold-glucose"),
        Variable("resp", "Respirasjonsfrekvens", "/min", "/min", 0, "threshold-respiration"),
    )
}
# LOINC code (of an Observation or a component) -> variable.
VARIABLE_OF_LOINC: Final[dict[str, str]] = {
    "2708-6": "spo2",
    "59408-5": "spo2",
    "8867-4": "pulse",
    SYSTOLIC: "sys",
    DIASTOLIC: "dia",
    "29463-7": "weight",
    "8310-5": "temp",
    "15074-8": "glucose",
    "9279-1": "resp",
}
COMPONENT_OF_VARIABLE: Final = {"sys": SYSTOLIC, "dia": DIASTOLIC}


def variables_of(key: str) -> tuple[str, ...]:
    """The variables a measurement kind (programme key) yields."""
    return ("sys", "dia") if key == "bp" else (key,)


@dataclass(frozen=True, slots=True)
class Band:
    """Acceptable range at one level: a value below `low` or above `high` reaches `level`."""

    level: str
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class TrendBand:
    """A change of at least `delta` within `window` seconds reaches `level`.

    `direction` "rise" (weight gain) measures up from the window's median, "fall" (weight
    loss) down from it.
    """

    level: str
    delta: float
    window: float
    direction: str = "rise"

    @property
    def rule(self) -> str:
        return "trend-weight-loss" if self.direction == "fall" else "trend-weight"


REMINDER: Final = "reminder"
ADHERENCE: Final = "adherence"
URGENT: Final = "urgent"
MISSING_STAGES: Final = (REMINDER, ADHERENCE, URGENT)
DEFAULT_GRACE: Final[dict[str, float]] = {REMINDER: 2 * HOUR, ADHERENCE: 6 * HOUR}
DEFAULT_HOLD: Final = 45 * 60.0
DEFAULT_ADVICE: Final = (
    "Responssenteret er stengt nå. Målingen din er utenfor grensene i planen din. "
    "Kontakt legevakten på 116 117 hvis du føler deg dårligere. "
    "Ved brystsmerter, alvorlig pustebesvær eller annen akutt fare: ring 113. "
    "Vi ser på målingen når vi åpner igjen."
)
# Past these a value is never held back as suspect (shown at once, marked "suspect").
CRITICAL_DEFAULTS: Final[dict[str, tuple[float | None, float | None]]] = {
    "spo2": (80.0, None),
    "pulse": (35.0, 150.0),
    "sys": (80.0, 220.0),
    "dia": (None, 130.0),
    "temp": (34.0, 40.0),
    "glucose": (3.0, 25.0),
    "resp": (8.0, 30.0),
}


@dataclass(frozen=True, slots=True)
class MeasurementPlan:
    """One ServiceRequest: what, when, and the limits."""

    sr_id: str
    key: str
    bands: Mapping[str, tuple[Band, ...]]  # variable -> bands, red first
    trends: Mapping[str, tuple[TrendBand, ...]]  # variable -> bands, red first
    times: tuple[float, ...]  # seconds after local midnight
    period_days: int
    grace: Mapping[str, float]  # stage (reminder | adherence | urgent) -> seconds past due
    start: float | None  # epoch s from which the schedule applies (authoredOn)
    critical: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    hold: float = DEFAULT_HOLD  # seconds a suspect value's alert waits for a re-measurement
    #: A yellow value is re-measured before it reaches a nurse (a second yellow confirms it).
    #: Off by default: on the simulated centre it cost sensitivity and saved no alerts
    #: (benchmarks/RESULTS.md, "alert burden").
    confirm_yellow: bool = False

    @property
    def reference(self) -> str:
        return f"ServiceRequest/{self.sr_id}"


#: How long a yellow questionnaire answer waits for the measurements it asks for: the
#: patients' answer to a re-measure request comes within 5-40 min (docs/simulator.md), a
#: reminder's within 2 h; 3 h leaves room without letting a real symptom wait past a shift.
SYMPTOM_HOLD: Final = 3 * 3600.0


@dataclass(slots=True)
class PatientPlan:
    """Everything the rules need about one patient, cached in memory by the engine."""

    patient_id: str
    department: dict[str, str] | None = None  # Reference to the managing Organization
    scale2: bool = False
    measurements: list[MeasurementPlan] = field(default_factory=list)
    bands: dict[str, tuple[Band, ...]] = field(default_factory=dict)
    trends: dict[str, tuple[TrendBand, ...]] = field(default_factory=dict)
    plan_refs: dict[str, str] = field(default_factory=dict)  # variable -> ServiceRequest ref
    critical: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    hold: dict[str, float] = field(default_factory=dict)  # variable -> seconds
    confirm_yellow: dict[str, bool] = field(default_factory=dict)  # variable -> re-measure first
    advice: str = DEFAULT_ADVICE
    #: A yellow questionnaire answer first asks the patient to take her measurements and waits
    #: this long (seconds) for them (server.rules.decide, "symptom check"); 0: raised at once.
    #: Only for plans with measurements; red answers are never held.
    symptom_hold: float = SYMPTOM_HOLD
    #: The response centres whose service hours apply (filled by the caller; ids).
    centres: tuple[str, ...] = ()

    def add(self, m: MeasurementPlan) -> None:
        self.measurements.append(m)
        for var in variables_of(m.key):
            self.critical[var] = m.critical.get(var, CRITICAL_DEFAULTS.get(var, (None, None)))
            self.hold[var] = m.hold
            self.confirm_yellow[var] = m.confirm_yellow
        for var, bands in m.bands.items():
            self.bands[var] = _red_first((*self.bands.get(var, ()), *bands))
            self.plan_refs.setdefault(var, m.reference)
        for var, trends in m.trends.items():
            self.trends[var] = tuple(
                sorted((*self.trends.get(var, ()), *trends), key=lambda b: -LEVEL_RANK[b.level])
            )
            self.plan_refs.setdefault(var, m.reference)


def _red_first(bands: Iterable[Band]) -> tuple[Band, ...]:
    return tuple(sorted(bands, key=lambda b: -LEVEL_RANK.get(b.level, 0)))


# ----- sharing ------------------------------------------------------------------------------

#: Equal parts of different patients' plans are one object. The engine keeps every patient's
#: plan in memory; at 10,000 patients they held ~60 MiB (tracemalloc after ``warm``,
#: 2026-12-07), most of it copies of the same bands, limits, grace periods, department and
#: the JSON strings and floats they came from. Plans are never changed once built.
_SHARED: dict[Any, Any] = {}
_SHARED_MAX: Final = 200_000  # distinct parts; past it sharing starts afresh
_T = TypeVar("_T")
_K = TypeVar("_K")
_V = TypeVar("_V")


def _shared(value: _T) -> _T:
    """The one object equal to ``value`` (hashable, immutable values only)."""
    if len(_SHARED) > _SHARED_MAX:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)  # type: ignore[no-any-return]


def _shared_map(values: dict[_K, _V]) -> dict[_K, _V]:
    """One dict for equal dicts of hashable items; callers never change a plan's dicts."""
    try:
        key = ("dict", tuple(values.items()))
        hash(key)
    except TypeError:
        return values
    if len(_SHARED) > _SHARED_MAX:
        _SHARED.clear()
    return _SHARED.setdefault(key, values)  # type: ignore[no-any-return]


# ----- reading ------------------------------------------------------------------------------


def _sub(ext: Mapping[str, Any], url: str) -> list[Mapping[str, Any]]:
    return [e for e in ext.get("extension", ()) if e.get("url") == url]


def _quantity(ext: Mapping[str, Any], url: str) -> float | None:
    for e in _sub(ext, url):
        value = (e.get("valueQuantity") or e.get("valueDuration") or {}).get("value")
        if isinstance(value, int | float):
            return float(value)
    return None


def _duration_seconds(ext: Mapping[str, Any], url: str, default_unit: str) -> float | None:
    for e in _sub(ext, url):
        q = e.get("valueDuration") or e.get("valueQuantity") or {}
        value = q.get("value")
        if not isinstance(value, int | float):
            continue
        unit = q.get("code") or q.get("unit") or default_unit
        scale = {"s": 1.0, "min": 60.0, "h": HOUR, "d": DAY, "wk": 7 * DAY}.get(unit)
        if scale is not None:
            return float(value) * scale
    return None


def _level(ext: Mapping[str, Any]) -> str | None:
    for e in _sub(ext, "level"):
        code = e.get("valueCode") or (e.get("valueCoding") or {}).get("code")
        if code in LEVEL_RANK:
            return _shared(str(code))
    return None


def _seconds_of_day(text: str) -> float | None:
    try:
        t = time.fromisoformat(text)
    except ValueError:
        return None
    return t.hour * HOUR + t.minute * 60.0 + t.second


def measurement_key(code: Mapping[str, Any]) -> str | None:
    """The programme key (``bp``, ``spo2``, ...) of a CodeableConcept, if it is one we know."""
    for coding in code.get("coding", ()):
        if coding.get("system", LOINC) == LOINC:
            key = MEASUREMENT_BY_LOINC.get(str(coding.get("code")))
            if key is not None:
                return key
    return None


def parse_service_request(sr: Mapping[str, Any]) -> MeasurementPlan | None:
    """The plan of one active ServiceRequest, or None if it is not a measurement we know."""
    if sr.get("status") != "active":
        return None
    key = measurement_key(sr.get("code") or {})
    if key is None:
        return None
    default_var = variables_of(key)[0]
    bands: dict[str, list[Band]] = {}
    trends: dict[str, list[TrendBand]] = {}
    critical: dict[str, tuple[float | None, float | None]] = {}
    grace = dict(DEFAULT_GRACE)
    explicit_grace: dict[str, float] = {}
    hold = DEFAULT_HOLD
    confirm_yellow = False
    for ext in sr.get("extension", ()):
        url = ext.get("url")
        if url == YELLOW_CONFIRMATION_URL:
            confirm_yellow = ext.get("valueBoolean") is True
            continue
        if url == CRITICAL_LIMITS_URL:
            var = default_var
            for comp in _sub(ext, "component"):
                var = VARIABLE_OF_LOINC.get(str(comp.get("valueCoding", {}).get("code")), var)
            critical[var] = _shared((_quantity(ext, "low"), _quantity(ext, "high")))
            continue
        if url == SUSPECT_HOLD_URL:
            q = ext.get("valueDuration") or ext.get("valueQuantity") or {}
            if isinstance(q.get("value"), int | float):
                unit = q.get("code") or q.get("unit") or "min"
                scale = {"s": 1.0, "min": 60.0, "h": HOUR}.get(unit, 60.0)
                hold = float(q["value"]) * scale
            continue
        if url == MISSING_GRACE_URL:
            stage = _stage(ext)
            after = _duration_seconds(ext, "after", "h")
            if stage is not None and after is not None:
                explicit_grace[stage] = after
            continue
        level = _level(ext)
        if level is None:
            continue
        if url == ALERT_THRESHOLDS_URL:
            var = default_var
            for comp in _sub(ext, "component"):
                var = VARIABLE_OF_LOINC.get(str(comp.get("valueCoding", {}).get("code")), var)
            low, high = _quantity(ext, "low"), _quantity(ext, "high")
            if low is not None or high is not None:
                bands.setdefault(var, []).append(_shared(Band(level, low, high)))
        elif url == TREND_THRESHOLD_URL:
            delta = _quantity(ext, "delta")
            window = _duration_seconds(ext, "window", "d")
            direction = "rise"
            for e in _sub(ext, "direction"):
                if e.get("valueCode") in ("rise", "fall"):
                    direction = _shared(str(e["valueCode"]))
            if delta is not None and window is not None:
                trends.setdefault(default_var, []).append(
                    _shared(TrendBand(level, abs(delta), window, direction))
                )
    if explicit_grace:
        grace = {k: v for k, v in explicit_grace.items() if k in MISSING_STAGES}
        if REMINDER not in explicit_grace and ADHERENCE in grace:
            grace[REMINDER] = min(DEFAULT_GRACE[REMINDER], grace[ADHERENCE] / 2)
    repeat = (sr.get("occurrenceTiming") or {}).get("repeat") or {}
    times = _shared(
        tuple(
            sorted(
                t
                for t in (_seconds_of_day(str(x)) for x in repeat.get("timeOfDay", ()))
                if t is not None
            )
        )
    )
    period = repeat.get("period", 1)
    unit = repeat.get("periodUnit", "d")
    period_days = int(period) * 7 if unit == "wk" else int(period) if unit == "d" else 1
    authored = sr.get("authoredOn")
    return MeasurementPlan(
        sr_id=str(sr.get("id")),
        key=key,
        bands=_shared_map({v: _shared(_red_first(b)) for v, b in bands.items()}),
        trends=_shared_map(
            {
                v: _shared(tuple(sorted(t, key=lambda b: -LEVEL_RANK[b.level])))
                for v, t in trends.items()
            }
        ),
        times=times,
        period_days=max(1, period_days),
        grace=_shared_map(grace),
        start=parse_instant(authored) if isinstance(authored, str) else None,
        critical=_shared_map(critical),
        hold=hold,
        confirm_yellow=confirm_yellow,
    )


def _stage(ext: Mapping[str, Any]) -> str | None:
    """The stage of a ``missing-measurement-grace``; the old yellow is an adherence item and
    the old red is dropped (a silence is urgent only where a plan says ``urgent``)."""
    for e in _sub(ext, "level"):
        code = e.get("valueCode") or (e.get("valueCoding") or {}).get("code")
        if code in MISSING_STAGES:
            return _shared(str(code))
        if code == "yellow":
            return ADHERENCE
        if code == "red":
            return "dropped"
    return None


def patient_id_of(reference: Mapping[str, Any] | None) -> str | None:
    """The id of a ``Patient/<id>`` Reference."""
    if not reference:
        return None
    ref = str(reference.get("reference", ""))
    kind, _, rid = ref.rpartition("/")
    if kind.rpartition("/")[2] != "Patient" or not rid:
        return None
    return rid.partition("/_history")[0]


def build_patient_plan(
    patient_id: str,
    service_requests: Iterable[Mapping[str, Any]],
    episodes: Iterable[Mapping[str, Any]],
    care_plans: Iterable[Mapping[str, Any]] = (),
) -> PatientPlan:
    """Assemble a patient's plan from their stored ServiceRequests, EpisodeOfCare and CarePlans."""
    plan = PatientPlan(patient_id)
    for episode in episodes:
        if episode.get("status") == "active" and episode.get("managingOrganization"):
            org = episode["managingOrganization"]
            plan.department = _shared_map(
                {k: _shared(str(v)) for k, v in org.items() if k in ("reference", "display")}
            )
            break
    for cp in care_plans:
        if cp.get("status") != "active":
            continue
        for ext in cp.get("extension", ()):
            if ext.get("url") == NEWS2_SCALE2_URL and ext.get("valueBoolean") is True:
                plan.scale2 = True
            elif ext.get("url") == OUT_OF_HOURS_ADVICE_URL and ext.get("valueString"):
                plan.advice = _shared(str(ext["valueString"]))
    for sr in sorted(service_requests, key=lambda r: str(r.get("id"))):
        m = parse_service_request(sr)
        if m is not None:
            plan.add(m)
    # Built: from here on the plan's dicts are only read, so equal ones can be one object.
    plan.bands = _shared_map(plan.bands)
    plan.trends = _shared_map(plan.trends)
    plan.critical = _shared_map(plan.critical)
    plan.hold = _shared_map(plan.hold)
    plan.confirm_yellow = _shared_map(plan.confirm_yellow)
    return plan


# ----- writing (used to seed plans) ---------------------------------------------------------


def _fmt(value: float, decimals: int) -> float | int:
    return round(value, decimals) if decimals else round(value)


def quantity(var: str, value: float) -> dict[str, Any]:
    v = VARIABLES[var]
    return {
        "value": _fmt(value, v.decimals),
        "unit": v.unit_display,
        "system": UCUM,
        "code": v.unit,
    }


def thresholds_extensions(
    var: str, bands: Iterable[Band], *, component: bool
) -> list[dict[str, Any]]:
    """``alert-thresholds`` extensions for the bands of one variable."""
    out = []
    for band in bands:
        subs: list[dict[str, Any]] = [{"url": "level", "valueCode": band.level}]
        if component:
            code = COMPONENT_OF_VARIABLE[var]
            display = "Systolic blood pressure" if var == "sys" else "Diastolic blood pressure"
            subs.append(
                {
                    "url": "component",
                    "valueCoding": {"system": LOINC, "code": code, "display": display},
                }
            )
        if band.low is not None:
            subs.append({"url": "low", "valueQuantity": quantity(var, band.low)})
        if band.high is not None:
            subs.append({"url": "high", "valueQuantity": quantity(var, band.high)})
        out.append({"url": ALERT_THRESHOLDS_URL, "extension": subs})
    return out


def trend_extensions(var: str, trends: Iterable[TrendBand]) -> list[dict[str, Any]]:
    return [
        {
            "url": TREND_THRESHOLD_URL,
            "extension": [
                {"url": "level", "valueCode": t.level},
                *([{"url": "direction", "valueCode": "fall"}] if t.direction == "fall" else []),
                {"url": "delta", "valueQuantity": quantity(var, t.delta)},
                {
                    "url": "window",
                    "valueDuration": {
                        "value": _fmt(t.window / DAY, 2),
                        "unit": "d",
                        "system": UCUM,
                        "code": "d",
                    },
                },
            ],
        }
        for t in trends
    ]


def critical_extensions(
    var: str, low: float | None, high: float | None, *, component: bool
) -> list[dict[str, Any]]:
    subs: list[dict[str, Any]] = []
    if component:
        subs.append(
            {
                "url": "component",
                "valueCoding": {"system": LOINC, "code": COMPONENT_OF_VARIABLE[var]},
            }
        )
    if low is not None:
        subs.append({"url": "low", "valueQuantity": quantity(var, low)})
    if high is not None:
        subs.append({"url": "high", "valueQuantity": quantity(var, high)})
    return [{"url": CRITICAL_LIMITS_URL, "extension": subs}] if low or high else []


def hold_extension(seconds: float) -> dict[str, Any]:
    return {
        "url": SUSPECT_HOLD_URL,
        "valueDuration": {
            "value": _fmt(seconds / 60, 0),
            "unit": "min",
            "system": UCUM,
            "code": "min",
        },
    }


def grace_extensions(grace: Mapping[str, float] = DEFAULT_GRACE) -> list[dict[str, Any]]:
    return [
        {
            "url": MISSING_GRACE_URL,
            "extension": [
                {"url": "level", "valueCode": level},
                {
                    "url": "after",
                    "valueDuration": {
                        "value": _fmt(seconds / HOUR, 2),
                        "unit": "h",
                        "system": UCUM,
                        "code": "h",
                    },
                },
            ],
        }
        for level, seconds in grace.items()
    ]


def occurrence_timing(times: Iterable[time], period_days: int) -> dict[str, Any]:
    """``occurrenceTiming`` for measurements at `times` (local) every `period_days` days."""
    tod = sorted({t.isoformat(timespec="seconds") for t in times})
    if period_days == 1:
        text = "Daglig" if len(tod) == 1 else f"{len(tod)} ganger daglig"
    else:
        text = "Ukentlig" if period_days == 7 else f"Hver {period_days}. dag"
    text += " kl. " + ", ".join(t[:5] for t in tod)
    return {
        "repeat": {
            "frequency": len(tod),
            "period": period_days,
            "periodUnit": "d",
            "timeOfDay": tod,
        },
        "code": {"text": text},
    }


def measurement_text(key: str) -> str:
    return MEASUREMENTS[key].text
