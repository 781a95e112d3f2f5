"""The alert engine wired to the store: caches, the write-path hook, and the rules clock.

:class:`AlertEngine` is attached to the :class:`~server.api.service.FhirService`; the service
calls it after every committed write. It reacts to Observation, QuestionnaireResponse and
Communication (plus ServiceRequest, CarePlan and EpisodeOfCare, which invalidate the patient's
cached plan, and Organization / HealthcareService / PractitionerRole, which invalidate service
hours and leads), so its own Task writes never trigger rules. What a finding does is decided
by the pure functions of :mod:`server.rules.decide` (shared with the seeding replay); this
module only loads their inputs and writes their outputs through the same service (so they
notify over the WebSocket like everything else): Tasks created conditionally on the
alert-episode identifier (retry-safe) and updated version-aware (If-Match, retried on 412),
messages created conditionally on their message key.

The clock (:meth:`AlertEngine.run_clock`, one job in the first worker) runs on the server's
simulated clock: missing measurements (reminder, adherence item, urgent), held suspect alerts
whose hold ran out, adherence items whose measurements arrived, and escalation of unclaimed
high alerts counted in service hours.

The common case, an Observation inside the patient's limits, costs dictionary lookups and a
few comparisons: plans and each patient's recent values are cached in memory, and the store
is read only when something breaches (to find the open Task), for a patient's first
measurement, and when an alert waits for a re-measurement or an adherence item may close.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select

from server.rules import escalation as esc
from server.rules.assess import KEEP, assess_observation
from server.rules.codes import (
    ALERT_EPISODE_SYSTEM,
    ALERT_RULE_SYSTEM,
    MESSAGE_KEY_SYSTEM,
    OPEN_STATUSES,
    RULES,
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
    is_held,
    message_key,
    release_held,
)
from server.rules.engine import (
    Finding,
    evaluate_communication,
    evaluate_missing,
    evaluate_questionnaire,
    finding_due,
    missing_entries,
    observation_values,
)
from server.rules.hours import DEFAULT_HOURS, ServiceHours, hours_from_healthcare_service, union
from server.rules.plan import DAY, PatientPlan, build_patient_plan, patient_id_of
from server.rules.suspect import Sample, mark_suspects
from server.sim.programmes import LOINC, MEASUREMENT_BY_LOINC
from server.sim.schedule import parse_instant
from server.store import Store, Stored
from server.store import search as s
from server.store.errors import FhirError
from server.store.registry import RESOURCE_TYPES
from server.store.schema import latest_observation

if TYPE_CHECKING:
    from server.api.service import FhirService

log = logging.getLogger("dho.rules")

MISSING_INTERVAL: Final = 60.0  # simulated seconds between passes of the rules clock
MAX_REAL_INTERVAL: Final = 60.0  # at most this many real seconds between passes
MIN_REAL_INTERVAL: Final = 0.25  # at least this many (a very fast clock)
UPDATE_ATTEMPTS: Final = 4
#: Patients whose recent values stay in memory (the latest to post); see AlertEngine._history.
HISTORY_PATIENTS: Final = 2000
#: The open state of a patient with no open alert that waits and no adherence item (shared).
_NOTHING_OPEN: Final[tuple[frozenset[str], None]] = (frozenset(), None)
_PLAN_TYPES: Final = {
    "ServiceRequest": "subject",
    "CarePlan": "subject",
    "EpisodeOfCare": "patient",
}
_CENTRE_TYPES: Final = {"Organization", "HealthcareService", "PractitionerRole"}
_EVENT_TYPES: Final = {"Observation", "QuestionnaireResponse", "Communication"}
_WATCHED: Final = _EVENT_TYPES | set(_PLAN_TYPES) | _CENTRE_TYPES
WATCHED_ORGANIZATION_URL: Final = "http://dho.example/fhir/StructureDefinition/watched-organization"
ROLE_SYSTEM: Final = "http://dho.example/fhir/CodeSystem/practitioner-role"


def _listed_plans(task: Mapping[str, Any]) -> frozenset[str]:
    """The ServiceRequests an adherence item lists as missed."""
    return frozenset(ref for ref, _ in missing_entries(task))


def _may_close(listed: frozenset[str], plan: PatientPlan, body: Mapping[str, Any]) -> bool:
    """Whether the value is of a measurement the open adherence item lists (`listed`, its
    plans; empty when that is not known): no other value can close it."""
    if not listed:
        return True
    keys = {
        MEASUREMENT_BY_LOINC.get(str(c.get("code")))
        for c in (body.get("code") or {}).get("coding", ())
        if c.get("system") == LOINC
    }
    return any(m.reference in listed for m in plan.measurements if m.key in keys)


def _rule_of(task: Mapping[str, Any]) -> str:
    for coding in (task.get("code") or {}).get("coding", ()):
        if coding.get("system") == ALERT_RULE_SYSTEM:
            return str(coding.get("code"))
    return ""


class Centres:
    """Service hours and leads per department, from HealthcareService, Organization and
    PractitionerRole (the centres that watch a department)."""

    def __init__(
        self,
        organizations: Iterable[Mapping[str, Any]],
        services: Iterable[Mapping[str, Any]],
        roles: Iterable[Mapping[str, Any]],
    ) -> None:
        self.watchers: dict[str, list[str]] = defaultdict(list)
        centres = []
        for org in organizations:
            oid = str(org.get("id"))
            for ext in org.get("extension", ()):
                if ext.get("url") == WATCHED_ORGANIZATION_URL:
                    ref = str((ext.get("valueReference") or {}).get("reference") or "")
                    if ref.startswith("Organization/"):
                        self.watchers[ref.split("/", 1)[1]].append(oid)
                        centres.append(oid)
        self.hours_of_org: dict[str, ServiceHours] = {}
        self.service_of_org: dict[str, str] = {}
        for hs in services:
            if hs.get("active") is False:
                continue
            ref = str((hs.get("providedBy") or {}).get("reference") or "")
            if ref.startswith("Organization/"):
                oid = ref.split("/", 1)[1]
                self.hours_of_org[oid] = hours_from_healthcare_service(hs)
                self.service_of_org.setdefault(oid, f"HealthcareService/{hs.get('id')}")
        self.leads: dict[str, dict[str, str]] = {}
        for role in roles:
            if role.get("active") is False:
                continue
            codes = {
                c.get("code")
                for concept in role.get("code", ())
                for c in concept.get("coding", ())
                if c.get("system") == ROLE_SYSTEM
            }
            where = str((role.get("organization") or {}).get("reference") or "")
            who = role.get("practitioner") or {}
            if "lead" in codes and where.startswith("Organization/") and who.get("reference"):
                lead = {"reference": str(who["reference"])}
                if who.get("display"):
                    lead["display"] = str(who["display"])
                self.leads.setdefault(where.split("/", 1)[1], lead)
        self._hours: dict[str | None, ServiceHours] = {}

    def centres_of(self, department: str | None) -> list[str]:
        if department is None:
            return []
        own = [department] if department in self.hours_of_org else []
        return own + [c for c in self.watchers.get(department, []) if c not in own]

    def hours(self, department: str | None) -> ServiceHours:
        cached = self._hours.get(department)
        if cached is None:
            found = [
                self.hours_of_org[c] for c in self.centres_of(department) if c in self.hours_of_org
            ]
            cached = union(found) if found else DEFAULT_HOURS
            self._hours[department] = cached
        return cached

    def service(self, department: str | None) -> str | None:
        for centre in self.centres_of(department):
            if centre in self.service_of_org:
                return self.service_of_org[centre]
        return None

    def lead(self, department: str | None) -> dict[str, str] | None:
        if department is None:
            return None
        if department in self.leads:
            return self.leads[department]
        for centre in self.watchers.get(department, []):
            if centre in self.leads:
                return self.leads[centre]
        return None


class AlertEngine:
    """Evaluates the rules on committed writes and on a clock; writes alert Tasks."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        escalate_after: float = esc.DEFAULT_AFTER,
        shared: bool | None = None,
    ) -> None:
        self.store = store
        #: Other processes may write to the same database (PostgreSQL: ``--workers N``). Then
        #: what waits for a re-measurement (held alerts), an open adherence item, are read from
        #: the database for each Observation instead of this process's sets, and other
        #: workers' changes (fan-out) drop the caches they make stale.
        self.shared = (not store.is_sqlite) if shared is None else shared
        self.clock = clock
        self.escalate_after = escalate_after
        self.service: FhirService | None = None
        self._plans: dict[str, PatientPlan] = {}
        self._generation = 0
        self._invalidated: dict[str, int] = {}
        # Recent values per variable (suspect ones flagged) of the patients who posted last,
        # at most HISTORY_PATIENTS of them: reloading one is a range of observation_sample
        # (under a millisecond), so the other patients of a big centre need not stay in memory
        # (~15 KB each: 150 MB at 10,000 patients).
        self._history: OrderedDict[str, dict[str, list[Sample]]] = OrderedDict()
        # One decision at a time per patient and rule (no two Tasks for one of them); decisions
        # for different pairs overlap, so one alert's database round trips do not hold up all.
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, list[int]]] = {}
        # (focus, stage reached) -> when this process decided it; a silence that began weeks
        # ago is decided once, not looked up again on every pass (kept a week after deciding).
        self._missing_done: dict[tuple[str, str], float] = {}
        self._reminded: dict[tuple[str, str, float], float] = {}
        # (patient, rule) whose open alert waits for a re-measurement; patients with an open
        # adherence item, with the plans (ServiceRequest references) it lists, since a value of
        # another measurement cannot close it (both kept for this process's writes, warmed at
        # start).
        self._awaiting: set[tuple[str, str]] = set()
        self._adherence_open: dict[str, frozenset[str]] = {}
        #: Shared database: each patient's open state as last read from it, dropped whenever
        #: one of her Tasks changes here or on another worker (fan-out).
        #: Filled for every patient when the rules warm up (one read of the open Tasks), so
        #: the first value of each of 10,000 patients does not cost a Task search.
        self._open_state: dict[str, tuple[AbstractSet[str], frozenset[str] | None]] = {}
        #: While that read runs: the patients whose Tasks changed meanwhile ("" = unknown),
        #: whose state from the read may be stale and is not kept.
        self._open_warming: set[str] | None = None
        self._centres: Centres | None = None
        self._reload: set[str] = set()
        self._warm = False
        self.stats: dict[str, int] = defaultdict(int)

    def attach(self, service: FhirService) -> None:
        self.service = service
        service.rules = self
        broker = getattr(service, "broker", None)
        if broker is not None:
            broker.add_listener(self._on_remote)

    def _on_remote(self, batch: Sequence[Any], local: bool) -> None:
        """Changes another worker committed (fan-out): drop what they make stale here."""
        if local:
            return
        for event in batch:
            kind = event.res_type
            if kind == "Task":
                if self._open_state:
                    try:
                        task = json.loads(event.data) if event.data else None
                    except ValueError:
                        task = None
                    self._task_changed(task)
                continue
            if kind in _CENTRE_TYPES:
                self._centres = None
            elif kind in _PLAN_TYPES or kind == "Observation":
                try:
                    body = json.loads(event.data) if event.data else {}
                except ValueError:
                    body = {}
                path = _PLAN_TYPES.get(kind, "subject")
                pid = patient_id_of(body.get(path)) if isinstance(body, dict) else None
                if pid is None:
                    if kind in _PLAN_TYPES:
                        self._plans.clear()
                        self._generation += 1
                        self._warm = False
                    continue
                if kind == "Observation":
                    self._fold_remote(pid, body)
                else:
                    self.invalidate(pid)

    def _fold_remote(self, patient_id: str, body: Mapping[str, Any]) -> None:
        """Another worker's Observation into the cached history, as a reload would have it.

        Dropping the history instead made nearly every POST on PostgreSQL with two workers
        reload 14 days of values (54 % of a worker's time). The touched variables' suspect
        flags are recomputed over the whole series (:func:`mark_suspects`), exactly what
        :meth:`_load_history` computes; a correction or entered-in-error replaces or removes
        the value."""
        history = self._history.get(patient_id)
        rid = body.get("id")
        if history is None:
            return
        if not isinstance(rid, str):
            self._history.pop(patient_id, None)  # cannot tell which value: reload
            return
        ref = f"Observation/{rid}"
        touched = {var for var, samples in history.items() if any(x.ref == ref for x in samples)}
        for var in touched:
            history[var] = [x for x in history[var] if x.ref != ref]
        when = body.get("effectiveDateTime")
        if body.get("status") not in ("entered-in-error", "cancelled") and isinstance(when, str):
            try:
                t = parse_instant(when)
            except ValueError:
                t = None
            if t is not None:
                for var, value in observation_values(body):
                    history.setdefault(var, []).append(Sample(t, value, ref))
                    touched.add(var)
        for var in touched:
            history[var] = mark_suspects(history[var], var)
        self.stats["history_folds"] += 1

    def _task_changed(self, task: Mapping[str, Any] | None) -> None:
        """One of a patient's Tasks changed (here or on another worker): her open state is
        read from the database again when next needed; a Task of unknown patient drops all."""
        pid = patient_id_of(task.get("for")) if isinstance(task, Mapping) else None
        if self._open_warming is not None:
            self._open_warming.add(pid or "")
        if not self._open_state:
            return
        if pid is None:
            self._open_state.clear()
        else:
            self._open_state.pop(pid, None)

    async def _open_state_for(
        self, patient_id: str
    ) -> tuple[AbstractSet[str], frozenset[str] | None]:
        known = self._open_state.get(patient_id)
        if known is None:
            known = await self._run(self._open_state_of, patient_id)
            self.stats["open_state_loads"] += 1
            if len(self._open_state) > max(20_000, 2 * len(self._plans)):
                self._open_state.clear()
            self._open_state[patient_id] = known
        return known

    def _open_state_of(self, patient_id: str) -> tuple[set[str], frozenset[str] | None]:
        """From the database: the rules whose open alert of the patient waits for a
        re-measurement, and the plans her open adherence item lists (None: no item)."""
        found = self._search(
            "Task",
            [("patient", patient_id), ("status", ",".join(OPEN_STATUSES)), ("_count", "100")],
        )
        awaiting: set[str] = set()
        adherence: frozenset[str] | None = None
        for st in found:
            task = st.resource()
            rule = _rule_of(task)
            if rule == "missing-measurement":
                adherence = (adherence or frozenset()) | _listed_plans(task)
            elif awaiting_remeasure(task):
                awaiting.add(rule)
        return awaiting, adherence

    # ----- caches ----------------------------------------------------------------------------

    def invalidate(self, patient_id: str) -> None:
        self._generation += 1
        self._invalidated[patient_id] = self._generation
        self._plans.pop(patient_id, None)
        self._reload.add(patient_id)  # the rules clock needs every plan: load it again

    def _search(self, res_type: str, params: list[tuple[str, str]]) -> list[Stored]:
        # Only the matches are used: _total=none saves the count query.
        plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, ("_total", "none")])
        return self.store.search(plan).matches

    def _search_all(self, res_type: str, params: list[tuple[str, str]]) -> list[Stored]:
        """Every match, page by page: a centre can have more open alerts than one page."""
        out: list[Stored] = []
        cursor: str | None = None
        while True:
            extra = [("_cursor", cursor)] if cursor else []
            plan = s.plan_search(RESOURCE_TYPES[res_type], [*params, *extra, ("_total", "none")])
            page = self.store.search(plan)
            out.extend(page.matches)
            cursor = page.next_cursor
            if not cursor or not page.matches:
                return out

    def _load_plan(self, patient_id: str) -> PatientPlan:
        def parsed(res_type: str) -> list[dict[str, Any]]:
            found = self._search(
                res_type, [("patient", patient_id), ("status", "active"), ("_count", "1000")]
            )
            return [st.resource() for st in found]

        return build_patient_plan(
            patient_id, parsed("ServiceRequest"), parsed("EpisodeOfCare"), parsed("CarePlan")
        )

    def _load_all(self) -> dict[str, PatientPlan]:
        # The texts are grouped and each patient's parsed only to build that patient's plan:
        # holding every parsed plan resource at once left ~60 KiB of fragmented heap per
        # patient behind the long-lived plans (RSS, 10,000 patients). Same plans as before.
        grouped: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for res_type, path in _PLAN_TYPES.items():
            for text in self.store.texts_of_type(res_type):
                res = json.loads(text)
                if res.get("status") != "active":
                    continue
                pid = patient_id_of(res.get(path))
                if pid is not None:
                    grouped[pid][res_type].append(text)
        plans: dict[str, PatientPlan] = {}
        for pid, g in grouped.items():
            parsed = {t: [json.loads(x) for x in g[t]] for t in _PLAN_TYPES}
            plans[pid] = build_patient_plan(
                pid, parsed["ServiceRequest"], parsed["EpisodeOfCare"], parsed["CarePlan"]
            )
        grouped.clear()
        return plans

    def _load_centres(self) -> Centres:
        return Centres(
            self.store.all_of_type("Organization"),
            self.store.all_of_type("HealthcareService"),
            self.store.all_of_type("PractitionerRole"),
        )

    async def centres(self) -> Centres:
        if self._centres is None:
            self._centres = await self._run(self._load_centres)
        return self._centres

    def _load_open_state(self) -> tuple[set[tuple[str, str]], dict[str, frozenset[str]]]:
        awaiting: set[tuple[str, str]] = set()
        adherence: dict[str, frozenset[str]] = {}
        found = self._search_all("Task", [("status", ",".join(OPEN_STATUSES)), ("_count", "1000")])
        for st in found:
            task = st.resource()
            pid = patient_id_of(task.get("for"))
            if pid is None:
                continue
            rule = _rule_of(task)
            if rule == "missing-measurement":
                adherence[pid] = adherence.get(pid, frozenset()) | _listed_plans(task)
            elif awaiting_remeasure(task):
                awaiting.add((pid, rule))
        return awaiting, adherence

    async def warm(self) -> None:
        """Load every patient's plan, the centres and which alerts wait for something."""
        start = self._generation
        plans = await self._run(self._load_all)
        for pid, plan in plans.items():
            if self._invalidated.get(pid, 0) <= start and pid not in self._plans:
                self._plans[pid] = plan
        await self.centres()
        if self.shared:
            self._open_warming = set()
        try:
            awaiting, adherence = await self._run(self._load_open_state)
        finally:
            changed, self._open_warming = self._open_warming, None
        self._awaiting |= awaiting
        for pid, refs in adherence.items():
            self._adherence_open[pid] = self._adherence_open.get(pid, frozenset()) | refs
        if self.shared and changed is not None and "" not in changed:
            self._fill_open_state(awaiting, adherence, changed)
        self._warm = True

    def _fill_open_state(
        self,
        awaiting: set[tuple[str, str]],
        adherence: Mapping[str, frozenset[str]],
        changed: AbstractSet[str],
    ) -> None:
        """Every patient's open state from one read of the open Tasks (shared database).

        Without it each patient's first value after a start cost a Task search: at 10,000
        patients nearly every POST of a benchmark's minute (15 % of the workers' samples,
        py-spy 2026-12-07). Patients whose Tasks changed during the read, or whose state was
        read on its own since, keep what the fan-out and that read say."""
        rules: dict[str, set[str]] = defaultdict(set)
        for pid, rule in awaiting:
            rules[pid].add(rule)
        for pid in {*self._plans, *rules, *adherence}:
            if pid in changed or pid in self._open_state:
                continue
            waiting, listed = rules.get(pid), adherence.get(pid)
            if waiting is None and listed is None:
                self._open_state[pid] = _NOTHING_OPEN
            else:
                self._open_state[pid] = (waiting or frozenset(), listed)

    async def plan_for(self, patient_id: str) -> PatientPlan:
        plan = self._plans.get(patient_id)
        if plan is not None:
            return plan
        start = self._generation
        plan = await self._run(self._load_plan, patient_id)
        self.stats["plan_loads"] += 1
        if self._invalidated.get(patient_id, 0) <= start:
            self._plans[patient_id] = plan
        return plan

    async def _run(self, fn: Any, *args: Any) -> Any:
        if self.service is not None:
            return await self.service.run(fn, *args)
        return fn(*args)

    async def setting(self, plan: PatientPlan, now: float | None = None) -> Setting:
        centres = await self.centres()
        ref = str((plan.department or {}).get("reference") or "")
        department = ref.split("/", 1)[1] if ref.startswith("Organization/") else None
        return Setting(
            plan,
            centres.hours(department),
            self.clock() if now is None else now,
            centres.service(department),
        )

    # ----- a patient's recent values ---------------------------------------------------------

    def _load_history(self, patient_id: str, since: float) -> dict[str, list[Sample]]:
        """The patient's values from `since` on, from ``observation_sample`` (one range of rows
        by patient, not one page per Observation; the store keeps it with every write)."""
        series: dict[str, list[Sample]] = defaultdict(list)
        for t, var, value, rid in self.store.samples_since(patient_id, since):
            series[var].append(Sample(t, value, f"Observation/{rid}"))
        return {var: mark_suspects(samples, var) for var, samples in series.items()}

    async def history_for(self, patient_id: str) -> dict[str, list[Sample]]:
        history = self._history.get(patient_id)
        if history is None:
            since = self.clock() - KEEP
            history = await self._run(self._load_history, patient_id, since)
            self._history[patient_id] = history
            self.stats["history_loads"] += 1
            while len(self._history) > HISTORY_PATIENTS:
                self._history.popitem(last=False)
        else:
            self._history.move_to_end(patient_id)
        return history

    def _forget(self, patient_id: str, ref: str) -> None:
        history = self._history.get(patient_id)
        if history is None:
            return
        for var, samples in history.items():
            history[var] = [x for x in samples if x.ref != ref]

    # ----- the write-path hook ---------------------------------------------------------------

    async def __call__(
        self, stored: Sequence[Stored], items: Sequence[tuple[str, Any]] | None = None
    ) -> None:
        """Called by the service after a commit; `items` are the bodies as written, if known."""
        for i, st in enumerate(stored):
            if st.res_type == "Task" and (self._open_state or self._open_warming is not None):
                # ours or a nurse's
                if st.deleted:
                    self._task_changed(None)
                else:
                    self._task_changed(items[i][1] if items is not None else st.resource())
            if st.res_type not in _WATCHED or st.deleted:
                if st.res_type in _PLAN_TYPES:  # a deleted ServiceRequest
                    self._invalidate_from(st, None)
                elif st.res_type in _CENTRE_TYPES:
                    self._centres = None
                continue
            body = items[i][1] if items is not None else st.resource()
            try:
                await self._on_write(st, body)
            except Exception:
                # The write itself has committed; a failing rule must not fail it.
                log.exception("alert rules failed on %s", st.reference)

    def _invalidate_from(self, st: Stored, body: Mapping[str, Any] | None) -> None:
        res = body if body is not None else {}
        pid = patient_id_of(res.get(_PLAN_TYPES[st.res_type]))
        if pid is not None:
            self.invalidate(pid)
        else:  # deleted, or no patient: drop everything, it is rare
            self._plans.clear()
            self._generation += 1
            self._warm = False

    async def _on_write(self, st: Stored, body: Mapping[str, Any]) -> None:
        kind = st.res_type
        if kind in _PLAN_TYPES:
            self._invalidate_from(st, body)
            return
        if kind in _CENTRE_TYPES:
            self._centres = None
            return
        focus = st.reference
        if kind == "Observation":
            await self._on_observation(st, body)
            return
        if kind == "QuestionnaireResponse":
            findings = evaluate_questionnaire(body, focus)
        else:
            findings = evaluate_communication(body, focus)
        for finding in findings:
            await self.raise_alert(finding)

    async def _on_observation(self, st: Stored, body: Mapping[str, Any]) -> None:
        pid = patient_id_of(body.get("subject"))
        if pid is None:
            return
        if body.get("status") not in ("final", "amended", "corrected", "preliminary"):
            # entered-in-error (or cancelled): it must feed nothing any more.
            self._forget(pid, st.reference)
            return
        plan = await self.plan_for(pid)
        self.stats["observations"] += 1
        if not plan.bands and not plan.trends:
            return
        when = body.get("effectiveDateTime")
        t = parse_instant(when) if isinstance(when, str) else self.clock()
        history = await self.history_for(pid)
        result = assess_observation(body, st.reference, t, plan, history)
        for finding in result.findings:
            await self.raise_alert(finding)
        if self.shared:
            awaiting, listed = await self._open_state_for(pid)
            adherence_open = listed is not None and _may_close(listed, plan, body)
        else:  # one process: its own sets are exact (a few membership tests, no query)
            rules = {rule for rule, _, _ in result.normal} | {"questionnaire"}
            awaiting = {rule for rule in rules if (pid, rule) in self._awaiting}
            listed = self._adherence_open.get(pid)
            adherence_open = listed is not None and _may_close(listed, plan, body)
        for rule, var, value in result.normal:
            if rule in awaiting:
                await self._normal_value(plan, rule, st.reference, var, value)
        if "questionnaire" in awaiting and (result.findings or result.normal):
            breached = any(not f.suspect for f in result.findings)
            if breached or not result.suspects:
                await self._symptom_check(plan, st.reference, breached)
        if adherence_open:
            await self._check_arrived(plan)

    async def _normal_value(
        self, plan: PatientPlan, rule: str, ref: str, var: str, value: float
    ) -> None:
        async def act(current: Stored | None) -> tuple[Decision, Stored | None]:
            if current is None:
                self._awaiting.discard((plan.patient_id, rule))
                return Decision(), None
            st = await self.setting(plan)
            return decide_normal(current.resource(), ref, var, value, st), current

        await self._locked(plan.patient_id, rule, act)

    async def _symptom_check(self, plan: PatientPlan, ref: str, breached: bool) -> None:
        async def act(current: Stored | None) -> tuple[Decision, Stored | None]:
            if current is None:
                self._awaiting.discard((plan.patient_id, "questionnaire"))
                return Decision(), None
            st = await self.setting(plan)
            return decide_symptom_check(current.resource(), ref, breached, st), current

        await self._locked(plan.patient_id, "questionnaire", act)

    async def _check_arrived(self, plan: PatientPlan) -> None:
        last = await self._run(self._load_last_seen_for, plan.patient_id)

        async def act(current: Stored | None) -> tuple[Decision, Stored | None]:
            if current is None:
                self._adherence_open.pop(plan.patient_id, None)
                return Decision(), None
            seen = {m.reference: last[m.key] for m in plan.measurements if m.key in last}
            st = await self.setting(plan)
            return decide_arrived(current.resource(), seen, st), current

        await self._locked(plan.patient_id, "missing-measurement", act)

    # ----- writing Tasks ---------------------------------------------------------------------

    def _find_episode(self, episode: str) -> bool:
        return bool(
            self._search(
                "Task", [("identifier", f"{ALERT_EPISODE_SYSTEM}|{episode}"), ("_count", "1")]
            )
        )

    def _find_open(self, patient_id: str, rule: str) -> Stored | None:
        query = [*open_task_query(patient_id, rule), ("_sort", "-_lastUpdated"), ("_count", "1")]
        found = self._search("Task", query)
        return found[0] if found else None

    def _measured_breach_open(self, patient_id: str) -> bool:
        """Whether the patient has an open alert on a measured value (threshold or trend)."""
        codes = ",".join(
            f"{ALERT_RULE_SYSTEM}|{r}" for r in RULES if r.startswith(("threshold-", "trend-"))
        )
        found = self._search(
            "Task",
            [
                ("patient", patient_id),
                ("code", codes),
                ("status", ",".join(OPEN_STATUSES)),
                ("_count", "1"),
            ],
        )
        return bool(found)

    def _find_handled(self, patient_id: str, rule: str) -> Stored | None:
        found = self._search(
            "Task",
            [
                ("patient", patient_id),
                ("code", f"{ALERT_RULE_SYSTEM}|{rule}"),
                ("status", "completed"),
                ("_sort", "-_lastUpdated"),
                ("_count", "1"),
            ],
        )
        return found[0] if found else None

    async def _locked(
        self,
        patient_id: str,
        rule: str,
        act: Callable[[Stored | None], Any],
    ) -> Stored | None:
        """Run `act(open Task or None)` -> (Decision, based-on Stored) under the pair's lock,
        apply the decision, and retry on a 412 (a nurse changed the Task meanwhile)."""
        key = (patient_id, rule)
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                for _ in range(UPDATE_ATTEMPTS):
                    current = await self._run(self._find_open, patient_id, rule)
                    decision, base = await act(current)
                    try:
                        return await self.apply(decision, base, patient_id, rule)
                    except OpenElsewhere:
                        continue  # another worker opened it meanwhile: decide against it
                    except FhirError as exc:
                        if exc.status == 412:
                            continue
                        raise
                log.warning("could not update the open %s Task of %s", rule, patient_id)
                return None
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[key]  # nobody holds or waits for it

    async def raise_alert(self, finding: Finding) -> Stored | None:
        """Open a Task for the finding, or fold it into the open one; the Task written or None."""
        assert self.service is not None, "attach() the engine to a service first"
        plan = await self.plan_for(finding.patient_id)

        corroborated = False
        if finding.rule == "questionnaire":
            # Answers beside an open alert on a measured value need no symptom check: the
            # measurements already say what they would (server.rules.decide, "symptom check").
            corroborated = await self._run(self._measured_breach_open, finding.patient_id)

        async def act(current: Stored | None) -> tuple[Decision, Stored | None]:
            st = replace(await self.setting(plan), corroborated=corroborated)
            if current is not None:
                return decide_finding(finding, current.resource(), st), current
            # None open: the latest handled one may take a repeat that is not worse.
            handled = await self._run(self._find_handled, finding.patient_id, finding.rule)
            body = handled.resource() if handled is not None else None
            decision = decide_finding(finding, None, st, body)
            return decision, handled if decision.base is not None else None

        return await self._locked(finding.patient_id, finding.rule, act)

    async def apply(
        self, decision: Decision, base: Stored | None, patient_id: str, rule: str
    ) -> Stored | None:
        """Write a decision: the Task (create or If-Match update), then its messages."""
        assert self.service is not None
        written: Stored | None = None
        if decision.task is not None:
            if base is None or decision.base is None:
                episode = next(
                    (
                        str(i.get("value"))
                        for i in decision.task.get("identifier", ())
                        if i.get("system") == ALERT_EPISODE_SYSTEM
                    ),
                    "",
                )
                if not self.shared:
                    # One process: the lock above already keeps one open Task per pair; the
                    # episode identifier keeps the same finding from opening a second one.
                    written, created = await create_task(
                        self.service, decision.task, patient_id, rule, episode
                    )
                    self.stats["tasks_created" if created else "tasks_existing"] += 1
                    if not created:
                        return None
                else:
                    if episode and await self._run(self._find_episode, episode):
                        # This finding's alert exists (the same Observation again).
                        self.stats["tasks_existing"] += 1
                        return None
                    written, created = await create_task(
                        self.service, decision.task, patient_id, rule
                    )
                    self.stats["tasks_created" if created else "tasks_open_elsewhere"] += 1
                    if not created:
                        raise OpenElsewhere(written)
            else:
                written = await update_task(self.service, base, decision.task)
                self.stats["tasks_updated"] += 1
            task = decision.task
            if awaiting_remeasure(task) and task.get("status") not in ("completed", "cancelled"):
                self._awaiting.add((patient_id, rule))
            else:
                self._awaiting.discard((patient_id, rule))
            if rule == "missing-measurement":
                if task.get("status") in ("completed", "cancelled"):
                    self._adherence_open.pop(patient_id, None)
                else:
                    self._adherence_open[patient_id] = _listed_plans(task)
        if decision.what:
            self.stats[decision.what] += 1
        for message in decision.messages:
            if written is not None:
                message = fill_task_reference(message, written.reference)
            else:
                message = {
                    **message,
                    "about": [
                        a for a in message.get("about", ()) if a.get("reference") != "Task/#"
                    ],
                }
            await create_message(self.service, message)
        return written

    # ----- the clock -------------------------------------------------------------------------

    def _load_last_seen(self) -> dict[tuple[str, str], float]:
        lo = latest_observation.c
        seen: dict[tuple[str, str], float] = {}
        with self.store.reading() as conn:
            rows = conn.execute(
                select(lo.patient_id, lo.code, lo.effective).where(lo.rank == 1, lo.system == LOINC)
            )
            for pid, code, effective in rows:
                key = MEASUREMENT_BY_LOINC.get(code)
                if key is not None:
                    t = effective / 1_000_000
                    if t > seen.get((pid, key), float("-inf")):
                        seen[(pid, key)] = t
        return seen

    def _load_last_seen_for(self, patient_id: str) -> dict[str, float]:
        lo = latest_observation.c
        seen: dict[str, float] = {}
        with self.store.reading() as conn:
            # Rank is checked here, not in SQL: with `rank = 1` in the query SQLite walked the
            # rank index (every patient's latest rows: 8 ms at 3,000 patients) instead of the
            # patient's own few rows (ix_latest_pair).
            rows = conn.execute(
                select(lo.code, lo.effective, lo.rank).where(
                    lo.patient_id == patient_id, lo.system == LOINC
                )
            )
            for code, effective, rank in rows:
                if rank != 1:
                    continue
                key = MEASUREMENT_BY_LOINC.get(code)
                if key is not None:
                    seen[key] = max(seen.get(key, float("-inf")), effective / 1_000_000)
        return seen

    async def evaluate_missing(self, now: float | datetime | None = None) -> list[Finding]:
        """Reminders, adherence items and urgent silences as of `now` (default: the clock)."""
        if now is None:
            now = self.clock()
        if isinstance(now, datetime):
            now = now.timestamp()
        if not self._warm:
            await self.warm()
        for pid in list(self._reload):
            self._reload.discard(pid)
            await self.plan_for(pid)
        last_seen = await self._run(self._load_last_seen)
        plans = [p for p in self._plans.values() if p.measurements]
        findings = evaluate_missing(now, plans, last_seen)
        raised = []
        for f in findings:
            key = (f.focus, f.started)
            if key in self._missing_done:
                continue
            due = finding_due(f)
            if due is None:
                continue
            rkey = (f.patient_id, f.focus, due)
            if f.level == "reminder" and rkey not in self._reminded and not awake(now):
                # The reminder waits for the morning and nothing else is due at this stage:
                # no need to look up the open item on every pass of the night.
                continue
            plan = self._plans.get(f.patient_id) or await self.plan_for(f.patient_id)
            made: list[Decision] = []

            async def act(
                current: Stored | None,
                f: Finding = f,
                due: float = due,
                plan: PatientPlan = plan,
                rkey: tuple[str, str, float] = rkey,
                made: list[Decision] = made,
            ) -> tuple[Decision, Stored | None]:
                st = await self.setting(plan, now)
                resource = current.resource() if current is not None else None
                decision = decide_missing(f, due, resource, st, self._reminded.get(rkey))
                made.append(decision)
                return decision, current

            await self._locked(f.patient_id, "missing-measurement", act)
            if any(
                m.get("identifier", [{}])[0].get("value", "").startswith("reminder|")
                for d in made[-1:]
                for m in d.messages
            ):
                self._reminded[rkey] = now
            if f.level != "reminder" or rkey in self._reminded:
                self._missing_done[key] = now
            raised.append(f)
        self._missing_done = {k: v for k, v in self._missing_done.items() if v >= now - 7 * DAY}
        self._reminded = {k: v for k, v in self._reminded.items() if v >= now - 7 * DAY}
        return raised

    def _open_tasks(self, params: list[tuple[str, str]]) -> list[Stored]:
        return self._search("Task", [*params, ("_count", "1000")])

    async def close_arrived(self, now: float) -> int:
        """Adherence items whose measurements all arrived close themselves."""
        found = await self._run(
            self._open_tasks,
            [
                ("code", f"{ALERT_RULE_SYSTEM}|missing-measurement"),
                ("status", "requested,in-progress,on-hold"),
            ],
        )
        if not found:
            return 0
        last_seen = await self._run(self._load_last_seen)
        closed = 0
        for stored in found:
            task = stored.resource()
            pid = patient_id_of(task.get("for"))
            if pid is None:
                continue
            plan = await self.plan_for(pid)
            seen = {
                m.reference: last_seen[(pid, m.key)]
                for m in plan.measurements
                if (pid, m.key) in last_seen
            }
            st = await self.setting(plan, now)
            if decide_arrived(task, seen, st).task is None:
                continue

            async def act(
                current: Stored | None, plan: PatientPlan = plan, seen: dict[str, float] = seen
            ) -> tuple[Decision, Stored | None]:
                if current is None:
                    return Decision(), None
                st = await self.setting(plan, now)
                return decide_arrived(current.resource(), seen, st), current

            if await self._locked(pid, "missing-measurement", act) is not None:
                closed += 1
        return closed

    async def release_holds(self, now: float) -> int:
        """Held suspect alerts whose hold ran out are raised."""
        found = await self._run(self._open_tasks, [("status", "draft")])
        released = 0
        for stored in found:
            task = stored.resource()
            pid = patient_id_of(task.get("for"))
            if pid is None or not is_held(task):
                continue
            plan = await self.plan_for(pid)
            st = await self.setting(plan, now)
            if release_held(task, st).task is None:
                continue

            async def act(
                current: Stored | None, plan: PatientPlan = plan
            ) -> tuple[Decision, Stored | None]:
                if current is None:
                    return Decision(), None
                st = await self.setting(plan, now)
                return release_held(current.resource(), st), current

            if await self._locked(pid, _rule_of(task), act) is not None:
                released += 1
        return released

    async def escalate(self, now: float) -> int:
        """Escalate unclaimed high alerts that waited too long in service hours (one pass)."""
        assert self.service is not None
        found = await self._run(
            self._open_tasks, [("status", "requested"), ("priority", "asap,stat")]
        )
        if not found:
            return 0
        centres = await self.centres()
        by_id = {st.res_id: st for st in found}
        result = esc.escalation_pass(
            [st.resource() for st in found],
            now,
            centres.hours,
            centres.lead,
            self.escalate_after,
        )
        done = []
        for updated, base in result.updates:
            stored = by_id[str(base.get("id"))]
            try:
                await update_task(self.service, stored, updated)
            except FhirError as exc:
                if exc.status == 412:  # claimed (or changed) meanwhile: it is not escalated
                    continue
                raise
            done.append(str(base.get("id")))
        if done:
            self.stats["escalated"] += len(done)
            for message in result.digests:
                about = [a for a in message.get("about", ()) if a["reference"][5:] in done]
                if about:
                    await create_message(self.service, {**message, "about": about})
        return len(done)

    async def tick(self, now: float | None = None) -> None:
        """One pass of the rules clock."""
        now = self.clock() if now is None else now
        await self.evaluate_missing(now)
        await self.close_arrived(now)
        await self.release_holds(now)
        await self.escalate(now)

    async def run_clock(self, interval: float = MISSING_INTERVAL) -> None:
        """The background job: warm the caches, then a pass every simulated minute."""
        await self.warm()
        sleep = getattr(self.clock, "sleep", None)
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the rules clock failed")
            if sleep is not None:
                await sleep(interval, max_real=MAX_REAL_INTERVAL, min_real=MIN_REAL_INTERVAL)
            else:
                await asyncio.sleep(interval)


