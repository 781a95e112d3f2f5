"""The alert rules as pure functions: a new resource (plus what it needs) in, findings out.

A :class:`Finding` is one breach of one rule for one patient. :func:`new_task` turns it into an
alert Task and :func:`merge_into_task` folds a repeat breach into the patient's open Task for the
same rule (one open Task per patient and rule). Nothing here touches the store or the clock;
:mod:`server.rules.runtime` loads the context, calls these and writes the Tasks.

Rules: thresholds (Observation vs the patient's ServiceRequest bands, with suspect values and
critical limits), weight trend (gain and loss against the median of the window, suspect values
left out), missing scheduled measurement (:func:`evaluate_missing`, on a clock: reminder, then
an adherence item, urgent only where the plan says so), flagged questionnaire answers, and
"please contact me" Communications. How a finding becomes a Task (held, out of hours, merged,
closed) is decided in :mod:`server.rules.decide`. Task shape: docs/contract.md, "Alerts".
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from server.rules.codes import (
    ADHERENCE_CLASS,
    ALERT_ANSWER_SYSTEM,
    ALERT_ANSWER_URL,
    ALERT_CLASS_URL,
    ALERT_EPISODE_SYSTEM,
    ALERT_INPUT_SYSTEM,
    ALERT_RULE_SYSTEM,
    ALERT_SEVERITY_URL,
    CLINICAL,
    COMMUNICATION_CATEGORY_SYSTEM,
    CONTACT_REQUEST,
    INPUT_DISPLAY,
    INPUT_DUE,
    INPUT_LEVEL,
    INPUT_LIMIT,
    INPUT_REMINDED,
    INPUT_THRESHOLD,
    INPUT_TRIGGER,
    INPUT_VALUE,
    INPUT_VALUE2,
    LEVEL_DISPLAY,
    LEVEL_RANK,
    PRIORITY_OF_LEVEL,
    PRIORITY_RANK,
    RED,
    RULES,
    YELLOW,
)
from server.rules.plan import (
    ADHERENCE,
    DAY,
    HOUR,
    REMINDER,
    URGENT,
    VARIABLE_OF_LOINC,
    VARIABLES,
    Band,
    MeasurementPlan,
    PatientPlan,
    patient_id_of,
    quantity,
)
from server.rules.suspect import Sample, past_critical
from server.sim.observations import iso_utc
from server.sim.programmes import LOINC, MEASUREMENTS
from server.sim.schedule import OSLO, local_day, local_day_start, parse_instant

# A measurement taken up to this long before or after a scheduled time counts for that time.
SLOT_TOLERANCE: Final = 3 * HOUR


# One unit of "how far past the limit" per variable when the plan has no yellow-to-red gap.
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
# A yellow value with another value past a limit this recently (not suspect) is not held.
RECENT_WINDOW: Final = 48 * 3600.0
# NEWS2 points count this much in the ordering score (an ordering aid, not a clinical score).
NEWS2_WEIGHT: Final = 0.5


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach: which rule, how bad, what caused it, and what to show the nurse."""

    patient_id: str
    rule: str
    level: str  # yellow | red (missing measurements: the stage, reminder | adherence | urgent)
    focus: str  # reference of the triggering resource ("Observation/1")
    started: str  # FHIR instant the episode started (event time), part of the identifier
    description: str
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: How far past the limit, in yellow-to-red gaps (+ NEWS2 / 2): orders cards in a priority.
    severity: float = 0.0
    distance: float = 0.0
    news2: int | None = None
    #: Why the value looks like a measurement error (server.rules.suspect), if it does.
    suspect: str | None = None
    #: Past a critical limit: never held, even when suspect.
    critical: bool = False
    #: Seconds to hold the alert for a re-measurement (0: raise at once).
    hold: float = 0.0
    #: The variable and value that decided it (for messages), if any.
    variable: str = ""
    value: float | None = None

    @property
    def episode_id(self) -> str:
        return f"{self.patient_id}|{self.rule}|{self.started}"

    @property
    def alert_class(self) -> str:
        return ADHERENCE_CLASS if self.rule == "missing-measurement" else CLINICAL

    @property
    def priority(self) -> str:
        if self.rule == "missing-measurement":
            return "urgent" if self.level == URGENT else "routine"
        return PRIORITY_OF_LEVEL[self.level]


