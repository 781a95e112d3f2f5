"""Seeding by replay: the month before "now" simulated through the same rules as the live server.

:class:`Replay` runs a discrete-event simulation over the seeded history window, in memory,
and yields every resource for one bulk load (no HTTP, no per-resource transactions):

- **patients** measure on their schedules (habits, adherence, days away, hospital admissions,
  discharge from the follow-up) through the same physiology as the live simulator, with device
  errors; they answer their programme's questionnaires, write questions and "please contact me"
  messages, re-measure when asked to, and measure late after a reminder;
- **the rules** are the live engine's pure functions (:mod:`server.rules.assess`,
  :mod:`server.rules.decide`, :mod:`server.rules.escalation`), evaluated at the simulated time of
  each event: alerts are raised when the values came (``authoredOn`` = the event time), suspect
  values are held for a re-measurement, reminders and adherence items follow the plan, alerts
  raised while the centre is closed are marked out of hours (a red one sends the patient the
  plan's advice), and unclaimed high alerts escalate in service hours with one digest per lead;
- **simulated nurses** of each department work the queue in its service hours, in triage order
  (clinical cards first, then adherence items in two rounds a day), claim and resolve with
  realistic delays and outcomes (judged from what a nurse would find out by calling, i.e. the
  simulator's ground truth), comment, write the DetectedIssue and the draft journal note
  (Composition), message patients and sometimes start a video call;
- **ground truth** (device errors, skipped measurements and why) is collected in
  :attr:`Replay.truth` for the ``sim_truth`` table; episodes and admissions come from the
  physiology itself.

Observations are yielded as they are made (memory stays at the alerts and messages, not the
half million values of a 5,000-patient month); everything else is yielded at the end, Tasks
with their earlier versions (``_history``) so each seeded alert shows how it was handled.
Deterministic for a given population, seed and end time.
"""

from __future__ import annotations

import heapq
import html
import json
import math
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from server.rules import escalation as esc
from server.rules.assess import assess_observation
from server.rules.codes import (
    ALERT_OUTCOME_SYSTEM,
    ALERT_RULE_SYSTEM,
    CLAIMED_AT_URL,
    COMMUNICATION_CATEGORY_SYSTEM,
    MESSAGE_KEY_SYSTEM,
    PATIENT_THREAD,
    REMEASURE_CATEGORY,
    RULES,
    THREAD_ID_URL,
)
from server.rules.decide import (
    Decision,
    Setting,
    awaiting_remeasure,
    awake,
    decide_arrived,
    decide_finding,
    decide_missing,
    decide_normal,
    decide_symptom_check,
    fill_task_reference,
    held_until,
    iso,
    message_key,
    release_held,
)
from server.rules.engine import (
    Finding,
    evaluate_communication,
    evaluate_missing,
    evaluate_questionnaire,
    finding_due,
    next_due,
    shallow,
    task_severity,
)
from server.rules.hours import OSLO, ServiceHours, healthcare_service, weekly
from server.rules.plan import PatientPlan, build_patient_plan, patient_id_of, variables_of
from server.rules.suspect import Sample
from server.sim.messaging import CONTACT_REQUESTS, QUESTIONS, REPLIES
from server.sim.observations import BUILDERS, iso_utc
from server.sim.physiology import REPEAT_ERROR_PROBABILITY
from server.sim.population import Population
from server.sim.questionnaires import FORMS, form_of, questionnaires, respond
from server.sim.rand import mix, text_key
from server.sim.relatives import PROXY, RELATIVE_ROLE_SYSTEM
from server.sim.schedule import local_day, local_day_start

_NS: Final = uuid.UUID("0d6f3c0e-5b7e-4f36-9d0c-8f1b7a9e2c11")
PATIENTS_PER_NURSE: Final = 80
MINUTE: Final = 60.0
HOUR: Final = 3600.0
DAY: Final = 86400.0

# Event kinds, in the order they are handled at the same instant.
DAYSTART, SLOT, EXTRA, QUESTIONNAIRE, PATIENT_MSG, MISSING, HOLD = range(7)
ESCALATE, DISPATCH, CLAIM, RESOLVE, NURSE_REPLY, PATIENT_REPLY, DISCHARGE = range(7, 14)

# Service hours seeded per response centre (HealthcareService): (days, start, end).
CENTRE_HOURS: Final[dict[str, tuple[tuple[int, ...], str, str]]] = {
    "felles-responssenter-sor-rogaland": (tuple(range(5)), "08:00:00", "15:30:00"),
    "responssenter-hjemmesykepleien-sandnes": (tuple(range(5)), "08:00:00", "20:00:00"),
}


@dataclass(frozen=True)
class Behaviour:
    """How the simulated people behave; figures and their sources: docs/simulator.md."""

    remeasure_answer: float = 0.85  # patients who re-measure when asked (messaging: 0.85)
    remeasure_delay: tuple[float, float] = (5 * MINUTE, 40 * MINUTE)
    reminder_answer: float = 0.6  # patients who measure after a reminder
    reminder_delay: tuple[float, float] = (10 * MINUTE, 120 * MINUTE)
    questionnaire_done: float = 0.85
    questions_per_day: float = 0.008
    contact_requests_per_day: float = 0.004
    patient_reply: float = 0.3
    reaction: tuple[float, float] = (1 * MINUTE, 6 * MINUTE)  # nurse sees -> claims
    handle_high: tuple[float, float] = (8 * MINUTE, 25 * MINUTE)
    handle_medium: tuple[float, float] = (5 * MINUTE, 18 * MINUTE)
    handle_adherence: tuple[float, float] = (2 * MINUTE, 8 * MINUTE)
    # Local times (hours) of the two daily adherence rounds, and how long each lasts.
    rounds: tuple[float, ...] = (10.0, 13.5)
    round_length: float = 1.5 * HOUR
    video_share: float = 0.15
    follow_up_message: float = 0.2


@dataclass
class TaskRec:
    """One alert Task being written: its current version and the earlier ones."""

    id: str
    current: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)
    department: str | None = None
    taken: bool = False  # a simulated nurse is on her way to claim it


@dataclass
class Dept:
    id: str
    nurses: list[tuple[str, str]]
    hours: ServiceHours
    free_at: list[float]
    dispatch_at: float | None = None


def _rel(obj: Mapping[str, Any] | None) -> str | None:
    ref = str((obj or {}).get("reference") or "")
    return ref.split("/", 1)[1] if "/" in ref else None


def _rule(task: Mapping[str, Any]) -> str:
    for c in (task.get("code") or {}).get("coding", ()):
        if c.get("system") == ALERT_RULE_SYSTEM:
            return str(c.get("code"))
    return ""