# ----- the write calls, behind small functions ------------------------------------------------


def open_task_query(patient_id: str, rule: str) -> list[tuple[str, str]]:
    """The patient's open alert Tasks for a rule: there is at most one."""
    return [
        ("patient", patient_id),
        ("code", f"{ALERT_RULE_SYSTEM}|{rule}"),
        ("status", ",".join(OPEN_STATUSES)),
    ]


class OpenElsewhere(Exception):
    """The patient's open Task for the rule was created by someone else (another worker)."""

    def __init__(self, existing: Stored) -> None:
        super().__init__(existing.reference)
        self.existing = existing


async def create_task(
    service: FhirService,
    task: dict[str, Any],
    patient_id: str,
    rule: str,
    episode_id: str | None = None,
) -> tuple[Stored, bool]:
    """Create the Task unless it exists (If-None-Exist): (Task, created).

    With `episode_id`, unless a Task with that alert-episode identifier exists (one process).
    Without, unless the patient already has an open Task for the rule: the engine's lock for
    (patient, rule) is per process, and with ``--workers N`` another worker may open the Task
    between this worker's search and its create; the conditional create's key row (unique per
    query) makes the second create find the first instead, and the caller folds its finding
    into it."""
    if episode_id is not None:
        query = [("identifier", f"{ALERT_EPISODE_SYSTEM}|{episode_id}")]
    elif task.get("status") in ("completed", "cancelled"):
        return (await service.create_many([("Task", task)]))[0], True
    else:
        query = open_task_query(patient_id, rule)
    conditional = getattr(service, "conditional_create", None)
    if conditional is not None:
        stored, created = await conditional("Task", task, query, "")
        return stored, created
    found = await service.run(
        lambda: service.store.search(s.plan_search(RESOURCE_TYPES["Task"], query)).matches
    )
    if found:
        return found[0], False
    return (await service.create_many([("Task", task)]))[0], True