# ----- formatting ---------------------------------------------------------------------------


def number(value: float, decimals: int) -> str:
    """Bokmål number: decimal comma, no trailing ",0" for whole-number variables."""
    text = f"{value:.{decimals}f}" if decimals else str(round(value))
    return text.replace(".", ",")


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def _input(kind: str, text: str | None = None, **value: Any) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "coding": [{"system": ALERT_INPUT_SYSTEM, "code": kind, "display": INPUT_DISPLAY[kind]}]
    }
    if text:
        concept["text"] = text
    return {"type": concept, **value}


def _coded(entry: dict[str, Any], measurement: str) -> dict[str, Any]:
    """Name the measurement by its LOINC code too, so clients need not read `type.text`
    (Bokmål) to say which one is missing in their own language."""
    m = MEASUREMENTS[measurement]
    entry["type"]["coding"].append({"system": LOINC, "code": m.code, "display": m.codings[0][1]})
    return entry


def _input_code(entry: Mapping[str, Any]) -> str | None:
    for coding in entry.get("type", {}).get("coding", ()):
        if coding.get("system") == ALERT_INPUT_SYSTEM:
            return str(coding.get("code"))
    return None


def _head_inputs(focus: str, level: str) -> list[dict[str, Any]]:
    return [
        _input(INPUT_TRIGGER, valueReference={"reference": focus}),
        _input(INPUT_LEVEL, valueCode=level),
    ]


# ----- thresholds and trend -----------------------------------------------------------------


def _breach(value: float, bands: Sequence[Band]) -> tuple[Band, str, float] | None:
    """The worst band `value` falls outside of: (band, "<" or ">", limit)."""
    for band in bands:  # red first
        if band.low is not None and value < band.low:
            return band, "<", band.low
        if band.high is not None and value > band.high:
            return band, ">", band.high
    return None


def observation_values(obs: Mapping[str, Any]) -> list[tuple[str, float]]:
    """(variable, value) pairs of a vital-signs Observation (both blood pressure components)."""
    out: list[tuple[str, float]] = []
    var = None
    for coding in obs.get("code", {}).get("coding", ()):
        var = VARIABLE_OF_LOINC.get(coding.get("code"))  # type: ignore[arg-type]
        if var is not None:
            break
    vq = obs.get("valueQuantity")
    if var is not None and vq is not None:
        value = vq.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append((var, float(value)))
    for comp in obs.get("component", ()):
        for coding in comp.get("code", {}).get("coding", ()):
            cvar = VARIABLE_OF_LOINC.get(coding.get("code"))
            if cvar is not None:
                value = comp.get("valueQuantity", {}).get("value")
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out.append((cvar, float(value)))
                break
    return out


def _gap(bands: Sequence[Band], op: str) -> float | None:
    """The distance between the red and the yellow limit on one side, if both exist."""
    red = next((b for b in bands if b.level == RED), None)
    yellow = next((b for b in bands if b.level == YELLOW), None)
    if red is None or yellow is None:
        return None
    if op == "<" and red.low is not None and yellow.low is not None:
        return abs(yellow.low - red.low) or None
    if op == ">" and red.high is not None and yellow.high is not None:
        return abs(red.high - yellow.high) or None
    return None


def distance_past(var: str, value: float, limit: float, bands: Sequence[Band], op: str) -> float:
    """How far `value` is past `limit`, in the patient's yellow-to-red gaps (or a unit)."""
    unit = _gap(bands, op) or SEVERITY_UNIT.get(var, 1.0)
    return round(abs(value - limit) / unit, 2)


