"""The console's own copy of the threshold rules, for servers that raise no alerts.

Pure functions, written against the reference backend's rules as they are today
(`server/rules/engine.py`: `evaluate_thresholds`, `merge_into_task`), so both sides raise the
same alert with the same wording for the same value; `console.fhir.console_alerts` turns a
`Finding` into the same Task shape (docs/contract.md, "Alert Task"). Only the patient's own
thresholds count (her plan's `alert-thresholds`), never the console's display templates.

Covered: thresholds of every vital sign (blood pressure: either component, one alert).
Not covered here (the server's rules still have them): weight trends, missing measurements,
questionnaire flags and contact requests. Issue 11 changes the server's rules; the two are
aligned after both land (CONTRACTS.md, "Alert rules on both sides").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from console.domain.alerts import PLAUSIBLE
from console.domain.model import MeasurementKind
from console.domain.triage import Band, Thresholds

YELLOW: Final = "yellow"
RED: Final = "red"
LEVEL_RANK: Final = {YELLOW: 1, RED: 2}
LEVEL_DISPLAY: Final = {YELLOW: "gul", RED: "rød"}
PRIORITY_OF_LEVEL: Final = {YELLOW: "urgent", RED: "asap"}
PRIORITY_RANK: Final = {"routine": 0, "urgent": 1, "asap": 2, "stat": 3}
#: How far past a limit counts as one unit of severity when the plan has no yellow-to-red gap
#: on that side (server/rules/engine.py ``SEVERITY_UNIT``): the queue orders by it.
SEVERITY_UNIT: Final[dict[str, float]] = {
    "spo2": 2.0,
    "pulse": 10.0,
    "sys": 10.0,
    "dia": 5.0,
    "weight": 1.0,
    "temp": 0.5,
    "glucose": 2.0,
    "resp": 3.0,
}


@dataclass(frozen=True, slots=True)
class Variable:
    """One measured variable as the rules name and format it (as server/rules/plan.py)."""

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

#: The plan's measurement kinds → the variables their limits are for (first, then second).
KIND_VARIABLES: Final[dict[MeasurementKind, tuple[str, ...]]] = {
    MeasurementKind.SPO2: ("spo2",),
    MeasurementKind.PULSE: ("pulse",),
    MeasurementKind.BLOOD_PRESSURE: ("sys", "dia"),
    MeasurementKind.WEIGHT: ("weight",),
    MeasurementKind.TEMPERATURE: ("temp",),
    MeasurementKind.GLUCOSE: ("glucose",),
    MeasurementKind.RESPIRATORY_RATE: ("resp",),
}


@dataclass(frozen=True, slots=True)
class Hit:
    """One limit crossed: which variable, at what level, the comparator and the limit."""

    var: str
    value: float
    level: str
    op: str  # "<" or ">"
    limit: float


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach of one rule for one patient (server/rules/engine.py's `Finding`)."""

    patient_id: str
    rule: str
    level: str
    focus: str  # "Observation/<id>"
    started: str  # FHIR instant the episode started (the Observation's time)
    description: str
    #: Every value of the Observation for this rule, in order (blood pressure: sys, dia).
    values: tuple[tuple[str, float], ...] = ()
    #: The limits crossed, worst first.
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    #: How far past the worst level's limit, in the patient's yellow-to-red gaps (the server's
    #: ordering score without NEWS2, which needs values the console does not combine).
    distance: float = 0.0
    alert_class: str = "clinical"
    #: "implausible" when a value cannot be a real measurement (the server's suspect-value
    #: reason); shown at once like the server does past a critical limit, marked for the nurse.
    suspect: str = ""

    @property
    def severity(self) -> float:
        return self.distance

    @property
    def episode_id(self) -> str:
        """The alert-episode identifier: the same Observation gives the same key on every
        console, so a conditional create on it makes one Task however many consoles run."""
        return f"{self.patient_id}|{self.rule}|{self.started}"

    @property
    def priority(self) -> str:
        return PRIORITY_OF_LEVEL[self.level]


def number(value: float, decimals: int) -> str:
    """Bokmål number: decimal comma, no trailing ",0" for whole-number variables."""
    text = f"{value:.{decimals}f}" if decimals else str(round(value))
    return text.replace(".", ",")


def rounded(value: float, decimals: int) -> float | int:
    return round(value, decimals) if decimals else round(value)


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