async def update_task(service: FhirService, current: Stored, body: dict[str, Any]) -> Stored:
    """Version-aware update of an alert Task (If-Match = the version it was merged into)."""
    body = {**body, "id": current.res_id}
    body.pop("meta", None)
    stored: Stored = await service.update("Task", current.res_id, body, current.version_id)
    return stored


async def create_message(service: FhirService, body: dict[str, Any]) -> Stored | None:
    """An automatic Communication, created once per message key."""
    key = message_key(body)
    try:
        if key:
            stored, _ = await service.conditional_create(
                "Communication", body, [("identifier", f"{MESSAGE_KEY_SYSTEM}|{key}")], ""
            )
        else:
            stored = await service.create("Communication", body)
    except FhirError as exc:
        log.warning("could not write an automatic message: %s", exc)
        return None
    return stored


async def missing_clock_job(service: FhirService) -> None:
    """Background job for dho-server: the rules clock of the service's engine."""
    rules = service.rules
    if isinstance(rules, AlertEngine):
        await rules.run_clock()


async def warm_job(service: FhirService) -> None:
    """Background job for dho-server's other workers (no clock of their own): load every plan
    at start. Without it each patient's first POST to such a worker read her plan with three
    searches (0.9 of a POST's statements on PostgreSQL with two workers, early in a run)."""
    rules = service.rules
    if isinstance(rules, AlertEngine):
        await rules.warm()