def severity_score(distance: float, news2: int | None) -> float:
    return round(distance + (NEWS2_WEIGHT * news2 if news2 else 0.0), 2)


def evaluate_thresholds(
    obs: Mapping[str, Any],
    focus: str,
    plan: PatientPlan,
    values: list[tuple[str, float]],
    *,
    suspects: Mapping[str, str] | None = None,
    news2: int | None = None,
    recently_past: frozenset[str] | set[str] = frozenset(),
) -> list[Finding]:
    """Threshold findings of one Observation, one per rule (blood pressure: worst component).

    `suspects` maps a variable to why its value looks like a measurement error; a suspect
    finding is held for the plan's hold time unless a value is past its critical limit. A
    yellow finding is held for a confirming re-measurement (plan ``yellow-confirmation``)
    unless a variable in `recently_past` (past a limit within :data:`RECENT_WINDOW` before,
    not suspect) shows it is not the first.
    """
    suspects = suspects or {}
    worst: dict[str, tuple[int, list[tuple[str, float, Band, str, float]]]] = {}
    for var, value in values:
        bands = plan.bands.get(var)
        if not bands:
            continue
        hit = _breach(value, bands)
        if hit is None:
            continue
        band, op, limit = hit
        rule = VARIABLES[var].rule
        rank, hits = worst.get(rule, (0, []))
        hits.append((var, value, band, op, limit))
        worst[rule] = (max(rank, LEVEL_RANK[band.level]), hits)
    if not worst:
        return []
    started = str(obs.get("effectiveDateTime") or obs.get("issued") or "")
    findings = []
    for rule, (rank, hits) in worst.items():
        level = RED if rank == LEVEL_RANK[RED] else YELLOW
        hits.sort(key=lambda h: -LEVEL_RANK[h[2].level])
        var, value, band, op, limit = hits[0]
        v = VARIABLES[var]
        distance = max(
            distance_past(hv, hvalue, hlimit, plan.bands.get(hv, ()), hop)
            for hv, hvalue, hband, hop, hlimit in hits
            if hband.level == band.level
        )
        critical = any(
            past_critical(hvalue, plan.critical.get(hv, (None, None))) for hv, hvalue, *_ in hits
        )
        suspect = next((suspects[hv] for hv, *_ in hits if hv in suspects), None)
        hold = 0.0
        repeated = any(hv in recently_past for hv, *_ in hits)
        confirm = level == YELLOW and plan.confirm_yellow.get(var, False) and not repeated
        if not critical and (suspect or confirm):
            hold = plan.hold.get(var, 0.0)
        if rule == "threshold-bp":
            bp = dict(values)
            shown = "/".join(number(bp[k], 0) for k in ("sys", "dia") if k in bp)
            label = "Blodtrykk"
        else:
            shown, label = number(value, v.decimals), v.label
        limit_text = f"{op} {number(limit, v.decimals)}"
        description = (
            f"{label} {_with_unit(shown, v.unit_display)} "
            f"({LEVEL_DISPLAY[band.level]} grense {_with_unit(limit_text, v.unit_display)}"
            + (f", {v.label.lower()}" if rule == "threshold-bp" else "")
            + ")"
        )
        inputs = _head_inputs(focus, level)
        if rule == "threshold-bp":
            bp = dict(values)
            inputs += [
                _input(code, VARIABLES[k].label, valueQuantity=quantity(k, bp[k]))
                for code, k in ((INPUT_VALUE, "sys"), (INPUT_VALUE2, "dia"))
                if k in bp
            ]
        else:
            inputs.append(_input(INPUT_VALUE, v.label, valueQuantity=quantity(var, value)))
        inputs += [
            _input(
                INPUT_THRESHOLD,
                VARIABLES[hv].label,
                valueString=f"{LEVEL_DISPLAY[hband.level]}: "
                + _with_unit(
                    f"{hop} {number(hlimit, VARIABLES[hv].decimals)}", VARIABLES[hv].unit_display
                ),
            )
            for hv, _, hband, hop, hlimit in hits
        ]
        # The worst limit crossed, last: "value vs threshold" for the console.
        inputs.append(
            _input(INPUT_LIMIT, v.label, valueQuantity={**quantity(var, limit), "comparator": op})
        )
        findings.append(
            Finding(
                plan.patient_id,
                rule,
                level,
                focus,
                started,
                description,
                inputs,
                severity=severity_score(distance, news2),
                distance=distance,
                news2=news2,
                suspect=suspect,
                critical=critical,
                hold=hold,
                variable=var,
                value=value,
            )
        )
    return findings


