"""The alert rules as pure functions: a new resource (plus what it needs) in, findings out.

A :class:`Finding` is one breach of one rule for one patient. :func:`new_task` turns it into an
alert Task and :func:`merge_into_task` folds a repeat breach into the patient's open Task for the
same rule (one open Task per patient and rule). Nothing here touches the store or the clock;
:mod:`server.rules.runtime` loads the context, calls these and writes the Tasks.

Rules: thresholds (Observation vs the patient's ServiceRequest bands), weight trend, missing
scheduled measurement (:func:`evaluate_missing`, on a clock), flagged questionnaire answers, and
"please contact me" Communications. Task shape: docs/contract.md, "Alerts".
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from server.rules.codes import (
    ALERT_ANSWER_SYSTEM,
    ALERT_ANSWER_URL,
    ALERT_EPISODE_SYSTEM,
    ALERT_INPUT_SYSTEM,
    ALERT_RULE_SYSTEM,
    COMMUNICATION_CATEGORY_SYSTEM,
    CONTACT_REQUEST,
    INPUT_DISPLAY,
    INPUT_DUE,
    INPUT_LEVEL,
    INPUT_LIMIT,
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
    DAY,
    HOUR,
    VARIABLE_OF_LOINC,
    VARIABLES,
    Band,
    MeasurementPlan,
    PatientPlan,
    patient_id_of,
    quantity,
)
from server.sim.observations import iso_utc
from server.sim.programmes import LOINC, MEASUREMENTS
from server.sim.schedule import OSLO, local_day, local_day_start

# A measurement taken up to this long before or after a scheduled time counts for that time.
SLOT_TOLERANCE: Final = 3 * HOUR


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach: which rule, how bad, what caused it, and what to show the nurse."""

    patient_id: str
    rule: str
    level: str  # yellow | red
    focus: str  # reference of the triggering resource ("Observation/1")
    started: str  # FHIR instant the episode started (event time), part of the identifier
    description: str
    inputs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def episode_id(self) -> str:
        return f"{self.patient_id}|{self.rule}|{self.started}"

    @property
    def priority(self) -> str:
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


def evaluate_thresholds(
    obs: Mapping[str, Any], focus: str, plan: PatientPlan, values: list[tuple[str, float]]
) -> list[Finding]:
    """Threshold findings of one Observation, one per rule (blood pressure: worst component)."""
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
        findings.append(Finding(plan.patient_id, rule, level, focus, started, description, inputs))
    return findings


def evaluate_trend(
    obs: Mapping[str, Any],
    focus: str,
    plan: PatientPlan,
    var: str,
    value: float,
    t: float,
    earlier: Iterable[tuple[float, float]],
) -> list[Finding]:
    """Weight trend: a rise of at least `delta` over the lowest value within the window.

    `earlier` are (epoch s, value) of the patient's earlier measurements of `var`.
    """
    trends = plan.trends.get(var)
    if not trends:
        return []
    earlier = list(earlier)
    for band in trends:  # red first
        window = [x for when, x in earlier if t - band.window <= when < t]
        if not window:
            continue
        lowest = min(window)
        rise = value - lowest
        if rise >= band.delta - 1e-9:
            v = VARIABLES[var]
            days = number(band.window / DAY, 0)
            description = (
                f"{v.label} {number(value, v.decimals)} {v.unit_display}: "
                f"+{number(rise, 1)} {v.unit_display} på {days} døgn "
                f"({LEVEL_DISPLAY[band.level]} grense +{number(band.delta, 1)} {v.unit_display})"
            )
            inputs = [
                *_head_inputs(focus, band.level),
                _input(INPUT_VALUE, v.label, valueQuantity=quantity(var, value)),
                _input(INPUT_VALUE, f"Økning på {days} døgn", valueQuantity=quantity(var, rise)),
                _input(
                    INPUT_THRESHOLD,
                    f"Økning på {days} døgn",
                    valueString=f"{LEVEL_DISPLAY[band.level]}: ≥ +{number(band.delta, 1)} "
                    f"{v.unit_display} på {days} døgn",
                ),
                _input(
                    INPUT_LIMIT, f"Økning på {days} døgn", valueQuantity=quantity(var, band.delta)
                ),
            ]
            started = str(obs.get("effectiveDateTime") or "")
            return [
                Finding(
                    plan.patient_id,
                    "trend-" + var,
                    band.level,
                    focus,
                    started,
                    description,
                    inputs,
                )
            ]
    return []


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


