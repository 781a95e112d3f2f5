"""Alert burden against the simulator's ground truth: the rules vs a plain per-value baseline.

Runs the seeding replay (server.sim.replay: the live engine's pure rule functions, simulated
patients and nurses, in memory) over at least 3,000 patient-days and judges the alerts it
raised against what really happened to the simulated patients, which comes from the
simulator's own state (physiology episodes, device-error flags set when a reading was made),
never from the rules' output. On the same scheduled Observations it counts a plain baseline:
every value past the patient's yellow or red limit is an alert (what a simple portal does); the
extra measurements our rules asked for (re-measurements, symptom checks, measurements after a
reminder) are not in it, since a plain system would not have them.

    python benchmarks/alert_burden.py [--patients 600] [--days 14] [--seed 1] [--json out.json]
        [--hash-seed 0] [--warm-up 3]

Definitions (docs/simulator.md has the model behind the figures):

- **nurse-facing alert**: an alert Task that a nurse could see in the queue (it reached
  ``requested`` at some version). Held suspect values closed as measurement errors before
  anyone saw them are not; repeat breaches folded into an open alert are not new alerts.
  Adherence items are counted apart (their own list). A repeat breach added to a card a nurse
  had already completed (the after-handling rule) reaches no queue and catches nothing; a
  yellow questionnaire closed by a normal measurement (symptom check) is not nurse-facing.
- **deterioration**: a simulated episode (physiology). It is *detectable at yellow* (red) when
  at least one genuine measurement (not a device error) of a variable the episode affects and
  the plan monitors was past the patient's yellow (red) limit during the episode: what any
  home system could see. (An episode whose values stayed inside the limits, or that went by
  while the patient was in hospital or not measuring, is detectable by no threshold system.)
- **caught**: an alert whose trigger is a genuine measurement (not a device error) of an
  affected variable taken during the episode (or within a day after it), or a questionnaire
  alert (a flagged symptom report) in that time; for our rules the
  moment it reached a nurse (raised, released from a hold, or the breach merged into an alert
  already in the queue). **Delay**: from the first crossing of the true value over the yellow
  limit to that moment.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.rules.engine import _breach, observation_values  # noqa: E402
from server.rules.hours import OSLO  # noqa: E402
from server.rules.plan import VARIABLES  # noqa: E402
from server.sim.population import build_population  # noqa: E402
from server.sim.replay import Replay  # noqa: E402
from server.sim.schedule import parse_instant  # noqa: E402

NURSE_PATIENTS = 80
HOUR = 3600.0
DAY = 86400.0
STEP = 1800.0  # how finely the true value is scanned for the first crossing (s)
CLINICAL_EXTRA = ("questionnaire", "contact-request")
#: Days replayed before counting starts. A running centre knows its patients' recent values
#: (the suspect checks compare with the median of the last 10 days, at least 3 values) and
#: its recently handled alerts; a replay that starts cold knows neither, so its first days
#: would judge the rules on a state no centre is in. Both sides are counted from the same
#: moment; patients enrolled later still start cold, as they do in a centre.
WARM_UP_DAYS = 3


def _rule(task: dict[str, Any]) -> str:
    return str(task["code"]["coding"][0]["code"])


def _triggers_with_level(version: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    ref = None
    for entry in version.get("input", ()):
        code = entry["type"]["coding"][0]["code"]
        if code == "trigger":
            ref = entry["valueReference"]["reference"]
        elif code == "level" and ref is not None:
            out.append((ref, str(entry.get("valueCode"))))
            ref = None
    return out


def _prompted(ref: str) -> bool:
    """An Observation the rules asked for (server.sim.replay ids: "-m<n>" re-measure or symptom
    check, "-r<n>" after a reminder), not a scheduled one."""
    tail = ref.rsplit("-", 1)[-1]
    return len(tail) > 1 and tail[0] in "mr" and tail[1:].isdigit()


def _critical(version: dict[str, Any]) -> bool:
    """Whether the alert was raised at once as a suspect value past a critical limit."""
    for ext in version.get("extension", ()):
        if ext["url"].endswith("suspect-value"):
            return any(
                sub["url"] == "critical" and sub.get("valueBoolean") for sub in ext["extension"]
            )
    return False


def _time(version: dict[str, Any]) -> float:
    return parse_instant(version["meta"]["lastUpdated"])


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run(
    patients: int,
    days: int,
    seed: int,
    end: datetime,
    *,
    confirm_yellow: bool = True,
    warm_up: int = WARM_UP_DAYS,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    population = build_population(patients, seed=seed, now=end, history_days=days + warm_up)
    replay = Replay(population)
    # The plans' yellow-confirmation (off by default): yellow values re-measured first.
    for plan in replay.plans.values():
        for var in plan.confirm_yellow:
            plan.confirm_yellow[var] = confirm_yellow
    observations: list[dict[str, Any]] = []
    qr_flags: list[dict[str, Any]] = []
    contact_times: list[float] = []
    for res in replay.run():
        kind = res["resourceType"]
        if kind == "Observation":
            observations.append(res)
        elif kind == "QuestionnaireResponse":
            qr_flags.append(res)
        elif kind == "Communication" and any(
            c.get("code") == "contact-request" for cat in res["category"] for c in cat["coding"]
        ):
            contact_times.append(parse_instant(res["sent"]))
    elapsed = time.perf_counter() - t0
    # Everything is counted from the end of the warm-up (alerts by when a nurse could first
    # see them, baseline values by when they were measured, episodes by their first crossing).
    start, stop = replay.start + warm_up * DAY, replay.end
    followed = {
        s.patient_id: max(0.0, min(stop, s.discharged) - max(start, s.enrolled)) / DAY
        for s in replay.schedules
    }
    patient_days = sum(followed.values())
    contact_requests = sum(1 for t in contact_times if t >= start)
    observations = [o for o in observations if parse_instant(o["effectiveDateTime"]) >= start]
    qr_flags = [q for q in qr_flags if parse_instant(q["authored"]) >= start]

    # ----- ground truth: which observations were device errors, per patient per variable
    errors = replay.errors
    obs_by_ref: dict[str, dict[str, Any]] = {f"Observation/{o['id']}": o for o in observations}
    genuine: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    for ref, o in obs_by_ref.items():
        if errors.get(ref):
            continue
        pid = o["subject"]["reference"].split("/")[1]
        t = parse_instant(o["effectiveDateTime"])
        for var, _value in observation_values(o):
            genuine[(pid, var)].append((t, ref))

    # ----- the baseline: one alert per value past the patient's yellow or red limit, on the
    # scheduled measurements only: the extra ones exist because our rules asked for them (a
    # re-measurement, a symptom check, a reminder), which a plain system does not do.
    baseline: list[tuple[str, float, str, str, bool]] = []  # pid, t, ref, level, device error
    base_by_rule: Counter[str] = Counter()
    prompted = 0
    for ref, o in obs_by_ref.items():
        if _prompted(ref):
            prompted += 1
            continue
        pid = o["subject"]["reference"].split("/")[1]
        plan = replay.plans.get(pid)
        if plan is None:
            continue
        worst = None
        rule = ""
        for var, value in observation_values(o):
            hit = _breach(value, plan.bands.get(var, ()))
            if hit is not None and (worst is None or hit[0].level == "red"):
                worst = hit[0].level
                rule = VARIABLES[var].rule
        if worst is not None:
            baseline.append(
                (pid, parse_instant(o["effectiveDateTime"]), ref, worst, bool(errors.get(ref)))
            )
            base_by_rule[f"{rule} ({'high' if worst == 'red' else 'medium'})"] += 1
    qr_patient = {
        f"QuestionnaireResponse/{q['id']}": q["subject"]["reference"].split("/")[1]
        for q in qr_flags
    }
    qr_time = {f"QuestionnaireResponse/{q['id']}": parse_instant(q["authored"]) for q in qr_flags}
    qr_flagged = {
        f"QuestionnaireResponse/{q['id']}"
        for q in qr_flags
        if any(
            (a.get("valueCoding") or {}).get("system", "").endswith("alert-answer")
            or any(x["url"].endswith("alert-answer") for x in a.get("extension", ()))
            for item in q["item"]
            for a in item.get("answer", ())
        )
    }
    # A per-value system alerts on every flagged answer (ours: one alert per response).
    flagged_forms = sum(
        1
        for qr in qr_flags
        for item in qr["item"]
        for a in item.get("answer", ())
        if (a.get("valueCoding") or {}).get("system", "").endswith("alert-answer")
        or any(e["url"].endswith("alert-answer") for e in a.get("extension", ()))
    )

    # ----- our rules: nurse-facing alerts and when each trigger reached a nurse
    ours: list[dict[str, Any]] = []
    adherence = 0
    reached: dict[str, float] = {}  # trigger reference -> when a nurse could first see it
    by_rule: Counter[str] = Counter()
    held_closed = 0
    symptom_closed = 0
    after_handling = 0
    for rec in replay.tasks:
        versions = [*rec.history, rec.current]
        visible = [
            v
            for v in versions
            if v["status"] in ("requested", "in-progress", "on-hold", "completed")
        ]
        rule = _rule(rec.current)
        if parse_instant(versions[0]["meta"]["lastUpdated"]) < start and not any(
            v["status"] == "requested" and _time(v) >= start for v in versions
        ):
            continue  # raised (or held and closed) in the warm-up
        if any(v["status"] == "requested" and _time(v) < start for v in versions):
            continue  # a nurse could see it in the warm-up
        if not visible or (
            visible[0]["status"] == "completed"
            and len(visible) == 1
            and not any(v["status"] == "requested" for v in versions)
        ):
            if any(v["status"] == "draft" for v in versions):
                if rule == "questionnaire":
                    symptom_closed += 1
                else:
                    held_closed += 1
            continue
        first = next(v for v in versions if v["status"] == "requested")
        if (
            rule == "missing-measurement"
            and rec.current["priority"] == "routine"
            and first["priority"] == "routine"
        ):
            adherence += 1
            continue
        priority = {"asap": "high", "urgent": "medium", "routine": "low"}[
            max(
                (v["priority"] for v in visible),
                key=lambda p: {"routine": 0, "urgent": 1, "asap": 2}[p],
            )
        ]
        by_rule[f"{rule} ({priority})"] += 1
        triggers = [ref for ref, _level in _triggers_with_level(rec.current)]
        obs_triggers = [r for r in triggers if r.startswith("Observation/")]
        ours.append(
            {
                "pid": rec.current["for"]["reference"].split("/")[1],
                "rule": rule,
                "visible": _time(first),
                "device_error": bool(obs_triggers) and all(errors.get(r) for r in obs_triggers),
                "task": rec.id,
                "critical": _critical(first),
                "priority": first["priority"],
            }
        )
        seen_since = _time(first)
        known: set[str] = set()
        for v in versions:
            if v["status"] == "draft":
                continue
            if v["status"] in ("completed", "cancelled"):
                # Values added to a handled card (after-handling rule) reach no nurse's queue.
                after_handling += len(_triggers_with_level(rec.current)) - len(
                    _triggers_with_level(v)
                )
                break
            t = max(_time(v), seen_since)
            for ref, _level in _triggers_with_level(v):
                if ref not in known:
                    known.add(ref)
                    reached.setdefault(ref, t)

    # ----- deteriorations from the physiology, and whether each was caught
    episodes = []
    for s in replay.schedules:
        plan = replay.plans.get(s.patient_id)
        if plan is None:
            continue
        for e in s.physiology.episodes_between(start, stop):
            if e.start < start:
                continue  # began in the warm-up: judged on neither side
            affected = [v for v in e.effects if v in plan.bands or v in plan.trends]
            if not affected:
                continue
            first_yellow: dict[str, float] = {}
            first_red: dict[str, float] = {}
            t = max(e.start, start)
            while t <= min(e.end, stop):
                for var in affected:
                    bands = plan.bands.get(var, ())
                    hit = _breach(s.physiology.true_value(var, t), bands) if bands else None
                    if hit is not None:
                        first_yellow.setdefault(var, t)
                        if hit[0].level == "red":
                            first_red.setdefault(var, t)
                t += STEP
            window_end = min(stop, e.end + DAY)

            detect_yellow, detect_red = [], []
            for var in affected:
                bands = plan.bands.get(var, ())
                for tt, ref in genuine.get((s.patient_id, var), ()):
                    if not e.start <= tt <= e.end or not bands:
                        continue
                    o = obs_by_ref[ref]
                    value = dict(observation_values(o)).get(var)
                    hit = _breach(value, bands) if value is not None else None
                    if hit is not None:
                        detect_yellow.append(var)
                        if hit[0].level == "red":
                            detect_red.append(var)
            detect_yellow = sorted(set(detect_yellow))
            detect_red = sorted(set(detect_red))
            refs = {
                ref
                for var in affected
                for tt, ref in genuine.get((s.patient_id, var), ())
                if e.start <= tt <= window_end
            }
            # A questionnaire alert during the episode caught it too (a symptom report).
            proms = {
                r
                for r in reached
                if r.startswith("QuestionnaireResponse/")
                and qr_patient.get(r) == s.patient_id
                and e.start <= qr_time[r] <= window_end
            }
            ours_at = [reached[r] for r in refs | proms if r in reached]
            base_at = [
                t_
                for pid, t_, ref, _lvl, err in baseline
                if pid == s.patient_id and ref in refs and not err
            ] + [
                qr_time[r]
                for r in qr_flagged
                if qr_patient[r] == s.patient_id and e.start <= qr_time[r] <= window_end
            ]
            # The first moment the true (noise-free) value crossed yellow; without such a
            # crossing (noise alone crossed), the first genuine crossing measurement.
            crossing = min(
                (first_yellow[v] for v in detect_yellow if v in first_yellow), default=None
            )
            if crossing is None and detect_yellow:
                crossing = min(
                    tt
                    for var in detect_yellow
                    for tt, ref in genuine.get((s.patient_id, var), ())
                    if e.start <= tt <= e.end
                    and _breach(
                        dict(observation_values(obs_by_ref[ref])).get(var, 0.0), plan.bands[var]
                    )
                )
            episodes.append(
                {
                    "patient": s.patient_id,
                    "start": e.start,
                    "end": e.end,
                    "vars": detect_yellow,
                    "refs": sorted(refs),
                    "kind": e.kind,
                    "detect_yellow": bool(detect_yellow),
                    "detect_red": bool(detect_red),
                    "crossing": crossing,
                    "ours": min(ours_at) if ours_at else None,
                    "baseline": min(base_at) if base_at else None,
                    "interval": _interval(s, detect_yellow or affected),
                }
            )

    # ----- what each nurse-facing alert was, by the ground truth: the floor the issue's own
    # rules set (a contact request, a red answer and a value past a critical limit are always
    # shown) and what is above it.
    spans = defaultdict(list)
    for s in replay.schedules:
        for e in s.physiology.episodes_between(replay.start, stop):
            spans[s.patient_id].append((e.start, e.end + DAY))
    kinds: Counter[str] = Counter()
    for a in ours:
        a["episode"] = next(
            (i for i, (lo, hi) in enumerate(spans.get(a["pid"], ())) if lo <= a["visible"] <= hi),
            None,
        )
        in_episode = a["episode"] is not None
        if a["rule"] == "contact-request":
            kind = "contact request (always shown)"
        elif a["rule"] == "questionnaire":
            kind = (
                "questionnaire, red answer (always shown)"
                if a["priority"] == "asap"
                else "questionnaire, yellow (symptom check not answered or confirmed)"
            )
        elif a["device_error"] and a["critical"]:
            kind = "device error past a critical limit (never held: shown, marked)"
        elif a["device_error"]:
            kind = "device error, other (no pattern, no history, or not re-measured)"
        elif in_episode:
            kind = "value during a deterioration"
        else:
            kind = "value, no deterioration (noise past a limit)"
        kinds[kind] += 1

    ceiling = consolidation_ceiling(ours)

    # ----- figures
    value_rules = {r for r in by_rule if not r.startswith(CLINICAL_EXTRA)}
    ours_values = sum(n for r, n in by_rule.items() if r in value_rules)
    ours_all = sum(by_rule.values())
    base_values = len(baseline)
    base_all = base_values + flagged_forms + contact_requests

    def caught(kind: str, who: str) -> tuple[int, int]:
        relevant = [e for e in episodes if e[f"detect_{kind}"]]
        return sum(1 for e in relevant if e[who] is not None), len(relevant)

    def delays(who: str) -> list[float]:
        return [
            max(0.0, e[who] - e["crossing"]) / HOUR
            for e in episodes
            if e["detect_yellow"] and e[who] is not None and e["crossing"] is not None
        ]

    in_episode = sum(
        1
        for a in ours
        if any(e["patient"] == a["pid"] and e["crossing"] is not None for e in episodes)
    )
    true_episodes = sum(1 for e in episodes if e["detect_yellow"])
    interval = statistics.median([e["interval"] for e in episodes if e["detect_yellow"]] or [24.0])
    result = {
        "patients": patients,
        "days": days,
        "warm_up_days": warm_up,
        "patient_days": round(patient_days, 1),
        "seconds": round(elapsed, 2),
        "observations": len(observations),
        "prompted_observations": prompted,
        "ours": {
            "nurse_facing": ours_all,
            "value_alerts": ours_values,
            "per_patient_day": ours_all / patient_days,
            "value_per_patient_day": ours_values / patient_days,
            "per_nurse_day": ours_all / patient_days * NURSE_PATIENTS,
            "by_rule": dict(sorted(by_rule.items())),
            "by_truth": dict(kinds.most_common()),
            "device_error_share": sum(a["device_error"] for a in ours) / max(1, len(ours)),
            "held_closed_as_error": held_closed,
            "added_after_handling": after_handling,
            "symptom_checks_closed": symptom_closed,
            "adherence_per_patient_day": adherence / patient_days,
            "adherence_items": adherence,
            "alerts_per_deterioration": ours_all / max(1, true_episodes),
            "alerts_on_deteriorating_patients": in_episode,
            "one_card_per_deterioration": ceiling,
        },
        "baseline": {
            "nurse_facing": base_all,
            "value_alerts": base_values,
            "per_patient_day": base_all / patient_days,
            "value_per_patient_day": base_values / patient_days,
            "per_nurse_day": base_all / patient_days * NURSE_PATIENTS,
            "by_rule": dict(sorted(base_by_rule.items())),
            "device_error_share": sum(1 for b in baseline if b[4]) / max(1, base_values),
            "alerts_per_deterioration": base_all / max(1, true_episodes),
        },
        "deteriorations": {
            "episodes": len(episodes),
            "detectable_yellow": true_episodes,
            "detectable_red": sum(1 for e in episodes if e["detect_red"]),
            "ours_yellow": caught("yellow", "ours"),
            "ours_red": caught("red", "ours"),
            "baseline_yellow": caught("yellow", "baseline"),
            "baseline_red": caught("red", "baseline"),
            "ours_delay_h": (percentile(delays("ours"), 0.5), percentile(delays("ours"), 0.9)),
            "baseline_delay_h": (
                percentile(delays("baseline"), 0.5),
                percentile(delays("baseline"), 0.9),
            ),
            "measurement_interval_h": interval,
        },
        "replay": dict(replay.stats),
        "missed": [
            {k: v for k, v in e.items() if k != "refs"}
            for e in episodes
            if e["detect_yellow"] and e["ours"] is None
        ],
    }
    result["_episodes"] = episodes
    result["_ours"] = ours
    result["_replay"] = replay
    result["_obs"] = obs_by_ref
    return result


def always_shown(card: dict[str, Any]) -> bool:
    """A card the issue's own rules always show: a contact request, a red answer, a value past
    a critical limit (held never, even when it is a device error)."""
    return (
        card["rule"] == "contact-request"
        or (card["rule"] == "questionnaire" and card["priority"] == "asap")
        or bool(card["device_error"] and card["critical"])
    )


def consolidation_ceiling(cards: list[dict[str, Any]]) -> dict[str, int]:
    """How few cards the rules could show by consolidating alone, judged by the ground truth.

    Not a rule: it knows which cards came during the same deterioration (``episode``, from the
    physiology) and which were device errors, which no rule can. It keeps every card the
    issue's rules always show and every card outside a deterioration (a device error a pattern
    or a re-measurement could not tell from a real value, noise past the patient's own limit, a
    yellow form whose symptom check found nothing or was not answered), and folds all the
    other cards of one deterioration into one. If this is above 40 % of the baseline, no way of
    merging or folding cards reaches "60 % fewer": only dropping cards the rules must show, or
    not catching deteriorations, would."""
    floor = sum(1 for c in cards if always_shown(c))
    during = [
        (c["pid"], c["episode"])
        for c in cards
        if not always_shown(c) and not c["device_error"] and c.get("episode") is not None
    ]
    rest = len(cards) - floor - len(during)
    episodes = len(set(during))
    return {
        "always_shown": floor,
        "outside_deteriorations": rest,
        "during_deteriorations": len(during),
        "deteriorations_with_cards": episodes,
        "cards": floor + rest + episodes,
    }


def _interval(schedule: Any, variables: list[str]) -> float:
    """The scheduled interval (hours) between measurements of the first variable's kind."""
    want = (
        "bp"
        if variables and variables[0] in ("sys", "dia")
        else (variables[0] if variables else "")
    )
    for session in schedule.programme.sessions:
        if want in session.kinds:
            per_day = max(1, len(session.times) + len(session.optional_times) // 2)
            return 24.0 * session.every_days / per_day
    return 24.0


def row(label: str, ours: float, base: float, fmt: str = ".3f") -> str:
    return f"{label:44} {ours:10{fmt}} {base:10{fmt}}"


def report(r: dict[str, Any]) -> str:
    o, b, d = r["ours"], r["baseline"], r["deteriorations"]
    lines = [
        f"Alert burden: {r['patients']} patients x {r['days']} days = {r['patient_days']} "
        f"patient-days, {r['observations']} observations ({r['prompted_observations']} asked for "
        f"by the rules: not in the baseline), counted after {r['warm_up_days']} days of warm-up; "
        f"replayed in {r['seconds']} s",
        "",
        f"{'':44} {'rules':>10} {'baseline':>10}",
        row("nurse-facing alerts per patient-day", o["per_patient_day"], b["per_patient_day"]),
        row("  of which about values", o["value_per_patient_day"], b["value_per_patient_day"]),
        row(
            "nurse-facing alerts per nurse per day (80 pt)",
            o["per_nurse_day"],
            b["per_nurse_day"],
            ".2f",
        ),
        row(
            "share caused by device errors",
            o["device_error_share"],
            b["device_error_share"],
            ".1%",
        ),
        row(
            "alerts per true deterioration",
            o["alerts_per_deterioration"],
            b["alerts_per_deterioration"],
            ".2f",
        ),
        f"{'adherence items per patient-day (own list)':44} "
        f"{o['adherence_per_patient_day']:10.3f} {'-':>10}",
        "",
    ]
    reduction = 1 - o["per_patient_day"] / b["per_patient_day"] if b["per_patient_day"] else 0.0
    value_reduction = (
        1 - o["value_per_patient_day"] / b["value_per_patient_day"]
        if b["value_per_patient_day"]
        else 0.0
    )
    ry, ny = d["ours_yellow"]
    rr, nr = d["ours_red"]
    by_, _ = d["baseline_yellow"]
    br, _ = d["baseline_red"]
    (om, op), (bm, bp) = d["ours_delay_h"], d["baseline_delay_h"]
    fmt = lambda x: "-" if x is None else f"{x:.1f} h"  # noqa: E731
    lines += [
        f"deteriorations: {d['episodes']} episodes, {ny} detectable at yellow, {nr} at red",
        f"{'caught, crossing yellow':44} {ry:>5}/{ny:<4} {by_:>5}/{ny:<4}",
        f"{'caught, crossing red':44} {rr:>5}/{nr:<4} {br:>5}/{nr:<4}",
        f"{'first yellow crossing -> alert, median':44} {fmt(om):>10} {fmt(bm):>10}",
        f"{'first yellow crossing -> alert, p90':44} {fmt(op):>10} {fmt(bp):>10}",
        f"(median scheduled measurement interval: {d['measurement_interval_h']:.1f} h)",
        "",
        "by rule and priority (rules):",
        *(f"  {k:42} {v:6}" for k, v in o["by_rule"].items()),
        "what the rules' alerts were (ground truth):",
        *(f"  {k:64} {v:5}" for k, v in o["by_truth"].items()),
        "by rule and priority (baseline, one per value):",
        *(f"  {k:42} {v:6}" for k, v in b["by_rule"].items()),
        "",
        "targets:",
        f"  >= 60 % fewer nurse-facing alerts per patient-day: {reduction:.1%} "
        f"({'met' if reduction >= 0.6 else 'MISSED'}); about values alone {value_reduction:.1%}",
        f"  100 % of red-crossing deteriorations caught: {rr}/{nr} "
        f"({'met' if rr == nr else 'MISSED'})",
        f"  >= 95 % of yellow-crossing deteriorations caught: {ry / max(1, ny):.1%} "
        f"({'met' if ry >= 0.95 * ny else 'MISSED'})",
    ]
    c = o["one_card_per_deterioration"]
    ceiling = 1 - c["cards"] / b["nurse_facing"] if b["nurse_facing"] else 0.0
    lines.append(
        f"  ceiling of consolidation (ground truth, not a rule): {c['always_shown']} always "
        f"shown + {c['outside_deteriorations']} outside deteriorations + one card for each of "
        f"{c['deteriorations_with_cards']} deteriorations (now {c['during_deteriorations']} "
        f"cards) = {c['cards']}: {ceiling:.1%} fewer"
    )
    if om is not None and bm is not None:
        limit = bm + d["measurement_interval_h"]
        lines.append(
            f"  median delay <= baseline + one interval ({limit:.1f} h): {om:.1f} h "
            f"({'met' if om <= limit else 'MISSED'})"
        )
    lines.append(
        f"  held suspect values closed as measurement errors before a nurse saw them: "
        f"{o['held_closed_as_error']}"
    )
    lines.append(
        f"  yellow questionnaires closed by normal measurements (symptom check): "
        f"{o['symptom_checks_closed']}"
    )
    lines.append(
        f"  repeat breaches added to a card a nurse had just handled (no new card): "
        f"{o['added_after_handling']}"
    )
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--patients", type=int, default=600)
    p.add_argument("--days", type=int, default=14)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--end", default="2026-11-23T08:10:00+01:00")
    p.add_argument("--json", type=Path, default=None)
    p.add_argument(
        "--warm-up",
        type=int,
        default=WARM_UP_DAYS,
        help="days replayed before counting starts (0: count from a cold start)",
    )
    p.add_argument(
        "--yellow-confirmation",
        action="store_true",
        help="plans ask for a confirming re-measurement of a yellow value first",
    )
    p.add_argument(
        "--hash-seed",
        default="0",
        help="PYTHONHASHSEED for the run (the replay's event order depends on it): the same "
        "value gives the same figures; 'random' leaves it to Python",
    )
    args = p.parse_args()
    if args.hash_seed != "random" and os.environ.get("PYTHONHASHSEED") != args.hash_seed:
        env = {**os.environ, "PYTHONHASHSEED": args.hash_seed}
        return subprocess.call([sys.executable, *sys.argv], env=env)
    end = datetime.fromisoformat(args.end).astimezone(OSLO)
    result = run(
        args.patients,
        args.days,
        args.seed,
        end,
        confirm_yellow=args.yellow_confirmation,
        warm_up=args.warm_up,
    )
    if result["patient_days"] < 3000:
        print(f"note: only {result['patient_days']} patient-days (the issue asks >= 3,000)")
    print(report(result))
    print(f"(PYTHONHASHSEED={os.environ.get('PYTHONHASHSEED', 'random')})")
    if args.json:
        public = {k: v for k, v in result.items() if not k.startswith("_")}
        args.json.write_text(json.dumps(public, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