def evaluate_trend(
    obs: Mapping[str, Any],
    focus: str,
    plan: PatientPlan,
    var: str,
    value: float,
    t: float,
    earlier: Iterable[tuple[float, float]] | Iterable[Sample],
) -> list[Finding]:
    """Weight trend: a change of at least `delta` from the median of the window before it.

    `earlier` are the patient's earlier measurements of `var`, as (epoch s, value) pairs or
    :class:`Sample` s; suspect samples (and, by the caller, entered-in-error values) are left
    out, so one wrong weight neither raises an alert nor moves the baseline. The median (not
    the minimum) makes one wrong low weight unable to raise alerts on the readings after it.
    Gain (``direction`` rise, rule ``trend-weight``) and loss (``fall``, ``trend-weight-loss``)
    are separate rules.
    """
    trends = plan.trends.get(var)
    if not trends:
        return []
    series: list[tuple[float, float]] = []
    for item in earlier:
        if isinstance(item, Sample):
            if not item.suspect:
                series.append((item.t, item.value))
        else:
            series.append((item[0], item[1]))
    found: dict[str, Finding] = {}
    for band in trends:  # red first
        if band.rule in found:
            continue
        window = [x for when, x in series if t - band.window <= when < t]
        if not window:
            continue
        baseline = statistics.median(window)
        change = value - baseline if band.direction == "rise" else baseline - value
        if change < band.delta - 1e-9:
            continue
        v = VARIABLES[var]
        days = number(band.window / DAY, 0)
        sign = "+" if band.direction == "rise" else "−"
        word = "Økning" if band.direction == "rise" else "Nedgang"
        description = (
            f"{v.label} {number(value, v.decimals)} {v.unit_display}: "
            f"{sign}{number(change, 1)} {v.unit_display} på {days} døgn "
            f"({LEVEL_DISPLAY[band.level]} grense {sign}{number(band.delta, 1)} {v.unit_display})"
        )
        label = f"{word} på {days} døgn"
        inputs = [
            *_head_inputs(focus, band.level),
            _input(INPUT_VALUE, v.label, valueQuantity=quantity(var, value)),
            _input(INPUT_VALUE, label, valueQuantity=quantity(var, change)),
            _input(
                INPUT_THRESHOLD,
                label,
                valueString=f"{LEVEL_DISPLAY[band.level]}: ≥ {sign}{number(band.delta, 1)} "
                f"{v.unit_display} på {days} døgn",
            ),
            _input(INPUT_LIMIT, label, valueQuantity=quantity(var, band.delta)),
        ]
        started = str(obs.get("effectiveDateTime") or "")
        distance = round(max(0.0, change - band.delta) / SEVERITY_UNIT.get(var, 1.0), 2)
        found[band.rule] = Finding(
            plan.patient_id,
            band.rule,
            band.level,
            focus,
            started,
            description,
            inputs,
            severity=distance,
            distance=distance,
            variable=var,
            value=value,
        )
    return list(found.values())


# ----- missing measurements -----------------------------------------------------------------


def _tolerance(times: Sequence[float]) -> float:
    if len(times) < 2:
        return SLOT_TOLERANCE
    gaps = [b - a for a, b in itertools.pairwise(times)]
    gaps.append(times[0] + DAY - times[-1])
    return min(SLOT_TOLERANCE, min(gaps) / 2)