def evaluate_missing(
    now: float,
    plans: Iterable[PatientPlan],
    last_seen: Mapping[tuple[str, str], float],
) -> list[Finding]:
    """Missing-measurement findings at epoch time `now`.

    `last_seen[(patient id, measurement key)]` is the time of the patient's latest measurement
    of that kind. A scheduled measurement not taken `grace[yellow]` after it was due is yellow,
    `grace[red]` after red. The episode starts when the level was reached (due + grace), so a
    nurse who completes a yellow alert still gets the red one a day later.
    """
    findings: list[Finding] = []
    for plan in plans:
        for m in plan.measurements:
            seen = last_seen.get((plan.patient_id, m.key))
            after = max(x for x in (seen, m.start) if x is not None) if (seen or m.start) else None
            if after is None:
                continue
            due = next_due(m, after)
            if due is None or now < due + min(m.grace.values()):
                continue
            overdue = now - due
            level = RED if overdue >= m.grace.get(RED, float("inf")) else YELLOW
            if level == YELLOW and overdue < m.grace.get(YELLOW, float("inf")):
                continue
            hours = int(overdue // HOUR)
            label = MEASUREMENTS[m.key].text
            description = (
                f"Manglende måling: {label}, ventet {_clock_text(due)} ({hours} t over tid)"
            )
            inputs = [
                *_head_inputs(m.reference, level),
                _coded(_input(INPUT_DUE, label, valueDateTime=iso_utc(due)), m.key),
                _input(
                    INPUT_THRESHOLD,
                    label,
                    valueString=f"{LEVEL_DISPLAY[level]}: {number(m.grace[level] / HOUR, 0)} t "
                    "etter planlagt tid",
                ),
            ]
            findings.append(
                Finding(
                    plan.patient_id,
                    "missing-measurement",
                    level,
                    m.reference,
                    iso_utc(due + m.grace[level]),
                    description,
                    inputs,
                )
            )
    return findings


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
    return [Finding(patient_id, "questionnaire", level, focus, started, description, inputs)]


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


def new_task(f: Finding, department: Mapping[str, str] | None, now: str) -> dict[str, Any]:
    """The alert Task for a finding with no open Task for its patient and rule."""
    task: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": [{"system": ALERT_EPISODE_SYSTEM, "value": f.episode_id}],
        "status": "requested",
        "intent": "order",
        "priority": f.priority,
        "code": rule_concept(f.rule),
        "description": f.description,
        "focus": {"reference": f.focus},
        "for": {"reference": f"Patient/{f.patient_id}"},
        "authoredOn": now,
        "lastModified": now,
    }
    if department:
        task["restriction"] = {"recipient": [dict(department)]}
    task["input"] = copy.deepcopy(f.inputs)
    return task


def _groups(inputs: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    groups: list[list[Mapping[str, Any]]] = []
    for entry in inputs:
        if _input_code(entry) == INPUT_TRIGGER or not groups:
            groups.append([])
        groups[-1].append(entry)
    return groups


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
            level = LEVEL_RANK.get(str(entry.get("valueCode")), 0)
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
    updated = copy.deepcopy(dict(task))
    updated["input"] = [*updated.get("input", ()), *copy.deepcopy(f.inputs)]
    current = PRIORITY_RANK.get(str(updated.get("priority", "routine")), 0)
    if PRIORITY_RANK[f.priority] > current:
        updated["priority"] = f.priority
    if PRIORITY_RANK[f.priority] >= current:
        updated["description"] = f.description
    updated["lastModified"] = now
    return updated
