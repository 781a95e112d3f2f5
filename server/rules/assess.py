"""One Observation through the rules, given the patient's plan and recent values: pure.

Shared by the live engine (:mod:`server.rules.runtime`) and the seeding replay
(:mod:`server.sim.replay`), so both judge a value the same way: suspect values first (against
the patient's own recent values), then thresholds (with critical limits and a severity that
counts NEWS2 of the latest values), then trends on the values that are not suspect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from server.rules.engine import (
    RECENT_WINDOW,
    Finding,
    _breach,
    evaluate_thresholds,
    evaluate_trend,
    observation_values,
)
from server.rules.news2 import News2Input, news2
from server.rules.plan import DAY, VARIABLES, PatientPlan
from server.rules.suspect import HISTORY_WINDOW, Sample, suspect_reason

KEEP: Final = HISTORY_WINDOW + 4 * DAY  # how much of a patient's history the rules need
NEWS2_AGE: Final = DAY


@dataclass(slots=True)
class Assessment:
    """What one Observation did: findings, suspect variables, and the values inside limits."""

    findings: list[Finding] = field(default_factory=list)
    suspects: dict[str, str] = field(default_factory=dict)
    values: list[tuple[str, float]] = field(default_factory=list)
    #: Threshold rules whose value was inside the limits and not suspect (a held or suspect
    #: alert for that rule can close / record a normal re-measurement).
    normal: list[tuple[str, str, float]] = field(default_factory=list)  # (rule, var, value)


def news2_of(plan: PatientPlan, history: Mapping[str, Sequence[Sample]], t: float) -> int | None:
    """Partial NEWS2 total of the newest non-suspect values of the last 24 h (None: none)."""
    latest: dict[str, float] = {}
    for var in ("resp", "spo2", "sys", "pulse", "temp"):
        best: Sample | None = None
        for x in history.get(var, ()):
            if t - NEWS2_AGE <= x.t <= t and not x.suspect and (best is None or x.t > best.t):
                best = x
        if best is not None:
            latest[var] = best.value
    if not latest:
        return None
    return news2(
        News2Input(
            respiration=latest.get("resp"),
            spo2=latest.get("spo2"),
            systolic=latest.get("sys"),
            pulse=latest.get("pulse"),
            temperature=latest.get("temp"),
        ),
        scale2=plan.scale2,
    ).total


def recently_past(
    plan: PatientPlan, history: Mapping[str, Sequence[Sample]], t: float, focus: str
) -> set[str]:
    """Variables with a non-suspect value past the patient's yellow limit in the 48 h before."""
    out = set()
    for var, samples in history.items():
        bands = plan.bands.get(var)
        if not bands:
            continue
        for x in reversed(samples):
            if x.t < t - RECENT_WINDOW:
                break
            if x.ref == focus or x.t >= t or x.suspect:
                continue
            if _breach(x.value, bands) is not None:
                out.add(var)
                break
    return out


def remember(history: dict[str, list[Sample]], var: str, sample: Sample) -> None:
    """Add a sample to a patient's history (time-ordered; older than :data:`KEEP` dropped)."""
    samples = history.setdefault(var, [])
    if sample.ref:  # the same Observation again (an update): replace it
        for n in range(len(samples) - 1, -1, -1):
            if samples[n].t < sample.t:
                break
            if samples[n].ref == sample.ref:
                del samples[n]
    if samples and sample.t < samples[-1].t:
        samples.append(sample)
        samples.sort(key=lambda x: x.t)
    else:
        samples.append(sample)
    newest = samples[-1].t
    cut = 0
    while cut < len(samples) and samples[cut].t < newest - KEEP:
        cut += 1
    if cut:
        del samples[:cut]


def assess_observation(
    obs: Mapping[str, Any],
    focus: str,
    t: float,
    plan: PatientPlan,
    history: dict[str, list[Sample]],
    values: list[tuple[str, float]] | None = None,
) -> Assessment:
    """Judge one Observation and add its values to `history` (the caller's cache)."""
    out = Assessment()
    if values is None:
        values = observation_values(obs)
    out.values = values
    if not values:
        return out
    companions = dict(values)
    for var, value in values:
        reason = suspect_reason(var, value, t, history.get(var, ()), companions)
        if reason is not None:
            out.suspects[var] = reason
    for var, value in values:
        remember(history, var, Sample(t, value, focus, var in out.suspects))
    if not plan.bands and not plan.trends:
        return out
    findings = evaluate_thresholds(obs, focus, plan, values, suspects=out.suspects)
    if findings:  # NEWS2 and recent breaches only when something breached: cheap otherwise
        findings = evaluate_thresholds(
            obs,
            focus,
            plan,
            values,
            suspects=out.suspects,
            news2=news2_of(plan, history, t),
            recently_past=recently_past(plan, history, t, focus),
        )
    for var, value in values:
        if var in plan.trends and var not in out.suspects:
            earlier = [x for x in history.get(var, ()) if x.ref != focus]
            findings += evaluate_trend(obs, focus, plan, var, value, t, earlier)
    out.findings = findings
    raised = {f.rule for f in findings}
    by_var = dict(values)
    for var, value in values:
        rule = VARIABLES[var].rule
        if var in out.suspects or rule in raised or var not in plan.bands:
            continue
        if var == "dia" and "sys" in by_var:
            continue  # blood pressure is judged once, on the panel
        out.normal.append((rule, var, value))
    return out