def next_due(m: MeasurementPlan, after: float) -> float | None:
    """When the next measurement is due, given the last one (or the plan start) at `after`.

    A measurement up to the slot tolerance before or after a scheduled time counts for it, so
    the next due time is the first scheduled time more than that tolerance (plus the period
    minus one day) after `after`.
    """
    if not m.times:
        return None
    target = after + _tolerance(m.times) + (m.period_days - 1) * DAY
    day = local_day(target)
    for _ in range(3):
        base = local_day_start(day)
        for seconds in m.times:
            if base + seconds > target:
                return base + seconds
        day += 1
    return None  # pragma: no cover - a day always has a slot


def _clock_text(t: float) -> str:
    from datetime import datetime

    local = datetime.fromtimestamp(t, OSLO)
    return local.strftime("%d.%m. kl. %H:%M")


def missing_stage(m: MeasurementPlan, due: float, now: float) -> str | None:
    """The furthest stage (reminder, adherence, urgent) a measurement due at `due` reached."""
    overdue = now - due
    reached = None
    for stage in (REMINDER, ADHERENCE, URGENT):
        after = m.grace.get(stage)
        if after is not None and overdue >= after:
            reached = stage
    return reached


def evaluate_missing(
    now: float,
    plans: Iterable[PatientPlan],
    last_seen: Mapping[tuple[str, str], float],
) -> list[Finding]:
    """Missing-measurement findings at epoch time `now`, one per (patient, measurement).

    `last_seen[(patient id, measurement key)]` is the time of the patient's latest measurement
    of that kind; without one, the schedule counts from one period (plus a day) before `now`.
    A scheduled measurement not taken `grace[reminder]` after it was due earns the patient an
    automatic reminder (a finding with level ``reminder``: a message, no Task); after
    `grace[adherence]` it is a low-priority adherence item; only where the plan has an
    ``urgent`` grace does a long silence become an urgent card. The episode starts when the
    stage was reached (due + grace), so each stage has its own identifier.
    """
    findings: list[Finding] = []
    for plan in plans:
        for m in plan.measurements:
            seen = last_seen.get((plan.patient_id, m.key))
            after = max(x for x in (seen, m.start) if x is not None) if (seen or m.start) else None
            if after is None or not m.grace:
                continue
            if seen is None:
                # Never received (or not in this database): look back one period, not to the
                # plan's start years ago; the item then says when it was last expected.
                after = max(after, now - (m.period_days + 1) * DAY)
            due = next_due(m, after)
            if due is None:
                continue
            stage = missing_stage(m, due, now)
            if stage is None:
                continue
            findings.append(missing_finding(plan, m, due, stage))
    return findings


