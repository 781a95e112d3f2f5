"""Scoring a session from its ground truth and what each trainee did (docs/training.md).

Per trainee and scenario: time to claim, to open the patient and to resolve (simulated
seconds from the scenario's key alert), the outcome chosen against the expected ones, alerts
missed (raised, never claimed within the expected time, or escalated by the server first),
messages sent and escalations (referrals and forwards). The score (0-100) is a weighted sum
of those parts; each part that cost points leaves a note in en/nb/nn.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from server.rules.codes import ALERT_RULE_SYSTEM
from server.sim.schedule import parse_instant

if TYPE_CHECKING:
    from server.training.runner import Instance, Session, TrainingRunner

WEIGHTS: Final = {
    "outcome": 35,
    "claim": 20,
    "resolve": 15,
    "open": 10,
    "missed": 10,
    "actions": 10,
}
REFERRALS: Final = {"advised-gp", "referred-legevakt", "called-113"}
DEFAULT_CLAIM_MIN: Final = 15.0
DEFAULT_RESOLVE_MIN: Final = 60.0
OUTCOME_TEXT: Final = {
    "contacted-patient": ("contacted the patient", "kontaktet pasienten", "kontakta pasienten"),
    "advised-gp": ("advised the GP", "rådet fastlegen", "rådde fastlegen"),
    "referred-legevakt": ("referred to legevakt", "henviste til legevakt", "viste til legevakt"),
    "called-113": ("called 113", "ringte 113", "ringde 113"),
    "measurement-error": ("measurement error", "målefeil", "målefeil"),
    "no-action-needed": ("no action needed", "ingen tiltak nødvendig", "ingen tiltak naudsynt"),
}
ACTION_TEXT: Final = {
    "message-patient": ("write to the patient", "skrive til pasienten", "skrive til pasienten"),
    "message-relative": ("answer the relative", "svare pårørende", "svare pårørande"),
    "message-colleague": (
        "write to the other service",
        "skrive til den andre tjenesten",
        "skrive til den andre tenesta",
    ),
    "video-call": ("start a video call", "starte en videosamtale", "starte ein videosamtale"),
    "remeasure-request": ("ask for a new measurement", "be om ny måling", "be om ny måling"),
    "no-patient-message": (
        "leave the patient to the colleague who has the alert (no second message)",
        "la kollegaen som har varselet ta pasienten (ingen ekstra melding)",
        "la kollegaen som har varselet ta pasienten (inga ekstra melding)",
    ),
}


def _text(en: str, nb: str, nn: str) -> dict[str, str]:
    return {"en": en, "nb": nb, "nn": nn}


def _outcome(code: str | None) -> tuple[str, str, str]:
    if code is None:
        return ("none", "ingen", "ingen")
    return OUTCOME_TEXT.get(code, (code, code, code))


def _t(x: Any) -> float:
    return parse_instant(str(x))


def _rule(task: Mapping[str, Any]) -> str | None:
    for c in (task.get("code") or {}).get("coding", ()):
        if c.get("system") == ALERT_RULE_SYSTEM:
            return str(c.get("code"))
    return None


def _clinical(task: Mapping[str, Any], expected_rules: set[str]) -> bool:
    rule = _rule(task)
    if rule is None:
        return False
    if rule in expected_rules:
        return True
    adherence = any(
        str(e.get("url", "")).endswith("/alert-class") and e.get("valueCode") == "adherence"
        for e in task.get("extension", ())
    )
    return not adherence and rule != "missing-measurement"


def _part(earned: float, weight: float) -> float:
    return max(0.0, min(float(weight), earned))


def _timely(seconds: float | None, limit_min: float, weight: float) -> float:
    """Full marks within the limit, falling to none at four times the limit."""
    if seconds is None:
        return 0.0
    limit = limit_min * 60.0
    if seconds <= limit:
        return float(weight)
    return _part(weight * (1 - (seconds - limit) / (3 * limit)), weight)


def _wall(start: float, end: float) -> float:
    return max(0.0, end - start)


def score_instance(
    inst: Instance,
    tasks: list[dict[str, Any]],
    actions: list[dict[str, Any]],
    now: float,
    elapsed: Callable[[float, float], float] = _wall,
) -> dict[str, Any]:
    """One trainee's result in one scenario. `elapsed(a, b)` counts the seconds between two
    simulated instants that matter (opening hours of the patient's centre, as the lead's
    review counts them)."""
    sc = inst.scenario
    expected = sc.expected
    trainee = inst.trainee.username if inst.trainee else None
    pids = set(inst.patients.values())
    mine = [a for a in actions if a.get("patient") in pids and a.get("trainee") == trainee]
    expected_alerts = expected.get("alerts") or []
    expected_rules = {a["rule"] for a in expected_alerts}
    clinical = sorted(
        (t for t in tasks if _clinical(t, expected_rules)), key=lambda t: str(t.get("authoredOn"))
    )
    key = None
    if expected_alerts:
        main = expected_alerts[0]
        pid = inst.patients[main["patient"]]
        key = next(
            (
                t
                for t in clinical
                if _rule(t) == main["rule"]
                and str((t.get("for") or {}).get("reference")) == f"Patient/{pid}"
            ),
            None,
        )
    key = key or (clinical[0] if clinical else None)
    t_alert = _t(key["authoredOn"]) if key and key.get("authoredOn") else None
    if key is None:  # nothing to claim (a relative writes): timed from the first message
        t_alert = next(
            (
                inst.t0 + float(e["at"]) * 60.0
                for e in sc.events
                if e["kind"] in ("message", "service-message")
                and inst.t0 + float(e["at"]) * 60.0 <= now
            ),
            None,
        )

    def first(kind: str) -> dict[str, Any] | None:
        return next((a for a in mine if a["kind"] == kind), None)

    def since_alert(action: dict[str, Any] | None) -> float | None:
        if action is None or t_alert is None:
            return None
        return round(elapsed(t_alert, max(t_alert, _t(action["at"]))), 1)

    claim, opened, resolved = first("claim"), first("open"), first("resolve")
    outcome = resolved.get("detail") if resolved else None
    wanted = list(expected["outcome"])
    trainee_claims = bool(expected.get("trainee_claims", True))
    claim_limit = float(expected.get("claim_within_minutes", DEFAULT_CLAIM_MIN))
    resolve_limit = float(expected.get("resolve_within_minutes", DEFAULT_RESOLVE_MIN))
    notes: list[dict[str, str]] = []
    parts: dict[str, float] = {}

    if key is None and not expected_alerts:
        trainee_claims = False  # no alert to claim: judged by the answer (below)
    if trainee_claims:
        correct = outcome in wanted
        parts["outcome"] = WEIGHTS["outcome"] if correct else 0.0
        if resolved is None:
            notes.append(
                _text(
                    "The alert was not resolved.",
                    "Varselet ble ikke avsluttet.",
                    "Varselet vart ikkje avslutta.",
                )
            )
        elif not correct:
            got, exp = _outcome(outcome), _outcome(wanted[0])
            notes.append(
                _text(
                    f"Outcome chosen: {got[0]}; expected: {exp[0]}.",
                    f"Valgt utfall: {got[1]}; forventet: {exp[1]}.",
                    f"Valt utfall: {got[2]}; venta: {exp[2]}.",
                )
            )
        time_to_claim = since_alert(claim)
        parts["claim"] = _timely(time_to_claim, claim_limit, WEIGHTS["claim"])
        if claim is None:
            notes.append(
                _text(
                    "The alert was never claimed.",
                    "Varselet ble aldri tatt.",
                    "Varselet vart aldri teke.",
                )
            )
        elif time_to_claim is not None and time_to_claim > claim_limit * 60:
            slow = time_to_claim / 60
            notes.append(
                _text(
                    f"Claimed after {slow:.0f} min (expected within {claim_limit:g}).",
                    f"Tatt etter {slow:.0f} min (forventet innen {claim_limit:g}).",
                    f"Teke etter {slow:.0f} min (venta innan {claim_limit:g}).",
                )
            )
        time_to_resolve = since_alert(resolved)
        parts["resolve"] = _timely(time_to_resolve, resolve_limit, WEIGHTS["resolve"])
        if time_to_resolve is not None and time_to_resolve > resolve_limit * 60:
            late = time_to_resolve / 60
            notes.append(
                _text(
                    f"Resolved after {late:.0f} min (expected within {resolve_limit:g}).",
                    f"Avsluttet etter {late:.0f} min (forventet innen {resolve_limit:g}).",
                    f"Avslutta etter {late:.0f} min (venta innan {resolve_limit:g}).",
                )
            )
    elif key is None and not expected_alerts:
        answer = first("message") or first("video-call")
        time_to_claim, time_to_resolve = since_alert(claim), since_alert(answer)
        correct = answer is not None
        parts["outcome"] = WEIGHTS["outcome"] if correct else 0.0
        parts["claim"] = WEIGHTS["claim"]
        parts["resolve"] = _timely(time_to_resolve, claim_limit, WEIGHTS["resolve"])
        if answer is None:
            notes.append(
                _text(
                    "The message was never answered.",
                    "Meldingen ble aldri besvart.",
                    "Meldinga vart aldri svara på.",
                )
            )
    else:
        took = claim is not None or resolved is not None
        correct = not took
        parts["outcome"] = 0.0 if took else WEIGHTS["outcome"]
        parts["claim"] = WEIGHTS["claim"]
        parts["resolve"] = WEIGHTS["resolve"]
        time_to_claim, time_to_resolve = since_alert(claim), since_alert(resolved)
        if took:
            notes.append(
                _text(
                    "Took over an alert a colleague was already handling.",
                    "Tok over et varsel en kollega allerede håndterte.",
                    "Tok over eit varsel ein kollega alt handterte.",
                )
            )
    parts["open"] = WEIGHTS["open"] if opened is not None else 0.0
    if opened is None:
        notes.append(
            _text(
                "The patient was never opened.",
                "Pasienten ble aldri åpnet.",
                "Pasienten vart aldri opna.",
            )
        )

    missed = 0
    server_escalations = 0
    for task in clinical:
        tid = task.get("id")
        escalated = any(
            str(e.get("url", "")).endswith("/escalated-at") for e in task.get("extension", ())
        )
        claimed_at = next(
            (a for a in actions if a.get("task") == tid and a["kind"] in ("claim", "resolve")), None
        )
        escalated_first = escalated and (
            claimed_at is None
            or any(
                a.get("task") == tid and a["kind"] == "escalated" and a["at"] <= claimed_at["at"]
                for a in actions
            )
        )
        server_escalations += int(escalated)
        status = task.get("status")
        waiting = status == "requested" and not task.get("owner")
        age = elapsed(_t(task["authoredOn"]), now) if task.get("authoredOn") else 0.0
        if escalated_first or (waiting and age > claim_limit * 60):
            missed += 1
    parts["missed"] = _part(WEIGHTS["missed"] - 5 * missed, WEIGHTS["missed"])
    if missed:
        notes.append(
            _text(
                f"{missed} alert(s) missed (not claimed in time or escalated).",
                f"{missed} varsel ikke fanget opp (ikke tatt i tide eller eskalert).",
                f"{missed} varsel ikkje fanga opp (ikkje teke i tide eller eskalert).",
            )
        )

    messages = [a for a in mine if a["kind"] == "message"]
    videos = [a for a in mine if a["kind"] == "video-call"]
    done: set[str] = set()
    relatives = {f"RelatedPerson/{r}" for r in inst.relatives.values()}
    for m in messages:
        recipients = set(m.get("recipients") or ())
        if m.get("detail") == "colleague-thread":
            done.add("message-colleague")
        elif m.get("detail") == "remeasure-request":
            done.add("remeasure-request")
            done.add("message-patient")
        else:
            if recipients & relatives:
                done.add("message-relative")
            if not recipients & relatives or any(r.startswith("Patient/") for r in recipients):
                done.add("message-patient")
    if videos:
        done.add("video-call")
    wanted_actions = [a for a in expected.get("actions") or () if a in ACTION_TEXT]
    if "no-patient-message" in wanted_actions and "message-patient" not in done:
        done.add("no-patient-message")
    if wanted_actions:
        hit = [a for a in wanted_actions if a in done]
        parts["actions"] = WEIGHTS["actions"] * len(hit) / len(wanted_actions)
        for a in wanted_actions:
            if a not in done:
                en, nb, nn = ACTION_TEXT[a]
                notes.append(_text(f"Expected to {en}.", f"Forventet å {nb}.", f"Venta å {nn}."))
    else:
        parts["actions"] = WEIGHTS["actions"]
    escalations = sum(1 for a in mine if a["kind"] == "escalate") + sum(
        1 for a in mine if a["kind"] == "resolve" and a.get("detail") in REFERRALS
    )
    total = sum(parts.values())
    return {
        "name": sc.name,
        "title": sc.title,
        "patients": sorted(pids),
        "alerts": len(clinical),
        "time_to_claim_s": time_to_claim,
        "time_to_open_s": since_alert(opened),
        "time_to_resolve_s": time_to_resolve,
        "outcome": outcome,
        "expected_outcome": wanted[0],
        "accepted_outcomes": wanted,
        "outcome_correct": correct,
        "alerts_missed": missed,
        "messages_sent": len(messages),
        "video_calls": len(videos),
        "escalations": escalations,
        "server_escalations": server_escalations,
        "score": round(100 * total / sum(WEIGHTS.values())),
        "parts": {k: round(v, 1) for k, v in parts.items()},
        "truth": sc.truth["summary"],
        "debrief": dict(sc.expected.get("debrief") or sc.truth["summary"]),
        "notes": notes,
    }


async def score(runner: TrainingRunner, only: str | None = None) -> dict[str, Any]:
    """The ``$scenario-score`` answer; `only` limits it to one trainee (a nurse asking)."""
    session: Session | None = runner.session
    if session is None:
        return {"session": None, "trainees": [], "group": {}}
    await runner.collect_opens()
    now = runner.clock.now()
    elapsed = await runner.elapsed()
    entries: dict[str, list[dict[str, Any]]] = {}
    names = {t.username: t.name for t in session.trainees}
    for inst in session.instances:
        if inst.trainee is None:
            continue
        if only is not None and inst.trainee.username != only:
            continue
        tasks: list[dict[str, Any]] = []
        for pid in inst.patients.values():
            tasks += await runner.service.run(
                runner._search, "Task", [("patient", f"Patient/{pid}")]
            )
        entries.setdefault(inst.trainee.username, []).append(
            score_instance(inst, tasks, session.actions, now, elapsed(inst))
        )
    trainees = [
        {
            "trainee": u,
            "name": names.get(u, u),
            "scenarios": rows,
            "score": round(statistics.fmean(r["score"] for r in rows)) if rows else 0,
        }
        for u, rows in entries.items()
    ]
    rows = [r for rs in entries.values() for r in rs]
    claims = [r["time_to_claim_s"] for r in rows if r["time_to_claim_s"] is not None]
    resolves = [r["time_to_resolve_s"] for r in rows if r["time_to_resolve_s"] is not None]
    per_scenario: dict[str, list[int]] = {}
    for r in rows:
        per_scenario.setdefault(r["name"], []).append(r["score"])
    group = {
        "trainees": len(trainees),
        "scenarios": len(per_scenario),
        "mean_score": round(statistics.fmean(r["score"] for r in rows), 1) if rows else None,
        "median_time_to_claim_s": statistics.median(claims) if claims else None,
        "median_time_to_resolve_s": statistics.median(resolves) if resolves else None,
        "outcomes_correct": sum(1 for r in rows if r["outcome_correct"]),
        "outcomes": len(rows),
        "alerts_missed": sum(r["alerts_missed"] for r in rows),
        "messages_sent": sum(r["messages_sent"] for r in rows),
        "escalations": sum(r["escalations"] for r in rows),
        "by_scenario": {k: round(statistics.fmean(v), 1) for k, v in per_scenario.items()},
    }
    if only is not None:
        group = {}
    return {
        "session": session.id,
        "sim_time": runner.status()["sim_time"],
        "trainees": trainees,
        "group": group,
    }