_KIND_OF_VARIABLE: Final = {v: kind for kind, vs in KIND_VARIABLES.items() for v in vs}


def _plausible(var: str, value: float) -> bool:
    kind = _KIND_OF_VARIABLE.get(var)
    if kind is None or kind not in PLAUSIBLE:
        return True
    low, high = PLAUSIBLE[kind]
    return low <= value <= high


def _gap(thresholds: Thresholds, op: str) -> float | None:
    """The distance between the red and the yellow limit on one side, if both exist."""
    red, yellow = thresholds.red, thresholds.yellow
    if op == "<" and red.low is not None and yellow.low is not None:
        return abs(yellow.low - red.low) or None
    if op == ">" and red.high is not None and yellow.high is not None:
        return abs(red.high - yellow.high) or None
    return None


def distance_past(var: str, hit: Hit, thresholds: Thresholds) -> float:
    """How far `hit` is past its limit, in the yellow-to-red gap on its side (or a unit)."""
    unit = _gap(thresholds, hit.op) or SEVERITY_UNIT.get(var, 1.0)
    return round(abs(hit.value - hit.limit) / unit, 2)


def _breach(value: float, thresholds: Thresholds) -> tuple[str, str, float] | None:
    """(level, "<"|">", limit) of the worst band `value` falls outside, red first."""
    for level, band in ((RED, thresholds.red), (YELLOW, thresholds.yellow)):
        hit = _outside(value, band)
        if hit is not None:
            return level, hit[0], hit[1]
    return None


def _outside(value: float, band: Band) -> tuple[str, float] | None:
    if band.low is not None and value < band.low:
        return "<", band.low
    if band.high is not None and value > band.high:
        return ">", band.high
    return None


def evaluate_thresholds(
    patient_id: str,
    focus: str,
    started: str,
    values: Mapping[str, float],
    limits: Mapping[str, Thresholds],
) -> list[Finding]:
    """Threshold findings of one Observation's `values` (variable → value) against the
    patient's own `limits` (variable → thresholds); one per rule, the worst level."""
    per_rule: dict[str, list[Hit]] = {}
    for var, value in values.items():
        thresholds = limits.get(var)
        if thresholds is None or var not in VARIABLES:
            continue
        hit = _breach(value, thresholds)
        if hit is not None:
            per_rule.setdefault(VARIABLES[var].rule, []).append(Hit(var, value, *hit))
    findings = []
    for rule, hits in per_rule.items():
        hits.sort(key=lambda h: -LEVEL_RANK[h.level])
        worst = hits[0]
        v = VARIABLES[worst.var]
        if rule == "threshold-bp":
            shown = "/".join(number(values[k], 0) for k in ("sys", "dia") if k in values)
            label = "Blodtrykk"
        else:
            shown, label = number(worst.value, v.decimals), v.label
        limit_text = f"{worst.op} {number(worst.limit, v.decimals)}"
        description = (
            f"{label} {_with_unit(shown, v.unit_display)} "
            f"({LEVEL_DISPLAY[worst.level]} grense {_with_unit(limit_text, v.unit_display)}"
            + (f", {v.label.lower()}" if rule == "threshold-bp" else "")
            + ")"
        )
        rule_values = tuple(
            (k, values[k])
            for k in (("sys", "dia") if rule == "threshold-bp" else (worst.var,))
            if k in values
        )
        distance = max(
            distance_past(h.var, h, limits[h.var]) for h in hits if h.level == worst.level
        )
        implausible = any(not _plausible(k, x) for k, x in rule_values)
        findings.append(
            Finding(
                patient_id,
                rule,
                worst.level,
                focus,
                started,
                description,
                rule_values,
                tuple(hits),
                distance=distance,
                suspect="implausible" if implausible else "",
            )
        )
    return findings


# ----- after handling (server/rules/decide.py: suppressed_after_handling) ----------------------

#: A repeat breach within this long after a nurse completed the alert, not worse, is added to
#: the handled card instead of opening a new one (values: one measurement day).
AFTER_HANDLING_WINDOW: Final = 24 * 3600.0
#: "Worse": at least this many yellow-to-red gaps further past the limit.
WORSE_BY: Final = 1.0
#: After these outcomes a repeat is a new card (an error, or closed without a nurse).
NOT_HANDLED_OUTCOMES: Final = frozenset(
    {"measurement-error", "measurement-arrived", "not-confirmed"}
)