def missing_finding(plan: PatientPlan, m: MeasurementPlan, due: float, stage: str) -> Finding:
    """The finding for measurement `m` due at `due` having reached `stage`."""
    label = MEASUREMENTS[m.key].text
    reached = due + m.grace[stage]
    hours = int(m.grace[stage] // HOUR)
    description = f"Manglende måling: {label}, ventet {_clock_text(due)} ({hours} t over tid)"
    text = {
        REMINDER: f"påminnelse {number(m.grace[stage] / HOUR, 0)} t etter planlagt tid",
        ADHERENCE: f"oppfølging {number(m.grace[stage] / HOUR, 0)} t etter planlagt tid",
        URGENT: f"haster {number(m.grace[stage] / HOUR, 0)} t etter planlagt tid (planen)",
    }[stage]
    inputs = [
        *_head_inputs(m.reference, stage),
        _coded(_input(INPUT_DUE, label, valueDateTime=iso_utc(due)), m.key),
        _input(INPUT_THRESHOLD, label, valueString=text),
    ]
    return Finding(
        plan.patient_id,
        "missing-measurement",
        stage,
        m.reference,
        iso_utc(reached),
        description,
        inputs,
        variable=m.key,
    )


def reminded_input(label: str, when: float) -> dict[str, Any]:
    return _input(INPUT_REMINDED, label, valueDateTime=iso_utc(when))


def missing_entries(task: Mapping[str, Any]) -> list[tuple[str, float]]:
    """(ServiceRequest reference, due time) of each missed measurement an adherence Task holds."""
    out = []
    for group in _groups(task.get("input", ())):
        focus, due, _ = _group_key(group)
        if focus and due:
            out.append((focus, parse_instant(due)))
    return out


# ----- questionnaires and messages ----------------------------------------------------------


def _answer_level(answer: Mapping[str, Any], item: Mapping[str, Any]) -> str | None:
    coding = answer.get("valueCoding") or {}
    if coding.get("system") == ALERT_ANSWER_SYSTEM and coding.get("code") in LEVEL_RANK:
        return str(coding["code"])
    for holder in (answer, item):
        for ext in holder.get("extension", ()):
            if ext.get("url") == ALERT_ANSWER_URL and ext.get("valueCode") in LEVEL_RANK:
                return str(ext["valueCode"])
    return None


def _answer_text(answer: Mapping[str, Any]) -> str:
    for key, value in answer.items():
        if not key.startswith("value"):
            continue
        if isinstance(value, dict):
            return str(value.get("display") or value.get("code") or value.get("value") or "")
        if isinstance(value, bool):
            return "Ja" if value else "Nei"
        return str(value)
    return ""


def _walk_items(
    items: Iterable[Mapping[str, Any]],
) -> Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    for item in items:
        for answer in item.get("answer", ()):
            yield item, answer
            yield from _walk_items(answer.get("item", ()))
        yield from _walk_items(item.get("item", ()))


def evaluate_questionnaire(qr: Mapping[str, Any], focus: str) -> list[Finding]:
    """A completed QuestionnaireResponse with an answer flagged yellow or red raises an alert."""
    if qr.get("status") not in ("completed", "amended"):
        return []
    patient_id = patient_id_of(qr.get("subject"))
    if patient_id is None:
        return []
    flagged = []
    for item, answer in _walk_items(qr.get("item", ())):
        level = _answer_level(answer, item)
        if level is not None:
            flagged.append((LEVEL_RANK[level], level, item, answer))
    if not flagged:
        return []
    flagged.sort(key=lambda f: -f[0])
    _, level, item, answer = flagged[0]
    question = item.get("text") or item.get("linkId", "")
    description = f"Spørreskjema: «{question}» – {_answer_text(answer)}"
    if len(flagged) > 1:
        description += f" (+{len(flagged) - 1} til)"
    inputs = [
        *_head_inputs(focus, level),
        *(
            _input(
                INPUT_VALUE,
                str(f_item.get("text") or f_item.get("linkId", "")),
                valueString=f"{LEVEL_DISPLAY[f_level]}: {_answer_text(f_answer)}",
            )
            for _, f_level, f_item, f_answer in flagged
        ),
    ]
    started = str(qr.get("authored") or "")
    reds = sum(1 for f in flagged if f[1] == RED)
    return [
        Finding(
            patient_id,
            "questionnaire",
            level,
            focus,
            started,
            description,
            inputs,
            severity=float(reds or len(flagged)) / 2,
            distance=float(reds or len(flagged)) / 2,
        )
    ]


def evaluate_communication(comm: Mapping[str, Any], focus: str) -> list[Finding]:
    """A patient's "please contact me" message (category contact-request) is a yellow alert."""
    if comm.get("status") in ("entered-in-error", "not-done"):
        return []
    wanted = any(
        coding.get("system") == COMMUNICATION_CATEGORY_SYSTEM
        and coding.get("code") == CONTACT_REQUEST
        for concept in comm.get("category", ())
        for coding in concept.get("coding", ())
    )
    if not wanted:
        return []
    sender = comm.get("sender")
    patient_id = patient_id_of(comm.get("subject"))
    if sender is not None and patient_id_of(sender) is None:
        return []  # from a nurse or relative on the patient's behalf: not the patient asking
    patient_id = patient_id or patient_id_of(sender)
    if patient_id is None:
        return []
    texts = [p["contentString"] for p in comm.get("payload", ()) if p.get("contentString")]
    description = "Pasienten ber om å bli kontaktet"
    if texts:
        text = str(texts[0])
        description += f": «{text[:80]}{'…' if len(text) > 80 else ''}»"
    inputs = _head_inputs(focus, YELLOW)
    if texts:
        inputs.append(_input(INPUT_VALUE, "Melding", valueString=str(texts[0])))
    started = str(comm.get("sent") or "")
    return [Finding(patient_id, CONTACT_REQUEST, YELLOW, focus, started, description, inputs)]


# ----- Tasks --------------------------------------------------------------------------------


def rule_concept(rule: str) -> dict[str, Any]:
    return {
        "coding": [{"system": ALERT_RULE_SYSTEM, "code": rule, "display": RULES[rule]}],
        "text": RULES[rule],
    }


def severity_extension(f: Finding) -> dict[str, Any]:
    subs: list[dict[str, Any]] = [
        {"url": "score", "valueDecimal": f.severity},
        {"url": "distance", "valueDecimal": f.distance},
    ]
    if f.news2 is not None:
        subs.append({"url": "news2", "valueInteger": f.news2})
    return {"url": ALERT_SEVERITY_URL, "extension": subs}


def _severity_part(task: Mapping[str, Any], name: str, kind: str) -> float | None:
    for ext in task.get("extension", ()):
        if ext.get("url") == ALERT_SEVERITY_URL:
            for sub in ext.get("extension", ()):
                value = sub.get(kind)
                if sub.get("url") == name and isinstance(value, int | float):
                    return float(value)
    return None


def task_severity(task: Mapping[str, Any]) -> float:
    return _severity_part(task, "score", "valueDecimal") or 0.0


def task_distance(task: Mapping[str, Any]) -> float:
    """How far the card's worst value at its priority was past that priority's limit."""
    return _severity_part(task, "distance", "valueDecimal") or 0.0


def task_news2(task: Mapping[str, Any]) -> int | None:
    value = _severity_part(task, "news2", "valueInteger")
    return None if value is None else int(value)


def merged_severity(task: Mapping[str, Any], f: Finding) -> dict[str, Any] | None:
    """The card's severity after `f` joins it, or None when it stays as it is.

    A distance is measured past the limit of its own level (a yellow value from the yellow
    limit), so figures of different levels do not compare: a finding of a higher priority
    replaces the card's figures, one of the same priority raises each to the larger, and a
    lower one (a yellow value joining a red card) leaves them alone."""
    new = PRIORITY_RANK[f.priority]
    old = PRIORITY_RANK.get(str(task.get("priority", "routine")), 0)
    if new < old:
        return None
    if new > old or get_extension(task, ALERT_SEVERITY_URL) is None:
        return severity_extension(f)
    news2 = task_news2(task)
    if f.news2 is not None:
        news2 = f.news2 if news2 is None else max(news2, f.news2)
    subs: list[dict[str, Any]] = [
        {"url": "score", "valueDecimal": max(task_severity(task), f.severity)},
        {"url": "distance", "valueDecimal": max(task_distance(task), f.distance)},
    ]
    if news2 is not None:
        subs.append({"url": "news2", "valueInteger": news2})
    return {"url": ALERT_SEVERITY_URL, "extension": subs}


def shallow(task: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a Task whose top-level elements can be replaced without touching the original.

    Versions share their nested objects; every change replaces a top-level element (a new
    list, a new dict), never edits one in place.
    """
    return dict(task)


def set_extension(task: dict[str, Any], ext: dict[str, Any] | None, url: str) -> None:
    """Replace (or with None remove) the extension with `url`."""
    kept = [e for e in task.get("extension", ()) if e.get("url") != url]
    if ext is not None:
        kept.append(ext)
    if kept:
        task["extension"] = kept
    else:
        task.pop("extension", None)


def get_extension(task: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    for ext in task.get("extension", ()):
        if ext.get("url") == url:
            return dict(ext)
    return None


def new_task(f: Finding, department: Mapping[str, str] | None, now: str) -> dict[str, Any]:
    """The alert Task for a finding with no open Task for its patient and rule.

    ``authoredOn`` is the event time (when the value came, when the silence reached its
    stage), never later than `now`; ``lastModified`` is `now`.
    """
    authored = now
    if f.started:
        try:
            if parse_instant(f.started) <= parse_instant(now):
                authored = f.started
        except ValueError:
            pass
    task: dict[str, Any] = {
        "resourceType": "Task",
        "extension": [
            {"url": ALERT_CLASS_URL, "valueCode": f.alert_class},
            severity_extension(f),
        ],
        "identifier": [{"system": ALERT_EPISODE_SYSTEM, "value": f.episode_id}],
        "status": "requested",
        "intent": "order",
        "priority": f.priority,
        "code": rule_concept(f.rule),
        "description": f.description,
        "focus": {"reference": f.focus},
        "for": {"reference": f"Patient/{f.patient_id}"},
        "authoredOn": authored,
        "lastModified": now,
    }
    if department:
        task["restriction"] = {"recipient": [dict(department)]}
    task["input"] = list(f.inputs)  # a finding's inputs are never changed after it is made
    return task


def _groups(inputs: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    groups: list[list[Mapping[str, Any]]] = []
    for entry in inputs:
        if _input_code(entry) == INPUT_TRIGGER or not groups:
            groups.append([])
        groups[-1].append(entry)
    return groups


# Rank of a breach's level: clinical levels, and the stages of a missing measurement.
GROUP_RANK: Final = {"yellow": 1, "red": 2, "reminder": 0, "adherence": 1, "urgent": 2}


def _group_key(group: Sequence[Mapping[str, Any]]) -> tuple[str | None, str | None, int]:
    focus = due = None
    level = 0
    for entry in group:
        code = _input_code(entry)
        if code == INPUT_TRIGGER:
            focus = entry.get("valueReference", {}).get("reference")
        elif code == INPUT_DUE:
            due = entry.get("valueDateTime")
        elif code == INPUT_LEVEL:
            level = GROUP_RANK.get(str(entry.get("valueCode")), 0)
    return focus, due, level


def already_covered(task: Mapping[str, Any], f: Finding) -> bool:
    """Whether the Task already holds this breach (same trigger, due time, level or worse)."""
    new_focus, new_due, new_level = _group_key(f.inputs)
    for group in _groups(task.get("input", ())):
        focus, due, level = _group_key(group)
        if focus == new_focus and due == new_due and level >= new_level:
            return True
    return False


def merge_into_task(task: Mapping[str, Any], f: Finding, now: str) -> dict[str, Any] | None:
    """The open Task updated with a repeat breach, or None when there is nothing new.

    The breach is appended to ``input``; priority is raised (yellow -> red), never lowered; the
    description follows the worst breach; ``lastModified`` is set.
    """
    if already_covered(task, f):
        return None
    updated = shallow(task)
    updated["input"] = [*updated.get("input", ()), *f.inputs]
    current = PRIORITY_RANK.get(str(updated.get("priority", "routine")), 0)
    severity = merged_severity(updated, f)
    if severity is not None:
        set_extension(updated, severity, ALERT_SEVERITY_URL)
    if PRIORITY_RANK[f.priority] > current:
        updated["priority"] = f.priority
    if PRIORITY_RANK[f.priority] >= current:
        updated["description"] = f.description
    updated["lastModified"] = now
    return updated


def finding_due(f: Finding) -> float | None:
    """When the missed measurement of a missing-measurement finding was due."""
    for entry in f.inputs:
        if _input_code(entry) == INPUT_DUE and isinstance(entry.get("valueDateTime"), str):
            return parse_instant(entry["valueDateTime"])
    return None