def _lognormal(rng: random.Random, low: float, high: float) -> float:
    """Skewed towards `low`: exp of a uniform between log(low) and log(high)."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


class Replay:
    """The history window of a population, simulated; iterate :meth:`run` for the resources."""

    def __init__(
        self,
        population: Population,
        *,
        end: float | None = None,
        behaviour: Behaviour | None = None,
        escalate_after: float = esc.DEFAULT_AFTER,
        nurses: bool = True,
    ) -> None:
        self.pop = population
        self.seed = population.seed
        self.end = end if end is not None else population.now.timestamp()
        self.start = self.end - population.history_days * DAY
        self.b = behaviour or Behaviour()
        self.escalate_after = escalate_after
        self.with_nurses = nurses
        self.rng = random.Random(mix(self.seed, 301))
        self.stats: Counter[str] = Counter()
        self.truth: list[tuple[str, str, int, int, str]] = []
        self.errors: dict[str, bool] = {}  # Observation reference -> device error (all values)
        self.tasks: list[TaskRec] = []
        self.extra: list[dict[str, Any]] = []  # resources yielded at the end
        self._out: list[dict[str, Any]] = []
        self._heap: list[tuple[float, int, int, Any]] = []
        self._n = 0
        self._ids: Counter[str] = Counter()
        self._keys: set[str] = set()
        self._setup()

    # ----- set-up --------------------------------------------------------------------------

    def _setup(self) -> None:
        pop = self.pop
        self.schedules = pop.schedules
        self.index = {s.patient_id: i for i, s in enumerate(self.schedules)}
        self.names = {p["id"]: p["name"][0]["text"] for p in pop.patients}
        grouped: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for res in pop.plans:
            pid = patient_id_of(res.get("subject"))
            if pid is not None:
                grouped[pid][res["resourceType"]].append(res)
        self.episodes = {_rel(e["patient"]) or "": e for e in pop.episodes}
        self.plans: dict[str, PatientPlan] = {}
        for pid, g in grouped.items():
            episode = dict(self.episodes[pid])
            episode["status"] = "active"  # the plan applied until the discharge
            srs = [{**sr, "status": "active"} for sr in g["ServiceRequest"]]
            cps = [{**cp, "status": "active"} for cp in g["CarePlan"]]
            self.plans[pid] = build_patient_plan(pid, srs, [episode], cps)
        self.department = {
            pid: _rel(e.get("managingOrganization")) or "" for pid, e in self.episodes.items()
        }
        self.dementia = {
            _rel(r["patient"]) or ""
            for r in pop.related_persons
            if any(
                c.get("system") == RELATIVE_ROLE_SYSTEM and c.get("code") == PROXY
                for concept in r.get("relationship", ())
                for c in concept.get("coding", ())
            )
        }
        # Service hours and leads, from the seeded organisations (as the live engine reads them).
        from server.rules.runtime import Centres

        self.services = self._healthcare_services()
        self.centres = Centres(pop.organizations, self.services, pop.practitioner_roles)
        nurses: dict[str, list[tuple[str, str]]] = defaultdict(list)
        roles = {r["practitioner"]["reference"]: r for r in pop.practitioner_roles}
        for ref, role in roles.items():
            code = role["code"][0]["coding"][0]["code"]
            org = _rel(role["organization"]) or ""
            if code == "nurse":
                nurses[org].append((ref.split("/", 1)[1], role["practitioner"]["display"]))
        self.depts: dict[str, Dept] = {}
        per_department = Counter(self.department.values())
        for dept_id in set(self.department.values()):
            staff = nurses.get(dept_id) or [("", "Sykepleier")]
            # About 80 patients per nurse on duty (domain.md): a large population gets more
            # working places than the seeded staff (they take the seeded nurses' names in turn).
            places = max(len(staff), math.ceil(per_department[dept_id] / PATIENTS_PER_NURSE))
            self.depts[dept_id] = Dept(dept_id, staff, self.centres.hours(dept_id), [0.0] * places)
        self.history: dict[str, dict[str, list[Sample]]] = defaultdict(dict)
        self.last_seen: dict[tuple[str, str], float] = {}
        self.open: dict[tuple[str, str], TaskRec] = {}
        # The latest alert a nurse completed, per patient and rule.
        self.handled: dict[tuple[str, str], TaskRec] = {}
        self.by_patient: dict[str, dict[str, TaskRec]] = defaultdict(dict)
        self._single: dict[tuple[str, str], PatientPlan] = {}
        self._pending_extra: set[tuple[int, tuple[str, ...]]] = set()
        self.done_missing: set[tuple[str, str]] = set()
        self.reminded: dict[tuple[str, str, float], float] = {}
        self.waiting: dict[str, set[str]] = defaultdict(set)  # dept -> patients with a card
        self.waiting_adherence: dict[str, set[str]] = defaultdict(set)

    def _healthcare_services(self) -> list[dict[str, Any]]:
        years = sorted({datetime.fromtimestamp(t, OSLO).year for t in (self.start, self.end)})
        years.append(years[-1] + 1)
        out = []
        names = {o["id"]: o["name"] for o in self.pop.organizations}
        for centre, (days, start, end) in CENTRE_HOURS.items():
            if centre not in names:
                continue
            out.append(
                healthcare_service(
                    f"{centre}-apningstid",
                    {"reference": f"Organization/{centre}", "display": names[centre]},
                    f"{names[centre]} – åpningstid",
                    ServiceHours(weekly(days, start, end)),
                    years,
                    telecom="+4751000000",
                )
            )
        return out

    # ----- small helpers --------------------------------------------------------------------

    def _id(self, kind: str) -> str:
        self._ids[kind] += 1
        return str(uuid.uuid5(_NS, f"{self.seed}/{kind}/{self._ids[kind]}"))

    def _push(self, t: float, kind: int, payload: Any = None) -> None:
        self._n += 1
        heapq.heappush(self._heap, (t, kind, self._n, payload))

    def _setting(self, pid: str, now: float) -> Setting:
        dept = self.department.get(pid)
        return Setting(self.plans[pid], self.centres.hours(dept), now, self.centres.service(dept))

    def _truth(self, pid: str, what: str, t: float, **data: Any) -> None:
        us = int(t * 1_000_000)
        self.truth.append((pid, what, us, us, json.dumps(data, ensure_ascii=False)))

    # ----- the loop -------------------------------------------------------------------------

    def run(self) -> Iterator[dict[str, Any]]:
        """Every resource of the seeded centre: population, services, questionnaires, the
        Observations as they happen, then alerts, messages, notes and visits."""
        yield from self.pop.resources()
        yield from self.services
        yield from questionnaires()
        first = local_day(self.start)
        self._push(local_day_start(first), DAYSTART, first)
        for i, s in enumerate(self.schedules):
            pid = s.patient_id
            for m in self.plans[pid].measurements if pid in self.plans else ():
                after = max(self.start, s.enrolled)
                if after >= self.end:
                    continue
                self.last_seen[(pid, m.key)] = after
                self._schedule_missing(i, m.key, after)
            if s.discharged < self.end:
                self._push(s.discharged, DISCHARGE, i)
        heap = self._heap
        handlers = (
            self._daystart,
            self._slot,
            self._extra,
            self._questionnaire,
            self._patient_message,
            self._missing,
            self._hold,
            self._escalate,
            self._dispatch,
            self._claim,
            self._resolve,
            self._nurse_reply,
            self._patient_reply,
            self._discharge,
        )
        while heap and heap[0][0] <= self.end:
            t, kind, _, payload = heapq.heappop(heap)
            handlers[kind](t, payload)
            if self._out:
                yield from self._out
                self._out = []
        yield from self._finish()

    def _finish(self) -> Iterator[dict[str, Any]]:
        for rec in self.tasks:
            task = dict(rec.current)
            if rec.history:
                task["_history"] = rec.history
            yield task
        yield from self.extra
        self.stats["tasks"] = len(self.tasks)

    # ----- patients -------------------------------------------------------------------------

    def _daystart(self, t: float, day: int) -> None:
        """Plan the day: measurement slots, questionnaires, spontaneous messages."""
        rng = random.Random(mix(self.seed, 7, day))
        weekday = datetime.fromtimestamp(local_day_start(day) + 12 * HOUR, OSLO).weekday()
        for i, s in enumerate(self.schedules):
            if s.enrolled > self.end or s.discharged < self.start:
                continue
            away = s.is_away(day)
            for session in range(s.sessions):
                for slot in s.slots_on(session, day):
                    if self.start <= slot <= self.end:
                        self._push(slot, SLOT, (i, session, away, rng.random()))
            pid = s.patient_id
            form = form_of(s.programme.code, self.department.get(pid, ""))
            if form is not None and weekday in FORMS[form].weekdays and not away:
                if rng.random() < self.b.questionnaire_done:
                    at = local_day_start(day) + (FORMS[form].hour + rng.uniform(-1.5, 2.5)) * HOUR
                    self._push(at, QUESTIONNAIRE, (i, form))
            if pid in self.dementia:
                continue
            for kind, rate in (
                ("question", self.b.questions_per_day),
                ("contact", self.b.contact_requests_per_day),
            ):
                if rng.random() < rate:
                    at = local_day_start(day) + rng.uniform(8.0, 21.0) * HOUR
                    self._push(at, PATIENT_MSG, (i, kind))
        self._push(local_day_start(day + 1), DAYSTART, day + 1)

    def _slot(self, t: float, payload: tuple[int, int, bool, float]) -> None:
        i, session, away, draw = payload
        s = self.schedules[i]
        kinds = s.programme.sessions[session].kinds
        reason = "away" if away else s.skip_reason(t, draw)
        if reason is not None:
            if reason not in ("not-enrolled", "discharged"):
                self._truth(s.patient_id, "skipped", t, kinds=list(kinds), reason=reason)
            return
        # The scheduled reading draws from its own stream (patient, moment), not the shared
        # one: what the rules do (re-measure requests, reminders, nurses) then cannot change
        # the values or device errors of later scheduled readings, so two rule sets replayed
        # on one seed are judged on the same patients' same measurements.
        self._measure(i, kinds, t, None, rng=random.Random(mix(self.seed, 11, i, int(t))))

    def _extra(self, t: float, payload: tuple[int, tuple[str, ...], float, str]) -> None:
        i, kinds, error_p, why = payload
        s = self.schedules[i]
        self._pending_extra.discard((i, kinds))
        if t >= s.discharged or s.physiology.admitted(t):
            return
        self._ids["extra"] += 1  # an extra measurement's id never meets a slot's or another's
        self._measure(i, kinds, t, error_p, suffix=f"{why}{self._ids['extra']}")

    def _measure(
        self,
        i: int,
        kinds: Sequence[str],
        t: float,
        error_p: float | None,
        suffix: str = "",
        rng: random.Random | None = None,
    ) -> None:
        s = self.schedules[i]
        rng = rng or self.rng
        pid = s.patient_id
        seconds = int(t)
        effective = iso_utc(seconds)
        for kind in kinds:
            value, error = s.physiology.measure_truth(kind, seconds, rng, error_probability=error_p)
            obs_id = f"{pid}-{kind}-{seconds}" + (f"-{suffix}" if suffix else "")
            obs = BUILDERS[kind](s.subject, effective, value, obs_id)
            obs["meta"] = {"lastUpdated": effective}
            ref = f"Observation/{obs_id}"
            if error:
                self.errors[ref] = True
                self._truth(pid, "device-error", seconds, kind=kind, value=value, observation=ref)
            self._out.append(obs)
            self.stats["observations"] += 1
            values = (
                [("sys", float(value[0])), ("dia", float(value[1]))]
                if isinstance(value, tuple)
                else [(kind, float(value))]
            )
            self._observe(i, kind, obs, ref, float(seconds), values)

    def _observe(
        self,
        i: int,
        kind: str,
        obs: dict[str, Any],
        ref: str,
        t: float,
        values: list[tuple[str, float]] | None = None,
    ) -> None:
        """The live engine's observation path, in memory (`values` as observation_values
        would read them from `obs`, given to spare parsing it again)."""
        pid = self.schedules[i].patient_id
        plan = self.plans.get(pid)
        if plan is None:
            return
        result = assess_observation(obs, ref, t, plan, self.history[pid], values)
        for f in result.findings:
            self._finding(f, pid, t)
        for rule, var, value in result.normal:
            rec = self.open.get((pid, rule))
            if rec is not None and awaiting_remeasure(rec.current):
                self._apply(
                    decide_normal(rec.current, ref, var, value, self._setting(pid, t)), pid, rule, t
                )
        held = self.open.get((pid, "questionnaire"))
        if held is not None and (result.findings or result.normal):
            breached = any(not f.suspect for f in result.findings)
            if breached or not result.suspects:
                self._apply(
                    decide_symptom_check(held.current, ref, breached, self._setting(pid, t)),
                    pid,
                    "questionnaire",
                    t,
                )
        self.last_seen[(pid, kind)] = t
        adherence = self.open.get((pid, "missing-measurement"))
        if adherence is not None:
            seen = {
                m.reference: self.last_seen[(pid, m.key)]
                for m in plan.measurements
                if (pid, m.key) in self.last_seen
            }
            self._apply(
                decide_arrived(adherence.current, seen, self._setting(pid, t)),
                pid,
                "missing-measurement",
                t,
            )
        self._schedule_missing(i, kind, t)

    def _schedule_missing(self, i: int, key: str, after: float, now: float | None = None) -> None:
        """Plan the check of the next stage of measurement `key` measured last at `after`:
        the first stage after a measurement, the following one after a check (`now`). One
        stage at a time; a measurement in between makes the check stale and plans afresh."""
        plan = self.plans.get(self.schedules[i].patient_id)
        if plan is None:
            return
        for m in plan.measurements:
            if m.key != key or not m.grace:
                continue
            due = next_due(m, max(after, m.start or after))
            if due is None:
                continue
            later = [due + g for g in m.grace.values() if now is None or due + g > now + 1e-6]
            if later and min(later) <= self.end:
                self._push(min(later), MISSING, (i, key, after))

    def _missing(self, t: float, payload: tuple[int, str, float]) -> None:
        i, key, after = payload
        s = self.schedules[i]
        pid = s.patient_id
        if self.last_seen.get((pid, key)) != after or t >= s.discharged:
            return  # measured since (or no longer followed): a newer check is scheduled
        plan = self.plans[pid]
        self._schedule_missing(i, key, after, t)
        single = self._single.get((pid, key))
        if single is None:
            single = self._single[(pid, key)] = PatientPlan(
                pid, plan.department, measurements=[m for m in plan.measurements if m.key == key]
            )
        view = {(pid, key): after}
        for f in evaluate_missing(t, [single], view):
            m = next((m for m in plan.measurements if m.reference == f.focus), None)
            if m is None or m.key != key:
                continue
            done = (f.focus, f.started)
            if done in self.done_missing:
                continue
            due = finding_due(f)
            if due is None:
                continue
            rkey = (pid, f.focus, due)
            current = self.open.get((pid, "missing-measurement"))
            decision = decide_missing(
                f,
                due,
                current.current if current else None,
                self._setting(pid, t),
                self.reminded.get(rkey),
            )
            sent = any(message_key(msg).startswith("reminder|") for msg in decision.messages)
            self._apply(decision, pid, "missing-measurement", t)
            if sent:
                self.reminded[rkey] = t
                self.stats["reminders"] += 1
                kinds = next(sess.kinds for sess in s.programme.sessions if key in sess.kinds)
                if (
                    (i, kinds) not in self._pending_extra  # one session answers both reminders
                    and not s.physiology.admitted(t)
                    and self.rng.random() < self.b.reminder_answer
                ):
                    delay = _lognormal(self.rng, *self.b.reminder_delay)
                    self._pending_extra.add((i, kinds))
                    self._push(t + delay, EXTRA, (i, kinds, None, "r"))
            if f.level != "reminder" or rkey in self.reminded:
                self.done_missing.add(done)
            elif not awake(t):
                morning = (
                    local_day_start(
                        local_day(t) + (1 if datetime.fromtimestamp(t, OSLO).hour >= 22 else 0)
                    )
                    + 7 * HOUR
                )
                self._push(morning + 60.0, MISSING, payload)

    def _questionnaire(self, t: float, payload: tuple[int, str]) -> None:
        i, form = payload
        s = self.schedules[i]
        if t >= s.discharged or t < s.enrolled or s.physiology.admitted(t):
            return
        qr_id = self._id("QuestionnaireResponse")
        # Its own stream, as scheduled readings (see _slot).
        rng = random.Random(mix(self.seed, 13, i, int(t)))
        qr = respond(form, s.patient_id, s.physiology, t, iso_utc(t), rng, qr_id)
        qr["meta"] = {"lastUpdated": iso_utc(t)}
        self.extra.append(qr)
        self.stats["questionnaires"] += 1
        for f in evaluate_questionnaire(qr, f"QuestionnaireResponse/{qr_id}"):
            self._finding(f, s.patient_id, t)

    def _patient_message(self, t: float, payload: tuple[int, str]) -> None:
        i, kind = payload
        s = self.schedules[i]
        pid = s.patient_id
        if t >= s.discharged or t < s.enrolled or s.physiology.admitted(t):
            return
        h = mix(self.seed, text_key(self.seed, pid), int(t))
        if kind == "contact":
            text = CONTACT_REQUESTS[h % len(CONTACT_REQUESTS)]
            category = "contact-request"
        else:
            bank = QUESTIONS.get(s.programme.code, QUESTIONS["hypertension"])
            text = bank[h % len(bank)]
            category = PATIENT_THREAD
        comm = self._communication(
            pid,
            category,
            text,
            t,
            sender={"reference": f"Patient/{pid}", "display": self.names.get(pid, "")},
        )
        self.stats[f"patient-{kind}"] += 1
        if kind == "contact":
            for f in evaluate_communication(comm, f"Communication/{comm['id']}"):
                self._finding(f, pid, t)
        elif self.with_nurses:
            hours = self.centres.hours(self.department.get(pid))
            at = hours.add_open(t, _lognormal(self.rng, 10 * MINUTE, 3 * HOUR))
            if at is not None and at <= self.end:
                self._push(at, NURSE_REPLY, comm)

    def _communication(
        self,
        pid: str,
        category: str,
        text: str,
        t: float,
        *,
        sender: Mapping[str, str],
        recipient: Mapping[str, str] | None = None,
        in_response_to: str | None = None,
        about: Sequence[str] = (),
    ) -> dict[str, Any]:
        cid = self._id("Communication")
        body: dict[str, Any] = {
            "resourceType": "Communication",
            "id": cid,
            "meta": {"lastUpdated": iso(t)},
            "extension": [{"url": THREAD_ID_URL, "valueString": f"{pid}/patient"}],
            "identifier": [{"system": MESSAGE_KEY_SYSTEM, "value": f"seed-{self.seed}-{cid}"}],
            "status": "completed",
            "category": [{"coding": [{"system": COMMUNICATION_CATEGORY_SYSTEM, "code": category}]}],
            "subject": {"reference": f"Patient/{pid}", "display": self.names.get(pid, "")},
            "sender": dict(sender),
            "sent": iso(t),
            "payload": [{"contentString": text}],
        }
        if recipient is not None:
            body["recipient"] = [dict(recipient)]
        if in_response_to:
            body["inResponseTo"] = [{"reference": in_response_to}]
        if about:
            body["about"] = [{"reference": a} for a in about]
        if category != "contact-request" or sender.get("reference", "").startswith("Patient/"):
            # Read by the service when a nurse has answered or handled it.
            pass
        self.extra.append(body)
        return body

    def _patient_reply(self, t: float, payload: tuple[str, dict[str, Any], str]) -> None:
        pid, message, bank = payload
        s = self.schedules[self.index[pid]]
        if t >= s.discharged:
            return
        texts = REPLIES[bank]
        text = texts[mix(self.seed, text_key(self.seed, message["id"])) % len(texts)]
        self._communication(
            pid,
            PATIENT_THREAD,
            text,
            t,
            sender={"reference": f"Patient/{pid}", "display": self.names.get(pid, "")},
            recipient=message.get("sender"),
            in_response_to=f"Communication/{message['id']}",
        )

    def _discharge(self, t: float, i: int) -> None:
        """Discharged from the follow-up: open alerts are closed with a note."""
        pid = self.schedules[i].patient_id
        for rule, rec in list(self.by_patient[pid].items()):
            p = pid
            task = shallow(rec.current)
            task["status"] = "cancelled"
            task["statusReason"] = {"text": "Pasienten er avsluttet i oppfølgingen"}
            task["lastModified"] = iso(t)
            self._write(rec, task, t)
            self._close(p, rule)

    # ----- rule decisions -------------------------------------------------------------------

    def _finding(self, f: Finding, pid: str, t: float) -> None:
        """A clinical finding through decide_finding, with the open and the handled Task."""
        current = self.open.get((pid, f.rule))
        handled = self.handled.get((pid, f.rule)) if current is None else None
        decision = decide_finding(
            f,
            current.current if current else None,
            self._setting(pid, t),
            handled.current if handled else None,
        )
        after = handled if decision.what == "after-handling" else None
        self._apply(decision, pid, f.rule, t, after)

    def _apply(
        self, decision: Decision, pid: str, rule: str, t: float, rec: TaskRec | None = None
    ) -> TaskRec | None:
        if rec is None:
            rec = self.open.get((pid, rule))
        if decision.task is not None:
            if decision.base is None or rec is None:
                rec = TaskRec(self._id("Task"), {}, department=self.department.get(pid))
                task = {**decision.task, "id": rec.id}
                self.tasks.append(rec)
                self._write(rec, task, t, first=True)
            else:
                self._write(rec, {**decision.task, "id": rec.id}, t)
            status = rec.current.get("status")
            if status in ("completed", "cancelled"):
                self._close(pid, rule)
            else:
                self.open[(pid, rule)] = rec
                self.by_patient[pid][rule] = rec
            self.stats[decision.what or "written"] += 1
            self._after_write(rec, pid, t)
        elif decision.what:
            self.stats[decision.what] += 1
        for message in decision.messages:
            key = message_key(message)
            if key in self._keys:
                continue
            self._keys.add(key)
            if rec is not None:
                message = fill_task_reference(message, f"Task/{rec.id}")
            message = {
                **message,
                "id": self._id("Communication"),
                "about": [a for a in message.get("about", ()) if a.get("reference") != "Task/#"],
                "meta": {"lastUpdated": iso(t)},
            }
            if not message["about"]:
                del message["about"]
            self.extra.append(message)
            self._after_message(message, pid, t)
        return rec

    def _close(self, pid: str, rule: str) -> None:
        rec = self.open.pop((pid, rule), None)
        if rec is not None and rec.current.get("status") == "completed":
            self.handled[(pid, rule)] = rec  # what decide_finding's after-handling rule reads
        self.by_patient[pid].pop(rule, None)

    def _write(self, rec: TaskRec, task: dict[str, Any], t: float, *, first: bool = False) -> None:
        version = 1 if first else int(rec.current["meta"]["versionId"]) + 1
        if not first:
            rec.history.append(rec.current)
        task = dict(task)
        task["meta"] = {"versionId": str(version), "lastUpdated": iso(t)}
        rec.current = task

    def _after_write(self, rec: TaskRec, pid: str, t: float) -> None:
        task = rec.current
        status = task.get("status")
        dept = rec.department or ""
        if status == "draft":
            until = held_until(task)
            if until is not None:
                self._push(until, HOLD, (pid, _rule(task)))
            return
        if status == "requested" and not task.get("owner"):
            if _rule(task) == "missing-measurement" and task.get("priority") == "routine":
                self.waiting_adherence[dept].add(pid)
            else:
                self.waiting[dept].add(pid)
                due = esc.due_at(task, self.centres.hours(dept), self.escalate_after)
                if due is not None and due <= self.end:
                    self._push(max(due, t), ESCALATE, dept)
            if self.with_nurses:
                self._plan_dispatch(dept, t)

    def _after_message(self, message: Mapping[str, Any], pid: str, t: float) -> None:
        codes = {
            c.get("code") for cat in message.get("category", ()) for c in cat.get("coding", ())
        }
        if REMEASURE_CATEGORY in codes:
            self.stats["remeasure-requests"] += 1
            i = self.index[pid]
            s = self.schedules[i]
            if s.physiology.admitted(t) or self.rng.random() >= self.b.remeasure_answer:
                return
            focus = next(
                (
                    a["reference"]
                    for a in message.get("about", ())
                    if a["reference"].startswith("Observation/")
                ),
                "",
            )
            if not focus:  # a questionnaire's symptom check: the programme's measurements
                kinds = tuple(k for sess in s.programme.sessions for k in sess.kinds)
                kinds = tuple(dict.fromkeys(k for k in kinds if k in BUILDERS))
                if not kinds:
                    return
            else:
                kind = next((tok for tok in reversed(focus.split("-")) if tok in BUILDERS), None)
                if kind is None:
                    return
                kinds = (kind,)
            error_p = REPEAT_ERROR_PROBABILITY if self.errors.get(focus) else None
            delay = _lognormal(self.rng, *self.b.remeasure_delay)
            self._push(t + delay, EXTRA, (i, kinds, error_p, "m"))
            if self.rng.random() < 0.5:
                self._push(t + delay * 0.5, PATIENT_REPLY, (pid, message, "remeasure"))
        elif "out-of-hours-advice" in codes:
            self.stats["out-of-hours-advice"] += 1

    def _hold(self, t: float, payload: tuple[str, str]) -> None:
        pid, rule = payload
        rec = self.open.get((pid, rule))
        if rec is None:
            return
        self._apply(release_held(rec.current, self._setting(pid, t)), pid, rule, t)

    def _escalate(self, t: float, dept: str) -> None:
        tasks = [rec.current for (p, _r), rec in self.open.items() if rec.department == dept]
        result = esc.escalation_pass(
            tasks, t, self.centres.hours, self.centres.lead, self.escalate_after
        )
        by_id = {rec.id: rec for rec in self.open.values()}
        for updated, base in result.updates:
            rec = by_id[str(base["id"])]
            self._write(rec, updated, t)
            self.stats["escalated"] += 1
        for digest in result.digests:
            digest = {**digest, "id": self._id("Communication"), "meta": {"lastUpdated": iso(t)}}
            self.extra.append(digest)
            self.stats["escalation-digests"] += 1

    # ----- simulated nurses -----------------------------------------------------------------

    def _has_card(self, pid: str) -> bool:
        return any(
            rec.current.get("status") == "requested" and not rec.taken
            for rec in self.by_patient[pid].values()
        )

    def _plan_dispatch(self, dept_id: str, t: float) -> None:
        dept = self.depts.get(dept_id)
        if dept is None:
            return
        at = dept.hours.next_open(t)
        if at is None or at > self.end:
            return
        if dept.dispatch_at is not None and dept.dispatch_at <= at and dept.dispatch_at >= t:
            return
        dept.dispatch_at = at
        self._push(at, DISPATCH, dept_id)

    def _card_key(self, pid: str) -> tuple[float, ...]:
        recs = [
            rec
            for rec in self.by_patient[pid].values()
            if rec.current.get("status") == "requested" and not rec.taken
        ]
        if not recs:
            return (9.0,)
        rank = {"asap": 3, "stat": 3, "urgent": 2, "routine": 1}
        best = max(rank.get(str(r.current.get("priority")), 1) for r in recs)
        kind = min(
            0
            if _rule(r.current) not in ("contact-request", "missing-measurement")
            else 1
            if _rule(r.current) == "contact-request"
            else 2
            for r in recs
            if rank.get(str(r.current.get("priority")), 1) == best
        )
        severity = max(task_severity(r.current) for r in recs)
        oldest = min(str(r.current.get("authoredOn")) for r in recs)
        return (
            -best,
            kind,
            -severity,
            datetime.fromisoformat(oldest.replace("Z", "+00:00")).timestamp(),
        )

    def _dispatch(self, t: float, dept_id: str) -> None:
        dept = self.depts[dept_id]
        if dept.dispatch_at == t:
            dept.dispatch_at = None
        if not dept.hours.is_open(t):
            self._plan_dispatch(dept_id, t)
            return
        for n, free in enumerate(dept.free_at):
            if free > t:
                continue
            pid, kind = self._next_card(dept_id, t)
            if pid is None:
                break
            dept.free_at[n] = float("inf")  # busy until the resolve
            for rec in self.by_patient[pid].values():
                if rec.current.get("status") == "requested":
                    adherence = (
                        _rule(rec.current) == "missing-measurement"
                        and rec.current.get("priority") == "routine"
                    )
                    if adherence == (kind == "adherence"):
                        rec.taken = True
            (self.waiting_adherence if kind == "adherence" else self.waiting)[dept_id].discard(pid)
            self._push(t + self.rng.uniform(*self.b.reaction), CLAIM, (dept_id, n, pid, kind))

    def _in_round(self, t: float) -> bool:
        local = datetime.fromtimestamp(t, OSLO)
        hour = local.hour + local.minute / 60
        return any(r <= hour < r + self.b.round_length / HOUR for r in self.b.rounds)

    def _next_card(self, dept_id: str, t: float) -> tuple[str | None, str]:
        clinical = [
            p
            for p in self.waiting[dept_id]
            if self._has_card(p) and self._card_class(p) == "clinical"
        ]
        if clinical:
            return min(clinical, key=self._card_key), "clinical"
        if self._in_round(t):
            items = [p for p in self.waiting_adherence[dept_id] if self._card_class(p, "adherence")]
            if items:
                return min(items, key=self._card_key), "adherence"
        elif self.waiting_adherence[dept_id]:
            # Plan the next round.
            local = datetime.fromtimestamp(t, OSLO)
            for r in self.b.rounds:
                at = local.replace(
                    hour=int(r), minute=int((r % 1) * 60), second=0, microsecond=0
                ).timestamp()
                if at > t:
                    self._push(at, DISPATCH, dept_id)
                    break
        return None, ""

    def _card_class(self, pid: str, wanted: str = "clinical") -> str:
        for rec in self.by_patient[pid].values():
            if rec.current.get("status") != "requested" or rec.taken:
                continue
            adherence = (
                _rule(rec.current) == "missing-measurement"
                and rec.current.get("priority") == "routine"
            )
            if (wanted == "adherence") == adherence:
                return wanted
        return "" if wanted == "adherence" else "none"

    def _claim(self, t: float, payload: tuple[str, int, str, str]) -> None:
        dept_id, n, pid, kind = payload
        dept = self.depts[dept_id]
        nurse_id, nurse_name = dept.nurses[n % len(dept.nurses)]
        owner = {"reference": f"Practitioner/{nurse_id}", "display": nurse_name}
        claimed = []
        for rule, rec in list(self.by_patient[pid].items()):
            if not rec.taken:
                continue
            rec.taken = False
            if rec.current.get("status") not in ("requested",):
                continue
            task = shallow(rec.current)
            task["status"] = "in-progress"
            task["owner"] = owner
            task["extension"] = [
                e for e in task.get("extension", ()) if e.get("url") != CLAIMED_AT_URL
            ]
            task["extension"].append({"url": CLAIMED_AT_URL, "valueDateTime": iso(t)})
            period = dict(task.get("executionPeriod") or {})
            period.setdefault("start", iso(t))  # the first claim (the lead's response times)
            task["executionPeriod"] = period
            task["lastModified"] = iso(t)
            self._write(rec, task, t)
            claimed.append(rule)
        if not claimed:
            dept.free_at[n] = t
            self._plan_dispatch(dept_id, t)
            return
        band = {
            "clinical": self.b.handle_high
            if any(self.open[(pid, r)].current.get("priority") == "asap" for r in claimed)
            else self.b.handle_medium,
            "adherence": self.b.handle_adherence,
        }[kind]
        done = t + _lognormal(self.rng, *band)
        self._push(done, RESOLVE, (dept_id, n, pid, tuple(claimed), owner))

    def _outcome(self, pid: str, recs: Sequence[TaskRec], t: float) -> tuple[str, str]:
        """What a nurse finds out on the phone: the ground truth, as she would learn it."""
        s = self.schedules[self.index[pid]]
        rules = {_rule(r.current) for r in recs}
        rng = self.rng
        if rules == {"missing-measurement"}:
            if s.physiology.admitted(t):
                return (
                    "no-action-needed",
                    "Pårørende/pasient opplyser at pasienten er innlagt på sykehus.",
                )
            if rng.random() < 0.55:
                return "contacted-patient", rng.choice(
                    (
                        "Ringte pasienten: glemte å måle, måler nå.",
                        "Snakket med pasienten, apparatet var ikke ladet.",
                        "Pasienten har vært bortreist, måler igjen fra i dag.",
                    )
                )
            return "no-action-needed", "Pasienten har sendt melding om at målingen kommer senere."
        triggers = [
            e["valueReference"]["reference"]
            for r in recs
            for e in r.current.get("input", ())
            if e.get("valueReference") and e["type"]["coding"][0]["code"] == "trigger"
        ]
        observations = [x for x in triggers if x.startswith("Observation/")]
        if observations and all(self.errors.get(x) for x in observations):
            if rng.random() < 0.75:
                return "measurement-error", rng.choice(
                    (
                        "Ny måling etter samtale var normal. Målefeil.",
                        "Pasienten hadde kalde fingre; ny måling fin.",
                        "Mansjetten satt over genseren. Ny måling normal.",
                    )
                )
            return (
                "contacted-patient",
                "Ringte pasienten, føler seg som vanlig. Avtalt ny måling i morgen.",
            )
        episode = s.physiology.episode_at(t)
        red = any(r.current.get("priority") == "asap" for r in recs)
        if episode is not None and episode.severity(t) > 0.2:
            draw = rng.random()
            if red:
                if draw < 0.2:
                    return (
                        "referred-legevakt",
                        "Pasienten er dårligere. Henvist til legevakt for vurdering.",
                    )
                if draw < 0.6:
                    return "advised-gp", "Fastlege kontaktet, time i morgen. Pasienten informert."
                if draw < 0.62:
                    return "called-113", "Pasienten svært dårlig på telefon. Ringt 113."
                return (
                    "contacted-patient",
                    "Ringte pasienten. Avtalt tettere oppfølging og ny måling i kveld.",
                )
            if draw < 0.3:
                return "advised-gp", "Fastlege varslet om forverring."
            if draw < 0.85:
                return (
                    "contacted-patient",
                    "Ringte pasienten, følger med. Ny måling i morgen tidlig.",
                )
            return "no-action-needed", "Pasienten har det som vanlig, ingen tiltak nå."
        if "contact-request" in rules:
            return "contacted-patient", "Ringte pasienten. Spørsmål om medisinene, avklart."
        if rng.random() < 0.5:
            return "no-action-needed", "Innenfor det som er vanlig for pasienten. Ingen tiltak."
        return "contacted-patient", "Ringte pasienten, føler seg bra. Ingen tiltak."

    def _resolve(
        self, t: float, payload: tuple[str, int, str, tuple[str, ...], dict[str, str]]
    ) -> None:
        dept_id, n, pid, rules, owner = payload
        dept = self.depts[dept_id]
        dept.free_at[n] = t
        recs = [
            self.open[(pid, r)]
            for r in rules
            if (pid, r) in self.open and self.open[(pid, r)].current.get("owner") == owner
        ]
        recs = [r for r in recs if r.current.get("status") == "in-progress"]
        if recs:
            outcome, comment = self._outcome(pid, recs, t)
            display = _OUTCOME_NB[outcome]
            for rec in recs:
                task = shallow(rec.current)
                task["status"] = "completed"
                task["businessStatus"] = {
                    "coding": [
                        {"system": ALERT_OUTCOME_SYSTEM, "code": outcome, "display": display}
                    ],
                    "text": display,
                }
                task["owner"] = owner
                task.pop("statusReason", None)
                task["note"] = [
                    *task.get("note", ()),
                    {"authorReference": owner, "time": iso(t), "text": comment},
                ]
                task["executionPeriod"] = {**(task.get("executionPeriod") or {}), "end": iso(t)}
                task["lastModified"] = iso(t)
                self._write(rec, task, t)
                self._close(pid, _rule(rec.current))
            self._records(pid, recs, outcome, comment, owner, t)
            self.stats[f"resolved-{outcome}"] += 1
        self._plan_dispatch(dept_id, t)

    def _records(
        self,
        pid: str,
        recs: Sequence[TaskRec],
        outcome: str,
        comment: str,
        owner: dict[str, str],
        t: float,
    ) -> None:
        """DetectedIssue, the draft journal note, and sometimes a message or a video visit."""
        name = self.names.get(pid, pid)
        worst = max(
            recs, key=lambda r: {"asap": 3, "urgent": 2}.get(str(r.current.get("priority")), 1)
        )
        focus = list(
            dict.fromkeys(
                e["valueReference"]["reference"]
                for r in recs
                for e in r.current.get("input", ())
                if e.get("valueReference")
            )
        )
        findings = "; ".join(
            str(r.current.get("description") or RULES.get(_rule(r.current), "")) for r in recs
        )
        severity = {"asap": "high", "urgent": "moderate"}.get(
            str(worst.current.get("priority")), "low"
        )
        di_id = self._id("DetectedIssue")
        key = "resolve-" + ",".join(sorted(r.id for r in recs))
        self.extra.append(
            {
                "resourceType": "DetectedIssue",
                "id": di_id,
                "meta": {"lastUpdated": iso(t)},
                "identifier": [
                    {
                        "system": "http://dho.example/fhir/NamingSystem/idempotency-key",
                        "value": key + "-issue",
                    }
                ],
                "status": "final",
                "code": {
                    "coding": [{"system": ALERT_RULE_SYSTEM, "code": _rule(worst.current)}],
                    "text": str(worst.current.get("description") or ""),
                },
                "severity": severity,
                "patient": {"reference": f"Patient/{pid}", "display": name},
                "identifiedDateTime": iso(t),
                "author": owner,
                **({"implicated": [{"reference": f} for f in focus]} if focus else {}),
                "detail": f"{findings}. {comment}",
                "mitigation": [
                    {
                        "action": {
                            "coding": [{"system": ALERT_OUTCOME_SYSTEM, "code": outcome}],
                            "text": _OUTCOME_NB[outcome],
                        },
                        "date": iso(t),
                        "author": owner,
                    }
                ],
            }
        )
        when = datetime.fromtimestamp(t, OSLO)
        note = "\n".join(
            (
                f"Digital hjemmeoppfølging {when:%d.%m.%Y %H:%M}: {name}.",
                f"Avvik: {findings}.",
                f"Tiltak: {_OUTCOME_NB[outcome]}.",
                comment,
                f"Sykepleier: {owner['display']}.",
            )
        )
        body = "<br/>".join(html.escape(line) for line in note.splitlines())
        self.extra.append(
            {
                "resourceType": "Composition",
                "id": self._id("Composition"),
                "meta": {"lastUpdated": iso(t)},
                "identifier": {
                    "system": "http://dho.example/fhir/NamingSystem/idempotency-key",
                    "value": key + "-note",
                },
                "status": "preliminary",
                "type": {
                    "coding": [
                        {
                            "system": "http://loinc.org",
                            "code": "11506-3",
                            "display": "Progress note",
                        },
                        {
                            "system": "http://dho.example/fhir/CodeSystem/document-type",
                            "code": "dho-note",
                            "display": "DHO-notat",
                        },
                    ],
                    "text": "DHO-notat",
                },
                "subject": {"reference": f"Patient/{pid}", "display": name},
                "date": iso(t),
                "author": [owner],
                "title": "Digital hjemmeoppfølging – journalnotat (utkast)",
                "section": [
                    {
                        "title": "Journalnotat",
                        "text": {
                            "status": "generated",
                            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>',
                        },
                        "entry": [{"reference": f} for f in focus]
                        + [{"reference": f"DetectedIssue/{di_id}"}],
                    }
                ],
            }
        )
        self.stats["journal-notes"] += 1
        episode = self.schedules[self.index[pid]].physiology.episode_at(t)
        if (
            outcome == "contacted-patient"
            and episode is not None
            and self.rng.random() < self.b.video_share
        ):
            self._video(pid, owner, t)
        elif (
            outcome in ("contacted-patient", "advised-gp")
            and self.rng.random() < self.b.follow_up_message
        ):
            message = self._communication(
                pid,
                PATIENT_THREAD,
                "Takk for praten i dag. Ta kontakt hvis du blir dårligere, og husk neste måling.",
                t + 2 * MINUTE,
                sender=owner,
                recipient={"reference": f"Patient/{pid}", "display": name},
            )
            if self.rng.random() < self.b.patient_reply:
                self._push(
                    t + _lognormal(self.rng, 20 * MINUTE, 4 * HOUR),
                    PATIENT_REPLY,
                    (pid, message, "general"),
                )

    def _video(self, pid: str, owner: dict[str, str], t: float) -> None:
        name = self.names.get(pid, pid)
        room = f"dho-{uuid.uuid5(_NS, f'{self.seed}/room/{pid}/{int(t)}').hex[:24]}"
        url = f"https://meet.example/{room}"
        appointment_id = self._id("Appointment")
        start = t + 5 * MINUTE
        minutes = int(self.rng.uniform(8, 22))
        visit = {
            "coding": [
                {
                    "system": "http://dho.example/fhir/CodeSystem/visit-type",
                    "code": "video",
                    "display": "Video",
                }
            ]
        }
        self.extra.append(
            {
                "resourceType": "Appointment",
                "id": appointment_id,
                "meta": {"lastUpdated": iso(start + minutes * MINUTE)},
                "extension": [
                    {
                        "url": "http://dho.example/fhir/StructureDefinition/meeting-url",
                        "valueUrl": url,
                    }
                ],
                "status": "fulfilled",
                "serviceType": [visit],
                "appointmentType": visit,
                "start": iso(start),
                "end": iso(start + minutes * MINUTE),
                "comment": url,
                "participant": [
                    {
                        "actor": {"reference": f"Patient/{pid}", "display": name},
                        "status": "accepted",
                    },
                    {"actor": owner, "status": "accepted"},
                ],
            }
        )
        self.extra.append(
            {
                "resourceType": "Encounter",
                "id": self._id("Encounter"),
                "meta": {"lastUpdated": iso(start + minutes * MINUTE)},
                "extension": [
                    {
                        "url": "http://dho.example/fhir/StructureDefinition/outcome-note",
                        "valueString": "Videosamtale: gjennomgikk målingene og plan videre.",
                    }
                ],
                "status": "finished",
                "class": {
                    "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                    "code": "VR",
                    "display": "virtual",
                },
                "subject": {"reference": f"Patient/{pid}", "display": name},
                "appointment": [{"reference": f"Appointment/{appointment_id}"}],
                "participant": [{"individual": owner}],
                "period": {"start": iso(start), "end": iso(start + minutes * MINUTE)},
                "length": {
                    "value": minutes,
                    "unit": "min",
                    "system": "http://unitsofmeasure.org",
                    "code": "min",
                },
            }
        )
        invite = self._communication(
            pid,
            PATIENT_THREAD,
            "Hei! Vi vil gjerne ta en videosamtale med deg nå. "
            f"Trykk på lenken når du er klar: {url}",
            t + 2 * MINUTE,
            sender=owner,
            recipient={"reference": f"Patient/{pid}", "display": name},
        )
        self._communication(
            pid,
            PATIENT_THREAD,
            "Jeg er klar!",
            t + 4 * MINUTE,
            sender={"reference": f"Patient/{pid}", "display": name},
            recipient=owner,
            in_response_to=f"Communication/{invite['id']}",
        )
        self.stats["video-calls"] += 1

    def _nurse_reply(self, t: float, question: dict[str, Any]) -> None:
        pid = _rel(question["subject"]) or ""
        dept = self.depts.get(self.department.get(pid, ""))
        if dept is None:
            return
        nurse_id, nurse_name = dept.nurses[int(self.rng.random() * len(dept.nurses))]
        owner = {"reference": f"Practitioner/{nurse_id}", "display": nurse_name}
        question["received"] = iso(t)
        text = self.rng.choice(
            (
                "Takk for meldingen. Vi har sett på målingene dine, og de ser fine ut. "
                "Ta kontakt om det blir verre.",
                "Hei! Godt spørsmål. Vi ringer deg i løpet av dagen for å snakke om det.",
                "Takk for beskjed. Fortsett som avtalt, og mål som vanlig i morgen.",
                "Hei, vi anbefaler at du tar det opp med fastlegen din. "
                "Si fra om du trenger hjelp til å bestille time.",
            )
        )
        reply = self._communication(
            pid,
            PATIENT_THREAD,
            text,
            t,
            sender=owner,
            recipient={"reference": f"Patient/{pid}", "display": self.names.get(pid, "")},
            in_response_to=f"Communication/{question['id']}",
        )
        self.stats["nurse-replies"] += 1
        if self.rng.random() < self.b.patient_reply:
            self._push(
                t + _lognormal(self.rng, 20 * MINUTE, 6 * HOUR),
                PATIENT_REPLY,
                (pid, reply, "general"),
            )

    # ----- ground truth ---------------------------------------------------------------------

    def episode_truth(self) -> list[tuple[str, str, int, int, str]]:
        """Deterioration episodes and admissions within the window (from the physiology)."""
        rows = []
        for s in self.schedules:
            for e in s.physiology.episodes_between(self.start, self.end):
                data = {
                    "type": e.kind,
                    "peak": iso(e.peak),
                    "plateauEnd": iso(e.plateau_end),
                    "magnitude": round(e.magnitude, 2),
                    "effects": {k: round(v, 2) for k, v in e.effects.items()},
                }
                rows.append(
                    (
                        s.patient_id,
                        "episode",
                        int(e.start * 1e6),
                        int(e.end * 1e6),
                        json.dumps(data),
                    )
                )
                if e.admission is not None:
                    a, b = e.admission
                    rows.append(
                        (
                            s.patient_id,
                            "admission",
                            int(a * 1e6),
                            int(b * 1e6),
                            json.dumps({"episode": e.kind}),
                        )
                    )
        return rows


_OUTCOME_NB: Final = {
    "contacted-patient": "Pasienten kontaktet",
    "advised-gp": "Fastlege varslet",
    "referred-legevakt": "Henvist til legevakt",
    "called-113": "Ringt 113",
    "measurement-error": "Målefeil",
    "no-action-needed": "Ingen tiltak nødvendig",
}


def replay_variables(key: str) -> tuple[str, ...]:
    return variables_of(key)


__all__ = ["Behaviour", "Replay", "timedelta"]
